"""Feed parsing behaviour beyond the goldens: links, errors, bounds, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.errors import ParseError
from newsreader.formats.feed import parse_json_feed, parse_xml_feed, xml
from newsreader.formats.feed import rss as rss_module
from newsreader.model import Feed

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "feeds"


def rss(items: str, channel_link: str = "") -> bytes:
    link = f"<link>{channel_link}</link>" if channel_link else ""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{link}'
        f"{items}</channel></rss>"
    ).encode()


def xml_feed(data: bytes, url: str | None = None) -> Feed:
    return parse_xml_feed(data, source="feed.xml", url=url, content_type=None)


def test_relative_links_resolve_against_the_feed_url_first() -> None:
    data = rss("<item><title>a</title><link>a/1</link></item>", "https://site.example.org/x/")
    feed = xml_feed(data, url="https://cdn.example.org/feeds/rss.xml")
    assert feed.articles[0].link == "https://cdn.example.org/feeds/a/1"


def test_relative_links_of_a_local_file_resolve_against_the_channel_link() -> None:
    data = rss("<item><title>a</title><link>/a/1</link></item>", "https://site.example.org/x/")
    assert xml_feed(data).articles[0].link == "https://site.example.org/a/1"


def test_a_relative_link_with_nothing_to_resolve_against_is_null() -> None:
    assert xml_feed(rss("<item><title>a</title><link>a/1</link></item>")).articles[0].link is None


def test_script_links_are_dropped() -> None:
    data = rss("<item><title>a</title><link>javascript:alert(1)</link></item>")
    assert xml_feed(data).articles[0].link is None


def test_a_local_item_without_link_or_guid_gets_a_stable_hash_id() -> None:
    data = rss("<item><title>a</title><description>b</description></item>")
    first, second = xml_feed(data).articles[0], xml_feed(data).articles[0]
    assert first.link is None
    assert first.id == second.id
    assert first.id.startswith("sha1:")


def test_only_an_update_date_fills_published_too() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b"<entry><id>e</id><title>t</title><updated>2025-01-02T03:04:05+05:30</updated></entry>"
        b"</feed>"
    )
    article = xml_feed(data).articles[0]
    assert article.published == article.updated == "2025-01-02T03:04:05+05:30"


def test_markdown_keeps_the_body_structure_for_the_reader() -> None:
    feed = xml_feed((SAMPLES / "harbour-gazette.rss").read_bytes())
    market = feed.articles[1]
    assert "Hendra's smokery" in market.text
    assert "Hendra's smokery" in market.markdown
    assert market.markdown != market.text


def test_links_inside_content_resolve_against_xml_base() -> None:
    data = (Path(__file__).parents[1] / "data" / "feeds" / "atom10.xml").read_bytes()
    article = xml_feed(data).articles[0]
    assert "https://ferry.example.org/blog/timetable.pdf" in article.markdown


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><catalog><book>Not a feed</book></catalog>',
        b"<?xml version='1.0'?><html><body><p>page</p></body></html>",
        b"<?xml version='1.0'?>",
        b"\x00\x01\x02 binary",
    ],
    ids=["catalog", "xhtml", "empty", "binary"],
)
def test_a_document_that_is_not_a_feed_is_a_one_line_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        xml_feed(data)
    assert str(caught.value).startswith("feed.xml: ")
    assert "\n" not in str(caught.value)


def test_json_that_is_not_a_json_feed_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_json_feed(b'{"name": "x"}', source="x.json", url=None)
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_json_feed(b"[1, 2]", source="x.json", url=None)
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_json_feed(b'{"version": "https://jsonfeed.org/version/1.1", ', source="x", url=None)


def test_json_feed_links_resolve_against_the_feed_url() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "feed_url": "https://j.example.org/feed.json",
        "items": [{"id": 1, "url": "/posts/1", "content_text": "x"}],
    }
    feed = parse_json_feed(json.dumps(doc).encode(), source="j.json", url=None)
    assert feed.articles[0].link == "https://j.example.org/posts/1"
    assert feed.articles[0].id == "1"


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><title>t&x;</title><item><title>i&x;</title>"
        "<description>d&x;</description></item></channel></rss>"
    ).encode()
    feed = xml_feed(data)
    assert "TOP-SECRET" not in json.dumps(feed.to_json())
    assert feed.articles[0].title == "i"


def test_exponential_entities_are_left_out() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]>'
        "<rss><channel><title>t</title><item><title>[&i;]</title></item></channel></rss>"
    ).encode()
    assert xml_feed(data).articles[0].title == "[]"


def test_the_number_of_items_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rss_module, "MAX_ITEMS", 3)
    items = "".join(f"<item><guid>{i}</guid><title>{i}</title></item>" for i in range(10))
    assert [a.title for a in xml_feed(rss(items)).articles] == ["0", "1", "2"]


def test_an_oversized_document_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(ParseError, match="too large"):
        xml_feed(rss("<item><title>" + "x" * 200 + "</title></item>"))


def test_html_entities_do_not_cut_the_text_short() -> None:
    """Regression: lxml-based readers stop a text at ``&eacute;`` (not an XML entity)."""
    data = rss("<item><title>Caf&eacute; &amp; cr&egrave;me</title><guid>1</guid></item>")
    assert xml_feed(data).articles[0].title == "Café & crème"


def test_escaped_markup_after_an_error_is_still_markup() -> None:
    """Regression: libxml2's recovery drops escaped markup after the first error."""
    items = (
        "<item><guid>1</guid><title>A & B</title></item>"
        "<item><guid>2</guid><title>C</title>"
        "<description>&lt;p&gt;one&lt;/p&gt;&lt;p&gt;two&lt;/p&gt;</description></item>"
    )
    articles = xml_feed(rss(items)).articles
    assert articles[0].title == "A & B"
    assert articles[1].text == "one\n\ntwo"


