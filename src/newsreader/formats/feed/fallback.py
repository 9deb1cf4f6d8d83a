"""feedparser, for the documents no strict XML parse accepts (about 5 % of feeds):
slow but robust, mapped through the same item fields as the XML path."""

from __future__ import annotations

from typing import Any

from newsreader.errors import ParseError
from newsreader.formats.feed.atom import textual_type
from newsreader.formats.feed.items import (
    MAX_ITEMS,
    Item,
    absolute_link,
    author_name,
    build_article,
    join_names,
    one_line,
    plain_title,
)
from newsreader.model import Feed, dedupe_articles


def parse_with_feedparser(raw: bytes, *, source: str, url: str | None) -> Feed:
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
        raise ParseError(source, f"not a feed ({one_line(exc)})") from None
    entries = parsed.get("entries") or []
    meta = parsed.get("feed") or {}
    if not entries and not meta.get("title"):
        problem = parsed.get("bozo_exception")
        raise ParseError(source, f"not a feed ({one_line(problem)})" if problem else "not a feed")
    feed_link = absolute_link(meta.get("link"), url)
    base_default = url or feed_link
    articles = []
    for entry in entries[:MAX_ITEMS]:
        item = Item(
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
        content = [c for c in content if textual_type((c.get("type") or "").lower())]
        if content:
            item.body = content[0].get("value")
            item.body_html = _fp_kind(content[0]) == "html"
            base = content[0].get("base") or base
        if item.summary is not None and item.summary == item.body and not entry.get("description"):
            item.summary = None
        articles.append(build_article(item, base))
    title = plain_title(meta.get("title"), _fp_kind(meta.get("title_detail")))
    return Feed(title=title, link=feed_link, source=source, articles=dedupe_articles(articles))


def _fp_author(entry: Any) -> str | None:
    """Every author feedparser found, each reduced to the name, as the XML path does."""
    names = [a.get("name") or a.get("email") or "" for a in entry.get("authors") or ()]
    names = [author_name(n) for n in names if isinstance(n, str) and n.strip()]
    if names:
        return join_names(names)
    author = entry.get("author")
    return author_name(author) if isinstance(author, str) else None


def _fp_kind(detail: Any) -> str:
    kind = (detail or {}).get("type") or "text/plain"
    return "html" if "html" in kind else "text"
