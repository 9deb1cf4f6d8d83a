"""The built-in ``http`` source: feeds and pages over HTTP(S).

Every request of a refresh run goes through the run's one ``httpx.AsyncClient``
(connection reuse, HTTP keep-alive); the run decides how many go at once. Requests are
conditional (ETag / Last-Modified, only ever sendable ones); redirects are followed
here, so headers a feed configures never reach another origin; responses are streamed,
decompressed in bounded steps by ``content_coding`` (a gzip bomb never inflates past
the size cap) and cut off at that cap; the whole exchange has one deadline. Every
header a server sends is read with bounds. Every failure becomes one
:class:`SourceError` line naming the URL, worded by ``http_errors``; an answer that
asks to come back later (429, 503 with ``Retry-After``) says when, so the refresh can
honour it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsreader import __version__
from newsreader.errors import SourceError
from newsreader.model import Document, FetchState, Retrieved, sendable_validator
from newsreader.sources.content_coding import accept_encoding, chain, decoders
from newsreader.sources.http_errors import (
    describe_transport,
    server_text,
    status_error,
)
from newsreader.text.sanitise import clean_line, clean_optional

if TYPE_CHECKING:
    from collections.abc import Mapping

    import httpx

    from newsreader.model import FeedConfig
    from newsreader.sources.base import FetchContext

USER_AGENT = f"newsreader/{__version__} (+https://example.org/newsreader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7,"
    " text/markdown;q=0.7, text/plain;q=0.6, */*;q=0.5"
)
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
CONNECT_TIMEOUT = 10.0
# At most this many feeds of one server (scheme, host, port) are fetched at once; the
# refresh run queues the rest (see ``refresh.RunContext.turn``).
PER_HOST = 4
MAX_REDIRECTS = 10
# Request headers that may follow a redirect to another origin: they say what the client
# is and accepts, and the validators are the ones the last answering server gave. Any
# other header a feed configures (API keys, tokens, Authorization, Cookie) is sent only
# to the origin of the URL it was configured with.
CROSS_ORIGIN_HEADERS = frozenset(
    {"user-agent", "accept", "accept-encoding", "accept-language"}
    | {"if-none-match", "if-modified-since"}
)
# The longest URL kept as a feed's new address.
MAX_STORED_URL = 2048
_PERMANENT = (301, 308)
_DIGITS = re.compile(r"[0-9]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def new_client(*, max_connections: int | None = None) -> httpx.AsyncClient:
    """The client of one refresh run: pooled, brotli/gzip/deflate; :func:`get` follows
    redirects itself. The pool has no limit of its own by default: a request waiting for
    a pooled connection would spend its timeout there, blamed on the wrong feed. The
    refresh run decides how many requests run at once (``RunContext.turn``)."""
    import httpx

    return httpx.AsyncClient(
        follow_redirects=False,
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=64),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT,
            "Accept-Encoding": accept_encoding(),
        },
        timeout=httpx.Timeout(DEFAULT_TIMEOUT, connect=CONNECT_TIMEOUT),
    )


def server_of(url: str) -> str:
    """The server a URL names (scheme, host and port), the unit of ``PER_HOST``."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return f"{scheme}://{(parts.hostname or '').lower()}:{port or _DEFAULT_PORTS.get(scheme, '')}"


class Response:
    """What a GET brought back: the body (None for 304) and what the parser needs."""

    __slots__ = ("content_type", "data", "etag", "final_url", "last_modified", "moved_to")

    def __init__(
        self,
        data: bytes | None,
        final_url: str,
        content_type: str | None,
        etag: str | None,
        last_modified: str | None,
        moved_to: str | None,
    ) -> None:
        self.data = data
        self.final_url = final_url
        self.content_type = content_type
        self.etag = etag
        self.last_modified = last_modified
        self.moved_to = moved_to


def size_text(limit: int) -> str:
    mb = 1024 * 1024
    return f"{limit // mb} MB" if limit % mb == 0 else f"{limit} bytes"


def _validator(response: httpx.Response, name: str) -> str | None:
    """An ETag or Last-Modified the server sent, if it can be sent back as it came."""
    return sendable_validator(response.headers.get(name))


def _stored_url(url: str) -> str | None:
    """A URL a server redirected to, as it may be kept and shown: one clean, bounded line."""
    line = clean_optional(url)
    if line is None or len(line) > MAX_STORED_URL or not line.startswith(("http://", "https://")):
        return None
    return line


