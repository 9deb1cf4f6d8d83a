"""Atom 1.0 and 0.3: text constructs (text, HTML, XHTML, base64), links by their
relation, authors, and the feed's defaults for its entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.formats.feed.elements import (
    DC_CREATOR,
    DC_DATE,
    Doc,
    atom_key,
    element_text,
    is_alternate,
    markup,
)
from newsreader.formats.feed.items import (
    MAX_ITEMS,
    MEDIA_KEYS,
    Item,
    absolute_link,
    build_article,
    fill_from_media,
    join_names,
    plain_title,
)
from newsreader.model import Feed, dedupe_articles

if TYPE_CHECKING:
    from lxml.etree import _Element


def _atom_text(el: _Element) -> tuple[str, str]:
    """(raw, kind) of an Atom text construct; kind is ``text`` or ``html``.

    Content of any other media type is base64 (RFC 4287 4.1.3.3; Atom 0.3 says so with
    ``mode="base64"``): text types are decoded, binary ones give no text at all.
    """
    kind = (el.get("type") or "text").strip().lower()
    mode = (el.get("mode") or "").strip().lower()
    if mode == "base64" or (mode not in ("xml", "escaped") and _base64_type(kind)):
        if not textual_type(kind):
            return "", "text"
        return _base64_text(element_text(el)), "html" if "html" in kind else "text"
    if kind == "xhtml" or "xhtml" in kind or mode == "xml":
        div = next((c for c in el if isinstance(c.tag, str)), None)
        if div is not None and atom_key(div.tag).rsplit("}", 1)[-1] == "div" and len(el) == 1:
            return markup(div), "html"
        return markup(el), "html"
    if kind in ("html", "text/html") or mode == "escaped":
        return element_text(el), "html"
    return element_text(el), "text"


def _base64_type(kind: str) -> bool:
    """A media type Atom carries base64: neither text/* nor XML."""
    return "/" in kind and not kind.startswith("text/") and not _xml_type(kind)


def _xml_type(kind: str) -> bool:
    media = kind.split(";", 1)[0].strip()
    return media.endswith(("+xml", "/xml", "/xml-external-parsed-entity"))


def textual_type(kind: str) -> bool:
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
        key = atom_key(child.tag)
        if key == "name":
            name = element_text(child)
        elif key == "email":
            email = element_text(child)
    return (name or "").strip() or email


def _atom_link(el: _Element, doc: Doc) -> str | None:
    href = el.get("href")
    if not href:
        return None
    return absolute_link(href, doc.base_of(el))


def map_atom(root: _Element, *, source: str, url: str | None) -> Feed:
    entries: list[_Element] = []
    feed_title = ""
    feed_link: str | None = None
    feed_authors: list[str] = []
    doc = Doc(url=url, base=url)
    if atom_key(root.tag) == "entry":
        entries.append(root)
    else:
        for child in root:
            key = atom_key(child.tag)
            if key == "entry":
                entries.append(child)
            elif key == "title" and not feed_title:
                raw, kind = _atom_text(child)
                feed_title = plain_title(raw, kind)
            elif key == "link" and feed_link is None and is_alternate(child):
                feed_link = _atom_link(child, doc)
            elif key == "author":
                feed_authors.append(_atom_author(child) or "")
    feed_author = join_names(feed_authors) if feed_authors else None
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
        articles.append(build_article(item, base))
    return Feed(title=feed_title, link=feed_link, source=source, articles=dedupe_articles(articles))


def _is_web(link: _Element | None) -> bool:
    return link is not None and (link.get("href") or "").startswith(("https:", "http:"))


def _atom_entry(el: _Element) -> tuple[Item, _Element | None]:
    item = Item()
    link_el: _Element | None = None
    authors: list[str] = []
    creators: list[str] = []
    media = False
    for child in el:
        key = atom_key(child.tag)
        if key == "title":
            item.title, item.title_kind = _atom_text(child)
        elif key == "link" and is_alternate(child) and not _is_web(link_el):
            link_el = child if link_el is None or _is_web(child) else link_el
        elif key == "id":
            item.guid = element_text(child).strip() or None
        elif key in ("published", "issued", "created"):
            if key == "published" or item.published is None:
                item.published = element_text(child)
        elif key in ("updated", "modified"):
            item.updated = item.updated or element_text(child)
        elif key == "author":
            authors.append(_atom_author(child) or "")
        elif key == "summary":
            raw, kind = _atom_text(child)
            item.summary, item.summary_html = raw, kind == "html"
        elif key == "content" and item.body is None and not child.get("src"):
            raw, kind = _atom_text(child)
            item.body, item.body_html = raw, kind == "html"
        elif key == "source":
            title = next((c for c in child if atom_key(c.tag) == "title"), None)
            if title is not None:
                item.source = plain_title(*_atom_text(title))
        elif key == DC_CREATOR:
            creators.append(element_text(child))
        elif key == DC_DATE:
            item.published = item.published or element_text(child)
        elif key in MEDIA_KEYS:
            media = True
    if authors or creators:
        item.author = join_names(authors) or join_names(creators)
    if media:
        fill_from_media(item, el)
    return item, link_el
