"""The syntax tree of a search query: what the parser gives and a compiler walks.

Each node is an immutable named tuple, as the model's value types are. Plain named
tuples compare as tuples, so ``And((a, b))`` would equal ``Or((a, b))`` and a ``Not``
could equal an ``And``; every node here compares and hashes with its type as well, so
two trees are equal exactly when they are the same query.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, NamedTuple, TypeAlias

# The fields that hold text, each matched by words as the whole article is.
TEXT_FIELDS = ("title", "author", "feed", "group", "source")
# The article states ``is:`` and ``has:`` ask about, as a query writes them.
FLAGS = ("is:unread", "is:read", "is:starred", "has:enclosure")
AGE_OPERATORS = ("<", "<=", ">", ">=")

Side: TypeAlias = Literal["after", "before"]
Operator: TypeAlias = Literal["<", "<=", ">", ">="]


class _Typed:
    """Equality and hashing that count the node's type, for the tuples below."""

    __slots__ = ()

    # super() is the named tuple's tuple here: _Typed comes first in each node's bases.
    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, super().__hash__()))


class _TermFields(NamedTuple):
    text: str
    field: str | None = None
    prefix: bool = False


class Term(_Typed, _TermFields):
    """One word as written (after NFKC): a run of letters, digits and marks of any script.

    ``field`` is None for the whole article, else one of TEXT_FIELDS. ``prefix`` is
    ``word*``: any word that starts with ``text``. A run of CJK characters is one Term,
    never split here: the index decides how such text is found.
    """

    __slots__ = ()


class _PhraseFields(NamedTuple):
    words: tuple[str, ...]
    field: str | None = None
    prefix: bool = False


class Phrase(_Typed, _PhraseFields):
    """Two or more words that must follow each other: ``"exact phrase"``, and a word
    with punctuation inside (``e-mail``, ``don't``), split where the index splits it.
    ``prefix`` makes the last word a prefix (``"open sour"*``)."""

    __slots__ = ()


class _FlagFields(NamedTuple):
    name: str


class Flag(_Typed, _FlagFields):
    """An article's state, named as a query writes it: one of FLAGS (``is:unread``)."""

    __slots__ = ()


class _DateBoundFields(NamedTuple):
    side: Side
    day: date


class DateBound(_Typed, _DateBoundFields):
    """``after:DAY`` keeps articles dated DAY or later; ``before:DAY`` those dated before
    DAY, DAY excluded: ``after:A before:B`` is the days from A up to the day before B."""

    __slots__ = ()


class _AgeFields(NamedTuple):
    op: Operator
    seconds: int


class Age(_Typed, _AgeFields):
    """``age:<7d``: how long ago the article is dated, compared with ``seconds``;
    ``<`` is newer than that, ``>`` older."""

    __slots__ = ()


class _NotFields(NamedTuple):
    item: Node


class Not(_Typed, _NotFields):
    """Articles that ``item`` does not match (``-word``, ``-(...)``)."""

    __slots__ = ()


class _AndFields(NamedTuple):
    items: tuple[Node, ...]


class And(_Typed, _AndFields):
    """Every item must match. The parser gives two or more items, none an And."""

    __slots__ = ()


class _OrFields(NamedTuple):
    items: tuple[Node, ...]


class Or(_Typed, _OrFields):
    """Any item may match. The parser gives two or more items, none an Or."""

    __slots__ = ()


Node: TypeAlias = Term | Phrase | Flag | DateBound | Age | Not | And | Or
