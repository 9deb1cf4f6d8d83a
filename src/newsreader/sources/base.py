"""The Source protocol every built-in and plugin source implements."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import httpx

    from newsreader.config import FeedConfig
    from newsreader.model import Feed


# A validator is sent back as it came, so it is kept only when HTTP can carry it as
# is: visible ASCII with inner spaces, of a sane length.
MAX_VALIDATOR = 512
_SENDABLE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")


def sendable_validator(value: object) -> str | None:
    """An ETag or Last-Modified that can go back to the server in a header, else None.

    Non-ASCII, controls or an overlong value would make every later request of the
    feed fail before it is sent; without the validator the request is only not
    conditional.
    """
    if not isinstance(value, str):
        return None
    value = value.strip(" \t")
    if len(value) > MAX_VALIDATOR or not _SENDABLE.fullmatch(value):
        return None
    return value


@dataclass(frozen=True, slots=True)
class FetchState:
    """What the store remembers between fetches of one feed (for conditional reads).

    Validators are checked here, so whatever holds a FetchState (a fresh answer, a
    database row written by an older version, a plugin) holds only sendable ones.
    """

    etag: str | None = None
    last_modified: str | None = None
    # Local sources: a signature of the files (paths, sizes, mtimes) last read.
    fingerprint: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "etag", sendable_validator(self.etag))
        object.__setattr__(self, "last_modified", sendable_validator(self.last_modified))


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
