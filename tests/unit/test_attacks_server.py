"""Attacks by a server, each against real servers on 127.0.0.1 started by the test.

A server controls every byte of its answer and how long it takes. Covered here:

- validators that cannot be sent back (non-ASCII, raw bytes, overlong), from the wire
  or already in the database, never break a feed's later fetches;
- Retry-After in every shape (``²``, huge, negative, NaN, dates out of range) and
  Content-Encoding lists (thousands of ``gzip``, unknown, ``identity``, stacked) are
  read with bounds: ignored or one line naming the URL, and ``dump`` goes on;
- a Content-Length that is not a number of bytes, an absurd Content-Type, a reason
  phrase or a Location full of junk: bounded, one line;
- a permanent redirect to an overlong URL is not kept as the feed's new address;
- many feeds on one slow server are queued, not timed out: 40 answering in 12 s are
  all stored; servers that hang never starve a healthy one, and the errors name them;
- headers a feed configures (API keys, tokens, Authorization, Cookie) never follow a
  redirect to another origin.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader import refresh as refresh_module
from newsreader.errors import SourceError
from newsreader.model import (
    MAX_VALIDATOR,
    FeedConfig,
    FeedOutcome,
    FeedSettings,
    FetchState,
    sendable_validator,
)
from newsreader.refresh import refresh_feeds
from newsreader.sources.http import fetch_url_sync
from newsreader.sources.http_errors import MAX_RETRY_AFTER, MAX_SERVER_TEXT, retry_after_seconds
from newsreader.store import Store
from tests.support.httpserver import FeedServer, RawServer, make_rss

NEWSREADER = Path(sys.executable).parent / "newsreader"
RSS = make_rss("Harbour notes", [("a1", "Ferry timetable changes"), ("a2", "New pier lights")])
C0_C1_BIDI = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u202e", "\u2028"}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "news.db") as st_:
        yield st_


def feed(url: str, name: str = "Harbour", timeout: float = 2.0, **settings: object) -> FeedConfig:
    options = FeedSettings(timeout_seconds=timeout, **settings)  # type: ignore[arg-type]
    return FeedConfig(name=name, source="http", target=url, settings=options)


def refresh(feeds: list[FeedConfig], store: Store) -> list[FeedOutcome]:
    store.sync_feeds(feeds)
    return asyncio.run(refresh_feeds(feeds, store))


def one_line(url: str) -> str:
    """The problem of the one line a fetch of ``url`` fails with."""
    with pytest.raises(SourceError) as caught:
        fetch_url_sync(url, timeout=2.0)
    message = str(caught.value)
    assert message.startswith(f"{url}: ") and not C0_C1_BIDI & set(message), message
    return message[len(url) + 2 :]


def run(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSREADER), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


# -- validators -----------------------------------------------------------------------------

BAD_VALIDATORS = {
    "utf-8 bytes": b'"caf\xc3\xa9"',
    "a latin-1 byte": b'"caf\xe9"',
    "overlong": b'"' + b"a" * (MAX_VALIDATOR + 10) + b'"',
}


@pytest.mark.parametrize("raw", BAD_VALIDATORS.values(), ids=BAD_VALIDATORS.keys())
def test_an_unsendable_etag_or_last_modified_never_breaks_the_next_fetch(
    server: FeedServer, store: Store, raw: bytes
) -> None:
    """A non-ASCII ETag (``"café"``) made every later request fail before it was sent."""
    lines = (b"ETag: " + raw, b"Last-Modified: " + raw.replace(b'"', b""))
    url = server.add("/feed.xml", RSS, raw_headers=lines)
    for _ in range(3):
        [outcome] = refresh([feed(url)], store)
        assert outcome.status == "ok", outcome.error
    assert len(server.seen("/feed.xml")) == 3
    assert store.fetch_state("Harbour") == FetchState(was_feed=True)
    sent = server.seen("/feed.xml")[-1].headers
    assert "if-none-match" not in sent and "if-modified-since" not in sent

    server.add("/feed.xml", RSS, etag='"v2"')  # the server is fixed: conditional again
    refresh([feed(url)], store)
    [again] = refresh([feed(url)], store)
    assert again.status == "not modified"
    assert server.seen("/feed.xml")[-1].headers["if-none-match"] == '"v2"'


def test_an_unsendable_validator_on_a_304_keeps_the_stored_one(
    server: FeedServer, store: Store
) -> None:
    """A 304 carrying a non-ASCII ETag must not replace a good stored one with it."""
    url = server.add("/feed.xml", RSS, etag='"v1"')
    refresh([feed(url)], store)
    server.add("/feed.xml", RSS, etag='"v1"', raw_headers=(b'ETag: "caf\xc3\xa9"',))
    [second] = refresh([feed(url)], store)
    assert second.status in ("ok", "not modified")
    [third] = refresh([feed(url)], store)
    assert third.status in ("ok", "not modified"), third.error


def test_a_bad_validator_already_in_the_database_does_not_break_the_feed(
    tmp_path: Path, server: FeedServer
) -> None:
    """Databases written before validators were checked may hold ``"café"``: still fetched."""
    url = server.add("/feed.xml", RSS, etag='"v1"')
    db = tmp_path / "news.db"
    with Store.open(db) as first:
        first.sync_feeds([feed(url)])
    with sqlite3.connect(db) as raw:
        raw.execute(
            "UPDATE feeds SET etag = ?, last_modified = ? WHERE name = 'Harbour'",
            ('"café"', "Tue, 03 Mar 2026\r\nX-Evil: 1"),
        )
    with Store.open(db) as reopened:
        [outcome] = refresh([feed(url)], reopened)
        assert outcome.status == "ok", outcome.error
        assert reopened.fetch_state("Harbour").etag == '"v1"'
    sent = server.seen("/feed.xml")[0].headers
    assert "if-none-match" not in sent and "x-evil" not in sent


@pytest.mark.parametrize(
    "value",
    ['"café"', '"a\x01b"', 'W/"x"\r\nX-Evil: 1', "a" * (MAX_VALIDATOR + 1), " ", b'"v1"', 42],
)
def test_fetch_state_holds_only_validators_http_can_send(value: object) -> None:
    """Whatever makes a FetchState (an answer, a row, a plugin), its validators are sendable."""
    state = FetchState(etag=value, last_modified=value)  # type: ignore[arg-type]
    assert state.etag is None and state.last_modified is None


def test_good_validators_are_kept_as_they_came() -> None:
    """The check drops nothing a well-behaved server sends (weak ETags, HTTP dates)."""
    for value in ('"v1"', 'W/"0815-abc"', "Tue, 03 Mar 2026 10:00:00 GMT", "*"):
        assert sendable_validator(value) == value
        assert FetchState(etag=value).etag == value
    assert sendable_validator('  "v1"\t') == '"v1"'


# -- Retry-After, Content-Encoding, Content-Length, reason phrase ---------------------------

RETRY_AFTERS = [
    "²",
    "٣",
    "9" * 5000,
    "-5",
    "1.5",
    "nan",
    "inf",
    "1e400",
    "Fri, 31 Dec 9999 23:59:59 -1400",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "Sat, 01 Jan 0000 00:00:00 GMT",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Wed, 21 Oct 2015 07:28:00 -0000",
    " 120 ",
    "",
    "x" * 10_000,
]


@pytest.mark.parametrize("value", RETRY_AFTERS)
def test_retry_after_in_any_shape_is_bounded_or_ignored(value: str) -> None:
    """``Retry-After: ²`` (a digit ``float()`` rejects) raised ValueError."""
    seconds = retry_after_seconds(value, now=time.time())
    assert seconds is None or 0.0 <= seconds <= MAX_RETRY_AFTER


@given(st.text(max_size=80))
def test_retry_after_never_raises(value: str) -> None:
    """Any text a server can put in Retry-After gives a bounded wait or none."""
    seconds = retry_after_seconds(value)
    assert seconds is None or 0.0 <= seconds <= MAX_RETRY_AFTER


def test_retry_after_reads_only_ascii_seconds() -> None:
    """Huge numbers are capped, fractions, signs and other scripts' digits ignored."""
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("9" * 5000) == MAX_RETRY_AFTER
    assert retry_after_seconds("²") is None
    assert retry_after_seconds("-5") is None
    assert retry_after_seconds("Fri, 31 Dec 9999 23:59:59 -1400") == MAX_RETRY_AFTER
    assert retry_after_seconds("Mon, 01 Jan 0001 00:00:00 +1400") in (None, 0.0)


