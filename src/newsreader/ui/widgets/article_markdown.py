"""A small, lazy Markdown reader for the article pane.

Full Markdown parsers cost tens of milliseconds on a 200 KB article before anything
can be drawn. The pane needs only what is on screen first, so blocks are split off
one at a time, on demand, and inline markup is parsed per block when it is laid
out. Feed text is never treated as terminal or Rich markup: everything produced
here is plain strings plus flags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from newsreader.text.sanitise import for_terminal

# Inline flags; a run of text carries any combination of them.
BOLD = 1
ITALIC = 2
CODE = 4
LINK = 8
IMAGE = 16
STRIKE = 32
REF = 64  # the "[n]" reference number after a link

_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(slots=True)
class Inline:
    """Plain text plus contiguous runs ``(end, flags, link_number)`` covering it."""

    text: str = ""
    runs: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, text: str, flags: int = 0, link: int = 0) -> None:
        if not text:
            return
        self.text += text
        end = len(self.text)
        if self.runs and self.runs[-1][1] == flags and self.runs[-1][2] == link:
            self.runs[-1] = (end, flags, link)
        else:
            self.runs.append((end, flags, link))


class Links:
    """Link targets numbered in the order they first appear; a repeated URL keeps its number."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base
        self.urls: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, url: str) -> int:
        url = self.resolve(url)
        if not url:
            return 0
        found = self._numbers.get(url)
        if found is None:
            self.urls.append(url)
            found = self._numbers[url] = len(self.urls)
        return found

    def resolve(self, url: str) -> str:
        url = "".join(url.split())
        if not url:
            return ""
        if self.base and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
            try:
                url = urljoin(self.base, url)
            except ValueError:
                return url
        return url


# --- inline ------------------------------------------------------------------------

_SPECIAL = re.compile(r"[\\`*_~!\[<&\n]")
_CODE_SPAN = {n: re.compile(r"(?<!`)" + "`" * n + r"(?!`)") for n in range(1, 8)}
# Link text: brackets may nest one level ("[![alt](src)](href)").
_BRACKETS = re.compile(r"\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]", re.DOTALL)
_DESTINATION = re.compile(
    r"\(\s*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REF_LABEL = re.compile(r"\[([^\[\]]{0,999})\]")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_REF_DEF = re.compile(
    r"^ {0,3}\[([^\[\]]{1,999})\]:[ \t]*<?([^\s>]+)>?"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
    re.MULTILINE,
)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


