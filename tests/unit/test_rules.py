"""Rules of feeds.yaml applied as articles are stored, and hidden articles left out of
every list: real feeds.yaml files, real feeds read from disk, a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from newsreader.config import Config, load_config
from newsreader.query import parse
from newsreader.query.compile import compile_query
from newsreader.refresh import refresh_feeds
from newsreader.store import SCHEMA_VERSION, Store
from newsreader.store import headlines as headline_sql
from newsreader.store.rules import _IN_INDEX, compile_rules
from newsreader.ui.refresher import Refresher
from tests.support.old_store import old_store

RULES = """
rules:
  - match: 'title:sponsored'
    then: hide
  - name: Ferries
    match: title:ferry
    then: star
  - match: 'title:weather'
    then: [mark_read, star]
"""
FEEDS = """
feeds:
  - name: Harbour
    path: harbour.xml
    group: Town
  - name: Tides
    path: tides.xml
    group: Town
    rules:
      - match: 'title:"tide times"'
        then: mark_read
"""


def rss(title: str, items: list[tuple[str, str]], body: str = "news") -> str:
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{headline}</title>"
        f"<pubDate>Mon, {10 + n:02d} Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>{body} {guid}</description></item>"
        for n, (guid, headline) in enumerate(items)
    )
    channel = f"<channel><title>{title}</title>{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


def write(folder: Path, harbour: list[tuple[str, str]], tides: list[tuple[str, str]]) -> None:
    (folder / "harbour.xml").write_text(rss("Harbour", harbour), encoding="utf-8")
    (folder / "tides.xml").write_text(rss("Tides", tides), encoding="utf-8")


HARBOUR = [("h1", "Sponsored: a cruise"), ("h2", "Ferry timetable"), ("h3", "Weather warning")]
TIDES = [("t1", "Tide times for Monday"), ("t2", "Sponsored tide tables"), ("t3", "Ferry pier")]


def fetch(config: Config, store: Store) -> None:
    store.sync_feeds(config.feeds)
    rules = compile_rules(config.rules, config.feeds, now=time.time())
    outcomes = asyncio.run(refresh_feeds(config.feeds, store, rules=rules, workers=0))
    assert all(not o.failed for o in outcomes), [o.error for o in outcomes]


def flags(store: Store) -> dict[str, tuple[int, int, int, str | None]]:
    """Every stored article's (read, starred, hidden, rule) by title."""
    rows = store._db.execute("SELECT title, read, starred, hidden, rule FROM articles")
    return {title: (read, starred, hidden, rule) for title, read, starred, hidden, rule in rows}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    write(tmp_path, HARBOUR, TIDES)
    path = tmp_path / "feeds.yaml"
    path.write_text(RULES + FEEDS, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "news.db")


def test_each_action_acts_on_the_new_articles_and_records_its_rule(
    config: Config, store: Store
) -> None:
    fetch(config, store)
    assert flags(store) == {
        "Sponsored: a cruise": (0, 0, 1, "title:sponsored"),
        "Ferry timetable": (0, 1, 0, "Ferries"),
        "Weather warning": (1, 1, 0, "title:weather"),
        # The feed's own rule, and the top-level ones, each where it matches.
        "Tide times for Monday": (1, 0, 0, 'title:"tide times"'),
        "Sponsored tide tables": (0, 0, 1, "title:sponsored"),
        "Ferry pier": (0, 1, 0, "Ferries"),
    }
    [key] = [h.key for h in store.headlines(["Harbour"]) if h.title == "Ferry timetable"]
    assert store.rule_labels(key) == ["Ferries"]


def test_a_feeds_own_rule_acts_on_that_feed_only(tmp_path: Path, config: Config) -> None:
    write(tmp_path, [*HARBOUR, ("h4", "Tide times elsewhere")], TIDES)
    with Store.open(tmp_path / "news.db") as store:
        fetch(config, store)
        got = flags(store)
    assert got["Tide times elsewhere"] == (0, 0, 0, None)
    assert got["Tide times for Monday"][0] == 1


def test_every_rule_that_matches_acts_and_each_is_named(tmp_path: Path) -> None:
    write(tmp_path, [("h1", "Sponsored ferry")], [])
    path = tmp_path / "feeds.yaml"
    path.write_text(RULES + FEEDS, encoding="utf-8")
    with Store.open(tmp_path / "news.db") as store:
        fetch(load_config(path), store)
        assert flags(store)["Sponsored ferry"] == (0, 1, 1, "title:sponsored\nFerries")
        store.show_hidden = True
        [headline] = store.headlines(["Harbour"])
        assert store.rule_labels(headline.key) == ["title:sponsored", "Ferries"]


def test_rules_leave_updated_articles_alone_so_the_users_own_changes_stand(
    tmp_path: Path, config: Config, store: Store
) -> None:
    """Only what a save inserts gets the rules: an article that comes back changed is
    updated in place and keeps the read and star the user gave it."""
    fetch(config, store)
    keys = {h.title: h.key for h in store.headlines(["Harbour"])}
    store.set_starred(keys["Ferry timetable"], False)
    store.set_read([keys["Weather warning"]], False)
    changed = [(g, t + " (updated)") for g, t in HARBOUR] + [("h5", "Ferry fares")]
    write(tmp_path, changed, TIDES)
    fetch(config, store)
    got = flags(store)
    assert got["Ferry timetable (updated)"] == (0, 0, 0, "Ferries")
    assert got["Weather warning (updated)"] == (0, 1, 0, "title:weather")
    assert got["Ferry fares"] == (0, 1, 0, "Ferries")