@pytest.mark.parametrize("value", ["²", "9" * 5000, "Fri, 31 Dec 9999 23:59:59 -1400"])
def test_a_503_with_an_odd_retry_after_is_one_line(
    server: FeedServer, store: Store, value: str
) -> None:
    """The feed fails with its HTTP status as one line, and waits at most the cap (or, for a
    Retry-After that means nothing, as any failure does)."""
    url = server.add("/feed.xml", "", status=503, headers={"Retry-After": value})
    assert one_line(url).startswith("HTTP 503 Service Unavailable")
    [outcome] = refresh([feed(url)], store)
    assert outcome.status == "error" and outcome.error is not None
    assert outcome.error.startswith(f"{url}: HTTP 503 Service Unavailable")
    until = store.schedule("Harbour").next_attempt
    assert (until is None) == (value == "²")
    assert until is None or until.timestamp() <= time.time() + MAX_RETRY_AFTER + 5


def test_a_plugin_asking_for_an_endless_wait_is_bounded(store: Store) -> None:
    """``retry_after`` of 1e300, inf or NaN from a source overflowed the schedule."""

    class Endless(SourceError):
        retry_after: object = 1e300

    feeds = [FeedConfig(name="Endless", source="almanac", target="x")]
    store.sync_feeds(feeds)
    context = refresh_module.RunContext()
    schedule = store.schedule("Endless")
    for asked, waits in [(1e300, MAX_RETRY_AFTER), (float("inf"), 0), (float("nan"), 0)]:
        Endless.retry_after = asked
        before = time.time()
        refresh_module._failed(feeds[0], store, context, schedule, Endless("x", "y"))
        until = store.schedule("Endless").next_attempt
        assert (until is None) == (waits == 0)
        assert until is None or abs(until.timestamp() - before - waits) < 5


