"""Markdown -> leaf blocks, lazily: the article pane's block splitter.

Full Markdown parsers cost tens of milliseconds on a 200 KB article before anything
can be drawn. The pane needs only what is on screen first, so :class:`BlockSplitter`
reads the source a line at a time and hands over each block as soon as it is
complete; inline markup is parsed per block later, when it is laid out
(:mod:`newsreader.ui.article.inline`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, chain

from newsreader.ui.article.blocks import (
    CODE_BLOCK,
    HEADING,
    PARA,
    PARA_CHUNK,
    RULE,
    TABLE,
    Block,
    join_lines,
    split_paragraph,
)

_QUOTE = re.compile(r" {0,3}> ?")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$")
_ITEM = re.compile(r"( *)([-+*]|\d{1,9}[.)])(?:( {1,4})(.*)|[ \t]*$)")
_TABLE_DELIM = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
BULLETS = ("•", "◦", "▪", "‣")
MAX_QUOTE = 8
MAX_COLUMNS = 64
TABLE_CHUNK = 100  # rows per piece of a long table

# A construct's answer for one line: None when the line is not one of its own, else
# the blocks the line completed (a list, or a generator for a long table).
Found = Iterable[Block] | None


def iter_blocks(src: str) -> Iterator[Block]:
    """Split Markdown into leaf blocks lazily, in document order."""
    for block in BlockSplitter(src):
        if block.kind == PARA and len(block.text) > PARA_CHUNK * 2:
            yield from split_paragraph(block)
        else:
            yield block


def split_cells(row: str) -> list[str]:
    """A pipe-table row -> its cells (escaped pipes stay in the cell)."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [c.strip().replace("\\|", "|") for c in cells]


@dataclass(slots=True)
class _Item:
    """An open list item: where its marker and its content start, and its numbering."""

    lead: int
    content: int
    ordered: bool
    number: int
    width: int = 2  # cells of the shown marker and its space
    mark: str = ""  # the bullet character or the number's delimiter


