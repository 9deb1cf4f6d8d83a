"""The parse stage of a refresh: what a source retrieved becomes a :class:`FetchResult`.

Sources only retrieve (:class:`~newsreader.model.Retrieved`); this is the one place
that decides what the bytes are, once per document, and hands them to
:func:`newsreader.formats.parse_sniffed`. It also holds the web's one format rule:
an HTML page where a feed was expected (a login wall, a parked domain) is refused
rather than stored as the feed's only article.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urljoin

from newsreader.bodies import prepare_rows
from newsreader.errors import NewsreaderError, ParseError, SourceError
from newsreader.formats import Kind, parse_sniffed, sniff
from newsreader.model import (
    Document,
    Feed,
    FetchResult,
    FetchState,
    Retrieved,
    Unreadable,
    dedupe_articles,
)
from newsreader.sources.base import FetchContext
from newsreader.text.sanitise import clean_optional

if TYPE_CHECKING:
    from newsreader.model import Article, FeedConfig
    from newsreader.sources.base import Source

T = TypeVar("T")

_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_FEED_TYPES = (b"application/rss+xml", b"application/atom+xml", b"application/feed+json")
_FEED_KINDS = (Kind.FEED_XML, Kind.FEED_JSON)


class ParseContext(FetchContext, Protocol):
    """What the stage needs of a refresh run: the sources' resources and its parser
    thread (:meth:`newsreader.refresh.RunContext.run_parser`)."""

    async def run_parser(self, fn: Callable[..., T], *args: object) -> T: ...


async def fetch_parsed(
    source: Source,
    feed: FeedConfig,
    state: FetchState,
    context: ParseContext,
    stored: Callable[[], Mapping[str, str]] | None = None,
) -> FetchResult:
    """Ask ``source`` for ``feed``, then parse what it brought on the run's parser.

    With ``stored`` (the stored digests of the feed's articles, asked for only when
    there is something to parse) the bodies are prepared there too, so all the CPU
    work of a feed happens in one call (:func:`parse_and_prepare`). A source that still
    parses itself (a plugin written against the first protocol) returns its
    :class:`FetchResult`, which is passed on as it is.
    """
    got = await source.fetch(feed, state, context)
    if not isinstance(got, Retrieved):
        return got
    if got.not_modified:
        return FetchResult(feed=None, state=got.state, moved_to=got.moved_to, warnings=got.notes)
    if stored is None:
        return await context.run_parser(parse_retrieved, feed, state, got)
    return await context.run_parser(parse_and_prepare, feed, state, got, stored())


def worker_ready() -> bool:
    """A worker process's first job: nothing, so the run knows its workers are up."""
    return True


def parse_and_prepare(
    feed: FeedConfig, state: FetchState, got: Retrieved, stored: Mapping[str, str]
) -> FetchResult:
    """:func:`parse_retrieved`, then the articles prepared as rows against ``stored``
    (id -> digest, what the store holds): one call that a worker process can make."""
    result = parse_retrieved(feed, state, got)
    parsed = result.feed
    if parsed is None:
        return result
    rows = prepare_rows(parsed.articles, stored)
    return result._replace(feed=parsed._replace(articles=()), rows=rows)


def parse_retrieved(feed: FeedConfig, state: FetchState, got: Retrieved) -> FetchResult:
    """Parse ``got``; ``state`` is what was kept from the fetch before (for ``was_feed``).

    CPU-bound: the refresh runs it on its parser thread.
    """
    if got.folder:
        return _merged(feed, got)
    [doc] = got.documents
    if isinstance(doc, Unreadable):  # only a folder holds these; a lone file raises
        raise SourceError(feed.target, doc.problem)
    if got.web:
        return _from_the_web(doc, state, got)
    parsed = _parse(doc, sniff(doc.data, content_type=doc.media_type, filename=doc.filename))
    return FetchResult(feed=parsed, state=got.state, moved_to=got.moved_to, warnings=got.notes)


def _parse(doc: Document, kind: Kind) -> Feed:
    return parse_sniffed(
        doc.data, kind, source=doc.address, url=doc.url, content_type=doc.media_type
    )


def _from_the_web(doc: Document, state: FetchState, got: Retrieved) -> FetchResult:
    """A page is read as an article only where no feed was, and only if it holds one."""
    kind = sniff(doc.data, content_type=doc.media_type, filename=doc.filename)
    base = doc.url or doc.address
    if kind is Kind.HTML and state.was_feed:
        raise SourceError(doc.address, html_instead_of_feed(doc.data, base))
    try:
        parsed = _parse(doc, kind)
    except ParseError:
        if kind is Kind.HTML:
            raise SourceError(doc.address, html_instead_of_feed(doc.data, base)) from None
        raise
    if kind is Kind.HTML and not any(a.text for a in parsed.articles):
        # A page with a title and no body: a login wall, a front page of links.
        raise SourceError(doc.address, html_instead_of_feed(doc.data, base))
    kept = got.state._replace(was_feed=kind in _FEED_KINDS)
    return FetchResult(feed=parsed, state=kept, moved_to=got.moved_to, warnings=got.notes)


def _merged(feed: FeedConfig, got: Retrieved) -> FetchResult:
    """A folder's documents as one feed named after the configured feed.

    A document that cannot be read or parsed is a warning, not the folder's failure;
    with any such problem no state is kept, so the next fetch reads again and reports
    again.
    """
    warnings = list(got.problems)
    articles: list[Article] = []
    for doc in got.documents:
        if isinstance(doc, Unreadable):
            warnings.append(doc.problem)
            continue
        try:
            kind = sniff(doc.data, content_type=doc.media_type, filename=doc.filename)
            parsed = _parse(doc, kind)
        except NewsreaderError as exc:
            warnings.append(str(exc))
            continue
        except Exception as exc:  # a parser bug must not cost the folder's other documents
            warnings.append(f"{doc.address}: cannot be read ({type(exc).__name__}: {exc})")
            continue
        articles.extend(parsed.articles)
    if warnings and not articles:
        raise SourceError(feed.target, f"no document could be read ({warnings[0]})")
    unique = dedupe_articles(articles)
    merged = Feed(title=feed.name, link=None, source=feed.target, articles=unique)
    if warnings:
        return FetchResult(feed=merged, state=FetchState(), warnings=(*got.notes, *warnings))
    return FetchResult(feed=merged, state=got.state, warnings=got.notes)


def feed_links(data: bytes, base: str) -> list[str]:
    """Feeds an HTML page names in its head (``<link rel="alternate" type=...>``)."""
    found: list[str] = []
    for tag in _LINK_TAG.findall(data[:65536]):
        attrs = {
            m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or b"")
            for m in _ATTR.finditer(tag)
        }
        rel = attrs.get(b"rel", b"").lower().split()
        kind = attrs.get(b"type", b"").lower().strip()
        href = attrs.get(b"href", b"").strip()
        if b"alternate" in rel and kind in _FEED_TYPES and href:
            link = clean_optional(html.unescape(href[:500].decode("utf-8", "replace")))
            if link:
                absolute = urljoin(base, link)
                if absolute.startswith(("http://", "https://")) and absolute not in found:
                    found.append(absolute)
    return found


def html_instead_of_feed(data: bytes, base: str) -> str:
    """The problem line for an HTML page where a feed was expected, naming its feed if any."""
    links = feed_links(data, base)
    if links:
        return f"an HTML page, not a feed (the page names its feed: {links[0]})"
    return "an HTML page, not a feed"
