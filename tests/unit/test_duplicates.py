"""One story in several feeds: read and starred together, found once, and still linked
after a refresh and after an upgrade from schema 6."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.config import parse_config
from newsreader.model import Article, Feed, FetchResult
from newsreader.query import parse
from newsreader.query.compile import compile_query
from newsreader.store import Store
from newsreader.ui.state.reader import ReaderState
from newsreader.ui.state.rows import HEADLINE
from newsreader.ui.state.search import reader_tree
from tests.support.old_store import old_store

CONFIG = """
feeds:
  - {name: Wire, path: wire.xml, group: News}
  - {name: Town, path: town.xml, group: News}
searches:
  - {name: Ferries, query: ferry}
"""
LINK = "https://news.example.org/ferry?id=4"


def _save(store: Store, name: str, *articles: Article) -> None:
    store.save_result(name, FetchResult(Feed(name, None, "/x", articles)))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    config = parse_config(CONFIG, tmp_path / "feeds.yaml")
    with Store.open(tmp_path / "news.db") as opened:
        opened.sync_feeds(config.feeds)
        _save(
            opened,
            "Wire",
            Article(id="w1", title="Ferry back on time", link=LINK + "&utm_source=wire"),
            Article(id="urn:uuid:0b1c", title="Council votes", link="https://wire.example/2"),
        )
        _save(
            opened,
            "Town",
            Article(id="t1", title="Ferry back on time!", link="http://www.news.example.org/ferry?id=4"),
            Article(id="urn:uuid:0b1c", title="Council votes (copy)", link="https://town.example/9"),
            Article(id="t3", title="Ferry fares rise", link="https://news.example.org/ferry?id=5"),
        )  # fmt: skip
        yield opened


def _flags(store: Store) -> dict[str, tuple[bool, bool]]:
    return {h.title: (h.read, h.starred) for h in store.headlines()}


def test_reading_or_starring_one_copy_marks_every_copy(store: Store) -> None:
    wire = {h.title: h.key for h in store.headlines(["Wire"])}
    store.set_read([wire["Ferry back on time"]])
    store.set_starred(wire["Council votes"], True)  # same global id in both feeds
    flags = _flags(store)
    assert flags["Ferry back on time!"] == (True, False)
    assert flags["Council votes (copy)"] == (False, True)
    assert flags["Ferry fares rise"] == (False, False)  # another story, the same site


def test_marking_a_feed_read_marks_its_stories_elsewhere(store: Store) -> None:
    assert store.mark_feed_read("Wire") == 2
    flags = _flags(store)
    assert flags["Ferry back on time!"][0] and flags["Council votes (copy)"][0]
    assert not flags["Ferry fares rise"][0]


def test_a_search_and_a_query_feed_show_each_story_once(store: Store) -> None:
    compiled = compile_query(parse("ferry OR council"), groups=["News"], now=time.time())
    assert store.search(compiled) == 3  # of five articles: two stories have two copies
    assert store.list_matches(1, compiled) == 3


def test_a_refresh_keeps_the_copies_together(store: Store) -> None:
    _save(store, "Town", Article(id="t1", title="Ferry back on time, updated", link=LINK))
    wire = {h.title: h.key for h in store.headlines(["Wire"])}
    store.set_read([wire["Ferry back on time"]])
    assert _flags(store)["Ferry back on time, updated"][0]


def test_an_upgraded_store_finds_the_copies_it_already_held(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    con = old_store(path, 6)
    con.execute("INSERT INTO feeds (id, name, position) VALUES (1, 'Wire', 0), (2, 'Town', 1)")
    for key, feed, link in ((1, 1, LINK), (2, 2, LINK + "&fbclid=x"), (3, 1, LINK + "0")):
        con.execute(
            "INSERT INTO articles (key, feed_id, article_id, title, link, fetched_at,"
            " content_hash) VALUES (?, ?, ?, 'T', ?, '2026-01-01', 'h')",
            (key, feed, f"a{key}", link),
        )
    con.close()
    with Store.open(path) as store:
        assert store.story_copies(1) == [2]
        assert store.story_copies(3) == []


def test_reading_in_the_reader_marks_the_copies_on_screen(store: Store, tmp_path: Path) -> None:
    config = parse_config(CONFIG, tmp_path / "feeds.yaml")
    state = ReaderState(reader_tree(config, store, store.feed_statuses(), time.time()))
    tree = state.tree
    assert tree.feed_unread("Ferries") == 2  # the two ferry stories, each once
    row = next(
        i
        for i, r in enumerate(tree.rows)
        if r.kind == HEADLINE
        and r.feed == "Wire"
        and tree.title_of(tree.headline(r)).startswith("Ferry")  # type: ignore[arg-type]
    )
    state.select(row)
    state.open()
    assert tree.feed_unread("Town") == 2  # its copy is read too
    assert tree.feed_unread("Ferries") == 1
    town = [h for h in tree.by_feed["Town"] if h.title == "Ferry back on time!"]
    assert [h.read for h in town] == [True]