class BlockSplitter:
    """Iterates the leaf blocks of one Markdown source, one method per construct.

    The containers are state carried from line to line: the quote depth of the lines
    being read (:meth:`_quote_change`) and the stack of open list items. Each line goes
    to the leaf constructs in turn (fenced code, indented code, ATX heading, setext
    underline, rule, table, list item); the first that takes it wins, and a line none
    takes continues or starts a paragraph (:meth:`_paragraph_line`).
    """

    def __init__(self, src: str) -> None:
        self.lines = src.split("\n")
        self.ends = list(accumulate(len(line) + 1 for line in self.lines))
        self.i = 0  # the line being read
        self.quote = 0
        self.stack: list[_Item] = []
        self.blank_before = False
        self.para: list[str] = []
        self.para_block: Block | None = None
        self._constructs: tuple[Callable[[str, int], Found], ...] = (
            self._fenced_code,
            self._indented_code,
            self._atx_heading,
            self._setext_heading,
            self._rule,
            self._table,
            self._list_item,
        )

    def __iter__(self) -> Iterator[Block]:
        lines = self.lines
        while self.i < len(lines):
            yield from self._line(lines[self.i].expandtabs(4))
        yield from self._flush()

    # --- containers -------------------------------------------------------------

    def _line(self, line: str) -> Iterable[Block]:
        """Read line ``self.i``; returns the blocks it completed."""
        depth, rest = _unquote(line, MAX_QUOTE)
        done: list[Block] = []
        if depth != self.quote and (rest.strip() or depth < self.quote):
            if self._lazy_continuation(depth, rest):
                return done
            done = self._quote_change(depth)
        if not rest.strip():
            done.extend(self._blank_line())
            return done
        indent = len(rest) - len(rest.lstrip(" "))
        for construct in self._constructs:
            found = construct(rest, indent)
            if found is not None:
                return chain(done, found) if done else found
        self._paragraph_line(rest, indent)
        return done

    def _lazy_continuation(self, depth: int, rest: str) -> bool:
        """A line with fewer quote markers that goes on with a quoted paragraph."""
        block = self.para_block
        lazy = block is not None and depth < self.quote and not block.raw
        if lazy and rest.strip() and not _starts_block(rest):
            self.para.append(rest.strip())
            self.i += 1
            return True
        return False

    def _quote_change(self, depth: int) -> list[Block]:
        """Entering or leaving a block quote closes the paragraph and every list."""
        done = self._flush()
        self.stack.clear()
        self.quote = depth
        self.blank_before = True
        return done

    def _blank_line(self) -> list[Block]:
        done = self._flush()
        self.blank_before = True
        self.i += 1
        return done

    def _flush(self) -> list[Block]:
        """The open paragraph, finished at the line before this one."""
        block = self.para_block
        if block is None:
            return []
        block.text = join_lines(self.para)
        block.end = self.ends[self.i - 1] if self.i else 0
        self.para, self.para_block = [], None
        return [block]

    # --- leaf constructs ----------------------------------------------------------

    def _fenced_code(self, rest: str, indent: int) -> Found:
        fence = _FENCE.match(rest)
        if fence is None:
            return None
        done = self._flush()
        stack = self.stack
        code = Block(CODE_BLOCK, depth=len(stack), indent=sum(s.width for s in stack))
        done.append(self._fence_body(fence, len(fence.group(1)), code))
        return done

    def _fence_body(self, fence: re.Match[str], strip: int, code: Block) -> Block:
        """The lines after an opening fence, up to the closing one, into ``code``;
        ``strip`` is the indentation of the opening fence, taken off every line."""
        mark = fence.group(2)
        lines = self.lines
        body_lines: list[str] = []
        self.i += 1
        while self.i < len(lines):
            _, body = _unquote(lines[self.i].expandtabs(4), self.quote)
            self.i += 1
            if body.strip().startswith(mark[0] * len(mark)) and not body.strip().strip(mark[0]):
                break
            body_lines.append(body[min(strip, len(body) - len(body.lstrip(" "))) :])
        code.lines, code.text, code.quote = body_lines, fence.group(3), self.quote
        code.end = self.ends[self.i - 1]
        self.blank_before = False
        return code

    def _indented_code(self, rest: str, indent: int) -> Found:
        if self.para_block is not None or indent < 4 or self.stack:
            return None
        code: list[str] = []
        lines = self.lines
        while self.i < len(lines):
            # Inside a quote the markers come off first; a line that leaves the quote
            # ends the block, as it ends any other in the quote.
            depth, body = _unquote(lines[self.i].expandtabs(4), self.quote)
            if depth < self.quote or (body.strip() and len(body) - len(body.lstrip(" ")) < 4):
                break
            code.append(body[4:])
            self.i += 1
        while code and not code[-1].strip():
            code.pop()
        self.blank_before = True
        return [Block(CODE_BLOCK, lines=code, quote=self.quote, end=self.ends[self.i - 1])]

    def _atx_heading(self, rest: str, indent: int) -> Found:
        atx = _ATX.match(rest)
        if atx is None or indent >= 4 + (self.stack[-1].content if self.stack else 0):
            return None
        done = self._flush()
        self.i += 1
        done.append(
            Block(
                HEADING,
                text=(atx.group(2) or "").strip(),
                level=len(atx.group(1)),
                quote=self.quote,
                end=self.ends[self.i - 1],
            )
        )
        self.stack.clear()
        self.blank_before = False
        return done

    def _setext_heading(self, rest: str, indent: int) -> Found:
        """An underline of ``=`` or ``-`` turns the paragraph above into a heading."""
        block = self.para_block
        if block is None or block.raw or block.marker != "":
            return None
        setext = _SETEXT.match(rest)
        if setext is None or self.stack or block.depth != 0:
            return None
        text = join_lines(self.para)
        self.para, self.para_block = [], None
        self.i += 1
        self.blank_before = False
        level = 1 if setext.group(1)[0] == "=" else 2
        return [Block(HEADING, text=text, level=level, quote=self.quote, end=self.ends[self.i - 1])]

    def _rule(self, rest: str, indent: int) -> Found:
        if not _RULE.match(rest):
            return None
        done = self._flush()
        self.i += 1
        done.append(Block(RULE, quote=self.quote, end=self.ends[self.i - 1]))
        self.stack.clear()
        self.blank_before = False
        return done

    def _table(self, rest: str, indent: int) -> Found:
        """A header row with a delimiter row under it; the rows come in pieces."""
        lines = self.lines
        if "|" not in rest or self.para_block is not None or self.i + 1 >= len(lines):
            return None
        _, delimiter = _unquote(lines[self.i + 1], self.quote)
        if not _TABLE_DELIM.match(delimiter):
            return None
        if "|" not in delimiter and "|" not in rest.strip()[1:-1]:
            return None
        self.i += 2
        return self._table_rows(split_cells(rest)[:MAX_COLUMNS])

    def _table_rows(self, header: list[str]) -> Iterator[Block]:
        """Long tables come in pieces, so the first screen needs only one."""
        lines = self.lines
        rows = [header]
        part = 0
        while self.i < len(lines):
            _, row = _unquote(lines[self.i], self.quote)
            if not row.strip() or "|" not in row:
                break
            rows.append(split_cells(row)[:MAX_COLUMNS])
            self.i += 1
            if len(rows) > TABLE_CHUNK:
                yield self._table_piece(rows, part)
                part += 1
                rows = [header]
        if len(rows) > 1 or part == 0:
            yield self._table_piece(rows, part)
        self.blank_before = False

    def _table_piece(self, rows: list[list[str]], part: int) -> Block:
        return Block(TABLE, rows=rows, quote=self.quote, level=part, end=self.ends[self.i - 1])

    def _list_item(self, rest: str, indent: int) -> Found:
        """A bullet or number: opens a list, continues one, or nests a new one."""
        item = _ITEM.match(rest)
        if item is None:
            return None
        marker = item.group(2)
        ordered = marker[0].isdigit()
        # Only a non-empty bullet or a "1." may interrupt a paragraph.
        interrupts = self.para_block is not None and not (self.blank_before or self.stack)
        if interrupts and (not item.group(4) or (ordered and int(marker[:-1]) != 1)):
            return None
        text = item.group(4) or ""
        if text.startswith(">"):
            # A block quote opens the item: the pane has no quotes inside list items, so
            # the line is read again as the quote it holds, and the quote's own lines
            # (and any code in it) follow as they do outside a list.
            line = self.lines[self.i].expandtabs(4)
            self.lines[self.i] = line[: len(line) - len(rest)] + text
            return []
        done = self._flush()
        stack = self.stack
        lead = len(item.group(1))
        while stack and lead < stack[-1].lead:
            stack.pop()
        content = lead + len(marker) + len(item.group(3) or " ")
        fresh = not stack or lead >= stack[-1].content
        if fresh:
            stack.append(_Item(lead, content, ordered, int(marker[:-1]) if ordered else 0))
        else:
            top = stack[-1]
            if top.ordered != ordered or top.mark != marker[-1]:
                # another bullet or delimiter starts a new list
                top.ordered = ordered
                top.number = int(marker[:-1]) if ordered else 0
            else:
                top.number += 1
            top.lead, top.content = lead, content
        top = stack[-1]
        top.mark = marker[-1]
        shown = f"{top.number}." if ordered else BULLETS[(len(stack) - 1) % len(BULLETS)]
        top.width = max(top.width if not fresh else 0, len(shown) + 1)
        first = Block(
            PARA,
            depth=len(stack),
            indent=sum(s.width for s in stack[:-1]),
            marker=shown,
            quote=self.quote,
            tight=not self.blank_before and (fresh is False or len(stack) > 1),
        )
        fence = _FENCE.match(text) if "``" in text or "~~" in text else None
        if fence is not None:
            # The item opens with a code block: its lines are the item's, not new items.
            first.kind = CODE_BLOCK
            done.append(self._fence_body(fence, content + len(fence.group(1)), first))
            return done
        self.para = [text.strip()]
        self.para_block = first
        self.blank_before = False
        self.i += 1
        return done

    def _paragraph_line(self, rest: str, indent: int) -> None:
        """Any other line: text of the open paragraph, or the first line of a new one."""
        stack = self.stack
        while (
            stack and indent < stack[-1].content and (self.blank_before or self.para_block is None)
        ):
            stack.pop()
        if self.para_block is None:
            self.para_block = Block(
                PARA,
                depth=len(stack),
                indent=sum(s.width for s in stack),
                quote=self.quote,
                tight=bool(stack) and not self.blank_before,
            )
            self.para = []
        self.para.append(rest.strip() + ("\\" if rest.endswith("  ") else ""))
        self.blank_before = False
        self.i += 1


def _unquote(line: str, most: int) -> tuple[int, str]:
    """Up to ``most`` block-quote markers off the start of ``line``: (how many, the rest)."""
    depth = 0
    while depth < most:
        m = _QUOTE.match(line)
        if m is None:
            break
        depth += 1
        line = line[m.end() :]
    return depth, line


def _starts_block(rest: str) -> bool:
    return bool(_ATX.match(rest) or _RULE.match(rest) or _FENCE.match(rest) or _ITEM.match(rest))
