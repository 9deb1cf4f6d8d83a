"""``newsreader rules apply``: every rule of feeds.yaml applied again to what is stored,
so a rule added or changed acts on the articles that arrived before it.

Each rule is one transaction, in feeds.yaml's order (the top-level rules, then each
feed's own), and prints one line: its label, its actions, how many articles it matched
and how many of those it found in that state already.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from newsreader.errors import StoreError

if TYPE_CHECKING:
    from pathlib import Path

    from newsreader.config.searches import Rule
    from newsreader.store.rules import RuleOutcome


def run_rules_apply(config_path: Path, db_path: Path) -> int:
    """Apply every rule; a store that cannot be written is a StoreError (exit 1)."""
    from newsreader.config import load_config
    from newsreader.indexing import ensure_search_index
    from newsreader.store import READ_ONLY_PROBLEM, Store
    from newsreader.store.rules import compile_rule

    config = load_config(config_path)
    if not config.rules:
        print(f"No rules in {config_path}: nothing to apply.")
        return 0
    with Store.open(db_path) as store:
        if store.read_only:
            raise StoreError(store.path, READ_ONLY_PROBLEM)
        # Groups as feeds.yaml has them now, for group: in a rule's query.
        store.sync_feeds(config.feeds)
        ensure_search_index(store)
        now = time.time()
        for rule in config.rules:
            compiled = compile_rule(rule, groups=config.groups, now=now)
            outcome = store.apply_rule(compiled, rule.feed)
            sys.stdout.write(rule_line(rule, outcome) + "\n")
            sys.stdout.flush()
    return 0


def rule_line(rule: Rule, outcome: RuleOutcome) -> str:
    """``title:sponsored → hide: 12 articles (3 already)``; a feed's own rule names it."""
    from newsreader.text.sanitise import for_terminal

    label = for_terminal(rule.label)
    if rule.feed is not None:
        label += f" (feed {for_terminal(rule.feed)})"
    count = f"{outcome.matched:,} article{'' if outcome.matched == 1 else 's'}"
    return f"{label} → {', '.join(rule.actions)}: {count} ({outcome.already:,} already)"
