"""``newsreader search QUERY`` and ``newsreader list --query QUERY``.

A query is parsed before anything is opened, so a mistake in it is one line (exit 2)
whatever the state of the store. A store made before the search index existed is
indexed first, with its progress on stderr.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from newsreader.config import Config
    from newsreader.query import Node
    from newsreader.store import Store


def parsed_query(text: str) -> Node:
    """The query's tree; QueryError (exit 2) names the column of a mistake."""
    from newsreader.query import parse

    return parse(text)


def find(store: Store, config: Config, tree: Node, limit: int | None = None) -> int:
    """Search the store (the newest ``limit`` matches); the hits are the store's to read."""
    from newsreader.indexing import ensure_search_index
    from newsreader.query.compile import compile_query

    ensure_search_index(store)
    compiled = compile_query(tree, groups=config.groups, now=time.time())
    return store.search(compiled, limit)


def run_search(
    config_path: Path, db_path: Path, query: str, *, as_json: bool, limit: int | None
) -> int:
    """Print the newest ``limit`` matches of ``query``, grouped by feed in feeds.yaml
    order (the shape of ``list``); only feeds with a match are shown."""
    from newsreader.commands.listing import print_table, write_json
    from newsreader.config import load_config
    from newsreader.store import Store

    tree = parsed_query(query)
    config = load_config(config_path)
    with Store.open(db_path) as store:
        find(store, config, tree, limit)
        counts = store.hit_counts()
        feeds = [feed for feed in config.feeds if feed.name in counts]
        if as_json:
            write_json(feeds, store, sys.stdout, unread=False, hits=True)
        elif not feeds:
            print("Nothing matches.")
        else:
            print_table(config, store, sys.stdout, unread=False, hits=True, feeds=feeds)
    return 0


def run_list_query(
    config_path: Path, db_path: Path, query: str, *, unread: bool, as_json: bool
) -> int:
    """``newsreader list --query``: every configured feed, with only what ``query`` finds."""
    from newsreader.commands.listing import print_table, write_json
    from newsreader.config import load_config
    from newsreader.store import Store

    tree = parsed_query(query)
    config = load_config(config_path)
    with Store.open(db_path) as store:
        find(store, config, tree)
        if as_json:
            write_json(config.feeds, store, sys.stdout, unread=unread, hits=True)
        else:
            print_table(config, store, sys.stdout, unread=unread, hits=True)
    return 0
