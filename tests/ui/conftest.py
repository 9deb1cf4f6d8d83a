"""Reader fixtures: a store filled from tests/data/ui/articles.json and an app factory
with a fixed "today", no background refresh and a fixed size."""

from __future__ import annotations

import json
import sys
import time
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "ui"
TODAY = date(2024, 3, 14)


def _install_standins() -> None:
    """Minimal stand-ins for modules another part of the project provides, used only
    while those modules are missing from the checkout."""
    try:
        import newsreader.ui.widgets.article_view
    except ImportError:
        from rich.text import Text
        from textual.containers import VerticalScroll
        from textual.widgets import Static

        mod = types.ModuleType("newsreader.ui.widgets.article_view")

        class ArticleView(VerticalScroll, can_focus=True):
            DEFAULT_CSS = "ArticleView { width: 1fr; height: 1fr; padding: 0 1; }"

            def __init__(self, *, id: str | None = None) -> None:
                super().__init__(id=id)
                self.link: str | None = None
                self.body = Static("", markup=False)

            def compose(self):  # type: ignore[no-untyped-def]
                yield self.body

            def show_article(self, stored: Any, *, group: str, feed_name: str) -> None:
                self.link = stored.article.link
                self.body.update(Text(stored.article.title + "\n\n" + stored.article.text))
                self.scroll_home(animate=False)

            def show_message(self, title: str, body: str) -> None:
                self.link = None
                self.body.update(Text(title + "\n\n" + body))

            def scroll_page_down(self, **kwargs: Any) -> None:  # type: ignore[override]
                super().scroll_page_down(animate=False)

            def scroll_page_up(self, **kwargs: Any) -> None:  # type: ignore[override]
                super().scroll_page_up(animate=False)

        mod.ArticleView = ArticleView  # type: ignore[attr-defined]
        sys.modules[mod.__name__] = mod
    try:
        import newsreader.ui.themes  # noqa: F401
    except ImportError:
        from textual.theme import Theme

        mod = types.ModuleType("newsreader.ui.themes")
        extra = {
            "headline-unread": "#f0f0f0",
            "headline-read": "#808890",
            "headline-starred": "#e8b84a",
            "feed-error": "#e06c75",
            "crumb-separator": "#5c6370",
            "article-heading": "#61afef",
            "article-link": "#56b6c2",
            "article-quote": "#98a0a8",
            "article-code-bg": "#2a2e36",
        }

        def load_themes(dirs: Any) -> tuple[list[Theme], list[str]]:
            return [
                Theme("newsreader-dark", primary="#61afef", dark=True, variables=extra),
                Theme("newsreader-light", primary="#2060c0", dark=False,
                      variables={**extra, "headline-unread": "#101010"}),
                Theme("newsreader-contrast", primary="#ffff00", dark=True, variables=extra),
                Theme("newsreader-harbour", primary="#3fa7a0", dark=True, variables=extra),
            ], []  # fmt: skip

        mod.load_themes = load_themes  # type: ignore[attr-defined]
        sys.modules[mod.__name__] = mod


_install_standins()


def fill_store(db_path: Path, config: Any) -> None:
    """Store the fixture articles, errors, read and starred flags into ``db_path``."""
    from newsreader.model import Article, Feed
    from newsreader.sources.base import FetchResult
    from newsreader.store import Store

    data = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))
    with Store.open(db_path) as store:
        store.sync_feeds(config.feeds)
        for feed in data["feeds"]:
            articles = tuple(
                Article(**{**a, "breadcrumb": tuple(a["breadcrumb"]), "related": ()})
                for a in feed["articles"]
            )
            result = FetchResult(Feed(feed["title"], feed["link"], "fixture", articles))
            store.save_result(feed["name"], result)
        for name, message in data["errors"].items():
            store.save_error(name, message)
        keys = {h.title: h.key for h in store.headlines()}
        ids = {a["id"]: a["title"] for f in data["feeds"] for a in f["articles"]}
        store.set_read([keys[ids[i]] for i in data["read"]])
        for i in data["starred"]:
            store.set_starred(keys[ids[i]], True)
    import sqlite3

    # Fetch times are "now" when stored; pin them so screens that show them are fixed.
    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE feeds SET last_success = '2024-03-14T07:00:00+00:00',"
            " last_attempt = '2024-03-14T07:00:00+00:00'"
        )


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Dates with an offset are shown in local time: pin it, so screens are the same
    on every machine (tests that need another zone set ``TZ`` themselves)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (through anyio's pytest plugin)."""
    return "asyncio"


@pytest.fixture
def reader_db(tmp_path: Path) -> Path:
    from newsreader.config import load_config

    db = tmp_path / "reader.db"
    fill_store(db, load_config(DATA / "feeds.yaml"))
    return db


@pytest.fixture
def make_app(reader_db: Path) -> Callable[..., Any]:
    """Build the reader on the fixture store; ``config_text`` replaces feeds.yaml."""
    from newsreader.config import load_config, parse_config
    from newsreader.store import Store
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.headlines import HeadlineTree

    stores: list[Any] = []

    def build(*, config_text: str | None = None, db: Path | None = None, **kwargs: Any) -> Any:
        path = DATA / "feeds.yaml"
        config = parse_config(config_text, path) if config_text else load_config(path)
        db_path = db or reader_db
        store = Store.open(db_path)
        stores.append(store)
        store.sync_feeds(config.feeds)
        tree = HeadlineTree(
            [(f.name, f.group) for f in config.feeds], store.headlines(), store.feed_statuses()
        )
        kwargs.setdefault("refresh", False)
        kwargs.setdefault("today", lambda: TODAY)
        return NewsreaderApp(config, store, tree=tree, db_path=db_path, **kwargs)

    yield build
    for store in stores:
        store.close()