def test_a_feed_lxml_cannot_repair_is_read_by_the_fallback() -> None:
    data = rss("<item><guid>1</guid><title>Unclosed <b>bold</title></item>")
    feed = xml_feed(data)
    assert [a.id for a in feed.articles] == ["1"]
    assert "Unclosed" in feed.articles[0].title


def test_raw_escape_sequences_in_xml_are_removed_with_their_payload() -> None:
    data = rss("<item><guid>1</guid><title>a\x1b]0;owned\x07b \x1b[31mred</title></item>")
    assert xml_feed(data).articles[0].title == "ab red"


@pytest.mark.parametrize("name", ["harbour-gazette.rss", "tinkerers-log.atom"])
def test_the_sample_feeds_read_cleanly(name: str) -> None:
    feed = xml_feed((SAMPLES / name).read_bytes())
    assert feed.title
    assert len(feed.articles) >= 6
    for article in feed.articles:
        assert article.title and article.text and article.published
        assert article.link and article.link.startswith("https://")


def test_the_json_sample_reads_cleanly() -> None:
    feed = parse_json_feed((SAMPLES / "orbit-weekly.json").read_bytes(), source="o", url=None)
    assert feed.title == "Orbit Weekly"
    assert len(feed.articles) == 5
    assert all(a.text and a.published and a.link for a in feed.articles)


def test_the_gazette_keeps_its_own_offset_and_resolves_its_relative_link() -> None:
    first = xml_feed((SAMPLES / "harbour-gazette.rss").read_bytes()).articles[0]
    assert first.published == "2025-06-14T06:45:00+01:00"
    assert first.link == "https://gazette.harbourtown.example.org/news/2025/06/lifeboat-gull-point"


_SAMPLE = (SAMPLES / "harbour-gazette.rss").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_SAMPLE)), st.integers(0, 400), st.binary(max_size=40))
def test_a_mangled_feed_raises_nothing_but_parse_error(cut: int, span: int, junk: bytes) -> None:
    data = _SAMPLE[:cut] + junk + _SAMPLE[cut + span :]
    try:
        feed = xml_feed(data)
    except ParseError:
        return
    for article in feed.articles:
        assert article.title.isprintable()


def test_undeclared_namespace_prefixes_are_read_as_the_names_they_carry() -> None:
    data = (
        b'<?xml version="1.0"?><rss:rss rss:version="2.0"><rss:channel><rss:title>Log'
        b"</rss:title><rss:item><rss:title>First &amp; last</rss:title><rss:guid>a1"
        b"</rss:guid><rss:description>&lt;p&gt;Body&lt;/p&gt;</rss:description></rss:item>"
        b"</rss:channel></rss:rss>"
    )
    feed = xml_feed(data)
    assert feed.title == "Log"
    [article] = feed.articles
    assert (article.id, article.title, article.text) == ("a1", "First & last", "Body")
