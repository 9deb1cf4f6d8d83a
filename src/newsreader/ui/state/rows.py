"""The sidebar's rows: groups, feeds and runs of headlines.

A feed's headlines are kept as one run (a range, or the list of indexes the unread-only view lets
through), never as a row object each, so 200,000 headlines cost a few hundred runs and
a row is made only when it is drawn or the cursor lands on it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import NamedTuple, overload

GROUP = 0
FEED = 1
HEADLINE = 2
MESSAGE = 3


SCROLL_MARGIN = 2  # rows kept in view above and below the cursor


def top_for_cursor(cursor: int, top: int, height: int, count: int) -> int:
    """The first row to show so the cursor is in view with a little context, scrolling
    as little as possible from ``top``; ``count`` rows in all, ``height`` on screen."""
    margin = min(SCROLL_MARGIN, max(0, (height - 1) // 2))
    target = top
    if cursor < top + margin:
        target = cursor - margin
    elif cursor >= top + height - margin:
        target = cursor - height + margin + 1
    return max(0, min(target, count - height))


class Row(NamedTuple):
    """One sidebar line. ``index`` is the headline's place in its feed; for a MESSAGE
    row ``group`` holds the text to show."""

    kind: int
    group: str
    feed: str
    # Shadows tuple.index on purpose: rows are read as row.index everywhere, never searched.
    index: int = -1  # type: ignore[assignment]


class _Run(NamedTuple):
    """Consecutive headline rows of one feed: ``indexes`` are their places in it."""

    group: str
    feed: str
    indexes: range | list[int]


class Rows(Sequence[Row]):
    """The rows in order, built once per rebuild with :meth:`add` and :meth:`add_run`."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._parts: list[Row | _Run] = []
        self._length = 0

    # -- building ----------------------------------------------------------------------

    def add(self, row: Row) -> None:
        """One group, feed or message row."""
        self._starts.append(self._length)
        self._parts.append(row)
        self._length += 1

    def add_run(self, group: str, feed: str, indexes: range | list[int]) -> None:
        """The headline rows of ``feed`` at ``indexes`` (nothing when empty)."""
        if not indexes:
            return
        self._starts.append(self._length)
        self._parts.append(_Run(group, feed, indexes))
        self._length += len(indexes)

    def truncate(self, length: int) -> None:
        """Drop every row from ``length`` on (a part added since that length)."""
        while self._parts and self._starts[-1] >= length:
            self._starts.pop()
            self._parts.pop()
        self._length = min(self._length, length)

    # -- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, at: int) -> Row: ...

    @overload
    def __getitem__(self, at: slice) -> list[Row]: ...

    def __getitem__(self, at: int | slice) -> Row | list[Row]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(self._length))]
        if at < 0:
            at += self._length
        if not 0 <= at < self._length:
            raise IndexError(at)
        part_at = bisect_right(self._starts, at) - 1
        part = self._parts[part_at]
        if isinstance(part, Row):
            return part
        return Row(HEADLINE, part.group, part.feed, part.indexes[at - self._starts[part_at]])

    def __iter__(self) -> Iterator[Row]:
        for part in self._parts:
            if isinstance(part, Row):
                yield part
            else:
                for index in part.indexes:
                    yield Row(HEADLINE, part.group, part.feed, index)

    def has_headlines(self) -> bool:
        return any(isinstance(part, _Run) for part in self._parts)

    def find(self, kind: int, name: str) -> int | None:
        """The row of the group or feed ``name``."""
        for start, part in zip(self._starts, self._parts, strict=True):
            if not isinstance(part, Row) or part.kind != kind:
                continue
            if (part.group if kind == GROUP else part.feed) == name:
                return start
        return None

    def first_headline(self, feed: str | None = None) -> int | None:
        """The first headline row (of ``feed`` when given)."""
        for start, part in zip(self._starts, self._parts, strict=True):
            if isinstance(part, _Run) and (feed is None or part.feed == feed):
                return start
        return None

    def row_of(self, feed: str, index: int) -> int | None:
        """The row showing headline ``index`` of ``feed``, if it is shown."""
        for start, part in zip(self._starts, self._parts, strict=True):
            if isinstance(part, Row) or part.feed != feed:
                continue
            indexes = part.indexes
            if isinstance(indexes, range):
                if index in indexes:
                    return start + index - indexes.start
            else:
                at = bisect_left(indexes, index)
                if at < len(indexes) and indexes[at] == index:
                    return start + at
        return None
