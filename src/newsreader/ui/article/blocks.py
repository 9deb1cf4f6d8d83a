"""The leaf blocks the article pane lays out, and the plain-text splitter.

A :class:`Block` is one heading, paragraph, code block, table piece or rule, with
the containers it sits in (quote depth, list nesting) flattened into fields. The
Markdown splitter is :mod:`newsreader.ui.article.splitter`; plain text
(``Article.text``) needs only :func:`iter_plain_blocks` here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

HEADING = "heading"
PARA = "para"
CODE_BLOCK = "code"
TABLE = "table"
RULE = "rule"

PARA_CHUNK = 3000  # characters per piece of a huge paragraph
_JOINERS = "\u200d\ufe0e\ufe0f\u20e3"


@dataclass(slots=True)
class Block:
    """One leaf block with its container context (quote depth, list nesting)."""

    kind: str
    text: str = ""
    level: int = 0
    depth: int = 0  # list nesting; 0 outside lists
    indent: int = 0  # cells before the marker (or the text, for an item's later paragraphs)
    marker: str = ""  # the bullet or number on an item's first line
    quote: int = 0
    rows: list[list[str]] | None = None
    lines: list[str] | None = None
    raw: bool = False  # plain text: no inline markup
    tight: bool = False  # no blank line before it (items of one list)
    end: int = 0  # offset in the source just after this block


def split_paragraph(block: Block) -> Iterator[Block]:
    """A huge paragraph in pieces that end at a sentence (or at least a space), so
    the first screen never waits for the whole of it; the pieces follow each other
    without a blank line."""
    text = block.text
    start = 0
    first = True
    size = len(text)
    while start < size:
        cut = size if size - start <= PARA_CHUNK * 2 else _cut_point(text, start + PARA_CHUNK)
        piece = Block(
            PARA,
            text=text[start:cut].strip(" "),
            quote=block.quote,
            depth=block.depth,
            raw=block.raw,
            end=max(0, block.end - (size - cut)),
        )
        if first:
            piece.indent, piece.marker, piece.tight = block.indent, block.marker, block.tight
        else:
            piece.indent = block.indent + (len(block.marker) + 1 if block.marker else 0)
            piece.tight = True
            piece.level = 1  # a continuation: no spacing line before it
        first = False
        start = cut
        yield piece


def _cut_point(text: str, at: int) -> int:
    """Where to end a piece: the first sentence end (or comma, or space) after ``at``."""
    window = text[at : at + PARA_CHUNK]
    best = -1
    for mark in ("。", "！", "？", ". ", "! ", "? ", "\n", "，", "、", ", ", " "):
        found = window.find(mark)
        if found >= 0:
            best = found + len(mark)
            break
    if best < 0:
        best = 0
        # never inside an emoji sequence or before a combining mark
        while best < len(window) and (
            window[best] in _JOINERS
            or (best and window[best - 1] == "\u200d")
            or 0x300 <= ord(window[best]) < 0x370
        ):
            best += 1
    return at + best


def iter_plain_blocks(text: str) -> Iterator[Block]:
    """Plain text (``Article.text``): paragraphs split on blank lines, lines kept."""
    pos = 0
    for para in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text):
        pos = para.end()
        body = para.group().strip("\n")
        if body.strip():
            block = Block(PARA, text=body, raw=True, end=pos)
            if len(body) > PARA_CHUNK * 2:
                yield from split_paragraph(block)
            else:
                yield block


def join_lines(lines: list[str]) -> str:
    """Soft line breaks become a space, except between two CJK characters; a trailing
    backslash (or two spaces, turned into one) is a hard break."""
    if not lines:
        return ""
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if prev.endswith("\\"):
            out.append("\n" + line)
        elif prev and line and _is_wide(prev[-1]) and _is_wide(line[0]):
            out.append(line)
        else:
            out.append(" " + line)
    text = "".join(out)
    return text[:-1] if text.endswith("\\") and not text.endswith("\\\\") else text


def _is_wide(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or (0xFF00 <= o <= 0xFFEF)
    )
