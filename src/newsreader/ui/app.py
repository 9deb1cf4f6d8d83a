"""The Textual App: themes, keymap and the reader screen. Everything else lives in the
screen and widgets; this file stays small on purpose."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App

from newsreader.keymap import KEY_IDS
from newsreader.text.sanitise import for_terminal
from newsreader.ui.commands import ReaderCommands, ThemeCommands
from newsreader.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from newsreader.config import Config
    from newsreader.store import Store
    from newsreader.ui.refresher import Refresher
    from newsreader.ui.state.tree import HeadlineTree
    from newsreader.ui.writer import StoreWriter

DEFAULT_THEME = "newsreader-dark"
THEME_SETTING = "theme"
# How often feeds are checked for being due (each has its own ``refresh_minutes``).
REFRESH_TICK_SECONDS = 60.0


class NewsreaderApp(App[None]):
    """The reader. ``refresh`` off keeps tests and snapshots on the stored data only."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"
    COMMANDS: ClassVar = App.COMMANDS | {ReaderCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        tree: HeadlineTree,
        refresher: Refresher,
        writer: StoreWriter,
        today: Callable[[], date] = date.today,
        refresh: bool = True,
        theme_dirs: list[Path] | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.refresh_on_start = refresh
        self.reader_themes: list[str] = []
        self._theme_ready = False
        self._problems: list[str] = []
        self._today = today
        self._main = MainScreen(
            config, store, tree=tree, today=today().isoformat(), refresher=refresher, writer=writer
        )
        self._load_themes(theme_dirs)
        self._apply_keymap()

    # -- set-up ------------------------------------------------------------------------

    def _load_themes(self, dirs: list[Path] | None) -> None:
        from newsreader import locations
        from newsreader.ui.themes import load_themes

        if dirs is None:
            dirs = [locations.bundled_themes_dir(), locations.user_themes_dir(self.config.path)]
        themes, errors = load_themes(dirs)
        self._problems.extend(errors)
        for theme in themes:
            self.register_theme(theme)
            self.reader_themes.append(theme.name)
        configured = self.config.theme
        fallback = next(
            (n for n in (configured, DEFAULT_THEME) if n and n in self.available_themes), None
        )
        remembered = self.store.get_setting(THEME_SETTING)
        lost = bool(remembered) and remembered not in self.available_themes
        chosen = (None if lost else remembered) or fallback
        using = f"; using {chosen!r}" if chosen else ""
        if configured and configured != fallback:
            self._problems.append(f"{self.config.path}: theme {configured!r} not found{using}")
        if lost:
            # Kept in the store: once the file loads again, the choice comes back.
            self._problems.append(f"theme {remembered!r} chosen last time no longer loads{using}")
        if chosen:
            self.theme = chosen
        self._theme_ready = True

    def _apply_keymap(self) -> None:
        keys = dict(self.config.keys)
        unknown = sorted(k for k in keys if k not in KEY_IDS)
        if unknown:
            self._problems.append(
                f"{self.config.path}: unknown key id(s) {', '.join(unknown)}"
                " (press ? to see the ids)"
            )
        self.set_keymap({k: v for k, v in keys.items() if k in KEY_IDS})

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: feed names, links, server and theme messages are
        data, never markup (``markup`` is ignored) and never controls. Widgets' and
        screens' ``notify`` come here too."""
        super().notify(
            for_terminal(message, lines=True),
            title=for_terminal(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def search_themes(self) -> None:
        """The palette's "Theme" command, listing theme names as plain text (Textual's
        own list reads them as markup, and a theme file names itself)."""
        from textual.command import CommandPalette

        palette = CommandPalette(providers=[ThemeCommands], placeholder="Search for themes…")
        self.push_screen(palette)

    def get_default_screen(self) -> Screen[None]:
        return self._main

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Fallbacks for the reader's own colours, for themes that do not set them
        (Textual's built-in themes picked from the command palette)."""
        from newsreader.ui.themes import reader_variables

        return reader_variables(self.current_theme)

    def on_mount(self) -> None:
        if self._problems:
            self.notify("\n".join(self._problems), severity="warning", timeout=10)
        if self.refresh_on_start:
            # After the first paint, so the stored headlines show at once.
            self.set_timer(0.2, self._main.refresh_due)
            self.set_interval(REFRESH_TICK_SECONDS, self._tick)

    def _tick(self) -> None:
        self._main.set_today(self._today().isoformat())
        self._main.refresh_due()

    def watch_theme(self, name: str) -> None:
        if self._theme_ready and name:
            self._main.save_setting(THEME_SETTING, name, "theme")

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's CSS refresh, which a theme change runs: a theme whose variables
        Textual's CSS still rejects (one registered past the file checks) falls back
        to the default theme with a notice instead of stopping the reader."""
        from textual.css.errors import StylesheetError
        from textual.css.tokenizer import TokenError

        try:
            super().refresh_css(animate=animate)
        except (StylesheetError, TokenError):
            broken = self.theme
            if broken == DEFAULT_THEME or DEFAULT_THEME not in self.available_themes:
                raise
            self.notify(
                f"theme {broken!r} cannot be applied (Textual rejects its CSS variables);"
                f" using {DEFAULT_THEME!r}",
                severity="error",
                timeout=10,
            )
            self.theme = DEFAULT_THEME  # its watcher refreshes the CSS again

    # Textual's own is a coroutine; quitting here saves and waits for the writer first.
    def action_quit(self) -> None:  # type: ignore[override]
        self._main.save_state()
        self.exit(message=self._main.finish_writes())

    def save_state(self) -> None:
        self._main.save_state()
