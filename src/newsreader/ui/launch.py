"""Entry points of the reader for the CLI, and the one place that knows the database
file and the theme folders (:func:`reader_app` builds the refresher, the writer, the
themes and the keymap). Start-up reads each feed's counts and the headlines of the
first screen only, and draws that screen before Textual loads (:mod:`.first_frame`),
so the first headline is on screen as early at 200,000 articles as at 20."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.config import Config
    from newsreader.store import Store
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.first_frame import FirstFrame
    from newsreader.ui.state.tree import HeadlineTree


# Textual draws at most this many frames a second. Its default of 60 holds a key's frame
# back for up to two frame times after the last one (measured in tmux: keys 45 ms apart
# waited 17-23 ms for their frame at 60, 4 ms at 120); frames here follow keys, never
# an animation, so a higher cap costs nothing while nothing moves.
FRAME_RATE = 120


def reader_app(
    config: Config,
    store: Store,
    *,
    tree: HeadlineTree,
    db_path: Path | None,
    clock: Callable[[], float] = time.time,
    theme_dirs: Sequence[Path] | None = None,
    **options: Any,
) -> NewsreaderApp:
    """The one place that knows the database file and the theme folders: the refresher
    and the writer open their own Stores on it (None: the writer uses ``store`` and
    nothing refreshes), themes and keys are resolved here, and the app and its screen
    only get what is built here. ``options`` go to the app."""
    from newsreader.keymap import resolve_keymap
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.refresher import Refresher
    from newsreader.ui.themes import THEME_SETTING, choose_theme, load_themes
    from newsreader.ui.writer import StoreWriter

    if theme_dirs is None:
        theme_dirs = _theme_dirs(config)
    themes, problems = load_themes(theme_dirs)
    available = {t.name for t in themes} | _builtin_theme_names()
    theme, theme_problems = choose_theme(
        config.theme, store.get_setting(THEME_SETTING), available, config.path
    )
    keymap, key_problems = resolve_keymap(dict(config.keys), config.path)
    return NewsreaderApp(
        config,
        store,
        tree=tree,
        refresher=Refresher(db_path, config.feeds, clock, config.rules),
        writer=StoreWriter(store, db_path, _unreported),
        themes=themes,
        theme=theme,
        keymap=keymap,
        problems=problems + theme_problems + key_problems,
        **options,
    )


def _builtin_theme_names() -> set[str]:
    """Textual's own themes, which the app offers next to the files' ones."""
    from textual.theme import BUILTIN_THEMES

    return set(BUILTIN_THEMES)


def _unreported(text: str, severity: str) -> None:
    """The writer's report until the screen takes it over (nothing is written before)."""


def _theme_dirs(config: Config) -> list[Path]:
    """The bundled themes, then the user's (a user theme overrides one of the same name)."""
    from newsreader import locations

    return [locations.bundled_themes_dir(), locations.user_themes_dir(config.path)]


def _first_frame(config: Config, store: Store, tree: HeadlineTree) -> FirstFrame | None:
    """Draw the sidebar's first screen now, where the reader will open, half a second
    before Textual can (see :mod:`newsreader.ui.first_frame`)."""
    from datetime import date

    from newsreader.ui.first_frame import draw_first_frame
    from newsreader.ui.state.position import POSITION_SETTING, WIDTH_SETTING, saved_width
    from newsreader.ui.state.reader import ReaderState
    from newsreader.ui.themes import DEFAULT_THEME, THEME_SETTING

    if not tree.total:
        return None
    state = ReaderState(tree)
    state.restore(store.get_setting(POSITION_SETTING))
    theme = store.get_setting(THEME_SETTING) or config.theme or DEFAULT_THEME
    return draw_first_frame(
        tree,
        state.cursor,
        today=date.today().isoformat(),
        sidebar_width=saved_width(store.get_setting(WIDTH_SETTING)),
        theme=theme,
        theme_dirs=_theme_dirs(config),
    )


def _start(config: Config, db_path: Path) -> int:
    """Open the store, draw the first frame, run the app.

    The garbage collector is paused while Textual loads (its passes would walk every
    new module's objects for nothing), then what start-up made is frozen out of its
    reach so the collections while reading do not walk it either.
    """
    import gc
    import os

    # Read by Textual when it loads; a value the user set is kept.
    os.environ.setdefault("TEXTUAL_FPS", str(FRAME_RATE))
    gc.disable()
    try:
        return _start_store(config, db_path)
    finally:
        gc.enable()


def _start_store(config: Config, db_path: Path) -> int:
    """Count the headlines, draw the first frame, load Textual, run the app; its exit
    code is non-zero when Textual stopped it on an error."""
    import gc

    from newsreader.indexing import ensure_search_index
    from newsreader.store import Store
    from newsreader.ui.state.search import reader_tree

    store = Store.open(db_path)
    try:
        store.sync_feeds(config.feeds)
        ensure_search_index(store)
        tree = reader_tree(config, store, store.feed_statuses(), time.time())
        frame = _first_frame(config, store, tree)
        try:
            app = reader_app(config, store, tree=tree, db_path=db_path)
            gc.freeze()
            gc.enable()
            if frame is not None:
                frame.hand_over()
            app.run()
        finally:
            if frame is not None:
                frame.close()
        return app.return_code or 0
    finally:
        store.close()


def run_reader(config_path: Path, db_path: Path) -> int:
    """``newsreader [--config FILE] [--db FILE]``."""
    from newsreader.config import load_config

    return _start(load_config(config_path), db_path)


def run_open(targets: list[str]) -> int:
    """``newsreader open TARGET...``: the reader on a throwaway database."""
    import tempfile

    from newsreader.targets import open_config

    config, problems = open_config(targets)
    for problem in problems:
        print(f"newsreader: {problem}", file=sys.stderr)
    if not config.feeds:
        return 1
    with tempfile.TemporaryDirectory(prefix="newsreader-open-") as tmp:
        code = _start(config, Path(tmp) / "open.db")
    return code or (1 if problems else 0)
