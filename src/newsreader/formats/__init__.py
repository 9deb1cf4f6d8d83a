"""Parsers, chosen by what the bytes are, not by the file's name.

Each parser turns one document into a :class:`~newsreader.model.Feed`; a single
article (HTML page, Markdown file, plain-text news page) becomes a feed of one.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TYPE_CHECKING

from newsreader.errors import ParseError

if TYPE_CHECKING:
    from newsreader.model import Feed


class Kind(Enum):
    FEED_XML = "feed-xml"
    FEED_JSON = "feed-json"
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"
    BINARY = "binary"


_XML_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(rss|feed|RDF|channel|entry)[\s>/]", re.IGNORECASE)
# A doctype alone decides nothing: some servers put an HTML doctype before an Atom root.
_HTML_START = re.compile(rb"<(?:html|head|body|article|meta|title)[\s>/]", re.I)
# What may stand before the root element: the XML declaration and other processing
# instructions, comments, a DOCTYPE (its internal subset too), whitespace.
_PROLOG = re.compile(
    rb"(?:<\?.*?(?:\?>|\Z)|<!--.*?(?:-->|\Z)"
    rb"|<!DOCTYPE(?:[^\[>]|\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\])*(?:>|\Z)|\s+)+",
    re.DOTALL | re.IGNORECASE,
)
_PROLOG_REACH = 65536
_MARKDOWN_HINT = re.compile(r"^(?:---\s*$|#{1,6} \S|\+\+\+\s*$)", re.MULTILINE)
_MARKDOWN_NAMES = (".md", ".markdown", ".mdown", ".mkd")
_MARKDOWN_TYPES = ("text/markdown", "text/x-markdown")
# A single article past this is not an article: an 8 MB HTML page takes 14 s and 650 MB
# to read (measured), and a plain-text or Markdown page that long is a dump.
MAX_PAGE_BYTES = 4 * 1024 * 1024


def _ascii_head(data: bytes, size: int = 4096) -> bytes:
    """The first bytes with UTF-16/32 folded to ASCII, enough to sniff markup."""
    head = data[:size]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 1 and 0 in head[:4]):
        head = head.replace(b"\x00", b"")
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")


def _after_prolog(data: bytes, head: bytes) -> tuple[bytes, bool]:
    """The head from the first element on, and whether it starts there.

    Comments, processing instructions and a DOCTYPE come before the root and say
    nothing about it: a comment that mentions ``<title>`` does not make a feed a page.
    A prolog longer than the head is looked through in the first 64 KB.
    """
    if not head.startswith((b"<?", b"<!")):
        return head, head.startswith(b"<")
    match = _PROLOG.match(head)
    if match is not None and match.end() == len(head) and len(head) >= 4096:
        head = _ascii_head(data, _PROLOG_REACH)
        match = _PROLOG.match(head)
    rest = head[match.end() :] if match is not None else head
    return rest[:4096], rest.startswith(b"<") and not rest.startswith((b"<!", b"<?"))


def sniff(data: bytes, *, content_type: str | None = None, filename: str | None = None) -> Kind:
    """Decide what kind of document ``data`` is."""
    head = _ascii_head(data)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if head.startswith(b"{") and (b'"version"' in data[:65536] or "json" in ctype):
        return Kind.FEED_JSON
    markup = False  # the document starts like XML: never a plain-text page
    if head.startswith(b"<"):
        body, markup = _after_prolog(data, head)
        start = _XML_FEED_ROOT.search(body)
        html = _HTML_START.search(body)
        if start and (html is None or start.start() < html.start()):
            return Kind.FEED_XML
        if html or "html" in ctype or head[:14].lower() == b"<!doctype html":
            return Kind.HTML
        if head.startswith(b"<?xml"):
            return Kind.FEED_XML
        markup = markup or not body.strip()
    if b"\x00" in head or _looks_binary(head):
        return Kind.BINARY
    name = (filename or "").lower()
    if name.endswith(_MARKDOWN_NAMES) or ctype in _MARKDOWN_TYPES:
        return Kind.MARKDOWN
    if "html" in ctype:
        return Kind.HTML
    if markup:
        return Kind.FEED_XML
    if name.endswith((".txt", ".text")):
        return Kind.TEXT
    if _MARKDOWN_HINT.search(head.decode("utf-8", "replace")):
        return Kind.MARKDOWN
    return Kind.TEXT


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(8, len(head) // 20)


def parse_document(
    data: bytes,
    *,
    source: str,
    url: str | None = None,
    content_type: str | None = None,
    filename: str | None = None,
) -> Feed:
    """Parse one document. ``source`` is the TARGET as given; ``url`` resolves links."""
    kind = sniff(data, content_type=content_type, filename=filename)
    return parse_sniffed(data, kind, source=source, url=url, content_type=content_type)


def parse_sniffed(
    data: bytes,
    kind: Kind,
    *,
    source: str,
    url: str | None = None,
    content_type: str | None = None,
) -> Feed:
    """Parse one document that :func:`sniff` called ``kind``: for a caller that asked
    first (the refresh judges a web page by its kind before it is parsed)."""
    if kind is Kind.FEED_XML:
        from newsreader.formats.feed import parse_xml_feed

        return parse_xml_feed(data, source=source, url=url, content_type=content_type)
    if kind is Kind.FEED_JSON:
        from newsreader.formats.feed import parse_json_feed

        return parse_json_feed(data, source=source, url=url)
    if kind is Kind.BINARY:
        raise ParseError(source, "not a feed or article (binary data)")
    if len(data) > MAX_PAGE_BYTES:
        mb = 1024 * 1024
        size = f"{len(data) / mb:.0f} MB; single articles are read up to {MAX_PAGE_BYTES // mb} MB"
        raise ParseError(source, f"page too large ({size})")

    from newsreader.formats.encoding import decode_text

    text = decode_text(data, content_type=content_type)
    if kind is Kind.HTML:
        from newsreader.formats.html_article import parse_html_article

        return parse_html_article(text, source=source, url=url)
    if kind is Kind.MARKDOWN:
        from newsreader.formats.markdown_article import parse_markdown_article

        return parse_markdown_article(text, source=source, url=url)
    from newsreader.formats.plaintext import parse_plaintext_page

    return parse_plaintext_page(text, source=source, url=url)
