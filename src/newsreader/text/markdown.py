"""Markdown escaping: plain text written so that a renderer shows it literally.

Two escapers, because their inputs differ: :func:`markdown_from_text` takes a whole
body (paragraphs and line breaks, which it keeps) and escapes ``&`` too, since the text
it gets may hold what reads as a character reference; :func:`escape_paragraph` takes
one paragraph of a plain-text page, where an indented marker still starts a block.
:func:`quiet_escapes` removes the escapes a converter writes that no renderer needs.
"""

from __future__ import annotations

import re

# Text that a Markdown renderer would read as syntax; the escaper handles each one.
_MD_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|])")
_MD_LINE_START = re.compile(r"^([#+\-=>]|\d+(?=[.)]))", re.M)
# Escapes html-to-markdown writes that no renderer needs (mid-line '-', '+', '=', '#', and
# '_' inside a word); dropped outside code so that raw Markdown stays readable.
_NOISY_ESCAPE = re.compile(r"\\([-+=#])(?<=[^\s>\\]\\[-+=#])")
_NOISY_UNDERSCORE = re.compile(r"\\_(?<=[0-9A-Za-z]\\_)(?=[0-9A-Za-z])")
_DIGIT_ESCAPE = re.compile(r"\\([.)])(?<=[0-9]\\[.)])")
_ORDERED_MARKER = re.compile(
    r"^([ \t]*(?:(?:[-*+]|\d{1,9}\\?[.)])[ \t]+|>[ \t]*)*\d{1,9})([.)])", re.M
)
_CODE = re.compile(
    r"^(`{3,}|~{3,})[^\n]*\n.*?(?:^\1[ \t]*$|\Z)"  # fenced block
    r"|(?<![`\\])(`+).*?(?<!`)\2(?!`)",  # code span
    re.S | re.M,
)

# One paragraph of a plain-text page: syntax characters, and a marker that would
# start a block even after leading spaces.
_PARAGRAPH_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_PARAGRAPH_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_PARAGRAPH_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")


def quiet_escapes(markdown: str) -> str:
    """Drop escapes no renderer needs, leaving code spans and blocks untouched."""
    if "`" not in markdown and "~~~" not in markdown:
        return _quiet(markdown)
    parts: list[str] = []
    last = 0
    for code in _CODE.finditer(markdown):
        parts.append(_quiet(markdown[last : code.start()]))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_quiet(markdown[last:]))
    return "".join(parts)


def _quiet(prose: str) -> str:
    prose = _NOISY_UNDERSCORE.sub("_", _NOISY_ESCAPE.sub(r"\1", prose))
    if "\\." in prose or "\\)" in prose:
        # '1.' only starts a list at the start of a line (or of a list item or quote).
        prose = _ORDERED_MARKER.sub(r"\1\\\2", _DIGIT_ESCAPE.sub(r"\1", prose))
    return prose


def markdown_from_text(text: str) -> str:
    """Plain text as Markdown that renders to the same text: syntax escaped, lines kept."""
    if not text:
        return ""
    text = _MD_INLINE_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(_escape_line_start, text)
    if "\n" in text:
        text = "\n\n".join(para.replace("\n", "  \n") for para in text.split("\n\n"))
    return text


def _escape_line_start(match: re.Match[str]) -> str:
    token = match.group(1)
    if token[0].isdigit():
        return token + "\\"
    return "\\" + token


def escape_paragraph(text: str) -> str:
    """Plain text that Markdown renders literally (``2019.`` escapes its dot, not its digit)."""
    text = _PARAGRAPH_SPECIAL.sub(r"\\\1", text)
    return _PARAGRAPH_ORDERED_START.sub(r"\1\\\2", _PARAGRAPH_LINE_START.sub(r"\1\\\2", text))
