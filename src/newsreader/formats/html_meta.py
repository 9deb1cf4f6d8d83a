"""What an HTML page says about its article: headline, link, outlet, dates, author,
summary and breadcrumb, from ``<meta>`` tags, JSON-LD, microdata and the markup, in
that order of trust."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsreader.text.dates import normalize_date
from newsreader.text.links import web_link
from newsreader.text.page_dates import parse_date_text
from newsreader.text.sanitise import clean_line, clean_optional

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "webpage",
    "posting",
    "socialmediaposting",
    "liveblogposting",
}
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
)
_UPDATED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
)
_OUTLET_META = (
    "og:site_name",
    "application-name",
    "publisher",
    "dc.publisher",
    "dcterms.publisher",
)
_SUMMARY_META = ("og:description", "description", "twitter:description", "dc.description")
_BY = re.compile(r"^\s*(?:by|von|par|por|作者|文)\s*[:：/]?\s+", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", "_", "｜", " / ")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The article's facts as the page states them; ``base`` resolves its links."""

    page_title: str
    title: str
    outlet: str | None
    link: str | None
    base: str | None
    published: str | None
    updated: str | None
    author: str | None
    summary: str | None
    breadcrumb: list[str]


def read_page_meta(tree: HtmlElement, url: str | None) -> PageMeta:
    """Every fact the page gives about its article, each from the first place that has it."""
    meta = _meta_tags(tree)
    ld = _json_ld(tree)
    base = _base_url(tree, url)
    page_title = clean_line(tree.findtext(".//title"))
    outlet = _outlet(meta, ld, page_title, _headline(tree, meta, ld, None))
    title = _headline(tree, meta, ld, outlet) or page_title
    link = _link(tree, meta, ld, base)

    published = _first_date(
        [meta.get(k) for k in _PUBLISHED_META]
        + [_ld_text(ld.get("datePublished"))]
        + _itemprop(tree, "datePublished")
        + _datetimes(tree, "//time[@pubdate][@datetime]")
        + _datetimes(tree, "//article//time[@datetime]")[:1]
    )
    updated = _first_date(
        [meta.get(k) for k in _UPDATED_META]
        + [_ld_text(ld.get("dateModified"))]
        + _itemprop(tree, "dateModified")
    )
    author = _author(tree, meta, ld)
    summary = _first_clean([meta.get(k) for k in _SUMMARY_META] + [_ld_text(ld.get("description"))])
    breadcrumb = _breadcrumb(tree, ld, title)
    return PageMeta(
        page_title=page_title,
        title=title,
        outlet=outlet,
        link=link,
        base=base or link,
        published=published,
        updated=updated,
        author=author,
        summary=summary,
        breadcrumb=breadcrumb,
    )


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` property/name/itemprop -> content, first one wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        content = element.get("content")
        key = key.strip().lower()
        if key and content and content.strip() and key not in found:
            found[key] = content
    return found


def _json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The page's own article object from JSON-LD (plus its breadcrumb list under ``@crumbs``)."""
    article: dict[str, Any] = {}
    crumbs: dict[str, Any] | None = None
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = script.text or ""
        if len(raw) > 1_000_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for node in _ld_nodes(data):
            kinds = node.get("@type")
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            names = {str(k).lower() for k in kinds}
            if "breadcrumblist" in names and crumbs is None:
                crumbs = node
            elif names & _ARTICLE_TYPES and (not article or "webpage" in article["@kinds"]):
                article = {**node, "@kinds": names}
    if crumbs is not None:
        article["@crumbs"] = crumbs
    return article


def _ld_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:200]:
            yield from _ld_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_nodes(data["@graph"], depth + 1)
        if isinstance(data.get("breadcrumb"), dict):
            yield data["breadcrumb"]


def _ld_text(value: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, objects by name, lists by first item."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return value if isinstance(value, str) else None


def _ld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [name for item in items[:20] if (name := _ld_text(item))]


def _itemprop(tree: HtmlElement, prop: str) -> list[str | None]:
    return [
        el.get("content") or el.get("datetime") or el.text_content()
        for el in tree.xpath(f"//*[@itemprop='{prop}']")[:3]
    ]


def _datetimes(tree: HtmlElement, path: str) -> list[str | None]:
    return [el.get("datetime") for el in tree.xpath(path)]


def _first_date(values: list[str | None]) -> str | None:
    """The first value that reads as a date; the page's own offset is kept."""
    for value in values:
        if value and value.strip():
            value = clean_line(value)
            iso = normalize_date(value) or parse_date_text(value)
            if iso:
                return iso
    return None


def _first_clean(values: list[str | None]) -> str | None:
    for value in values:
        cleaned = clean_optional(value)
        if cleaned:
            return cleaned
    return None


def _is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://", "//", "/"))


def _outlet(meta: dict[str, str], ld: dict[str, Any], page_title: str, headline: str) -> str | None:
    """The publication the page names: og:site_name, JSON-LD publisher, the title's suffix."""
    named = _first_clean(
        [meta.get("og:site_name"), _ld_text(ld.get("publisher"))]
        + [meta.get(k) for k in _OUTLET_META[1:]]
    )
    if named and not _is_url(named):
        return named
    for separator in _TITLE_SEPARATORS:
        if headline and page_title.startswith(headline + separator):
            return clean_optional(page_title[len(headline) + len(separator) :])
    return None


def _headline(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], outlet: str | None
) -> str:
    """og:title, else JSON-LD headline, else the article's h1 (never the <title> suffix)."""
    h1 = tree.xpath("//article//h1 | //main//h1") or tree.xpath("//h1")
    candidates = [
        meta.get("og:title"),
        _ld_text(ld.get("headline")),
        h1[0].text_content() if h1 else None,
        meta.get("twitter:title"),
    ]
    title = _first_clean(candidates) or ""
    for separator in _TITLE_SEPARATORS:
        if outlet and title.endswith(separator + outlet):
            return title[: -len(separator + outlet)].strip()
    return title


def _base_url(tree: HtmlElement, url: str | None) -> str | None:
    base = tree.find(".//base[@href]")
    if base is not None and url:
        return web_link(base.get("href", ""), url) or url
    return url


def _absolute(value: str | None, base: str | None) -> str | None:
    return web_link(value, base)


def _link(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], base: str | None
) -> str | None:
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    main_entity = ld.get("mainEntityOfPage")
    if isinstance(main_entity, dict):
        main_entity = main_entity.get("@id")
    for candidate in (
        canonical[0] if canonical else None,
        meta.get("og:url"),
        ld.get("url") if isinstance(ld.get("url"), str) else None,
        main_entity if isinstance(main_entity, str) else None,
        base,
    ):
        absolute = _absolute(candidate, base)
        if absolute:
            return absolute
    return None


def _author(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    ld_authors = _ld_names(ld.get("author"))
    candidates: list[str | None] = [meta.get(k) for k in _AUTHOR_META]
    candidates.insert(2, ", ".join(ld_authors) if ld_authors else None)
    candidates += [el.text_content() for el in tree.xpath("//a[@rel='author']")[:1]]
    candidates += _itemprop(tree, "author")[:1]
    candidates += [
        el.text_content()
        for el in tree.xpath(
            "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ') or "
            "contains(concat(' ', normalize-space(@class), ' '), ' author ')]"
        )[:1]
    ]
    for candidate in candidates:
        name = clean_line(candidate)
        if not name or _is_url(name) or len(name) > 120:
            continue
        name = _BY.sub("", name)
        name = re.split(r"\s+[·•|]\s+|\s+on\s+\w+ \d", name)[0].strip(" ,")
        if name:
            return name
    return None


def _breadcrumb(tree: HtmlElement, ld: dict[str, Any], title: str) -> list[str]:
    """The section path: JSON-LD BreadcrumbList, microdata, or an element named breadcrumb."""
    items = _ld_breadcrumb(ld) or _markup_breadcrumb(tree)
    items = [item for item in items if item]
    if items and title and items[-1].casefold() == title.casefold():
        items.pop()
    return items[:20]


def _ld_breadcrumb(ld: dict[str, Any]) -> list[str]:
    crumbs = ld.get("@crumbs") or {}
    elements = crumbs.get("itemListElement")
    if not isinstance(elements, list):
        return []
    entries = []
    for index, element in enumerate(elements[:50]):
        if not isinstance(element, dict):
            continue
        name = element.get("name") or _ld_text(element.get("item"))
        position = element.get("position")
        order = position if isinstance(position, int | float) else index
        entries.append((order, clean_line(name if isinstance(name, str) else "")))
    return [name for _, name in sorted(entries, key=lambda e: e[0])]


def _markup_breadcrumb(tree: HtmlElement) -> list[str]:
    microdata = tree.xpath("//*[contains(@itemtype, 'BreadcrumbList')]")
    if microdata:
        names = microdata[0].xpath(".//*[@itemprop='name']")
        if names:
            return [clean_line(el.get("content") or el.text_content()) for el in names]
    containers = tree.xpath(
        "//*[contains(translate(@class, 'BREADCUMS', 'breadcums'), 'breadcrumb') or "
        "contains(translate(@id, 'BREADCUMS', 'breadcums'), 'breadcrumb') or "
        "contains(translate(@aria-label, 'BREADCUMS', 'breadcums'), 'breadcrumb')]"
    )
    if not containers:
        return []
    container = containers[0]
    entries = container.xpath(".//li") or container.xpath(".//a")
    if entries:
        return [clean_line(el.text_content()).strip(" >›»/") for el in entries]
    parts = re.split(r"\s*(?:>|›|»|/|→)\s*", clean_line(container.text_content()))
    return [part for part in parts if part]
