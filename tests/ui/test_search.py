"""``/`` in the reader: a search of every stored article, live as the user types, its
results in the sidebar in place of the feeds, and Escape back to where the user was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsreader.store import Store
from tests.ui.test_reader import FERRY, SIZE, ready, screen_text, title_at_cursor

pytestmark = pytest.mark.anyio


def _shown_titles(screen: Any) -> list[str]:
    tree = screen.model
    return [tree.title_of(h) for row in tree.rows if (h := tree.headline(row)) is not None]


async def test_words_in_the_text_find_articles_in_every_feed_grouped_as_usual(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"stalls OR traders")  # body words, not title words
        text = screen_text(app)
        assert _shown_titles(screen) == [
            "[bold]Market[/] stalls return to the quay [/]",
            "Riverside market doubles its opening hours",
        ]
        assert "“stalls OR traders”: 2 matches" in text
        feeds = [row.feed for row in screen.model.rows if row.kind == 1]
        assert feeds == ["Harbour Town Gazette", "Valley Pages"]
        assert "Tinkerers" not in text.split("│")[0]


async def test_results_show_while_the_last_word_is_still_being_typed(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"lightho")
        assert _shown_titles(screen) == ["Lighthouse keeper retires after thirty-one winters"]
        await pilot.press(*"use -keeper")
        assert _shown_titles(screen) == []
        assert "Nothing matches “lighthouse -keeper”." in screen_text(app)


async def test_chinese_words_of_one_two_and_more_characters(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for query, found in (
            ("湖", 2),  # the feed's name, 湖畔日报, counts for both articles
            ("title:湖", 1),  # inside 湖边步道
            ("步道", 1),
            ("图书馆延长", 1),
            ("延书", 0),
        ):
            await pilot.press("slash")
            screen.query_one("#search").value = query
            await pilot.pause()
            assert len(_shown_titles(screen)) == found, query
            await pilot.press("escape")


async def test_an_unfinished_query_keeps_the_results_and_says_what_is_missing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"ferry")
        assert _shown_titles(screen) == [FERRY]
        await pilot.press("space", '"', "b")
        assert _shown_titles(screen) == [FERRY]
        assert "expected '\"' to close the phrase" in screen_text(app)


async def test_escape_returns_to_the_headline_the_user_was_on(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j")
        before = title_at_cursor(screen)
        await pilot.press("slash", *"choir", "enter")
        assert screen.sidebar.has_focus and screen.state.searching
        assert title_at_cursor(screen) == "School choir wins the county prize"
        await pilot.press("escape")
        assert not screen.state.searching
        assert title_at_cursor(screen) == before
        assert "Ferry timetable" in screen_text(app)


async def test_reading_a_result_marks_it_read_in_the_feeds_too(make_app, reader_db: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"choir", "enter", "enter")
        screen.writer.flush(5)
        await pilot.press("escape")
        feeds = screen.model
        [choir] = [
            h
            for row in feeds.rows
            if (h := feeds.headline(row)) is not None and h.title.startswith("School choir")
        ]
        assert choir.read
    with Store.open(reader_db) as store:
        assert next(h for h in store.headlines() if h.title.startswith("School choir")).read


async def test_A_in_the_results_marks_only_the_matches_read(make_app, reader_db: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"storm OR lighthouse", "enter", "A")
        screen.writer.flush(5)
    with Store.open(reader_db) as store:
        harbour = {h.title: h.read for h in store.headlines(["Harbour Town Gazette"])}
    assert harbour["Storm closes the north pier for two days"]
    assert harbour["Lighthouse keeper retires after thirty-one winters"]
    assert not harbour[FERRY]


DATA = Path(__file__).parent.parent / "data" / "ui"
QUERY_FEEDS = (DATA / "feeds.yaml").read_text(encoding="utf-8") + (
    "searches:\n  - {name: Quayside, query: 'quay OR pier'}\n"
    "  - {name: 湖边, query: 湖边, group: World}\n"
)


def _feed_rows(screen: Any) -> list[tuple[str, str, int]]:
    tree = screen.model
    return [(r.group, r.feed, tree.feed_unread(r.feed)) for r in tree.rows if r.kind == 1]


async def test_query_feeds_are_listed_with_their_unread_matches(make_app):
    app = make_app(config_text=QUERY_FEEDS)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        rows = _feed_rows(screen)
        # Market stalls (quay) and Storm (pier), which the fixture has read.
        assert ("Searches", "Quayside", 1) in rows
        assert len(screen.model.by_feed["Quayside"]) == 2
        assert ("World", "湖边", 1) in rows  # joins a group of feeds, after them
        assert [r[1] for r in rows if r[0] == "World"] == ["湖畔日报", "湖边"]


async def test_reading_in_a_query_feed_marks_the_article_read_in_its_feed(make_app, reader_db):
    app = make_app(config_text=QUERY_FEEDS)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.model.find_row(1, "Quayside")
        screen.select(row + 1)
        assert title_at_cursor(screen) == "[bold]Market[/] stalls return to the quay [/]"
        await pilot.press("enter")
        rows = _feed_rows(screen)
        assert ("Searches", "Quayside", 0) in rows
        assert ("Local", "Harbour Town Gazette", 2) in rows  # one fewer unread there too
        await pilot.press("m", "A")  # unread again, then every match read, nothing else
        screen.writer.flush(5)
    with Store.open(reader_db) as store:
        read = {h.title: h.read for h in store.headlines(["Harbour Town Gazette"])}
    assert read["Storm closes the north pier for two days"]
    assert read["[bold]Market[/] stalls return to the quay [/]"]
    assert not read[FERRY]


async def test_the_words_found_are_marked_in_the_article_until_the_search_ends(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"quay", "enter")
        await pilot.pause()
        view = screen.article
        assert view.highlighter is not None
        assert view.highlighter.spans("Back on the Quay.") == [(12, 16)]
        await pilot.press("escape")
        assert view.highlighter is None


async def test_A_on_a_feed_updates_the_query_feeds_that_list_its_articles(make_app):
    app = make_app(config_text=QUERY_FEEDS)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert ("Searches", "Quayside", 1) in _feed_rows(screen)
        screen.select(screen.model.find_row(1, "Harbour Town Gazette"))
        await pilot.press("A")
        assert ("Searches", "Quayside", 0) in _feed_rows(screen)
