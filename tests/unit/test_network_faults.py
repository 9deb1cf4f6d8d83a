"""Network faults against real servers on 127.0.0.1: one line each, nothing stored is lost.

Every fault of the hardening issue has a test here; the last test runs ``newsreader
fetch`` over a config that mixes all of them with five good feeds.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from newsreader.errors import NewsreaderError, SourceError
from newsreader.model import FeedConfig, FeedSettings, FetchResult, FetchState
from newsreader.parse_stage import feed_links, fetch_parsed
from newsreader.refresh import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    FeedOutcome,
    RunContext,
    backoff_seconds,
    refresh_feeds,
)
from newsreader.sources.http import HttpSource
from newsreader.sources.http_errors import retry_after_seconds
from newsreader.store import Store
from tests.support.httpserver import FeedServer, RawServer, gzip_bomb, make_rss, refused_url

NEWSREADER = Path(sys.executable).parent / "newsreader"
RSS = make_rss("Harbour notes", [("a1", "Ferry timetable changes"), ("a2", "New pier lights")])
TIMEOUT = 1.0
LOGIN_PAGE = (
    "<!doctype html><html><head><title>Sign in</title>"
    '<link rel="alternate" type="application/rss+xml" title="News" href="/news/rss.xml">'
    "</head><body><form><input name=user><input name=pass type=password></form></body></html>"
)
ARTICLE_PAGE = (
    "<!doctype html><html><head><title>Harbour</title></head><body><article>"
    "<h1>Harbour wall repaired</h1>"
    + "<p>The council finished repairing the old harbour wall after the winter storms.</p>" * 5
    + "</article></body></html>"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "news.db") as st:
        yield st


MB = 1024 * 1024


def feed_config(
    url: str, name: str = "Harbour", timeout: float = TIMEOUT, max_bytes: int = 4 * MB
) -> FeedConfig:
    settings = FeedSettings(timeout_seconds=timeout, max_bytes=max_bytes)
    return FeedConfig(name=name, source="http", target=url, settings=settings)


def fetch(
    url: str, state: FetchState | None = None, timeout: float = TIMEOUT, max_bytes: int = MB
) -> FetchResult:
    async def run() -> FetchResult:
        context = RunContext()
        try:
            return await fetch_parsed(
                HttpSource(),
                feed_config(url, timeout=timeout, max_bytes=max_bytes),
                state or FetchState(),
                context,
            )
        finally:
            await context.aclose()

    return asyncio.run(run())


def failure(url: str, **kw: object) -> str:
    with pytest.raises(NewsreaderError) as caught:
        fetch(url, **kw)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{url}: ")
    return message[len(url) + 2 :]


def refresh(feeds: list[FeedConfig], store: Store, clock: float | None = None) -> list[FeedOutcome]:
    kw = {} if clock is None else {"clock": lambda: clock}
    return asyncio.run(refresh_feeds(feeds, store, **kw))  # type: ignore[arg-type]


# -- each fault is one line ---------------------------------------------------------------


def test_a_refused_connection() -> None:
    assert failure(refused_url()) == "connection refused"


def test_an_unresolvable_host() -> None:
    assert failure("http://no-such-host.invalid/feed.xml") == "host not found (DNS lookup failed)"


def test_a_server_that_accepts_and_never_answers() -> None:
    with RawServer("silent") as raw:
        started = time.monotonic()
        problem = failure(raw.url(), timeout=0.5)
        assert time.monotonic() - started < 2.0
    assert problem.startswith("timed out")


def test_a_server_that_trickles_bytes_is_cut_off_at_the_timeout() -> None:
    """Each byte comes well within the read timeout; only the whole-answer deadline stops it."""
    with RawServer("trickle", interval=0.05) as raw:
        started = time.monotonic()
        problem = failure(raw.url(), timeout=0.6)
        elapsed = time.monotonic() - started
    assert problem == "timed out (no complete answer within 0.6 s)"
    assert 0.5 < elapsed < 1.6


def test_an_endless_body_stops_at_the_size_cap() -> None:
    with RawServer("endless") as raw:
        assert failure(raw.url(), timeout=5) == "response larger than 1 MB"


def test_a_gzip_bomb_is_cut_off_without_inflating_it_in_memory(
    server: FeedServer,
) -> None:
    """Regression: httpx inflated each 64 KB network chunk whole (+128 MB for a 1 GB bomb)."""
    bomb = gzip_bomb(128 * 1024 * 1024)
    url = server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        problem = failure(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem == "response larger than 1 MB"
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_a_brotli_bomb_is_cut_off_too(server: FeedServer) -> None:
    import brotli

    url = server.add(
        "/bomb.xml",
        brotli.compress(b"\0" * (16 << 20), quality=1),
        headers={"Content-Encoding": "br"},
    )
    assert failure(url) == "response larger than 1 MB"


def test_a_broken_gzip_body_is_one_line(server: FeedServer) -> None:
    url = server.add(
        "/bad.xml", b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"}
    )
    assert failure(url) == "the response could not be decompressed"


def test_a_redirect_loop(server: FeedServer) -> None:
    server.redirect("/a", server.url("/b"), status=302)
    url = server.redirect("/b", server.url("/a"), status=302)
    assert failure(url) == "too many redirects (more than 10, a redirect loop?)"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://files.invalid/feed.xml"])
def test_a_redirect_to_a_scheme_that_is_not_http(server: FeedServer, target: str) -> None:
    url = server.redirect("/moved", target, status=301)
    scheme = target.split(":")[0]
    assert failure(url) == f"redirected to a URL that is not HTTP ({scheme}:), not followed"


@pytest.mark.parametrize(
    ("status", "line"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
        (503, "HTTP 503 Service Unavailable"),
        (429, "HTTP 429 Too Many Requests"),
    ],
)
def test_http_error_statuses(server: FeedServer, status: int, line: str) -> None:
    url = server.add("/feed.xml", "nope", status=status, content_type="text/plain")
    assert failure(url) == line


def test_retry_after_is_reported_in_the_line(server: FeedServer) -> None:
    url = server.add("/feed.xml", "", status=429, headers={"Retry-After": "120"})
    assert failure(url) == "HTTP 429 Too Many Requests (asked to wait 120 s)"


def test_retry_after_reads_seconds_and_http_dates_and_is_capped() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(minutes=10), usegmt=True)
    assert retry_after_seconds("90", now.timestamp()) == 90
    assert retry_after_seconds(later, now.timestamp()) == 600
    assert retry_after_seconds("999999999", now.timestamp()) == 24 * 3600
    assert retry_after_seconds("soon", now.timestamp()) is None
    assert retry_after_seconds("-5", now.timestamp()) is None


def test_a_certificate_nobody_trusts() -> None:
    with FeedServer(tls=True) as tls:
        url = tls.add("/feed.xml", RSS)
        problem = failure(url)
    assert problem.startswith("TLS error: certificate not accepted (")


def test_tls_spoken_to_a_plain_http_server(server: FeedServer) -> None:
    url = server.add("/feed.xml", RSS).replace("http://", "https://")
    assert failure(url).startswith("TLS error")


@pytest.mark.parametrize("ctype", ["image/png", "text/html", "text/plain", "application/json"])
def test_a_feed_served_with_a_wrong_content_type_is_still_read(
    server: FeedServer, ctype: str
) -> None:
    url = server.add("/feed.xml", RSS, content_type=ctype)
    result = fetch(url)
    assert result.feed is not None and len(result.feed.articles) == 2


def test_binary_data_served_as_a_feed_is_one_line(server: FeedServer) -> None:
    url = server.add("/feed.xml", bytes(range(256)) * 8, content_type="application/rss+xml")
    assert "not a feed" in failure(url)


def test_an_html_page_where_a_feed_was_expected_names_the_feed_it_links_to(
    server: FeedServer,
) -> None:
    url = server.add("/news/", LOGIN_PAGE, content_type="text/html; charset=utf-8")
    assert failure(url) == (
        f"an HTML page, not a feed (the page names its feed: {server.url('/news/rss.xml')})"
    )


def test_an_article_page_where_a_feed_used_to_be_is_refused(server: FeedServer) -> None:
    """A feed URL that starts serving an HTML page (a parked domain, a redesign) is a fault."""
    url = server.add("/feed.xml", RSS)
    first = fetch(url)
    server.add("/feed.xml", ARTICLE_PAGE, content_type="text/html")
    with pytest.raises(SourceError, match=r"an HTML page, not a feed$"):
        fetch(url, first.state)


def test_an_article_page_is_still_read_as_an_article(server: FeedServer) -> None:
    """``newsreader open URL`` of a page: a page never seen as a feed is one article."""
    url = server.add("/story.html", ARTICLE_PAGE, content_type="text/html")
    result = fetch(url)
    assert result.feed is not None
    assert [a.title for a in result.feed.articles] == ["Harbour wall repaired"]


def test_feed_links_are_absolute_and_only_feeds() -> None:
    page = (
        b'<link rel="stylesheet" href="/a.css"><LINK REL="Alternate" TYPE="application/atom+xml"'
        b" href='atom.xml'><link rel=alternate type=application/feed+json href=/f.json?a=1&amp;b=2>"
        b'<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
    )
    assert feed_links(page, "http://site.example.org/blog/") == [
        "http://site.example.org/blog/atom.xml",
        "http://site.example.org/f.json?a=1&b=2",
    ]


# -- through the refresh: stored articles stay, others are not slowed ------------------------


def _faults(server: FeedServer, raws: dict[str, RawServer]) -> dict[str, str]:
    """Fault name -> URL, every one on this machine."""
    server.redirect("/loop-a", server.url("/loop-b"), status=302)
    return {
        "refused": refused_url(),
        "dns": "http://no-such-host.invalid/feed.xml",
        "silent": raws["silent"].url(),
        "trickle": raws["trickle"].url(),
        "endless": raws["endless"].url(),
        "bomb": server.add("/bomb.xml", gzip_bomb(32 << 20), headers={"Content-Encoding": "gzip"}),
        "loop": server.redirect("/loop-b", server.url("/loop-a"), status=302),
        "scheme": server.redirect("/to-file", "file:///etc/passwd"),
        "404": server.add("/404", "", status=404),
        "410": server.add("/410", "", status=410),
        "500": server.add("/500", "", status=500),
        "503": server.add("/503", "", status=503),
        "429": server.add("/429", "", status=429, headers={"Retry-After": "3600"}),
        "ctype": server.add("/ctype", bytes(range(256)) * 4, content_type="application/rss+xml"),
        "html": server.add("/html", LOGIN_PAGE, content_type="text/html"),
    }


@pytest.fixture
def raws() -> Iterator[dict[str, RawServer]]:
    with (
        RawServer("silent") as silent,
        RawServer("trickle", interval=0.1) as trickle,
        RawServer("endless") as endless,
    ):
        yield {"silent": silent, "trickle": trickle, "endless": endless}


def test_every_fault_keeps_what_was_stored_and_does_not_slow_the_good_feeds(
    server: FeedServer, store: Store, raws: dict[str, RawServer]
) -> None:
    faults = _faults(server, raws)
    good = [
        server.add(f"/good{i}.xml", make_rss(f"Good {i}", [(f"g{i}", "Fine")])) for i in range(5)
    ]
    first = [feed_config(server.add(f"/first-{n}.xml", RSS), name=n) for n in faults]
    assert all(o.status == "ok" for o in refresh(first, store))

    feeds = [feed_config(url, name=n) for n, url in faults.items()]
    feeds += [feed_config(url, name=f"good{i}") for i, url in enumerate(good)]
    done: dict[str, float] = {}
    started = time.monotonic()

    def progress(outcome: FeedOutcome) -> None:
        done[outcome.name] = time.monotonic() - started

    outcomes = asyncio.run(refresh_feeds(feeds, store, on_progress=progress))
    total = time.monotonic() - started
    by_name = {o.name: o for o in outcomes}
    for name, url in faults.items():
        outcome = by_name[name]
        assert outcome.status == "error", name
        assert outcome.error is not None and outcome.error.startswith(f"{url}: "), name
        assert "\n" not in outcome.error
        assert outcome.total == 2, name  # the articles of the good first fetch
        assert store.schedule(name).last_error == outcome.error
    assert [by_name[f"good{i}"].status for i in range(5)] == ["ok"] * 5
    assert max(done[f"good{i}"] for i in range(5)) < 1.0 + TIMEOUT / 2
    assert total < TIMEOUT + 2.0


def test_a_429_is_not_asked_again_before_retry_after(server: FeedServer, store: Store) -> None:
    url = server.add("/feed.xml", "", status=429, headers={"Retry-After": "120"})
    feeds = [feed_config(url)]
    now = time.time()
    [first] = refresh(feeds, store, clock=now)
    assert (
        first.status == "error"
        and first.error == f"{url}: HTTP 429 Too Many Requests (asked to wait 120 s)"
    )
    [second] = refresh(feeds, store, clock=now + 60)
    assert second.status == "waiting"
    assert second.error is not None and second.error.startswith(f"{url}: not asked again before ")
    assert "HTTP 429" in second.error and "\n" not in second.error
    assert len(server.seen("/feed.xml")) == 1
    server.add("/feed.xml", RSS)
    [third] = refresh(feeds, store, clock=now + 125)
    assert third.status == "ok" and third.new == 2
    assert len(server.seen("/feed.xml")) == 2
    assert store.schedule("Harbour").failures == 0


def test_a_503_with_retry_after_is_honoured_too(server: FeedServer, store: Store) -> None:
    url = server.add("/feed.xml", "", status=503, headers={"Retry-After": "30"})
    now = time.time()
    refresh([feed_config(url)], store, clock=now)
    [again] = refresh([feed_config(url)], store, clock=now + 10)
    assert again.status == "waiting" and len(server.seen("/feed.xml")) == 1


def test_backoff_doubles_per_failure_up_to_a_cap() -> None:
    assert backoff_seconds(1) == 0
    assert backoff_seconds(2) == BACKOFF_BASE
    assert backoff_seconds(3) == 2 * BACKOFF_BASE
    assert backoff_seconds(4) == 4 * BACKOFF_BASE
    assert backoff_seconds(50) == BACKOFF_CAP
    assert backoff_seconds(10_000) == BACKOFF_CAP


def test_a_feed_that_keeps_failing_backs_off(server: FeedServer, store: Store) -> None:
    url = server.add("/feed.xml", "", status=500)
    feeds = [feed_config(url)]
    now = time.time()
    refresh(feeds, store, clock=now)  # first failure: tried again next time
    refresh(feeds, store, clock=now + 1)  # second: waits BACKOFF_BASE
    assert len(server.seen("/feed.xml")) == 2
    schedule = store.schedule("Harbour")
    assert schedule.failures == 2
    assert schedule.next_attempt is not None
    assert abs(schedule.next_attempt.timestamp() - (now + 1 + BACKOFF_BASE)) < 2
    [waiting] = refresh(feeds, store, clock=now + BACKOFF_BASE - 10)
    assert waiting.status == "waiting" and "2 failed fetches in a row" in (waiting.error or "")
    assert len(server.seen("/feed.xml")) == 2
    refresh(feeds, store, clock=now + BACKOFF_BASE + 5)  # third failure: twice as long
    assert len(server.seen("/feed.xml")) == 3
    third = store.schedule("Harbour").next_attempt
    assert third is not None
    assert abs(third.timestamp() - (now + 3 * BACKOFF_BASE + 5)) < 2


def test_a_local_file_never_backs_off(tmp_path: Path, store: Store) -> None:
    feed = FeedConfig(name="Local", source="local", target=str(tmp_path / "missing.xml"))
    for _ in range(4):
        [outcome] = refresh([feed], store)
        assert outcome.status == "error"
    assert store.schedule("Local").next_attempt is None
    (tmp_path / "missing.xml").write_text(RSS, encoding="utf-8")
    [fixed] = refresh([feed], store)
    assert fixed.status == "ok"


def test_changing_a_feeds_url_clears_its_backoff(server: FeedServer, store: Store) -> None:
    bad = server.add("/bad.xml", "", status=429, headers={"Retry-After": "3600"})
    store.sync_feeds([feed_config(bad)])
    refresh([feed_config(bad)], store)
    assert store.schedule("Harbour").next_attempt is not None
    good = server.add("/good.xml", RSS)
    store.sync_feeds([feed_config(good)])
    [outcome] = refresh([feed_config(good)], store)
    assert outcome.status == "ok"


# -- the command over a mix of every fault ---------------------------------------------------


def test_fetch_over_every_fault_and_five_good_feeds(
    tmp_path: Path, server: FeedServer, raws: dict[str, RawServer]
) -> None:
    faults = _faults(server, raws)
    good = {
        f"Good {i}": server.add(f"/good{i}.xml", make_rss(f"Good {i}", [(f"g{i}", f"Story {i}")]))
        for i in range(5)
    }
    timeout = 2
    lines = [f"settings: {{timeout: {timeout}}}", "feeds:"]
    lines += [f"  - {{name: '{n}', url: '{u}'}}" for n, u in {**faults, **good}.items()]
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    started = time.monotonic()
    done = subprocess.run(
        [str(NEWSREADER), "fetch", "--config", str(cfg), "--db", str(db)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    errors = done.stderr.splitlines()
    assert len(errors) == len(faults), done.stderr
    for url in faults.values():
        assert sum(line.startswith(f"newsreader: {url}: ") for line in errors) == 1, url
    assert "Traceback" not in done.stderr
    assert elapsed < timeout + 4.0

    listed = subprocess.run(
        [str(NEWSREADER), "list", "--json", "--config", str(cfg), "--db", str(db)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    stored = {f["name"]: f for f in json.loads(listed.stdout)["feeds"]}
    for i, name in enumerate(good):
        assert [a["title"] for a in stored[name]["articles"]] == [f"Story {i}"]
        assert stored[name]["last_error"] is None
    for name in faults:
        assert stored[name]["articles"] == [] and stored[name]["last_error"]


def test_a_forced_refresh_asks_a_feed_that_waits(server: FeedServer, store: Store) -> None:
    """The reader's r and R: a person asked, so backoff and Retry-After give way."""
    url = server.add("/feed.xml", "", status=429, headers={"Retry-After": "3600"})
    feeds = [feed_config(url)]
    now = time.time()
    refresh(feeds, store, clock=now)
    server.add("/feed.xml", RSS)
    [waiting] = refresh(feeds, store, clock=now + 60)
    assert waiting.status == "waiting" and len(server.seen("/feed.xml")) == 1
    [forced] = asyncio.run(refresh_feeds(feeds, store, clock=lambda: now + 61, force=True))
    assert forced.status == "ok" and forced.new == 2
    assert len(server.seen("/feed.xml")) == 2
    assert store.schedule("Harbour").next_attempt is None
