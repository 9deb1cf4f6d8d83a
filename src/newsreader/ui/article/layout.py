"""Article blocks -> wrapped, styled lines, produced lazily for one width.

A line is a tuple of ``(text, key)`` segments; ``key`` names a style (component,
inline flags, link URL) that the widget turns into a Rich ``Style``. Keeping Rich
styles out of here means a theme switch costs nothing but a style-cache flush.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

from newsreader.text.links import is_followable
from newsreader.ui.article.blocks import CODE_BLOCK, HEADING, PARA, RULE, TABLE, Block
from newsreader.ui.article.document import LINKS, MESSAGE, META, TITLE, URL, Document, clean_text
from newsreader.ui.article.inline import IMAGE, LINK, REF, Inline, mark
from newsreader.ui.article.wrap import wrap

if TYPE_CHECKING:
    from newsreader.query.highlight import Highlighter

StyleKey = tuple[str, int, str | None]
Segments = tuple[tuple[str, StyleKey], ...]

_BLANK: Segments = ()


class Layout:
    """The document wrapped to ``width`` cells, extended on demand by :meth:`ensure`.

    With a ``highlighter``, what it matches in each block's text carries MATCH: the
    block is searched whole before it is wrapped, so a match cut by a line end is
    lit on both lines, and the lines themselves are the cache of the result.
    """

    def __init__(self, doc: Document, width: int, highlighter: Highlighter | None = None) -> None:
        self.doc = doc
        self.width = max(4, width)
        self.highlighter = highlighter
        self.lines: list[Segments] = []
        self.line_blocks: list[int] = []
        self.next_block = 0
        self.done = False
        self._consumed = 0
        self._body_start_line = 0
        self._table_widths: list[int] = []

    # --- growth ------------------------------------------------------------------

    def ensure(self, count: int) -> None:
        """Lay out blocks until at least ``count`` lines exist or the document ends."""
        while len(self.lines) < count and not self.done:
            self.step()

    def ensure_block(self, index: int) -> int:
        """Lay out through block ``index``; returns its first line."""
        while self.next_block <= index and not self.done:
            self.step()
        for line, block in enumerate(self.line_blocks):
            if block >= index:
                # the block's own first line, not the spacing above it
                if not self.lines[line] and line + 1 < len(self.lines):
                    return line + 1
                return line
        return max(0, len(self.lines) - 1)

    def ensure_all(self) -> None:
        while not self.done:
            self.step()

    def step(self) -> None:
        """Lay out one more block."""
        index = self.next_block
        block = self.doc.block(index)
        if block is None:
            self.done = True
            return
        self.next_block += 1
        start = len(self.lines)
        self._render(index, block)
        self.line_blocks.extend([index] * (len(self.lines) - start))
        if block.kind not in (TITLE, META, URL, MESSAGE):
            self._consumed = max(self._consumed, block.end)
        elif self._consumed == 0:
            self._body_start_line = len(self.lines)

    def estimated_height(self) -> int:
        """Exact once done; before that, the body so far scaled to the source left."""
        count = len(self.lines)
        if self.done:
            return count
        size = self.doc.source_len
        body_lines = count - self._body_start_line
        if self._consumed <= 0 or body_lines <= 0:
            return count + size // max(1, self.width) + 1
        rest = (size - self._consumed) * body_lines / self._consumed
        return count + int(rest) + 1

    # --- blocks ------------------------------------------------------------------

    def _render(self, index: int, block: Block) -> None:
        kind = block.kind
        if kind == LINKS and not self.doc.links.urls:
            return
        if self.lines and not block.tight and not (kind == TABLE and block.level):
            self._blank(block)
        if kind == TITLE:
            self._text(self.doc.inline(index, block), block, "title", 0)
        elif kind == MESSAGE:
            self._text(self.doc.inline(index, block), block, "message", 0)
        elif kind == META:
            self._text(self.doc.inline(index, block), block, "meta", 0)
        elif kind == URL:
            text = block.text
            if cell_len(text) > self.width:
                text = set_cell_size(text, self.width - 1) + "…"
            link = block.text if is_followable(block.text) else None
            self.lines.append(((text, ("url", LINK, link)),))
            self.lines.append((("─" * self.width, ("rule", 0, None)),))
        elif kind == HEADING:
            self._heading(index, block)
        elif kind == PARA:
            self._text(self.doc.inline(index, block), block, "quote" if block.quote else "body", 0)
        elif kind == CODE_BLOCK:
            self._code(block)
        elif kind == TABLE:
            self._table(index, block)
        elif kind == RULE:
            prefix = self._prefix(block, first=True)
            avail = self.width - _width(prefix)
            self.lines.append((*prefix, ("─" * max(1, avail), ("rule", 0, None))))
        elif kind == LINKS:
            self._links()

    def _blank(self, block: Block) -> None:
        if block.quote and self.line_blocks:
            prev = self.doc.blocks[self.line_blocks[-1]]
            if prev.quote:
                depth = min(prev.quote, block.quote)
                self.lines.append((("▎ " * depth, ("quote-bar", 0, None)),))
                return
        self.lines.append(_BLANK)

    def _prefix(self, block: Block, *, first: bool) -> list[tuple[str, StyleKey]]:
        parts: list[tuple[str, StyleKey]] = []
        if block.quote:
            parts.append(("▎ " * block.quote, ("quote-bar", 0, None)))
        if block.depth or block.marker:
            indent = block.indent
            if block.marker:
                if first:
                    parts.append((" " * indent, ("body", 0, None)))
                    parts.append((block.marker + " ", ("marker", 0, None)))
                else:
                    parts.append((" " * (indent + cell_len(block.marker) + 1), ("body", 0, None)))
            elif indent:
                parts.append((" " * indent, ("body", 0, None)))
        return [p for p in parts if p[0]]

    def _heading(self, index: int, block: Block) -> None:
        inline = self.doc.inline(index, block)
        component = "heading" if block.level <= 3 else "heading-minor"
        start = len(self.lines)
        self._text(inline, block, component, 0)
        if block.level == 1:
            widest = max((_width(line) for line in self.lines[start:]), default=0)
            self.lines.append((("━" * max(1, widest), ("heading", 0, None)),))

    def _text(self, inline: Inline, block: Block, component: str, extra: int) -> None:
        first = self._prefix(block, first=True)
        rest = self._prefix(block, first=False) if block.marker else first
        avail = max(4, self.width - _width(first) - extra)
        text = inline.text
        runs = self._marked(text, inline.runs)
        urls = self.doc.links.urls
        for number, (start, end) in enumerate(wrap(text, avail)):
            prefix = first if number == 0 else rest
            self.lines.append((*prefix, *_slice(text, runs, start, end, component, urls)))

    def _code(self, block: Block) -> None:
        """Code lines on a shaded ground; an item that opens with code shows its marker
        on the first line and hangs the rest under it."""
        first = self._prefix(block, first=True)
        prefix = self._prefix(block, first=False) if block.marker else first
        avail = max(4, self.width - _width(prefix))
        key: StyleKey = ("code", 0, None)
        lines = block.lines or [""]
        highlighter = self.highlighter
        for raw in lines:
            raw = clean_text(raw)
            ranges = wrap(raw, avail - 2) if raw else [(0, 0)]
            spans = highlighter.spans(raw) if highlighter is not None and raw else []
            for a, b in ranges:
                piece = raw[a:b]
                pad = " " * max(0, avail - 1 - cell_len(piece))
                if spans:
                    self.lines.append((*first, *_code_marked(raw, a, b, spans, pad)))
                else:
                    self.lines.append((*first, (" " + piece + pad, key)))
                first = prefix

    def _table(self, index: int, block: Block) -> None:
        rows = self.doc.table(index, block)
        if not rows:
            return
        prefix = self._prefix(block, first=True)
        avail = self.width - _width(prefix)
        ncols = max(len(r) for r in rows)
        natural = [0] * ncols
        for row in rows:
            for c, cell in enumerate(row):
                natural[c] = max(
                    natural[c], max((cell_len(x) for x in cell.text.split("\n")), default=0)
                )
        sep = 3
        budget = avail - sep * (ncols - 1)
        if budget < 3 * ncols:
            self._table_as_records(rows, block)
            return
        widths = _fit_columns(natural, budget)
        if block.level and len(self._table_widths) == ncols:
            # a later piece of a long table keeps the columns of the first
            widths = self._table_widths
        self._table_widths = widths
        border: StyleKey = ("table-border", 0, None)
        continued = block.level > 0
        for r, row in enumerate(rows):
            if r == 0 and continued:
                continue
            component = "table-header" if r == 0 else "body"
            wrapped = []
            for c in range(ncols):
                cell = row[c] if c < len(row) else Inline()
                runs = self._marked(cell.text, cell.runs)
                wrapped.append(
                    [
                        _slice(cell.text, runs, a, b, component, self.doc.links.urls)
                        for a, b in wrap(cell.text, widths[c])
                    ]
                )
            height = max(len(w) for w in wrapped)
            for y in range(height):
                line: list[tuple[str, StyleKey]] = list(prefix)
                for c in range(ncols):
                    segs = wrapped[c][y] if y < len(wrapped[c]) else ()
                    line.extend(segs)
                    if c < ncols - 1:
                        pad = widths[c] - _width(segs)
                        line.append((" " * pad + " │ ", border))
                self.lines.append(tuple(line))
            if r == 0:
                rule = "─┼─".join("─" * w for w in widths)
                self.lines.append((*prefix, (rule, border)))

    def _table_as_records(self, rows: list[list[Inline]], block: Block) -> None:
        """A table too wide for the pane: each row as "header: value" lines."""
        header = rows[0]
        for r, row in enumerate(rows[1:]):
            if r:
                self.lines.append(_BLANK)
            for c, cell in enumerate(row):
                name = header[c].text if c < len(header) else ""
                label = Inline()
                label.add(f"{name}: " if name else "")
                merged = Inline(label.text, list(label.runs))
                for end, flags, link in cell.runs:
                    merged.runs.append((end + len(label.text), flags, link))
                merged.text += cell.text
                self._text(merged, block, "body", 0)

    def _links(self) -> None:
        urls = self.doc.links.urls
        if not urls:
            return
        self.lines.append((("Links", ("heading", 0, None)),))
        digits = len(str(len(urls)))
        for number, url in enumerate(urls, 1):
            label = f"[{number}]".rjust(digits + 2) + " "
            clean = clean_text(url)
            key: StyleKey = ("link", LINK, clean if is_followable(clean) else None)
            avail = max(4, self.width - len(label))
            pieces = [clean[a:b] for a, b in wrap(clean, avail)] or [""]
            for i, piece in enumerate(pieces):
                lead = label if i == 0 else " " * len(label)
                self.lines.append(((lead, ("ref", REF, None)), (piece, key)))

    def _marked(self, text: str, runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """``runs`` with MATCH where the highlighter finds its terms in ``text``."""
        if self.highlighter is None or not text:
            return runs
        spans = self.highlighter.spans(text)
        return mark(runs, spans) if spans else runs


def _code_marked(
    raw: str, start: int, end: int, spans: list[tuple[int, int]], pad: str
) -> Segments:
    """One wrapped piece of a code line, ``raw[start:end]``, cut where matches begin
    and end; the margin and padding around it are never lit."""
    out: list[tuple[str, StyleKey]] = [(" ", ("code", 0, None))]
    run_start = 0
    for run_end, flags, _ in mark([(end, 0, 0)], spans):
        if run_end > start:
            out.append((raw[max(start, run_start) : run_end], ("code", flags, None)))
        run_start = run_end
    if pad:
        out.append((pad, ("code", 0, None)))
    return tuple(out)


def _width(segments: Segments | list[tuple[str, StyleKey]]) -> int:
    return sum(cell_len(text) for text, _ in segments)


def _slice(
    text: str,
    runs: list[tuple[int, int, int]],
    start: int,
    end: int,
    component: str,
    urls: list[str],
) -> Segments:
    """The styled segments of ``text[start:end]``."""
    out: list[tuple[str, StyleKey]] = []
    run_start = 0
    for run_end, flags, link in runs:
        if run_end <= start:
            run_start = run_end
            continue
        if run_start >= end:
            break
        a = max(start, run_start)
        b = min(end, run_end)
        if b > a:
            out.append((text[a:b], _key(component, flags, link, urls)))
        run_start = run_end
    return tuple(out)


def _key(component: str, flags: int, link: int, urls: list[str]) -> StyleKey:
    if flags & (LINK | IMAGE | REF):
        name = "image" if flags & IMAGE else "ref" if flags & REF else "link"
        url = clean_text(urls[link - 1]) if 0 < link <= len(urls) else None
        return (name, flags, url if url and is_followable(url) else None)
    return (component, flags, None)


def _fit_columns(natural: list[int], budget: int) -> list[int]:
    """Column widths within ``budget``: narrow columns keep their width, wide ones share."""
    widths = [max(1, n) for n in natural]
    if sum(widths) <= budget:
        return widths
    share = budget // len(widths)
    fixed = [w for w in widths if w <= share]
    while True:
        left = budget - sum(fixed)
        wide = [w for w in widths if w > share]
        if not wide:
            break
        new_share = max(3, left // len(wide))
        if new_share == share:
            break
        share = new_share
        fixed = [w for w in widths if w <= share]
    out = [w if w <= share else share for w in widths]
    spare = budget - sum(out)
    for i, w in enumerate(widths):
        if spare <= 0:
            break
        if out[i] < w:
            add = min(spare, w - out[i])
            out[i] += add
            spare -= add
    return out
