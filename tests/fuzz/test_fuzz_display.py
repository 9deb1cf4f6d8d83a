"""The reader's whole display path on arbitrary stored text.

An article with hostile strings in every field (controls, escape sequences, bidi
overrides and marks, line separators, markup-like brackets, character references,
dates at and past the edges, wide CJK, combining marks), and a feed with a hostile
name, group, title, link and error, are written straight into a real SQLite store,
past every parser and sanitiser. The reader then shows them: the headline in the
sidebar and breadcrumb, the meta line and the article pane (top and end), the feed's
status, the status line and toasts naming the link, the feed and the error, in a
local zone drawn per example. Nothing may raise, and nothing the screen would write
to the terminal may hold a C0/C1 control, a bidi character or a line separator.

One reader runs across all examples of a run (starting one costs half a second); a
reader that failed is replaced, so every example is judged on its own.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.strategies import hostile_text
from tests.support.display import raw_characters

SIZE = (100, 36)
ZONES = ("UTC0", "<+14>-14", "<-12>12", "<+0545>-5:45", "<-0930>9:30")
EDGE_DATES = (
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+23:59",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-23:59",
    "0001-01-01T00:00:00",
    "9999-12-31",
    "0001-01",
    "9999",
    "2024-03-14T08:30:00+00:00",
)
PIECES = (
    "&#13;",
    "&#12;",
    "&#x202e;",
    "&#x2028;",
    "&#x2029;",
    "&#x85;",
    "&#27;[2J",
    "&#x200f;",
    "[/]",
    "[x=:]",
    "[b]bold[/b]",
    "上虞经开区今年的经济总量继续增长",
    "e\u0301\u0301\u0301",
    "\U0001f469\u200d\U0001f4bb",
    "\u00a0\u3000",
)
MARKDOWN = (
    "# {0}\n\n{1} [{2}](https://example.org/{3})\n\n![{4}](https://example.org/i.png)\n\n"
    "| {5} | {6} |\n| --- | --- |\n| {7} | {8} |\n\n```\n{9}\n```\n\n> {10}\n\n- {11}\n"
)


def _storable(text: str) -> str:
    """SQLite stores UTF-8: a lone surrogate cannot be stored, whatever its source."""
    return text.encode("utf-8", "replace").decode("utf-8")


TEXT = st.one_of(hostile_text(), st.sampled_from(PIECES), st.text(max_size=30)).map(_storable)
OPTIONAL = st.one_of(st.none(), TEXT)
DATE = st.one_of(st.none(), st.sampled_from(EDGE_DATES), TEXT)


@dataclass
class Shown:
    """What one example stores: a feed and its one article."""

    name: str
    group: str
    feed_title: str
    feed_link: str | None
    error: str | None
    fields: dict[str, Any]


@st.composite
def stored(draw: st.DrawFn) -> Shown:
    pieces = [draw(TEXT) for _ in range(12)]
    fields = {
        "title": draw(TEXT),
        "link": draw(OPTIONAL),
        "published": draw(DATE),
        "updated": draw(DATE),
        "author": draw(OPTIONAL),
        "source": draw(OPTIONAL),
        "breadcrumb": tuple(draw(st.lists(TEXT, max_size=3))),
        "summary": draw(OPTIONAL),
        "text": draw(TEXT),
        "markdown": draw(st.sampled_from(("", MARKDOWN.format(*pieces), pieces[0]))),
        "related": tuple(draw(st.lists(TEXT, max_size=2))),
    }
    return Shown(
        name=draw(TEXT.filter(str.strip)),
        group=draw(TEXT.filter(str.strip)),
        feed_title=draw(TEXT),
        feed_link=draw(OPTIONAL),
        error=draw(OPTIONAL),
        fields=fields,
    )


class RunningReader:
    """A reader under Pilot on its own event loop, driven one example at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loop = asyncio.new_event_loop()
        self.count = 0
        self.app: Any = None
        self._start()

    def _start(self) -> None:
        from newsreader.config import Config
        from newsreader.store import Store
        from newsreader.ui.launch import reader_app
        from newsreader.ui.state.tree import HeadlineTree

        self.count += 1
        db = self.folder / f"reader-{self.count}.db"
        self.store = Store.open(db)
        config = Config(path=self.folder / "feeds.yaml", feeds=())
        tree = HeadlineTree([], self.store, {})
        self.app = reader_app(
            config,
            self.store,
            tree=tree,
            db_path=db,
            refresh=False,
            today=lambda: date(2024, 3, 14),
        )
        self._session = self.app.run_test(size=SIZE, notifications=True)
        self.pilot = self.loop.run_until_complete(self._session.__aenter__())

    def _stop(self) -> BaseException | None:
        """Close the reader; returns what it raised, if anything."""
        try:
            self.loop.run_until_complete(self._session.__aexit__(None, None, None))
        except BaseException as error:
            return error
        finally:
            self.store.close()
        return None

    def show(self, example: Shown) -> None:
        """Store ``example``, show it in every pane; raise what the reader raised."""
        if self.app._exception is not None or not self.app.is_running:
            self._stop()
            self._start()
        try:
            self.loop.run_until_complete(self._show(example))
        except BaseException:
            self._stop()
            self._start()
            raise
        if self.app._exception is not None:
            error = self.app._exception
            self._stop()
            self._start()
            raise error

    async def _show(self, example: Shown) -> None:
        from newsreader.config import Config
        from newsreader.model import Article, Feed, FeedConfig, FetchResult
        from newsreader.ui.state.rows import FEED
        from newsreader.ui.state.tree import HeadlineTree

        app, pilot, store = self.app, self.pilot, self.store
        with app._context():
            screen = app.screen_stack[0]
            feeds = (FeedConfig(example.name, "local", str(self.folder), example.group),)
            store.sync_feeds(feeds)
            article = Article(id=f"a{self.count}-{time.monotonic_ns()}", **example.fields)
            feed = Feed(example.feed_title, example.feed_link, "fuzz", (article,))
            store.save_result(example.name, FetchResult(feed))
            if example.error:
                store.save_error(example.name, example.error)
            # What a refresh does in the reader: the feed's rows, reloaded from the store.
            screen.config = Config(path=self.folder / "feeds.yaml", feeds=feeds)
            tree = HeadlineTree([(example.name, example.group)], store, store.feed_statuses())
            app.clear_notifications()
            screen.replace_tree(tree)  # the cursor on the first headline, shown afresh
            screen.last_refresh = f"{example.name}: failed"  # the status line shows it
            # Toasts naming the link, the feed and the error, all in one frame.
            screen.action_copy_link()
            screen.action_mark_feed_read()
            screen.refresh_failed(example.error or example.feed_title)
            await pilot.pause()
            assert raw_characters(app) == []
            screen.article.action_edge(1)
            await pilot.pause()
            assert raw_characters(app) == []
            screen.select(tree.find_row(FEED, example.name) or 0)
            await pilot.pause()
            assert raw_characters(app) == []

    def close(self) -> None:
        self._stop()
        self.loop.close()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningReader]:
    zone = os.environ.get("TZ")
    reader = RunningReader(tmp_path_factory.mktemp("display"))
    yield reader
    reader.close()
    if zone is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = zone
    time.tzset()


@fuzz(max_examples=10)
@given(example=stored(), zone=st.sampled_from(ZONES))
def test_arbitrary_stored_text_reaches_the_terminal_plain_from_every_pane(
    running, example, zone
) -> None:
    from newsreader.ui.state.row_text import _short_date

    os.environ["TZ"] = zone
    time.tzset()
    _short_date.cache_clear()
    running.show(example)
