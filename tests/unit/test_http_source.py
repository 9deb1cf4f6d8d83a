"""The http source against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from newsreader import __version__
from newsreader.errors import NewsreaderError, SourceError
from newsreader.model import FeedConfig, FeedSettings, FetchResult, FetchState
from newsreader.parse_stage import fetch_parsed
from newsreader.refresh import RunContext
from newsreader.sources.http import HttpSource, fetch_url_sync
from tests.support.httpserver import FeedServer, make_rss, refused_url

RSS = make_rss("Harbour notes", [("a1", "Ferry timetable changes"), ("a2", "New pier lights")])


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def fetch(url: str, state: FetchState | None = None, **settings: object) -> FetchResult:
    feed = FeedConfig(
        name="Harbour",
        source="http",
        target=url,
        settings=FeedSettings(**settings),  # type: ignore[arg-type]
    )

    async def run() -> FetchResult:
        context = RunContext()
        try:
            return await fetch_parsed(HttpSource(), feed, state or FetchState(), context)
        finally:
            await context.aclose()

    return asyncio.run(run())


def test_a_feed_is_read_and_its_validators_are_kept(server: FeedServer) -> None:
    url = server.add("/feed.xml", RSS, etag='"v1"', last_modified="Tue, 03 Mar 2026 10:00:00 GMT")
    result = fetch(url)
    assert result.feed is not None
    assert [a.title for a in result.feed.articles] == ["Ferry timetable changes", "New pier lights"]
    assert result.state == FetchState(
        etag='"v1"', last_modified="Tue, 03 Mar 2026 10:00:00 GMT", was_feed=True
    )
    assert result.moved_to is None


def test_the_second_fetch_is_conditional_and_a_304_means_not_modified(server: FeedServer) -> None:
    url = server.add("/feed.xml", RSS, etag='"v1"', last_modified="Tue, 03 Mar 2026 10:00:00 GMT")
    first = fetch(url)
    second = fetch(url, first.state)
    assert second.not_modified
    assert second.state == first.state
    request = server.seen("/feed.xml")[-1].headers
    assert request["if-none-match"] == '"v1"'
    assert request["if-modified-since"] == "Tue, 03 Mar 2026 10:00:00 GMT"


def test_user_agent_and_configured_headers_are_sent(server: FeedServer) -> None:
    url = server.add("/feed.xml", RSS)
    fetch(url, headers={"X-Api-Key": "secret-1"})
    request = server.seen("/feed.xml")[-1].headers
    assert request["user-agent"] == f"newsreader/{__version__} (+https://example.org/newsreader)"
    assert request["x-api-key"] == "secret-1"
    assert "gzip" in request["accept-encoding"] and "br" in request["accept-encoding"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_responses_are_decoded(server: FeedServer, encoding: str) -> None:
    url = server.add("/feed.xml", RSS, encoding=encoding)
    result = fetch(url)
    assert result.feed is not None and len(result.feed.articles) == 2


def test_the_charset_of_content_type_decodes_the_document(server: FeedServer) -> None:
    body = make_rss("Café du port", [("c1", "Crème brûlée à la gare")], encoding=None)
    url = server.add(
        "/latin.xml", body.encode("iso-8859-1"), content_type="text/xml; charset=iso-8859-1"
    )
    result = fetch(url)
    assert result.feed is not None
    assert result.feed.title == "Café du port"
    assert result.feed.articles[0].title == "Crème brûlée à la gare"


@pytest.mark.parametrize(
    ("status", "line"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_an_http_error_is_one_line_naming_the_url(
    server: FeedServer, status: int, line: str
) -> None:
    url = server.add("/broken.xml", "oops", status=status)
    with pytest.raises(SourceError) as caught:
        fetch(url)
    assert str(caught.value) == f"{url}: {line}"


def test_a_permanent_redirect_is_followed_and_reported(server: FeedServer) -> None:
    new = server.add("/new.xml", RSS)
    old = server.redirect("/old.xml", new, status=301)
    result = fetch(old)
    assert result.feed is not None and len(result.feed.articles) == 2
    assert result.moved_to == new


def test_a_temporary_redirect_is_followed_but_not_reported(server: FeedServer) -> None:
    new = server.add("/new.xml", RSS)
    old = server.redirect("/old.xml", new, status=302)
    result = fetch(old)
    assert result.feed is not None
    assert result.moved_to is None


def test_links_resolve_against_the_final_url(server: FeedServer) -> None:
    body = make_rss("Relative", [("r1", "Relative link")]).replace(
        "http://news.example.org/r1", "story/r1.html"
    )
    final = server.add("/section/feed.xml", body)
    start = server.redirect("/feed", final, status=302)
    result = fetch(start)
    assert result.feed is not None
    assert result.feed.articles[0].link == server.url("/section/story/r1.html")


def test_a_refused_connection_is_one_line(server: FeedServer) -> None:
    url = refused_url()
    with pytest.raises(SourceError) as caught:
        fetch(url)
    assert str(caught.value) == f"{url}: connection refused"


def test_a_slow_server_times_out(server: FeedServer) -> None:
    url = server.add("/slow.xml", RSS, delay=2.0)
    with pytest.raises(SourceError) as caught:
        fetch(url, timeout_seconds=0.3)
    assert str(caught.value).startswith(f"{url}: timed out")


def test_a_dripping_server_is_cut_off_by_the_overall_deadline(server: FeedServer) -> None:
    """Each chunk arrives within the read timeout, but the whole answer takes too long."""
    url = server.add("/drip.xml", RSS.encode() * 20, drip=0.2)
    with pytest.raises(SourceError) as caught:
        fetch(url, timeout_seconds=0.3)
    assert str(caught.value).startswith(f"{url}: timed out")


def test_a_response_over_the_configured_cap_is_refused(server: FeedServer) -> None:
    url = server.add("/big.xml", "x" * 10_000)
    gz = server.add("/big-gzip.xml", "<rss>" + " " * 100_000, encoding="gzip")
    for target in (url, gz):
        with pytest.raises(SourceError) as caught:
            fetch(target, max_bytes=2048)
        assert str(caught.value) == f"{target}: response larger than 2048 bytes"


def test_a_document_that_is_not_a_feed_names_the_url(server: FeedServer) -> None:
    url = server.add("/blob", b"\x00\x01\x02" * 100, content_type="application/octet-stream")
    with pytest.raises(NewsreaderError) as caught:
        fetch(url)
    assert str(caught.value).startswith(url)
    assert "\n" not in str(caught.value)


def test_fetch_url_sync_returns_bytes_final_url_and_content_type(server: FeedServer) -> None:
    new = server.add("/new.xml", RSS, content_type="application/rss+xml; charset=utf-8")
    old = server.redirect("/old.xml", new, status=302)
    data, final, ctype = fetch_url_sync(old)
    assert data == RSS.encode()
    assert final == new
    assert ctype == "application/rss+xml; charset=utf-8"


def test_fetch_url_sync_errors_name_the_url(server: FeedServer) -> None:
    url = server.add("/gone.xml", "", status=410)
    with pytest.raises(SourceError, match=r"gone\.xml: HTTP 410 Gone$"):
        fetch_url_sync(url)
