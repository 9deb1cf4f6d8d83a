"""SQLite persistence: feeds, articles, read/starred flags, fetch state, app settings.

One :class:`Store` per thread. The file runs in WAL mode with a busy timeout so the
reader and ``newsreader fetch`` can use it side by side; every write is one short
``BEGIN IMMEDIATE`` transaction, so a waiting writer is queued by SQLite instead of
failing with "database is locked".
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from newsreader.dates import timestamp
from newsreader.errors import StoreError
from newsreader.model import Article
from newsreader.sources.base import FetchState

if TYPE_CHECKING:
    from newsreader.config import FeedConfig
    from newsreader.sources.base import FetchResult

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

# Index i holds the script that takes the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (_SCHEMA_V1, _V2_FAILURES)
SCHEMA_VERSION = len(MIGRATIONS)


class Headline(NamedTuple):
    """One sidebar row; cheap to build by the tens of thousands."""

    key: int
    feed: str
    title: str
    published: str | None
    read: bool
    starred: bool


class StoredArticle(NamedTuple):
    key: int
    feed: str
    article: Article
    read: bool
    starred: bool


class FeedStatus(NamedTuple):
    """What the store knows about one feed; times are ISO 8601 in UTC."""

    name: str
    title: str | None
    link: str | None
    last_success: str | None
    last_error: str | None
    unread: int
    total: int
    group: str | None = None
    moved_to: str | None = None
    last_attempt: str | None = None
    # When the feed may be asked again (a server's Retry-After, or backing off after
    # ``failures`` failed fetches in a row); None means now.
    next_attempt: str | None = None
    failures: int = 0


class Schedule(NamedTuple):
    """When a feed may be fetched again and why it waits."""

    failures: int
    next_attempt: datetime | None
    last_error: str | None


class SaveStats(NamedTuple):
    new: int
    updated: int
    total: int


# Feeds drive the loop (CROSS JOIN) so SQLite walks each feed's covering index in order
# instead of sorting every row. DESC puts NULL (undated) last.
_HEADLINE_ORDER = "a.sort_key DESC, a.position, a.key"
# f.id makes the feed order provably distinct, which spares SQLite a sort per feed.
# Rows carry the feed's id; names are mapped in Python so 50,000 rows share a few strs.
_HEADLINES_ALL = f"""
SELECT a.key, a.feed_id, a.title, a.published, a.read, a.starred
FROM feeds f CROSS JOIN articles a ON a.feed_id = f.id
WHERE f.position IS NOT NULL
ORDER BY f.position, f.id, {_HEADLINE_ORDER}
"""
# A read-only store cannot record which feeds are configured: it hands out every feed.
_HEADLINES_STORED = _HEADLINES_ALL.replace("WHERE f.position IS NOT NULL\n", "")
_HEADLINES_OF = f"""
SELECT a.key, a.feed_id, a.title, a.published, a.read, a.starred
FROM json_each(?) j CROSS JOIN feeds f ON f.name = j.value CROSS JOIN articles a ON a.feed_id = f.id
ORDER BY j.key, {_HEADLINE_ORDER}
"""

_ARTICLE_COLUMNS = (
    "a.key, f.name, a.article_id, a.title, a.link, a.published, a.updated, a.author, "
    "a.source, a.breadcrumb, b.summary, b.text, b.related, b.markdown, a.read, a.starred"
)
_ARTICLE_FROM = "articles a JOIN feeds f ON f.id = a.feed_id JOIN bodies b ON b.key = a.key"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sort_key(article: Article) -> float | None:
    """Seconds since the epoch of the article's date; a date without offset counts as UTC."""
    return timestamp(article.published or article.updated)


def _head(article: Article) -> tuple[object, ...]:
    """The columns of ``articles`` from title to breadcrumb."""
    return (
        article.title,
        article.link,
        article.published,
        article.updated,
        article.author,
        article.source,
        _json_list(article.breadcrumb),
    )


def _body(article: Article) -> tuple[object, ...]:
    """The columns of ``bodies``, kept apart so headline scans stay small."""
    return (
        article.summary,
        article.text,
        _json_list(article.related),
        article.markdown,
    )


