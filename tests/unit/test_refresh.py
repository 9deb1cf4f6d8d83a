"""Concurrent refresh: local and HTTP feeds together, failures isolated."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader import refresh
from newsreader.config import FeedConfig, FeedSettings
from newsreader.refresh import FeedOutcome, refresh_feeds
from newsreader.sources.base import FetchResult, FetchState
from newsreader.store import Store
from tests.support.httpserver import FeedServer, make_rss


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "news.db") as st:
        yield st


def run(feeds: list[FeedConfig], store: Store, **kw: object) -> list[FeedOutcome]:
    store.sync_feeds(feeds)
    return asyncio.run(refresh_feeds(feeds, store, **kw))  # type: ignore[arg-type]


def test_local_and_http_feeds_are_stored_and_a_failure_stops_nothing(
    tmp_path: Path, server: FeedServer, store: Store
) -> None:
    local = tmp_path / "local.xml"
    local.write_text(make_rss("Local", [("l1", "Local one")]), encoding="utf-8")
    good = server.add("/good.xml", make_rss("Good", [("g1", "G1"), ("g2", "G2")]), etag='"g"')
    bad = server.add("/bad.xml", "boom", status=500)
    feeds = [
        FeedConfig(name="Local", source="local", target=str(local)),
        FeedConfig(name="Bad", source="http", target=bad),
        FeedConfig(name="Good", source="http", target=good),
    ]
    seen: list[str] = []
    outcomes = run(feeds, store, on_progress=lambda o: seen.append(o.name))
    assert [(o.name, o.status, o.new, o.total) for o in outcomes] == [
        ("Local", "ok", 1, 1),
        ("Bad", "error", 0, 0),
        ("Good", "ok", 2, 2),
    ]
    assert outcomes[1].error == f"{bad}: HTTP 500 Internal Server Error"
    assert sorted(seen) == ["Bad", "Good", "Local"]
    statuses = store.feed_statuses()
    assert statuses["Bad"].last_error == outcomes[1].error
    assert statuses["Good"].total == 2 and statuses["Good"].last_error is None


def test_the_second_refresh_is_conditional(
    tmp_path: Path, server: FeedServer, store: Store
) -> None:
    local = tmp_path / "local.xml"
    local.write_text(make_rss("Local", [("l1", "Local one")]), encoding="utf-8")
    url = server.add("/feed.xml", make_rss("Good", [("g1", "G1")]), etag='"g"')
    feeds = [
        FeedConfig(name="Local", source="local", target=str(local)),
        FeedConfig(name="Good", source="http", target=url),
    ]
    run(feeds, store)
    second = run(feeds, store)
    assert [(o.status, o.new, o.total) for o in second] == [
        ("not modified", 0, 1),
        ("not modified", 0, 1),
    ]
    assert server.seen("/feed.xml")[-1].headers["if-none-match"] == '"g"'


def test_a_failing_feed_keeps_its_articles(server: FeedServer, store: Store) -> None:
    url = server.add("/feed.xml", make_rss("Good", [("g1", "G1")]))
    feeds = [FeedConfig(name="Flaky", source="http", target=url)]
    run(feeds, store)
    server.add("/feed.xml", "down", status=503)
    [outcome] = run(feeds, store)
    assert (outcome.status, outcome.total) == ("error", 1)
    assert [h.title for h in store.headlines()] == ["G1"]


class _Exploding:
    name = "exploding"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: object) -> FetchResult:
        raise RuntimeError("plugin bug\nwith two lines")


class _Hanging:
    name = "hanging"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: object) -> FetchResult:
        await asyncio.sleep(60)
        raise AssertionError("not reached")


def test_a_plugin_crash_or_hang_is_one_line_naming_the_feed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = {"exploding": _Exploding(), "hanging": _Hanging()}
    monkeypatch.setattr(refresh, "_source", lambda name: sources[name])
    monkeypatch.setattr(refresh, "_deadline", lambda feed: 0.2)
    feeds = [
        FeedConfig(name="Boom", source="exploding", target="almanac://boom"),
        FeedConfig(name="Stuck", source="hanging", target="almanac://stuck"),
    ]
    started = time.monotonic()
    outcomes = run(feeds, store)
    assert time.monotonic() - started < 5
    assert outcomes[0].error == (
        "almanac://boom: source 'exploding' failed (RuntimeError: plugin bug with two lines)"
    )
    assert outcomes[1].error == "almanac://stuck: gave up (no result after 0.2 s)"


def test_an_unknown_source_is_an_error_for_that_feed_only(tmp_path: Path, store: Store) -> None:
    local = tmp_path / "local.xml"
    local.write_text(make_rss("Local", [("l1", "Local one")]), encoding="utf-8")
    feeds = [
        FeedConfig(name="Nope", source="no-such-plugin", target="x"),
        FeedConfig(name="Local", source="local", target=str(local)),
    ]
    outcomes = run(feeds, store)
    assert outcomes[0].status == "error" and "no-such-plugin" in (outcomes[0].error or "")
    assert outcomes[1].status == "ok"


def test_feeds_on_one_slow_host_run_concurrently(server: FeedServer, store: Store) -> None:
    feeds = [
        FeedConfig(
            name=f"Slow {n}",
            source="http",
            target=server.add(f"/slow{n}.xml", make_rss("S", [(f"s{n}", "S")]), delay=0.4),
            settings=FeedSettings(timeout_seconds=5),
        )
        for n in range(4)
    ]
    started = time.monotonic()
    outcomes = run(feeds, store)
    elapsed = time.monotonic() - started
    assert all(o.status == "ok" for o in outcomes)
    assert elapsed < 1.2  # four 0.4 s answers in parallel, not 1.6 s in a row


def test_a_partly_readable_folder_is_stored_with_a_warning(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.xml").write_text(make_rss("A", [("a1", "Readable")]), encoding="utf-8")
    (folder / "b.bin").write_bytes(b"\x00\x01" * 100)
    [outcome] = run([FeedConfig(name="Pages", source="local", target=str(folder))], store)
    assert (outcome.status, outcome.new) == ("ok", 1)
    assert outcome.failed
    assert len(outcome.warnings) == 1 and str(folder / "b.bin") in outcome.warnings[0]
    assert store.feed_statuses()["Pages"].last_error == outcome.warnings[0]


def test_a_body_that_cannot_be_converted_fails_its_feed_only(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bodies become text when stored: a converter fault there is still one feed's line."""
    from newsreader.formats import feed as feedmod

    real = feedmod.html_to_text

    def picky(html: str, base: str | None = None) -> str:
        if "Cursed" in html:
            raise RuntimeError("converter fault")
        return real(html, base)

    monkeypatch.setattr(feedmod, "html_to_text", picky)
    cursed, fine = tmp_path / "cursed.xml", tmp_path / "fine.xml"
    cursed.write_text(make_rss("Cursed", [("c1", "Cursed")]), encoding="utf-8")
    fine.write_text(make_rss("Fine", [("f1", "Fine")]), encoding="utf-8")
    feeds = [
        FeedConfig(name="Cursed", source="local", target=str(cursed)),
        FeedConfig(name="Fine", source="local", target=str(fine)),
    ]
    outcomes = run(feeds, store)
    assert [(o.name, o.status, o.total) for o in outcomes] == [
        ("Cursed", "error", 0),
        ("Fine", "ok", 1),
    ]
    error = outcomes[0].error or ""
    assert error.startswith(f"{cursed}: ") and "converter fault" in error
    assert "\n" not in error
