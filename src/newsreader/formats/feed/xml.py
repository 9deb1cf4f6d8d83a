"""An RSS, RDF or Atom document -> :class:`Feed`, through the cheapest parse that
reads it: as it is, decoded, repaired, feedparser, then libxml2's recovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.errors import ParseError
from newsreader.formats.cdata import NO_SECTIONS, Sections
from newsreader.formats.encoding import decode_xml
from newsreader.formats.feed.atom import map_atom
from newsreader.formats.feed.elements import ATOM03, ATOM10, READING
from newsreader.formats.feed.fallback import parse_with_feedparser
from newsreader.formats.feed.items import MAX_DOCUMENT_BYTES, MAX_FALLBACK_BYTES
from newsreader.formats.feed.repair import (
    only_undeclared_prefixes,
    plain_utf8,
    recover,
    repair,
    strict_lifting,
    strip_doctype,
)
from newsreader.formats.feed.rss import map_rss
from newsreader.model import Feed

if TYPE_CHECKING:
    from lxml.etree import _Element


def parse_xml_feed(data: bytes, *, source: str, url: str | None, content_type: str | None) -> Feed:
    """Parse an RSS, RDF or Atom document; ParseError when it is not a feed."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(source, f"feed too large ({len(data) // 1_000_000} MB)")
    tried: bytes | None = None  # bytes the strict parser has already refused
    if plain_utf8(data, content_type):
        root, sections = strict_lifting(data, url)
        if root is not None:
            return map_tree(root, source=source, url=url, sections=sections)
        tried = data
    text, codec = decode_xml(data, content_type=content_type)
    text, stripped = strip_doctype(text, source)
    raw = data if codec == "utf-8" and not stripped else text.encode("utf-8")
    root, sections = (None, NO_SECTIONS) if raw is tried else strict_lifting(raw, url)
    if root is None:
        text = repair(text)
        raw = text.encode("utf-8")
        root, sections = strict_lifting(raw, url)
    if root is not None:
        return map_tree(root, source=source, url=url, sections=sections)
    if len(raw) <= MAX_FALLBACK_BYTES and not only_undeclared_prefixes(raw):
        try:
            return parse_with_feedparser(raw, source=source, url=url)
        except ParseError:
            pass
    root = recover(raw, url)
    if root is None:
        raise ParseError(source, "not well-formed XML")
    return map_tree(root, source=source, url=url)


def map_tree(
    root: _Element,
    *,
    source: str,
    url: str | None,
    sections: Sections = NO_SECTIONS,
) -> Feed:
    READING.sections = sections
    try:
        return _map_root(root, source=source, url=url)
    finally:
        READING.sections = NO_SECTIONS


def _map_root(root: _Element, *, source: str, url: str | None) -> Feed:
    tag = root.tag if isinstance(root.tag, str) else ""
    ns = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    local = tag.rsplit("}", 1)[-1].rpartition(":")[2]  # an undeclared prefix stays in the name
    if local in ("feed", "entry") and ns in ("", ATOM10, ATOM03):
        return map_atom(root, source=source, url=url)
    if local.lower() in ("rss", "rdf", "channel"):
        return map_rss(root, source=source, url=url)
    raise ParseError(source, f"not a feed (root element <{local or '?'}>)")
