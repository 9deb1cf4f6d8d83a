"""Bodies in the store: the HTML kept instead of the Markdown until an article is first
read, the Markdown then made, shown and cached; a summary equal to the text kept once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsreader.formats import parse_document
from newsreader.model import FeedConfig, FetchResult, FetchState
from newsreader.store import Store
from newsreader.text.html import html_to_markdown

BODY = "<h2>Harbour wall</h2><p>The wall is <em>whole</em> again.</p><ul><li>one</li></ul>"
RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title>
<item><guid>a</guid><title>Wall</title><description><![CDATA[{BODY}]]></description></item>
<item><guid>b</guid><title>Plain</title><description>No markup at all</description></item>
</channel></rss>""".encode()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "news.db")
    s.sync_feeds([FeedConfig(name="Harbour", source="local", target="/h.xml")])
    feed = parse_document(RSS, source="h.xml", url="https://harbour.example.org/feed")
    s.save_result("Harbour", FetchResult(feed, FetchState()))
    return s


def _row(store: Store, title: str) -> tuple[object, ...]:
    with sqlite3.connect(store.path) as con:
        return con.execute(
            "SELECT b.markdown, b.source IS NOT NULL, b.summary, b.summary_is_text FROM bodies b"
            " JOIN articles a ON a.key = b.key WHERE a.title = ?",
            (title,),
        ).fetchone()


def _key(store: Store, title: str) -> int:
    return next(h.key for h in store.headlines() if h.title == title)


def test_a_saved_body_keeps_its_html_and_no_markdown(store: Store) -> None:
    assert _row(store, "Wall") == ("", 1, None, 1)
    assert _row(store, "Plain") == ("", 0, None, 1)


def test_the_first_read_makes_the_markdown_and_caches_it(store: Store) -> None:
    expected = html_to_markdown(BODY, "https://harbour.example.org/feed")
    article = store.article(_key(store, "Wall")).article
    assert article.markdown == expected and "## Harbour wall" in expected
    assert article.summary == article.text == "Harbour wall\n\nThe wall is whole again.\n\none"
    assert _row(store, "Wall") == (expected, 0, None, 1)
    assert store.article(_key(store, "Wall")).article.markdown == expected


def test_a_busy_database_still_shows_the_markdown_and_caches_it_later(store: Store) -> None:
    key = _key(store, "Wall")
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert "## Harbour wall" in store.article(key).article.markdown
        assert _row(store, "Wall")[1] == 1  # not cached: the write lock was taken
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.article(key)
    assert _row(store, "Wall")[1] == 0


def test_listing_reads_the_text_without_making_markdown(store: Store) -> None:
    listed = list(store.articles("Harbour"))
    assert [a.article.text for a in listed] == [
        "Harbour wall\n\nThe wall is whole again.\n\none",
        "No markup at all",
    ]
    assert _row(store, "Wall")[1] == 1
    assert "## Harbour wall" in listed[0].article.markdown  # made when asked for


def test_a_damaged_source_shows_the_text(store: Store) -> None:
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE bodies SET source = x'7a0001'")
    article = store.article(_key(store, "Wall")).article
    assert (article.markdown, article.text) == (
        "",
        "Harbour wall\n\nThe wall is whole again.\n\none",
    )
