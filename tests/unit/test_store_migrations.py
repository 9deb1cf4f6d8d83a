"""Databases written by older versions: opened, upgraded, and behaving as they did."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.model import FeedConfig, FetchState
from newsreader.refresh import refresh_feeds
from newsreader.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Store
from tests.support.httpserver import FeedServer, make_rss
from tests.support.old_store import old_store

# What schema 2 kept in ``fingerprint`` for an http feed whose last document was a feed.
OLD_MARKER = "http:feed"
PAGE = (
    b"<!doctype html><html><head><title>Harbour</title></head><body><article>"
    b"<h1>Harbour wall repaired</h1><p>" + b"The wall is whole again. " * 20 + b"</p>"
    b"</article></body></html>"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def schema_2(path: Path, rows: list[tuple[str, str, str, str | None]]) -> None:
    """A database as schema 2 left it, with (name, source, target, fingerprint) feeds."""
    con = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:2]:
        con.executescript(script)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 2")
    for position, (name, source, target, fingerprint) in enumerate(rows):
        con.execute(
            "INSERT INTO feeds (name, source, target, position, etag, fingerprint)"
            " VALUES (?, ?, ?, ?, '\"v1\"', ?)",
            (name, source, target, position, fingerprint),
        )
    con.close()


def test_the_old_feed_marker_becomes_was_feed(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    schema_2(
        db,
        [
            ("Harbour", "http", "http://h.example/feed.xml", OLD_MARKER),
            ("Page", "http", "http://h.example/story.html", None),
            ("Notes", "local", "/notes", "0123abcd"),
            # A plugin's own fingerprint is its own business, whatever it says.
            ("Almanac", "almanac", "", OLD_MARKER),
        ],
    )
    with Store.open(db) as store:
        assert store.fetch_state("Harbour") == FetchState(etag='"v1"', was_feed=True)
        assert store.fetch_state("Page") == FetchState(etag='"v1"')
        assert store.fetch_state("Notes") == FetchState(etag='"v1"', fingerprint="0123abcd")
        assert store.fetch_state("Almanac") == FetchState(etag='"v1"', fingerprint=OLD_MARKER)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7


def test_an_old_database_still_refuses_a_page_where_its_feed_was(
    tmp_path: Path, server: FeedServer
) -> None:
    """The point of the marker: the feed URL of a v2 database now serves an HTML page (a
    parked domain, a login wall), and that page is refused, not stored as an article."""
    url = server.add("/feed.xml", PAGE, content_type="text/html")
    db = tmp_path / "news.db"
    schema_2(db, [("Harbour", "http", url, OLD_MARKER)])
    feeds = [FeedConfig(name="Harbour", source="http", target=url)]
    with Store.open(db) as store:
        store.sync_feeds(feeds)
        [outcome] = asyncio.run(refresh_feeds(feeds, store))
        assert outcome.status == "error"
        assert outcome.error == f"{url}: an HTML page, not a feed"
        assert store.article_count("Harbour") == 0
        # A failure keeps the fetch state: the next fetch is just as careful.
        assert store.fetch_state("Harbour").was_feed


def test_a_new_database_remembers_was_feed_and_a_changed_target_forgets_it(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.add("/feed.xml", make_rss("Harbour", [("a1", "Ferry")]).encode())
    feeds = [FeedConfig(name="Harbour", source="http", target=url)]
    with Store.open(tmp_path / "news.db") as store:
        store.sync_feeds(feeds)
        [outcome] = asyncio.run(refresh_feeds(feeds, store))
        assert outcome.status == "ok", outcome.error
        assert store.fetch_state("Harbour").was_feed
        store.sync_feeds([FeedConfig(name="Harbour", source="http", target=url + "?v=2")])
        assert store.fetch_state("Harbour") == FetchState()


def test_a_schema_3_database_keeps_its_made_markdown(tmp_path: Path) -> None:
    """Schema 3 stored every body's Markdown: after the upgrade it is read as it was."""
    db = tmp_path / "v3.db"
    con = old_store(db, 3)
    con.execute("INSERT INTO feeds (id, name, position) VALUES (1, 'A', 0)")
    con.execute(
        "INSERT INTO articles (key, feed_id, article_id, title, fetched_at, content_hash)"
        " VALUES (1, 1, 'x', 'Kept', '2026-01-01', 'h')"
    )
    con.execute(
        "INSERT INTO bodies (key, summary, text, markdown)"
        " VALUES (1, 'Wall', 'Wall repaired', '## Wall\n\nrepaired')"
    )
    con.close()
    with Store.open(db) as store:
        article = store.article(1).article
        assert (article.summary, article.text, article.markdown) == (
            "Wall",
            "Wall repaired",
            "## Wall\n\nrepaired",
        )
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
