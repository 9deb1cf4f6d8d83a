"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed), hostile or mutated: safe fields or one error line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.seeds import ATOM10, FEEDS, JSONFEED, RDF, RSS091, RSS20
from tests.fuzz.strategies import filled, mutated, parse

URLS = st.sampled_from((None, "https://fuzz.example.org/dir/feed.xml", "file:///tmp/feed.xml", ""))


@fuzz()
@given(seed=st.sampled_from(FEEDS), data=st.data(), url=URLS)
def test_hostile_text_in_every_field_comes_out_plain(seed, data, url) -> None:
    text = data.draw(filled(seed))
    parse(
        text.encode("utf-8", "surrogatepass"),
        source=seed.filename,
        url=url,
        content_type=seed.content_type,
        filename=seed.filename,
    )


@fuzz()
@given(document=mutated(RSS20), url=URLS)
def test_mutated_rss_never_escapes_the_error_family(document, url) -> None:
    parse(document, source="feed.xml", url=url, content_type=None, filename="feed.xml")


@fuzz()
@given(document=mutated(ATOM10), url=URLS)
def test_mutated_atom_never_escapes_the_error_family(document, url) -> None:
    parse(document, source="feed.atom", url=url, content_type=None, filename=None)


@fuzz()
@given(document=st.one_of(mutated(RDF), mutated(RSS091)), url=URLS)
def test_mutated_rdf_and_rss091_never_escape_the_error_family(document, url) -> None:
    parse(document, source="feed.rdf", url=url, content_type="text/xml", filename=None)


@fuzz()
@given(document=mutated(JSONFEED), url=URLS)
def test_mutated_json_feed_never_escapes_the_error_family(document, url) -> None:
    parse(document, source="feed.json", url=url, content_type="application/json", filename=None)


@fuzz()
@given(data=st.binary(max_size=2048), ctype=st.sampled_from((None, "text/xml", "application/json")))
def test_arbitrary_bytes_are_a_feed_an_article_or_one_error_line(data, ctype) -> None:
    parse(data, source="blob", url=None, content_type=ctype, filename=None)


@fuzz()
@given(body=st.binary(max_size=512), root=st.sampled_from((b"rss", b"feed", b"rdf:RDF")))
def test_arbitrary_bytes_inside_a_feed_root(body, root) -> None:
    parse(b"<" + root + b">" + body, source="feed.xml", url=None, content_type=None, filename=None)


_PIECES = st.sampled_from(
    (
        "<![CDATA[" + "<p>lifted body &amp; more</p> " * 40 + "]]>",
        "<![CDATA[short]]>",
        "<!-- <![CDATA[ -->",
        "<!-- ]]> -->",
        "]]>",
        "<![CDATA[",
        "<!--",
        "-->",
        "\ue0000\ue001",
        "</description><description>",
        "<b>bold</b>",
        "&lt;p&gt;escaped&lt;/p&gt;",
        "\r\n",
        "\x00",
        "é",
    )
)


@fuzz()
@given(parts=st.lists(_PIECES, max_size=8), junk=st.binary(max_size=8))
def test_lifting_cdata_never_changes_the_reading(parts, junk) -> None:
    """Whatever surrounds large CDATA sections, lifted and whole parses read the same."""
    from newsreader.formats import cdata
    from newsreader.formats.feed import repair as feedmod

    body = "".join(parts).encode("utf-8", "surrogatepass") + junk
    data = (
        b"<?xml version='1.0'?><rss><channel><title>T</title><item><guid>1</guid>"
        b"<description>" + body + b"</description></item></channel></rss>"
    )
    lifted = parse(data, source="f.xml", url=None, content_type=None, filename=None)
    saved = feedmod.lift
    feedmod.lift = lambda raw: (raw, cdata.NO_SECTIONS)
    try:
        whole = parse(data, source="f.xml", url=None, content_type=None, filename=None)
    finally:
        feedmod.lift = saved
    assert (lifted is None) == (whole is None)
    if lifted is not None:
        assert lifted.to_json() == whole.to_json()
        assert [a.markdown for a in lifted.articles] == [a.markdown for a in whole.articles]
