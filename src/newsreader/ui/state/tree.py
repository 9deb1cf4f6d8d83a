"""The sidebar's data: groups > feeds > headlines as flat rows, with folding, the
unread-only view and the text filter. Plain Python, so it is testable without a UI
and cheap with 50,000 headlines (rows are tuples, never objects per headline)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import groupby, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from newsreader.model import FeedStatus, Headline

GROUP = 0
FEED = 1
HEADLINE = 2
MESSAGE = 3
UNTITLED = "(untitled)"
FALLBACK_CELLS = 60


def untitled_label(summary: str | None, text: str | None) -> str:
    """What to call an article without a title: the first words of its summary or
    text (cut at a word where there are words), else ``(untitled)``."""
    from rich.cells import cell_len, set_cell_size

    for source in (summary, text):
        words = " ".join((source or "").split())
        if not words:
            continue
        if cell_len(words) <= FALLBACK_CELLS:
            return words
        cut = set_cell_size(words, FALLBACK_CELLS - 1)
        space = cut.rfind(" ")
        if space >= FALLBACK_CELLS // 3:
            cut = cut[:space]
        return cut.rstrip(" ,;:.-") + "…"
    return UNTITLED


class Row(NamedTuple):
    """One sidebar line. ``index`` is the headline's place in its feed; for a MESSAGE
    row ``group`` holds the text to show."""

    kind: int
    group: str
    feed: str
    # Shadows tuple.index on purpose: rows are read as row.index everywhere, never searched.
    index: int = -1  # type: ignore[assignment]


def _headline_rows(group: str, feed: str, indexes: Iterable[int]) -> Iterator[Row]:
    """Rows for many headlines at C speed (``Row(...)`` per item is twice as slow)."""
    return map(_new_tuple, repeat(Row), zip(repeat(HEADLINE), repeat(group), repeat(feed), indexes))


_new_tuple = tuple.__new__


class HeadlineTree:
    """Owns the headline lists and derives the visible rows from them."""

    def __init__(
        self,
        feeds: Sequence[tuple[str, str]],
        headlines: Iterable[Headline],
        statuses: Mapping[str, FeedStatus] | None = None,
    ) -> None:
        self.feed_group: dict[str, str] = {}
        self.group_feeds: dict[str, list[str]] = {}
        for name, group in feeds:
            self.feed_group[name] = group
            self.group_feeds.setdefault(group, []).append(name)
        self.by_feed: dict[str, list[Headline]] = {name: [] for name, _ in feeds}
        self.errors: dict[str, str] = {}
        self.statuses: dict[str, FeedStatus] = {}
        self.unread: dict[str, int] = {}
        # The view: read anywhere, changed only through set_view and set_folded.
        self._folded: set[tuple[int, str]] = set()
        self._unread_only = False
        self._filter = ""
        self._folded_titles: dict[str, list[str]] | None = None
        self._kept: set[int] = set()
        self._labels: dict[int, str] = {}
        # Reads an untitled article's label by its key (the screen reads the store).
        self.untitled: Callable[[int], str] = lambda key: UNTITLED
        self.rows: list[Row] = []
        self.load(headlines, statuses or {})

    # -- loading -----------------------------------------------------------------------

    def load(self, headlines: Iterable[Headline], statuses: Mapping[str, FeedStatus]) -> None:
        """Replace the headlines (after a refresh) keeping folding, filter and view."""
        by_feed: dict[str, list[Headline]] = {name: [] for name in self.feed_group}
        # The store hands headlines out grouped by feed: one slice per feed, no per-row work.
        for feed, run in groupby(headlines, key=itemgetter(1)):
            bucket = by_feed.get(feed)
            if bucket is not None:
                bucket.extend(run)
        self.by_feed = by_feed
        self.set_statuses(statuses)
        read = itemgetter(4)
        self.unread = {n: list(map(read, hs)).count(False) for n, hs in by_feed.items()}
        self._folded_titles = None
        self.rebuild()

    def load_feed(self, feed: str, headlines: Iterable[Headline]) -> None:
        """Replace one feed's headlines (it was just refreshed); call :meth:`rebuild` after."""
        if feed not in self.feed_group:
            return
        self.by_feed[feed] = list(headlines)
        self.unread[feed] = list(map(itemgetter(4), self.by_feed[feed])).count(False)
        if self._folded_titles is not None:
            self._folded_titles.pop(feed, None)

    def set_statuses(self, statuses: Mapping[str, FeedStatus]) -> None:
        """Fetch times and errors per feed, as the store has them."""
        self.statuses = dict(statuses)
        self.errors = {n: s.last_error for n, s in statuses.items() if s.last_error}

    def title_of(self, headline: Headline) -> str:
        """The headline's title, or a label made from its text when it has none."""
        title = headline.title
        if title and not title.isspace():
            return title
        label = self._labels.get(headline.key)
        if label is None:
            try:
                label = self.untitled(headline.key) or UNTITLED
            except Exception:
                label = UNTITLED
            self._labels[headline.key] = label
        return label

    # -- the view: read here, changed by the reader's state -----------------------------

    @property
    def folded(self) -> frozenset[tuple[int, str]]:
        """The folded (kind, name) rows, groups and feeds."""
        return frozenset(self._folded)

    @property
    def filter(self) -> str:
        """The text every shown headline's title contains; "" for all."""
        return self._filter

    @property
    def unread_only(self) -> bool:
        """Whether read headlines are hidden."""
        return self._unread_only

    def is_folded(self, kind: int, name: str) -> bool:
        return (kind, name) in self._folded

    def set_view(self, *, filter: str | None = None, unread_only: bool | None = None) -> None:
        """Change the filter or the unread-only view; call :meth:`rebuild` after."""
        if filter is not None:
            self._filter = filter
        if unread_only is not None:
            self._unread_only = unread_only

    def set_folded(self, kind: int, name: str, folded: bool) -> bool:
        """Fold or unfold one group or feed row; True when that changed anything
        (call :meth:`rebuild` after)."""
        mark = (kind, name)
        if (mark in self._folded) == folded:
            return False
        if folded:
            self._folded.add(mark)
        else:
            self._folded.discard(mark)
        return True

    @property
    def groups(self) -> list[str]:
        return list(self.group_feeds)

    @property
    def total(self) -> int:
        return sum(len(hs) for hs in self.by_feed.values())

    def group_unread(self, group: str) -> int:
        return sum(self.unread.get(f, 0) for f in self.group_feeds.get(group, ()))

    # -- rows --------------------------------------------------------------------------

    def _titles(self, feed: str) -> list[str]:
        if self._folded_titles is None:
            self._folded_titles = {}
        titles = self._folded_titles.get(feed)
        if titles is None:
            titles = [self.title_of(h).casefold() for h in self.by_feed[feed]]
            self._folded_titles[feed] = titles
        return titles

    def _visible_indexes(self, feed: str) -> Iterator[int]:
        """Indexes of the feed's headlines that the view and filter let through."""
        headlines = self.by_feed[feed]
        needle = self.filter.casefold()
        unread_only = self.unread_only
        kept = self._kept
        if not needle and not unread_only:
            yield from range(len(headlines))
            return
        titles = self._titles(feed) if needle else ()
        for i, h in enumerate(headlines):
            if needle and needle not in titles[i]:
                continue
            if unread_only and h.read and h.key not in kept:
                continue
            yield i

    def rebuild(self, keep: int | None = None) -> list[Row]:
        """Recompute the rows; ``keep`` (a headline key) stays visible in unread-only.

        The collector is paused while tens of thousands of rows are made (its passes
        were three quarters of the time), then one young pass untracks them at once.
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._rebuild(keep)
        finally:
            if enabled:
                gc.enable()
                gc.collect(0)

    def _rebuild(self, keep: int | None) -> list[Row]:
        self._kept = {keep} if keep is not None else set()
        rows: list[Row] = []
        append = rows.append
        filtering = bool(self.filter) or self.unread_only
        for group, feeds in self.group_feeds.items():
            group_row = len(rows)
            append(Row(GROUP, group, ""))
            group_folded = (GROUP, group) in self._folded
            shown = 0
            for feed in feeds:
                indexes = list(self._visible_indexes(feed)) if filtering else None
                if filtering and not indexes and (self.filter or feed not in self.errors):
                    continue
                shown += 1
                if group_folded:
                    continue
                append(Row(FEED, group, feed))
                if (FEED, feed) in self._folded:
                    continue
                if indexes is None:
                    rows.extend(_headline_rows(group, feed, range(len(self.by_feed[feed]))))
                else:
                    rows.extend(_headline_rows(group, feed, indexes))
            if filtering and not shown:
                del rows[group_row:]
        if not rows:
            append(Row(MESSAGE, self.empty_message(), ""))
        elif filtering and not any(r.kind == HEADLINE for r in rows):
            rows.insert(0, Row(MESSAGE, self.empty_message(), ""))
        self.rows = rows
        return rows

    def empty_message(self) -> str:
        if not self.feed_group:
            return "No feeds configured."
        if self.filter:
            return f"No headline matches “{self.filter}”."
        if self.unread_only:
            return "All read. Press u to show every headline."
        return "No headlines yet."

    # -- lookups -----------------------------------------------------------------------

    def headline(self, row: Row) -> Headline | None:
        if row.kind != HEADLINE:
            return None
        return self.by_feed[row.feed][row.index]

    def find_key(self, key: int) -> int | None:
        """The row showing the headline ``key``, if it is visible."""
        for i, row in enumerate(self.rows):
            if row.kind == HEADLINE and self.by_feed[row.feed][row.index].key == key:
                return i
        return None

    def first_headline(self, feed: str | None = None) -> int | None:
        """The first headline row (of ``feed`` when given)."""
        for i, row in enumerate(self.rows):
            if row.kind == HEADLINE and (feed is None or row.feed == feed):
                return i
        return None

    def find_row(self, kind: int, name: str) -> int | None:
        for i, row in enumerate(self.rows):
            if row.kind == kind and (row.group if kind == GROUP else row.feed) == name:
                return i
        return None

    def locate(self, key: int) -> tuple[str, int] | None:
        """(feed, index) of the headline ``key`` wherever it is, visible or not."""
        for feed, headlines in self.by_feed.items():
            for i, h in enumerate(headlines):
                if h.key == key:
                    return feed, i
        return None

    # -- changes -----------------------------------------------------------------------

    def set_read(self, feed: str, index: int, read: bool) -> bool:
        """Flip one headline's read flag; False when it already had that value."""
        h = self.by_feed[feed][index]
        if h.read == read:
            return False
        self.by_feed[feed][index] = h._replace(read=read)
        self.unread[feed] += -1 if read else 1
        return True

    def set_starred(self, feed: str, index: int, starred: bool) -> None:
        h = self.by_feed[feed][index]
        self.by_feed[feed][index] = h._replace(starred=starred)

    def mark_feed_read(self, feed: str) -> list[int]:
        """Mark every headline of ``feed`` read; returns the keys that changed."""
        changed = []
        headlines = self.by_feed[feed]
        for i, h in enumerate(headlines):
            if not h.read:
                headlines[i] = h._replace(read=True)
                changed.append(h.key)
        self.unread[feed] = 0
        return changed

    def unfold_for(self, feed: str) -> bool:
        """Unfold the feed and its group so its headlines show; True when anything changed."""
        before = len(self._folded)
        self._folded.discard((FEED, feed))
        self._folded.discard((GROUP, self.feed_group[feed]))
        return len(self._folded) != before

    # -- navigation --------------------------------------------------------------------

    def ordered(self) -> Iterator[tuple[str, int]]:
        """Every headline as (feed, index) in sidebar order, folded or not."""
        for feeds in self.group_feeds.values():
            for feed in feeds:
                for i in range(len(self.by_feed[feed])):
                    yield feed, i

    def next_unread(self, start: tuple[str, int] | None, step: int) -> tuple[str, int] | None:
        """The next (step 1) or previous (-1) unread headline after ``start``, wrapping
        around once; the text filter applies, folding does not. ``(feed, -1)`` starts
        just before the feed's first headline (the cursor is on the feed row)."""
        order = list(self.ordered())
        if not order:
            return None
        needle = self.filter.casefold()
        pos = -1 if step > 0 else len(order)
        if start is not None:
            feed, index = start
            probe = (feed, max(index, 0))
            if probe in order:
                pos = order.index(probe)
                if index < 0 and step > 0:
                    pos -= 1
        n = len(order)
        for k in range(1, n + 1):
            feed, i = order[(pos + step * k) % n]
            h = self.by_feed[feed][i]
            if h.read or (needle and needle not in self._titles(feed)[i]):
                continue
            return feed, i
        return None
