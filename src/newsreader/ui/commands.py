"""Command palette (ctrl+p): every reader action by its name, and the reader's themes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ReaderCommands(Provider):
    """Offers the actions of the key table and ``Theme: NAME`` for each loaded theme."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        from newsreader.ui import KEY_ACTIONS

        app = self.app
        target = app.screen_stack[0]
        for key in KEY_ACTIONS:
            if key.id in ("cursor_down", "cursor_up", "focus_next", "focus_previous", "back"):
                continue
            yield key.description, f"key: {key.keys}", partial(target.run_action, key.action)
        for name in getattr(app, "reader_themes", []):
            yield f"Theme: {name}", "switch the colour theme", partial(setattr, app, "theme", name)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
