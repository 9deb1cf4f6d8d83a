"""The search query language: one parser for the reader, the command line and
feeds.yaml, so a query means the same wherever it is written. See docs/search.md.

``parse(text)`` gives a tree of the nodes below (or raises ``QueryError``, one line with
the column); ``canonical(tree)`` writes it back as a query in one spelling.
"""

from __future__ import annotations

from newsreader.errors import QueryError
from newsreader.query.nodes import (
    AGE_OPERATORS,
    FLAGS,
    TEXT_FIELDS,
    Age,
    And,
    DateBound,
    Flag,
    Node,
    Not,
    Operator,
    Or,
    Phrase,
    Side,
    Term,
)
from newsreader.query.syntax import (
    AGE_UNITS,
    KEYWORDS,
    MAX_AGE_SECONDS,
    MAX_DEPTH,
    MAX_LENGTH,
    canonical,
    parse,
)

__all__ = [
    "AGE_OPERATORS",
    "AGE_UNITS",
    "FLAGS",
    "KEYWORDS",
    "MAX_AGE_SECONDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "TEXT_FIELDS",
    "Age",
    "And",
    "DateBound",
    "Flag",
    "Node",
    "Not",
    "Operator",
    "Or",
    "Phrase",
    "QueryError",
    "Side",
    "Term",
    "canonical",
    "parse",
]
