"""Concurrent refresh: local and HTTP feeds together, failures isolated."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader import parse_pool, refresh
from newsreader.model import FeedConfig, FeedOutcome, FeedSettings, FetchResult, FetchState
from newsreader.refresh import refresh_feeds
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
    from newsreader.formats.feed import items as feedmod

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


class _SlowParse:
    """A source whose document takes 0.3 s on the run's one parser thread."""

    name = "slow-parse"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: object) -> FetchResult:
        await context.run_parser(time.sleep, 0.3)  # type: ignore[attr-defined]
        return FetchResult(feed=None, state=state)


def test_time_in_line_for_the_parser_is_not_counted_against_a_feed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feeds waiting behind other feeds' parses were given up ("gave up") at their deadline."""
    monkeypatch.setattr(refresh, "_source", lambda name: _SlowParse())
    monkeypatch.setattr(refresh, "_deadline", lambda feed: 1.0)
    feeds = [FeedConfig(name=f"P{i}", source="slow-parse", target=f"p://{i}") for i in range(8)]
    started = time.monotonic()
    outcomes = run(feeds, store)
    assert [o.status for o in outcomes] == ["not modified"] * 8, [o.error for o in outcomes]
    assert time.monotonic() - started < 8 * 0.3 + 1.0


def test_a_parse_that_hangs_still_gives_up_at_the_deadline(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leaving the queue off the clock must not leave the parse itself off it."""

    class _Stuck(_SlowParse):
        async def fetch(self, feed: FeedConfig, state: FetchState, context: object) -> FetchResult:
            await context.run_parser(time.sleep, 1.5)  # type: ignore[attr-defined]
            return FetchResult(feed=None, state=state)

    monkeypatch.setattr(refresh, "_source", lambda name: _Stuck())
    monkeypatch.setattr(refresh, "_deadline", lambda feed: 0.5)
    started = time.monotonic()
    [outcome] = run([FeedConfig(name="Stuck", source="stuck", target="p://stuck")], store)
    assert outcome.error == "p://stuck: gave up (no result after 0.5 s)"
    assert time.monotonic() - started < 1.4


class _Chatty:
    """A source that fails with a megabyte of text (a server's, passed on)."""

    name = "chatty"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: object) -> FetchResult:
        raise RuntimeError("Nope " * 200_000)


def test_a_failure_line_is_bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source's megabyte of error text was stored and printed whole, for every run."""
    monkeypatch.setattr(refresh, "_source", lambda name: _Chatty())
    [outcome] = run([FeedConfig(name="Chatty", source="chatty", target="c://x")], store)
    assert outcome.error is not None and outcome.error.startswith("c://x: source 'chatty' failed")
    assert len(outcome.error) == refresh.MAX_ERROR_LINE
    assert store.schedule("Chatty").last_error == outcome.error


class _Bytes:
    """A third-party source of the second protocol: it hands over bytes to be parsed."""

    name = "bytes"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: object) -> object:
        from newsreader.model import Document, Retrieved

        data = make_rss("Given", [("g1", "Handed over")]).encode()
        return Retrieved((Document(data, address=feed.target),), state=FetchState(etag='"e"'))


def test_a_source_that_hands_over_bytes_is_parsed_by_the_refresh(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh, "_source", lambda name: _Bytes())
    [outcome] = run([FeedConfig(name="B", source="bytes", target="b://x")], store)
    assert (outcome.status, outcome.new) == ("ok", 1), outcome.error
    assert [h.title for h in store.headlines(["B"])] == ["Handed over"]
    assert store.fetch_state("B") == FetchState(etag='"e"')


def _feeds(folder: Path, count: int) -> list[FeedConfig]:
    folder.mkdir(exist_ok=True)
    feeds = []
    for i in range(count):
        path = folder / f"f{i}.xml"
        rss = make_rss(f"Feed {i}", [(f"g{i}-{n}", f"Story {i}.{n}") for n in range(5)])
        heading = "&lt;h2&gt;Heading&lt;/h2&gt;&lt;p&gt;Body of"
        path.write_text(rss.replace("&lt;p&gt;Body of", heading), encoding="utf-8")
        feeds.append(FeedConfig(name=f"Feed {i}", source="local", target=str(path)))
    return feeds


def _stored(store: Store) -> list[tuple[str, str, str | None, str]]:
    rows = []
    for name in store.feed_statuses():
        for s in store.articles(name):
            rows.append((s.article.id, s.article.text, s.article.summary, s.article.markdown))
    return sorted(rows)


def test_a_large_run_parses_in_worker_processes_and_stores_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_pool.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    feeds = _feeds(tmp_path / "feeds", parse_pool.POOL_FROM + 4)
    assert parse_pool.parse_workers(len(feeds)) == 1  # this process has the other core
    assert parse_pool.parse_workers(parse_pool.POOL_FROM - 1) == 0
    monkeypatch.setattr(parse_pool.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert parse_pool.parse_workers(len(feeds)) == 2
    used: list[int] = []
    real = parse_pool.ParsePool._run_in_worker

    async def counting(self: parse_pool.ParsePool, fn: object, *args: object) -> object:
        used.append(1)
        return await real(self, fn, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_pool.ParsePool, "_run_in_worker", counting)
    with Store.open(tmp_path / "pool.db") as pooled:
        pooled.sync_feeds(feeds)
        outcomes = run(feeds, pooled)
        assert [(o.status, o.new) for o in outcomes] == [("ok", 5)] * len(feeds)
        assert len(used) == len(feeds)
        in_workers = _stored(pooled)
    monkeypatch.setattr(parse_pool, "POOL_FROM", 10**6)
    with Store.open(tmp_path / "thread.db") as threaded:
        threaded.sync_feeds(feeds)
        run(feeds, threaded)
        assert _stored(threaded) == in_workers
    assert len(used) == len(feeds)
    assert "## Heading" in in_workers[0][3]


def test_a_dead_worker_is_one_line_naming_the_feed() -> None:
    from concurrent.futures.process import BrokenProcessPool

    feed = FeedConfig(name="Crash", source="local", target="/feeds/crash.xml")
    line = refresh._one_line(feed, BrokenProcessPool("gone"))
    assert line == "/feeds/crash.xml: the parser process stopped while reading it"
