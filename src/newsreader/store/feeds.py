"""Feed rows: which feeds are configured, their fetch state, errors, warnings and counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsreader.model import FeedStatus, FetchState, Schedule
from newsreader.store.connection import Connection, now
from newsreader.store.rows import feed_status_from, integer, optional_text, text

if TYPE_CHECKING:
    from newsreader.model import FeedConfig


def ensure_feed(db: sqlite3.Connection, name: str) -> int:
    """The id of the feed's row, made now if it has none (inside a write transaction)."""
    row = db.execute("SELECT id FROM feeds WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    return int(db.execute("INSERT INTO feeds (name) VALUES (?)", (name,)).lastrowid or 0)


_STATE_COLUMNS = "etag, last_modified, fingerprint, was_feed"
_SCHEDULE_COLUMNS = "failures, next_attempt, last_error"


def _state_from(row: Sequence[object]) -> FetchState:
    etag, modified, fingerprint, was_feed = row
    return FetchState(
        etag=optional_text(etag),
        last_modified=optional_text(modified),
        fingerprint=optional_text(fingerprint),
        was_feed=was_feed == 1,
    )


def _schedule_from(row: Sequence[object]) -> Schedule:
    failures, when, error = row
    next_attempt = None
    if when:
        with suppress(ValueError):
            next_attempt = datetime.fromisoformat(str(when))
    return Schedule(integer(failures or 0), next_attempt, optional_text(error))


class Feeds(Connection):
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
            existing: dict[str, tuple[object, ...]] = {}
            shown: dict[str, tuple[object, ...]] = {}
            for name, source, target, *placed in db.execute(
                "SELECT name, source, target, grp, position, refresh_minutes FROM feeds"
            ):
                existing[name] = (source, target)
                shown[name] = tuple(placed)
            # Rows are written only where they change: a run with the same feeds.yaml
            # writes none of them.
            configured = {feed.name for feed in feeds}
            for name, (_, position, _) in shown.items():
                if position is not None and name not in configured:
                    db.execute("UPDATE feeds SET position = NULL WHERE name = ?", (name,))
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
                placed = (feed.group, position, feed.settings.refresh_minutes)
                if shown[feed.name] != placed:
                    db.execute(
                        "UPDATE feeds SET grp = ?, position = ?, refresh_minutes = ?"
                        " WHERE name = ?",
                        (*placed, feed.name),
                    )
                    shown[feed.name] = placed
                if old != (feed.source, feed.target):
                    db.execute(
                        "UPDATE feeds SET source = ?, target = ?, etag = NULL,"
                        " last_modified = NULL, fingerprint = NULL, was_feed = 0, moved_to = NULL,"
                        " failures = 0, next_attempt = NULL WHERE name = ?",
                        (feed.source, feed.target, feed.name),
                    )

    def feed_names(self) -> list[str]:
        """The configured feeds, in config order."""
        rows = self._read(
            f"SELECT name FROM feeds f WHERE {self._configured} ORDER BY position, id"
        )
        return [text(r[0]) for r in rows]

    def fetch_state(self, name: str) -> FetchState:
        rows = self._read(f"SELECT {_STATE_COLUMNS} FROM feeds WHERE name = ?", (name,))
        return _state_from(rows[0]) if rows else FetchState()

    def schedule(self, name: str) -> Schedule:
        """The feed's failure count and the time before which it is not to be fetched."""
        rows = self._read(f"SELECT {_SCHEDULE_COLUMNS} FROM feeds WHERE name = ?", (name,))
        return _schedule_from(rows[0]) if rows else Schedule(0, None, None)

    def refresh_rows(self) -> dict[str, tuple[FetchState, Schedule]]:
        """Every feed's :meth:`fetch_state` and :meth:`schedule`, by name, in one read: what
        the check of unchanged files needs of all the feeds at once."""
        rows = self._read(f"SELECT name, {_STATE_COLUMNS}, {_SCHEDULE_COLUMNS} FROM feeds")
        return {text(r[0]): (_state_from(r[1:5]), _schedule_from(r[5:])) for r in rows}

    def save_unchanged(self, feeds: Sequence[tuple[str, FetchState, str | None]]) -> list[int]:
        """Record fetches that found nothing changed, all in one transaction.

        Each entry is (name, the state the fetch kept, its warning or None); the rows end
        as :meth:`save_result` of a not-modified result, then :meth:`set_warning`, leave
        them, without a transaction per feed. Returns each feed's article count.
        """
        if not feeds:
            return []
        when = now()
        totals = []
        with self._write() as db:
            for name, state, warning in feeds:
                feed_id = ensure_feed(db, name)
                db.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ?, fingerprint = ?, was_feed = ?,"
                    " last_attempt = ?, last_success = ?, last_error = ?, moved_to = NULL,"
                    " failures = 0, next_attempt = NULL WHERE id = ?",
                    (state.etag, state.last_modified, state.fingerprint, int(state.was_feed),
                     when, when, warning, feed_id),
                )  # fmt: skip
                count = "SELECT count(*) FROM articles WHERE feed_id = ?"
                totals.append(integer(db.execute(count, (feed_id,)).fetchone()[0]))
        return totals

    def save_error(self, name: str, message: str, *, next_attempt: datetime | None = None) -> None:
        """Record a failed fetch; the feed keeps its articles and its fetch state.

        The failure count grows by one; ``next_attempt`` is when the feed may be asked
        again (None: on the next refresh).
        """
        when_now = now()
        when = next_attempt.astimezone(UTC).isoformat(timespec="seconds") if next_attempt else None
        with self._write() as db:
            feed_id = ensure_feed(db, name)
            db.execute(
                "UPDATE feeds SET last_error = ?, last_attempt = ?, failures = failures + 1,"
                " next_attempt = ? WHERE id = ?",
                (message, when_now, when, feed_id),
            )

    def article_count(self, name: str) -> int:
        rows = self._read(
            "SELECT count(*) FROM articles WHERE feed_id = (SELECT id FROM feeds WHERE name = ?)",
            (name,),
        )
        return integer(rows[0][0])

    def set_warning(self, name: str, message: str | None) -> None:
        """A problem that did not stop the fetch (e.g. one unreadable file of a folder)."""
        with self._write() as db:
            db.execute("UPDATE feeds SET last_error = ? WHERE name = ?", (message, name))

    def feed_statuses(self) -> dict[str, FeedStatus]:
        """Every configured feed, in config order, with its unread and total counts (of
        the listed articles: those a rule hid count only while they are shown)."""
        rows = self._read(
            "SELECT f.name, f.title, f.link, f.last_success, f.last_error,"
            " coalesce(c.unread, 0), coalesce(c.total, 0), f.grp, f.moved_to, f.last_attempt,"
            " f.next_attempt, f.failures"
            " FROM feeds f LEFT JOIN (SELECT a.feed_id, count(*) AS total,"
            f" sum(a.read = 0) AS unread FROM articles a WHERE {self._listed}"
            " GROUP BY a.feed_id) c ON c.feed_id = f.id"
            f" WHERE {self._configured} ORDER BY f.position, f.id"
        )
        return {text(r[0]): feed_status_from(r) for r in rows}
