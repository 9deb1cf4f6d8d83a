"""A Markdown file -> a feed of one article.

Optional front matter (YAML between ``---`` lines, or TOML between ``+++``) names the
title, date, author, outlet and link; a broken one is ignored rather than fatal,
since the body is still worth reading. ``text`` is the rendered plain text;
``Article.markdown`` keeps the body as written, sanitised.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from newsreader.model import Article, Feed, article_id
from newsreader.text.dates import normalize_date
from newsreader.text.links import web_link
from newsreader.text.page_dates import parse_date_text
from newsreader.text.sanitise import (
    clean_block,
    clean_line,
    clean_optional,
    strip_controls,
)

_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?P<fence>---|\+\+\+)[ \t]*\n(?P<head>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)", re.DOTALL
)
MAX_RENDER_CHARS = 100_000
_FIRST_H1 = re.compile(r"^ {0,3}#[ \t]+(?P<title>.+?)[ \t#]*$|^(?P<setext>[^\n]+)\n=+[ \t]*$", re.M)


def parse_markdown_article(text: str, *, source: str, url: str | None) -> Feed:
    """One Markdown document -> a feed with one article."""
    text = strip_controls(text).replace("\r\n", "\n")
    meta, body = _split_front_matter(text)

    title = clean_line(_text(meta, "title", "headline"))
    heading = _FIRST_H1.search(body)
    if not title and heading and _only_blank_before(body, heading.start()):
        title = clean_line(heading["title"] or heading["setext"])
        body = body[heading.end() :].lstrip("\n")
    elif not title and heading:
        title = clean_line(heading["title"] or heading["setext"])
    elif (
        heading
        and _only_blank_before(body, heading.start())
        and clean_line(heading["title"] or heading["setext"]).casefold() == title.casefold()
    ):
        body = body[heading.end() :].lstrip("\n")
    if not title:
        title, body = _title_line(body)

    link = _link(_text(meta, "link", "url", "canonical"), url)
    published = _date(meta, "date", "published", "pubdate", "created")
    updated = _date(meta, "updated", "modified", "lastmod", "last_modified")
    plain = _plain_text(body)
    markdown = body.strip("\n")

    article = Article(
        id=article_id(_text(meta, "id", "guid"), link, title, published, plain),
        title=title or clean_line(source),
        link=link,
        published=published or updated,
        updated=updated,
        author=clean_optional(_names(meta.get("author") or meta.get("authors"))),
        source=clean_optional(_text(meta, "source", "outlet", "publisher", "site")),
        breadcrumb=tuple(_breadcrumb(meta)),
        summary=clean_optional(_text(meta, "summary", "description", "excerpt")),
        text=plain,
        related=tuple(_unique(clean_line(str(r)) for r in _list(meta.get("related")))),
        markdown=markdown,
    )
    outlet = article.source
    return Feed(title=outlet or article.title, link=link, source=source, articles=(article,))


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body); metadata is empty when the front matter is missing or broken."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    head, body = match["head"], text[match.end() :]
    try:
        if match["fence"] == "---":
            import yaml

            data = yaml.safe_load(head)
        else:
            import tomllib

            data = tomllib.loads(head)
    except Exception:  # a broken front matter must not lose the article (yaml/toml errors)
        return {}, body
    if not isinstance(data, dict):
        return {}, body
    return {str(k).lower(): v for k, v in data.items()}, body


def _title_line(body: str) -> tuple[str, str]:
    """The first line as title; a lone short first line is a title and leaves the body."""
    first = next((line for line in body.splitlines() if line.strip()), "")
    title = clean_line(re.sub(r"^[#>*+\-\s]+", "", first))[:120]
    block = body.lstrip("\n").split("\n\n", 1)
    if first.strip() == block[0].strip() and not first.rstrip().endswith(
        (".", "。", ":", "!", "?")
    ):
        return title, block[1] if len(block) > 1 else ""
    return title, body


def _only_blank_before(body: str, position: int) -> bool:
    return not body[:position].strip()


def _text(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
    return None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _names(value: Any) -> str | None:
    """An author given as a string, a mapping with a name, or a list of either."""
    names = []
    for item in _list(value)[:20]:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str | int) and not isinstance(item, bool):
            names.append(clean_line(str(item)))
    return ", ".join(n for n in names if n) or None


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _breadcrumb(meta: dict[str, Any]) -> list[str]:
    value = meta.get("breadcrumb") or meta.get("section") or meta.get("categories")
    if isinstance(value, str):
        parts = re.split(r"\s*(?:>|›|»|/)\s*", value)
    else:
        parts = [str(p) for p in _list(value) if isinstance(p, str | int)]
    return [p for p in (clean_line(p) for p in parts) if p][:20]


def _date(meta: dict[str, Any], *keys: str) -> str | None:
    """YAML gives dates and datetimes as objects; keep the offset they carry, add none."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and value.strip():
            value = clean_line(value)
            iso = normalize_date(value) or parse_date_text(value)
            if iso:
                return iso
    return None


def _link(value: str | None, url: str | None) -> str | None:
    return web_link(value, url) or web_link(url)


def _plain_text(body: str) -> str:
    """Markdown -> HTML (CommonMark, GFM tables) -> the same plain text as an HTML article.

    Past MAX_RENDER_CHARS the rest is kept as it is written: markdown-it reads prose at
    5 MB/s but a line of ``[`` at 70 KB/s, so only the first 100 KB are rendered.
    """
    import lxml.html
    from markdown_it import MarkdownIt

    from newsreader.formats.html_blocks import html_paragraphs

    rest = ""
    if len(body) > MAX_RENDER_CHARS:
        cut = body.rfind("\n\n", 0, MAX_RENDER_CHARS)
        cut = cut if cut > 0 else MAX_RENDER_CHARS
        body, rest = body[:cut], clean_block(body[cut:])
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    text = ""
    if html.strip():
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except lxml.etree.ParserError:
            # Raw HTML that libxml2 reads as no document at all ('<!DOCTYPE' left open
            # swallows the rest): the tag-stripping pass still finds the text.
            from newsreader.text.html import html_to_text

            text = html_to_text(html)
        else:
            text = clean_block("\n\n".join(html_paragraphs(root)))
    return f"{text}\n\n{rest}" if text and rest else text or rest
