"""Text as the search index holds it, and a query's words as the same tokens: one home,
so a word in an article and the same word in a query always meet.

The index is SQLite FTS5 with its ``unicode61`` tokenizer, which folds case and Latin
accents but keeps a run of Chinese, Japanese or Korean characters as one token, so a
word inside the run would never be found. Each such run is written instead as the
overlapping pairs of its characters, followed by its last character alone
(上虞新闻 -> 上虞 虞新 新闻 闻). Then every query of two characters or more is a
phrase of pairs, and one character is a prefix: each character of a run begins a pair
or is the last one. Text is NFKC-normalised first (full-width Latin, ligatures), as
the query parser does with queries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from newsreader.text.lazy import LazyPattern

# Han (with its extensions and compatibility forms), kana and Hangul: the scripts
# written without spaces between words (Korean has spaces, but joins particles to
# words). The kana middle dot and double hyphen are punctuation and stay out. Public
# for the reader's highlighting of matches, which must call the same text CJK.
CJK_CHARS = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3041-\u309f\u30a1-\u30fa"
    "\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\U00020000-\U0003134f"
)
_CJK_RUN = LazyPattern(f"[{CJK_CHARS}]+")
_CJK_ANY = LazyPattern(f"[{CJK_CHARS}]")
_WORD_CHAR = LazyPattern(r"[^\W_]")


def index_text(text: str) -> str:
    """``text`` as it goes into the index (the same object when nothing changes)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    if not _CJK_ANY.search(text):
        return text
    return _CJK_RUN.sub(_pairs, text)


def _pairs(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    pairs = " ".join(run[i : i + 2] for i in range(len(run) - 1))
    return f" {pairs} {run[-1]} "


class Token(tuple[str, bool]):
    """A piece of a query phrase: its text, and whether its last token is a prefix.

    A CJK piece is one token; any other piece is text the index's tokenizer splits
    into its words, as it split the article's.
    """

    __slots__ = ()

    @property
    def text(self) -> str:
        return self[0]

    @property
    def prefix(self) -> bool:
        return self[1]


def query_tokens(words: Sequence[str], prefix: bool = False) -> list[Token]:
    """The tokens a run of query words must match, in order (a phrase); ``prefix``: the
    last word is a prefix.

    A CJK run becomes its pairs. Its last character alone is asked for only where the
    run ends in the article too, that is where something follows it in the query;
    a run of one character that ends the query is a prefix (it begins a pair, or is
    the last character of a run).
    """
    tokens: list[Token] = []
    pieces: list[tuple[str, bool]] = []  # (text, is CJK)
    for word in words:
        word = unicodedata.normalize("NFKC", word)
        at = 0
        for run in _CJK_RUN.compiled.finditer(word):
            _add_other(pieces, word[at : run.start()])
            pieces.append((run.group(), True))
            at = run.end()
        _add_other(pieces, word[at:])
    for index, (text, cjk) in enumerate(pieces):
        last = index == len(pieces) - 1
        if not cjk:
            tokens.append(Token((text, prefix and last)))
        elif len(text) == 1:
            tokens.append(Token((text, last)))
        else:
            tokens.extend(Token((text[i : i + 2], False)) for i in range(len(text) - 1))
            if not last:
                tokens.append(Token((text[-1], False)))
            elif prefix:
                tokens[-1] = Token((tokens[-1].text, True))
    return tokens


def _add_other(pieces: list[tuple[str, bool]], text: str) -> None:
    """Text of other scripts, when it holds a word (the tokenizer drops the rest)."""
    if _WORD_CHAR.search(text):
        pieces.append((text, False))
