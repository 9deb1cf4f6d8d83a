"""The search index: an FTS5 table of every stored article, kept in step with the
articles in the same transactions, and the searches run on it.

The table is contentless: it holds the index, not a second copy of the text, so it
adds to the file only what finding needs. Such a table forgets a row only when given
the values it indexed, so those are made again from the stored article (with
:func:`~newsreader.text.search_text.index_text`, which must therefore not change
without ``TOKENS_VERSION`` changing, which rebuilds the index).

An existing database gets the index by a build in batches (:meth:`Search.build_search_index`),
resumable after an interruption. Until it is done, articles it has not reached yet are
neither searched nor touched in the index by a save: the build indexes their current
values when it gets there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from newsreader.errors import StoreError
from newsreader.model import Headline
from newsreader.store.connection import Connection
from newsreader.store.rows import headline_of, integer, text
from newsreader.store.stories import drop_older_copies
from newsreader.text.search_text import index_text

if TYPE_CHECKING:
    from newsreader.query.compile import Compiled

# Articles indexed per transaction while building: short enough that the reader and a
# fetch are never held up for long.
BUILD_BATCH = 2000


_INSERT = "INSERT INTO {table} (rowid, title, author, source, feed, body) VALUES (?, ?, ?, ?, ?, ?)"
_FORGET = (
    "INSERT INTO search (search, rowid, title, author, source, feed, body)"
    " VALUES ('delete', ?, ?, ?, ?, ?, ?)"
)
_STORED = (
    "SELECT a.key, a.title, a.author, a.source, f.name, b.text, b.summary"
    " FROM articles a JOIN feeds f ON f.id = a.feed_id JOIN bodies b ON b.key = a.key"
)

IndexValues = tuple[int, str, str, str, str, str]
# What the index is made of for one article: title, author, source, text and summary.
ArticleText = tuple[str, str | None, str | None, str, str | None]


def index_values(key: int, feed: str, article: ArticleText) -> IndexValues:
    """The row the index holds for an article: its text if it has any, else its summary."""
    title, author, source, body, summary = article
    return (
        key,
        index_text(title),
        index_text(author or ""),
        index_text(source or ""),
        index_text(feed),
        index_text(body or summary or ""),
    )


class Pending:
    """The keys a build has still to index: (done, until]; none when the index is whole."""

    __slots__ = ("done", "until")

    def __init__(self, db: sqlite3.Connection) -> None:
        rows = dict(
            db.execute(
                "SELECT key, value FROM settings"
                " WHERE key IN ('search_index_done', 'search_index_until')"
            ).fetchall()
        )
        self.done = int(rows.get("search_index_done", 0))
        self.until = int(rows.get("search_index_until", 0))

    def indexed(self, key: int) -> bool:
        return not self.done < key <= self.until


def index_articles(
    db: sqlite3.Connection, rows: Iterable[IndexValues], table: str = "search"
) -> None:
    db.executemany(_INSERT.format(table=table), rows)


def forget_articles(db: sqlite3.Connection, keys: list[int], pending: Pending) -> None:
    """Take ``keys`` out of the index, from their stored values: call before changing
    or deleting their rows."""
    keys = [k for k in keys if pending.indexed(k)]
    for start in range(0, len(keys), 500):
        batch = keys[start : start + 500]
        marks = ", ".join("?" * len(batch))
        stored = db.execute(f"{_STORED} WHERE a.key IN ({marks})", batch).fetchall()
        db.executemany(_FORGET, (_stored_values(row) for row in stored))


def _stored_values(row: sqlite3.Row | tuple[object, ...]) -> IndexValues:
    key, title, author, source, feed, body, summary = row
    return index_values(
        integer(key),
        text(feed),
        (text(title), _optional(author), _optional(source), text(body), _optional(summary)),
    )


def _optional(value: object) -> str | None:
    return None if value is None else text(value)


class Search(Connection):
    """Building the index, and searching it."""

    def search_index_pending(self) -> int:
        """How many articles the index has still to take in (0: it is whole)."""
        if self.schema < 5:
            return 0
        rows = self._read(
            "SELECT count(*) FROM articles WHERE key > coalesce((SELECT value FROM settings"
            " WHERE key = 'search_index_done'), 0) AND key <= coalesce((SELECT value FROM"
            " settings WHERE key = 'search_index_until'), 0)"
        )
        return integer(rows[0][0])

    def build_search_index(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Index the articles stored before the index existed, a batch per transaction;
        ``progress(done, total)`` after each. Safe to interrupt and to run from two
        processes at once: each batch claims the next keys under the write lock."""
        total = self.search_index_pending()
        done = 0
        while True:
            with self._write() as db:
                pending = Pending(db)
                if pending.done >= pending.until:
                    db.execute(
                        "DELETE FROM settings WHERE key IN"
                        " ('search_index_done', 'search_index_until')"
                    )
                    break
                stored = db.execute(
                    f"{_STORED} WHERE a.key > ? AND a.key <= ? ORDER BY a.key LIMIT ?",
                    (pending.done, pending.until, BUILD_BATCH),
                ).fetchall()
                index_articles(db, (_stored_values(row) for row in stored))
                reached = integer(stored[-1][0]) if stored else pending.until
                if len(stored) < BUILD_BATCH:
                    reached = pending.until
                db.execute(
                    "UPDATE settings SET value = ? WHERE key = 'search_index_done'", (reached,)
                )
            done += len(stored)
            if progress is not None:
                progress(min(done, total), total)

    def search_index_in_step(self) -> bool:
        """Whether the index holds exactly what the stored articles make (the ones a
        build has not reached left out): rebuilt apart, token by token, and compared.
        For checks after a crash; it reads every article."""
        db = self._db
        try:
            pending = Pending(db)
            db.execute(
                "CREATE VIRTUAL TABLE temp.fresh USING fts5(title, author, source, feed, body,"
                " content = '', tokenize = 'unicode61 remove_diacritics 2')"
            )
            try:
                stored = db.execute(_STORED).fetchall()
                index_articles(
                    db,
                    (v for row in stored if pending.indexed((v := _stored_values(row))[0])),
                    table="temp.fresh",
                )
                db.execute("CREATE VIRTUAL TABLE temp.kept USING fts5vocab(main, search, instance)")
                db.execute("CREATE VIRTUAL TABLE temp.made USING fts5vocab(temp, fresh, instance)")
                differ = db.execute(
                    "SELECT (SELECT count(*) FROM (SELECT * FROM temp.kept"
                    " EXCEPT SELECT * FROM temp.made)) + (SELECT count(*) FROM"
                    " (SELECT * FROM temp.made EXCEPT SELECT * FROM temp.kept))"
                ).fetchone()[0]
            finally:
                for table in ("kept", "made", "fresh"):
                    db.execute(f"DROP TABLE IF EXISTS temp.{table}")
        except sqlite3.Error as exc:
            raise StoreError(self.path, str(exc)) from None
        return integer(differ) == 0

    def search(
        self, compiled: Compiled, limit: int | None = None, *, latest_stored: bool = False
    ) -> int:
        """Find the configured feeds' listed articles (see ``show_hidden``) matching
        ``compiled`` (the newest ``limit`` of them) and keep them as this connection's
        hits, which :meth:`hit_counts` and ``articles(..., hits=True)`` read; returns
        how many. ``latest_stored``: the ``limit`` stored last instead, which the index
        gives without reading every match (the reader's search as the user types)."""
        if self.schema < 5:
            raise StoreError(
                self.path,
                "made by an older newsreader and read-only: it has no search index to use",
            )
        sql = (
            "INSERT INTO temp.hits SELECT a.key, a.feed_id, a.sort_key, a.position, a.read,"
            " a.story_id, a.story_link"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id"
            f" WHERE {self._configured} AND {self._listed} AND ({compiled.where})"
        )
        params: tuple[object, ...] = compiled.params
        if limit is not None:
            order = "a.key DESC" if latest_stored else "a.sort_key DESC, a.key DESC"
            sql += f" ORDER BY {order} LIMIT ?"
            params = (*params, limit)
        # The temporary database is this connection's own, writable in a read-only store.
        for statement in _HITS_TABLE:
            self._read(statement)
        self._read("DELETE FROM temp.hits")
        self._read(sql, params)
        drop_older_copies(self._read, "temp.hits")
        return integer(self._read("SELECT count(*) FROM temp.hits")[0][0])

    def hit_counts(self) -> dict[str, tuple[int, int]]:
        """Each feed's hits of the last :meth:`search`: (all, unread when found), by
        feed name."""
        rows = self._read(
            "SELECT f.name, count(*), sum(h.read = 0) FROM temp.hits h"
            " JOIN feeds f ON f.id = h.feed_id GROUP BY h.feed_id"
        )
        return {text(name): (integer(n), integer(unread)) for name, n, unread in rows}

    # -- the hits a page at a time (the reader's sidebar while searching) ---------------

    def hit_page(self, feed: str, offset: int, limit: int) -> list[Headline]:
        """Hits ``offset`` to ``offset + limit`` of ``feed`` in headline order."""
        rows = self._read(_HIT_PAGE, (feed, limit, offset))
        return [headline_of(feed, row) for row in rows]

    def hit_headlines(self, feed: str) -> list[Headline]:
        """Every hit of the last :meth:`search` in ``feed``, in headline order."""
        rows = self._read(_HIT_PAGE, (feed, -1, 0))
        return [headline_of(feed, row) for row in rows]

    def hit_flags(self, feed: str) -> bytes:
        """Each hit's read flag (1 read, 0 unread) in headline order."""
        rows = self._read(_HIT_COLUMN.format(column="a.read"), (feed,))
        return bytes(1 if r == 1 else 0 for (r,) in rows)

    def hit_place(self, key: int) -> tuple[str, int] | None:
        """The feed of hit ``key`` and its place among that feed's hits."""
        rows = self._read(_HIT_PLACE, (key,))
        if not rows:
            return None
        return text(rows[0][0]), integer(rows[0][1])