class InlineParser:
    """CommonMark-ish inline markup -> :class:`Inline`; every step is linear in the input."""

    def __init__(self, links: Links, refs: dict[str, str]) -> None:
        self.links = links
        self.refs = refs

    def parse(self, src: str) -> Inline:
        out = Inline()
        self._failed: dict[str, int] = {}
        self._parse(src, 0, out)
        return out

    def _parse(self, src: str, flags: int, out: Inline) -> None:
        pos = 0
        size = len(src)
        while pos < size:
            m = _SPECIAL.search(src, pos)
            if m is None:
                out.add(src[pos:], flags)
                return
            i = m.start()
            if i > pos:
                out.add(src[pos:i], flags)
            pos = self._special(src, i, flags, out)

    def _special(self, src: str, i: int, flags: int, out: Inline) -> int:
        c = src[i]
        nxt = src[i + 1] if i + 1 < len(src) else ""
        if c == "\\":
            if nxt == "\n":
                out.add("\n", flags)
                return i + 2
            if nxt in _ASCII_PUNCT and nxt:
                out.add(nxt, flags)
                return i + 2
            out.add("\\", flags)
            return i + 1
        if c == "\n":
            out.add("\n", flags)
            return i + 1
        if c == "`":
            return self._code(src, i, flags, out)
        if c == "!" and nxt == "[":
            end = self._link(src, i + 1, flags, out, image=True)
            if end:
                return end
            out.add("!", flags)
            return i + 1
        if c == "[":
            end = self._link(src, i, flags, out, image=False)
            if end:
                return end
            out.add("[", flags)
            return i + 1
        if c == "<":
            m = _AUTOLINK.match(src, i)
            if m:
                target = m.group(1)
                url = target if ":" in target else "mailto:" + target
                self._emit_link(out, target, url, flags)
                return m.end()
            out.add("<", flags)
            return i + 1
        if c == "&":
            m = _ENTITY.match(src, i)
            if m:
                # A reference may name any character (&#13; is a carriage return):
                # what it decodes to is cleaned like the text around it.
                out.add(for_terminal(html.unescape(m.group(0))), flags)
                return m.end()
            out.add("&", flags)
            return i + 1
        return self._emphasis(src, i, flags, out)

    def _code(self, src: str, i: int, flags: int, out: Inline) -> int:
        n = 1
        while i + n < len(src) and src[i + n] == "`":
            n += 1
        closer = _CODE_SPAN.get(n)
        key = "`" * n
        if closer is None or self._failed.get(key, len(src)) <= i:
            out.add(key, flags)
            return i + n
        m = closer.search(src, i + n)
        if m is None:
            self._failed[key] = i
            out.add(key, flags)
            return i + n
        body = src[i + n : m.start()].replace("\n", " ")
        if len(body) > 2 and body[0] == " " and body[-1] == " " and body.strip():
            body = body[1:-1]
        out.add(body, flags | CODE)
        return m.end()

    def _emphasis(self, src: str, i: int, flags: int, out: Inline) -> int:
        c = src[i]
        n = 1
        while i + n < len(src) and src[i + n] == c:
            n += 1
        after = src[i + n] if i + n < len(src) else " "
        before = src[i - 1] if i > 0 else " "
        opens = not after.isspace()
        if c == "_" and before.isalnum():
            opens = False
        if c == "~" and n != 2:
            opens = False
        if not opens or n > 3:
            out.add(c * n, flags)
            return i + n
        close = self._find_closer(src, i + n, c, n)
        if close < 0:
            out.add(c * n, flags)
            return i + n
        add = STRIKE if c == "~" else {1: ITALIC, 2: BOLD, 3: BOLD | ITALIC}[n]
        self._parse(src[i + n : close], flags | add, out)
        return close + n

    def _find_closer(self, src: str, start: int, c: str, n: int) -> int:
        key = c * n
        if self._failed.get(key, len(src) + 1) <= start:
            return -1
        pos = start
        size = len(src)
        while True:
            j = src.find(c, pos)
            if j < 0:
                self._failed[key] = start
                return -1
            run = 1
            while j + run < size and src[j + run] == c:
                run += 1
            after = src[j + run] if j + run < size else " "
            if (
                run == n
                and j > start
                and not src[j - 1].isspace()
                and not (c == "_" and after.isalnum())
            ):
                return j
            pos = j + run

    def _link(self, src: str, i: int, flags: int, out: Inline, *, image: bool) -> int:
        m = _BRACKETS.match(src, i)
        if m is None:
            return 0
        label = m.group(1)
        end = m.end()
        url: str | None = None
        dest = _DESTINATION.match(src, end)
        if dest:
            url = dest.group(1).strip()
            if url.startswith("<") and url.endswith(">"):
                url = url[1:-1]
            url = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", url)
            end = dest.end()
        else:
            ref = _REF_LABEL.match(src, end)
            if ref and ref.group(1).strip():
                url = self.refs.get(_label(ref.group(1)))
                if url is not None:
                    end = ref.end()
            if url is None:
                url = self.refs.get(_label(label))
                if ref and ref.group(1) == "" and url is not None:
                    end = ref.end()
            if url is None:
                return 0
        if image:
            alt = Inline()
            self._parse(label, 0, alt)
            text = "[image:\u00a0" + (" ".join(alt.text.split()) or "untitled") + "]"
            self._emit_link(out, text, url, flags | IMAGE)
            return end
        start = len(out.text)
        self._parse(label, flags | LINK, out)
        number = self.links.number(url)
        if number:
            # Retag what the label produced with its link number, keeping nested images.
            self._tag(out, start, number)
            out.add(f"[{number}]", flags | REF, number)
        return end

    def _emit_link(self, out: Inline, text: str, url: str, flags: int) -> None:
        number = self.links.number(url)
        out.add(text, flags | LINK, number)
        if number:
            out.add(f"[{number}]", (flags & ~(LINK | IMAGE)) | REF, number)

    @staticmethod
    def _tag(out: Inline, start: int, number: int) -> None:
        runs = []
        prev_end = 0
        for end, fl, link in out.runs:
            if end > start and link == 0:
                if prev_end < start:
                    runs.append((start, fl, link))
                runs.append((end, fl, number))
            else:
                runs.append((end, fl, link))
            prev_end = end
        out.runs = runs