def test_content_encoding_listing_gzip_thousands_of_times_is_one_line(server: FeedServer) -> None:
    """``Content-Encoding: gzip, gzip, ...`` (2,000 times) gave an internal error."""
    line = b"Content-Encoding: " + b", ".join([b"gzip"] * 2000)
    url = server.add("/feed.xml", gzip.compress(RSS.encode()), raw_headers=(line,))
    assert one_line(url) == "too many Content-Encodings (2000, at most 3)"


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("identity", RSS.encode()),
        ("identity, gzip, identity", gzip.compress(RSS.encode())),
        ("GZIP", gzip.compress(RSS.encode())),
        ("gzip, gzip", gzip.compress(gzip.compress(RSS.encode()))),
        (" , gzip ,", gzip.compress(RSS.encode())),
    ],
)
def test_content_encodings_a_server_may_send_are_undone(
    server: FeedServer, header: str, body: bytes
) -> None:
    """Identity, case, stacked and padded codings are read; nothing else is needed."""
    url = server.add("/feed.xml", body, headers={"Content-Encoding": header})
    data, _, _ = fetch_url_sync(url, timeout=2.0)
    assert data == RSS.encode()


def test_an_unknown_content_encoding_is_one_line(server: FeedServer) -> None:
    url = server.add("/feed.xml", RSS, headers={"Content-Encoding": "gzip, X-Evil"})
    assert one_line(url) == "unsupported Content-Encoding 'x-evil'"


