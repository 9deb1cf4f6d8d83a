"""One article as blocks: the head (title, meta line, link), the body, split from its
source only as far as anyone has looked, and the related headlines and links after it.

Inline markup and table cells are parsed once per block and kept, so laying the
document out again at another width costs no re-parse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from newsreader.text.dates import display_date
from newsreader.text.sanitise import for_terminal
from newsreader.ui.article.blocks import HEADING, PARA, Block, iter_plain_blocks
from newsreader.ui.article.inline import Inline, InlineParser, Links, find_refs
from newsreader.ui.article.splitter import iter_blocks

TITLE = "title"
META = "meta"
URL = "url"
MESSAGE = "message"
LINKS = "links"


def clean_text(text: str) -> str:
    """A block's text as it will be measured and drawn: :func:`for_terminal`, keeping
    newlines (line breaks for the wrapper) and a tab's four cells (code)."""
    if text.isprintable():
        return text
    return for_terminal(text.replace("\t", "    "), lines=True)


def local_date(value: str | None) -> str:
    """The meta line's date: :func:`newsreader.text.dates.display_date`, which never raises."""
    return display_date(value)


@dataclass(slots=True)
class Document:
    """The blocks of one article, split from the source only as far as anyone has looked."""

    head: list[Block]
    source: Iterator[Block]
    source_len: int
    links: Links
    parser: InlineParser
    tail: list[Block] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    inlines: dict[int, Inline] = field(default_factory=dict)
    cells: dict[int, list[list[Inline]]] = field(default_factory=dict)
    finished: bool = False

    @classmethod
    def build(
        cls,
        *,
        title: str,
        meta: str,
        url: str | None,
        markdown: str,
        text: str,
        related: tuple[str, ...] = (),
        message: bool = False,
        ruled: str = "",
    ) -> Document:
        """The document of one article; ``ruled`` (what rules of feeds.yaml did to it)
        is a line of its own under the meta line, so it is read whole."""
        links = Links(url)
        parser = InlineParser(links, find_refs(markdown) if markdown else {})
        # Title, meta line and link are one line each (wrapped, but never broken).
        head = [Block(MESSAGE if message else TITLE, text=for_terminal(title), raw=True)]
        if meta:
            head.append(Block(META, text=for_terminal(meta), raw=True, tight=True))
        if ruled:
            head.append(Block(META, text=for_terminal(ruled), raw=True, tight=True))
        if url:
            head.append(Block(URL, text=for_terminal(url), raw=True, tight=True))
        if markdown:
            source: Iterator[Block] = iter_blocks(markdown)
            size = len(markdown)
        else:
            source = iter_plain_blocks(text)
            size = len(text)
        tail: list[Block] = []
        if related and not (markdown and related[0] in markdown):
            tail.append(Block(HEADING, text="Related headlines", level=2, raw=True))
            tail.extend(
                Block(PARA, text=h, raw=True, marker="•", tight=i > 0)
                for i, h in enumerate(related)
            )
        doc = cls(head, source, size, links, parser, tail)
        doc.blocks.extend(head)
        if head:
            head[-1].end = 0
        return doc

    def block(self, index: int) -> Block | None:
        """Block ``index``, splitting more of the source if needed; None past the end."""
        while index >= len(self.blocks) and not self.finished:
            nxt = next(self.source, None)
            if nxt is None:
                self.finished = True
                for extra in self.tail:
                    extra.end = self.source_len
                    self.blocks.append(extra)
                self.blocks.append(Block(LINKS, end=self.source_len))
            else:
                self.blocks.append(nxt)
        return self.blocks[index] if index < len(self.blocks) else None

    def inline(self, index: int, block: Block) -> Inline:
        found = self.inlines.get(index)
        if found is None:
            if block.raw:
                found = Inline()
                found.add(clean_text(block.text))
            else:
                found = self.parser.parse(clean_text(block.text))
            self.inlines[index] = found
        return found

    def table(self, index: int, block: Block) -> list[list[Inline]]:
        found = self.cells.get(index)
        if found is None:
            found = [[self.parser.parse(clean_text(c)) for c in row] for row in block.rows or []]
            self.cells[index] = found
        return found
