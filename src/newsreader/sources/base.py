"""The Source protocol every built-in and plugin source implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

# The value types a source takes and gives live in the neutral model; they are named
# here too because this module is the contract plugins are written against.
from newsreader.model import (
    MAX_VALIDATOR,
    Document,
    FeedConfig,
    FetchResult,
    FetchState,
    Retrieved,
    Unreadable,
    sendable_validator,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "MAX_VALIDATOR",
    "Document",
    "FeedConfig",
    "FetchContext",
    "FetchResult",
    "FetchState",
    "Retrieved",
    "Source",
    "Unreadable",
    "sendable_validator",
]


class FetchContext(Protocol):
    """Shared resources of one refresh run."""

    @property
    def client(self) -> httpx.AsyncClient: ...


@runtime_checkable
class Source(Protocol):
    """A retriever: given a configured feed and its last state, returns what it read.

    A source returns :class:`Retrieved` (bytes the refresh parses: the built-ins do),
    or a :class:`FetchResult` with a :class:`~newsreader.model.Feed` it built itself
    (a source whose content is no document, like the test plugin's). It never touches
    the store, and raises :class:`newsreader.errors.SourceError` (or
    :class:`~newsreader.errors.ParseError`) with a one-line message.
    """

    name: str

    async def fetch(
        self, feed: FeedConfig, state: FetchState, context: FetchContext
    ) -> Retrieved | FetchResult: ...
