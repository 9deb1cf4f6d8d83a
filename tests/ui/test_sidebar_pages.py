"""The sidebar over thousands of headlines: it reads only the pages it draws, and its
own scroll thumb follows the scroll and answers the mouse like a scrollbar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events

from newsreader.model import Article, Feed, FetchResult
from newsreader.store import Store
from newsreader.ui.widgets.sidebar import WHEEL_ROWS, Sidebar

pytestmark = pytest.mark.anyio

CONFIG = "feeds:\n  - {name: Big, path: big.rss, group: News}\n  - {name: Small, path: s.rss}\n"
SIZE = 1500


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    from newsreader.config import parse_config

    db = tmp_path / "big.db"
    config = parse_config(CONFIG, tmp_path / "feeds.yaml")
    with Store.open(db) as store:
        store.sync_feeds(config.feeds)
        items = tuple(
            Article(id=f"b{i}", title=f"Headline {i}", text="Body.",
                    published=f"2024-01-01T{i // 60 % 24:02d}:{i % 60:02d}:00+00:00")
            for i in range(SIZE)
        )  # fmt: skip
        store.save_result("Big", FetchResult(Feed("Big", None, "rss", items)))
        small = (Article(id="s", title="Only one", text="Body."),)
        store.save_result("Small", FetchResult(Feed("Small", None, "rss", small)))
    return db


def _thumb_rows(sidebar: Sidebar) -> list[int]:
    """The screen rows whose last cell is drawn in the thumb's colour."""
    thumb = sidebar.get_component_rich_style("sidebar--thumb").bgcolor
    rows = []
    for y in range(sidebar.size.height):
        last = list(sidebar.render_line(y))[-1]
        if last.style is not None and last.style.bgcolor == thumb:
            rows.append(y)
    return rows


async def test_start_reads_one_page_and_the_end_one_more(make_app, big_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pages: list[tuple[str, int]] = []
    read_page = Store.headline_page

    def counted(self: Store, feed: str, offset: int, limit: int) -> Any:
        pages.append((feed, offset))
        return read_page(self, feed, offset, limit)

    monkeypatch.setattr(Store, "headline_page", counted)
    app = make_app(config_text=CONFIG, db=big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert pages == [("Big", 0)]
        await pilot.press("G")
        await pilot.pause()
        screen = app.screen
        assert screen.model.headline(screen.model.rows[screen.sidebar.cursor]).title == "Only one"
        await pilot.press("K", "K")  # the feed row of Big, then back over its last headlines
        await pilot.press("k")
        await pilot.pause()
        assert ("Big", (SIZE - 1) // 128 * 128) in pages and len(pages) <= 3


async def test_the_thumb_follows_the_scroll_and_drags_like_a_scrollbar(make_app, big_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(config_text=CONFIG, db=big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        sidebar = app.screen.sidebar
        height = sidebar.size.height
        assert _thumb_rows(sidebar) == [0]  # 1,505 rows on 29 lines: one cell, at the top
        await pilot.press("G")
        await pilot.pause()
        assert _thumb_rows(sidebar) == [height - 1]
        cursor = sidebar.cursor
        column = sidebar.size.width - 1
        await pilot.mouse_down(sidebar, offset=(column, 0))
        await pilot.hover(sidebar, offset=(column, height // 2))
        await pilot.mouse_up(sidebar, offset=(column, height // 2))
        await pilot.pause()
        middle = len(sidebar.model.rows) - height
        assert abs(sidebar.top - middle / 2) <= middle / height + 1
        assert sidebar.cursor == cursor  # pressing the thumb column picks no row
        assert _thumb_rows(sidebar) and _thumb_rows(sidebar)[0] in range(
            height // 2 - 1, height // 2 + 2
        )


async def test_a_list_that_fits_has_no_thumb(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _thumb_rows(app.screen.sidebar) == []


async def test_the_first_frame_already_opens_at_the_saved_headline(
    make_app, big_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """No frame at the top of the list before the sidebar scrolls to where the reader
    was (it would flash after the frame drawn before Textual)."""
    with Store.open(big_db) as store:
        key = store.headline_page("Big", 900, 1)[0].key
        store.set_setting("position", f'{{"feed": "Big", "key": {key}}}')
    tops: list[int] = []
    draw = Sidebar.render_line

    def recorded(self: Sidebar, y: int) -> Any:
        strip = draw(self, y)
        tops.append(self.top)
        return strip

    monkeypatch.setattr(Sidebar, "render_line", recorded)
    app = make_app(config_text=CONFIG, db=big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        sidebar = app.screen.sidebar
        assert app.screen.model.headline(app.screen.model.rows[sidebar.cursor]).key == key
        assert tops and set(tops) == {sidebar.top} and sidebar.top > 0
        assert 0 <= sidebar.cursor - sidebar.top < sidebar.size.height


async def test_the_wheel_scrolls_the_rows_under_the_cursor(make_app, big_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(config_text=CONFIG, db=big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        sidebar = app.screen.sidebar
        cursor = sidebar.cursor
        for _ in range(4):
            sidebar.post_message(
                events.MouseScrollDown(sidebar, 0, 0, 0, 1, 0, False, False, False)
            )
        await pilot.pause()
        assert sidebar.top == 4 * WHEEL_ROWS and sidebar.cursor == cursor
        sidebar.post_message(events.MouseScrollUp(sidebar, 0, 0, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert sidebar.top == 3 * WHEEL_ROWS
