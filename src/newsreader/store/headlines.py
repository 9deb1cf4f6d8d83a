"""Headline reads: every headline at once (``list``), or what the reader's sidebar
needs, a page at a time.

Every query here reads only the covering index ``articles_by_order`` (feed, order,
key, title, date, flags, hidden), so none of them touches an article's row or its
body, and the reader's start-up costs one count per feed whatever the size of the
store. Articles a rule hid are left out unless ``show_hidden`` is set: ``{listed}`` in
each query is :attr:`Connection._listed`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence

from newsreader.model import Headline
from newsreader.store.connection import Connection
from newsreader.store.rows import headline_rows, integer, pairs, text

# The one headline order: newest first; DESC puts NULL (undated) last.
HEADLINE_ORDER = "a.sort_key DESC, a.position, a.key"
# Feeds drive the loop (CROSS JOIN) so SQLite walks each feed's covering index in order
# instead of sorting every row. f.id makes the feed order provably distinct, which
# spares SQLite a sort per feed. Rows carry the feed's id; names are mapped in Python
# so 50,000 rows share a few strs.
_HEADLINES_ALL = f"""
SELECT a.key, a.feed_id, a.title, a.published, a.read, a.starred
FROM feeds f CROSS JOIN articles a ON a.feed_id = f.id
WHERE f.position IS NOT NULL AND {{listed}}
ORDER BY f.position, f.id, {HEADLINE_ORDER}
"""
# A read-only store cannot record which feeds are configured: it hands out every feed.
_HEADLINES_STORED = _HEADLINES_ALL.replace("f.position IS NOT NULL AND ", "")
_HEADLINES_OF = f"""
SELECT a.key, a.feed_id, a.title, a.published, a.read, a.starred
FROM json_each(?) j CROSS JOIN feeds f ON f.name = j.value CROSS JOIN articles a ON a.feed_id = f.id
WHERE {{listed}}
ORDER BY j.key, {HEADLINE_ORDER}
"""
_OF_FEED = "a.feed_id = (SELECT id FROM feeds WHERE name = ?) AND {listed}"
_COUNT = f"SELECT count(*), coalesce(sum(a.read = 0), 0) FROM articles a WHERE {_OF_FEED}"
_PAGE = f"""
SELECT a.key, a.title, a.published, a.read, a.starred FROM articles a
WHERE {_OF_FEED} ORDER BY {HEADLINE_ORDER} LIMIT ? OFFSET ?
"""
_FLAGS = f"SELECT a.read FROM articles a WHERE {_OF_FEED} ORDER BY {HEADLINE_ORDER}"
_PLACE = f"""
SELECT f.name, p.place FROM articles k JOIN feeds f ON f.id = k.feed_id
CROSS JOIN (
    SELECT a.key, row_number() OVER (ORDER BY {HEADLINE_ORDER}) - 1 AS place
    FROM articles a WHERE a.feed_id = (SELECT feed_id FROM articles WHERE key = ?1)
    AND {{listed}}
) p ON p.key = k.key
WHERE k.key = ?1
"""


class Headlines(Connection):
    def headlines(self, feeds: Sequence[str] | None = None) -> list[Headline]:
        """Headlines of the given feeds (default: all configured) in that order, newest first."""
        params: tuple[str, ...]
        if feeds is None:
            sql, params = (_HEADLINES_STORED if self.read_only else _HEADLINES_ALL), ()
        else:
            sql, params = _HEADLINES_OF, (json.dumps(list(feeds)),)
        sql = sql.format(listed=self._listed)
        # Tens of thousands of fresh tuples would trigger several full GC passes for
        # nothing (they hold no cycles); pausing the collector halves the time.
        enabled = gc.isenabled()
        gc.disable()
        try:
            names = {
                integer(i): text(n) for i, n in pairs(self._read("SELECT id, name FROM feeds"))
            }
            rows = headline_rows(self._read(sql, params))
            return [Headline(k, names[f], t, p, r == 1, s == 1) for k, f, t, p, r, s in rows]
        finally:
            if enabled:
                gc.enable()

    # -- a page at a time (the reader's sidebar) ---------------------------------------

    def headline_count(self, feed: str) -> tuple[int, int]:
        """Stored and unread headlines of one feed."""
        rows = self._read(_COUNT.format(listed=self._listed), (feed,))
        return integer(rows[0][0]), integer(rows[0][1])

    def headline_page(self, feed: str, offset: int, limit: int) -> list[Headline]:
        """Headlines ``offset`` to ``offset + limit`` of ``feed`` in headline order."""
        rows = self._read(_PAGE.format(listed=self._listed), (feed, limit, offset))
        return [
            Headline(integer(k), feed, text(t), p if isinstance(p, str) else None, r == 1, s == 1)
            for k, t, p, r, s in rows
        ]

    def headline_flags(self, feed: str) -> bytes:
        """Each headline's read flag (1 read, 0 unread) in headline order."""
        rows = self._read(_FLAGS.format(listed=self._listed), (feed,))
        return bytes(1 if r == 1 else 0 for (r,) in rows)

    def headline_place(self, key: int) -> tuple[str, int] | None:
        """The feed of headline ``key`` and its place there; None when it is gone (or
        hidden while hidden articles are not shown)."""
        rows = self._read(_PLACE.format(listed=self._listed), (key,))
        if not rows:
            return None
        return text(rows[0][0]), integer(rows[0][1])
