"""One feed's headlines as the sidebar reads them: counted up front, read a page at a
time as rows are drawn, and kept in a small cache shared by every feed, so the
reader's memory and start-up do not grow with the store.

The read and star marks made in this session are kept here too, by place in the
feed: the writer saves them a moment later, and a page read from the store before
that must not show the old flags.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol, overload, runtime_checkable

from newsreader.model import Headline

PAGE = 128
CACHED_PAGES = 256  # 32,768 headlines at most, in every feed together
_owners = itertools.count()


class HeadlineSource(Protocol):
    """Where headlines are read from: the store (:mod:`newsreader.store.headlines`)."""

    def headline_count(self, feed: str) -> tuple[int, int]: ...
    def headline_page(self, feed: str, offset: int, limit: int) -> list[Headline]: ...
    def headline_flags(self, feed: str) -> bytes: ...
    def headline_place(self, key: int) -> tuple[str, int] | None: ...


@runtime_checkable
class ListsSearches(Protocol):
    """A source that also lists query feeds (where an article is listed in them) and
    knows the copies of a story in other feeds."""

    def search_places(self, key: int) -> list[tuple[str, int]]: ...
    def is_search(self, feed: str) -> bool: ...
    def story_copies(self, key: int) -> list[int]: ...


class PageCache:
    """The pages read last, in every feed: the least recently used go first."""

    def __init__(self, pages: int = CACHED_PAGES) -> None:
        self._pages: OrderedDict[tuple[int, int], list[Headline]] = OrderedDict()
        self._limit = pages

    def get(self, owner: int, page: int) -> list[Headline] | None:
        found = self._pages.get((owner, page))
        if found is not None:
            self._pages.move_to_end((owner, page))
        return found

    def put(self, owner: int, page: int, headlines: list[Headline]) -> None:
        self._pages[(owner, page)] = headlines
        while len(self._pages) > self._limit:
            self._pages.popitem(last=False)

    def drop(self, owner: int) -> None:
        for mark in [m for m in self._pages if m[0] == owner]:
            del self._pages[mark]


class FeedHeadlines(Sequence[Headline]):
    """The headlines of one feed in headline order, as many as the store counted."""

    def __init__(
        self, feed: str, source: HeadlineSource, cache: PageCache, total: int, unread: int
    ) -> None:
        self.feed = feed
        self.unread = unread
        self._source = source
        self._cache = cache
        self._total = total
        self._all_read = False
        # Marks of this session by place: (read, starred) or None where unchanged.
        self._marks: dict[int, tuple[bool | None, bool | None]] = {}
        self._flags: bytearray | None = None
        self._owner = next(_owners)

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, at: int) -> Headline: ...

    @overload
    def __getitem__(self, at: slice) -> list[Headline]: ...

    def __getitem__(self, at: int | slice) -> Headline | list[Headline]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(self._total))]
        if at < 0:
            at += self._total
        if not 0 <= at < self._total:
            raise IndexError(at)
        page = self._page(at // PAGE)
        offset = at % PAGE
        if offset < len(page):
            return self._marked(at, page[offset])
        # The store holds fewer than it counted (another process trimmed the feed).
        return self._marked(at, Headline(-1, self.feed, "", None, True, False))

    def __iter__(self) -> Iterator[Headline]:
        for at in range(self._total):
            yield self[at]

    def _page(self, number: int) -> list[Headline]:
        page = self._cache.get(self._owner, number)
        if page is None:
            page = self._source.headline_page(self.feed, number * PAGE, PAGE)
            self._cache.put(self._owner, number, page)
        return page

    def _marked(self, at: int, headline: Headline) -> Headline:
        read, starred = self._marks.get(at, (None, None))
        if read is None and self._all_read:
            read = True
        if read is not None and read != headline.read:
            headline = headline._replace(read=read)
        if starred is not None and starred != headline.starred:
            headline = headline._replace(starred=starred)
        return headline

    # -- what unread-only and next-unread need, read on first use --------------------

    def read_flags(self) -> bytearray:
        """Each headline's read flag (1 read) with this session's marks."""
        if self._flags is None:
            stored = self._source.headline_flags(self.feed)[: self._total]
            missing = self._total - len(stored)
            flags = bytearray(
                b"\x01" * self._total if self._all_read else stored + b"\x01" * missing
            )
            for at, (read, _) in self._marks.items():
                if read is not None:
                    flags[at] = read
            self._flags = flags
        return self._flags

    # -- marks -------------------------------------------------------------------------

    def set_read(self, at: int, read: bool) -> bool:
        """Mark headline ``at`` read or unread; False when it already was."""
        if self[at].read == read:
            return False
        self._marks[at] = (read, self._marks.get(at, (None, None))[1])
        if self._flags is not None:
            self._flags[at] = read
        self.unread += -1 if read else 1
        return True

    def set_starred(self, at: int, starred: bool) -> None:
        self._marks[at] = (self._marks.get(at, (None, None))[0], starred)

    def mark_all_read(self) -> int:
        """Every headline read; how many were unread."""
        changed = self.unread
        self._all_read = True
        self._marks = {at: (None, starred) for at, (_, starred) in self._marks.items()}
        if self._flags is not None:
            self._flags[:] = b"\x01" * self._total
        self.unread = 0
        return changed

    def forget(self) -> None:
        """Leave the cache (the feed was read again)."""
        self._cache.drop(self._owner)


def headlines_of(
    source: HeadlineSource, cache: PageCache, counts: Mapping[str, tuple[int, int]]
) -> dict[str, FeedHeadlines]:
    """Each feed's headlines, as many as ``counts`` says: (stored, unread) by name."""
    return {name: FeedHeadlines(name, source, cache, *count) for name, count in counts.items()}
