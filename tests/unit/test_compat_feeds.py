"""Feeds other parsers read, beyond what the golden pairs show: sniffing, DOCTYPE
words, the feedparser path's authors and attachments, Media RSS and iTunes fallbacks.

Each test names the bug it pins; the golden pairs in tests/data/feeds/ hold the rest.
"""

from __future__ import annotations

import pytest

from newsreader.errors import ParseError
from newsreader.formats import Kind, parse_document, sniff
from newsreader.formats.feed import parse_xml_feed
from newsreader.formats.feed import xml as feedmod
from newsreader.model import Feed

RSS = b'<rss version="2.0"><channel><title>T</title><item><title>i</title></item></channel></rss>'
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'


def xml_feed(data: bytes) -> Feed:
    return parse_xml_feed(data, source="feed.xml", url=None, content_type=None)


# --- sniffing: what stands before the root says nothing about it ---------------------


@pytest.mark.parametrize("word", ["title", "meta", "html", "head", "body", "article"])
@pytest.mark.parametrize("root", [RSS, ATOM], ids=["rss", "atom"])
def test_a_comment_before_the_root_naming_html_tags_leaves_a_feed_a_feed(
    word: str, root: bytes
) -> None:
    """Bug: a comment before the root mentioning <title> (or meta, html, head, body,
    article) made the whole feed read as an HTML page."""
    data = b'<?xml version="1.0"?>\n<!-- each item has a <' + word.encode() + b"> -->\n" + root
    assert sniff(data) is Kind.FEED_XML
    assert parse_document(data, source="f").title == "T"


def test_a_prolog_longer_than_the_sniffed_head_is_looked_through() -> None:
    """The same bug with a licence comment longer than the first 4 KB."""
    data = b"<!-- <html> " + b"licence text " * 800 + b"-->\n<?pi x?>\n" + RSS
    assert sniff(data) is Kind.FEED_XML


def test_a_doctype_and_comments_before_an_html_page_leave_it_a_page() -> None:
    """Sibling: a comment naming <rss> before an HTML page made the page read as a feed."""
    data = b"<!DOCTYPE html>\n<!-- built <rss> free -->\n<html><head><title>P</title></head></html>"
    assert sniff(data) is Kind.HTML


@pytest.mark.parametrize("filename", [None, "note.txt", "feed.xml"])
@pytest.mark.parametrize(
    "data",
    [b"<!-- just a comment -->", b"  <!-- one -->\n<!-- two -->\n", b"<?xml-stylesheet x?><!--"],
    ids=["comment", "comments", "unclosed"],
)
def test_a_document_that_starts_like_xml_is_never_a_plain_text_page(
    data: bytes, filename: str | None
) -> None:
    """Bug: a file holding only an XML comment was read as a text page titled '<!--'."""
    assert sniff(data, filename=filename) is Kind.FEED_XML
    with pytest.raises(ParseError) as caught:
        parse_document(data, source="doc", filename=filename)
    assert str(caught.value).startswith("doc: ")
    assert "\n" not in str(caught.value)


def test_markdown_that_opens_with_a_comment_is_still_markdown() -> None:
    data = b"<!-- draft -->\n# Harbour notes\n\nThe ferry runs.\n"
    assert sniff(data, filename="notes.md") is Kind.MARKDOWN
    assert sniff(data, content_type="text/markdown") is Kind.MARKDOWN


# --- DOCTYPE: only a declaration is one; every protection stays ------------------------


@pytest.mark.parametrize(
    "where",
    [
        b"<!-- no <!DOCTYPE> here -->",  # in the prolog, in a comment
        b"<!-- <!DOCTYPE x [ <!ENTITY a 'b'> -->",
    ],
)
def test_doctype_words_in_a_prolog_comment_do_not_refuse_the_feed(where: bytes) -> None:
    """Bug: '<!DOCTYPE' in a comment refused the feed as 'malformed DOCTYPE'."""
    assert xml_feed(b'<?xml version="1.0"?>' + where + RSS).title == "T"


def test_doctype_words_in_cdata_text_stay_in_a_non_utf8_feed() -> None:
    """Bug: on the decoding path the words '<!DOCTYPE' in a CDATA section were taken for a
    declaration: refused, or cut out with the text after them."""
    data = (
        '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>T</title>'
        "<item><title><![CDATA[Caf\u00e9 <!DOCTYPE notes]]></title>"
        "<description><![CDATA[Start with <!DOCTYPE.]]></description></item></channel></rss>"
    ).encode("cp1252")
    article = xml_feed(data).articles[0]
    assert article.title == "Caf\u00e9 <!DOCTYPE notes"


