"""HTML pages: headline, dates, outlet, breadcrumb and body from what the page states."""

from __future__ import annotations

import pytest

from newsreader.errors import ParseError
from newsreader.formats.html_article import parse_html_article

BODY = "<p>" + "Long enough sentence about the harbour and its boats. " * 6 + "</p>"


def html(head: str = "", body: str = "", article: str = BODY) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/x'>Menu item</a></nav>{body}"
        f"<article>{article}</article><footer>Footer text here</footer></body></html>"
    )


def parse(text: str, url: str | None = None):
    feed = parse_html_article(text, source="page.html", url=url)
    return feed, feed.articles[0]


def test_og_title_beats_the_title_tag_with_its_site_suffix() -> None:
    _, art = parse(html("<title>Boats | Gazette</title><meta property='og:title' content='Boats'>"))
    assert art.title == "Boats"


def test_h1_is_the_headline_without_og_tags_and_the_suffix_names_the_outlet() -> None:
    feed, art = parse(
        html("<title>Boats return - Gazette</title>", article="<h1>Boats return</h1>" + BODY)
    )
    assert art.title == "Boats return"
    assert art.source == "Gazette" and feed.title == "Gazette"
    assert not art.text.startswith("Boats return")


def test_published_keeps_the_page_offset_and_is_none_when_absent() -> None:
    _, art = parse(
        html("<meta property='article:published_time' content='2021-01-02T03:04:05+05:30'>")
    )
    assert art.published == "2021-01-02T03:04:05+05:30"
    _, art = parse(html("<title>t</title>"))
    assert art.published is None


def test_only_an_update_date_is_repeated_as_published() -> None:
    _, art = parse(html("<meta property='article:modified_time' content='2021-01-02T03:04:05Z'>"))
    assert art.published == art.updated == "2021-01-02T03:04:05+00:00"


def test_json_ld_gives_author_outlet_and_ordered_breadcrumb() -> None:
    ld = """<script type="application/ld+json">[{"@type":"NewsArticle","headline":"H",
      "author":{"@type":"Person","name":"Ann Lee"},"publisher":{"name":"Daily"},
      "datePublished":"2020-10-15T13:30:00"},
      {"@type":"BreadcrumbList","itemListElement":[{"position":2,"name":"World"},
      {"position":1,"name":"Home"},{"position":3,"name":"H"}]}]</script>"""
    _, art = parse(html(ld))
    assert (art.title, art.author, art.source) == ("H", "Ann Lee", "Daily")
    assert art.published == "2020-10-15T13:30:00"
    assert art.breadcrumb == ("Home", "World")


def test_breadcrumb_from_markup() -> None:
    crumbs = "<ol class='breadcrumb'><li><a href='/'>Home</a></li><li>Sport</li></ol>"
    _, art = parse(html("<meta property='og:title' content='T'>", body=crumbs))
    assert art.breadcrumb == ("Home", "Sport")


def test_body_drops_navigation_and_footer_and_joins_paragraphs() -> None:
    _, art = parse(html(article="<h1>T</h1>" + BODY + "<h2>Part two</h2>" + BODY))
    assert "Menu item" not in art.text and "Footer text" not in art.text
    assert "\n\nPart two\n\n" in art.text


def test_links_are_absolute_against_the_page_url() -> None:
    feed, art = parse(
        html("<link rel='canonical' href='/story/1'>"), url="https://n.example.org/s/p"
    )
    assert art.link == feed.link == "https://n.example.org/story/1"


def test_body_links_are_made_absolute_and_script_links_dropped() -> None:
    import lxml.html

    from newsreader.formats.html_article import _fix_links

    root = lxml.html.fragment_fromstring(
        "<a href='/more'>m</a><a href='javascript:alert(1)'>j</a><img src='i.png'>",
        create_parent="div",
    )
    _fix_links(root, "https://n.example.org/s/p")
    links = [a.get("href") for a in root.iter("a")]
    assert links == ["https://n.example.org/more", None]
    assert root.find("img").get("src") == "https://n.example.org/s/i.png"


def test_local_page_without_a_link_has_none() -> None:
    _, art = parse(html("<link rel='canonical' href='/story/1'>"))
    assert art.link is None and art.id.startswith("sha1:")


def test_hostile_page_is_sanitised() -> None:
    head = "<meta property='og:title' content='A \x1b[31mred\x1b[0m [b]x[/b]'>"
    article = "<script>alert('no')</script><p>\u202eevil\u202c " + "text " * 60 + "</p>"
    _, art = parse(html(head, article=article))
    assert art.title == "A red [b]x[/b]"
    assert "alert" not in art.text and "\u202e" not in art.text and "\x1b" not in art.text


@pytest.mark.parametrize("text", ["", "   ", "<html><body></body></html>"])
def test_empty_pages_are_one_line_errors(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_html_article(text, source="empty.html", url=None)
    assert str(caught.value).startswith("empty.html: ") and "\n" not in str(caught.value)


def test_xml_declaration_is_accepted() -> None:
    _, art = parse(
        "<?xml version='1.0' encoding='utf-8'?>" + html("<meta property='og:title' content='X'>")
    )
    assert art.title == "X"
