"""Opening the database: WAL, busy timeout, read-only opening, the schema and its
migrations, and the plumbing every part of the store writes and reads through.

Every write is one short ``BEGIN IMMEDIATE`` transaction, so a waiting writer is queued
by SQLite (for up to ``BUSY_TIMEOUT_MS``) instead of failing with "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from newsreader.errors import StoreError
from newsreader.store.rows import Row, integer
from newsreader.store.search_schema import (
    REBUILD,
    SEARCH_SCHEMA,
    SET_TOKENS,
    TOKENS_QUERY,
    TOKENS_VERSION,
)
from newsreader.text.stories import story_hash, story_id, story_link

# "NwsR": marks a file as ours, so a foreign SQLite database is refused untouched.
APPLICATION_ID = 0x4E777352
BUSY_TIMEOUT_MS = 10_000
READ_ONLY_PROBLEM = "cannot write: the database is read-only"

_SCHEMA_V1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT,
    link TEXT,
    grp TEXT,
    source TEXT,
    target TEXT,
    position INTEGER,
    refresh_minutes INTEGER,
    etag TEXT,
    last_modified TEXT,
    fingerprint TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    moved_to TEXT,
    next_attempt TEXT
);
CREATE TABLE articles (
    key INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    published TEXT,
    updated TEXT,
    author TEXT,
    source TEXT,
    breadcrumb TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0,
    sort_key REAL,
    fetched_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    UNIQUE (feed_id, article_id)
);
-- Covers the headline query: the sidebar reads only this index.
CREATE INDEX articles_by_order
    ON articles (feed_id, sort_key DESC, position, key, title, published, read, starred);
CREATE INDEX feeds_by_position ON feeds (position);
CREATE TABLE bodies (
    key INTEGER PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
    summary TEXT,
    text TEXT NOT NULL DEFAULT '',
    related TEXT NOT NULL DEFAULT '[]',
    markdown TEXT NOT NULL DEFAULT ''
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Consecutive failed fetches of a feed, for backing off (``next_attempt`` holds when).
_V2_FAILURES = "ALTER TABLE feeds ADD COLUMN failures INTEGER NOT NULL DEFAULT 0"

# Whether an http feed's last document was a feed (``FetchState.was_feed``). Schema 2
# kept that as the marker "http:feed" in ``fingerprint``; rows the http source wrote
# that way (or whose source is not yet recorded) are moved to the new column.
_V3_WAS_FEED = """
ALTER TABLE feeds ADD COLUMN was_feed INTEGER NOT NULL DEFAULT 0;
UPDATE feeds SET was_feed = 1, fingerprint = NULL
    WHERE fingerprint = 'http:feed' AND coalesce(source, 'http') = 'http'
"""

# Markdown made when an article is first shown: until then ``source`` holds the HTML it
# is made from (``bodies.pack_source``) and ``base`` its base URL; a summary equal to the
# text is kept once (``summary`` NULL, ``summary_is_text`` 1).
_V4_LAZY_MARKDOWN = """
ALTER TABLE bodies ADD COLUMN source BLOB;
ALTER TABLE bodies ADD COLUMN base TEXT;
ALTER TABLE bodies ADD COLUMN summary_is_text INTEGER NOT NULL DEFAULT 0
"""

# What the rules of feeds.yaml did (``store.rules``): ``hidden`` keeps an article out of
# every list, ``rule`` holds the labels of the rules that acted on it. The headline
# index is made again with ``hidden`` last, so the lists leave hidden articles out
# without reading a row, in the order they already walk.
_V6_RULES = """
ALTER TABLE articles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN rule TEXT;
DROP INDEX articles_by_order;
CREATE INDEX articles_by_order ON articles
    (feed_id, sort_key DESC, position, key, title, published, read, starred, hidden)
"""

# The same story in several feeds (``text.stories``): the hashes of its global id and
# of its link as copies share them, each indexed where it is known. Stored articles get
# theirs from the functions of ``STORY_FUNCTIONS``, which every connection has.
_V7_STORIES = """
ALTER TABLE articles ADD COLUMN story_id INTEGER;
ALTER TABLE articles ADD COLUMN story_link INTEGER;
UPDATE articles SET story_link = newsreader_story_link(link), story_id = CASE
    WHEN article_id = link THEN NULL ELSE newsreader_story_id(article_id) END;
