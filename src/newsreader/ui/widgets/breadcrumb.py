"""The breadcrumb bar: group > feed > the document's own sections > title.

It shortens from the middle (``…``) so it never wraps or overflows, and a click on
the group or feed crumb asks the screen to go there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from newsreader.text.sanitise import for_terminal

SEPARATOR = " › "
ELLIPSIS = "…"


class Crumb(NamedTuple):
    """One part of the path; ``kind`` is ``group``, ``feed``, ``section`` or ``title``."""

    text: str
    kind: str


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def _size(parts: Sequence[Crumb]) -> int:
    return sum(cell_len(c.text) for c in parts) + cell_len(SEPARATOR) * max(0, len(parts) - 1)


def shorten(crumbs: Sequence[Crumb], width: int, *, min_title: int = 16) -> list[Crumb]:
    """Fit ``crumbs`` into ``width`` cells, never more.

    Section crumbs go first (from the middle, leaving one ``…``), then the title is
    cut down to ``min_title`` cells, then the feed joins the ``…``; last of all the
    group and the title are cut to whatever room is left.
    """
    parts = list(crumbs)
    if _size(parts) <= width or not parts:
        return parts
    gap = Crumb(ELLIPSIS, "gap")
    sections = [c for c in parts if c.kind == "section"]
    head = [c for c in parts if c.kind in ("group", "feed")]
    tail = [c for c in parts if c.kind == "title"]
    dropped = False
    while sections and _size([*head, gap, *sections, *tail]) > width:
        sections.pop(len(sections) // 2)
        dropped = True
    middle = [gap] if dropped and not sections else sections
    if dropped and sections:
        middle = [*sections[:1], gap, *sections[1:]]
    parts = [*head, *middle, *tail]
    if _size(parts) > width and tail:
        room = width - _size([*head, *middle]) - cell_len(SEPARATOR)
        parts[-1] = Crumb(_cut(tail[0].text, max(room, min(min_title, cell_len(tail[0].text)))),
                          "title")  # fmt: skip
    if _size(parts) > width and len(head) == 2:
        parts = [head[0], gap, *tail]
    if _size(parts) > width and tail:
        room = width - _size(parts[:-1]) - cell_len(SEPARATOR)
        if room >= min(min_title, 8):
            parts[-1] = Crumb(_cut(tail[0].text, room), "title")
    if _size(parts) > width and len(parts) > 1:
        room = width - _size(parts[1:]) - cell_len(SEPARATOR)
        if room >= 4:
            parts[0] = Crumb(_cut(parts[0].text, room), parts[0].kind)
        else:
            parts = parts[1:]
    while len(parts) > 1 and _size(parts) > width:
        parts = parts[1:]
    if parts and _size(parts) > width:
        parts[-1] = Crumb(_cut(parts[-1].text, width), parts[-1].kind)
    return parts


class Breadcrumb(Widget):
    """Where the reader is. The screen sets ``crumbs``; clicks go up as :class:`Selected`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "breadcrumb--group",
        "breadcrumb--feed",
        "breadcrumb--section",
        "breadcrumb--title",
        "breadcrumb--separator",
    }

    class Selected(Message):
        """The group or feed crumb was clicked."""

        def __init__(self, kind: str, name: str) -> None:
            super().__init__()
            self.kind = kind
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._crumbs: list[Crumb] = []
        self._targets: dict[str, str] = {}
        self._spans: list[tuple[int, int, Crumb]] = []

    @property
    def crumbs(self) -> list[Crumb]:
        return list(self._crumbs)

    def set_path(
        self,
        group: str | None,
        feed: str | None = None,
        sections: Sequence[str] = (),
        title: str | None = None,
    ) -> None:
        """Show a new path; repaints without a layout pass (the bar's size never changes)."""
        crumbs = []
        if group:
            crumbs.append(Crumb(group, "group"))
        if feed:
            crumbs.append(Crumb(feed, "feed"))
        crumbs.extend(Crumb(s, "section") for s in sections if s)
        if title:
            crumbs.append(Crumb(title, "title"))
        self._targets = {"group": group or "", "feed": feed or ""}
        if crumbs != self._crumbs:
            self._crumbs = crumbs
            self.refresh(layout=False)

    def render(self) -> Text:
        width = max(0, self.size.width - 2)
        # The render guard, then one line of single spaces, before anything is measured.
        crumbs = [Crumb(" ".join(for_terminal(c.text).split()), c.kind) for c in self._crumbs]
        parts = shorten(crumbs, width)
        text = Text(no_wrap=True, overflow="crop", end="")
        text.append(" ")
        separator = self.get_component_rich_style("breadcrumb--separator")
        spans = []
        for i, crumb in enumerate(parts):
            if i:
                text.append(SEPARATOR, separator)
            start = text.cell_len
            style_name = "section" if crumb.kind == "gap" else crumb.kind
            text.append(crumb.text, self.get_component_rich_style(f"breadcrumb--{style_name}"))
            spans.append((start, text.cell_len, crumb))
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, crumb in self._spans:
            if start <= event.x < end and crumb.kind in ("group", "feed"):
                self.post_message(self.Selected(crumb.kind, self._targets[crumb.kind]))
                return
