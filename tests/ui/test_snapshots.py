"""Snapshots of the reader at fixed sizes on the fixed fixture data (tests/data/ui)."""

from __future__ import annotations

from typing import Any

import pytest


async def _settled(pilot: Any) -> None:
    for _ in range(50):
        await pilot.pause()
        main = pilot.app.screen_stack[0]
        if main.article is not None and main.state.shown is not None:
            break
    await pilot.pause()


def test_main_screen(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_settled)


def test_help_screen(make_app, snap_compare):
    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


def test_narrow_terminal(make_app, snap_compare):
    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("j", "j", "j", "j")  # an article with a section path
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_failed_feed_and_filter(make_app, snap_compare):
    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("J", "J", "J")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


def test_query_feeds_in_the_sidebar(make_app, snap_compare):
    """Saved searches listed as feeds: one in its own group, one among a group's feeds."""
    from tests.ui.test_search import QUERY_FEEDS

    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("G")
        await pilot.pause()

    assert snap_compare(
        make_app(config_text=QUERY_FEEDS), terminal_size=(120, 40), run_before=run_before
    )


def test_search_results(make_app, snap_compare):
    """Results of a store-wide search grouped by feed, the query and count on top."""

    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("slash", *"market OR 图书馆", "enter")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


@pytest.mark.parametrize(
    "theme", ["newsreader-dark", "newsreader-light", "newsreader-contrast", "newsreader-harbour"]
)
def test_each_theme(make_app, snap_compare, theme):
    app = make_app()

    async def run_before(pilot: Any) -> None:
        pilot.app.theme = theme
        await _settled(pilot)
        await pilot.press("s", "tab")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_help_screen_on_a_narrow_terminal(make_app, snap_compare):
    """Regression: at 80 columns the help cut the key ids (what feeds.yaml needs) to
    three letters; now the descriptions wrap and the ids stay whole."""

    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_hidden_articles_shown(make_app, snap_compare, tmp_path):
    """H: the article a rule hid back in its feed and its query feed, "hidden shown" in
    the status line, and the rule that starred the first article under its meta line."""
    from tests.ui.test_rules_ui import RULES, rules_store

    async def run_before(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press("H")
        await pilot.pause()

    app = make_app(config_text=RULES, db=rules_store(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
