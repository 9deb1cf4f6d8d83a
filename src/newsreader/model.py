"""The data model: a Feed holds Articles. ``to_json`` is SPEC's dump shape."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Article:
    """One article, every string already sanitised (plain text, no controls)."""

    id: str
    title: str
    link: str | None = None
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    source: str | None = None
    breadcrumb: tuple[str, ...] = ()
    summary: str | None = None
    text: str = ""
    related: tuple[str, ...] = ()
    # The body with its structure (headings, lists, links ...) as Markdown, for the reader.
    # Not part of the dump JSON; empty means "render ``text``".
    markdown: str = field(default="", compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "link": self.link,
            "published": self.published,
            "updated": self.updated,
            "author": self.author,
            "source": self.source,
            "breadcrumb": list(self.breadcrumb),
            "summary": self.summary,
            "text": self.text,
            "related": list(self.related),
        }


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed, or a single document wrapped as a feed of one article."""

    title: str
    link: str | None
    source: str
    articles: tuple[Article, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "link": self.link,
            "source": self.source,
            "articles": [a.to_json() for a in self.articles],
        }


def article_id(guid: str | None, link: str | None, *parts: str | None) -> str:
    """A stable id: the document's own guid, else its link, else a hash of its content."""
    if guid and guid.strip():
        return guid.strip()
    if link and link.strip():
        return link.strip()
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8"))
    return "sha1:" + digest.hexdigest()


def dedupe_articles(articles: list[Article]) -> tuple[Article, ...]:
    """Keep the first article of each id, in document order (SPEC)."""
    seen: set[str] = set()
    kept: list[Article] = []
    for art in articles:
        if art.id not in seen:
            seen.add(art.id)
            kept.append(art)
    return tuple(kept)
