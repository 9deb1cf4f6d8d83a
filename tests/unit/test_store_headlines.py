"""The store's headline reads for the sidebar: pages, flags and a key's place
all follow the one headline order that ``store.headlines()`` hands out."""

from __future__ import annotations

from pathlib import Path

from newsreader.model import Article, Feed, FeedConfig, FetchResult
from newsreader.store import Store


def _store(path: Path) -> Store:
    store = Store.open(path / "news.db")
    store.sync_feeds(
        [FeedConfig("Harbour", "local", "h.rss"), FeedConfig("Pier", "local", "p.rss")]
    )
    items = [
        # Dated, undated (last), and ties on the date (kept in feed order).
        Article(id=f"h{i}", title=f"Harbour {i}", text="body",
                published=None if i % 5 == 0 else f"2024-03-{1 + i % 3:02d}T08:00:00+00:00")
        for i in range(40)
    ]  # fmt: skip
    store.save_result("Harbour", FetchResult(Feed("Harbour", None, "rss", tuple(items))))
    pier = tuple(Article(id=f"p{i}", title=f"Pier {i}", text="b") for i in range(3))
    store.save_result("Pier", FetchResult(Feed("Pier", None, "rss", pier)))
    return store


def test_pages_flags_and_places_follow_the_headline_order(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        every = store.headlines(["Harbour"])
        store.set_read([every[3].key, every[17].key])
        every = store.headlines(["Harbour"])
        paged = store.headline_page("Harbour", 0, 16) + store.headline_page("Harbour", 16, 16)
        paged += store.headline_page("Harbour", 32, 16)
        assert paged == every
        assert store.headline_flags("Harbour") == bytes(h.read for h in every)
        assert [store.headline_place(h.key) for h in every] == [
            ("Harbour", i) for i in range(len(every))
        ]
        assert store.headline_count("Harbour") == (40, 38)
        assert store.headline_count("Pier") == (3, 3)
        assert store.headline_count("Nobody") == (0, 0)
        assert store.headline_page("Harbour", 40, 16) == []
        assert store.headline_place(10_000) is None


def test_the_statuses_count_what_the_pages_hold(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.mark_feed_read("Pier")
        statuses = store.feed_statuses()
        for name in ("Harbour", "Pier"):
            assert (statuses[name].total, statuses[name].unread) == store.headline_count(name)
