"""Plain-text news pages: headline splitting, dateline fields, body boundaries."""

from __future__ import annotations

import pytest

from newsreader.errors import ParseError
from newsreader.formats.plaintext import (
    parse_breadcrumb,
    parse_dateline,
    parse_plaintext_page,
    split_headlines,
)
from newsreader.text.page_dates import find_date


def page(text: str, url: str | None = None):
    return parse_plaintext_page(text, source="page.txt", url=url).articles[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("破解App Store代码的5种方法 下一条", ["破解App Store代码的5种方法", "下一条"]),
        ("最大的公司名称更改 (信息图) 如何找到", ["最大的公司名称更改 (信息图)", "如何找到"]),
        ("使用 “事实” 方法来提出 正确", ["使用 “事实” 方法来提出", "正确"]),
        ("一方: 建立你的单人公司 其他", ["一方: 建立你的单人公司", "其他"]),
        ("全角括号 （视频） 下一条", ["全角括号 （视频）", "下一条"]),
        ("大便! 一个故事", ["大便!", "一个故事"]),
        (
            "Top 10 tips for 2024  Council approves budget",
            ["Top 10 tips for 2024", "Council approves budget"],
        ),
        ("A  B   C\tD", ["A", "B", "C", "D"]),
        ("重复 其他 重复", ["重复", "其他"]),
        ("Café owners meet  Zoë wins", ["Café owners meet", "Zoë wins"]),
    ],
)
def test_headline_runs_split_by_spec_rules(line: str, expected: list[str]) -> None:
    assert split_headlines(line) == expected


def test_two_spaces_always_separate_even_inside_latin_text() -> None:
    assert split_headlines("App  Store") == ["App", "Store"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020-10-15 13:30:37", "2020-10-15T13:30:37"),
        ("2020年10月15日 13:30", "2020-10-15T13:30:00"),
        ("2020年10月15日 下午1:30", "2020-10-15T13:30:00"),
        ("15 October 2020 13:30", "2020-10-15T13:30:00"),
        ("Oct 15, 2020", "2020-10-15"),
        ("October 15, 2020 1:30 PM", "2020-10-15T13:30:00"),
        ("Oct. 15, 2020 at 12:05 a.m.", "2020-10-15T00:05:00"),
        ("2020/10/15 08:00 GMT", "2020-10-15T08:00:00+00:00"),
        ("2020-10-15T13:30:37+08:00", "2020-10-15T13:30:37+08:00"),
        ("15.10.2020 13:30", "2020-10-15T13:30:00"),
        ("2023年4月2日 10時05分", "2023-04-02T10:05:00"),
    ],
)
def test_date_shapes(text: str, iso: str) -> None:
    found = find_date(f"xx {text} yy")
    assert found is not None and found[0] == iso


def test_zone_names_are_never_guessed_into_an_offset() -> None:
    found = find_date("Oct 15, 2020 9:05 PM EDT")
    assert found is not None and found[0] == "2020-10-15T21:05:00"


def test_ambiguous_and_impossible_dates_are_not_read() -> None:
    assert find_date("10/11/2020") is None
    assert find_date("2020-02-31") is None


@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        ("2020-10-15 13:30:37 来源:环球网", None, "环球网"),
        ("2020-10-15 13:30:37 来源：环球网 作者：谭雅文", "谭雅文", "环球网"),
        ("2020年10月15日 来源 人民网", None, "人民网"),
        (
            "October 15, 2020 1:30 PM | By Jane Roe | Source: The Valley Courier",
            "Jane Roe",
            "The Valley Courier",
        ),
        ("By Jane Roe, The Valley Courier, 15 October 2020", "Jane Roe", "The Valley Courier"),
        ("Jane Roe | The Valley Courier | Oct 15, 2020", None, "The Valley Courier"),
        ("Oct 15, 2020 via The Morning Ledger", None, "The Morning Ledger"),
        ("2023年4月2日 10時05分　出典：みなと新聞", None, "みなと新聞"),
        ("2020-10-15 来源：新华社（记者 张三）", "张三", "新华社"),
        ("Oct 15, 2020 9:05 PM EDT", None, None),
    ],
)
def test_dateline_author_and_outlet(line: str, author: str | None, outlet: str | None) -> None:
    info = parse_dateline([line])
    assert (info.author, info.outlet) == (author, outlet)
    assert info.published is not None


def test_outlet_with_a_source_marker_wins_over_the_last_name() -> None:
    info = parse_dateline(["Source: The Valley Courier | 2020-10-15 | Weekend Edition"])
    assert info.outlet == "The Valley Courier"


