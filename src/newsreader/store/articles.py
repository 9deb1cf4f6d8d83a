"""Articles: the save algorithm of one fetch, article reads, read/star flags."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from newsreader.bodies import StoredBody, prepare_rows
from newsreader.errors import StoreError
from newsreader.model import SaveStats, StoredArticle
from newsreader.store.connection import BUSY_TIMEOUT_MS, Connection, now
from newsreader.store.feeds import ensure_feed
from newsreader.store.headlines import HEADLINE_ORDER
from newsreader.store.rows import article_from, pairs, text
from newsreader.store.rules import CompiledRule, RuleOutcome, apply_everywhere, apply_to_new
from newsreader.store.search import (
    ArticleText,
    IndexValues,
    Pending,
    forget_articles,
    index_articles,
    index_values,
)
from newsreader.store.stories import WITH_COPIES, keys_json

if TYPE_CHECKING:
    from newsreader.model import FetchResult

_ARTICLE_COLUMNS = (
    "a.key, f.name, a.article_id, a.title, a.link, a.published, a.updated, a.author, "
    "a.source, a.breadcrumb, b.summary, b.text, b.related, b.markdown, a.read, a.starred, "
    "b.source, b.base, b.summary_is_text"
)
# A read-only store of schema 3 or older has no lazy Markdown: every body is made.
_ARTICLE_COLUMNS_V3 = _ARTICLE_COLUMNS.replace(
    "b.source, b.base, b.summary_is_text", "NULL, NULL, 0"
)
_ARTICLE_FROM = "articles a JOIN feeds f ON f.id = a.feed_id JOIN bodies b ON b.key = a.key"


def _article_text(head: tuple[object, ...], body: tuple[object, ...]) -> ArticleText:
    """What the index takes of an article, from the columns its row is written with."""
    title, _link, _published, _updated, author, source, _crumbs = head
    summary, _same, body_text, *_ = body
    return (str(title), _str(author), _str(source), str(body_text), _str(summary))


def _str(value: object) -> str | None:
    return None if value is None else str(value)


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


class Articles(Connection):
    def save_result(
        self,
        name: str,
        result: FetchResult,
        max_articles: int | None = None,
        rules: Sequence[CompiledRule] = (),
    ) -> SaveStats:
        """Store one fetch of a feed in one transaction.

        Known articles are updated in place when their content changed and keep their
        read and starred flags. ``max_articles`` then trims the oldest articles that
        the feed no longer lists, read ones before unread ones; starred articles and the
        articles of the current document are never removed (removing the latter would
        bring them back as new on the next fetch).

        The articles are written from ``result.rows`` (:func:`newsreader.bodies.
        prepare_rows`, made before the save, where a converter's failure is the feed's);
        without them they are prepared here, from the feed's articles.

        ``rules`` (the feed's, in order) act on the articles this save inserts, in the
        same transaction, so no list ever shows a new article before its rules acted.
        """
        when = now()
        feed = result.feed
        with self._write() as db:
            feed_id = ensure_feed(db, name)
            state = result.state
            db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, fingerprint = ?, was_feed = ?,"
                " last_attempt = ?, last_success = ?, last_error = NULL, moved_to = ?,"
                " failures = 0, next_attempt = NULL WHERE id = ?",
                (state.etag, state.last_modified, state.fingerprint, int(state.was_feed), when,
                 when, result.moved_to, feed_id),
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
            rows = result.rows
            if rows is None:
                rows = prepare_rows(feed.articles, {aid: old[1] for aid, old in known.items()})
            # Keys are handed out here (the write lock is held) so bodies can share them.
            next_key = db.execute("SELECT coalesce(max(key), 0) + 1 FROM articles").fetchone()[0]
            first_new = next_key
            inserts: list[tuple[object, ...]] = []
            updates: list[tuple[object, ...]] = []
            bodies: list[tuple[object, ...]] = []
            moves: list[tuple[int, int]] = []
            current = {row[0] for row in rows}
            offset = _position_offset([row[0] for row in rows], known)
            indexed: list[IndexValues] = []
            changed: list[int] = []
            for index, (aid, digest, head, sort_key, body, story) in enumerate(rows):
                position = index + offset
                old = known.get(aid)
                if old is not None and old[1] == digest:
                    if old[2] != position:
                        moves.append((position, old[0]))
                    continue
                if body is None:
                    # Prepared against digests another process has changed since: the
                    # next fetch writes it.
                    continue
                if old is None:
                    key = next_key
                    next_key += 1
                    inserts.append(
                        (key, feed_id, aid, *head, position, sort_key, when, digest, *story)
                    )
                else:
                    key = old[0]
                    updates.append((*head, position, sort_key, digest, *story, key))
                    changed.append(key)
                bodies.append((key, *body))
                indexed.append(index_values(key, name, _article_text(head, body)))
            pending = Pending(db)
            forget_articles(db, changed, pending)
            db.executemany(
                "INSERT INTO articles (key, feed_id, article_id, title, link, published, updated,"
                " author, source, breadcrumb, position, sort_key, fetched_at, content_hash,"
                " story_id, story_link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            db.executemany(
                "UPDATE articles SET title = ?, link = ?, published = ?, updated = ?, author = ?,"
                " source = ?, breadcrumb = ?, position = ?, sort_key = ?, content_hash = ?,"
                " story_id = ?, story_link = ? WHERE key = ?",
                updates,
            )
            db.executemany(
                "INSERT OR REPLACE INTO bodies (key, summary, summary_is_text, text, related,"
                " markdown, source, base) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                bodies,
            )
            db.executemany("UPDATE articles SET position = ? WHERE key = ?", moves)
            index_articles(db, (row for row in indexed if pending.indexed(row[0])))
            if rules and inserts:
                apply_to_new(db, rules, first_new, next_key - 1)
            total = len(known) + len(inserts)
            if max_articles is not None and total > max_articles:
                total -= self._trim(db, feed_id, known, current, total - max_articles, pending)
            return SaveStats(len(inserts), len(updates), total)

    def content_hashes(self, name: str) -> dict[str, str]:
        """The content digest of every stored article of a feed, by article id: what
        :func:`newsreader.bodies.prepare_rows` compares with before a save."""
        rows = self._read(
            "SELECT a.article_id, a.content_hash FROM articles a"
            " JOIN feeds f ON f.id = a.feed_id WHERE f.name = ?",
            (name,),
        )
        return {text(aid): text(digest) for aid, digest in pairs(rows)}

    def _trim(
        self,
        db: sqlite3.Connection,
        feed_id: int,
        known: dict[str, tuple[int, str, int]],
        current: set[str],
        excess: int,
        pending: Pending,
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
        forget_articles(db, [key for (key,) in victims], pending)
        db.executemany("DELETE FROM bodies WHERE key = ?", victims)
        db.executemany("DELETE FROM articles WHERE key = ?", victims)
        return len(victims)

    # -- articles ----------------------------------------------------------------------

    @property
    def _article_columns(self) -> str:
        return _ARTICLE_COLUMNS if self.schema >= 4 else _ARTICLE_COLUMNS_V3

    def article(self, key: int) -> StoredArticle:
        """One stored article with its Markdown made; KeyError when it is gone (trimmed
        or never existed).

        An article shown for the first time has its Markdown made from the kept HTML
        here, and cached when the database is free at once (the reader asks for one
        article at a time and must never wait for a refresh's write)."""
        rows = self._read(
            f"SELECT {self._article_columns} FROM {_ARTICLE_FROM} WHERE a.key = ?",
            (key,),
        )
        if not rows:
            raise KeyError(key)
        stored = article_from(rows[0])
        body = stored.article.body
        source = body.kept_source if isinstance(body, StoredBody) else None
        if source is not None:
            self._cache_markdown(key, source, body.markdown)
        return stored

    def _cache_markdown(self, key: int, source: bytes, markdown: str) -> None:
        """Keep a body's Markdown in place of its HTML, unless another connection holds
        the write lock (then it is made again next time) or the store is read-only."""
        if self.read_only:
            return
        db = self._db
        try:
            db.execute("PRAGMA busy_timeout = 0")
            try:
                with self._write():
                    db.execute(
                        "UPDATE bodies SET markdown = ?, source = NULL, base = NULL"
                        " WHERE key = ? AND source = ?",
                        (markdown, key, source),
                    )
            finally:
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except (StoreError, sqlite3.Error):
            pass

    def articles(
        self, name: str, *, unread_only: bool = False, hits_only: bool = False
    ) -> Iterator[StoredArticle]:
        """A feed's listed articles (see ``show_hidden``) in headline order (newest
        first), read as they are used; their Markdown is made when first read.
        ``hits_only``: those the last search found (``Store.search``)."""
        where = f" AND {self._listed}"
        if unread_only:
            where += " AND a.read = 0"
        if hits_only:
            where += " AND a.key IN (SELECT key FROM temp.hits)"
        rows = self._stream(
            f"SELECT {self._article_columns} FROM {_ARTICLE_FROM}"
            f" WHERE f.name = ?{where} ORDER BY {HEADLINE_ORDER}",
            (name,),
        )
        return (article_from(r) for r in rows)

    def set_read(self, keys: Iterable[int], read: bool = True) -> None:
        """Articles ``keys`` and every copy of them in other feeds read (or unread)."""
        with self._write() as db:
            db.execute(
                f"UPDATE articles SET read = :flag WHERE key IN ({WITH_COPIES})",
                {"flag": int(read), "keys": keys_json(keys)},
            )

    def set_starred(self, key: int, starred: bool) -> None:
        with self._write() as db:
            db.execute(
                f"UPDATE articles SET starred = :flag WHERE key IN ({WITH_COPIES})",
                {"flag": int(starred), "keys": keys_json([key])},
            )

    def mark_feed_read(self, name: str) -> int:
        """Mark every article of a feed read, and their copies in other feeds; returns
        how many of the feed's were unread."""
        with self._write() as db:
            unread = [
                key
                for (key,) in db.execute(
                    "SELECT key FROM articles WHERE read = 0 AND feed_id ="
                    " (SELECT id FROM feeds WHERE name = ?)",
                    (name,),
                )
            ]
            db.execute(
                f"UPDATE articles SET read = 1 WHERE read = 0 AND key IN ({WITH_COPIES})",
                {"keys": keys_json(unread)},
            )
            return len(unread)

    # -- rules ---------------------------------------------------------------------------

    def apply_rule(self, rule: CompiledRule, feed: str | None = None) -> RuleOutcome:
        """Apply ``rule`` to every stored article (only ``feed``'s, for a feed's own
        rule) in one transaction: ``newsreader rules apply``."""
        with self._write() as db:
            return apply_everywhere(db, rule, feed)

    def rule_labels(self, key: int) -> list[str]:
        """The labels of the rules that acted on article ``key``, in the order they did."""
        if self.schema < 6:
            return []
        rows = self._read("SELECT rule FROM articles WHERE key = ?", (key,))
        if not rows or rows[0][0] is None:
            return []
        return text(rows[0][0]).split("\n")
