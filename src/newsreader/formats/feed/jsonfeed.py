"""JSON Feed 1.0 and 1.1 -> :class:`Feed`, through json and the shared item fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsreader.errors import ParseError
from newsreader.formats.encoding import decode_bytes
from newsreader.formats.feed.items import (
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    Item,
    absolute_link,
    build_article,
    one_line,
    plain_title,
)
from newsreader.model import Feed, dedupe_articles


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
        raise ParseError(source, f"not valid JSON ({one_line(exc)})") from None
    if not isinstance(doc, dict):
        raise ParseError(source, "not a JSON Feed (top level is not an object)")
    version = doc.get("version")
    items = doc.get("items")
    if not (isinstance(version, str) and "jsonfeed.org" in version) and not isinstance(items, list):
        raise ParseError(source, "not a JSON Feed (no version and no items)")
    feed_link = absolute_link(_str(doc.get("home_page_url")), url)
    base = url or _str(doc.get("feed_url")) or feed_link
    feed_author = _json_author(doc)
    articles = []
    for entry in _json_items(items):
        item = Item(
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
        articles.append(build_article(item, base))
    title = plain_title(_str(doc.get("title")), "text")
    return Feed(title=title, link=feed_link, source=source, articles=dedupe_articles(articles))


def _loads(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(source, f"not valid JSON ({one_line(exc)})") from None


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
