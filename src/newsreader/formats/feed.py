"""RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 -> :class:`Feed`.

Why this shape (measured on the corpus of real feeds, see docs/benchmarks.md): a strict
lxml parse plus a compact mapping reads the 95 % of real XML feeds that are well-formed
at about 50x feedparser, and keeps what the faster libraries lose: raw date strings with
their offset, xml:base, text around HTML named entities. Where the time goes decided the
rest. UTF-8 documents with nothing but processing instructions before the root go to lxml
as they are; large CDATA sections are cut out first (``cdata.py``); item bodies stay as
the feed wrote them and become text and Markdown when first read (``_FeedBody``), which
a refresh does only for new or changed items. Documents lxml rejects are repaired in the
common ways (HTML named entities, bare ``&``, control characters, stray declarations,
trailing junk) and parsed strictly again; what still fails goes to feedparser, slow but
robust, then to libxml2's recovery. JSON Feed goes through json.

Security: a document with a DOCTYPE never takes the as-is path, and there every DOCTYPE
is removed before parsing, so no entity declared by the document (external or
exponential) is ever defined; references to such entities are dropped by the repair
step. lxml runs with ``resolve_entities=False``, ``no_network=True`` and
``huge_tree=False``; documents, item counts and bodies are bounded.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import html5 as _HTML5
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin, urlsplit

from newsreader.errors import ParseError
from newsreader.formats.cdata import MARK as _MARK
from newsreader.formats.cdata import NO_SECTIONS, Sections, lift
from newsreader.formats.encoding import (
    codec_name,
    declared_xml_encoding,
    decode_bytes,
    decode_xml,
    http_charset,
)
from newsreader.model import Article, Body, Feed, article_id, dedupe_articles
from newsreader.text.dates import normalize_date
from newsreader.text.html import html_to_markdown, html_to_text
from newsreader.text.links import LINK_SCHEMES
from newsreader.text.sanitise import clean_block, clean_line, clean_optional, strip_controls
from newsreader.text.xmlsafe import safe_xml_parser

if TYPE_CHECKING:
    from lxml.etree import _Element

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_ITEMS = 10_000
MAX_BODY_CHARS = 2 * 1024 * 1024
# Above this size a document that even the repaired strict parse rejects is read by
# libxml2's recovery instead of feedparser (about 1 MB/s), to bound the time spent.
MAX_FALLBACK_BYTES = 4 * 1024 * 1024
# How far into a document a DOCTYPE is looked for (characters).
_DOCTYPE_REACH = 65536
# Whitespace and processing instructions (the XML declaration), then the root element.
_PLAIN_PROLOG = re.compile(
    rb"(?:[ \t\r\n]|<\?[^?]{0,1000}(?:\?(?!>)[^?]{0,1000}){0,20}\?>)*<[A-Za-z_]"
)

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"
_RSS_NS = frozenset(
    {
        "",
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://channel.netscape.com/rdf/simple/0.9/",
        "http://backend.userland.com/rss2",
        "http://backend.userland.com/rss",
        "http://blogs.law.harvard.edu/tech/rss",
    }
)
_ATOM_NS = frozenset({"", ATOM10, ATOM03})
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
DC_DESCRIPTION = "{http://purl.org/dc/elements/1.1/}description"
DCTERMS_MODIFIED = "{http://purl.org/dc/terms/}modified"
DCTERMS_ISSUED = "{http://purl.org/dc/terms/}issued"
MEDIA = "http://search.yahoo.com/mrss/"
MEDIA_TITLE = f"{{{MEDIA}}}title"
MEDIA_DESCRIPTION = f"{{{MEDIA}}}description"
MEDIA_GROUP = f"{{{MEDIA}}}group"
MEDIA_CONTENT = f"{{{MEDIA}}}content"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ITUNES_TITLE = f"{{{ITUNES}}}title"
ITUNES_SUMMARY = f"{{{ITUNES}}}summary"
ITUNES_SUBTITLE = f"{{{ITUNES}}}subtitle"
ITUNES_AUTHOR = f"{{{ITUNES}}}author"
ATOM_LINK = f"{{{ATOM10}}}link"
ATOM_UPDATED = f"{{{ATOM10}}}updated"
ATOM_PUBLISHED = f"{{{ATOM10}}}published"
XHTML_BODY = f"{{{XHTML}}}body"
RDF_ABOUT = f"{{{RDF}}}about"

_DOCTYPE = re.compile(
    r"<!DOCTYPE\s[^\[>]*(?:\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\]\s*)?>", re.IGNORECASE
)
# References that need a look; the lookahead passes over the XML entities and decimal
# references 100-9999 (always characters XML allows), most of a feed's references.
_REFERENCE = re.compile(
    r"&(?!(?:amp|lt|gt|quot|apos|#[1-9][0-9]{2,3});)"
    r"(?:#([0-9]{1,10});|#[xX]([0-9a-fA-F]{1,8});|([A-Za-z_][A-Za-z0-9._-]{0,40});)?"
)
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_PROLOG_DECL = re.compile(r"<\?xml[^<>]*\?>")
_UNQUOTED_ATTR = re.compile(r"(<[A-Za-z_][^<>]*?\s[A-Za-z_][\w:.-]*=)([^\s\"'<>=`]+)")
_ROOT_START = re.compile(r"<[A-Za-z_]")
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)[\s>/]")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEGMENT = re.compile(r"[^<>]+")
_LOOKS_HTML = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_EMAIL = r"(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+"
# "jo@example.org (Jo Bloggs)", and the other way round: "Jo Bloggs (jo@...)" or "<jo@...>".
_AUTHOR_EMAIL = re.compile(rf"^\s*{_EMAIL}\s*\((.+)\)\s*$", re.IGNORECASE)
_NAME_EMAIL = re.compile(rf"^\s*(.+?)\s*(?:\(\s*{_EMAIL}\s*\)|<\s*{_EMAIL}\s*>)\s*$", re.IGNORECASE)
_MAIL_PREFIX = re.compile(r"^\s*mailto:", re.IGNORECASE)
# Most links: a plain host name, no port, no brackets, which urllib cannot refuse later.
_PLAIN_WEB_LINK = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]|\Z)")


# --------------------------------------------------------------------------- XML


def parse_xml_feed(data: bytes, *, source: str, url: str | None, content_type: str | None) -> Feed:
    """Parse an RSS, RDF or Atom document; ParseError when it is not a feed."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(source, f"feed too large ({len(data) // 1_000_000} MB)")
    tried: bytes | None = None  # bytes the strict parser has already refused
    if _plain_utf8(data, content_type):
        root, sections = _strict_lifting(data, url)
        if root is not None:
            return _map_tree(root, source=source, url=url, sections=sections)
        tried = data
    text, codec = decode_xml(data, content_type=content_type)
    text, stripped = _strip_doctype(text, source)
    raw = data if codec == "utf-8" and not stripped else text.encode("utf-8")
    root, sections = (None, NO_SECTIONS) if raw is tried else _strict_lifting(raw, url)
    if root is None:
        text = _repair(text)
        raw = text.encode("utf-8")
        root, sections = _strict_lifting(raw, url)
    if root is not None:
        return _map_tree(root, source=source, url=url, sections=sections)
    if len(raw) <= MAX_FALLBACK_BYTES and not _only_undeclared_prefixes(raw):
        try:
            return _parse_with_feedparser(raw, source=source, url=url)
        except ParseError:
            pass
    root = _recover(raw, url)
    if root is None:
        raise ParseError(source, "not well-formed XML")
    return _map_tree(root, source=source, url=url)


def _plain_utf8(data: bytes, content_type: str | None) -> bool:
    """Whether lxml may read the bytes as they are: UTF-8 by every declaration, no BOM,
    nothing but processing instructions before the root element, so no DOCTYPE. Most
    feeds are; the others are decoded and cleaned first, which costs a copy."""
    if _PLAIN_PROLOG.match(data) is None:
        return False
    for label in (http_charset(content_type), declared_xml_encoding(data)):
        if label is not None and codec_name(label) != "utf-8":
            return False
    return True


def _xml_parser(recover: bool = False) -> Any:
    return safe_xml_parser(recover=recover, encoding="utf-8")


_PARSERS: dict[bool, Any] = {}


def _parse_xml(raw: bytes, parser: Any, url: str | None) -> _Element:
    """``etree.fromstring`` with the document's address as its base, when there is one."""
    from lxml import etree

    # lxml takes None for "no base URL"; lxml-stubs only admit str | bytes.
    return etree.fromstring(raw, parser, base_url=url)  # type: ignore[arg-type]


def _strict(raw: bytes, url: str | None) -> _Element | None:
    from lxml import etree

    parser = _PARSERS.get(False) or _PARSERS.setdefault(False, _xml_parser())
    try:
        return _parse_xml(raw, parser, url)
    except etree.XMLSyntaxError:
        return None


def _strict_lifting(raw: bytes, url: str | None) -> tuple[_Element | None, Sections]:
    """The strict parse of UTF-8 bytes, with their large CDATA sections lifted out."""
    lifted, sections = lift(raw)
    root = _strict(lifted, url)
    return (root, sections) if root is not None else (None, NO_SECTIONS)


def _only_undeclared_prefixes(raw: bytes) -> bool:
    """Whether the document's only faults are undeclared namespace prefixes, which
    libxml2's recovery reads without loss (and feedparser reads as no feed at all)."""
    from lxml import etree

    try:
        etree.fromstring(raw, _xml_parser())
    except etree.XMLSyntaxError as exc:
        # The log iterates over its entries; lxml-stubs do not declare __iter__.
        faults = {error.type for error in exc.error_log}  # type: ignore[attr-defined]
        return faults == {etree.ErrorTypes.NS_ERR_UNDEFINED_NAMESPACE}
    return False


def _recover(raw: bytes, url: str | None) -> _Element | None:
    from lxml import etree

    try:
        return _parse_xml(raw, _xml_parser(recover=True), url)
    except etree.XMLSyntaxError:
        return None


def _strip_doctype(text: str, source: str) -> tuple[str, bool]:
    """Remove the DOCTYPE (and every entity it declares) from the prolog.

    The words ``<!DOCTYPE`` inside a comment or a CDATA section are text, not a
    declaration: those are passed over whole. Any other ``<!DOCTYPE`` in the first
    64 KB is one, wherever it stands, and goes (or, malformed, refuses the document).
    """
    pos = _find_doctype(text)
    if pos == -1:
        return text, False
    match = _DOCTYPE.match(text, pos)
    if match is None:
        raise ParseError(source, "malformed DOCTYPE")
    return text[:pos] + text[match.end() :], True


def _find_doctype(text: str) -> int:
    """Where the first ``<!DOCTYPE`` outside comments and CDATA sections starts; -1.

    A CDATA section counts only inside the root element: one in the prolog is not XML,
    and libxml2's recovery might read what it holds as markup.
    """
    root = _ROOT_START.search(text, 0, _DOCTYPE_REACH)
    root_at = root.start() if root is not None else _DOCTYPE_REACH
    start = text.find("<!", 0, _DOCTYPE_REACH)
    while start != -1:
        if text.startswith("<!--", start):
            end = text.find("-->", start + 4)
        elif start > root_at and text.startswith("<![CDATA[", start):
            end = text.find("]]>", start + 9)
        elif text[start + 2 : start + 9].upper() == "DOCTYPE":
            return start
        else:
            end = start
        if end == -1:
            return -1  # the rest is one comment or section that never closes: text
        start = text.find("<!", end + 2, _DOCTYPE_REACH)
    return -1


def _reference(match: re.Match[str]) -> str:
    dec, hexa, name = match.groups()
    if dec is not None or hexa is not None:
        code = int(dec) if dec is not None else int(hexa, 16)
        if code in (9, 10, 13) or (0x20 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF):
            return match.group(0)
        # Controls come back raw so the control pass removes whole escape sequences.
        return chr(code) if code < 0x20 else ""
    if name is None:
        return "&amp;"
    if name in _XML_ENTITIES:
        return match.group(0)
    chars = _HTML5.get(name + ";")
    if chars is None:
        return ""
    return "".join(f"&#{ord(c)};" for c in chars)


def _repair(text: str) -> str:
    """Fix what makes real feeds not well-formed: HTML entities, bare '&', controls.

    CDATA sections are left as they are; an undeclared entity is dropped, which is also
    how references to removed DOCTYPE entities disappear. Blank lines or a mangled XML
    declaration before the root, and junk after its end tag (injected scripts), go too.
    """
    root = _ROOT_NAME.search(text)
    if root is not None:
        end = text.rfind(f"</{root.group(1)}>")
        if end != -1:
            text = text[: end + len(root.group(1)) + 3]
        text = _PROLOG_DECL.sub("", text[: root.start()]).lstrip() + text[root.start() :]
    parts = _CDATA.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _UNQUOTED_ATTR.sub(r'\1"\2"', _REFERENCE.sub(_reference, parts[i]))
    for i, part in enumerate(parts):
        if _CONTROL.search(part):
            parts[i] = _SEGMENT.sub(_strip_segment, part)
    return "".join(parts)


def _strip_segment(match: re.Match[str]) -> str:
    """Escape sequences go whole, with their payload, within one text segment."""
    segment = match.group(0)
    if not _CONTROL.search(segment):
        return segment
    return _CONTROL.sub("", strip_controls(segment))


@dataclass(slots=True)
class _Doc:
    """What every item of one document shares."""

    url: str | None
    base: str | None

    def base_of(self, el: _Element) -> str | None:
        """The element's xml:base, resolved, or the document's base."""
        found = el.base  # libxml2 walks the ancestors; the document URL when none says
        if not found or found == self.url:
            return self.base
        if not _has_scheme(found):
            try:
                found = urljoin(self.base, found) if self.base else None
            except ValueError:  # xml:base="http://[x": no base rather than a crash
                found = None
        return found or self.base


def _has_scheme(href: str) -> bool:
    try:
        return bool(urlsplit(href).scheme)
    except ValueError:
        return False


def _local_name(tag: Any, core: frozenset[str]) -> str:
    """Namespace-free name for the format's core elements; Clark name for extensions."""
    if not isinstance(tag, str):
        return ""
    if tag[0] != "{":
        # An undeclared prefix survives libxml2's recovery as part of the name.
        return tag.rpartition(":")[2]
    ns, _, local = tag[1:].partition("}")
    return local if ns in core else tag


class _Names(dict[Any, str]):
    """Tag -> name for one format, filled on first sight: a feed repeats a handful of
    tags thousands of times. Bounded, as a hostile document may bring any number."""

    def __init__(self, core: frozenset[str]) -> None:
        super().__init__()
        self.core = core

    def __missing__(self, tag: Any) -> str:
        name = _local_name(tag, self.core)
        if len(self) < 2048 and isinstance(tag, str):
            self[tag] = name
        return name


_key = _Names(_RSS_NS).__getitem__
_akey = _Names(_ATOM_NS).__getitem__


class _Reading(threading.local):
    """The CDATA sections lifted from the document this thread is mapping."""

    sections: Sections = NO_SECTIONS


_READING = _Reading()


def _map_tree(
    root: _Element,
    *,
    source: str,
    url: str | None,
    sections: Sections = NO_SECTIONS,
) -> Feed:
    _READING.sections = sections
    try:
        return _map_root(root, source=source, url=url)
    finally:
        _READING.sections = NO_SECTIONS


def _map_root(root: _Element, *, source: str, url: str | None) -> Feed:
    tag = root.tag if isinstance(root.tag, str) else ""
    ns = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    local = tag.rsplit("}", 1)[-1].rpartition(":")[2]  # an undeclared prefix stays in the name
    if local in ("feed", "entry") and ns in ("", ATOM10, ATOM03):
        return _map_atom(root, source=source, url=url)
    if local.lower() in ("rss", "rdf", "channel"):
        return _map_rss(root, source=source, url=url)
    raise ParseError(source, f"not a feed (root element <{local or '?'}>)")


def _text(el: _Element | None) -> str:
    """All character data of an element (children's too)."""
    if el is None:
        return ""
    # Trees parsed from bytes yield str; lxml-stubs also admit bytes.
    text = el.text if len(el) == 0 else "".join(cast("Iterator[str]", el.itertext()))
    if not text:
        return ""
    return _READING.sections.restore(text) if _MARK in text else text


def _inner_html(el: _Element) -> str:
    """An element's content as an HTML string: its text when it has no children
    (RSS writes HTML escaped, so the text is the markup)."""
    if len(el) == 0:
        text = el.text
        if not text:
            return ""
        return _READING.sections.restore(text) if _MARK in text else text
    return _markup(el)


def _markup(el: _Element) -> str:
    """An element whose content is XHTML, as an HTML string: its text is character
    data even when it has no child elements (``&lt;blink&gt;`` is not a tag)."""
    from lxml import etree

    parts = [html.escape(el.text or "", quote=False)]
    for child in el:
        if not isinstance(child.tag, str):
            continue
        _drop_namespaces(child)
        parts.append(etree.tostring(child, method="html", encoding="unicode", with_tail=True))
    return _READING.sections.restore("".join(parts), escape=True)


def _drop_namespaces(el: _Element) -> None:
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = node.tag.rsplit("}", 1)[1]
    from lxml import etree

    etree.cleanup_namespaces(el)


def _absolute(href: str | None, base: str | None) -> str | None:
    """An absolute link with a harmless scheme, or None."""
    if not href:
        return None
    href = clean_line(href)
    if not href:
        return None
    if _PLAIN_WEB_LINK.match(href):
        return href
    try:
        parts = urlsplit(href)
        if not parts.scheme:
            if not base:
                return None
            href = urljoin(base, href)
            parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https") and not parts.hostname:
            return None
        parts.port  # noqa: B018  (raises ValueError for a port that is not one)
    except ValueError:
        return None
    return href if scheme in LINK_SCHEMES else None


def _title(raw: str | None, kind: str = "guess", base: str | None = None) -> str:
    """Plain text of a title that may be HTML (Atom type html/xhtml, or guessed for RSS)."""
    if not raw:
        return ""
    if kind == "text" or ("<" not in raw and "&" not in raw):
        return clean_line(raw)
    if kind == "guess" and not _LOOKS_HTML.search(raw):
        return clean_line(raw)
    if "<" not in raw:
        return clean_line(html.unescape(raw))
    return clean_line(html_to_text(raw, base))


class _FeedBody(Body):
    """An item's body as the feed gave it; text and Markdown are made on first use."""

    __slots__ = ("_base", "_is_html", "_raw")

    def __init__(self, raw: str, is_html: bool, base: str | None) -> None:
        self._raw = raw[:MAX_BODY_CHARS]
        self._is_html = is_html
        self._base = base
        self._text: str | None = None  # type: ignore[assignment]
        self._markdown: str | None = None  # type: ignore[assignment]

    @property
    def text(self) -> str:
        if self._text is None:
            raw = self._raw
            if not self._is_html or ("<" not in raw and "&" not in raw):
                self._text = clean_block(raw)
            elif "<" not in raw:
                self._text = clean_block(html.unescape(raw))
            else:
                self._text = html_to_text(raw, self._base)
        return self._text

    @property
    def markdown(self) -> str:
        if self._markdown is None:
            raw = self._raw
            tagged = self._is_html and "<" in raw
            self._markdown = html_to_markdown(raw, self._base) if tagged else ""
        return self._markdown

    @property
    def fingerprint(self) -> str:
        return f"{self._is_html:d}{self._base}\x00{self._raw}"


@dataclass(slots=True)
class _Item:
    """Raw strings gathered from one item/entry before they are cleaned."""

    guid: str | None = None
    link: str | None = None
    title: str = ""
    title_kind: str = "guess"
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    source: str | None = None
    summary: str | None = None
    summary_html: bool = True
    body: str | None = None
    body_html: bool = True


def _article(item: _Item, base: str | None) -> Article:
    link = _absolute(item.link, base)
    summary = None if item.summary is None else _FeedBody(item.summary, item.summary_html, base)
    if not item.body or item.body.isspace():
        body = summary
    elif item.body == item.summary and item.body_html == item.summary_html:
        body = summary  # one object, so the text is made once
    else:
        body = _FeedBody(item.body, item.body_html, base)
    title = _title(item.title, item.title_kind, base)
    published = normalize_date(item.published) if item.published else None
    updated = normalize_date(item.updated) if item.updated else None
    guid = clean_line(item.guid) if item.guid else ""
    # Only an item with neither guid nor link needs its text now: its id is a hash of it.
    text = "" if guid or link or body is None else body.text
    return Article(
        id=guid or link or article_id(None, None, title, published, text),
        title=title,
        link=link,
        published=published or updated,
        updated=updated,
        author=clean_optional(item.author) if item.author else None,
        source=clean_optional(item.source) if item.source else None,
        body=body,
        summary_body=summary,
    )


def _rss_author(value: str) -> str:
    """``jo@example.org (Jo Bloggs)``, ``Jo Bloggs (jo@example.org)`` and
    ``Jo Bloggs <jo@example.org>`` -> ``Jo Bloggs``: the name is what readers want."""
    match = _AUTHOR_EMAIL.match(value) or _NAME_EMAIL.match(value)
    return match.group(1).strip() if match else _MAIL_PREFIX.sub("", value).strip()


def _names(names: list[str]) -> str | None:
    """Several authors as one string, ``A, B`` (as JSON Feed's ``authors`` are joined)."""
    if len(names) == 1:
        return names[0].strip() or None
    unique = dict.fromkeys(n.strip() for n in names if n and n.strip())
    return ", ".join(unique) or None


def _media_text(el: _Element, tag: str) -> tuple[str, bool] | None:
    """(raw, is_html) of a Media RSS title or description of ``el``: its own, else the
    one in its media:group or media:content (YouTube puts them there)."""
    found = el.find(tag)
    if found is None:
        found = el.find(f"{MEDIA_GROUP}/{tag}")
    if found is None:
        found = el.find(f"{MEDIA_CONTENT}/{tag}")
    if found is None:
        found = el.find(f"{MEDIA_GROUP}/{MEDIA_CONTENT}/{tag}")
    if found is None:
        return None
    text = _text(found)
    return (text, (found.get("type") or "").strip().lower() == "html") if text.strip() else None


def _fill_from_media(item: _Item, el: _Element) -> None:
    """Title and summary from Media RSS when the item gives none of its own."""
    if not item.title.strip():
        title = _media_text(el, MEDIA_TITLE)
        if title is not None:
            item.title, item.title_kind = title[0], "html" if title[1] else "text"
    if item.summary is None:
        summary = _media_text(el, MEDIA_DESCRIPTION)
        if summary is not None:
            item.summary, item.summary_html = summary


def _map_rss(root: _Element, *, source: str, url: str | None) -> Feed:
    channel: _Element | None = None
    items: list[_Element] = []
    for child in root:
        key = _key(child.tag)
        if key == "channel":
            channel = child
        elif key == "item":
            items.append(child)
    if _key(root.tag) == "channel":
        channel = root
    feed_title = ""
    fallback_titles: dict[str, str] = {}  # dc:title, itunes:title, media:title
    feed_link: str | None = None
    creators: list[str] = []
    if channel is not None:
        for child in channel:
            key = _key(child.tag)
            if key == "item":
                items.append(child)
            elif key == "title" and not feed_title:
                feed_title = _title(_text(child))
            elif key == "link" and feed_link is None:
                feed_link = _text(child).strip() or None
            elif key == ATOM_LINK and feed_link is None and _is_alternate(child):
                feed_link = child.get("href")
            elif key in _CHANNEL_TITLES and key not in fallback_titles:
                fallback_titles[key] = _text(child)
            elif key == DC_CREATOR:
                creators.append(_rss_author(_text(child)))
    if not feed_title:
        raw = next((fallback_titles[k] for k in _CHANNEL_TITLES if fallback_titles.get(k)), "")
        feed_title = _title(raw)
    feed_link = _absolute(feed_link, url)
    feed_author = _names(creators) if creators else None
    doc = _Doc(url=url, base=url or feed_link)
    articles = []
    for el in items[:MAX_ITEMS]:
        item = _rss_item(el)
        item.author = item.author or feed_author
        articles.append(_article(item, doc.base_of(el)))
    return Feed(title=feed_title, link=feed_link, source=source, articles=dedupe_articles(articles))


_MEDIA_KEYS = frozenset({MEDIA_TITLE, MEDIA_DESCRIPTION, MEDIA_GROUP, MEDIA_CONTENT})
# A channel without <title> is named by the first of these it has, in this order.
_CHANNEL_TITLES = (DC_TITLE, ITUNES_TITLE, MEDIA_TITLE)


def _is_alternate(el: _Element) -> bool:
    return el.get("rel", "alternate") == "alternate"


_RSS_ITEM_KEYS = frozenset(
    {
        "title", "link", "description", CONTENT_ENCODED, "guid", "pubDate", DC_DATE,
        DCTERMS_ISSUED, ATOM_PUBLISHED, ATOM_UPDATED, DCTERMS_MODIFIED, "author", DC_CREATOR,
        "source", ATOM_LINK, DC_TITLE, DC_DESCRIPTION, XHTML_BODY, ITUNES_TITLE,
        ITUNES_SUMMARY, ITUNES_SUBTITLE, ITUNES_AUTHOR, MEDIA_TITLE, MEDIA_DESCRIPTION,
        MEDIA_GROUP, MEDIA_CONTENT,
    }
)  # fmt: skip


def _rss_item(el: _Element) -> _Item:
    item = _Item()
    guid_permalink = False
    authors: list[str] = []  # every <author>, or every dc:creator: whichever comes first
    author_key = ""
    itunes: dict[str, str] = {}
    media = False
    for child in el:
        key = _key(child.tag)
        if key not in _RSS_ITEM_KEYS:
            continue  # category, comments, enclosure ...: many per item, none read
        if key == "title":
            item.title = item.title or _text(child)
        elif key == "link":
            item.link = item.link or _text(child).strip() or child.get("href")
        elif key == "description":
            item.summary = _inner_html(child) if item.summary is None else item.summary
        elif key == CONTENT_ENCODED:
            item.body = item.body or _inner_html(child)
        elif key == "guid":
            item.guid = _text(child).strip() or None
            guid_permalink = child.get("isPermaLink", "true").strip().lower() != "false"
        elif key in ("pubDate", DC_DATE, DCTERMS_ISSUED, ATOM_PUBLISHED):
            item.published = item.published or _text(child)
        elif key in (ATOM_UPDATED, DCTERMS_MODIFIED):
            item.updated = item.updated or _text(child)
        elif key in ("author", DC_CREATOR):
            if author_key in ("", key):
                author_key = key
                authors.append(_rss_author(_text(child)))
        elif key == "source":
            item.source = _text(child)
        elif key == ATOM_LINK and _is_alternate(child):
            item.link = item.link or child.get("href")
        elif key == DC_TITLE:
            item.title = item.title or _text(child)
        elif key == DC_DESCRIPTION and item.summary is None:
            item.summary = _text(child)
        elif key == XHTML_BODY:
            item.body = item.body or _markup(child)
        elif key in (ITUNES_TITLE, ITUNES_SUMMARY, ITUNES_SUBTITLE, ITUNES_AUTHOR):
            itunes.setdefault(key, _text(child))
        elif key in _MEDIA_KEYS:
            media = True
    if authors:
        item.author = _names(authors)
    if itunes:
        _fill_from_itunes(item, itunes)
    if media:
        _fill_from_media(item, el)
    if item.guid is None:
        item.guid = el.get(RDF_ABOUT)
    if item.link is None and item.guid and guid_permalink and _has_scheme(item.guid):
        item.link = item.guid
    return item


def _fill_from_itunes(item: _Item, itunes: dict[str, str]) -> None:
    """Title, summary and author from iTunes tags when the item gives none of its own."""
    if not item.title.strip() and itunes.get(ITUNES_TITLE, "").strip():
        item.title = itunes[ITUNES_TITLE]
    if item.summary is None:
        summary = itunes.get(ITUNES_SUMMARY, "").strip() or itunes.get(ITUNES_SUBTITLE, "")
        if summary.strip():
            item.summary = summary
    if not item.author and itunes.get(ITUNES_AUTHOR, "").strip():
        item.author = itunes[ITUNES_AUTHOR]


def _atom_text(el: _Element) -> tuple[str, str]:
    """(raw, kind) of an Atom text construct; kind is ``text`` or ``html``.

    Content of any other media type is base64 (RFC 4287 4.1.3.3; Atom 0.3 says so with
    ``mode="base64"``): text types are decoded, binary ones give no text at all.
    """
    kind = (el.get("type") or "text").strip().lower()
    mode = (el.get("mode") or "").strip().lower()
    if mode == "base64" or (mode not in ("xml", "escaped") and _base64_type(kind)):
        if not _textual_type(kind):
            return "", "text"
        return _base64_text(_text(el)), "html" if "html" in kind else "text"
    if kind == "xhtml" or "xhtml" in kind or mode == "xml":
        div = next((c for c in el if isinstance(c.tag, str)), None)
        if div is not None and _akey(div.tag).rsplit("}", 1)[-1] == "div" and len(el) == 1:
            return _markup(div), "html"
        return _markup(el), "html"
    if kind in ("html", "text/html") or mode == "escaped":
        return _text(el), "html"
    return _text(el), "text"


def _base64_type(kind: str) -> bool:
    """A media type Atom carries base64: neither text/* nor XML."""
    return "/" in kind and not kind.startswith("text/") and not _xml_type(kind)


def _xml_type(kind: str) -> bool:
    media = kind.split(";", 1)[0].strip()
    return media.endswith(("+xml", "/xml", "/xml-external-parsed-entity"))


def _textual_type(kind: str) -> bool:
    """A media type that holds text a reader can show (text, XML, JSON, scripts)."""
    media = kind.split(";", 1)[0].strip()
    if "/" not in media or media.startswith("text/") or _xml_type(media):
        return True
    return media.endswith(("/json", "+json")) or media in _TEXT_APPLICATIONS


_TEXT_APPLICATIONS = frozenset({"application/javascript", "application/ecmascript"})


def _base64_text(value: str) -> str:
    """Base64 text content decoded as UTF-8 (what it cannot be read as is replaced)."""
    import base64
    import binascii

    try:
        return base64.b64decode(value).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _atom_author(el: _Element) -> str | None:
    name = email = None
    for child in el:
        key = _akey(child.tag)
        if key == "name":
            name = _text(child)
        elif key == "email":
            email = _text(child)
    return (name or "").strip() or email


def _atom_link(el: _Element, doc: _Doc) -> str | None:
    href = el.get("href")
    if not href:
        return None
    return _absolute(href, doc.base_of(el))


def _map_atom(root: _Element, *, source: str, url: str | None) -> Feed:
    entries: list[_Element] = []
    feed_title = ""
    feed_link: str | None = None
    feed_authors: list[str] = []
    doc = _Doc(url=url, base=url)
    if _akey(root.tag) == "entry":
        entries.append(root)
    else:
        for child in root:
            key = _akey(child.tag)
            if key == "entry":
                entries.append(child)
            elif key == "title" and not feed_title:
                raw, kind = _atom_text(child)
                feed_title = _title(raw, kind)
            elif key == "link" and feed_link is None and _is_alternate(child):
                feed_link = _atom_link(child, doc)
            elif key == "author":
                feed_authors.append(_atom_author(child) or "")
    feed_author = _names(feed_authors) if feed_authors else None
    if doc.base is None:
        doc.base = feed_link
    articles = []
    for el in entries[:MAX_ITEMS]:
        item, link_el = _atom_entry(el)
        base = doc.base_of(el)
        if link_el is not None:
            item.link = _atom_link(link_el, doc)
        elif item.guid and item.guid.startswith(("https://", "http://")):
            item.link = item.guid
        item.author = item.author or feed_author
        articles.append(_article(item, base))
    return Feed(title=feed_title, link=feed_link, source=source, articles=dedupe_articles(articles))


def _is_web(link: _Element | None) -> bool:
    return link is not None and (link.get("href") or "").startswith(("https:", "http:"))


def _atom_entry(el: _Element) -> tuple[_Item, _Element | None]:
    item = _Item()
    link_el: _Element | None = None
    authors: list[str] = []
    creators: list[str] = []
    media = False
    for child in el:
        key = _akey(child.tag)
        if key == "title":
            item.title, item.title_kind = _atom_text(child)
        elif key == "link" and _is_alternate(child) and not _is_web(link_el):
            link_el = child if link_el is None or _is_web(child) else link_el
        elif key == "id":
            item.guid = _text(child).strip() or None
        elif key in ("published", "issued", "created"):
            if key == "published" or item.published is None:
                item.published = _text(child)
        elif key in ("updated", "modified"):
            item.updated = item.updated or _text(child)
        elif key == "author":
            authors.append(_atom_author(child) or "")
        elif key == "summary":
            raw, kind = _atom_text(child)
            item.summary, item.summary_html = raw, kind == "html"
        elif key == "content" and item.body is None and not child.get("src"):
            raw, kind = _atom_text(child)
            item.body, item.body_html = raw, kind == "html"
        elif key == "source":
            title = next((c for c in child if _akey(c.tag) == "title"), None)
            if title is not None:
                item.source = _title(*_atom_text(title))
        elif key == DC_CREATOR:
            creators.append(_text(child))
        elif key == DC_DATE:
            item.published = item.published or _text(child)
        elif key in _MEDIA_KEYS:
            media = True
    if authors or creators:
        item.author = _names(authors) or _names(creators)
    if media:
        _fill_from_media(item, el)
    return item, link_el


# ------------------------------------------------------------------ feedparser


def _parse_with_feedparser(raw: bytes, *, source: str, url: str | None) -> Feed:
    """The robust path for documents no strict XML parser accepts (about 5 % of feeds)."""
    import feedparser

    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    try:
        parsed = feedparser.parse(
            raw, response_headers=headers, resolve_relative_uris=False, sanitize_html=False
        )
    except Exception as exc:  # its SAX handler fails on some input (a namespace with NBSP)
        raise ParseError(source, f"not a feed ({_one_line(exc)})") from None
    entries = parsed.get("entries") or []
    meta = parsed.get("feed") or {}
    if not entries and not meta.get("title"):
        problem = parsed.get("bozo_exception")
        raise ParseError(source, f"not a feed ({_one_line(problem)})" if problem else "not a feed")
    feed_link = _absolute(meta.get("link"), url)
    base_default = url or feed_link
    articles = []
    for entry in entries[:MAX_ITEMS]:
        item = _Item(
            guid=entry.get("id"),
            link=entry.get("link"),
            title=entry.get("title") or "",
            title_kind=_fp_kind(entry.get("title_detail")),
            # dict.get: feedparser's own get() answers "updated" with the published date.
            published=dict.get(entry, "published"),
            updated=dict.get(entry, "updated"),
            author=_fp_author(entry),
            source=(entry.get("source") or {}).get("title"),
        )
        summary = entry.get("summary_detail")
        if summary is not None:
            item.summary = summary.get("value")
            item.summary_html = _fp_kind(summary) == "html"
        content = entry.get("content") or []
        base = base_default
        content = [c for c in content if _textual_type((c.get("type") or "").lower())]
        if content:
            item.body = content[0].get("value")
            item.body_html = _fp_kind(content[0]) == "html"
            base = content[0].get("base") or base
        if item.summary is not None and item.summary == item.body and not entry.get("description"):
            item.summary = None
        articles.append(_article(item, base))
    title = _title(meta.get("title"), _fp_kind(meta.get("title_detail")))
    return Feed(title=title, link=feed_link, source=source, articles=dedupe_articles(articles))


def _fp_author(entry: Any) -> str | None:
    """Every author feedparser found, each reduced to the name, as the XML path does."""
    names = [a.get("name") or a.get("email") or "" for a in entry.get("authors") or ()]
    names = [_rss_author(n) for n in names if isinstance(n, str) and n.strip()]
    if names:
        return _names(names)
    author = entry.get("author")
    return _rss_author(author) if isinstance(author, str) else None


def _fp_kind(detail: Any) -> str:
    kind = (detail or {}).get("type") or "text/plain"
    return "html" if "html" in kind else "text"


def _one_line(problem: object) -> str:
    return clean_line(str(problem))[:200]


# ------------------------------------------------------------------ JSON Feed


def parse_json_feed(data: bytes, *, source: str, url: str | None) -> Feed:
    """Parse a JSON Feed (1.0 or 1.1); ParseError for JSON that is not one."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(source, f"feed too large ({len(data) // 1_000_000} MB)")
    try:
        doc = json.loads(data)
    except UnicodeDecodeError:
        text, _ = decode_bytes(data, [])
        doc = _loads(text, source)
    except (ValueError, RecursionError) as exc:
        raise ParseError(source, f"not valid JSON ({_one_line(exc)})") from None
    if not isinstance(doc, dict):
        raise ParseError(source, "not a JSON Feed (top level is not an object)")
    version = doc.get("version")
    items = doc.get("items")
    if not (isinstance(version, str) and "jsonfeed.org" in version) and not isinstance(items, list):
        raise ParseError(source, "not a JSON Feed (no version and no items)")
    feed_link = _absolute(_str(doc.get("home_page_url")), url)
    base = url or _str(doc.get("feed_url")) or feed_link
    feed_author = _json_author(doc)
    articles = []
    for entry in _json_items(items):
        item = _Item(
            guid=_str(entry.get("id")),
            link=_str(entry.get("url")) or _str(entry.get("external_url")),
            title=_str(entry.get("title")) or "",
            published=_str(entry.get("date_published")),
            updated=_str(entry.get("date_modified")),
            author=_json_author(entry) or feed_author,
        )
        summary = _str(entry.get("summary"))
        if summary is not None:
            item.summary, item.summary_html = summary, False
        content_html = _str(entry.get("content_html"))
        content_text = _str(entry.get("content_text"))
        if content_html:
            item.body = content_html
        elif content_text is not None:
            item.body, item.body_html = content_text, False
        articles.append(_article(item, base))
    title = _title(_str(doc.get("title")), "text")
    return Feed(title=title, link=feed_link, source=source, articles=dedupe_articles(articles))


def _loads(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(source, f"not valid JSON ({_one_line(exc)})") from None


def _str(value: Any) -> str | None:
    """A JSON scalar as a string (ids may be numbers); None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def _json_items(items: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(items, list):
        return
    for entry in items[:MAX_ITEMS]:
        if isinstance(entry, dict):
            yield entry


def _json_author(obj: dict[str, Any]) -> str | None:
    """JSON Feed 1.1 ``authors`` (names joined) or 1.0 ``author``."""
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
        joined = ", ".join(n.strip() for n in names if n and n.strip())
        if joined:
            return joined
    author = obj.get("author")
    if isinstance(author, dict):
        return _str(author.get("name"))
    return None