def test_dump_prints_the_other_targets_when_one_server_answers_nonsense(
    server: FeedServer,
) -> None:
    """One server's bad header stopped ``dump`` from printing any target."""
    good = server.add("/good.xml", RSS)
    retry = server.add("/retry.xml", "", status=503, headers={"Retry-After": "²"})
    line = b"Content-Encoding: " + b",".join([b"gzip"] * 3000)
    coded = server.add("/coded.xml", gzip.compress(RSS.encode()), raw_headers=(line,))
    done = run("dump", retry, coded, good)
    assert done.returncode == 1
    assert [f["source"] for f in json.loads(done.stdout)["feeds"]] == [good]
    errors = done.stderr.splitlines()
    assert len(errors) == 2 and "Traceback" not in done.stderr
    assert errors[0].startswith(f"newsreader: {retry}: HTTP 503")
    assert errors[1].startswith(f"newsreader: {coded}: too many Content-Encodings")


@pytest.mark.parametrize("length", [b"9" * 5000, b"-1", b"1e9", b"\xc2\xb2"])
def test_a_content_length_that_is_not_a_size_is_one_line_or_ignored(
    server: FeedServer, length: bytes
) -> None:
    """A Content-Length no parser should trust: refused or read, never an internal error."""
    lines = (b"Content-Length: " + length,)
    url = server.add("/feed.xml", RSS, headers={"Connection": "close"}, raw_headers=lines)
    try:
        data, _, _ = fetch_url_sync(url, timeout=2.0)
    except SourceError as exc:
        assert str(exc).startswith(f"{url}: ") and len(str(exc)) < len(url) + 300
    else:
        assert data == RSS.encode()


def test_a_reason_phrase_full_of_junk_is_one_short_plain_line(server: FeedServer) -> None:
    """The reason phrase is the server's text: bounded, no controls, no markup parsing."""
    reason = "[/][bold red]" + "Nope " * 400
    url = server.add("/feed.xml", "", status=500, reason=reason)
    problem = one_line(url)
    assert problem.startswith("HTTP 500 [/][bold red]Nope Nope")
    assert len(problem) <= len("HTTP 500 ") + MAX_SERVER_TEXT


def test_an_absurd_content_type_is_dropped_and_the_feed_still_read(server: FeedServer) -> None:
    kind = "application/rss+xml; charset=utf-8; x=" + "y" * 4000
    url = server.add("/feed.xml", RSS, content_type=kind)
    data, _, content_type = fetch_url_sync(url, timeout=2.0)
    assert data == RSS.encode() and content_type is None


@pytest.mark.parametrize(
    "location",
    [b"http://[::1", b"http://127.0.0.1:99999/x", b"http://xn--zz--.example/", b"\xff\xfe/x"],
)
def test_a_location_that_is_no_url_is_one_line(server: FeedServer, location: bytes) -> None:
    """A broken Location is the feed's one line (bounded), not an internal error."""
    url = server.add("/feed.xml", "", status=302, raw_headers=(b"Location: " + location,))
    try:
        data, _, _ = fetch_url_sync(url, timeout=2.0)
    except SourceError as exc:
        assert str(exc).startswith(f"{url}: ") and len(str(exc)) < len(url) + 300
    else:
        assert data is not None


def test_a_permanent_redirect_to_an_overlong_url_is_not_kept_as_the_new_address(
    server: FeedServer, store: Store
) -> None:
    """A server cannot store 60 KB as a feed's new URL (it is shown in every summary)."""
    long_path = "/" + "a" * 5000
    server.add(long_path, RSS)
    url = server.redirect("/feed.xml", server.url(long_path), status=301)
    [outcome] = refresh([feed(url)], store)
    assert outcome.status == "ok" and outcome.moved_to is None
    short = server.add("/new.xml", RSS)
    server.redirect("/feed.xml", short, status=308)
    [moved] = refresh([feed(url)], store)
    assert moved.moved_to == short


def test_a_configured_header_that_is_not_ascii_is_one_line(server: FeedServer) -> None:
    """HTTP sends header values as ASCII: ``X-Name: café`` raised UnicodeEncodeError."""
    url = server.add("/feed.xml", RSS)
    with pytest.raises(SourceError) as caught:
        fetch_url_sync(url, headers={"X-Name": "café"})
    assert str(caught.value) == f"{url}: header 'X-Name' is not ASCII text, not sent"
    assert server.seen("/feed.xml") == []