CREATE INDEX articles_by_story_id ON articles (story_id) WHERE story_id IS NOT NULL;
CREATE INDEX articles_by_story_link ON articles (story_link) WHERE story_link IS NOT NULL
"""

STORY_FUNCTIONS = {
    "newsreader_story_id": lambda value: story_hash(story_id(value)),
    "newsreader_story_link": lambda value: story_hash(story_link(value)),
}

# Index i holds the script that takes the schema from version i to i + 1. Schema 5 adds
# the search index (``store.search``), empty: its build then indexes what is stored.
MIGRATIONS: tuple[str, ...] = (
    _SCHEMA_V1,
    _V2_FAILURES,
    _V3_WAS_FEED,
    _V4_LAZY_MARKDOWN,
    SEARCH_SCHEMA,
    _V6_RULES,
    _V7_STORIES,
)
SCHEMA_VERSION = len(MIGRATIONS)
# The oldest schema a read-only store opens as it is. Schema 3 only added ``was_feed``,
# which only a refresh reads, and nothing fetched can be kept in a read-only store.
READ_ONLY_SCHEMA = 2


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Connection:
    """One SQLite connection and how to use it. Every method raises only :class:`StoreError`."""

    def __init__(self, db: sqlite3.Connection, path: str, *, read_only: bool = False) -> None:
        for name, function in STORY_FUNCTIONS.items():
            db.create_function(name, 1, function, deterministic=True)
        self._db = db
        self.path = path
        # Opened for reading only (read-only disk, file or folder): every write raises
        # StoreError, and every stored feed counts as configured (nothing can be synced).
        self.read_only = read_only
        # The file's schema; below SCHEMA_VERSION only in a read-only store.
        self.schema = SCHEMA_VERSION
        # Whether the lists (headlines, counts, ``articles``, searches) include the
        # articles a rule hid; the reader toggles it.
        self.show_hidden = False

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Self:
        """Open or create the database; refuse a corrupt or foreign file without writing to it.

        A database that exists but cannot be written (a read-only mount, file or folder)
        is opened for reading only, so its news can still be listed and read.
        """
        where = str(path)
        memory = where == ":memory:"
        exists = False
        if not memory:
            target = Path(path)
            exists = target.exists()
            if exists and not target.is_file():
                raise StoreError(where, "not a regular file")
            if exists and not os.access(target, os.W_OK):
                # A read-only mount (EROFS), an immutable or a read-only file: SQLite
                # would open it for reading anyway, but then fail on the first write.
                return cls._open_read_only(target)
            if not exists:
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(where, f"cannot create its folder: {exc.strerror}") from None
        try:
            db = sqlite3.connect(where, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            if exists and _cannot_write(exc):
                return cls._open_read_only(Path(path))
            raise StoreError(where, _problem(exc, exists=exists)) from None
        store = cls(db, where)
        try:
            store._check_and_migrate_patiently(memory)
        except StoreError:
            db.close()
            raise
        except sqlite3.Error as exc:
            db.close()
            if exists and _cannot_write(exc):
                return cls._open_read_only(Path(path))
            raise StoreError(where, _problem(exc, exists=exists)) from None
        return store

    @classmethod
    def _open_read_only(cls, path: Path) -> Self:
        """The database opened for reading only, never creating a file beside it.

        ``mode=ro`` reads a WAL database whose -wal/-shm files exist (or can be made);
        on a read-only mount they cannot, and ``immutable`` reads the file as it lies,
        which is what it is there: nothing can change it.
        """
        where = str(path)
        uri = path.absolute().as_uri()
        problem: sqlite3.Error | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    uri + query, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
                )
            except sqlite3.Error as exc:
                problem = exc
                continue
            store = cls(db, where, read_only=True)
            try:
                store.schema = store._check(db)
            except StoreError:
                db.close()
                raise
            except sqlite3.Error as exc:
                db.close()
                problem = exc
                continue
            return store
        assert problem is not None
        raise StoreError(where, _problem(problem, exists=True)) from None

    def _check(self, db: sqlite3.Connection) -> int:
        """The file's schema version, after refusing a foreign or newer database."""
        # These reads fail with "file is not a database" before anything is written.
        # One read transaction, so a migration committed by another process meanwhile
        # cannot give a mixed picture (an old application id with a new schema).
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("BEGIN")
        try:
            app_id = integer(db.execute("PRAGMA application_id").fetchone()[0])
            version = integer(db.execute("PRAGMA user_version").fetchone()[0])
            tables = integer(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            db.execute("COMMIT")
        if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or tables != 0):
            raise StoreError(self.path, "not a newsreader database (left untouched)")
        if version > SCHEMA_VERSION:
            raise StoreError(self.path, f"made by a newer newsreader (schema {version})")
        if self.read_only and version < READ_ONLY_SCHEMA:
            raise StoreError(
                self.path,
                f"made by an older newsreader (schema {version}) and read-only:"
                " it cannot be upgraded here",
            )
        return version

    def _check_and_migrate_patiently(self, memory: bool) -> None:
        """Open-time checks, retried while another process holds the file.

        Regression: five processes creating one new database at once sometimes got
        "database is locked" here: switching to WAL and WAL recovery can answer busy
        without waiting on the busy timeout.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return self._check_and_migrate(memory)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _check_and_migrate(self, memory: bool) -> None:
        db = self._db
        version = self._check(db)
        if not memory:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            with self._write():
                # Re-read inside the write lock: another process may have migrated meanwhile.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                for script in MIGRATIONS[version:]:
                    _run_script(db, script)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if db.execute(TOKENS_QUERY).fetchone() != (TOKENS_VERSION,):
            with self._write():
                if db.execute(TOKENS_QUERY).fetchone() != (TOKENS_VERSION,):
                    _run_script(db, REBUILD)
                    db.execute(SET_TOKENS, (TOKENS_VERSION,))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------------------

    @property
    def _configured(self) -> str:
        """SQL for "this feed row is configured" (see :meth:`sync_feeds`)."""
        return "1" if self.read_only else "f.position IS NOT NULL"

    @property
    def _listed(self) -> str:
        """SQL for "article ``a`` is in the lists": not hidden by a rule, unless hidden
        articles are shown (a read-only store older than schema 6 hides none)."""
        return "1" if self.show_hidden or self.schema < 6 else "a.hidden = 0"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any SQLite failure becomes a one-line StoreError."""
        if self.read_only:
            raise StoreError(self.path, READ_ONLY_PROBLEM)
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(self.path, _problem(exc)) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(self.path, _problem(exc)) from None
            if isinstance(exc, UnicodeEncodeError):
                raise StoreError(self.path, _unencodable(exc)) from None
            raise

    def _stream(self, sql: str, params: Sequence[object] = (), batch: int = 256) -> Iterator[Row]:
        """Rows as they are read, a batch at a time: memory that does not grow with the
        result (``list --json`` of a whole store)."""
        try:
            cursor = self._db.execute(sql, params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        except sqlite3.Error as exc:
            raise StoreError(self.path, _problem(exc)) from None

    def _read(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> list[Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(self.path, _problem(exc)) from None
        except UnicodeEncodeError as exc:
            raise StoreError(self.path, _unencodable(exc)) from None


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _unencodable(exc: UnicodeEncodeError) -> str:
    """Text with lone surrogates (a file name that is not UTF-8) has no UTF-8 form."""
    start = max(0, exc.start - 20)
    where = exc.object[start : exc.end + 20].encode("utf-8", "backslashreplace").decode()
    return f"text that cannot be stored (not valid Unicode: {where!r})"


def _cannot_write(exc: sqlite3.Error) -> bool:
    """Whether opening failed because nothing may be written there (a read-only mount,
    file or folder: no -wal/-shm file can be made), so reading only may still work."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return (
        name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY"))
        or "unable to open" in text
        or "readonly" in text
    )


def _problem(exc: sqlite3.Error, *, exists: bool = True) -> str:
    """SQLite's message as a user-facing problem, on one line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return f"not a newsreader database or corrupt ({text}; left untouched)"
    if "readonly" in lowered or "read-only" in lowered:
        return READ_ONLY_PROBLEM
    if "disk is full" in lowered or "full" in lowered:
        return "cannot write: the disk is full"
    if "disk i/o error" in lowered:
        # Writes past a file size limit or to a failing or full disk (EFBIG, EIO).
        name = getattr(exc, "sqlite_errorname", "") or ""
        if "READ" in name and "WRITE" not in name:
            return "cannot read: disk I/O error"
        return "cannot write: disk I/O error (is the disk full or failing?)"
    if "unable to open" in lowered:
        if not exists:
            return "cannot create the database file (is its folder read-only?)"
        return "cannot open the database file"
    return text
