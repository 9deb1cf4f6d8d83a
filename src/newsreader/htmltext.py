"""Old address of :mod:`newsreader.text.html`, for formats.feed until it imports the new
home; it defines nothing."""

from newsreader.text.html import html_to_markdown, html_to_text, html_to_text_and_markdown

__all__ = ["html_to_markdown", "html_to_text", "html_to_text_and_markdown"]