# -- many feeds on one slow server, servers that hang -----------------------------------------


def test_forty_feeds_on_one_server_answering_in_12_s_are_all_stored(tmp_path: Path) -> None:
    """The bar: with defaults (20 s timeout, 4 per server) 16 of 40 failed on every run.

    Queued feeds are not timed out; the run takes about 40 x 12 s / 4.
    """
    with FeedServer() as slow:
        urls = [
            slow.add(f"/f{i}.xml", make_rss(f"Slow {i}", [(f"s{i}", f"Story {i}")]), delay=12)
            for i in range(40)
        ]
        cfg = tmp_path / "feeds.yaml"
        entries = "".join(f"  - {{name: 'Slow {i}', url: '{u}'}}\n" for i, u in enumerate(urls))
        cfg.write_text(f"feeds:\n{entries}", encoding="utf-8")
        db = tmp_path / "news.db"
        started = time.monotonic()
        done = run("fetch", "--config", cfg, "--db", db, timeout=300)
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert 40 * 12 / 4 - 2 < elapsed < 40 * 12 / 4 + 20
    listed = run("list", "--json", "--config", cfg, "--db", db)
    stored = {f["name"]: f for f in json.loads(listed.stdout)["feeds"]}
    for i in range(40):
        assert [a["title"] for a in stored[f"Slow {i}"]["articles"]] == [f"Story {i}"]


