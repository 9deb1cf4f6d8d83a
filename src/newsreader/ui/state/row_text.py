"""What each sidebar row says, in cells: the fold mark, names, counts, the unread and
star marks, titles cut to fit and short dates. Plain text and part names, no styles,
so the Textual sidebar and the first frame drawn before Textual loads (see
:mod:`newsreader.ui.first_frame`) show exactly the same rows."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

from newsreader.text.dates import display_date
from newsreader.text.sanitise import for_terminal
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE, MESSAGE, Row

if TYPE_CHECKING:
    from newsreader.ui.state.tree import HeadlineTree

DATE_WIDTH = 6
UNREAD_MARK = "●"
STAR_MARK = "★"
ERROR_MARK = "!"
# The parts a row is made of; the sidebar styles each as its component "sidebar--<part>"
# ("" is the sidebar's own style).
PARTS = ("group", "feed", "error", "count", "unread", "read", "star", "date", "message")

Parts = list[tuple[str, str]]


def short_date(published: str | None, today: str) -> str:
    """At most six cells: ``14:05`` today, ``Mar 03`` this year, ``Mar'19`` before
    (:func:`newsreader.text.dates.display_date`, which every pane shares)."""
    if not published:
        return ""
    return _short_date(published, today)


# Rows are drawn again on every scroll; the same few dates are shown over and over.
_short_date = lru_cache(maxsize=4096)(display_date)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, then padded to exactly ``width``."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + "…", width)


def row_parts(tree: HeadlineTree, row: Row, width: int, today: str) -> Parts:
    """Row ``row`` of ``tree`` as (text, part) pairs, ``width`` cells at most; every
    text from a feed passed through the render guard."""
    if row.kind == HEADLINE:
        return _headline_parts(tree, row, width, today)
    if row.kind == MESSAGE:
        return [(fit(" " + for_terminal(row.group), width), "message")]
    if row.kind == GROUP:
        lead = " ▸ " if tree.is_folded(GROUP, row.group) else " ▾ "
        return _with_count(
            lead, for_terminal(row.group), "group", tree.group_unread(row.group), width
        )
    lead = "   ▸ " if tree.is_folded(FEED, row.feed) else "   ▾ "
    name = for_terminal(row.feed)
    unread = tree.feed_unread(row.feed)
    if row.feed in tree.errors:
        # Nothing stored and nothing to count: say plainly that the feed failed.
        label = None if tree.feed_total(row.feed) else "failed"
        return _with_count(lead + ERROR_MARK + " ", name, "error", unread, width, label=label)
    return _with_count(lead, name, "feed", unread, width)


def _with_count(
    lead: str, name: str, part: str, count: int, width: int, *, label: str | None = None
) -> Parts:
    number = label or (f"{count:,}" if count else "")
    right = f" {number} " if number else " "
    room = width - cell_len(lead) - cell_len(right)
    return [
        (lead[: max(0, width)], part),
        (fit(name, room), part),
        (right, part if label else "count"),
    ]


def _headline_parts(tree: HeadlineTree, row: Row, width: int, today: str) -> Parts:
    headline = tree.by_feed[row.feed][row.index]
    date_part = f" {short_date(headline.published, today):>{DATE_WIDTH}} "
    room = width - 8 - len(date_part)
    if room < 14:
        date_part = " "
        room = width - 9
    return [
        ("     ", ""),
        (" " if headline.read else UNREAD_MARK, "unread"),
        (STAR_MARK if headline.starred else " ", "star"),
        (" ", ""),
        (fit(for_terminal(tree.title_of(headline)), room), "read" if headline.read else "unread"),
        (date_part, "date"),
    ]
