"""SQLite persistence: feeds, articles, read/starred flags, fetch state, app settings.

One :class:`Store` per thread. The file runs in WAL mode with a busy timeout so the
reader and ``newsreader fetch`` can use it side by side.

The store is one class made of one part per domain, each a subclass of
:class:`~newsreader.store.connection.Connection` (opening, schema, the read and write
plumbing): :class:`Feeds`, :class:`Articles`, :class:`Headlines`, :class:`Search`,
:class:`Settings`.
A new domain is one module and one more base here; callers keep one flat
``store.method()`` API.

``Headline``, ``FeedStatus``, ``StoredArticle``, ``Schedule`` and ``SaveStats`` live in
:mod:`newsreader.model`; they are re-exported here for modules not yet importing them
from there.
"""

from __future__ import annotations

from newsreader.model import FeedStatus, Headline, SaveStats, Schedule, StoredArticle
from newsreader.store.articles import Articles
from newsreader.store.connection import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    MIGRATIONS,
    READ_ONLY_PROBLEM,
    SCHEMA_VERSION,
)
from newsreader.store.feeds import Feeds
from newsreader.store.headlines import Headlines
from newsreader.store.saved import SavedSearches
from newsreader.store.search import Search
from newsreader.store.settings import Settings
from newsreader.store.stories import Stories

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "READ_ONLY_PROBLEM",
    "SCHEMA_VERSION",
    "FeedStatus",
    "Headline",
    "SaveStats",
    "Schedule",
    "Store",
    "StoredArticle",
]


class Store(Feeds, Articles, Headlines, Search, SavedSearches, Stories, Settings):
    """The database of one process (or thread). Every method raises only :class:`StoreError`."""

    __slots__ = ()
