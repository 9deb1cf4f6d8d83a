"""Reading lxml elements of a feed: names without namespaces, text with the lifted
CDATA sections put back, inner HTML, the base URL an element resolves against."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin, urlsplit

from newsreader.formats.cdata import MARK as _MARK
from newsreader.formats.cdata import NO_SECTIONS, Sections

if TYPE_CHECKING:
    from lxml.etree import _Element

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


@dataclass(slots=True)
class Doc:
    """What every item of one document shares."""

    url: str | None
    base: str | None

    def base_of(self, el: _Element) -> str | None:
        """The element's xml:base, resolved, or the document's base."""
        found = el.base  # libxml2 walks the ancestors; the document URL when none says
        if not found or found == self.url:
            return self.base
        if not has_scheme(found):
            try:
                found = urljoin(self.base, found) if self.base else None
            except ValueError:  # xml:base="http://[x": no base rather than a crash
                found = None
        return found or self.base


def has_scheme(href: str) -> bool:
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


rss_key = _Names(_RSS_NS).__getitem__
atom_key = _Names(_ATOM_NS).__getitem__


class _Reading(threading.local):
    """The CDATA sections lifted from the document this thread is mapping."""

    sections: Sections = NO_SECTIONS


READING = _Reading()


def element_text(el: _Element | None) -> str:
    """All character data of an element (children's too)."""
    if el is None:
        return ""
    # Trees parsed from bytes yield str; lxml-stubs also admit bytes.
    text = el.text if len(el) == 0 else "".join(cast("Iterator[str]", el.itertext()))
    if not text:
        return ""
    return READING.sections.restore(text) if _MARK in text else text


def inner_html(el: _Element) -> str:
    """An element's content as an HTML string: its text when it has no children
    (RSS writes HTML escaped, so the text is the markup)."""
    if len(el) == 0:
        text = el.text
        if not text:
            return ""
        return READING.sections.restore(text) if _MARK in text else text
    return markup(el)


def markup(el: _Element) -> str:
    """An element whose content is XHTML, as an HTML string: its text is character
    data even when it has no child elements (``&lt;blink&gt;`` is not a tag)."""
    from lxml import etree

    parts = [html.escape(el.text or "", quote=False)]
    for child in el:
        if not isinstance(child.tag, str):
            continue
        _drop_namespaces(child)
        parts.append(etree.tostring(child, method="html", encoding="unicode", with_tail=True))
    return READING.sections.restore("".join(parts), escape=True)


def _drop_namespaces(el: _Element) -> None:
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = node.tag.rsplit("}", 1)[1]
    from lxml import etree

    etree.cleanup_namespaces(el)


def is_alternate(el: _Element) -> bool:
    return el.get("rel", "alternate") == "alternate"
