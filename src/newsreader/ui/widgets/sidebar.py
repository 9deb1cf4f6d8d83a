"""The headline sidebar: groups > feeds > headlines drawn with the Line API.

Only the visible rows are drawn, from the rows of a :class:`HeadlineTree`, so 200,000
headlines cost a few runs, not 200,000 widgets. The reader state owns the tree and
the cursor; this widget only reads them, draws and reports clicks.

The sidebar scrolls itself (``top``, the first row shown) and draws its own scroll
thumb in the last column of each row: Textual's scrollbar is a widget of its own that
renders all its lines again on every scroll, a third of the frame when the cursor
walks down the list. Where the rows start is settled when a frame is drawn, with the
height of that frame, so even the very first one opens at the saved headline (as the
frame drawn before Textual, :mod:`newsreader.ui.first_frame`, does).
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from newsreader.ui.state.cursor import Cursor
from newsreader.ui.state.row_text import row_parts
from newsreader.ui.state.rows import Row, top_for_cursor
from newsreader.ui.state.tree import HeadlineTree

THUMB_WIDTH = 1
WHEEL_ROWS = 3
_STRIP_CACHE = 1024


class Sidebar(Widget, can_focus=True, inherit_bindings=False):
    """Draws the tree of a :class:`Cursor`; ``cursor`` is its highlighted row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sidebar--group",
        "sidebar--feed",
        "sidebar--error",
        "sidebar--unread",
        "sidebar--read",
        "sidebar--star",
        "sidebar--date",
        "sidebar--count",
        "sidebar--cursor",
        "sidebar--message",
        "sidebar--thumb",
    }

    class Clicked(Message):
        """A row was clicked; the screen decides what that means."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, state: Cursor, *, today: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state = state
        self.today = today
        self._styles: dict[str, Style] = {}
        # Drawn headline rows by what they show: scrolling redraws every row.
        self._strips: dict[tuple[object, ...], Strip] = {}
        self._dragging = False
        self._top = 0
        self._placed_for = 0  # the height ``_top`` was settled for

    # -- state from the screen ---------------------------------------------------------

    @property
    def model(self) -> HeadlineTree:
        """The tree drawn: the reader state's (it may replace it)."""
        return self._state.tree

    @property
    def cursor(self) -> int:
        """The highlighted row, as the reader state has it."""
        return self._state.cursor

    @property
    def top(self) -> int:
        """The first row on screen."""
        return self._top

    def rows_changed(self, at: int | None = None) -> None:
        """The tree's rows were rebuilt: scroll to the cursor (or first to row ``at``,
        where it was, when it has moved since), repaint."""
        if at is not None:
            self.scroll_to_cursor(max(0, min(at, len(self.model.rows) - 1)))
        self.scroll_to_cursor()
        self.refresh()

    def cursor_moved(self, old: int) -> None:
        """The cursor left row ``old``: repaint only the two rows that change."""
        if not self.scroll_to_cursor():
            self.refresh_row(old)
            self.refresh_row(self.cursor)

    def refresh_row(self, row: int) -> None:
        y = row - self._top
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def scroll_to_cursor(self, row: int | None = None) -> bool:
        """Scroll so the cursor (or ``row``) is visible with a few rows of context;
        True if it scrolled. Before the first frame there is no height yet: the
        frame settles it (see :meth:`render_line`)."""
        height = self.size.height
        if height <= 0:
            return False
        cursor = self.cursor if row is None else row
        return self._show_from(top_for_cursor(cursor, self._top, height, len(self.model.rows)))

    def _show_from(self, top: int) -> bool:
        top = max(0, min(top, len(self.model.rows) - self.size.height))
        if top == self._top:
            return False
        self._top = top
        self.refresh()
        return True

    # -- events ------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_cursor()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._show_from(self._top + WHEEL_ROWS)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._show_from(self._top - WHEEL_ROWS)
        event.stop()

    def on_click(self, event: events.Click) -> None:
        if self._on_thumb_column(event.x):
            return
        row = event.y + self._top
        if 0 <= row < len(self.model.rows):
            self.post_message(self.Clicked(row))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """The thumb's column scrolls like a scrollbar: press and drag."""
        if self._on_thumb_column(event.x) and self._scrolls():
            self._dragging = True
            self.capture_mouse()
            self._drag_to(event.y)
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self._drag_to(event.y)
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            event.stop()

    def _on_thumb_column(self, x: int) -> bool:
        return x >= self.size.width - THUMB_WIDTH

    def _scrolls(self) -> bool:
        return len(self.model.rows) > self.size.height

    def _drag_to(self, y: int) -> None:
        height = self.size.height
        hidden = len(self.model.rows) - height
        if height > 1 and hidden > 0:
            self._show_from(round(max(0.0, min(1.0, y / (height - 1))) * hidden))

    def on_focus(self) -> None:
        self._forget_styles()
        self.refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._forget_styles()
        self.refresh_row(self.cursor)

    def notify_style_update(self) -> None:
        """The theme or focus changed: the cached styles are stale."""
        self._forget_styles()
        super().notify_style_update()

    def _forget_styles(self) -> None:
        self._styles.clear()
        self._strips.clear()

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        size = self.size
        rows = self.model.rows
        if size.height != self._placed_for:
            # The first frame at this height: settle where the rows start.
            self._placed_for = size.height
            self._top = top_for_cursor(self.cursor, self._top, size.height, len(rows))
        top = self._top
        index = y + top
        width = size.width - THUMB_WIDTH
        base = self._styles.get("")
        if base is None:
            base = self._styles[""] = self.rich_style
        thumb = _in_thumb(y, top, size.height, len(rows))
        thumb_style = self._style("thumb", base) if thumb else base
        if width <= 0:
            return Strip.blank(size.width, base)
        if index >= len(rows):
            return Strip([Segment(" " * width, base), Segment(" ", thumb_style)], width + 1)
        row = rows[index]
        on_cursor = index == self.cursor
        headline = self.model.headline(row)
        title = self.model.title_of(headline) if headline is not None else None
        mark = (headline, title, on_cursor, thumb, width, self.today)
        if headline is not None and (strip := self._strips.get(mark)) is not None:
            return strip
        segments = self._row_segments(row, width, base)
        if on_cursor:
            cursor = self.get_component_rich_style("sidebar--cursor", partial=True)
            segments = [Segment(t, (s or base) + cursor) for t, s, _ in segments]
            base = base + cursor
        strip = Strip(segments).adjust_cell_length(width, base)
        strip = Strip([*strip, Segment(" ", thumb_style)], width + 1)
        if headline is not None:
            if len(self._strips) >= _STRIP_CACHE:
                self._strips.clear()
            self._strips[mark] = strip
        return strip

    def _style(self, part: str, base: Style) -> Style:
        """The style of a row part (:data:`~newsreader.ui.state.row_text.PARTS`)."""
        style = self._styles.get(part)
        if style is None:
            # Not partial: colours such as "$text" or "60%" resolve against the background.
            style = base + self.get_component_rich_style(f"sidebar--{part}") if part else base
            self._styles[part] = style
        return style

    def _row_segments(self, row: Row, width: int, base: Style) -> list[Segment]:
        parts = row_parts(self.model, row, width, self.today)
        return [Segment(text, self._style(part, base)) for text, part in parts]


def _in_thumb(y: int, top: int, height: int, rows: int) -> bool:
    """Whether screen row ``y`` is part of the scroll thumb (none when all rows fit)."""
    if rows <= height or height <= 0:
        return False
    size = max(1, round(height * height / rows))
    start = round((height - size) * top / (rows - height))
    return start <= y < start + size
