"""One item's raw fields -> :class:`Article`: links made absolute under the link
policy, titles and bodies cleaned (bodies convert on first read), authors reduced to
names, Media RSS filling what an item leaves out. Shared by every feed format."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from newsreader.formats.feed.elements import (
    MEDIA_CONTENT,
    MEDIA_DESCRIPTION,
    MEDIA_GROUP,
    MEDIA_TITLE,
    element_text,
)
from newsreader.model import Article, Body, article_id
from newsreader.text.dates import normalize_date
from newsreader.text.html import html_to_markdown, html_to_text
from newsreader.text.links import LINK_SCHEMES
from newsreader.text.sanitise import clean_block, clean_line, clean_optional

if TYPE_CHECKING:
    from lxml.etree import _Element

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_ITEMS = 10_000
MAX_BODY_CHARS = 2 * 1024 * 1024
# Above this size a document that even the repaired strict parse rejects is read by
# libxml2's recovery instead of feedparser (about 1 MB/s), to bound the time spent.
MAX_FALLBACK_BYTES = 4 * 1024 * 1024

_LOOKS_HTML = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_EMAIL = r"(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+"
# "jo@example.org (Jo Bloggs)", and the other way round: "Jo Bloggs (jo@...)" or "<jo@...>".
_AUTHOR_EMAIL = re.compile(rf"^\s*{_EMAIL}\s*\((.+)\)\s*$", re.IGNORECASE)
_NAME_EMAIL = re.compile(rf"^\s*(.+?)\s*(?:\(\s*{_EMAIL}\s*\)|<\s*{_EMAIL}\s*>)\s*$", re.IGNORECASE)
_MAIL_PREFIX = re.compile(r"^\s*mailto:", re.IGNORECASE)
# Most links: a plain host name, no port, no brackets, which urllib cannot refuse later.
_PLAIN_WEB_LINK = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]|\Z)")


def absolute_link(href: str | None, base: str | None) -> str | None:
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


def plain_title(raw: str | None, kind: str = "guess", base: str | None = None) -> str:
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
        # None until first read, where the base class always holds a string.
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

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuilt_body, (self._raw, self._is_html, self._base, self._text, self._markdown))

    @property
    def markdown_source(self) -> tuple[str, str | None] | None:
        if self._markdown is None and self._is_html and "<" in self._raw:
            return self._raw, self._base
        return None


def _rebuilt_body(
    raw: str, is_html: bool, base: str | None, text: str | None, markdown: str | None
) -> _FeedBody:
    body = _FeedBody(raw, is_html, base)
    body._text, body._markdown = text, markdown
    return body


@dataclass(slots=True)
class Item:
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


def build_article(item: Item, base: str | None) -> Article:
    link = absolute_link(item.link, base)
    summary = None if item.summary is None else _FeedBody(item.summary, item.summary_html, base)
    if not item.body or item.body.isspace():
        body = summary
    elif item.body == item.summary and item.body_html == item.summary_html:
        body = summary  # one object, so the text is made once
    else:
        body = _FeedBody(item.body, item.body_html, base)
    title = plain_title(item.title, item.title_kind, base)
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


def author_name(value: str) -> str:
    """``jo@example.org (Jo Bloggs)``, ``Jo Bloggs (jo@example.org)`` and
    ``Jo Bloggs <jo@example.org>`` -> ``Jo Bloggs``: the name is what readers want."""
    match = _AUTHOR_EMAIL.match(value) or _NAME_EMAIL.match(value)
    return match.group(1).strip() if match else _MAIL_PREFIX.sub("", value).strip()


def join_names(names: list[str]) -> str | None:
    """Several authors as one string, ``A, B`` (as JSON Feed's ``authors`` are joined)."""
    if len(names) == 1:
        return names[0].strip() or None
    unique = dict.fromkeys(n.strip() for n in names if n and n.strip())
    return ", ".join(unique) or None


# The Media RSS elements an item may carry its title and summary in.
MEDIA_KEYS = frozenset({MEDIA_TITLE, MEDIA_DESCRIPTION, MEDIA_GROUP, MEDIA_CONTENT})


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
    text = element_text(found)
    return (text, (found.get("type") or "").strip().lower() == "html") if text.strip() else None


def fill_from_media(item: Item, el: _Element) -> None:
    """Title and summary from Media RSS when the item gives none of its own."""
    if not item.title.strip():
        title = _media_text(el, MEDIA_TITLE)
        if title is not None:
            item.title, item.title_kind = title[0], "html" if title[1] else "text"
    if item.summary is None:
        summary = _media_text(el, MEDIA_DESCRIPTION)
        if summary is not None:
            item.summary, item.summary_html = summary


def one_line(problem: object) -> str:
    return clean_line(str(problem))[:200]
