"""Where a query's words are in a text: the spans the article pane highlights.

The search index decides which articles match; this finds the words inside one of
them, folding text the way the index does (NFKC, case, Latin accents) so that what
was found is what is lit. Latin words match whole words (``word*`` any word that
starts so); a phrase matches its words in order with only punctuation or spaces
between them; Chinese, Japanese and Korean match anywhere, as the index's character
pairs do. All the terms of a query become one regular expression, compiled once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from newsreader.query.nodes import And, Node, Not, Or, Phrase, Term
from newsreader.text.search_text import CJK_CHARS

# The fields whose words are searched in the article's own text as well (the index
# puts them in the same row); a group: is a feed's setting, never in the article.
ARTICLE_FIELDS = frozenset({None, "title", "author", "source", "feed"})
# Past any query a person writes; it bounds the work of one highlighter over a text
# (every term is tried at every position of it).
MAX_TERMS = 64

# Private-use characters are word characters to the index (and to the parser) but not
# to ``\w``; marks are folded away before matching, so ``\w`` needs no other help.
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# A character of a word in a script written with spaces: the edge of a whole word.
_SPACED_WORD = rf"(?:[^\W_{CJK_CHARS}]|[{_PRIVATE}])"
# What may stand between the words of a phrase: anything the index drops.
_BETWEEN = rf"(?:[^\w{_PRIVATE}]|_)"
_SPACED_WORD_RE = re.compile(_SPACED_WORD)
_CJK_RE = re.compile(f"[{CJK_CHARS}]")
_CJK_RUN_RE = re.compile(f"[{CJK_CHARS}]+")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character as matching sees it: NFKC, case folded and, outside CJK, without
    its accents (``É`` -> ``e``, ``ß`` -> ``ss``, a lone combining accent -> nothing).
    CJK is kept whole: decomposing Hangul into its letters would let ``하`` match
    inside ``한``."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    if folded.isascii() or _CJK_RE.search(folded):
        return folded
    return "".join(
        c
        for c in unicodedata.normalize("NFD", folded)
        if not unicodedata.category(c).startswith("M")
    )


def fold(text: str) -> str:
    """``text`` folded as matching sees it, character by character."""
    if text.isascii():
        return text.lower()
    return "".join([_fold_char(c) for c in text])


class Highlighter:
    """The terms of one query, compiled; :meth:`spans` finds them in a text.

    Two highlighters are equal when they would light the same text, so a caller can
    skip repainting when a query changes in ways that do not change its words.
    """

    __slots__ = ("_pattern", "source")

    def __init__(self, terms: Iterable[tuple[Sequence[str], bool]]) -> None:
        """``terms``: each one's words (one for a word, more for a phrase) and whether
        its last word is a prefix. Raises ValueError when none has anything to find."""
        alternatives: dict[str, tuple[int, int]] = {}
        for words, prefix in terms:
            built = _term_pattern(words, prefix)
            if built is not None and len(alternatives) < MAX_TERMS:
                alternatives.setdefault(*built)
        if not alternatives:
            raise ValueError("no term has a letter or digit to find")
        # Where several terms start at one place, the longest is tried first: the
        # matches are merged anyway, and the longest covers the others.
        ordered = sorted(alternatives, key=lambda source: alternatives[source], reverse=True)
        # A lookahead matches nothing, so the search tries every position and terms
        # that overlap (上虞 and 虞新 in 上虞新闻) are all found.
        self.source = "(?=(" + "|".join(ordered) + "))"
        self._pattern = re.compile(self.source)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Highlighter) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Highlighter({self.source!r})"

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets in ``text`` of what the terms match, sorted,
        merged where they overlap or touch."""
        folded, origin = _folded_with_origin(text)
        spans: list[tuple[int, int]] = []
        size = len(folded)
        for match in self._pattern.finditer(folded):
            start, end = match.span(1)
            if (
                start > 0
                and not _CJK_RE.match(folded, start)
                and _SPACED_WORD_RE.match(folded, start - 1)
            ):
                continue  # inside a word: only whole words match
            if origin is not None:
                # Characters folded to nothing (accents) go with the one before them;
                # a match that ends inside one character's folding (ß -> ss) takes it all.
                last = origin[end - 1] + 1
                start = origin[start]
                end = max(last, origin[end]) if end < size else len(text)
            if spans and start <= spans[-1][1]:
                if end > spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        return spans


def terms_of(tree: Node) -> Highlighter | None:
    """What to highlight for ``tree``: its words, prefixes and phrases that an article
    must contain, in any field of the article itself. Excluded words (under a ``-``),
    ``group:`` and states, dates and ages light nothing; None when nothing is left."""
    terms: list[tuple[Sequence[str], bool]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Term):
            if node.field in ARTICLE_FIELDS:
                terms.append(((node.text,), node.prefix))
        elif isinstance(node, Phrase):
            if node.field in ARTICLE_FIELDS:
                terms.append((node.words, node.prefix))
        elif isinstance(node, And | Or):
            stack.extend(reversed(node.items))
        elif isinstance(node, Not):
            continue
    try:
        return Highlighter(terms)
    except ValueError:
        return None


def _term_pattern(words: Sequence[str], prefix: bool) -> tuple[str, tuple[int, int]] | None:
    """One term as a pattern over folded text, with its sort key (pieces, length).

    Its words are cut into pieces where the script changes (``ferry上虞``), as the
    index cuts them. Pieces of one kind need something between them (two Latin words,
    or two CJK words that the index keeps apart); a Latin piece and a CJK one may
    touch, as they do in the index once CJK is split into pairs.
    """
    pieces: list[tuple[str, bool]] = []  # (folded text, is CJK)
    for word in words:
        folded = fold(word)
        at = 0
        for run in _CJK_RUN_RE.finditer(folded):
            _add_spaced(pieces, folded[at : run.start()])
            pieces.append((run.group(), True))
            at = run.end()
        _add_spaced(pieces, folded[at:])
    if not pieces:
        return None
    parts: list[str] = []
    for index, (text, cjk) in enumerate(pieces):
        if index:
            parts.append(_BETWEEN + ("+" if cjk == pieces[index - 1][1] else "*"))
        parts.append(re.escape(text))
    if not pieces[-1][1]:
        parts.append(f"{_SPACED_WORD}*" if prefix else f"(?!{_SPACED_WORD})")
    return "".join(parts), (len(pieces), sum(len(text) for text, _ in pieces))


def _add_spaced(pieces: list[tuple[str, bool]], text: str) -> None:
    """The words of a piece in a spaced script (a folded word may hold a separator)."""
    pieces.extend((word, False) for word in re.findall(rf"{_SPACED_WORD}+", text))


def _folded_with_origin(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded, and for each folded character the offset of the character it
    came from (None when every character folds to exactly one)."""
    if text.isascii():
        return text.lower(), None
    pieces = [_fold_char(c) for c in text]
    folded = "".join(pieces)
    if len(folded) == len(text) and all(len(piece) == 1 for piece in pieces):
        return folded, None
    return folded, [offset for offset, piece in enumerate(pieces) for _ in piece]
