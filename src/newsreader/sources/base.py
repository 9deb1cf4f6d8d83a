"""The Source protocol every built-in and plugin source implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import httpx

    from newsreader.config import FeedConfig
    from newsreader.model import Feed


@dataclass(frozen=True, slots=True)
class FetchState:
    """What the store remembers between fetches of one feed (for conditional reads)."""

    etag: str | None = None
    last_modified: str | None = None
    # Local sources: a signature of the files (paths, sizes, mtimes) last read.
    fingerprint: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetch's outcome. ``feed`` is None when the source was not modified."""

    feed: Feed | None
    state: FetchState = FetchState()
    # Set when an HTTP feed answered with a permanent redirect: the new URL.
    moved_to: str | None = None
    # Problems that did not stop the feed, e.g. one unreadable file in a folder.
    warnings: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.feed is None


class FetchContext(Protocol):
    """Shared resources of one refresh run."""

    @property
    def client(self) -> httpx.AsyncClient: ...


@runtime_checkable
class Source(Protocol):
    """A retriever: given a configured feed and its last state, returns fresh content.

    A source never touches the store. It raises :class:`newsreader.errors.SourceError`
    or :class:`~newsreader.errors.ParseError` with a one-line message.
    """

    name: str

    async def fetch(
        self, feed: FeedConfig, state: FetchState, context: FetchContext
    ) -> FetchResult: ...
