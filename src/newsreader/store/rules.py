"""The rules of feeds.yaml as the store applies them: to the articles a save inserts, in
the save's own transaction, and to everything stored (``newsreader rules apply``).

A rule's query is compiled once per run into a condition on ``a`` (the article) and
``f`` (its feed); its actions set flags and never clear one, so no rule undoes another
and applying a rule twice changes nothing. ``articles.rule`` keeps the labels of the
rules that acted on an article, one per line: a label is one line of text by the time
feeds.yaml is read, and may itself hold any punctuation.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from newsreader.config.searches import Action, Rule
    from newsreader.model import FeedConfig

# What each action sets, and how to tell that it is set already.
_SETS = {"mark_read": "read = 1", "star": "starred = 1", "hide": "hidden = 1"}
_DONE = {"mark_read": "a.read = 1", "star": "a.starred = 1", "hide": "a.hidden = 1"}
# One article (?1) given the rule's actions and its label (?2) in ``rule``, unless the
# label is there already.
_ACT = (
    "UPDATE articles SET {sets}, rule = CASE WHEN rule IS NULL THEN ?2"
    " WHEN instr(char(10) || rule || char(10), char(10) || ?2 || char(10)) THEN rule"
    " ELSE rule || char(10) || ?2 END WHERE key = ?1"
)
_FROM = "FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE"
# How ``query.compile`` asks the search index, and the same ask kept to the keys ?1 to
# ?2. A numbered parameter may name one numbered before it, and the rule's own ``?``
# count on from the highest, so they keep their order after these two.
_IN_INDEX = "SELECT rowid FROM search WHERE search MATCH ?"
_IN_RANGE = _IN_INDEX + " AND rowid BETWEEN ?1 AND ?2"


class CompiledRule(NamedTuple):
    """A rule ready for the store: ``where`` holds ``?`` for each of ``params``."""

    where: str
    params: tuple[object, ...]
    actions: tuple[Action, ...]
    label: str


class RuleOutcome(NamedTuple):
    """What one rule found in the store: ``matched`` articles, of which ``already`` were
    in every state the rule sets (the rest it changed)."""

    matched: int
    already: int


def compile_rule(rule: Rule, *, groups: Sequence[str], now: float) -> CompiledRule:
    """``rule`` as SQL; ``groups`` and ``now`` as :func:`~newsreader.query.compile.
    compile_query` takes them."""
    from newsreader.query.compile import compile_query

    compiled = compile_query(rule.tree, groups=groups, now=now)
    label = " ".join(rule.label.splitlines())
    return CompiledRule(compiled.where, compiled.params, rule.actions, label)


def compile_rules(
    rules: Sequence[Rule], feeds: Sequence[FeedConfig], *, now: float
) -> dict[str, tuple[CompiledRule, ...]]:
    """The compiled rules of each of ``feeds`` that has any, in the order of ``rules``
    (``Config.rules``), each rule compiled once however many feeds it applies to."""
    if not rules:
        return {}
    groups = tuple(dict.fromkeys(feed.group for feed in feeds))
    compiled = [(rule.feed, compile_rule(rule, groups=groups, now=now)) for rule in rules]
    by_feed = {}
    for feed in feeds:
        own = tuple(c for owner, c in compiled if owner is None or owner == feed.name)
        if own:
            by_feed[feed.name] = own
    return by_feed


def apply_to_new(
    db: sqlite3.Connection, rules: Sequence[CompiledRule], first: int, last: int
) -> None:
    """Apply ``rules`` to the articles with keys ``first`` to ``last``: the ones a save
    has just inserted (its keys are handed out in a row under the write lock), indexed
    already. Updated articles are left alone, so a user's own read or unstar stands.

    Each ask of the search index is kept to those keys too: unbounded, it lists every
    stored article with the word, and three rules made a cold fetch of 200 feeds half
    as long again. The matches are found first and then changed one by one: a single
    ``UPDATE ... WHERE key IN (...)`` cost several times as much in a fresh save.
    """
    for rule in rules:
        where = rule.where.replace(_IN_INDEX, _IN_RANGE)
        keys = db.execute(
            f"SELECT a.key {_FROM} a.key BETWEEN ?1 AND ?2 AND ({where})",
            (first, last, *rule.params),
        ).fetchall()
        _act(db, rule, [key for (key,) in keys])


def apply_everywhere(db: sqlite3.Connection, rule: CompiledRule, feed: str | None) -> RuleOutcome:
    """Apply ``rule`` to every stored article (of ``feed`` only, when given), hidden
    ones included, inside the caller's write transaction."""
    done = " AND ".join(_DONE[action] for action in rule.actions)
    scope, params = ("f.name = ?", (feed,)) if feed is not None else ("1", ())
    rows = db.execute(
        f"SELECT a.key, {done} {_FROM} {scope} AND ({rule.where})", (*params, *rule.params)
    ).fetchall()
    _act(db, rule, [key for key, _ in rows])
    return RuleOutcome(len(rows), sum(1 for _, already in rows if already))


def _act(db: sqlite3.Connection, rule: CompiledRule, keys: list[int]) -> None:
    if keys:
        sets = ", ".join(_SETS[action] for action in rule.actions)
        db.executemany(_ACT.format(sets=sets), ((key, rule.label) for key in keys))
