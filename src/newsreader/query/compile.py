"""A query tree as SQL: a condition on an article (``a``) and its feed (``f``).

Words and phrases become one FTS5 ``MATCH`` on the search index wherever they can, so
``ferry timetable -strike`` is a single index lookup; the rest (states, dates, groups,
and word tests under an OR with those) become ordinary conditions around it. Every
word goes into the MATCH string quoted, so nothing a user types is FTS5 syntax, and
every value is a bound parameter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime, time
from typing import NamedTuple

from newsreader.query.nodes import Age, And, DateBound, Flag, Node, Not, Or, Phrase, Term
from newsreader.text.search_text import index_text, query_tokens

# The index's columns, as ``store.search`` creates them; a field that is not one of
# them (group) is matched on the feed's row instead.
INDEX_COLUMNS = ("title", "author", "source", "feed", "body")
_IN_INDEX = "a.key IN (SELECT rowid FROM search WHERE search MATCH ?)"
_FLAG_SQL = {
    "is:unread": "a.read = 0",
    "is:read": "a.read = 1",
    "is:starred": "a.starred = 1",
    # Enclosures are not kept yet: no article has one.
    "has:enclosure": "0",
}
_AGE_SQL = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


class Compiled(NamedTuple):
    """``where`` holds ``?`` for each of ``params``, in order."""

    where: str
    params: tuple[object, ...]


def compile_query(tree: Node, *, groups: Sequence[str], now: float) -> Compiled:
    """The condition for ``tree``. ``groups``: the configured group names (``group:``
    matches them by words); ``now``: seconds since the epoch, for ``age:``."""
    params: list[object] = []
    where = _Compiler(groups, now, params).sql(tree)
    return Compiled(where, tuple(params))


class _Compiler:
    def __init__(self, groups: Sequence[str], now: float, params: list[object]) -> None:
        self._groups = groups
        self._now = now
        self._params = params

    def sql(self, node: Node) -> str:
        match = _fts(node)
        if match is not None:
            return self._in_index(match)
        if isinstance(node, Term | Phrase):  # a group: field
            return self._group(node)
        if isinstance(node, Flag):
            return _FLAG_SQL[node.name]
        if isinstance(node, DateBound):
            return self._date(node)
        if isinstance(node, Age):
            self._params.append(self._now - node.seconds)
            return f"coalesce(a.sort_key {_AGE_SQL[node.op]} ?, 0)"
        if isinstance(node, Not):
            return f"NOT ({self.sql(node.item)})"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.sql(item) for item in node.items) + ")"
        return self._and(node)

    def _and(self, node: And) -> str:
        """The word tests of an AND in one MATCH (with its exclusions), the rest around."""
        positive = [m for item in node.items if (m := _fts(item)) is not None]
        negative = [
            m for item in node.items if isinstance(item, Not) and (m := _fts(item.item)) is not None
        ]
        parts: list[str] = []
        if positive:
            match = " AND ".join(f"({m})" for m in positive)
            if negative:
                match = f"({match}) NOT (" + " OR ".join(f"({m})" for m in negative) + ")"
            parts.append(self._in_index(match))
        for item in node.items:
            if _fts(item) is not None:
                continue
            if positive and isinstance(item, Not) and _fts(item.item) is not None:
                continue
            parts.append(self.sql(item))
        return "(" + " AND ".join(parts) + ")"

    def _in_index(self, match: str) -> str:
        self._params.append(match)
        return _IN_INDEX

    def _group(self, node: Term | Phrase) -> str:
        words = (node.text,) if isinstance(node, Term) else node.words
        tokens = query_tokens(words, node.prefix)
        wanted = _folded(" ".join(t.text for t in tokens))
        prefix = bool(tokens) and tokens[-1].prefix
        names = [g for g in self._groups if _has_words(_folded(index_text(g)), wanted, prefix)]
        if not names:
            return "0"
        self._params.extend(names)
        return "f.grp IN (" + ", ".join("?" * len(names)) + ")"

    def _date(self, node: DateBound) -> str:
        """A day starts at midnight where the reader is, as the headline dates show."""
        start = datetime.combine(node.day, time()).astimezone().timestamp()
        self._params.append(start)
        return f"coalesce(a.sort_key {'>=' if node.side == 'after' else '<'} ?, 0)"


def _fts(node: Node) -> str | None:
    """The FTS5 expression of ``node`` when the index alone answers it, else None."""
    if isinstance(node, Term | Phrase):
        if node.field == "group":
            return None
        words = (node.text,) if isinstance(node, Term) else node.words
        tokens = query_tokens(words, node.prefix)
        phrase = " + ".join(_quoted(t.text) + ("*" if t.prefix else "") for t in tokens)
        if not phrase:
            return None
        return f"{node.field} : ({phrase})" if node.field else phrase
    if isinstance(node, Or):
        items = [_fts(item) for item in node.items]
        if all(m is not None for m in items):
            return " OR ".join(f"({m})" for m in items)
        return None
    if isinstance(node, And):
        positive = [_fts(item) for item in node.items if not isinstance(item, Not)]
        negative = [_fts(item.item) for item in node.items if isinstance(item, Not)]
        if not positive or None in positive or None in negative:
            return None
        match = " AND ".join(f"({m})" for m in positive)
        if negative:
            match = f"({match}) NOT (" + " OR ".join(f"({m})" for m in negative) + ")"
        return match
    return None


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _folded(text: str) -> list[str]:
    """Words as the index compares them: case and Latin accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words: list[str] = []
    word: list[str] = []
    for ch in plain + " ":
        if ch.isalnum():
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    return words


def _has_words(words: list[str], wanted: list[str], prefix: bool) -> bool:
    """Whether ``wanted`` follow each other in ``words`` (the last may be a prefix)."""
    if not wanted:
        return False
    span = len(wanted)
    for start in range(len(words) - span + 1):
        window = words[start : start + span]
        if window[:-1] == wanted[:-1] and (
            window[-1] == wanted[-1] or (prefix and window[-1].startswith(wanted[-1]))
        ):
            return True
    return False