def test_without_rules_nothing_is_flagged(tmp_path: Path, store: Store) -> None:
    write(tmp_path, HARBOUR, TIDES)
    path = tmp_path / "plain.yaml"
    path.write_text(
        FEEDS.replace(
            "    rules:\n      - match: 'title:\"tide times\"'\n        then: mark_read\n", ""
        )
    )
    fetch(load_config(path), store)
    assert set(flags(store).values()) == {(0, 0, 0, None)}


def test_the_readers_refresher_applies_the_rules(tmp_path: Path, config: Config) -> None:
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        store.sync_feeds(config.feeds)

    class Events:
        def __getattr__(self, name: str) -> object:
            return lambda *args: None

    refresher = Refresher(db, config.feeds, time.time, config.rules)
    refresher.run(list(config.feeds), Events(), due_only=False)  # type: ignore[arg-type]
    with Store.open(db) as store:
        assert flags(store)["Sponsored: a cruise"][2] == 1
        assert flags(store)["Tide times for Monday"][0] == 1


def test_the_index_ask_of_a_rule_is_kept_to_the_new_keys() -> None:
    """What keeps a rule cheap on a big store: the rule's ask of the search index is
    bounded to the new keys by rewriting the compiler's own text. Should the compiler
    ask another way, the rules stay right but turn slow: this says so."""
    compiled = compile_query(parse("title:ferry -strike OR storm"), groups=(), now=0)
    assert _IN_INDEX in compiled.where


# -- hidden articles ---------------------------------------------------------------------


def test_hidden_articles_are_out_of_every_list_unless_shown(config: Config, store: Store) -> None:
    fetch(config, store)
    assert [h.title for h in store.headlines()] == [
        "Weather warning",
        "Ferry timetable",
        "Ferry pier",
        "Tide times for Monday",
    ]
    assert store.headline_count("Harbour") == (2, 1)
    assert [h.title for h in store.headline_page("Harbour", 0, 10)] == [
        "Weather warning",
        "Ferry timetable",
    ]
    assert store.headline_flags("Harbour") == bytes([1, 0])
    statuses = store.feed_statuses()
    assert (statuses["Harbour"].total, statuses["Harbour"].unread) == (2, 1)
    assert [s.article.title for s in store.articles("Harbour")] == [
        "Weather warning",
        "Ferry timetable",
    ]
    compiled = compile_query(parse("sponsored OR ferry"), groups=config.groups, now=time.time())
    assert store.search(compiled) == 2
    store.show_hidden = True
    hidden = next(h for h in store.headlines() if h.title == "Sponsored: a cruise")
    assert store.headline_place(hidden.key) == ("Harbour", 2)
    assert store.headline_count("Harbour") == (3, 2)
    assert len(store.headline_page("Harbour", 0, 10)) == len(store.headline_flags("Harbour")) == 3
    assert store.feed_statuses()["Tides"].total == 3
    assert len(list(store.articles("Harbour"))) == 3
    assert store.search(compiled) == 4
    store.show_hidden = False
    assert store.headline_place(hidden.key) is None
    assert store.headline_count("Harbour") == (2, 1)


def test_the_headline_queries_still_read_only_the_covering_index(
    config: Config, store: Store
) -> None:
    fetch(config, store)
    db = store._db
    columns = [row[2] for row in db.execute("PRAGMA index_info(articles_by_order)")]
    assert columns[-1] == "hidden"
    for shown in (False, True):
        store.show_hidden = shown
        listed = store._listed
        for sql, params in (
            (headline_sql._HEADLINES_ALL, ()),
            (headline_sql._HEADLINES_OF, ('["Harbour"]',)),
            (headline_sql._COUNT, ("Harbour",)),
            (headline_sql._PAGE, ("Harbour", 10, 0)),
            (headline_sql._FLAGS, ("Harbour",)),
        ):
            plan = db.execute("EXPLAIN QUERY PLAN " + sql.format(listed=listed), params)
            steps = [row[3] for row in plan if "articles" in row[3] or " a " in f" {row[3]} "]
            assert any("COVERING INDEX articles_by_order" in s for s in steps), (sql, steps)
            assert not any(s.strip() == "SCAN a" for s in steps), steps


# -- schema 5 to 6 -----------------------------------------------------------------------


def test_a_schema_5_store_keeps_its_flags_and_index_and_gets_rules(
    tmp_path: Path, config: Config
) -> None:
    db = tmp_path / "v5.db"
    con = old_store(db, 5)
    con.execute("INSERT INTO feeds (id, name, position) VALUES (1, 'Harbour', 0)")
    con.executemany(
        "INSERT INTO articles (key, feed_id, article_id, title, sort_key, fetched_at,"
        " content_hash, read, starred) VALUES (?, 1, ?, ?, ?, '2026-01-01', 'h', ?, ?)",
        [(1, "old1", "Old ferry", 2.0, 1, 1), (2, "old2", "Old sponsored post", 1.0, 0, 0)],
    )
    con.executemany("INSERT INTO bodies (key, text) VALUES (?, 'kept')", [(1,), (2,)])
    con.close()
    with Store.open(db) as store:
        assert [(h.title, h.read, h.starred) for h in store.headlines()] == [
            ("Old ferry", True, True),
            ("Old sponsored post", False, False),
        ]
        # Rules act while the old articles still wait for the index (as fetch does it
        # when its build is interrupted), then the build takes them in.
        assert store.search_index_pending() == 2
        fetch(config, store)
        store.build_search_index()
        # The old articles are not new: no rule acted on them.
        assert flags(store)["Old sponsored post"] == (0, 0, 0, None)
        compiled = compile_query(parse("old"), groups=config.groups, now=time.time())
        assert store.search(compiled) == 2
        assert store.search_index_in_step()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
