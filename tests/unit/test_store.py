"""The SQLite store, on real database files."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from newsreader.errors import StoreError
from newsreader.model import Article, Feed, FeedConfig, FetchResult, FetchState, Headline
from newsreader.store import SCHEMA_VERSION, Store


def art(n: int, day: int | None = None, **fields: object) -> Article:
    published = f"2026-03-{day:02d}T09:00:00+08:00" if day else None
    values: dict[str, object] = {
        "id": f"id-{n}",
        "title": f"Story {n}",
        "link": f"http://news.example.org/{n}",
        "published": published,
        "text": f"Body of story {n}.",
        "breadcrumb": ("Home", "Local"),
        "related": ("Other headline",),
        "markdown": f"**Body** of story {n}.",
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def result(*articles: Article, etag: str | None = None, title: str = "Feed") -> FetchResult:
    feed = Feed(title=title, link="http://news.example.org/", source="src", articles=articles)
    return FetchResult(feed=feed, state=FetchState(etag=etag))


def feeds(*names: str) -> list[FeedConfig]:
    return [FeedConfig(name=n, source="local", target=f"/data/{n}.xml") for n in names]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    st = Store.open(tmp_path / "news.db")
    st.sync_feeds(feeds("A", "B"))
    return st


def test_a_new_database_is_created_in_wal_mode_with_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "news.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_articles_round_trip_with_every_field(store: Store) -> None:
    original = art(1, 5, author="Li Wei", source="Harbour Daily", summary="Short.", updated=None)
    store.save_result("A", result(original))
    [headline] = store.headlines(["A"])
    stored = store.article(headline.key)
    assert stored.article == original
    assert stored.article.markdown == original.markdown
    assert (stored.feed, stored.read, stored.starred) == ("A", False, False)


def test_save_counts_new_updated_and_total(store: Store) -> None:
    assert store.save_result("A", result(art(1, 1), art(2, 2))) == (2, 0, 2)
    changed = art(2, 2, title="Story 2, corrected")
    assert store.save_result("A", result(art(3, 3), art(1, 1), changed)) == (1, 1, 3)
    assert store.save_result("A", result(art(3, 3), art(1, 1), changed)) == (0, 0, 3)


def test_read_and_starred_survive_refreshes_and_updates(store: Store) -> None:
    store.save_result("A", result(art(1, 1), art(2, 2)))
    keys = {h.title: h.key for h in store.headlines()}
    store.set_read([keys["Story 1"]])
    store.set_starred(keys["Story 2"], True)
    store.save_result("A", result(art(1, 1, text="Rewritten body."), art(2, 2)))
    after = {h.title: h for h in store.headlines()}
    assert after["Story 1"].key == keys["Story 1"]  # updated in place
    assert after["Story 1"].read and not after["Story 1"].starred
    assert after["Story 2"].starred and not after["Story 2"].read
    assert store.article(keys["Story 1"]).article.text == "Rewritten body."


def test_headlines_follow_config_order_newest_first_undated_last(store: Store) -> None:
    store.save_result("B", result(art(10, 1), art(11, 9)))
    store.save_result("A", result(art(1, None), art(2, 3), art(3, None), art(4, 7)))
    got = store.headlines()
    assert all(isinstance(h, Headline) for h in got)
    assert [(h.feed, h.title) for h in got] == [
        ("A", "Story 4"),
        ("A", "Story 2"),
        ("A", "Story 1"),
        ("A", "Story 3"),
        ("B", "Story 11"),
        ("B", "Story 10"),
    ]
    assert [h.title for h in store.headlines(["B", "A"])][:2] == ["Story 11", "Story 10"]
    assert got[0].published == "2026-03-07T09:00:00+08:00"
    assert got[0].read is False and got[0].starred is False


def test_dates_with_different_offsets_sort_by_instant(store: Store) -> None:
    early = art(1, published="2026-03-01T09:00:00+08:00")  # 01:00 UTC
    late = art(2, published="2026-03-01T03:00:00+00:00")  # 03:00 UTC
    store.save_result("A", result(early, late))
    assert [h.title for h in store.headlines()] == ["Story 2", "Story 1"]


def test_not_modified_keeps_articles_and_clears_the_error(store: Store) -> None:
    store.save_result("A", result(art(1, 1), etag='"v1"'))
    store.save_error("A", "http://x.example.org/feed: HTTP 500 Internal Server Error")
    status = store.feed_statuses()["A"]
    assert status.last_error == "http://x.example.org/feed: HTTP 500 Internal Server Error"
    assert status.total == 1
    stats = store.save_result("A", FetchResult(feed=None, state=FetchState(etag='"v1"')))
    assert stats == (0, 0, 1)
    status = store.feed_statuses()["A"]
    assert status.last_error is None and status.last_success is not None
    assert store.fetch_state("A") == FetchState(etag='"v1"')


def test_an_error_keeps_the_articles_and_the_fetch_state(store: Store) -> None:
    store.save_result("A", result(art(1, 1), etag='"v7"'))
    store.save_error("A", "gone")
    assert len(store.headlines(["A"])) == 1
    assert store.fetch_state("A").etag == '"v7"'


def test_feed_statuses_count_unread_in_config_order(store: Store) -> None:
    store.save_result("A", result(art(1, 1), art(2, 2), title="Feed A"))
    store.set_read([store.headlines(["A"])[0].key])
    statuses = store.feed_statuses()
    assert list(statuses) == ["A", "B"]
    assert (statuses["A"].title, statuses["A"].unread, statuses["A"].total) == ("Feed A", 1, 2)
    assert (statuses["B"].title, statuses["B"].unread, statuses["B"].total) == (None, 0, 0)


def test_mark_feed_read_counts_what_changed(store: Store) -> None:
    store.save_result("A", result(art(1, 1), art(2, 2), art(3, 3)))
    store.set_read([store.headlines(["A"])[0].key])
    assert store.mark_feed_read("A") == 2
    assert store.mark_feed_read("A") == 0
    store.set_read([h.key for h in store.headlines(["A"])], read=False)
    assert store.feed_statuses()["A"].unread == 3


def test_max_articles_trims_gone_articles_read_first_never_starred(store: Store) -> None:
    store.save_result("A", result(*(art(n, n) for n in range(1, 7))))
    keys = {h.title: h.key for h in store.headlines()}
    store.set_starred(keys["Story 1"], True)
    store.set_read([keys["Story 3"]])
    # The feed now lists only 5 and 6; the cap of 3 leaves room for one gone article.
    stats = store.save_result("A", result(art(5, 5), art(6, 6)), max_articles=3)
    assert stats.total == 3
    assert sorted(h.title for h in store.headlines()) == ["Story 1", "Story 5", "Story 6"]
    # Unread go oldest first once no read ones remain.
    store.save_result("A", result(art(5, 5), art(6, 6), art(7, 7), art(8, 8)), max_articles=2)
    titles = sorted(h.title for h in store.headlines())
    assert titles == ["Story 1", "Story 5", "Story 6", "Story 7", "Story 8"]


def test_the_current_document_is_never_trimmed(store: Store) -> None:
    """Trimming listed articles would bring them back as new on every fetch."""
    store.save_result("A", result(*(art(n, n) for n in range(1, 6))), max_articles=2)
    stats = store.save_result("A", result(*(art(n, n) for n in range(1, 6))), max_articles=2)
    assert stats == (0, 0, 5)


def test_a_trimmed_article_raises_keyerror(store: Store) -> None:
    store.save_result("A", result(art(1, 1)))
    key = store.headlines()[0].key
    store.save_result("A", result(art(2, 2)), max_articles=1)
    with pytest.raises(KeyError):
        store.article(key)


def test_sync_drops_unconfigured_feeds_and_resets_a_changed_target(store: Store) -> None:
    store.save_result("A", result(art(1, 1), etag='"a"'))
    store.save_result("B", result(art(2, 2), etag='"b"'))
    moved = FeedConfig(name="B", source="http", target="http://news.example.org/b.xml")
    store.sync_feeds([moved])
    assert [h.feed for h in store.headlines()] == ["B"]
    assert store.fetch_state("B") == FetchState()
    assert list(store.feed_statuses()) == ["B"]
    store.sync_feeds(feeds("A"))  # configured again: its articles come back
    assert [h.feed for h in store.headlines()] == ["A"]
    assert store.fetch_state("A").etag == '"a"'


def test_sync_writes_only_the_rows_that_change(store: Store) -> None:
    before = store._db.total_changes
    store.sync_feeds(feeds("A", "B"))
    assert store._db.total_changes == before  # the same feeds.yaml again: nothing to write
    store.sync_feeds(feeds("B", "A"))
    assert store._db.total_changes == before + 2
    assert list(store.feed_statuses()) == ["B", "A"]
    store.sync_feeds(feeds("A"))
    assert list(store.feed_statuses()) == ["A"]


def test_settings_round_trip(store: Store) -> None:
    assert store.get_setting("theme") is None
    store.set_setting("theme", "harbour")
    store.set_setting("theme", "night")
    assert store.get_setting("theme") == "night"
    store.set_setting("theme", None)
    assert store.get_setting("theme") is None


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Store.open(path) as st:
        st.sync_feeds(feeds("A"))
        st.save_result("A", result(art(1, 1)))
        st.set_starred(st.headlines()[0].key, True)
    with Store.open(path) as st:
        assert [(h.title, h.starred) for h in st.headlines()] == [("Story 1", True)]


def test_a_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    garbage = b"this is not a database at all\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert path.read_bytes() == garbage
    assert not (tmp_path / "news.db-wal").exists()


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a newsreader database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer newsreader"):
        Store.open(path)


def test_a_folder_as_database_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a regular file"):
        Store.open(tmp_path)


def test_a_read_only_database_gives_one_line(store: Store) -> None:
    store._db.execute("PRAGMA query_only = ON")  # what a read-only file looks like to SQLite
    with pytest.raises(StoreError) as caught:
        store.set_setting("theme", "night")
    assert str(caught.value) == f"{store.path}: cannot write: the database is read-only"


def test_a_full_disk_gives_one_line_and_keeps_what_was_stored(store: Store) -> None:
    store.save_result("A", result(art(1, 1)))
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow, as on a full disk
    big = [art(n, 1, text="x" * 50_000) for n in range(2, 40)]
    with pytest.raises(StoreError) as caught:
        store.save_result("A", result(*big))
    assert str(caught.value) == f"{store.path}: cannot write: the disk is full"
    assert [h.title for h in store.headlines()] == ["Story 1"]


def test_a_reader_and_a_writer_work_side_by_side(tmp_path: Path) -> None:
    """Two connections (as the reader and ``fetch`` in two processes) never see "locked"."""
    path = tmp_path / "news.db"
    with Store.open(path) as st:
        st.sync_feeds(feeds("A"))
        st.save_result("A", result(art(0, 1)))
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            with Store.open(path) as st:
                for round_ in range(30):
                    articles = [art(n, 1 + n % 28) for n in range(round_ * 10, round_ * 10 + 40)]
                    st.save_result("A", result(*articles))
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    with Store.open(path) as reader:
        while thread.is_alive():
            heads = reader.headlines()
            reader.set_read([h.key for h in heads[:5]])
            reader.get_setting("x")
    thread.join()
    assert failures == []


def test_only_new_or_changed_feed_bodies_are_converted(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh converts the HTML of what it writes, nothing it already holds."""
    from newsreader.formats.feed import items as feedmod
    from newsreader.formats.feed import parse_xml_feed

    converted: list[str] = []
    real = feedmod.html_to_text

    def counting(html: str, base: str | None = None) -> str:
        converted.append(html)
        return real(html, base)

    monkeypatch.setattr(feedmod, "html_to_text", counting)

    def parsed(*bodies: str) -> FetchResult:
        items = "".join(
            f"<item><guid>{n}</guid><title>T{n}</title><description>{body}</description></item>"
            for n, body in enumerate(bodies)
        )
        data = f"<rss><channel><title>F</title>{items}</channel></rss>".encode()
        feed = parse_xml_feed(data, source="f.xml", url=None, content_type=None)
        return FetchResult(feed=feed)

    first = parsed("&lt;p&gt;one&lt;/p&gt;", "&lt;p&gt;two&lt;/p&gt;")
    assert converted == []  # parsing alone converts nothing
    store.save_result("A", first)
    assert sorted(converted) == ["<p>one</p>", "<p>two</p>"]
    converted.clear()
    store.save_result("A", parsed("&lt;p&gt;one&lt;/p&gt;", "&lt;p&gt;two&lt;/p&gt;"))
    assert converted == []
    stats = store.save_result("A", parsed("&lt;p&gt;one&lt;/p&gt;", "&lt;p&gt;2&lt;/p&gt;"))
    assert converted == ["<p>2</p>"]
    assert (stats.new, stats.updated) == (0, 1)
    texts = [store.article(h.key).article.text for h in store.headlines()]
    assert sorted(texts) == ["2", "one"]


