"""The search index's table, as schema 5 creates it (see :mod:`newsreader.store.search`).

The table is filled by a build: ``REBUILD`` empties it and marks every stored article
as still to index (the settings ``search_index_done`` and ``search_index_until``: keys
above the one, up to the other; removed when the build is done). It runs when the
store's tokens version is not ``TOKENS_VERSION``, which includes right after schema 5
created the table.
"""

from __future__ import annotations

# How the index turns text into tokens (``text.search_text``): a new value empties the
# index when the store is next opened, and the build makes it again.
TOKENS_VERSION = "1"

SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE search USING fts5(
    title, author, source, feed, body,
    content = '', tokenize = 'unicode61 remove_diacritics 2'
)
"""

REBUILD = """
INSERT INTO search (search) VALUES ('delete-all');
INSERT OR REPLACE INTO settings (key, value) VALUES ('search_index_until',
    (SELECT coalesce(max(key), 0) FROM articles));
INSERT OR REPLACE INTO settings (key, value) VALUES ('search_index_done', '0')
"""
TOKENS_QUERY = "SELECT value FROM settings WHERE key = 'search_index_tokens'"
SET_TOKENS = "INSERT OR REPLACE INTO settings (key, value) VALUES ('search_index_tokens', ?)"
