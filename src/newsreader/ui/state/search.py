"""A search's results as a headline tree: the feeds that have hits, in their groups,
each with only its hits, read a page at a time like any feed.

The store keeps the hits of its last search (``Store.search``); :class:`SearchHits`
reads them through the same protocol the tree reads a feed's headlines with, so the
sidebar, the cursor, ``n``/``p`` and the marks work on results as they do on feeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from newsreader.ui.state.tree import HeadlineTree

if TYPE_CHECKING:
    from newsreader.model import Headline


class HitStore(Protocol):
    """What the store gives of its last search's hits (:mod:`newsreader.store.search`)."""

    def hit_page(self, feed: str, offset: int, limit: int) -> list[Headline]: ...
    def hit_flags(self, feed: str) -> bytes: ...
    def hit_place(self, key: int) -> tuple[str, int] | None: ...


class SearchHits:
    """The hits of one search as a :class:`~.headlines.HeadlineSource`."""

    def __init__(self, store: HitStore, counts: Mapping[str, tuple[int, int]]) -> None:
        self._store = store
        self.counts = dict(counts)

    @property
    def total(self) -> int:
        return sum(n for n, _ in self.counts.values())

    def headline_count(self, feed: str) -> tuple[int, int]:
        return self.counts.get(feed, (0, 0))

    def headline_page(self, feed: str, offset: int, limit: int) -> list[Headline]:
        return self._store.hit_page(feed, offset, limit)

    def headline_flags(self, feed: str) -> bytes:
        return self._store.hit_flags(feed)

    def headline_place(self, key: int) -> tuple[str, int] | None:
        return self._store.hit_place(key)


def results_tree(feeds: Sequence[tuple[str, str]], hits: SearchHits) -> HeadlineTree:
    """The tree of the feeds (name, group) that have hits, in their order."""
    shown = [(name, group) for name, group in feeds if hits.counts.get(name, (0, 0))[0]]
    return HeadlineTree(shown, hits)
