"""The search index on a real SQLite file: what queries find in every script, and an
index that stays in step with the articles through updates, trims, a build of an old
store, and a change of tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.model import Article, Feed, FeedConfig, FetchResult
from newsreader.query import parse
from newsreader.query.compile import compile_query
from newsreader.store import Store
from newsreader.store import search as search_module
from tests.support.old_store import old_store

FEEDS = [
    FeedConfig(name="Harbour News", source="local", target="/h.xml", group="Town"),
    FeedConfig(name="上虞新闻", source="local", target="/s.xml", group="中文"),
    FeedConfig(name="東京", source="local", target="/t.xml", group="日本語"),
    FeedConfig(name="서울", source="local", target="/k.xml", group="한국어"),
]
NOW = time.mktime((2026, 12, 4, 12, 0, 0, 0, 0, -1))


def _save(store: Store, name: str, *articles: Article, keep: int | None = None) -> None:
    store.save_result(name, FetchResult(Feed(name, None, "/x", articles)), keep)


def _ids(store: Store, query: str) -> set[str]:
    compiled = compile_query(parse(query), groups=[f.group for f in FEEDS], now=NOW)
    store.search(compiled)
    found = set()
    for feed in FEEDS:
        found |= {s.article.id for s in store.articles(feed.name, hits_only=True)}
    return found


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "news.db") as opened:
        opened.sync_feeds(FEEDS)
        _save(
            opened,
            "Harbour News",
            Article(id="ferry", title="Ferry timetable changes", author="Ana Núñez",
                    text="The winter ferry runs less often. The Café stays open.",
                    published="2026-12-01T10:00:00+00:00"),
            Article(id="strike", title="Council votes on the strike", source="Harbour Post",
                    text="A general strike is planned for Monday; e-mail the council.",
                    published="2026-10-01T10:00:00+00:00"),
            Article(id="undated", title="Lantern festival", text="Lanterns on the quay."),
        )  # fmt: skip
        _save(
            opened,
            "上虞新闻",
            Article(id="zh", title="上虞新闻今天发布", text="市民关注天气变化。来源:环球网"),
        )
        _save(opened, "東京", Article(id="ja", title="東京都の天気予報", text="明日は雨でしょう。"))
        _save(
            opened, "서울", Article(id="ko", title="서울시에서 열린 회의", text="시민들이 참석했다")
        )
        yield opened


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ferry", {"ferry"}),
        ("FERRY timetable", {"ferry"}),
        ("cafe", {"ferry"}),  # accents fold
        ("nunez", {"ferry"}),
        ("ferr*", {"ferry"}),
        ('"general strike"', {"strike"}),
        ('"strike general"', set()),
        ("e-mail", {"strike"}),
        ("ferry OR strike", {"ferry", "strike"}),
        ("council -strike", set()),
        ("-ferry feed:harbour", {"strike", "undated"}),
        ("title:council", {"strike"}),
        ("title:winter", set()),
        ("author:ana", {"ferry"}),
        ("source:post", {"strike"}),
        ("feed:harbour", {"ferry", "strike", "undated"}),
        ("group:town is:unread", {"ferry", "strike", "undated"}),
        ("group:中文", {"zh"}),
        ("after:2026-11-01", {"ferry"}),
        ("before:2026-11-01", {"strike"}),
        ("age:<7d", {"ferry"}),
        ("age:>7d", {"strike"}),
        ("-after:2026-11-01 feed:harbour", {"strike", "undated"}),
        ("is:starred", set()),
        ("has:enclosure", set()),
        ("(ferry OR lantern) is:unread", {"ferry", "undated"}),
        # Chinese, Japanese and Korean: 1, 2 and 3+ characters, inside longer runs
        ("新", {"zh"}),
        ("闻", {"zh"}),
        ("新闻", {"zh"}),
        ("虞新闻今", {"zh"}),
        ("上虞新闻今天发布", {"zh"}),
        ("闻上", set()),
        ("环球网", {"zh"}),
        ("来源:环球网", {"zh"}),
        ("天", {"zh", "ja"}),
        ("天気", {"ja"}),
        ("天气", {"zh"}),
        ("東京都の天気", {"ja"}),
        ("雨", {"ja"}),
        ("서", {"ko"}),
        ("서울", {"ko"}),
        ("서울시에서", {"ko"}),
        ("시민들이", {"ko"}),
        ("feed:上虞", {"zh"}),
    ],
)
def test_what_a_query_finds(store: Store, query: str, expected: set[str]) -> None:
    assert _ids(store, query) == expected


@pytest.mark.parametrize(
    "query", ['"NEAR(ferry"', "ferry*)", 'title:"a" OR "b"', "col:x", "^ferry", "'", "{a b}"]
)
def test_what_a_user_types_is_never_fts_syntax(store: Store, query: str) -> None:
    try:
        tree = parse(query)
    except Exception as exc:  # the parser's own one-line errors are fine
        assert type(exc).__name__ == "QueryError"
        return
    store.search(compile_query(tree, groups=[], now=NOW))


def test_the_index_follows_updates_and_trims(store: Store) -> None:
    _save(
        store,
        "Harbour News",
        Article(id="ferry", title="Bus timetable", text="Buses instead of the ferry boat."),
        keep=1,
    )
    assert _ids(store, "bus") == {"ferry"}
    assert _ids(store, "winter") == set()  # the old text is gone
    assert _ids(store, "council OR lantern") == set()  # trimmed away
    assert store.search_index_in_step()


def test_only_configured_feeds_are_searched(store: Store) -> None:
    store.sync_feeds(FEEDS[1:])
    assert _ids(store, "ferry") == set()
    assert _ids(store, "新闻") == {"zh"}


def test_a_stray_index_row_is_seen(store: Store) -> None:
    with store._write() as db:
        db.execute(
            "INSERT INTO search (rowid, title, author, source, feed, body)"
            " VALUES (99, 'stray', '', '', '', '')"
        )
    assert not store.search_index_in_step()


def _old_store(path: Path, articles: int) -> None:
    """A schema 4 database (before the index) holding ``articles`` articles."""
    con = old_store(path, 4)
    con.execute("INSERT INTO feeds (id, name, position, grp) VALUES (1, 'Harbour News', 0, 'Town')")
    for key in range(1, articles + 1):
        con.execute(
            "INSERT INTO articles (key, feed_id, article_id, title, fetched_at, content_hash)"
            " VALUES (?, 1, ?, ?, '2026-01-01', 'h')",
            (key, f"a{key}", f"Story {key} ferry"),
        )
        con.execute("INSERT INTO bodies (key, text) VALUES (?, ?)", (key, f"Body {key} 新闻"))
    con.close()


def test_an_old_store_is_indexed_in_batches_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _old_store(path, 25)
    monkeypatch.setattr(search_module, "BUILD_BATCH", 10)
    seen: list[tuple[int, int]] = []
    with Store.open(path) as store:
        store.sync_feeds(FEEDS[:1])
        assert store.search_index_pending() == 25
        assert _ids(store, "ferry") == set()  # not reached yet: not searched
        _save(store, "Harbour News", Article(id="new", title="New ferry"))  # saved meanwhile

        def stop_after_one_batch(done: int, total: int) -> None:
            seen.append((done, total))
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            store.build_search_index(stop_after_one_batch)
    assert seen == [(10, 25)]
    with Store.open(path) as store:
        assert store.search_index_pending() == 15
        store.build_search_index(lambda done, total: seen.append((done, total)))
        assert seen[1:] == [(10, 15), (15, 15)]
        assert store.search_index_pending() == 0
        assert len(_ids(store, "ferry")) == 26
        assert len(_ids(store, "新闻")) == 25
        assert store.search_index_in_step()


def test_a_change_of_tokens_rebuilds_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "news.db"
    with Store.open(path) as store:
        store.sync_feeds(FEEDS)
        _save(store, "Harbour News", Article(id="a", title="Ferry"))
    from newsreader.store import connection

    monkeypatch.setattr(connection, "TOKENS_VERSION", "2")
    with Store.open(path) as store:
        assert store.search_index_pending() == 1
        assert _ids(store, "ferry") == set()
        store.build_search_index()
        assert _ids(store, "ferry") == {"a"}
        assert store.search_index_in_step()
    with Store.open(path) as store:
        assert store.search_index_pending() == 0
        assert _ids(store, "ferry") == {"a"}