LAUGHS = (
    b'<!DOCTYPE rss [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


@pytest.mark.parametrize(
    "prolog",
    [b"", b"<!-- <!DOCTYPE in words --> ", b"<!-- a -->\n<?pi?>\n<!-- b -->"],
    ids=["bare", "after-doctype-words", "after-comments"],
)
def test_a_real_doctype_after_comments_is_still_removed(prolog: bytes) -> None:
    """The fix passes over comments, not over declarations: entities stay undefined."""
    data = (
        b'<?xml version="1.0"?>'
        + prolog
        + LAUGHS
        + b'<rss version="2.0"><channel><title>L&d;</title><item><title>x&d;</title>'
        b"</item></channel></rss>"
    )
    feed = xml_feed(data)
    assert "haha" not in feed.title
    assert all("haha" not in a.title for a in feed.articles)


def test_a_malformed_doctype_in_the_prolog_is_still_refused() -> None:
    data = b'<?xml version="1.0"?><!-- c --><!DOCTYPE rss [<!ENTITY a "x">' + RSS
    with pytest.raises(ParseError, match="malformed DOCTYPE"):
        xml_feed(data)


def test_a_cdata_section_in_the_prolog_hides_no_doctype() -> None:
    """A CDATA section is not XML before the root: the declaration in it still goes."""
    data = b"<![CDATA[ x ]]>" + LAUGHS + RSS.replace(b"<title>T", b"<title>T&d;")
    try:
        feed = xml_feed(data)
    except ParseError:
        return
    assert "haha" not in feed.title


# --- the feedparser path (documents no strict parse accepts) gets the same fixes --------

BROKEN = b"<title>a</b></title>"  # a mismatched tag: no repair makes this well-formed


def test_feedparser_path_reduces_and_joins_authors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sibling of the RSS author bug on the robust path: 'Name (email)' kept the email
    and a second author was lost."""
    used = []
    real = feedmod.parse_with_feedparser
    monkeypatch.setattr(
        feedmod, "parse_with_feedparser", lambda *a, **k: used.append(1) or real(*a, **k)
    )
    data = (
        b'<rss version="2.0"><channel><title>T</title><item>' + BROKEN + b"<guid>1</guid>"
        b"<author>Jo Bloggs (jo@example.org)</author><author>Al Moss &lt;al@example.org&gt;"
        b"</author></item></channel></rss>"
    )
    assert xml_feed(data).articles[0].author == "Jo Bloggs, Al Moss"
    assert used


def test_feedparser_path_gives_no_text_for_binary_content() -> None:
    """Sibling of the base64 bug on the robust path: an image's base64 became the text."""
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id>'
        + BROKEN
        + b'<summary>s</summary><content type="image/png">iVBORw0KGgo=</content></entry></feed>'
    )
    assert xml_feed(data).articles[0].text == "s"


# --- Media RSS and iTunes, where the item has nothing of its own ---------------------

MEDIA_NS = b'xmlns:media="http://search.yahoo.com/mrss/"'
ITUNES_NS = b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'


def test_media_title_and_description_directly_in_an_item() -> None:
    """Bug: an RSS item whose title and description exist only as media:title and
    media:description came out with empty text."""
    data = (
        b'<rss version="2.0" ' + MEDIA_NS + b"><channel><title>T</title><item><guid>1</guid>"
        b'<media:title type="plain">Clip &amp; more</media:title>'
        b"<media:description>What it shows.</media:description></item></channel></rss>"
    )
    article = xml_feed(data).articles[0]
    assert (article.title, article.summary, article.text) == (
        "Clip & more",
        "What it shows.",
        "What it shows.",
    )


def test_an_item_own_title_and_description_win_over_media_and_itunes() -> None:
    data = (
        b'<rss version="2.0" ' + MEDIA_NS + b" " + ITUNES_NS + b"><channel><title>T</title>"
        b"<item><guid>1</guid><title>Own</title><description>Own text</description>"
        b"<itunes:title>I</itunes:title><itunes:summary>IS</itunes:summary>"
        b"<media:title>M</media:title><media:description>MD</media:description>"
        b"<author>Own Author</author><itunes:author>IA</itunes:author></item></channel></rss>"
    )
    article = xml_feed(data).articles[0]
    assert (article.title, article.summary, article.author) == ("Own", "Own text", "Own Author")


def test_a_channel_named_only_by_itunes_or_media_gets_that_name() -> None:
    """Bug: a channel with only itunes:title (or media:title) had an empty title."""
    for tag in (b"itunes:title", b"media:title"):
        data = (
            b'<rss version="2.0" '
            + MEDIA_NS
            + b" "
            + ITUNES_NS
            + b"><channel><"
            + tag
            + b">Named</"
            + tag
            + b"></channel></rss>"
        )
        assert xml_feed(data).title == "Named"


def test_channel_dc_title_is_read_in_rss_20_too() -> None:
    """Bug: channel-level dc:title was not read (item-level was)."""
    data = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        b"<dc:title>Dublin</dc:title><dc:creator>Desk</dc:creator><item><guid>1</guid>"
        b"<title>i</title></item></channel></rss>"
    )
    feed = xml_feed(data)
    assert feed.title == "Dublin"
    assert feed.articles[0].author == "Desk"
