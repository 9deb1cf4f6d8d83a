"""Entry points of the reader for the CLI. The stored headlines are read in a thread
while Textual imports, so the first headline is on screen as early as possible."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.config import Config
    from newsreader.store import Store


def _read_stored(db_path: Path, out: dict[str, Any]) -> None:
    """Headlines and feed statuses through a Store of this thread (SQLite releases the
    GIL while it reads, so this overlaps the import of Textual)."""
    from newsreader.store import Store

    try:
        with Store.open(db_path) as store:
            out["headlines"] = store.headlines()
            out["statuses"] = store.feed_statuses()
    except BaseException as exc:
        out["error"] = exc


def _run(config: Config, store: Store, db_path: Path, *, before: dict[str, Any]) -> int:
    """Run the app; its exit code is non-zero when Textual stopped it on an error."""
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.headlines import HeadlineTree

    if "error" in before:
        raise before["error"]
    tree = HeadlineTree(
        [(f.name, f.group) for f in config.feeds], before["headlines"], before["statuses"]
    )
    app = NewsreaderApp(config, store, tree=tree, db_path=db_path)
    import gc

    gc.freeze()
    gc.enable()
    app.run()
    return app.return_code or 0


def _start(config: Config, db_path: Path) -> int:
    """Open the store, read it while Textual imports, run the app.

    The garbage collector is paused while tens of thousands of headlines are built
    (each generation-0 pass would walk them all: 3x slower), then they are frozen out
    of its reach so later collections do not walk them either.
    """
    import gc

    gc.disable()
    try:
        return _start_store(config, db_path)
    finally:
        gc.enable()


def _start_store(config: Config, db_path: Path) -> int:
    from newsreader.store import Store

    store = Store.open(db_path)
    try:
        store.sync_feeds(config.feeds)
        stored: dict[str, Any] = {}
        reader = threading.Thread(target=_read_stored, args=(db_path, stored), daemon=True)
        reader.start()
        import newsreader.ui.app  # noqa: F401  (Textual loads while the thread reads)

        reader.join()
        return _run(config, store, db_path, before=stored)
    finally:
        store.close()


def run_reader(config_path: Path, db_path: Path) -> int:
    """``newsreader [--config FILE] [--db FILE]``."""
    from newsreader.config import load_config

    return _start(load_config(config_path), db_path)


def open_config(targets: list[str]) -> tuple[Config, list[str]]:
    """A Config for ``newsreader open``: one feed per target, no file behind it."""
    from newsreader.config import Config
    from newsreader.locations import user_config_dir
    from newsreader.model import FeedConfig

    feeds: list[FeedConfig] = []
    problems: list[str] = []
    names: set[str] = set()
    for target in targets:
        if target.startswith(("http://", "https://")):
            name, source, where, group = target, "http", target, "Web"
        else:
            path = Path(target.removeprefix("file://")).expanduser()
            if not path.exists():
                problems.append(f"{target}: no such file or folder")
                continue
            is_dir = path.is_dir()
            title = None if is_dir else _own_title(path)
            name, source, where = title or path.name or target, "local", str(path.resolve())
            group = "Folders" if is_dir else "Files"
        if name in names and source == "local" and name != path.name:
            name = f"{name} ({path.name})"  # two files of one site: say which is which
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.add(name)
        url = target if source == "http" else None
        feeds.append(FeedConfig(name=name, source=source, target=where, group=group, url=url))
    return Config(path=user_config_dir() / "feeds.yaml", feeds=tuple(feeds)), problems


# A feed's own title names it in the sidebar; longer ones are cut (names are one line).
MAX_OPEN_NAME = 120


def _own_title(path: Path) -> str | None:
    """The title the file gives itself, or None when it has none or cannot be read
    (the refresh then reports the problem under the file's name)."""
    from newsreader.errors import NewsreaderError
    from newsreader.formats import parse_document
    from newsreader.sources.local import read_file

    try:
        feed = parse_document(read_file(path), source=str(path), filename=path.name)
    except (NewsreaderError, OSError, ValueError):
        return None
    title = " ".join(feed.title.split())
    if len(title) > MAX_OPEN_NAME:
        title = title[: MAX_OPEN_NAME - 1].rstrip() + "…"
    return title or None


def run_open(targets: list[str]) -> int:
    """``newsreader open TARGET...``: the reader on a throwaway database."""
    import tempfile

    config, problems = open_config(targets)
    for problem in problems:
        print(f"newsreader: {problem}", file=sys.stderr)
    if not config.feeds:
        return 1
    with tempfile.TemporaryDirectory(prefix="newsreader-open-") as tmp:
        code = _start(config, Path(tmp) / "open.db")
    return code or (1 if problems else 0)
