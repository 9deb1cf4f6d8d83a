"""Command palette (ctrl+p): every reader action by its name, and the themes.

Theme names come from theme files, so every entry is built as plain ``Content``:
Textual reads a string prompt or help text as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from newsreader.text.sanitise import for_terminal

Command = tuple[str, str, Callable[[], object]]


def _plain(text: str) -> Content:
    return Content(for_terminal(text))


class _PlainCommands(Provider):
    """A provider whose entries are plain text, highlighted by the fuzzy match."""

    def _commands(self) -> Iterator[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            # Help is a str in Textual's signature but read with Content.from_markup,
            # which takes Content as it is.
            help_content = cast("str", _plain(help_text)) if help_text else None
            yield DiscoveryHit(_plain(title), callback, text=title, help=help_content)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score <= 0:
                continue
            shown = _plain(title)
            if len(shown) == len(title):
                for offset in offsets:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
            help_content = cast("str", _plain(help_text)) if help_text else None
            yield Hit(score, shown, callback, text=title, help=help_content)


class ReaderCommands(_PlainCommands):
    """Offers the actions of the key table and ``Theme: NAME`` for each loaded theme."""

    def _commands(self) -> Iterator[Command]:
        from newsreader.keymap import KEY_ACTIONS

        app = self.app
        target = app.screen_stack[0]
        for key in KEY_ACTIONS:
            if key.id in ("cursor_down", "cursor_up", "focus_next", "focus_previous", "back"):
                continue
            yield key.description, f"key: {key.keys}", partial(target.run_action, key.action)
        for name in getattr(app, "reader_themes", []):
            yield f"Theme: {name}", "switch the colour theme", partial(setattr, app, "theme", name)


class ThemeCommands(_PlainCommands):
    """Every available theme, for the palette's "Theme" command."""

    def _commands(self) -> Iterator[Command]:
        app = self.app
        for name in sorted(app.available_themes):
            yield name, "", partial(setattr, app, "theme", name)
