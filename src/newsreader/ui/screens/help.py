"""``?``: every key of the reader with what it does, read from the live bindings so a
key rebound in feeds.yaml shows as the user set it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


def key_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) per binding of ``screen``, keymap applied."""
    bindings = screen._bindings.copy()
    keymap = screen.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    keys_by_id: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    order: list[str] = []
    for key, key_bindings in bindings.key_to_bindings.items():
        for binding in key_bindings:
            if not binding.id:
                continue
            ident = binding.id
            if ident not in keys_by_id:
                keys_by_id[ident] = []
                order.append(ident)
            display = screen.app.get_key_display(Binding(key, binding.action))
            if display not in keys_by_id[ident]:
                keys_by_id[ident].append(display)
            described[ident] = binding.tooltip or binding.description
    from newsreader.ui import KEY_ACTIONS

    rank = {k.id: i for i, k in enumerate(KEY_ACTIONS)}
    order.sort(key=lambda ident: rank.get(ident, len(rank)))
    rows = [(" / ".join(keys_by_id[i]), described[i], i) for i in order]
    rows.append((screen.app.get_key_display(Binding("ctrl+p", "")), "Command palette", ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys over the reader; any of Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape,q,question_mark", "dismiss", "Close", id="help_close"),
    ]

    def __init__(self, main: Screen[object]) -> None:
        super().__init__(id="help")
        self._rows = key_rows(main)

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _, _ in self._rows) + 1
        said = max(len(d) for _, d, _ in self._rows) + 2
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for i, (keys, description, ident) in enumerate(self._rows):
            if i:
                text.append("\n")
            text.append(f"{keys:>{width}}", "bold")
            text.append("  ")
            text.append(f"{description:<{said}}")
            text.append(ident, "dim")
        body = VerticalScroll(Static(text, id="help-keys"), id="help-body")
        body.border_title = "Keys"
        body.border_subtitle = "rebind in feeds.yaml  keys: {id: key}"
        yield body

    def action_dismiss(self, result: object = None) -> None:  # type: ignore[override]
        self.dismiss(None)
