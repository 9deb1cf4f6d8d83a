"""Pilot tests of the reader: every key of SPEC's table, asserting on state, on the
store and on what the screen shows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from newsreader.store import Store
from newsreader.ui.state.change import Shown
from newsreader.ui.state.rows import FEED, GROUP
from tests.support.notices import messages

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def screen_text(app: Any) -> str:
    """The plain text of everything on screen, as a user would read it."""
    console = Console(width=app.size.width, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def notices(app: Any) -> list[str]:
    """Notifications raised so far (run_test does not draw toasts)."""
    return messages(app)


def article_focused(screen: Any) -> bool:
    """Whether the focus is in the article pane (the pane or a widget inside it)."""
    focused, article = screen.focused, screen.article
    return (
        article is not None
        and focused is not None
        and (focused is article or article in focused.ancestors)
    )


async def ready(pilot: Any) -> Any:
    """Wait until the article pane is mounted and showing the first selection."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        if app.screen_stack[0].article is not None and app.screen_stack[0].state.shown is not None:
            break
    await pilot.pause()
    return app.screen_stack[0]


def title_at_cursor(screen: Any) -> str | None:
    row = screen.model.rows[screen.sidebar.cursor]
    headline = screen.model.headline(row)
    return headline.title if headline else None


def stored(db: Path, title: str) -> Any:
    with Store.open(db) as store:
        return next(h for h in store.headlines() if h.title == title)


FERRY = "Ferry timetable changes for the spring season"
LIGHTHOUSE = "Lighthouse keeper retires after thirty-one winters"
MARKET = "[bold]Market[/] stalls return to the quay [/]"
STORM = "Storm closes the north pier for two days"
RIVERSIDE = "Riverside market doubles its opening hours"
CLOCK = "A clock that runs on rain water"
SYNTH = "Repairing a 1970s synthesiser keyboard, one contact at a time"
MOONS = "Three new moons counted around a distant giant"


