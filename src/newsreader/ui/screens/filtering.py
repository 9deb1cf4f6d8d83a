"""The headline filter: ``/`` opens it, each keystroke narrows the headlines through
the reader state, Escape or an empty Enter closes it and shows them all again."""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.widgets import Input

from newsreader.ui.screens.refreshing import RefreshingScreen


class FilteringScreen(RefreshingScreen):
    """A reader screen with the filter input above its sidebar."""

    def action_filter(self) -> None:
        filter_input = self._filter_input()
        if filter_input.has_focus:
            raise SkipAction()  # a slash typed into the filter is text
        filter_input.display = True
        # Focus now, not on the next message: keys already queued belong to the filter.
        self.set_focus(filter_input)

    def _filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def _close_filter(self) -> None:
        filter_input = self._filter_input()
        filter_input.display = False
        if filter_input.value:
            filter_input.value = ""
        self._apply(self.state.clear_filter())
        self.query_one("#sidebar").focus()

    def on_input_changed(self, event: Any) -> None:
        if getattr(event.input, "id", None) != "filter":
            return
        self._apply(self.state.set_filter(event.value.strip()))

    def on_input_submitted(self, event: Any) -> None:
        if getattr(event.input, "id", None) != "filter":
            return
        if not event.value.strip():
            self._close_filter()
        else:
            self.query_one("#sidebar").focus()


def hidden_filter() -> Input:
    """The headline filter, built hidden so ``/`` can focus it at once."""
    filter_input = Input(
        placeholder="Filter headlines…", id="filter", compact=True, select_on_focus=False
    )
    filter_input.display = False
    return filter_input
