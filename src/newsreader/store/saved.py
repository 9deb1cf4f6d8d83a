"""Query feeds: each saved search's matches, kept on this connection as a list the
reader's sidebar reads like a feed (a count, pages in headline order, read flags).

A query feed spans feeds, so its matches are kept apart from the ``/`` search's hits,
one list per saved search (numbered by the caller), each with what orders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.model import Headline
from newsreader.store.connection import Connection
from newsreader.store.rows import headline_of, integer
from newsreader.store.stories import drop_older_copies

if TYPE_CHECKING:
    from newsreader.query.compile import Compiled

_LISTED_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS listed (search INTEGER, key INTEGER, sort_key REAL,"
    " position INTEGER, story_id INTEGER, story_link INTEGER, PRIMARY KEY (search, key))",
    "CREATE INDEX IF NOT EXISTS temp.listed_by_order"
    " ON listed (search, sort_key DESC, position, key)",
)
_ORDER = "l.sort_key DESC, l.position, l.key"
_PAGE = (
    "SELECT a.key, a.title, a.published, a.read, a.starred FROM temp.listed l"
    f" CROSS JOIN articles a ON a.key = l.key WHERE l.search = ? ORDER BY {_ORDER}"
    " LIMIT ? OFFSET ?"
)
_PLACE = f"""
SELECT place FROM (
    SELECT l.key, row_number() OVER (ORDER BY {_ORDER}) - 1 AS place
    FROM temp.listed l WHERE l.search = ?1
) WHERE key = ?2
"""


class SavedSearches(Connection):
    """The matches of saved searches, listed for the sidebar."""

    def list_matches(self, search: int, compiled: Compiled) -> int:
        """Keep what ``compiled`` finds in the configured feeds as list ``search``
        (replacing what it held); returns how many."""
        for statement in _LISTED_TABLE:
            self._read(statement)
        self._read("DELETE FROM temp.listed WHERE search = ?", (search,))
        self._read(
            "INSERT INTO temp.listed"
            " SELECT ?, a.key, a.sort_key, a.position, a.story_id, a.story_link"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id"
            f" WHERE {self._configured} AND {self._listed} AND ({compiled.where})",
            (search, *compiled.params),
        )
        drop_older_copies(self._read, "temp.listed", search)
        return self.listed_count(search)[0]

    def listed_count(self, search: int) -> tuple[int, int]:
        """The list's matches and how many of them are unread."""
        rows = self._read(
            "SELECT count(*), coalesce(sum(a.read = 0), 0) FROM temp.listed l"
            " CROSS JOIN articles a ON a.key = l.key WHERE l.search = ?",
            (search,),
        )
        return integer(rows[0][0]), integer(rows[0][1])

    def listed_page(self, search: int, name: str, offset: int, limit: int) -> list[Headline]:
        """Matches ``offset`` to ``offset + limit`` in headline order, as headlines of
        the query feed ``name``."""
        rows = self._read(_PAGE, (search, limit, offset))
        return [headline_of(name, row) for row in rows]

    def listed_flags(self, search: int) -> bytes:
        rows = self._read(
            "SELECT a.read FROM temp.listed l CROSS JOIN articles a ON a.key = l.key"
            f" WHERE l.search = ? ORDER BY {_ORDER}",
            (search,),
        )
        return bytes(1 if r == 1 else 0 for (r,) in rows)

    def listed_place(self, search: int, key: int) -> int | None:
        """Where article ``key`` is in the list, None when it is not in it."""
        if not self._read("SELECT 1 FROM temp.listed WHERE search = ? AND key = ?", (search, key)):
            return None
        rows = self._read(_PLACE, (search, key))
        return integer(rows[0][0]) if rows else None