# The hits carry what orders them, with an index in headline order, so a feed's hits
# are read from it (SQLite keeps no statistics on a temporary table: joined the other
# way, it would walk the whole store to look each article up in the hits).
_HITS_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS hits"
    " (key INTEGER PRIMARY KEY, feed_id INTEGER, sort_key REAL, position INTEGER, read INTEGER,"
    " story_id INTEGER, story_link INTEGER)",
    "CREATE INDEX IF NOT EXISTS temp.hits_by_order ON hits (feed_id, sort_key DESC, position, key)",
)
_HIT_ORDER = "h.sort_key DESC, h.position, h.key"
_OF_FEED = "h.feed_id = (SELECT id FROM feeds WHERE name = ?)"
_HIT_PAGE = (
    "SELECT a.key, a.title, a.published, a.read, a.starred FROM temp.hits h"
    f" CROSS JOIN articles a ON a.key = h.key WHERE {_OF_FEED} ORDER BY {_HIT_ORDER}"
    " LIMIT ? OFFSET ?"
)
_HIT_COLUMN = (
    "SELECT {column} FROM temp.hits h CROSS JOIN articles a ON a.key = h.key"
    f" WHERE {_OF_FEED} ORDER BY {_HIT_ORDER}"
)
_HIT_PLACE = f"""
SELECT f.name, p.place FROM temp.hits k JOIN feeds f ON f.id = k.feed_id
CROSS JOIN (
    SELECT h.key, row_number() OVER (ORDER BY {_HIT_ORDER}) - 1 AS place
    FROM temp.hits h WHERE h.feed_id = (SELECT feed_id FROM temp.hits WHERE key = ?1)
) p ON p.key = k.key
WHERE k.key = ?1
"""