async def test_start_shows_stored_headlines_with_counts_marks_and_the_first_article(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        text = screen_text(app)
        assert title_at_cursor(screen) == FERRY
        assert "▾ Local" in text and "▾ Tech" in text and "▾ World" in text
        assert "! Orbit Weekly" in text
        assert "●★ Lighthouse keeper" in text
        assert "[bold]Market[/] stalls" in text
        assert "湖边步道" in text
        assert "The harbour ferry will run every forty minutes" in text
        assert [c.text for c in screen.breadcrumb.crumbs] == [
            "Local",
            "Harbour Town Gazette",
            FERRY,
        ]
        # unread counts: group Local has 3 + 2 unread, the gazette 3
        local = next(line for line in text.splitlines() if "▾ Local" in line)
        gazette = next(
            line for line in text.splitlines() if "Harbour Town Gazette " in line and "▾" in line
        )
        assert local.split("▕")[0].split()[-1] == "5"
        assert gazette.split("▕")[0].split()[-1] == "3"
        # the first article is shown but not yet read: starting is not reading
        assert not screen.model.headline(screen.model.rows[screen.sidebar.cursor]).read


async def test_j_and_k_step_through_headlines_skipping_feed_rows_and_the_pane_follows(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for _ in range(3):
            await pilot.press("j")
        assert title_at_cursor(screen) == STORM
        await pilot.press("j")  # over the "Valley Pages" feed row
        assert title_at_cursor(screen) == RIVERSIDE
        assert [c.text for c in screen.breadcrumb.crumbs] == [
            "Local", "Valley Pages", "Home", "Town", "Markets", RIVERSIDE,
        ]  # fmt: skip
        assert "The riverside market will open on Tuesday" in screen_text(app)
        await pilot.press("k")
        assert title_at_cursor(screen) == STORM
        assert "Waves of four metres" in screen_text(app)


async def test_j_and_k_work_from_the_article_pane(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("enter")
        assert article_focused(screen)
        await pilot.press("j")
        assert title_at_cursor(screen) == LIGHTHOUSE
        assert article_focused(screen)
        await pilot.press("k")
        assert title_at_cursor(screen) == FERRY


async def test_down_and_up_move_over_every_sidebar_row(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("up")
        assert screen.model.rows[screen.sidebar.cursor].kind == FEED
        assert "3 articles" in screen_text(app) or "4 articles" in screen_text(app)
        await pilot.press("up")
        assert screen.model.rows[screen.sidebar.cursor].kind == GROUP
        await pilot.press("down", "down")
        assert title_at_cursor(screen) == FERRY


async def test_down_in_the_article_pane_scrolls_the_article_not_the_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "j", "j", "j", "j", "j")  # to the long synthesiser article
        assert title_at_cursor(screen) == SYNTH
        await pilot.press("enter")
        cursor = screen.sidebar.cursor
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert screen.sidebar.cursor == cursor
        assert screen.article.scroll_offset.y > 0


async def test_enter_opens_marks_read_in_the_store_and_focuses_the_article(make_app, reader_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("enter")
        assert article_focused(screen)
        assert screen.model.headline(screen.model.rows[screen.sidebar.cursor]).read
        assert "●  Ferry" not in screen_text(app)
    assert stored(reader_db, FERRY).read


async def test_an_article_shown_for_a_moment_counts_as_read(make_app, reader_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("j")
        await pilot.pause(0.2)
        assert not stored(reader_db, LIGHTHOUSE).read  # skimming past is not reading
        await pilot.press("j")
        await pilot.pause(1.3)
    assert not stored(reader_db, LIGHTHOUSE).read
    assert stored(reader_db, MARKET).read


async def test_enter_and_space_on_a_feed_row_fold_it_and_h_l_fold_and_unfold(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("up")  # the gazette's feed row
        await pilot.press("enter")
        assert "▸ Harbour Town Gazette" in screen_text(app)
        assert FERRY[:20] not in screen_text(app)
        await pilot.press("space")
        assert "▾ Harbour Town Gazette" in screen_text(app)
        assert FERRY[:20] in screen_text(app)
        await pilot.press("h")
        assert "▸ Harbour Town Gazette" in screen_text(app)
        await pilot.press("l")
        assert "▾ Harbour Town Gazette" in screen_text(app)
        await pilot.press("up", "left")  # fold the whole group
        text = screen_text(app)
        assert "▸ Local" in text and "Valley Pages" not in text
        await pilot.press("right")
        assert "Valley Pages" in screen_text(app)


async def test_h_on_a_headline_folds_its_feed_and_moves_to_the_feed_row(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("h")
        row = screen.model.rows[screen.sidebar.cursor]
        assert (row.kind, row.feed) == (FEED, "Harbour Town Gazette")
        assert "▸ Harbour Town Gazette" in screen_text(app)


async def test_tab_and_shift_tab_move_focus_and_escape_returns_to_the_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.sidebar.has_focus
        await pilot.press("tab")
        assert article_focused(screen)
        await pilot.press("shift+tab")
        assert screen.sidebar.has_focus
        await pilot.press("tab", "escape")
        assert screen.sidebar.has_focus


async def test_space_pagedown_b_pageup_scroll_the_article(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press(*"jjjjjjj")
        assert title_at_cursor(screen) == SYNTH
        await pilot.press("space")
        await pilot.pause()
        first = screen.article.scroll_offset.y
        assert first > 10
        await pilot.press("pagedown")
        await pilot.pause()
        assert screen.article.scroll_offset.y > first
        await pilot.press("b")
        await pilot.pause()
        assert screen.article.scroll_offset.y == first
        await pilot.press("pageup")
        await pilot.pause()
        assert screen.article.scroll_offset.y == 0
        assert title_at_cursor(screen) == SYNTH


async def test_n_and_p_go_to_unread_articles_across_feeds(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("m")  # ferry read
        await pilot.press("n")
        assert title_at_cursor(screen) == LIGHTHOUSE
        await pilot.press("n", "n")  # market, then over the read storm into Valley Pages
        assert title_at_cursor(screen) == RIVERSIDE
        await pilot.press("p")
        assert title_at_cursor(screen) == MARKET
        await pilot.press("p", "p")  # past the read ferry, wrapping to the last unread
        assert title_at_cursor(screen) == "图书馆延长开放时间至晚上九点"


async def test_n_unfolds_a_folded_feed_to_reach_the_next_unread(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("J", "J", "h")  # fold Tinkerers' Log
        assert "▸ Tinkerers' Log" in screen_text(app)
        await pilot.press("K", "A")  # Valley Pages all read
        await pilot.press("n")
        assert title_at_cursor(screen) == CLOCK
        assert "▾ Tinkerers' Log" in screen_text(app)


async def test_n_says_so_when_everything_is_read(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for group in list(screen.model.group_feeds):
            row = screen.model.find_row(GROUP, group)
            screen.select(row)
            await pilot.press("A")
        await pilot.press("n")
        await pilot.pause()
        assert "No unread articles." in notices(app)


async def test_capital_j_and_k_move_between_feeds(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("J")
        row = screen.model.rows[screen.sidebar.cursor]
        assert (row.kind, row.feed) == (FEED, "Valley Pages")
        await pilot.press("J", "J")
        assert screen.model.rows[screen.sidebar.cursor].feed == "Orbit Weekly"
        await pilot.press("K")
        assert screen.model.rows[screen.sidebar.cursor].feed == "Tinkerers' Log"


async def test_g_and_shift_g_go_to_the_first_and_last_headline(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("G")
        assert title_at_cursor(screen) == "图书馆延长开放时间至晚上九点"
        await pilot.press("g")
        assert title_at_cursor(screen) == FERRY


async def test_m_toggles_read_and_s_toggles_the_star_both_stored(make_app, reader_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("m")
        assert stored(reader_db, FERRY).read
        assert "   Ferry timetable" in screen_text(app)
        await pilot.press("m")
        assert not stored(reader_db, FERRY).read
        await pilot.press("s")
        assert stored(reader_db, FERRY).starred
        assert "●★ Ferry timetable" in screen_text(app)
        await pilot.press("j", "s")
        assert not stored(reader_db, LIGHTHOUSE).starred
        assert screen.model.by_feed["Harbour Town Gazette"][1].starred is False


async def test_capital_a_marks_the_whole_feed_read(make_app, reader_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert screen.model.unread["Harbour Town Gazette"] == 0
        text = screen_text(app)
        gazette = next(line for line in text.splitlines() if "▾ Harbour Town Gazette" in line)
        assert gazette.split("▕")[0].strip().endswith("Gazette")  # no count left
        assert "Harbour Town Gazette: 3 marked read." in notices(app)
    with Store.open(reader_db) as store:
        assert store.feed_statuses()["Harbour Town Gazette"].unread == 0
        assert store.feed_statuses()["Valley Pages"].unread == 2


async def test_u_shows_only_unread_and_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert STORM[:20] in screen_text(app)
        await pilot.press("u")
        text = screen_text(app)
        assert STORM[:20] not in text and FERRY[:20] in text
        assert "unread only" in text
        await pilot.press("u")
        assert STORM[:20] in screen_text(app)


async def test_u_when_all_is_read_says_so_in_the_sidebar(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for group in list(screen.model.group_feeds):
            screen.select(screen.model.find_row(GROUP, group))
            await pilot.press("A")
        await pilot.press("u")
        text = screen_text(app)
        assert "All read. Press u to show every headline." in text
        assert "Press u to show every headline, or R to look for new articles." in text


async def test_slash_searches_live_and_escape_brings_the_feeds_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.press(*"market")
        text = screen_text(app)
        assert "Riverside market" in text and "[bold]Market[/]" in text
        assert "Ferry timetable" not in text and "Tinkerers" not in text
        await pilot.press("enter")
        assert screen.sidebar.has_focus
        assert title_at_cursor(screen) in (MARKET, RIVERSIDE)
        await pilot.press("slash", "z", "z", "q")
        text = screen_text(app)
        assert "Nothing matches “marketzzq”." in text
        assert "Escape brings the feeds back; / changes the search." in text  # what to do
        await pilot.press("escape")
        text = screen_text(app)
        assert "Ferry timetable" in text and "Nothing matches" not in text
        assert screen.sidebar.has_focus


async def test_keys_typed_into_the_filter_are_text_not_commands(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", "q", "j", "u")
        assert app.is_running
        assert screen.query_one("#search").value == "qju" and screen.state.searching
        assert not screen.model.unread_only


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(make_app, monkeypatch):
    """A fast typist or a paste: ``/sol`` arrives before the filter could be focused by
    a later message, and ``s`` must not star, ``o`` must not open the browser."""
    from textual import events

    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        starred_before = [h.starred for hs in screen.model.by_feed.values() for h in hs]
        for key, char in (("slash", "/"), ("s", "s"), ("o", "o"), ("l", "l")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#search").value == "sol"
        feeds = screen.state.feeds_tree
        assert [h.starred for hs in feeds.by_feed.values() for h in hs] == starred_before
        assert opened == []
        await pilot.press("slash")  # a slash typed into the search is text
        assert screen.query_one("#search").value == "sol/"


async def test_keys_typed_in_one_burst_after_ctrl_p_go_to_the_palette(make_app, monkeypatch):
    from textual import events
    from textual.command import CommandPalette

    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        starred_before = [h.starred for hs in screen.model.by_feed.values() for h in hs]
        for key, char in (("ctrl+p", None), ("s", "s"), ("o", "o")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert getattr(app.screen.focused, "value", None) == "so"
        assert [h.starred for hs in screen.model.by_feed.values() for h in hs] == starred_before
        assert opened == []


async def test_o_opens_the_link_in_a_thread_and_y_copies_it(make_app, monkeypatch):
    opened: list[str] = []
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("o")
        for _ in range(20):
            if opened:
                break
            await pilot.pause(0.05)
        assert opened == ["https://gazette.example.org/ferry-timetable"]
        await pilot.press("j", "y")
        assert app.clipboard == "https://gazette.example.org/lighthouse"


async def test_o_on_an_article_without_a_link_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"jjjj", "o")
        await pilot.pause()
        assert "This article has no link." in notices(app)


async def test_question_mark_lists_every_key_and_escape_closes(make_app):
    from newsreader.keymap import KEY_ACTIONS

    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in KEY_ACTIONS:
            assert key.description in text, key.id
        assert "next_unread" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "Command palette" not in screen_text(app)


async def test_q_quits_and_the_position_comes_back_on_the_next_start(make_app, reader_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"jjjjjj")
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert title_at_cursor(screen) == CLOCK
        assert [c.text for c in screen.breadcrumb.crumbs][-1] == CLOCK


async def test_keys_rebound_in_feeds_yaml_replace_the_defaults(make_app):
    text = (Path(__file__).parents[1] / "data" / "ui" / "feeds.yaml").read_text(encoding="utf-8")
    app = make_app(config_text=text + "keys:\n  next: ctrl+n\n  help: f1\n")
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")
        assert title_at_cursor(screen) == FERRY
        await pilot.press("ctrl+n")
        assert title_at_cursor(screen) == LIGHTHOUSE
        await pilot.press("f1")
        await pilot.pause()
        assert "F1" in screen_text(app) or "f1" in screen_text(app)


async def test_brackets_resize_the_sidebar_and_the_width_is_remembered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        before = screen.query_one("#side").outer_size.width
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        wider = screen.query_one("#side").outer_size.width
        assert wider == before + 8
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.query_one("#side").outer_size.width == wider - 4
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.query_one("#side").outer_size.width == wider - 4


async def test_a_theme_picked_in_the_app_is_remembered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "newsreader-dark"
        app.theme = "newsreader-light"
        await pilot.pause()
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert again.theme == "newsreader-light"


async def test_selecting_a_failed_feed_shows_its_error(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("J", "J", "J")
        assert screen.model.rows[screen.sidebar.cursor].feed == "Orbit Weekly"
        text = screen_text(app)
        assert "The last refresh failed: http://127.0.0.1:9/orbit.json:" in text
        assert "refused" in text and screen.state.shown == Shown(FEED, "Orbit Weekly")


async def test_no_feeds_configured_says_so(make_app, tmp_path):
    app = make_app(config_text="feeds: []\n", db=tmp_path / "empty.db")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "No feeds configured." in text
        # The config's path decides where the line wraps: check the words, not the lines.
        assert all(words in text for words in ("Add feeds to", "feeds.yaml", "example:"))
        await pilot.press("j", "k", "n", "J", "g", "G", "m", "s", "A", "enter", "o", "y", "u")
        assert app.is_running


async def test_clicking_a_headline_selects_it_and_a_crumb_goes_to_its_feed(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.model.find_key(stored_key(screen, CLOCK))
        await pilot.click("#sidebar", offset=(10, row))
        assert title_at_cursor(screen) == CLOCK
        # "Tech" is 4 cells from x=1, then " › ", then the feed
        await pilot.click("#breadcrumb", offset=(10, 0))
        row = screen.model.rows[screen.sidebar.cursor]
        assert (row.kind, row.feed) == (FEED, "Tinkerers' Log")
        await pilot.click("#breadcrumb", offset=(2, 0))
        row = screen.model.rows[screen.sidebar.cursor]
        assert (row.kind, row.group) == (GROUP, "Tech")


def stored_key(screen: Any, title: str) -> int:
    return next(h.key for hs in screen.model.by_feed.values() for h in hs if h.title == title)


async def test_command_palette_runs_reader_actions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Last headline")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert title_at_cursor(screen) == "图书馆延长开放时间至晚上九点"


@pytest.mark.parametrize("hostile", ["[bold]x[/]", "[/]", "[link=file:///etc/passwd]y[/link]"])
async def test_feed_text_is_never_read_as_markup(make_app, tmp_path, hostile):
    from newsreader.model import Article, Feed, FetchResult

    config = "feeds:\n  - name: '[/]'\n    path: x.rss\n    group: '[red]G'\n"
    db = tmp_path / "hostile.db"
    from newsreader.config import parse_config

    with Store.open(db) as store:
        store.sync_feeds(parse_config(config, tmp_path / "feeds.yaml").feeds)
        feed = Feed("t", None, "x", (Article(id="1", title=hostile, text=hostile),))
        store.save_result("[/]", FetchResult(feed))
    app = make_app(config_text=config, db=db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        text = screen_text(app)
        assert hostile in text
        assert "[red]G" in text
        assert [c.text for c in screen.breadcrumb.crumbs] == ["[red]G", "[/]", hostile]


async def test_down_moves_the_cursor_when_the_sidebar_overflows(make_app):
    """Regression: ScrollView's own ``down`` binding scrolled the rows under a fixed
    cursor once they no longer fitted (80x24 with the samples), so Down did nothing."""
    app = make_app()
    async with app.run_test(size=(120, 10)) as pilot:
        screen = await ready(pilot)
        assert len(screen.model.rows) > screen.sidebar.size.height
        for _ in range(12):
            await pilot.press("down")
        assert screen.sidebar.cursor == 14
        assert screen.sidebar.top > 0
        row = screen.model.rows[14]
        assert screen.sidebar.cursor - screen.sidebar.top < screen.sidebar.size.height
        for _ in range(12):
            await pilot.press("up")
        assert screen.sidebar.cursor == 2 and row.kind is not None


@pytest.mark.parametrize(
    ("published", "today", "shown"),
    [
        ("2024-03-14T21:15:00-05:00", "2024-03-15", "11:15"),  # 02:15 UTC is 11:15 in Tokyo
        ("2024-03-14T23:30:00+00:00", "2024-03-15", "08:30"),
        ("2024-03-14T21:15:00", "2024-03-14", "21:15"),  # no offset: as the feed says
        ("2024-03-14T21:15:00", "2024-03-15", "Mar 14"),
        ("2023-12-31T20:00:00+00:00", "2024-03-15", "Jan 01"),  # the local day
        ("2024-06-10", "2024-06-10", "Jun 10"),  # a bare date has no time to show
        ("2003-06-10", "2024-03-15", "Jun'03"),
        ("2003-06", "2024-03-15", "Jun'03"),
        ("2024-06", "2024-03-15", "Jun"),
        ("2003", "2024-03-15", "2003"),
        (None, "2024-03-15", ""),
        ("not a date", "2024-03-15", ""),
    ],
)
def test_sidebar_dates_are_local_when_the_feed_gives_an_offset(
    monkeypatch, published, today, shown
):
    import time

    from newsreader.ui.state.row_text import _short_date, short_date

    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    _short_date.cache_clear()
    try:
        assert short_date(published, today) == shown
    finally:
        _short_date.cache_clear()


def test_an_untitled_article_is_named_by_its_first_words():
    from newsreader.ui.state.tree import untitled_label

    assert untitled_label("  Short  summary\nhere ", "body") == "Short summary here"
    assert untitled_label(None, "Only the text says something.") == "Only the text says something."
    long = "The council met on Tuesday evening to discuss the harbour wall and the new car park"
    label = untitled_label(long, "")
    assert label.endswith("…") and len(label) <= 60 and long.startswith(label[:-1])
    assert label[:-1] == label[:-1].rstrip() and " " not in label[-2:]
    cjk = untitled_label(None, "青禾老桥修缮完工" * 10)
    assert cjk.endswith("…") and cjk.startswith("青禾老桥")
    assert untitled_label("", " \n ") == "(untitled)"
    assert untitled_label(None, "") == "(untitled)"


async def test_untitled_articles_get_a_name_in_the_sidebar_breadcrumb_and_filter(
    make_app, tmp_path
):
    from newsreader.config import parse_config
    from newsreader.model import Article, Feed, FetchResult

    config = "feeds:\n  - name: Notes\n    path: n.rss\n    group: Mine\n"
    db = tmp_path / "untitled.db"
    articles = (
        Article(id="1", title="", summary="Ferries resume after the gale", text="More."),
        Article(id="2", title="  ", text="Rain gauge\n\nfilled twice in one night"),
        Article(id="3", title="", text=""),
    )
    with Store.open(db) as store:
        store.sync_feeds(parse_config(config, tmp_path / "feeds.yaml").feeds)
        store.save_result("Notes", FetchResult(Feed("Notes", None, "x", articles)))
    app = make_app(config_text=config, db=db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        text = screen_text(app)
        sidebar = [line.split("▕")[0] for line in text.splitlines()]
        assert any("●  Ferries resume after the gale" in line for line in sidebar)
        assert any("●  Rain gauge filled twice in on…" in line for line in sidebar)
        assert any("●  (untitled)" in line for line in sidebar)
        labels = []
        for _ in range(3):
            labels.append(screen.breadcrumb.crumbs[-1].text)
            await pilot.press("j")
        assert sorted(labels) == sorted(
            ["Ferries resume after the gale", "Rain gauge filled twice in one night", "(untitled)"]
        )
        await pilot.press("slash", *"gauge", "enter")
        assert title_at_cursor(screen).strip() == ""
        assert screen.breadcrumb.crumbs[-1].text == "Rain gauge filled twice in one night"
        await pilot.pause()
        pane = [line.split("▕")[-1].strip() for line in screen_text(app).splitlines()]
        assert "Rain gauge filled twice in one night" in pane  # the article's heading too


def _status(name: str, **times: str | None) -> Any:
    from newsreader.model import FeedStatus

    return FeedStatus(name, None, None, times.get("last_success"), None, 0, 0,
                      last_attempt=times.get("last_attempt"),
                      next_attempt=times.get("next_attempt"))  # fmt: skip


def test_feeds_are_due_by_their_own_refresh_minutes(tmp_path):
    from datetime import datetime

    from newsreader.config import parse_config
    from newsreader.ui.refresher import due_feeds

    config = parse_config(
        "settings:\n  refresh_minutes: 30\nfeeds:\n"
        "  - {name: Fast, path: a.rss, refresh_minutes: 5}\n"
        "  - {name: Default, path: b.rss}\n"
        "  - {name: Slow, path: c.rss, refresh_minutes: 240}\n"
        "  - {name: New, path: d.rss}\n"
        "  - {name: Backing off, path: e.rss, refresh_minutes: 1}\n",
        tmp_path / "feeds.yaml",
    )
    now = datetime.fromisoformat("2024-03-14T12:00:00+00:00").timestamp()
    ten_ago = "2024-03-14T11:50:00+00:00"
    statuses = {
        "Fast": _status("Fast", last_attempt=ten_ago, last_success="2024-03-14T08:00:00+00:00"),
        "Default": _status("Default", last_attempt=ten_ago),
        "Slow": _status("Slow", last_success="2024-03-14T09:00:00+00:00"),
        "New": _status("New"),
        "Backing off": _status("Backing off", last_attempt=ten_ago,
                               next_attempt="2024-03-14T12:03:00+00:00"),
    }  # fmt: skip
    assert [f.name for f in due_feeds(config.feeds, statuses, now)] == ["Fast", "New"]
    later = now + 25 * 60  # 35 minutes after the last attempt
    assert [f.name for f in due_feeds(config.feeds, statuses, later)] == [
        "Fast", "Default", "New", "Backing off",
    ]  # fmt: skip
    assert "Slow" in [f.name for f in due_feeds(config.feeds, statuses, now + 3600)]


def _rss_file(path: Path, title: str, items: list[tuple[str, str]]) -> None:
    from tests.support.httpserver import make_rss

    path.write_text(make_rss(title, items), encoding="utf-8")


async def wait_until(pilot: Any, predicate: Any, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


async def test_the_refresh_timer_fetches_only_the_feeds_that_are_due(make_app, tmp_path):
    """Regression: one app-wide interval refreshed every feed, ignoring a feed's own
    ``refresh_minutes``."""
    from datetime import datetime

    _rss_file(tmp_path / "fast.rss", "Fast", [("f1", "Fast news one")])
    _rss_file(tmp_path / "slow.rss", "Slow", [("s1", "Slow news one")])
    config = (
        "settings:\n  refresh_minutes: 60\nfeeds:\n"
        f"  - {{name: Fast, path: '{tmp_path / 'fast.rss'}', group: G, refresh_minutes: 2}}\n"
        f"  - {{name: Slow, path: '{tmp_path / 'slow.rss'}', group: G}}\n"
    )
    db = tmp_path / "due.db"
    clock = [datetime.fromisoformat("2030-01-01T12:00:00+00:00").timestamp()]
    app = make_app(config_text=config, db=db, clock=lambda: clock[0])
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.refresh_due()  # never fetched: both are due
        await wait_until(pilot, lambda: not screen.refreshing)
        assert screen.model.total == 2
        with Store.open(db) as store:
            first = {n: s.last_attempt for n, s in store.feed_statuses().items()}
        _rss_file(tmp_path / "fast.rss", "Fast", [("f2", "Fast news two"), ("f1", "Fast news one")])
        _rss_file(tmp_path / "slow.rss", "Slow", [("s2", "Slow news two"), ("s1", "Slow news one")])
        stamp = datetime.fromisoformat(first["Fast"]).timestamp()  # type: ignore[arg-type]
        clock[0] = stamp + 60  # one minute on: nothing is due
        screen.refresh_due()
        await wait_until(pilot, lambda: not screen.refreshing)
        assert screen.model.total == 2
        clock[0] = stamp + 3 * 60  # three minutes on: only Fast
        screen.refresh_due()
        await wait_until(pilot, lambda: not screen.refreshing)
        titles = {h.title for hs in screen.model.by_feed.values() for h in hs}
        assert "Fast news two" in titles and "Slow news two" not in titles
        assert "Fast news two" in screen_text(app)
        with Store.open(db) as store:
            after = {n: s.last_attempt for n, s in store.feed_statuses().items()}
        assert after["Slow"] == first["Slow"]


async def test_r_refreshes_the_highlighted_feed_and_capital_r_every_feed_without_blocking(
    make_app, tmp_path
):
    from tests.support.httpserver import FeedServer, make_rss

    with FeedServer() as server:
        slow = server.add("/slow.xml", make_rss("Slow", [("s1", "Slow one")]), delay=1.5)
        quick = server.add("/quick.xml", make_rss("Quick", [("q1", "Quick one")]))
        config = (
            "feeds:\n"
            f"  - {{name: Slow, url: '{slow}', group: Web}}\n"
            f"  - {{name: Quick, url: '{quick}', group: Web}}\n"
        )
        app = make_app(config_text=config, db=tmp_path / "r.db")
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(pilot)
            await pilot.press("R")
            await wait_until(pilot, lambda: "Refreshing" in screen_text(app))
            # The quick feed's headline shows (and is selected) while the slow one loads.
            await wait_until(pilot, lambda: "Quick one" in screen_text(app))
            assert screen.refreshing and "Refreshing 1/2" in screen_text(app)
            assert title_at_cursor(screen) == "Quick one"
            before = screen.sidebar.cursor
            await pilot.press("up")  # the keys still work
            assert screen.sidebar.cursor == before - 1
            await pilot.press("R")
            assert "A refresh is already running." in notices(app)
            await wait_until(pilot, lambda: not screen.refreshing)
            assert "Slow one" in screen_text(app) and "Quick one" in screen_text(app)
            row = screen.model.rows[screen.sidebar.cursor]
            assert (row.kind, row.feed) == (FEED, "Quick")  # the late feed did not move it
            assert "2 new" in screen_text(app)
            asked = [r.path for r in server.requests]
            assert sorted(asked) == ["/quick.xml", "/slow.xml"]

            server.add("/quick.xml", make_rss("Quick", [("q2", "Quick two"), ("q1", "Quick one")]))
            server.requests.clear()
            screen.select(screen.model.find_row(FEED, "Quick"))
            await pilot.press("r")
            await wait_until(pilot, lambda: not screen.refreshing)
            assert [r.path for r in server.requests] == ["/quick.xml"]
            assert "Quick two" in screen_text(app)
            assert "Quick: 1 new" in screen_text(app)


async def test_a_failed_feed_with_nothing_stored_says_failed_in_the_sidebar(make_app, tmp_path):
    config = (
        "feeds:\n  - {name: Gone, path: '/nonexistent/gone.rss', group: G}\n"
        "  - {name: Here, path: '/nonexistent/here.rss', group: G}\n"
    )
    db = tmp_path / "failed.db"
    from newsreader.config import parse_config

    with Store.open(db) as store:
        store.sync_feeds(parse_config(config, tmp_path / "feeds.yaml").feeds)
        store.save_error("Gone", "/nonexistent/gone.rss: no such file or folder")
    app = make_app(config_text=config, db=db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        lines = [line.split("▕")[0] for line in screen_text(app).splitlines()]
        gone = next(line for line in lines if "Gone" in line)
        here = next(line for line in lines if "Here" in line)
        assert "! Gone" in gone and gone.rstrip().endswith("failed")
        assert "failed" not in here


def test_the_breadcrumb_shortens_sections_from_the_middle_and_never_overflows():
    from rich.cells import cell_len

    from newsreader.ui.widgets.breadcrumb import Crumb, shorten

    crumbs = [
        Crumb("Local", "group"), Crumb("Valley Pages", "feed"), Crumb("Home", "section"),
        Crumb("Town", "section"), Crumb("Markets", "section"), Crumb("Evening", "section"),
        Crumb("Riverside market doubles its opening hours", "title"),
    ]  # fmt: skip

    def shown(width: int) -> str:
        return " › ".join(c.text for c in shorten(crumbs, width))

    assert shown(200) == (
        "Local › Valley Pages › Home › Town › Markets › Evening › "
        "Riverside market doubles its opening hours"
    )
    assert shown(90) == (
        "Local › Valley Pages › Home › … › Evening › Riverside market doubles its opening hours"
    )
    assert shown(75).startswith("Local › Valley Pages › ") and "…" in shown(75)
    assert shown(75).endswith("Riverside market doubles its opening hours")
    for width in range(1, 120):
        text = shown(width)
        assert cell_len(text) <= width, (width, text)
        if width >= 30:
            assert text.startswith("Local") and "Riverside" in text, (width, text)


def test_the_status_after_a_refresh_names_failed_and_waiting_feeds():
    from newsreader.model import FeedOutcome
    from newsreader.ui.refresher import refresh_summary

    assert refresh_summary([FeedOutcome("A", "ok", new=3)]) == "A: 3 new"
    assert refresh_summary([FeedOutcome("A", "not modified")]) == "A: up to date"
    assert refresh_summary([FeedOutcome("A", "error", error="x")]) == "A: failed"
    assert refresh_summary([FeedOutcome("A", "waiting", error="x")]) == "A: waiting to retry"
    mixed = [
        FeedOutcome("A", "ok", new=1200),
        FeedOutcome("B", "error", error="x"),
        FeedOutcome("C", "waiting", error="y"),
        FeedOutcome("D", "ok"),
    ]
    assert refresh_summary(mixed) == "1,200 new, 1 failed, 1 waiting to retry"
    assert refresh_summary([FeedOutcome("A", "ok"), FeedOutcome("B", "ok")]) == "Up to date"


async def test_r_on_a_failing_feed_says_why_in_one_line_and_marks_it(make_app, tmp_path):
    from tests.support.httpserver import FeedServer

    with FeedServer() as server:
        url = server.add("/down.xml", "oops", status=500)
        config = f"feeds:\n  - {{name: Down, url: '{url}', group: Web}}\n"
        app = make_app(config_text=config, db=tmp_path / "down.db")
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(pilot)
            screen.select(screen.model.find_row(FEED, "Down"))
            await pilot.press("r")
            await wait_until(pilot, lambda: not screen.refreshing)
            assert any(n.startswith(f"{url}: HTTP 500") for n in notices(app)), notices(app)
            text = screen_text(app)
            assert "Down: failed" in text
            assert "! Down" in text and "The last refresh failed:" in text
