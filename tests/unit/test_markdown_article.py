"""Markdown articles: front matter, title fallbacks, plain text without markup."""

from __future__ import annotations

from newsreader.formats.markdown_article import parse_markdown_article


def parse(text: str, url: str | None = None):
    feed = parse_markdown_article(text, source="a.md", url=url)
    return feed, feed.articles[0]


def test_front_matter_fields() -> None:
    feed, art = parse(
        "---\ntitle: T\ndate: 2020-10-15T13:30:00+02:00\nauthor: Ann\nsource: Paper\n"
        "link: /a\nsummary: S\nbreadcrumb: Home > News\n---\nBody.\n",
        url="https://site.example.org/x/",
    )
    assert (art.title, art.author, art.source, art.summary) == ("T", "Ann", "Paper", "S")
    assert art.published == "2020-10-15T13:30:00+02:00"
    assert art.link == "https://site.example.org/a"
    assert art.breadcrumb == ("Home", "News")
    assert art.text == "Body."
    assert feed.title == "Paper"


def test_date_without_zone_gets_no_offset() -> None:
    _, art = parse("---\ndate: 2020-10-15 13:30:00\n---\nx\n")
    assert art.published == "2020-10-15T13:30:00"
    _, art = parse("---\ndate: 2020-10-15\n---\nx\n")
    assert art.published == "2020-10-15"


def test_title_from_first_heading_is_not_repeated_in_the_body() -> None:
    _, art = parse("# Heading\n\nPara *one*.\n")
    assert art.title == "Heading"
    assert art.text == "Para one."
    assert not art.markdown.startswith("# Heading")


def test_title_from_first_line_without_heading() -> None:
    _, art = parse("Short title\n\nBody text here.\n")
    assert art.title == "Short title" and art.text == "Body text here."


def test_broken_front_matter_is_not_fatal() -> None:
    _, art = parse("---\ntitle: [oops\n---\n# Real title\n\nBody.\n")
    assert art.title == "Real title" and art.text == "Body."


def test_yaml_tags_are_not_executed() -> None:
    _, art = parse("---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n# T\n\nB\n")
    assert art.title == "T"


def test_plain_text_has_no_markup_characters() -> None:
    _, art = parse(
        "# T\n\n**bold** _it_ `code` [link](https://x.example.org) ![alt](i.png)\n\n- a\n- b\n"
    )
    assert art.text == "bold it code link\n\na\nb"
    assert "**bold**" in art.markdown


def test_raw_html_and_escapes_do_not_survive() -> None:
    _, art = parse("# T \x1b[31mx\n\n<script>alert(1)</script>\n\nText \u202eback [b]lit[/b]\n")
    assert art.title == "T x"
    assert "alert" not in art.text and "\u202e" not in art.text
    assert "[b]lit[/b]" in art.text
    assert "\x1b" not in art.markdown


def test_toml_front_matter() -> None:
    _, art = parse('+++\ntitle = "Toml title"\n+++\nBody.\n')
    assert art.title == "Toml title"
