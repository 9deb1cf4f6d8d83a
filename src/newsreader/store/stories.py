"""One story in several feeds: its copies share a story key (``text.stories``), so
marking one read or starred marks them all, and a list of matches shows it once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from newsreader.store.connection import Connection
from newsreader.store.rows import Row, integer

Reader = Callable[[str, Sequence[object]], list[Row]]

# The articles ``:keys`` (a JSON list) name, and every copy of them.
WITH_COPIES = """
SELECT value FROM json_each(:keys)
UNION SELECT c.key FROM json_each(:keys) p JOIN articles a ON a.key = p.value
    JOIN articles c ON c.story_id = a.story_id WHERE a.story_id IS NOT NULL
UNION SELECT c.key FROM json_each(:keys) p JOIN articles a ON a.key = p.value
    JOIN articles c ON c.story_link = a.story_link WHERE a.story_link IS NOT NULL
"""

# The matches in a list that have a later copy in the same list: the story shows once,
# as its copy stored last.
_OLDER_COPIES = """
SELECT l.key FROM {table} l JOIN articles a ON a.key = l.key
    JOIN articles c ON c.story_{column} = a.story_{column} AND c.key > a.key
    JOIN {table} l2 ON l2.key = c.key {same}
WHERE a.story_{column} IS NOT NULL {where}
"""


def keys_json(keys: Iterable[int]) -> str:
    return json.dumps([int(k) for k in keys])


def drop_older_copies(read: Reader, table: str, search: int | None = None) -> None:
    """Keep one copy of each story in the temporary list ``table`` (of one saved
    ``search`` where the table holds several); ``read`` runs a statement."""
    for column in ("id", "link"):
        if search is None:
            older = _OLDER_COPIES.format(table=table, column=column, same="", where="")
            read(f"DELETE FROM {table} WHERE key IN ({older})", ())
            continue
        older = _OLDER_COPIES.format(
            table=table, column=column, same="AND l2.search = l.search", where="AND l.search = ?"
        )
        read(f"DELETE FROM {table} WHERE search = ? AND key IN ({older})", (search, search))


class Stories(Connection):
    def story_copies(self, key: int) -> list[int]:
        """The other articles that are the same story as ``key``."""
        rows = self._read(
            f"SELECT value FROM ({WITH_COPIES}) WHERE value != :key",
            {"keys": keys_json([key]), "key": key},
        )
        return [integer(k) for (k,) in rows]
