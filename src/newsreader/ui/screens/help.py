"""``?``: every key of the reader with what it does, read from the live bindings so a
key rebound in feeds.yaml shows as the user set it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from newsreader.text.sanitise import for_terminal

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


def key_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
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
    from newsreader.keymap import KEY_ACTIONS

    rank = {k.id: i for i, k in enumerate(KEY_ACTIONS)}
    order.sort(key=lambda ident: rank.get(ident, len(rank)))
    rows = [(" / ".join(keys_by_id[i]), described[i], i) for i in order]
    rows.append((screen.app.get_key_display(Binding("ctrl+p", "")), "Command palette", ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys over the reader; any of Escape, q or ? closes it."""

    # Binding rather than Textual's wider BindingType: the key list reads each one's keys.
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape,q,question_mark", "dismiss", "Close", id="help_close"),
    ]

    def __init__(self, main: Screen[Any]) -> None:
        super().__init__(id="help")
        self._rows = key_rows(main)

    def compose(self) -> ComposeResult:
        # A grid, not padded lines: on a narrow terminal the descriptions wrap and
        # the ids (what feeds.yaml needs) stay whole.
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", no_wrap=True, style="bold")
        table.add_column(overflow="fold")
        table.add_column(no_wrap=True, style="dim")
        for keys, description, ident in self._rows:
            # Keys and ids come from feeds.yaml: plain Text, guarded like all drawn data.
            table.add_row(*(Text(for_terminal(part)) for part in (keys, description, ident)))
        natural = sum(max(cell_len(r[i]) for r in self._rows) for i in range(3)) + 4
        body = VerticalScroll(Static(table, id="help-keys"), id="help-body")
        body.styles.width = natural + 6  # padding and border; max-width caps it
        body.border_title = "Keys"
        body.border_subtitle = "rebind in feeds.yaml  keys: {id: key}"
        yield body

    # Textual's own is a coroutine that takes a result; this screen closes with none.
    def action_dismiss(self, result: object = None) -> None:  # type: ignore[override]
        self.dismiss(None)
