"""The Textual App: it applies the themes and keymap built in ``launch`` and shows the
reader screen. Everything else lives in the screen and widgets; this file stays small
on purpose."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import App

from newsreader.text.sanitise import for_terminal
from newsreader.ui.commands import ReaderCommands, ThemeCommands
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.themes import DEFAULT_THEME, THEME_SETTING

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.theme import Theme

    from newsreader.config import Config
    from newsreader.store import Store
    from newsreader.ui.refresher import Refresher
    from newsreader.ui.state.tree import HeadlineTree
    from newsreader.ui.writer import StoreWriter

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
        themes: Sequence[Theme] = (),
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        problems: Sequence[str] = (),
        today: Callable[[], date] = date.today,
        refresh: bool = True,
    ) -> None:
        """``themes``, ``theme``, ``keymap`` and the start-up ``problems`` to show come
        resolved from :mod:`newsreader.ui.launch`; the app only applies them."""
        super().__init__()
        self.config = config
        self.store = store
        self.refresh_on_start = refresh
        self.reader_themes = [t.name for t in themes]
        self._theme_ready = False
        self._problems = list(problems)
        self._today = today
        self._main = MainScreen(
            config, store, tree=tree, today=today().isoformat(), refresher=refresher, writer=writer
        )
        for loaded in themes:
            self.register_theme(loaded)
        if theme:
            self.theme = theme
        self._theme_ready = True
        self.set_keymap(dict(keymap or {}))

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
