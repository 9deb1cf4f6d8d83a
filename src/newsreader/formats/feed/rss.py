"""RSS 0.9x, 1.0 (RDF) and 2.0 with the Dublin Core, iTunes, Media RSS and Atom
elements real feeds mix in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.formats.feed.elements import (
    ATOM_LINK,
    ATOM_PUBLISHED,
    ATOM_UPDATED,
    CONTENT_ENCODED,
    DC_CREATOR,
    DC_DATE,
    DC_DESCRIPTION,
    DC_TITLE,
    DCTERMS_ISSUED,
    DCTERMS_MODIFIED,
    ITUNES_AUTHOR,
    ITUNES_SUBTITLE,
    ITUNES_SUMMARY,
    ITUNES_TITLE,
    MEDIA_CONTENT,
    MEDIA_DESCRIPTION,
    MEDIA_GROUP,
    MEDIA_TITLE,
    RDF_ABOUT,
    XHTML_BODY,
    Doc,
    element_text,
    has_scheme,
    inner_html,
    is_alternate,
    markup,
    rss_key,
)
from newsreader.formats.feed.items import (
    MAX_ITEMS,
    MEDIA_KEYS,
    Item,
    absolute_link,
    author_name,
    build_article,
    fill_from_media,
    join_names,
    plain_title,
)
from newsreader.model import Feed, dedupe_articles

if TYPE_CHECKING:
    from lxml.etree import _Element


def map_rss(root: _Element, *, source: str, url: str | None) -> Feed:
    channel: _Element | None = None
    items: list[_Element] = []
    for child in root:
        key = rss_key(child.tag)
        if key == "channel":
            channel = child
        elif key == "item":
            items.append(child)
    if rss_key(root.tag) == "channel":
        channel = root
    feed_title = ""
    fallback_titles: dict[str, str] = {}  # dc:title, itunes:title, media:title
    feed_link: str | None = None
    creators: list[str] = []
    if channel is not None:
        for child in channel:
            key = rss_key(child.tag)
            if key == "item":
                items.append(child)
            elif key == "title" and not feed_title:
                feed_title = plain_title(element_text(child))
            elif key == "link" and feed_link is None:
                feed_link = element_text(child).strip() or None
            elif key == ATOM_LINK and feed_link is None and is_alternate(child):
                feed_link = child.get("href")
            elif key in _CHANNEL_TITLES and key not in fallback_titles:
                fallback_titles[key] = element_text(child)
            elif key == DC_CREATOR:
                creators.append(author_name(element_text(child)))
    if not feed_title:
        raw = next((fallback_titles[k] for k in _CHANNEL_TITLES if fallback_titles.get(k)), "")
        feed_title = plain_title(raw)
    feed_link = absolute_link(feed_link, url)
    feed_author = join_names(creators) if creators else None
    doc = Doc(url=url, base=url or feed_link)
    articles = []
    for el in items[:MAX_ITEMS]:
        item = _rss_item(el)
        item.author = item.author or feed_author
        articles.append(build_article(item, doc.base_of(el)))
    return Feed(title=feed_title, link=feed_link, source=source, articles=dedupe_articles(articles))


# A channel without <title> is named by the first of these it has, in this order.
_CHANNEL_TITLES = (DC_TITLE, ITUNES_TITLE, MEDIA_TITLE)


_RSS_ITEM_KEYS = frozenset(
    {
        "title", "link", "description", CONTENT_ENCODED, "guid", "pubDate", DC_DATE,
        DCTERMS_ISSUED, ATOM_PUBLISHED, ATOM_UPDATED, DCTERMS_MODIFIED, "author", DC_CREATOR,
        "source", ATOM_LINK, DC_TITLE, DC_DESCRIPTION, XHTML_BODY, ITUNES_TITLE,
        ITUNES_SUMMARY, ITUNES_SUBTITLE, ITUNES_AUTHOR, MEDIA_TITLE, MEDIA_DESCRIPTION,
        MEDIA_GROUP, MEDIA_CONTENT,
    }
)  # fmt: skip


def _rss_item(el: _Element) -> Item:
    item = Item()
    guid_permalink = False
    authors: list[str] = []  # every <author>, or every dc:creator: whichever comes first
    author_key = ""
    itunes: dict[str, str] = {}
    media = False
    for child in el:
        key = rss_key(child.tag)
        if key not in _RSS_ITEM_KEYS:
            continue  # category, comments, enclosure ...: many per item, none read
        if key == "title":
            item.title = item.title or element_text(child)
        elif key == "link":
            item.link = item.link or element_text(child).strip() or child.get("href")
        elif key == "description":
            item.summary = inner_html(child) if item.summary is None else item.summary
        elif key == CONTENT_ENCODED:
            item.body = item.body or inner_html(child)
        elif key == "guid":
            item.guid = element_text(child).strip() or None
            guid_permalink = child.get("isPermaLink", "true").strip().lower() != "false"
        elif key in ("pubDate", DC_DATE, DCTERMS_ISSUED, ATOM_PUBLISHED):
            item.published = item.published or element_text(child)
        elif key in (ATOM_UPDATED, DCTERMS_MODIFIED):
            item.updated = item.updated or element_text(child)
        elif key in ("author", DC_CREATOR):
            if author_key in ("", key):
                author_key = key
                authors.append(author_name(element_text(child)))
        elif key == "source":
            item.source = element_text(child)
        elif key == ATOM_LINK and is_alternate(child):
            item.link = item.link or child.get("href")
        elif key == DC_TITLE:
            item.title = item.title or element_text(child)
        elif key == DC_DESCRIPTION and item.summary is None:
            item.summary = element_text(child)
        elif key == XHTML_BODY:
            item.body = item.body or markup(child)
        elif key in (ITUNES_TITLE, ITUNES_SUMMARY, ITUNES_SUBTITLE, ITUNES_AUTHOR):
            itunes.setdefault(key, element_text(child))
        elif key in MEDIA_KEYS:
            media = True
    if authors:
        item.author = join_names(authors)
    if itunes:
        _fill_from_itunes(item, itunes)
    if media:
        fill_from_media(item, el)
    if item.guid is None:
        item.guid = el.get(RDF_ABOUT)
    if item.link is None and item.guid and guid_permalink and has_scheme(item.guid):
        item.link = item.guid
    return item


def _fill_from_itunes(item: Item, itunes: dict[str, str]) -> None:
    """Title, summary and author from iTunes tags when the item gives none of its own."""
    if not item.title.strip() and itunes.get(ITUNES_TITLE, "").strip():
        item.title = itunes[ITUNES_TITLE]
    if item.summary is None:
        summary = itunes.get(ITUNES_SUMMARY, "").strip() or itunes.get(ITUNES_SUBTITLE, "")
        if summary.strip():
            item.summary = summary
    if not item.author and itunes.get(ITUNES_AUTHOR, "").strip():
        item.author = itunes[ITUNES_AUTHOR]
