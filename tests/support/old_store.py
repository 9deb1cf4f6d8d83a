"""Databases as an older newsreader left them, for the upgrade tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsreader.store import APPLICATION_ID, MIGRATIONS


def old_store(path: Path, version: int) -> sqlite3.Connection:
    """A new database at schema ``version`` (the first ``version`` migrations, marked
    as ours); the caller fills it and closes the connection."""
    con = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:version]:
        for statement in script.split(";"):
            if statement.strip():
                con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {version}")
    return con
