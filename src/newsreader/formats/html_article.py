"""A single HTML page -> a feed of one article.

Metadata (headline, dates, author, outlet, breadcrumb) comes from what the page
states about itself: og:/article: meta tags, JSON-LD, microdata, then visible
markup. The body comes from trafilatura, which drops navigation and boilerplate.
lxml and trafilatura are imported here only, when a page is actually parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from newsreader.errors import ParseError
from newsreader.formats.plaintext import parse_date_text
from newsreader.model import Article, Feed, article_id
from newsreader.text.dates import normalize_date
from newsreader.text.links import web_link
from newsreader.text.sanitise import clean_block, clean_line, clean_optional, strip_controls

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
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
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "figure",
    "figcaption", "blockquote", "pre", "ul", "ol", "dl", "table", "caption", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "address", "details", "summary", "body", "html",
}  # fmt: skip
_LINE_TAGS = {"li", "tr", "dt", "dd"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object"}
_BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form", "button", "menu")
_BY = re.compile(r"^\s*(?:by|von|par|por|作者|文)\s*[:：/]?\s+", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", "_", "｜", " / ")
_LOGGERS_QUIET = False


def parse_html_article(text: str, *, source: str, url: str | None) -> Feed:
    """One HTML page -> a feed with one article (SPEC: headline from og:title / h1)."""
    import lxml.html

    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise ParseError(source, "empty HTML page")
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ParseError(source, f"unreadable HTML ({exc})") from None
    _strip_tree_controls(tree)

    meta = _meta_tags(tree)
    ld = _json_ld(tree)
    base = _base_url(tree, url)
    page_title = clean_line(tree.findtext(".//title"))
    outlet = _outlet(meta, ld, page_title, _headline(tree, meta, ld, None))
    title = _headline(tree, meta, ld, outlet) or page_title
    link = _link(tree, meta, ld, base)
    base = base or link

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

    body = _extract_body(tree, base)
    if body is not None and title:
        _drop_leading_title(body, title)
    paragraphs = html_paragraphs(body) if body is not None else []
    if not title and not paragraphs:
        raise ParseError(source, "no article found in the HTML page")
    if not title:
        title = clean_line(paragraphs[0][:80])
    body_text = clean_block("\n\n".join(paragraphs))
    markdown = _markdown(body, base) if body is not None else ""

    article = Article(
        id=article_id(None, link, title, published, body_text),
        title=title,
        link=link,
        published=published or updated,
        updated=updated,
        author=author,
        source=outlet,
        breadcrumb=tuple(breadcrumb),
        summary=summary,
        text=body_text,
        related=(),
        markdown=markdown,
    )
    return Feed(title=outlet or page_title or title, link=link, source=source, articles=(article,))


# --- metadata ----------------------------------------------------------------------


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


# --- body --------------------------------------------------------------------------


def _quiet_loggers() -> None:
    """trafilatura and htmldate log page problems as warnings; a reader has no use for them."""
    global _LOGGERS_QUIET
    if not _LOGGERS_QUIET:
        import logging

        for name in ("trafilatura", "htmldate", "courlan", "justext"):
            logging.getLogger(name).addHandler(logging.NullHandler())
            logging.getLogger(name).propagate = False
        _LOGGERS_QUIET = True


def _extract_body(tree: HtmlElement, base: str | None) -> HtmlElement | None:
    """The article body as simple HTML: trafilatura's pick, else the page minus its chrome."""
    import lxml.html

    _quiet_loggers()
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    document = None
    try:
        # The parsed tree, not the text: trafilatura would parse again and drop each
        # control character alone, leaving the rest of its escape sequence as text.
        document = trafilatura.bare_extraction(
            tree,
            url=base,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_links=True,
            include_formatting=True,
        )
    except Exception:  # trafilatura raises many kinds on broken pages; fall back below
        document = None
    body = getattr(document, "body", None)
    if body is not None and len(body):
        html = lxml.etree.tostring(convert_to_html(body), encoding="unicode")
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        _strip_tree_controls(root)
    else:
        root = _fallback_body(tree)
        if root is None:
            return None
    _fix_links(root, base)
    return root


def _strip_tree_controls(root: HtmlElement) -> None:
    """Escape sequences out of every text node, raw or from ``&#27;``.

    lxml's parser keeps controls that its API refuses to set, so editing the tree
    (``drop_tree`` joins a tail to its neighbour) would raise on them.
    """
    for element in root.iter():
        text = element.text
        if text and not text.isprintable() and isinstance(element.tag, str):
            element.text = _settable(text)
        tail = element.tail
        if tail and not tail.isprintable():
            element.tail = _settable(tail)


def _settable(text: str) -> str:
    """Text without controls, and without the two noncharacters lxml also refuses."""
    return strip_controls(text).replace("\ufffe", "").replace("\uffff", "")


def _fallback_body(tree: HtmlElement) -> HtmlElement | None:
    candidates = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not candidates:
        return None
    root = candidates[0]
    for element in root.xpath(" | ".join(f".//{tag}" for tag in _BOILERPLATE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    return root


def _fix_links(root: HtmlElement, base: str | None) -> None:
    """Absolute links and image sources; script and data URLs go."""
    for element in root.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        value = clean_line(element.get(attribute))
        if value.lower().startswith(("javascript:", "data:", "vbscript:")):
            element.attrib.pop(attribute, None)
        elif value and base:
            try:
                element.set(attribute, urljoin(base, value))
            except ValueError:  # not a URL ('http://[x'): no link is better than a crash
                element.attrib.pop(attribute, None)


def _drop_leading_title(root: HtmlElement, title: str) -> None:
    """trafilatura keeps the headline as the first heading; the article shows it already."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        content = clean_line(element.text_content())
        if not content:
            continue
        if element.tag in ("h1", "h2", "h3") and content.casefold() == title.casefold():
            element.drop_tree()
        return


def html_paragraphs(root: HtmlElement) -> list[str]:
    """Plain-text paragraphs: one per block; list items and table rows one line each."""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        joined = "".join(buffer)
        buffer.clear()
        lines = [clean_line(line) for line in joined.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)

    def walk(element: HtmlElement, preformatted: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if tag == "br" or (tag in _LINE_TAGS and buffer):
            buffer.append("\n")
        elif tag in ("td", "th") and element.getprevious() is not None:
            buffer.append(" | ")
        keep = preformatted or tag == "pre"
        if element.text:
            buffer.append(_inline(element.text, keep))
        for child in element:
            walk(child, keep)
            if child.tail:
                buffer.append(_inline(child.tail, keep))
        if block:
            flush()

    walk(root)
    flush()
    return paragraphs


def _inline(text: str, preformatted: bool) -> str:
    """Source line breaks are spaces, except inside ``<pre>`` where they are the content."""
    if preformatted:
        return re.sub(r"\n[ \t]*\n", "\n", text.strip("\n"))
    return re.sub(r"\s+", " ", text)


def _markdown(root: HtmlElement, base: str | None) -> str:
    import lxml.html

    from newsreader.text.html import html_to_markdown

    return html_to_markdown(lxml.html.tostring(root, encoding="unicode"), base_url=base)
