"""Searches as headlines: the ``/`` search's results as a tree of the feeds that have
hits, and the query feeds of feeds.yaml as feeds among the others.

The store keeps the hits of its last search (``Store.search``) and each saved search's
matches (``Store.list_matches``). :class:`SearchHits` and :class:`FeedsAndSearches`
read them through the protocol the tree reads a feed's headlines with, so the
sidebar, the cursor, ``n``/``p`` and the marks work on them as they do on feeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from newsreader.ui.state.headlines import HeadlineSource
from newsreader.ui.state.tree import HeadlineTree

if TYPE_CHECKING:
    from newsreader.config import Config
    from newsreader.model import FeedStatus, Headline
    from newsreader.query.compile import Compiled


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


class ListedStore(HeadlineSource, Protocol):
    """The store's feeds, and the matches of its saved searches (:mod:`newsreader.store.saved`)."""

    def listed_count(self, search: int) -> tuple[int, int]: ...
    def listed_page(self, search: int, name: str, offset: int, limit: int) -> list[Headline]: ...
    def listed_flags(self, search: int) -> bytes: ...
    def listed_place(self, search: int, key: int) -> int | None: ...
    def story_copies(self, key: int) -> list[int]: ...


class FeedsAndSearches:
    """The feeds' headlines, and each query feed's matches under the query feed's name
    (a :class:`~.headlines.HeadlineSource`); ``searches`` maps those names to the
    store's lists."""

    def __init__(self, store: ListedStore, searches: Mapping[str, int]) -> None:
        self._store = store
        self.searches = dict(searches)

    def headline_count(self, feed: str) -> tuple[int, int]:
        search = self.searches.get(feed)
        if search is None:
            return self._store.headline_count(feed)
        return self._store.listed_count(search)

    def headline_page(self, feed: str, offset: int, limit: int) -> list[Headline]:
        search = self.searches.get(feed)
        if search is None:
            return self._store.headline_page(feed, offset, limit)
        return self._store.listed_page(search, feed, offset, limit)

    def headline_flags(self, feed: str) -> bytes:
        search = self.searches.get(feed)
        if search is None:
            return self._store.headline_flags(feed)
        return self._store.listed_flags(search)

    def headline_place(self, key: int) -> tuple[str, int] | None:
        """Where the article is in its own feed."""
        return self._store.headline_place(key)

    def is_search(self, feed: str) -> bool:
        return feed in self.searches

    def story_copies(self, key: int) -> list[int]:
        return self._store.story_copies(key)

    def search_places(self, key: int) -> list[tuple[str, int]]:
        """Where the article is in each query feed that lists it."""
        places = []
        for name, search in self.searches.items():
            place = self._store.listed_place(search, key)
            if place is not None:
                places.append((name, place))
        return places


def results_tree(feeds: Sequence[tuple[str, str]], hits: SearchHits) -> HeadlineTree:
    """The tree of the feeds (name, group) that have hits, in their order."""
    shown = [(name, group) for name, group in feeds if hits.counts.get(name, (0, 0))[0]]
    return HeadlineTree(shown, hits)


class SearchingStore(ListedStore, Protocol):
    def list_matches(self, search: int, compiled: Compiled) -> int: ...


def reader_tree(
    config: Config,
    store: SearchingStore,
    statuses: Mapping[str, FeedStatus],
    now: float,
) -> HeadlineTree:
    """The sidebar's tree: the feeds, and the query feeds (``searches:``) among them."""
    searches = list_searches(config, store, now)
    feeds = [(f.name, f.group) for f in config.feeds]
    feeds += [(s.name, s.group) for s in config.searches]
    return HeadlineTree(feeds, FeedsAndSearches(store, searches), statuses)


def list_searches(config: Config, store: SearchingStore, now: float) -> dict[str, int]:
    """Find each saved search's matches again; their list numbers by name."""
    from newsreader.query.compile import compile_query

    numbers = {}
    for number, search in enumerate(config.searches, 1):
        store.list_matches(number, compile_query(search.tree, groups=config.groups, now=now))
        numbers[search.name] = number
    return numbers
