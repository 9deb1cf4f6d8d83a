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

# The matches of a list (which carries each one's story keys) to keep: the copy of
# each story stored last, and whatever has no such key.
_LATEST_COPIES = """
SELECT max(key) FROM {table} WHERE story_{column} IS NOT NULL {where} GROUP BY story_{column}
"""


def keys_json(keys: Iterable[int]) -> str:
    return json.dumps([int(k) for k in keys])


def drop_older_copies(read: Reader, table: str, search: int | None = None) -> None:
    """Keep one copy of each story in the temporary list ``table`` (of one saved
    ``search`` where the table holds several); ``read`` runs a statement."""
    where, params = ("AND search = ?", (search,)) if search is not None else ("", ())
    for column in ("id", "link"):
        latest = _LATEST_COPIES.format(table=table, column=column, where=where)
        read(
            f"DELETE FROM {table} WHERE story_{column} IS NOT NULL {where}"
            f" AND key NOT IN ({latest})",
            params * 2,
        )


class Stories(Connection):
    def story_copies(self, key: int) -> list[int]:
        """The other articles that are the same story as ``key``."""
        rows = self._read(
            f"SELECT value FROM ({WITH_COPIES}) WHERE value != :key",
            {"keys": keys_json([key]), "key": key},
        )
        return [integer(k) for (k,) in rows]
