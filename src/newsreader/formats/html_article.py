"""A single HTML page -> a feed of one article.

Metadata (headline, dates, author, outlet, breadcrumb) comes from what the page
states about itself: og:/article: meta tags, JSON-LD, microdata, then visible
markup. The body comes from trafilatura, which drops navigation and boilerplate.
lxml and trafilatura are imported here only, when a page is actually parsed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from newsreader.errors import ParseError
from newsreader.formats.html_blocks import html_paragraphs
from newsreader.formats.html_meta import read_page_meta
from newsreader.model import Article, Feed, article_id
from newsreader.text.links import is_dangerous
from newsreader.text.sanitise import clean_block, clean_line, strip_controls

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form", "button", "menu")
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

    page = read_page_meta(tree, url)
    title, base = page.title, page.base

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
        id=article_id(None, page.link, title, page.published, body_text),
        title=title,
        link=page.link,
        published=page.published or page.updated,
        updated=page.updated,
        author=page.author,
        source=page.outlet,
        breadcrumb=tuple(page.breadcrumb),
        summary=page.summary,
        text=body_text,
        related=(),
        markdown=markdown,
    )
    return Feed(
        title=page.outlet or page.page_title or title,
        link=page.link,
        source=source,
        articles=(article,),
    )


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
    """Absolute links and image sources; those with a dangerous scheme go."""
    for element in root.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        value = clean_line(element.get(attribute))
        if is_dangerous(value):
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


def _markdown(root: HtmlElement, base: str | None) -> str:
    import lxml.html

    from newsreader.text.html import html_to_markdown

    return html_to_markdown(lxml.html.tostring(root, encoding="unicode"), base_url=base)
