"""The search index of a store made before it existed, built when the store is first
used by this version (a search, a fetch, the reader), with its progress on stderr."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.store import Store


def ensure_search_index(store: Store) -> None:
    """Index what a store holds from before the index, saying how far it is on stderr."""
    if store.read_only or not store.search_index_pending():
        return
    terminal = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        line = f"newsreader: building the search index: {done:,} of {total:,} articles"
        if terminal:
            sys.stderr.write("\r" + line + ("\n" if done >= total else ""))
        elif done >= total:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    store.build_search_index(progress)