# --- blocks ------------------------------------------------------------------------

HEADING = "heading"
PARA = "para"
CODE_BLOCK = "code"
TABLE = "table"
RULE = "rule"


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
PARA_CHUNK = 3000  # characters per piece of a huge paragraph
_JOINERS = "\u200d\ufe0e\ufe0f\u20e3"


def split_cells(row: str) -> list[str]:
    """A pipe-table row -> its cells (escaped pipes stay in the cell)."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [c.strip().replace("\\|", "|") for c in cells]


def find_refs(src: str) -> dict[str, str]:
    """Reference definitions (``[id]: url``) anywhere in the document."""
    if "]:" not in src:
        return {}
    refs: dict[str, str] = {}
    for m in _REF_DEF.finditer(src):
        refs.setdefault(_label(m.group(1)), m.group(2))
    return refs


@dataclass(slots=True)
class _Item:
    lead: int
    content: int
    ordered: bool
    number: int
    width: int = 2  # cells of the shown marker and its space
    mark: str = ""  # the bullet character or the number's delimiter


def iter_blocks(src: str) -> Iterator[Block]:
    """Split Markdown into leaf blocks lazily, in document order."""
    for block in _iter_blocks(src):
        if block.kind == PARA and len(block.text) > PARA_CHUNK * 2:
            yield from split_paragraph(block)
        else:
            yield block


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


def _iter_blocks(src: str) -> Iterator[Block]:
    lines = src.split("\n")
    offsets = 0
    ends: list[int] = []
    for line in lines:
        offsets += len(line) + 1
        ends.append(offsets)
    para: list[str] = []
    para_block: Block | None = None
    stack: list[_Item] = []
    blank_before = False
    quote = 0
    i = 0
    n = len(lines)

    def flush() -> Block | None:
        nonlocal para, para_block
        block = para_block
        if block is not None:
            block.text = _join_lines(para)
            block.end = ends[i - 1] if i else 0
        para, para_block = [], None
        return block

    while i < n:
        line = lines[i].expandtabs(4)
        depth = 0
        rest = line
        while depth < MAX_QUOTE:
            m = _QUOTE.match(rest)
            if not m:
                break
            depth += 1
            rest = rest[m.end() :]
        if depth != quote and (rest.strip() or depth < quote):
            lazy = para_block is not None and depth < quote and not para_block.raw
            if lazy and rest.strip() and not _starts_block(rest):
                # a lazy continuation line of a quoted paragraph
                para.append(rest.strip())
                i += 1
                continue
            block = flush()
            if block:
                yield block
            stack.clear()
            quote = depth
            blank_before = True
        if not rest.strip():
            block = flush()
            if block:
                yield block
            blank_before = True
            i += 1
            continue
        indent = len(rest) - len(rest.lstrip(" "))

        fence = _FENCE.match(rest)
        if fence:
            block = flush()
            if block:
                yield block
            mark = fence.group(2)
            strip = len(fence.group(1))
            code: list[str] = []
            i += 1
            while i < n:
                raw = lines[i].expandtabs(4)
                body = raw
                for _ in range(quote):
                    m = _QUOTE.match(body)
                    if m:
                        body = body[m.end() :]
                if body.strip().startswith(mark[0] * len(mark)) and not body.strip().strip(mark[0]):
                    i += 1
                    break
                code.append(body[min(strip, len(body) - len(body.lstrip(" "))) :])
                i += 1
            yield Block(
                CODE_BLOCK,
                lines=code,
                quote=quote,
                depth=len(stack),
                indent=sum(s.width for s in stack),
                text=fence.group(3),
                end=ends[i - 1],
            )
            blank_before = False
            continue

        if para_block is None and indent >= 4 and not stack:
            code = []
            while i < n:
                raw = lines[i].expandtabs(4)
                if raw.strip() and len(raw) - len(raw.lstrip(" ")) < 4:
                    break
                code.append(raw[4:])
                i += 1
            while code and not code[-1].strip():
                code.pop()
            yield Block(CODE_BLOCK, lines=code, quote=quote, end=ends[i - 1])
            blank_before = True
            continue

        atx = _ATX.match(rest)
        if atx and indent < 4 + (stack[-1].content if stack else 0):
            block = flush()
            if block:
                yield block
            i += 1
            yield Block(
                HEADING,
                text=(atx.group(2) or "").strip(),
                level=len(atx.group(1)),
                quote=quote,
                end=ends[i - 1],
            )
            stack.clear()
            blank_before = False
            continue

        if para_block is not None and not para_block.raw and para_block.marker == "":
            setext = _SETEXT.match(rest)
            if setext and not stack and para_block.depth == 0:
                text = _join_lines(para)
                para, para_block = [], None
                i += 1
                yield Block(
                    HEADING,
                    text=text,
                    level=1 if setext.group(1)[0] == "=" else 2,
                    quote=quote,
                    end=ends[i - 1],
                )
                blank_before = False
                continue

        if _RULE.match(rest):
            block = flush()
            if block:
                yield block
            i += 1
            yield Block(RULE, quote=quote, end=ends[i - 1])
            stack.clear()
            blank_before = False
            continue

        if "|" in rest and para_block is None and i + 1 < n:
            nxt = lines[i + 1]
            for _ in range(quote):
                m = _QUOTE.match(nxt)
                if m:
                    nxt = nxt[m.end() :]
            if _TABLE_DELIM.match(nxt) and ("|" in nxt or "|" in rest.strip()[1:-1]):
                header = split_cells(rest)[:MAX_COLUMNS]
                rows = [header]
                part = 0
                i += 2
                while i < n:
                    row = lines[i]
                    for _ in range(quote):
                        m = _QUOTE.match(row)
                        if m:
                            row = row[m.end() :]
                    if not row.strip() or "|" not in row:
                        break
                    rows.append(split_cells(row)[:MAX_COLUMNS])
                    i += 1
                    if len(rows) > TABLE_CHUNK:
                        # Long tables come in pieces, so the first screen needs only one.
                        yield Block(TABLE, rows=rows, quote=quote, level=part, end=ends[i - 1])
                        part += 1
                        rows = [header]
                if len(rows) > 1 or part == 0:
                    yield Block(TABLE, rows=rows, quote=quote, level=part, end=ends[i - 1])
                blank_before = False
                continue

        item = _ITEM.match(rest)
        if item and para_block is not None and not (blank_before or stack):
            # Only a non-empty bullet or a "1." may interrupt a paragraph.
            mark = item.group(2)
            if not item.group(4) or (mark[0].isdigit() and int(mark[:-1]) != 1):
                item = None
        if item:
            block = flush()
            if block:
                yield block
            lead = len(item.group(1))
            while stack and lead < stack[-1].lead:
                stack.pop()
            marker = item.group(2)
            ordered = marker[0].isdigit()
            gap = len(item.group(3) or " ")
            content = lead + len(marker) + gap
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
            stack[-1].mark = marker[-1]
            top = stack[-1]
            shown = f"{top.number}." if ordered else BULLETS[(len(stack) - 1) % len(BULLETS)]
            top.width = max(top.width if not fresh else 0, len(shown) + 1)
            para = [(item.group(4) or "").strip()]
            para_block = Block(
                PARA,
                depth=len(stack),
                indent=sum(s.width for s in stack[:-1]),
                marker=shown,
                quote=quote,
                tight=not blank_before and (fresh is False or len(stack) > 1),
            )
            blank_before = False
            i += 1
            continue

        if stack:
            while stack and indent < stack[-1].content and (blank_before or para_block is None):
                stack.pop()
        if para_block is None:
            para_block = Block(
                PARA,
                depth=len(stack),
                indent=sum(s.width for s in stack),
                quote=quote,
                tight=bool(stack) and not blank_before,
            )
            para = []
        para.append(rest.strip() + ("\\" if rest.endswith("  ") else ""))
        blank_before = False
        i += 1

    block = flush()
    if block:
        yield block


def _starts_block(rest: str) -> bool:
    return bool(_ATX.match(rest) or _RULE.match(rest) or _FENCE.match(rest) or _ITEM.match(rest))


def _join_lines(lines: list[str]) -> str:
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