@pytest.mark.parametrize(
    ("line", "crumbs"),
    [
        ("您的位置:首页 >地方 >", ["首页", "地方"]),
        ("当前位置：首页＞财经＞能源＞", ["首页", "财经", "能源"]),
        ("You are here: Home > World >", ["Home", "World"]),
        ("Home / Sport / Rowing", ["Home", "Sport", "Rowing"]),
        ("Home » News", ["Home", "News"]),
        # A separator at either end belongs to no crumb, whichever separator it is.
        ("Home / Sport /", ["Home", "Sport"]),
        ("Home / Sport/", ["Home", "Sport"]),
        ("/ Home / Sport", ["Home", "Sport"]),
        ("Home > Sport >", ["Home", "Sport"]),
        ("Home > Sport >>", ["Home", "Sport"]),
        ("Home › Sport ›", ["Home", "Sport"]),
        ("Home » Sport »", ["Home", "Sport"]),
        ("Home ＞ Sport ＞", ["Home", "Sport"]),
        ("Home → Sport →", ["Home", "Sport"]),
        ("首页〉地方〉", ["首页", "地方"]),
        ("Location: Home / / Sport /", ["Home", "Sport"]),
        ("Home / 1/2 price / Deals", ["Home", "1/2 price", "Deals"]),
    ],
)
def test_breadcrumb_lines(line: str, crumbs: list[str]) -> None:
    """Bug pinned by the trailing cases: ``Home / Sport /`` kept ``Sport /``."""
    assert parse_breadcrumb(line) == crumbs


def test_ordinary_lines_are_not_breadcrumbs() -> None:
    assert parse_breadcrumb("Prices rose > 5% in March") is None
    assert parse_breadcrumb("产业集群新解法:上虞的发展密码") is None


ZH_PAGE = """甲新闻 乙新闻 (组图) 甲新闻
您的位置:首页 >地方 >

标题在这里

2020-10-15 13:30:37 来源:示例网

第一段正文。

小标题

第二段正文。

免责声明:本站不负责。

示例网页脚
"""


def test_chinese_page_fields_and_body_bounds() -> None:
    art = page(ZH_PAGE)
    assert art.title == "标题在这里"
    assert art.published == "2020-10-15T13:30:37"
    assert art.source == "示例网"
    assert art.breadcrumb == ("首页", "地方")
    assert art.text == "第一段正文。\n\n小标题\n\n第二段正文。"
    assert art.related == ("甲新闻", "乙新闻 (组图)")


def test_markdown_marks_headings_and_lists_related_at_the_end() -> None:
    md = page(ZH_PAGE).markdown
    assert "## 小标题" in md
    assert md.index("第二段正文") < md.index("- 甲新闻")


def test_page_without_breadcrumb_or_related_headlines() -> None:
    art = page("Title line\n\nOct 15, 2020 | Source: Paper\n\nBody one.\n\nBody two.\n")
    assert (art.title, art.breadcrumb, art.related) == ("Title line", (), ())
    assert art.source == "Paper" and art.text == "Body one.\n\nBody two."


def test_author_line_above_the_dateline_is_not_the_title() -> None:
    art = page("The title\nBy Jane Roe\n15 October 2020 13:30 GMT · The Harbour Times\n\nBody.\n")
    assert art.title == "The title"
    assert art.author == "Jane Roe"
    assert art.source == "The Harbour Times"
    assert art.published == "2020-10-15T13:30:00+00:00"


def test_english_disclaimer_and_footer_are_not_body() -> None:
    art = page("T\n\n2020-10-15 Source: X\n\nBody.\n\nDisclaimer: none.\n\nFooter | Contact\n")
    assert art.text == "Body."


def test_hard_wrapped_paragraphs_are_joined() -> None:
    body = (
        "This line is long enough to look like part of a wrapped paragraph of prose\n"
        "and this is how it ends.\n\nNext one.\n"
    )
    art = page("T\n\n2020-10-15 Source: X\n\n" + body)
    assert art.text.split("\n\n")[0].endswith("prose and this is how it ends.")


def test_hostile_text_is_sanitised_and_markup_stays_literal() -> None:
    art = page(
        "T \x1b[31mred\x1b[0m\n\n2020-10-15 Source: [b]X[/b]\x07\n\n[bold]hi[/bold] \x9b2J\n"
    )
    assert art.title == "T red"
    assert art.source == "[b]X[/b]"
    assert art.text == "[bold]hi[/bold]"
    assert "\\[bold\\]" in art.markdown


def test_url_becomes_link_and_id() -> None:
    art = page("T\n\n2020-10-15 Source: X\n\nBody.\n", url="https://news.example.org/a")
    assert art.link == art.id == "https://news.example.org/a"


def test_same_page_gives_the_same_id() -> None:
    assert page(ZH_PAGE).id == page(ZH_PAGE).id


def test_empty_page_is_a_one_line_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_plaintext_page(" \n\n\x1b[2J\n", source="blank.txt", url=None)
    assert str(caught.value) == "blank.txt: empty text page"


def test_unstructured_text_still_reads_as_an_article() -> None:
    art = page("Just a note.\nWith a second line.\n")
    assert art.title == "Just a note." and art.text == "With a second line."
