"""HTML -> plain-text paragraphs, one per block, list items and table rows one line
each: the plain text of HTML articles and of rendered Markdown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsreader.text.sanitise import clean_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "figure",
    "figcaption", "blockquote", "pre", "ul", "ol", "dl", "table", "caption", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "address", "details", "summary", "body", "html",
}  # fmt: skip
_LINE_TAGS = {"li", "tr", "dt", "dd"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object"}


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