def test_feeds_queued_on_one_server_are_timed_from_their_own_turn(
    server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-feed deadline counted the time queued behind the server's other feeds."""
    monkeypatch.setattr(refresh_module, "_deadline", lambda feed: 1.0)
    feeds = [
        feed(server.add(f"/f{i}.xml", make_rss("S", [(f"s{i}", "S")]), delay=0.4), f"F{i}", 0.8)
        for i in range(12)
    ]
    started = time.monotonic()
    outcomes = refresh(feeds, store)
    elapsed = time.monotonic() - started
    assert [o.status for o in outcomes] == ["ok"] * 12, [o.error for o in outcomes]
    assert 12 * 0.4 / 4 - 0.1 < elapsed < 12 * 0.4 / 4 + 1.0  # 4 at a time, in 3 waves


def test_fetch_with_a_hanging_server_beside_a_healthy_one(
    tmp_path: Path, server: FeedServer
) -> None:
    """Every healthy feed is stored; every error line names a URL of the hanging server."""
    healthy = {
        f"ok{i}": server.add(f"/ok{i}.xml", make_rss("OK", [(f"k{i}", "Fine")])) for i in range(8)
    }
    with RawServer("silent") as hang:
        stuck = {f"hang{i}": hang.url(f"/h{i}.xml") for i in range(12)}
        entries = "".join(
            f"  - {{name: '{n}', url: '{u}'}}\n" for n, u in {**stuck, **healthy}.items()
        )
        cfg = tmp_path / "feeds.yaml"
        cfg.write_text(f"settings: {{timeout: 1}}\nfeeds:\n{entries}", encoding="utf-8")
        db = tmp_path / "news.db"
        started = time.monotonic()
        done = run("fetch", "--config", cfg, "--db", db)
        elapsed = time.monotonic() - started
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = done.stderr.splitlines()
    assert len(errors) == len(stuck)
    for url in stuck.values():
        assert sum(line.startswith(f"newsreader: {url}: timed out") for line in errors) == 1
    assert elapsed < 12 / 4 * 1 + 3  # three rounds of four on the hanging server
    listed = run("list", "--json", "--config", cfg, "--db", db)
    stored = {f["name"]: f for f in json.loads(listed.stdout)["feeds"]}
    for name in healthy:
        assert [a["title"] for a in stored[name]["articles"]] == ["Fine"]
        assert stored[name]["last_error"] is None


def test_servers_that_hang_never_starve_a_healthy_one(server: FeedServer, store: Store) -> None:
    """Hanging servers held the shared pool; healthy feeds timed out, blamed on themselves."""
    healthy = [
        feed(server.add(f"/ok{i}.xml", make_rss("OK", [(f"ok{i}", "Fine")])), f"ok{i}", 1.0)
        for i in range(8)
    ]
    with ExitStack() as stack:
        hanging = [stack.enter_context(RawServer("silent")) for _ in range(20)]
        stuck = [
            feed(raw.url(f"/h{j}.xml"), f"hang{n}-{j}", 1.0)
            for n, raw in enumerate(hanging)
            for j in range(5)
        ]
        done: dict[str, float] = {}
        started = time.monotonic()

        def progress(outcome: FeedOutcome) -> None:
            done[outcome.name] = time.monotonic() - started

        feeds = stuck + healthy
        store.sync_feeds(feeds)
        outcomes = asyncio.run(refresh_feeds(feeds, store, on_progress=progress))
        elapsed = time.monotonic() - started
    by_name = {o.name: o for o in outcomes}
    # Healthy feeds are all in before the first hanging request times out: none waited.
    first_timeout = min(done[f.name] for f in stuck)
    for f in healthy:
        assert by_name[f.name].status == "ok", by_name[f.name].error
        assert done[f.name] < first_timeout
    for f in stuck:
        error = by_name[f.name].error
        assert by_name[f.name].status == "error"
        assert error is not None and error.startswith(f"{f.target}: timed out")
    assert elapsed < 2 * 1.0 + 1.5  # five feeds per hanging server, four at a time


# -- headers a feed configures stay on their origin -------------------------------------------

SECRETS = {
    "X-Api-Key": "k-123",
    "Private-Token": "t-456",
    "Authorization": "Bearer abc",
    "Cookie": "session=xyz",
    "X-Anything-Configured": "secret",
}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_configured_headers_never_follow_a_redirect_to_another_origin(
    server: FeedServer, store: Store, status: int
) -> None:
    """Secret per-feed headers were sent on to whatever host a redirect named."""
    with FeedServer() as other:  # another port: another origin
        target = other.add("/feed.xml", RSS)
        url = server.redirect("/feed.xml", target, status=status)
        [outcome] = refresh([feed(url, headers=SECRETS)], store)
        assert outcome.status == "ok", outcome.error
        [first] = server.seen("/feed.xml")
        [second] = other.seen("/feed.xml")
    for name, value in SECRETS.items():
        assert first.headers[name.lower()] == value
        assert name.lower() not in second.headers
    assert second.headers["user-agent"].startswith("newsreader/")
    assert second.headers["accept"] == first.headers["accept"]


def test_configured_headers_follow_a_redirect_on_the_same_origin(
    server: FeedServer, store: Store
) -> None:
    """Same scheme, host and port: the feed's own server gets its headers on every hop."""
    target = server.add("/new.xml", RSS)
    url = server.redirect("/feed.xml", target, status=302)
    [outcome] = refresh([feed(url, headers=SECRETS)], store)
    assert outcome.status == "ok", outcome.error
    [second] = server.seen("/new.xml")
    for name, value in SECRETS.items():
        assert second.headers[name.lower()] == value


def test_a_redirect_through_another_origin_and_back_sends_that_origin_nothing(
    server: FeedServer, store: Store
) -> None:
    """A -> B -> A: B never sees the headers; A, the configured origin, gets them again."""
    final = server.add("/final.xml", RSS)
    with FeedServer() as other:
        bounce = other.redirect("/bounce", final, status=302)
        url = server.redirect("/feed.xml", bounce, status=302)
        [outcome] = refresh([feed(url, headers=SECRETS)], store)
        [middle] = other.seen("/bounce")
    assert outcome.status == "ok", outcome.error
    assert not {n.lower() for n in SECRETS} & set(middle.headers)
    [last] = server.seen("/final.xml")
    assert last.headers["x-api-key"] == "k-123"
