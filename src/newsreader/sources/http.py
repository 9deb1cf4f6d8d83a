"""The built-in ``http`` source: feeds and pages over HTTP(S).

Every request of a refresh run goes through the run's one ``httpx.AsyncClient``
(connection reuse, HTTP keep-alive), at most a few at a time per host. Requests are
conditional (ETag / Last-Modified), responses are streamed and cut off at a size cap,
and every failure becomes one :class:`SourceError` line naming the URL.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import socket
import ssl
import weakref
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsreader import __version__
from newsreader.content import clean_optional
from newsreader.errors import SourceError
from newsreader.sources.base import FetchResult, FetchState
from newsreader.sources.local import run_parser

if TYPE_CHECKING:
    from collections.abc import Mapping

    import httpx

    from newsreader.config import FeedConfig
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
PER_HOST = 4
MAX_REDIRECTS = 10
_PERMANENT = (301, 308)

# Per-run semaphores, keyed by the run's client so they die with it (and never cross
# event loops).
_host_slots: weakref.WeakKeyDictionary[httpx.AsyncClient, dict[str, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def new_client(*, max_connections: int = 32) -> httpx.AsyncClient:
    """The client of one refresh run: redirects followed, pooled, brotli/gzip/deflate."""
    import httpx

    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        timeout=httpx.Timeout(DEFAULT_TIMEOUT, connect=CONNECT_TIMEOUT),
    )


def _slot(client: httpx.AsyncClient, url: str) -> asyncio.Semaphore:
    host = (urlsplit(url).hostname or "").lower()
    slots = _host_slots.setdefault(client, {})
    if host not in slots:
        slots[host] = asyncio.Semaphore(PER_HOST)
    return slots[host]


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


def _header(response: httpx.Response, name: str) -> str | None:
    value = response.headers.get(name)
    return clean_optional(value[:1000]) if value else None


def _moved_to(response: httpx.Response) -> str | None:
    """The URL a chain of permanent redirects from the start leads to, if any."""
    chain = [*response.history, response]
    moved = None
    for hop, following in itertools.pairwise(chain):
        if hop.status_code not in _PERMANENT:
            break
        moved = str(following.request.url)
    return moved


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, down the chain (httpx wraps OS errors)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(found) < 10:
        found.append(current)
        if isinstance(current, BaseExceptionGroup):
            found.extend(current.exceptions)
        current = current.__cause__ or current.__context__
    return found


def _describe(exc: Exception, timeout: float) -> str:
    """One line for a transport failure, in words a user understands."""
    import httpx

    text = " ".join(str(exc).split())
    lowered = text.lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting (after {timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out (no answer for {timeout:g} s)"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL ({text})" if text else "unsupported URL"
    if isinstance(exc, httpx.DecodingError):
        return "the response could not be decompressed"
    if isinstance(exc, httpx.ConnectError):
        causes = _causes(exc)
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return "connection refused"
        if any(isinstance(c, socket.gaierror) for c in causes):
            return "host not found (DNS lookup failed)"
        if any(isinstance(c, ssl.SSLError) for c in causes):
            return f"TLS error ({text})"
        if "refused" in lowered:
            return "connection refused"
        if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            return "host not found (DNS lookup failed)"
        if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
            return f"TLS error ({text})"
        return f"cannot connect ({text})" if text else "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"bad HTTP response ({text})" if text else "bad HTTP response"
    if isinstance(exc, httpx.InvalidURL):
        return f"invalid URL ({text})"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
    request_headers: dict[str, str] = {}
    if state is not None and state.etag:
        request_headers["If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        request_headers["If-Modified-Since"] = state.last_modified
    request_headers.update(headers or {})
    limits = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
    try:
        async with (
            _slot(client, url),
            asyncio.timeout(timeout * 3),
            client.stream("GET", url, headers=request_headers, timeout=limits) as response,
        ):
            return await _receive(response, url, cap)
    except SourceError:
        raise
    except TimeoutError:
        raise SourceError(url, f"timed out (took longer than {timeout * 3:g} s)") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise SourceError(url, _describe(exc, timeout)) from None


async def _receive(response: httpx.Response, url: str, max_bytes: int) -> Response:
    final_url = str(response.url)
    moved_to = _moved_to(response)
    if response.status_code == 304:
        return Response(
            None,
            final_url,
            None,
            _header(response, "etag"),
            _header(response, "last-modified"),
            moved_to,
        )
    if response.status_code >= 300:
        reason = clean_optional(response.reason_phrase) or ""
        raise SourceError(url, f"HTTP {response.status_code} {reason}".rstrip())
    too_big = f"response larger than {size_text(max_bytes)}"
    declared = response.headers.get("content-length", "")
    if (
        declared.isdigit()
        and int(declared) > max_bytes
        and "content-encoding" not in response.headers
    ):
        raise SourceError(url, too_big)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(url, too_big)
        chunks.append(chunk)
    return Response(
        b"".join(chunks),
        final_url,
        response.headers.get("content-type"),
        _header(response, "etag"),
        _header(response, "last-modified"),
        moved_to,
    )


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

    async def fetch(
        self, feed: FeedConfig, state: FetchState, context: FetchContext
    ) -> FetchResult:
        from newsreader.formats import parse_document

        settings = feed.settings
        response = await get(
            context.client,
            feed.target,
            state=state,
            headers=settings.headers,
            timeout=settings.timeout_seconds,
        )
        new_state = FetchState(
            etag=response.etag or (state.etag if response.data is None else None),
            last_modified=response.last_modified
            or (state.last_modified if response.data is None else None),
        )
        if response.data is None:
            return FetchResult(feed=None, state=new_state, moved_to=response.moved_to)
        parsed = await run_parser(
            context,
            functools.partial(
                parse_document,
                response.data,
                source=feed.target,
                url=response.final_url,
                content_type=response.content_type,
            ),
        )
        return FetchResult(feed=parsed, state=new_state, moved_to=response.moved_to)