async def get(
    client: httpx.AsyncClient,
    url: str,
    *,
    state: FetchState | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int | None = None,
) -> Response:
    """GET ``url`` (conditionally when ``state`` has validators), streamed under a cap."""
    import httpx

    cap = MAX_RESPONSE_BYTES if max_bytes is None else max_bytes
    configured = _sendable_headers(url, headers or {})
    request_headers: dict[str, str] = {}
    if state is not None and state.etag:
        request_headers["If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        request_headers["If-Modified-Since"] = state.last_modified
    request_headers.update(configured)
    limits = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
    try:
        # One deadline for the whole exchange, redirects included: a server that
        # trickles bytes, each within the read timeout, is still cut off in time.
        async with asyncio.timeout(timeout):
            response, moved_to = await _follow(client, url, request_headers, configured, limits)
            try:
                return await _receive(response, url, cap, moved_to)
            finally:
                await response.aclose()
    except SourceError:
        raise
    except TimeoutError:
        raise SourceError(url, f"timed out (no complete answer within {timeout:g} s)") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise SourceError(url, describe_transport(exc, timeout)) from None
    except (ValueError, LookupError, ArithmeticError, RecursionError, ExceptionGroup) as exc:
        # An answer no check above foresaw is still that feed's one line, not a crash.
        raise SourceError(url, f"bad HTTP response ({describe_transport(exc, timeout)})") from None


def _sendable_headers(url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """The configured headers, each checked to be sendable (HTTP sends ASCII only)."""
    for name, value in headers.items():
        if not (name.isascii() and value.isascii() and value.isprintable() and name.isprintable()):
            raise SourceError(url, f"header {clean_line(name)!r} is not ASCII text, not sent")
    return dict(headers)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme))


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    configured: Mapping[str, str],
    limits: httpx.Timeout,
) -> tuple[httpx.Response, str | None]:
    """Send the GET and follow its redirects; the streamed last answer and ``moved_to``.

    Redirects are followed here, not by httpx, because httpx sends every header but
    Authorization on to any other host: ``configured`` headers go only to the origin of
    ``url``. ``moved_to`` is where a chain of permanent redirects from the start leads.
    """
    request = client.build_request("GET", url, headers=headers, timeout=limits)
    home = _origin(request.url)
    moved_to: str | None = None
    permanent = True
    for _ in range(MAX_REDIRECTS + 1):
        port = request.url.port
        if port is not None and not 0 < port < 65536:
            raise SourceError(url, f"invalid URL (port {port} is not 1 to 65535)")
        response = await client.send(request, stream=True, follow_redirects=False)
        following = response.next_request
        if following is None:
            return response, moved_to
        await response.aclose()
        scheme = following.url.scheme
        if scheme not in ("http", "https"):
            shown = server_text(scheme[:20]) or "?"
            raise SourceError(url, f"redirected to a URL that is not HTTP ({shown}:), not followed")
        permanent = permanent and response.status_code in _PERMANENT
        if permanent:
            moved_to = _stored_url(str(following.url))
        if _origin(following.url) == home:
            following.headers.update(configured)  # httpx drops Cookie and Authorization
        else:
            for name in configured:
                if name.lower() not in CROSS_ORIGIN_HEADERS:
                    following.headers.pop(name, None)
        request = following
    raise SourceError(url, f"too many redirects (more than {MAX_REDIRECTS}, a redirect loop?)")


async def _receive(
    response: httpx.Response, url: str, max_bytes: int, moved_to: str | None
) -> Response:
    final_url = str(response.url)
    if response.status_code == 304:
        etag, modified = _validator(response, "etag"), _validator(response, "last-modified")
        return Response(None, final_url, None, etag, modified, moved_to)
    if response.status_code >= 300:
        raise status_error(response, url)
    too_big = f"response larger than {size_text(max_bytes)}"
    declared = response.headers.get("content-length", "").strip()
    if _DIGITS.fullmatch(declared) and (len(declared) > 18 or int(declared) > max_bytes):
        raise SourceError(url, too_big)
    layers = decoders(response.headers.get("content-encoding", ""), url)
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        pieces: Iterator[bytes] = iter((raw,))
        for decode in layers:
            pieces = chain(decode, pieces)
        for piece in pieces:
            size += len(piece)
            if size > max_bytes:
                raise SourceError(url, too_big)
            chunks.append(piece)
    return Response(
        b"".join(chunks),
        final_url,
        _content_type(response),
        _validator(response, "etag"),
        _validator(response, "last-modified"),
        moved_to,
    )


def _content_type(response: httpx.Response) -> str | None:
    """The Content-Type as the parser may read it: one clean line; dropped when absurd."""
    value = clean_optional(response.headers.get("content-type"))
    return value if value is not None and len(value) <= 256 else None


def fetch_url_sync(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, headers: Mapping[str, str] | None = None
) -> tuple[bytes, str, str | None]:
    """One GET outside a refresh run (``newsreader dump``): data, final URL, content type."""

    async def run() -> Response:
        async with new_client(max_connections=4) as client:
            return await get(client, url, headers=headers, timeout=timeout)

    response = asyncio.run(run())
    return response.data or b"", response.final_url, response.content_type


class HttpSource:
    """Feeds and pages at ``url:`` in feeds.yaml."""

    name = "http"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: FetchContext) -> Retrieved:
        settings = feed.settings
        response = await get(
            context.client,
            feed.target,
            state=state,
            headers=settings.headers,
            timeout=settings.timeout_seconds,
            max_bytes=settings.max_bytes,
        )
        if response.data is None:
            kept = FetchState(
                etag=response.etag or state.etag,
                last_modified=response.last_modified or state.last_modified,
                fingerprint=state.fingerprint,
                was_feed=state.was_feed,
            )
            return Retrieved(state=kept, not_modified=True, web=True, moved_to=response.moved_to)
        doc = Document(
            response.data,
            address=feed.target,
            url=response.final_url,
            media_type=response.content_type,
        )
        # Whether a feed came (``was_feed``) is the parse stage's to say.
        new_state = FetchState(etag=response.etag, last_modified=response.last_modified)
        return Retrieved((doc,), state=new_state, web=True, moved_to=response.moved_to)
