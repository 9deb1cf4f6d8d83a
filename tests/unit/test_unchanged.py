"""The warm path: local feeds whose files are unchanged are settled without the pipeline,
and end exactly as the pipeline leaves them."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader import refresh
from newsreader.model import FeedConfig, FeedOutcome
from newsreader.store import Store
from newsreader.unchanged import merged, settle_unchanged
from tests.support.httpserver import make_rss

# Every column a refresh writes, but the times it writes them.
_ROW = (
    "SELECT name, etag, last_modified, fingerprint, was_feed, last_error, moved_to,"
    " failures, next_attempt, last_success IS NOT NULL FROM feeds ORDER BY name"
)


def _feeds(tmp_path: Path) -> list[FeedConfig]:
    """A file, a folder past the file cap (a note on every fetch) and a missing file."""
    single = tmp_path / "single.xml"
    single.write_text(make_rss("Single", [("s1", "One"), ("s2", "Two")]), encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    for n in range(4):
        (folder / f"f{n}.xml").write_text(make_rss("F", [(f"g{n}", f"S{n}")]), encoding="utf-8")
    return [
        FeedConfig(name="Single", source="local", target=str(single)),
        FeedConfig(name="Folder", source="local", target=str(folder)),
        FeedConfig(name="Missing", source="local", target=str(tmp_path / "gone.xml")),
    ]


def _twice(store: Store, feeds: list[FeedConfig], *, settle: bool) -> list[FeedOutcome]:
    store.sync_feeds(feeds)
    run = refresh.refresh_feeds if settle else refresh.fetch_feeds
    asyncio.run(run(feeds, store, workers=0))
    return asyncio.run(run(feeds, store, workers=0))


def _rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(_ROW).fetchall()


def test_a_settled_feed_is_stored_and_reported_as_the_pipeline_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsreader.sources.local as local

    monkeypatch.setattr(local, "MAX_FILES", 2)
    feeds = _feeds(tmp_path)
    with Store.open(tmp_path / "pipeline.db") as piped, Store.open(tmp_path / "warm.db") as warm:
        through_pipeline = _twice(piped, feeds, settle=False)
        settled = _twice(warm, feeds, settle=True)
        assert settled == through_pipeline
    assert _rows(tmp_path / "warm.db") == _rows(tmp_path / "pipeline.db")
    assert [o.status for o in settled] == ["not modified", "not modified", "error"]
    assert settled[1].warnings == (
        f"{feeds[1].target}: holds more than 2 files: read the first 2, left out 2",
    )


def test_only_unchanged_due_local_feeds_are_settled(tmp_path: Path) -> None:
    feeds = _feeds(tmp_path)
    feeds.append(FeedConfig(name="Web", source="http", target="http://127.0.0.1:9/feed.xml"))
    with Store.open(tmp_path / "news.db") as store:
        store.sync_feeds(feeds)
        asyncio.run(refresh.fetch_feeds(feeds[:3], store, workers=0))
        single = Path(feeds[0].target)
        os.utime(single, ns=(single.stat().st_atime_ns, single.stat().st_mtime_ns + 10**9))
        seen: list[str] = []
        settled = settle_unchanged(feeds, store, on_progress=lambda o: seen.append(o.name))
    assert [o and o.status for o in settled] == [None, "not modified", None, None]
    assert seen == ["Folder"]


def test_a_local_feed_told_to_wait_is_left_to_the_pipeline_unless_forced(tmp_path: Path) -> None:
    """The pipeline is what reports the wait, so the warm path must not settle it."""
    [single, *_] = _feeds(tmp_path)
    with Store.open(tmp_path / "news.db") as store:
        store.sync_feeds([single])
        asyncio.run(refresh.fetch_feeds([single], store, workers=0))
        later = datetime.now(UTC) + timedelta(hours=1)
        store.save_error(single.name, "told to wait", next_attempt=later)
        [waiting] = settle_unchanged([single], store)
        [forced] = settle_unchanged([single], store, force=True)
    assert waiting is None
    assert forced is not None and forced.status == "not modified" and forced.total == 2


def test_outcomes_come_back_in_the_order_of_the_feeds() -> None:
    a, b, c = (FeedOutcome(name, "ok") for name in "abc")
    assert merged([None, b, None], [a, c]) == [a, b, c]
