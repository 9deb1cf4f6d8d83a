"""The sidebar's data: groups > feeds > headlines as rows, with folding and the
unread-only view. Plain Python, so it is testable without a UI.

Headlines are counted when the tree is made and read a page at a time as rows are
drawn (:mod:`.headlines`); rows are runs per feed (:mod:`.rows`). A tree over
200,000 stored headlines costs what its first screen shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from newsreader.ui.state.headlines import (
    FeedHeadlines,
    HeadlineSource,
    ListsSearches,
    PageCache,
    headlines_of,
)
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE, MESSAGE, Row, Rows

if TYPE_CHECKING:
    from newsreader.model import FeedStatus, Headline

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


class HeadlineTree:
    """Owns the feeds' headlines and derives the visible rows from them."""

    def __init__(
        self,
        feeds: Sequence[tuple[str, str]],
        source: HeadlineSource,
        statuses: Mapping[str, FeedStatus] | None = None,
    ) -> None:
        self.feed_group: dict[str, str] = {}
        self.group_feeds: dict[str, list[str]] = {}
        for name, group in feeds:
            self.feed_group[name] = group
            self.group_feeds.setdefault(group, []).append(name)
        self.source = source
        self._cache = PageCache()
        self.by_feed: dict[str, FeedHeadlines] = {}
        self.errors: dict[str, str] = {}
        self.statuses: dict[str, FeedStatus] = {}
        # The view: read anywhere, changed only through set_view and set_folded.
        self._folded: set[tuple[int, str]] = set()
        self._unread_only = False
        self._labels: dict[int, str] = {}
        # What an empty tree says instead of the usual messages (a search's results).
        self.nothing: str | None = None
        # Reads an untitled article's label by its key (the screen reads the store).
        self.untitled: Callable[[int], str] = lambda key: UNTITLED
        self.rows: Rows = Rows()
        self.load(statuses or {})

    # -- loading -----------------------------------------------------------------------

    def load(self, statuses: Mapping[str, FeedStatus]) -> None:
        """Count every feed's headlines again (the statuses carry the counts),
        keeping folding and view."""
        for headlines in self.by_feed.values():
            headlines.forget()
        counts = {
            name: (status.total, status.unread)
            if (status := statuses.get(name))
            else self.source.headline_count(name)
            for name in self.feed_group
        }
        self.by_feed = headlines_of(self.source, self._cache, counts)
        self.set_statuses(statuses)
        self.rebuild()

    def load_feed(self, feed: str) -> None:
        """Count one feed's headlines again (it was just refreshed); call
        :meth:`rebuild` after."""
        old = self.by_feed.get(feed)
        if old is None:
            return
        old.forget()
        counted = self.source.headline_count(feed)
        self.by_feed[feed] = FeedHeadlines(feed, self.source, self._cache, *counted)

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
    def unread_only(self) -> bool:
        """Whether read headlines are hidden."""
        return self._unread_only

    def is_folded(self, kind: int, name: str) -> bool:
        return (kind, name) in self._folded

    def set_view(self, *, unread_only: bool) -> None:
        """Change the unread-only view; call :meth:`rebuild` after."""
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
    def unread(self) -> dict[str, int]:
        """Unread headlines per feed."""
        return {name: headlines.unread for name, headlines in self.by_feed.items()}

    @property
    def total(self) -> int:
        return sum(len(hs) for hs in self.by_feed.values())

    def feed_total(self, feed: str) -> int:
        headlines = self.by_feed.get(feed)
        return len(headlines) if headlines is not None else 0

    def feed_unread(self, feed: str) -> int:
        headlines = self.by_feed.get(feed)
        return headlines.unread if headlines is not None else 0

    def group_unread(self, group: str) -> int:
        """The unread articles of the group's feeds; its query feeds list articles of
        feeds counted already, so they count only in a group of query feeds alone."""
        feeds = self.group_feeds.get(group, [])
        real = [f for f in feeds if not self.is_query_feed(f)]
        return sum(self.feed_unread(f) for f in (real or feeds))

    # -- rows --------------------------------------------------------------------------

    def _visible_indexes(self, feed: str, kept: int | None) -> range | list[int]:
        """Places of the feed's headlines that the view lets through; the place
        ``kept`` stays in unread-only."""
        headlines = self.by_feed[feed]
        if not self.unread_only:
            return range(len(headlines))
        flags = headlines.read_flags()
        return [i for i, read in enumerate(flags) if not read or i == kept]

    def rebuild(self, keep: int | None = None) -> Rows:
        """Recompute the rows; ``keep`` (a headline key) stays visible in unread-only."""
        rows = Rows()
        filtering = self.unread_only
        kept = self.locate(keep) if keep is not None and self.unread_only else None
        for group, feeds in self.group_feeds.items():
            group_row = len(rows)
            rows.add(Row(GROUP, group, ""))
            group_folded = (GROUP, group) in self._folded
            shown = 0
            for feed in feeds:
                indexes = self._visible_indexes(feed, kept[1] if kept and kept[0] == feed else None)
                if filtering and not indexes and feed not in self.errors:
                    continue
                shown += 1
                if group_folded:
                    continue
                rows.add(Row(FEED, group, feed))
                if (FEED, feed) not in self._folded:
                    rows.add_run(group, feed, indexes)
            if filtering and not shown:
                rows.truncate(group_row)
        if not len(rows):
            rows.add(Row(MESSAGE, self.empty_message(), ""))
        elif filtering and not rows.has_headlines():
            message = Rows()
            message.add(Row(MESSAGE, self.empty_message(), ""))
            for row in rows:
                message.add(row)
            rows = message
        self.rows = rows
        return rows

    def empty_message(self) -> str:
        if self.nothing is not None:
            return self.nothing
        if not self.feed_group:
            return "No feeds configured."
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
        where = self.locate(key)
        return self.rows.row_of(*where) if where is not None else None

    def first_headline(self, feed: str | None = None) -> int | None:
        """The first headline row (of ``feed`` when given)."""
        return self.rows.first_headline(feed)

    def find_row(self, kind: int, name: str) -> int | None:
        return self.rows.find(kind, name)

    def locate(self, key: int) -> tuple[str, int] | None:
        """(feed, index) of the headline ``key`` wherever it is, visible or not."""
        place = self.source.headline_place(key)
        if place is None:
            return None
        feed, index = place
        headlines = self.by_feed.get(feed)
        if headlines is None or index >= len(headlines):
            return None
        return feed, index

    def is_query_feed(self, feed: str) -> bool:
        """Whether ``feed`` is a saved search's matches rather than a feed."""
        return isinstance(self.source, ListsSearches) and self.source.is_search(feed)

    def places_of(self, key: int) -> list[tuple[str, int]]:
        """Every (feed, index) where the story of article ``key`` is listed in this
        tree: the article's own feed, its copies' feeds, and each query feed that
        lists one of them."""
        source = self.source
        keys = [key]
        if isinstance(source, ListsSearches):
            keys += source.story_copies(key)
        places = []
        for each in keys:
            own = self.locate(each)
            if own is not None:
                places.append(own)
            if isinstance(source, ListsSearches):
                places += [p for p in source.search_places(each) if p[0] in self.by_feed]
        return places

    # -- changes -----------------------------------------------------------------------

    def set_read(self, feed: str, index: int, read: bool) -> bool:
        """Flip one headline's read flag; False when it already had that value."""
        return self.by_feed[feed].set_read(index, read)

    def set_starred(self, feed: str, index: int, starred: bool) -> None:
        self.by_feed[feed].set_starred(index, starred)

    def mark_feed_read(self, feed: str) -> int:
        """Mark every headline of ``feed`` read; returns how many were unread."""
        return self.by_feed[feed].mark_all_read()

    def unfold_for(self, feed: str) -> bool:
        """Unfold the feed and its group so its headlines show; True when anything changed."""
        before = len(self._folded)
        self._folded.discard((FEED, feed))
        self._folded.discard((GROUP, self.feed_group[feed]))
        return len(self._folded) != before

    # -- navigation --------------------------------------------------------------------

    def _feeds(self) -> list[str]:
        return [feed for feeds in self.group_feeds.values() for feed in feeds]

    def next_unread(self, start: tuple[str, int] | None, step: int) -> tuple[str, int] | None:
        """The next (step 1) or previous (-1) unread headline after ``start``, wrapping
        around once; folding does not count. ``(feed, -1)`` starts
        just before the feed's first headline (the cursor is on the feed row)."""
        order = self._feeds()
        if not any(self.by_feed[f].unread for f in order):
            return None
        if start is None or start[0] not in self.by_feed:
            start_feed = order[0] if step > 0 else order[-1]
            index = -1 if step > 0 else len(self.by_feed[start_feed])
        else:
            start_feed, index = start
            if index < 0 and step < 0:
                index = 0
        at = order.index(start_feed)
        for k in range(len(order) + 1):
            feed = order[(at + step * k) % len(order)]
            size = len(self.by_feed[feed])
            if not self.by_feed[feed].unread:
                continue
            first, end = (0, size) if step > 0 else (size - 1, -1)
            if k == 0:
                first = index + step  # after the start
            elif k == len(order):
                end = index + step  # around once, the start included
            found = self._unread_in(feed, range(first, end, step))
            if found is not None:
                return feed, found
        return None

    def _unread_in(self, feed: str, places: range) -> int | None:
        """The first of ``places`` whose headline is unread."""
        flags = self.by_feed[feed].read_flags()
        # bytearray's own search: a feed of 200,000 in a millisecond
        low, high = (
            (places.start, places.stop) if places.step > 0 else (places.stop + 1, places.start + 1)
        )
        low, high = max(low, 0), min(high, len(flags))
        if low >= high:
            return None
        found = flags.find(0, low, high) if places.step > 0 else flags.rfind(0, low, high)
        return found if found >= 0 else None
