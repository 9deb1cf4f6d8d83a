"""Reader fixtures: a store filled from tests/data/ui/articles.json and an app factory
with a fixed "today", no background refresh and a fixed size."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import pytest_textual_snapshot

from tests.support.notices import record_notices

__all__ = ["record_notices"]

DATA = Path(__file__).resolve().parents[1] / "data" / "ui"
TODAY = date(2024, 3, 14)


# The snapshot SVGs name web fonts and Rich's home page; nothing reads them, but the
# tests keep no public address: both sides of every comparison drop them.
_WEB_REFERENCES = re.compile(
    r',\s*url\("https?://[^"]*"\) format\("[^"]*"\)|\n\s*<!-- Generated with Rich https?://\S+ -->'
)
_upstream_normalize_svg = pytest_textual_snapshot.normalize_svg


def _offline_svg(svg: str) -> str:
    return _WEB_REFERENCES.sub("", _upstream_normalize_svg(svg))


pytest_textual_snapshot.normalize_svg = _offline_svg


def fill_store(db_path: Path, config: Any) -> None:
    """Store the fixture articles, errors, read and starred flags into ``db_path``."""
    from newsreader.model import Article, Feed, FetchResult
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
    from newsreader.ui.launch import reader_app
    from newsreader.ui.state.search import reader_tree

    stores: list[Any] = []

    def build(*, config_text: str | None = None, db: Path | None = None, **kwargs: Any) -> Any:
        path = DATA / "feeds.yaml"
        config = parse_config(config_text, path) if config_text else load_config(path)
        db_path = db or reader_db
        store = Store.open(db_path)
        stores.append(store)
        store.sync_feeds(config.feeds)
        tree = reader_tree(config, store, store.feed_statuses(), time.time())
        kwargs.setdefault("refresh", False)
        kwargs.setdefault("today", lambda: TODAY)
        return reader_app(config, store, tree=tree, db_path=db_path, **kwargs)

    yield build
    for store in stores:
        store.close()