_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _json_list(values: tuple[str, ...]) -> str:
    return _encode_json(list(values)) if values else "[]"


def _digest(article: Article) -> str:
    """A fingerprint of an article's content, from what its body is made of: known before
    any HTML is converted. repr() keeps None apart from "None"; the bodies, the bulk of
    it, go to the hash as they are, each after its length."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((_head(article), article.related)).encode("utf-8", "surrogatepass"))
    summary = article.summary_body
    for body in (article.body, summary):
        if body is None:
            digest.update(b"-")
        else:
            source = body.fingerprint.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(source))
            digest.update(source)
    return digest.hexdigest()


def _position_offset(ids: list[str], known: dict[str, tuple[int, str, int]]) -> int:
    """What to add to each index of the document to get its stored position.

    When the document only gained items at the top, the stored articles keep their
    positions and the new ones go before them, so an ordinary refresh moves no row
    (rewriting every position cost a quarter of such a refresh). Otherwise the whole
    document goes before every stored position, ahead of articles it no longer lists.
    """
    if not known:
        return 0
    fresh = 0
    while fresh < len(ids) and ids[fresh] not in known:
        fresh += 1
    if fresh < len(ids):
        offset = known[ids[fresh]][2] - fresh
        for index in range(fresh, len(ids)):
            old = known.get(ids[index])
            if old is None or old[2] != index + offset:
                break
        else:
            return offset
    return min(old[2] for old in known.values()) - len(ids)


def _article_from(row: Sequence[object]) -> StoredArticle:
    (key, feed, aid, title, link, published, updated, author, source, crumbs, summary, text,
     related, markdown, read, starred) = row  # fmt: skip
    article = Article(
        id=str(aid),
        title=str(title),
        link=link,  # type: ignore[arg-type]
        published=published,  # type: ignore[arg-type]
        updated=updated,  # type: ignore[arg-type]
        author=author,  # type: ignore[arg-type]
        source=source,  # type: ignore[arg-type]
        breadcrumb=tuple(json.loads(str(crumbs))),
        summary=summary,  # type: ignore[arg-type]
        text=str(text),
        related=tuple(json.loads(str(related))),
        markdown=str(markdown),
    )
    return StoredArticle(int(key), str(feed), article, bool(read), bool(starred))  # type: ignore[call-overload]


class Store:
    """The database of one process (or thread). Every method raises only :class:`StoreError`."""

    def __init__(self, db: sqlite3.Connection, path: str, *, read_only: bool = False) -> None:
        self._db = db
        self.path = path
        # Opened for reading only (read-only disk, file or folder): every write raises
        # StoreError, and every stored feed counts as configured (nothing can be synced).
        self.read_only = read_only

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
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
    def _open_read_only(cls, path: Path) -> Store:
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
                store._check(db)
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
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            db.execute("COMMIT")
        if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or tables != 0):
            raise StoreError(self.path, "not a newsreader database (left untouched)")
        if version > SCHEMA_VERSION:
            raise StoreError(self.path, f"made by a newer newsreader (schema {version})")
        if self.read_only and version < SCHEMA_VERSION:
            raise StoreError(
                self.path,
                f"made by an older newsreader (schema {version}) and read-only:"
                " it cannot be upgraded here",
            )
        return int(version)

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
                    for statement in script.split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------------------

    @property
    def _configured(self) -> str:
        """SQL for "this feed row is configured" (see :meth:`sync_feeds`)."""
        return "1" if self.read_only else "f.position IS NOT NULL"

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

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(self.path, _problem(exc)) from None
        except UnicodeEncodeError as exc:
            raise StoreError(self.path, _unencodable(exc)) from None

    def _feed_id(self, name: str) -> int:
        rows = self._read("SELECT id FROM feeds WHERE name = ?", (name,))
        if not rows:
            raise StoreError(self.path, f"no feed named {name!r}")
        return int(rows[0][0])  # type: ignore[call-overload]

    # -- feeds -------------------------------------------------------------------------

    def sync_feeds(self, feeds: Sequence[FeedConfig]) -> None:
        """Make the configured feeds the active ones, in config order.

        Feeds no longer configured keep their articles (a renamed feed can be restored)
        but drop out of :meth:`headlines`. A feed whose source or target changed
        forgets its fetch state, so it is read afresh. A read-only store writes
        nothing: it lists every stored feed, and callers pick the ones they show.
        """
        if self.read_only:
            return
        with self._write() as db:
            existing = {
                name: (source, target)
                for name, source, target in db.execute("SELECT name, source, target FROM feeds")
            }
            db.execute("UPDATE feeds SET position = NULL")
            for position, feed in enumerate(feeds):
                old = existing.get(feed.name)
                if old is None:
                    db.execute(
                        "INSERT INTO feeds (name, grp, source, target, position, refresh_minutes)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (feed.name, feed.group, feed.source, feed.target, position,
                         feed.settings.refresh_minutes),
                    )  # fmt: skip
                    continue
                db.execute(
                    "UPDATE feeds SET grp = ?, position = ?, refresh_minutes = ? WHERE name = ?",
                    (feed.group, position, feed.settings.refresh_minutes, feed.name),
                )
                if old != (feed.source, feed.target):
                    db.execute(
                        "UPDATE feeds SET source = ?, target = ?, etag = NULL,"
                        " last_modified = NULL, fingerprint = NULL, moved_to = NULL,"
                        " failures = 0, next_attempt = NULL WHERE name = ?",
                        (feed.source, feed.target, feed.name),
                    )

    def feed_names(self) -> list[str]:
        """The configured feeds, in config order."""
        rows = self._read(
            f"SELECT name FROM feeds f WHERE {self._configured} ORDER BY position, id"
        )
        return [str(r[0]) for r in rows]

    def fetch_state(self, name: str) -> FetchState:
        rows = self._read(
            "SELECT etag, last_modified, fingerprint FROM feeds WHERE name = ?", (name,)
        )
        if not rows:
            return FetchState()
        etag, modified, fingerprint = rows[0]
        return FetchState(etag=etag, last_modified=modified, fingerprint=fingerprint)  # type: ignore[arg-type]

    def schedule(self, name: str) -> Schedule:
        """The feed's failure count and the time before which it is not to be fetched."""
        rows = self._read(
            "SELECT failures, next_attempt, last_error FROM feeds WHERE name = ?", (name,)
        )
        if not rows:
            return Schedule(0, None, None)
        failures, when, error = rows[0]
        next_attempt = None
        if when:
            with suppress(ValueError):
                next_attempt = datetime.fromisoformat(str(when))
        return Schedule(int(failures or 0), next_attempt, error)  # type: ignore[call-overload]

    def save_result(
        self, name: str, result: FetchResult, max_articles: int | None = None
    ) -> SaveStats:
        """Store one fetch of a feed in one transaction.

        Known articles are updated in place when their content changed and keep their
        read and starred flags. ``max_articles`` then trims the oldest articles that
        the feed no longer lists, read ones before unread ones; starred articles and the
        articles of the current document are never removed (removing the latter would
        bring them back as new on the next fetch).
        """
        now = _now()
        feed = result.feed
        digests = self._prepare_bodies(name, feed.articles) if feed is not None else {}
        with self._write() as db:
            feed_id = self._ensure_feed(db, name)
            state = result.state
            db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, fingerprint = ?, last_attempt = ?,"
                " last_success = ?, last_error = NULL, moved_to = ?, failures = 0,"
                " next_attempt = NULL WHERE id = ?",
                (state.etag, state.last_modified, state.fingerprint, now, now, result.moved_to,
                 feed_id),
            )  # fmt: skip
            if feed is None:
                total = db.execute(
                    "SELECT count(*) FROM articles WHERE feed_id = ?", (feed_id,)
                ).fetchone()[0]
                return SaveStats(0, 0, total)
            db.execute(
                "UPDATE feeds SET title = ?, link = ? WHERE id = ?",
                (feed.title, feed.link, feed_id),
            )
            known = {
                aid: (key, digest, pos)
                for aid, key, digest, pos in db.execute(
                    "SELECT article_id, key, content_hash, position FROM articles"
                    " WHERE feed_id = ?",
                    (feed_id,),
                )
            }
            # Keys are handed out here (the write lock is held) so bodies can share them.
            next_key = db.execute("SELECT coalesce(max(key), 0) + 1 FROM articles").fetchone()[0]
            inserts: list[tuple[object, ...]] = []
            updates: list[tuple[object, ...]] = []
            bodies: list[tuple[object, ...]] = []
            moves: list[tuple[int, int]] = []
            current: set[str] = set()
            document: list[Article] = []
            for article in feed.articles:
                if article.id not in current:
                    current.add(article.id)
                    document.append(article)
            offset = _position_offset([a.id for a in document], known)
            for index, article in enumerate(document):
                position = index + offset
                head = _head(article)
                digest = digests[article.id]
                old = known.get(article.id)
                if old is None:
                    key = next_key
                    next_key += 1
                    inserts.append(
                        (key, feed_id, article.id, *head, position, _sort_key(article), now,
                         digest)
                    )  # fmt: skip
                    bodies.append((key, *_body(article)))
                elif old[1] != digest:
                    updates.append((*head, position, _sort_key(article), digest, old[0]))
                    bodies.append((old[0], *_body(article)))
                elif old[2] != position:
                    moves.append((position, old[0]))
            db.executemany(
                "INSERT INTO articles (key, feed_id, article_id, title, link, published, updated,"
                " author, source, breadcrumb, position, sort_key, fetched_at, content_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            db.executemany(
                "UPDATE articles SET title = ?, link = ?, published = ?, updated = ?, author = ?,"
                " source = ?, breadcrumb = ?, position = ?, sort_key = ?, content_hash = ?"
                " WHERE key = ?",
                updates,
            )
            db.executemany(
                "INSERT OR REPLACE INTO bodies (key, summary, text, related, markdown)"
                " VALUES (?, ?, ?, ?, ?)",
                bodies,
            )
            db.executemany("UPDATE articles SET position = ? WHERE key = ?", moves)
            total = len(known) + len(inserts)
            if max_articles is not None and total > max_articles:
                total -= self._trim(db, feed_id, known, current, total - max_articles)
            return SaveStats(len(inserts), len(updates), total)

    def _prepare_bodies(self, name: str, articles: tuple[Article, ...]) -> dict[str, str]:
        """Each article's digest; the bodies of new or changed ones converted now.

        Converting HTML takes a while, and doing it here keeps it outside the write
        transaction, where it would hold up the reader marking an article read.
        """
        stored = dict(
            self._read(
                "SELECT a.article_id, a.content_hash FROM articles a"
                " JOIN feeds f ON f.id = a.feed_id WHERE f.name = ?",
                (name,),
            )
        )
        digests: dict[str, str] = {}
        for article in articles:
            if article.id in digests:
                continue
            digest = digests[article.id] = _digest(article)
            if stored.get(article.id) != digest:
                _body(article)
        return digests

    def _trim(
        self,
        db: sqlite3.Connection,
        feed_id: int,
        known: dict[str, tuple[int, str, int]],
        current: set[str],
        excess: int,
    ) -> int:
        gone = [aid for aid in known if aid not in current]
        if not gone:
            return 0
        rows = db.execute(
            "SELECT article_id, key FROM articles WHERE feed_id = ? AND starred = 0"
            " ORDER BY read DESC, sort_key ASC NULLS FIRST, fetched_at ASC, key ASC",
            (feed_id,),
        ).fetchall()
        gone_set = set(gone)
        victims = [(key,) for aid, key in rows if aid in gone_set][:excess]
        db.executemany("DELETE FROM bodies WHERE key = ?", victims)
        db.executemany("DELETE FROM articles WHERE key = ?", victims)
        return len(victims)

    @staticmethod
    def _ensure_feed(db: sqlite3.Connection, name: str) -> int:
        row = db.execute("SELECT id FROM feeds WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        return int(db.execute("INSERT INTO feeds (name) VALUES (?)", (name,)).lastrowid or 0)

    def save_error(self, name: str, message: str, *, next_attempt: datetime | None = None) -> None:
        """Record a failed fetch; the feed keeps its articles and its fetch state.

        The failure count grows by one; ``next_attempt`` is when the feed may be asked
        again (None: on the next refresh).
        """
        now = _now()
        when = next_attempt.astimezone(UTC).isoformat(timespec="seconds") if next_attempt else None
        with self._write() as db:
            feed_id = self._ensure_feed(db, name)
            db.execute(
                "UPDATE feeds SET last_error = ?, last_attempt = ?, failures = failures + 1,"
                " next_attempt = ? WHERE id = ?",
                (message, now, when, feed_id),
            )

    def article_count(self, name: str) -> int:
        rows = self._read(
            "SELECT count(*) FROM articles WHERE feed_id = (SELECT id FROM feeds WHERE name = ?)",
            (name,),
        )
        return int(rows[0][0])  # type: ignore[call-overload]

    def set_warning(self, name: str, message: str | None) -> None:
        """A problem that did not stop the fetch (e.g. one unreadable file of a folder)."""
        with self._write() as db:
            db.execute("UPDATE feeds SET last_error = ? WHERE name = ?", (message, name))

    def feed_statuses(self) -> dict[str, FeedStatus]:
        """Every configured feed, in config order, with its unread and total counts."""
        rows = self._read(
            "SELECT f.name, f.title, f.link, f.last_success, f.last_error,"
            " coalesce(c.unread, 0), coalesce(c.total, 0), f.grp, f.moved_to, f.last_attempt,"
            " f.next_attempt, f.failures"
            " FROM feeds f LEFT JOIN (SELECT feed_id, count(*) AS total,"
            " sum(read = 0) AS unread FROM articles GROUP BY feed_id) c ON c.feed_id = f.id"
            f" WHERE {self._configured} ORDER BY f.position, f.id"
        )
        return {str(r[0]): FeedStatus._make(r) for r in rows}

    # -- articles ----------------------------------------------------------------------

    def headlines(self, feeds: Sequence[str] | None = None) -> list[Headline]:
        """Headlines of the given feeds (default: all configured) in that order, newest first."""
        if feeds is None:
            sql, params = (_HEADLINES_STORED if self.read_only else _HEADLINES_ALL), ()
        else:
            sql, params = _HEADLINES_OF, (json.dumps(list(feeds)),)
        # Tens of thousands of fresh tuples would trigger several full GC passes for
        # nothing (they hold no cycles); pausing the collector halves the time.
        enabled = gc.isenabled()
        gc.disable()
        try:
            names = dict(self._read("SELECT id, name FROM feeds"))
            rows = self._read(sql, params)
            return [
                Headline(k, names[f], t, p, r == 1, s == 1)  # type: ignore[arg-type]
                for k, f, t, p, r, s in rows
            ]
        finally:
            if enabled:
                gc.enable()

    def article(self, key: int) -> StoredArticle:
        """One stored article; KeyError when it is gone (trimmed or never existed)."""
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM} WHERE a.key = ?",
            (key,),
        )
        if not rows:
            raise KeyError(key)
        return _article_from(rows[0])

    def articles(self, name: str, *, unread_only: bool = False) -> list[StoredArticle]:
        """A feed's stored articles in headline order (newest first)."""
        where = " AND a.read = 0" if unread_only else ""
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM}"
            f" WHERE f.name = ?{where} ORDER BY {_HEADLINE_ORDER}",
            (name,),
        )
        return [_article_from(r) for r in rows]

    def set_read(self, keys: Iterable[int], read: bool = True) -> None:
        with self._write() as db:
            db.executemany(
                "UPDATE articles SET read = ? WHERE key = ?", ((int(read), k) for k in keys)
            )

    def set_starred(self, key: int, starred: bool) -> None:
        with self._write() as db:
            db.execute("UPDATE articles SET starred = ? WHERE key = ?", (int(starred), key))

    def mark_feed_read(self, name: str) -> int:
        """Mark every article of a feed read; returns how many were unread."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE articles SET read = 1 WHERE read = 0 AND feed_id ="
                " (SELECT id FROM feeds WHERE name = ?)",
                (name,),
            )
            return cur.rowcount

    # -- settings ----------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Store a UI setting; ``None`` removes it."""
        with self._write() as db:
            if value is None:
                db.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )


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