def test_undated_articles_follow_the_document_order_through_refreshes(store: Store) -> None:
    def titles() -> list[str]:
        return [h.title for h in store.headlines(["A"])]

    store.save_result("A", result(art(1), art(2), art(3)))
    assert titles() == ["Story 1", "Story 2", "Story 3"]
    store.save_result("A", result(art(5), art(4), art(1), art(2), art(3)))  # new at the top
    assert titles() == ["Story 5", "Story 4", "Story 1", "Story 2", "Story 3"]
    store.save_result("A", result(art(6), art(5), art(4), art(1), art(2)))  # one dropped
    assert titles() == ["Story 6", "Story 5", "Story 4", "Story 1", "Story 2", "Story 3"]
    store.save_result("A", result(art(2), art(6), art(1)))  # reordered
    assert titles()[:3] == ["Story 2", "Story 6", "Story 1"]


def test_a_date_of_only_a_year_or_month_still_sorts_by_date(store: Store) -> None:
    dated = art(1, 5)  # March 2026
    month = art(2, published="2026-04")
    year = art(3, published="2025")
    store.save_result("A", result(year, dated, month, art(4)))
    assert [h.title for h in store.headlines(["A"])] == [
        "Story 2", "Story 1", "Story 3", "Story 4"
    ]  # fmt: skip
