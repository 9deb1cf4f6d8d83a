"""Pilot tests of the article pane alone, in a tiny app: what it shows, how it wraps,
how it scrolls, and that feed text never acts as markup or escape sequences."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from newsreader.model import Article, StoredArticle
from newsreader.ui.article.view import ArticleView
from newsreader.ui.article.wrap import NO_START
from newsreader.ui.themes import load_themes
from tests.support.display import UNSAFE

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[2]

RICH_MD = """# Harbour report

The ferry now runs every [forty minutes](https://example.org/ferry) and **the quay**
reopens on *Monday*. ![Pier at dawn](https://example.org/pier.jpg)

## Timetable

- Morning boats
  - 06:10 from the quay
- Evening boats

1. Buy a ticket
2. Board at gate [two](/gates/2)

> The harbour master said the change was overdue.

```
fare = 2.40
```

| Stop | Minutes |
| --- | --- |
| Quay | 0 |
| Island | 25 |
"""

CJK_PARA = (
    "上虞经开区今年的经济总量继续增长，规上产值与工业税收同步提高，"
    "港口新航线开通后，渡轮每四十分钟一班，岛上居民说：“出行方便多了。”"
    "记者在码头看到，早晨的乘客排起长队，「新时刻表」贴在售票处，"
    "工作人员解释：票价不变，班次增加，周末另有加班船。"
)


class ViewApp(App[None]):
    """Just the pane, with the bundled themes."""

    def __init__(self, theme: str = "newsreader-dark") -> None:
        super().__init__()
        themes, errors = load_themes([REPO / "themes"])
        assert errors == []
        for item in themes:
            self.register_theme(item)
        self.theme = theme
        self.clicked: list[str] = []

    def compose(self) -> ComposeResult:
        yield ArticleView()

    def on_article_view_link_clicked(self, message: ArticleView.LinkClicked) -> None:
        self.clicked.append(message.url)


def stored(**fields: Any) -> StoredArticle:
    fields.setdefault("id", "a1")
    fields.setdefault("title", "Harbour report")
    return StoredArticle(1, "Gazette", Article(**fields), False, False)


def lines(view: ArticleView) -> list[str]:
    """Every line the pane has laid out, NBSP shown as a space (as the eye reads it)."""
    return [line.replace("\u00a0", " ") for line in view.laid_out_all()]


def screen_lines(view: ArticleView) -> list[str]:
    """The lines currently drawn in the pane, as strips."""
    height = view.scrollable_content_region.height
    return [view.render_line(y).text for y in range(height)]


async def open_view(pilot: Any, item: StoredArticle, **kw: str) -> ArticleView:
    view = pilot.app.query_one(ArticleView)
    view.show_article(item, group=kw.get("group", "Local"), feed_name=kw.get("feed", "Gazette"))
    await pilot.pause()
    return view


async def test_title_meta_and_link_head_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    try:
        item = stored(
            title="Ferry timetable changes",
            link="https://example.org/ferry",
            published="2024-03-01T10:00:00+08:00",
            author="Ann Lee",
            source="Harbour Times",
            text="Body.",
        )
        async with ViewApp().run_test(size=(80, 20)) as pilot:
            view = await open_view(pilot, item, feed="Harbour Town Gazette")
            shown = lines(view)
            assert shown[0] == "Ferry timetable changes"
            assert (
                shown[1] == "2024-03-01 11:00 JST · Ann Lee · Harbour Times · Harbour Town Gazette"
            )
            assert shown[2] == "https://example.org/ferry"
            assert view.link == "https://example.org/ferry"
            assert "Body." in shown
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


async def test_a_date_without_offset_is_shown_as_given() -> None:
    item = stored(published="2024-03-01T10:00:00", text="Body.")
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, item, feed="Gazette")
        assert lines(view)[1] == "2024-03-01 10:00 · Gazette"


async def test_markdown_body_shows_headings_lists_quote_code_table_and_numbered_links() -> None:
    item = stored(link="https://example.org/news/1", markdown=RICH_MD, text="plain")
    async with ViewApp().run_test(size=(80, 40)) as pilot:
        view = await open_view(pilot, item)
        shown = lines(view)
        text = "\n".join(shown)
        assert "Harbour report" in shown and "Timetable" in shown
        assert "━━━━━━━━━━━━━━" in text  # the h1 rule
        assert "The ferry now runs every forty minutes[1] and the quay reopens on Monday." in text
        assert "[image: Pier at dawn][2]" in text
        assert "• Morning boats" in shown
        assert "  ◦ 06:10 from the quay" in shown
        assert "• Evening boats" in shown
        assert "1. Buy a ticket" in shown
        assert "2. Board at gate two[3]" in shown
        assert "▎ The harbour master said the change was overdue." in shown
        assert any(line.strip() == "fare = 2.40" for line in shown)
        assert "Stop   │ Minutes" in shown and "Island │ 25" in shown
        links = shown[shown.index("Links") :]
        assert links == [
            "Links",
            "[1] https://example.org/ferry",
            "[2] https://example.org/pier.jpg",
            "[3] https://example.org/gates/2",
        ]


async def test_markup_in_feed_text_shows_literally_and_cannot_crash() -> None:
    nasty = "[bold]x[/] and [/] and [link=http://x]click[/link] and [red"
    item = stored(title=nasty, text=nasty + "\n\nSecond [/bold] paragraph")
    async with ViewApp().run_test(size=(100, 20)) as pilot:
        view = await open_view(pilot, item)
        drawn = screen_lines(view)
        assert drawn[0].rstrip() == nasty
        assert any(line.rstrip() == nasty for line in drawn[2:])
        assert any(line.rstrip() == "Second [/bold] paragraph" for line in drawn)
        view.show_article(stored(title="t", markdown=nasty), group="g", feed_name="f")
        await pilot.pause()
        assert any(line.rstrip() == nasty for line in screen_lines(view))


async def test_control_characters_never_reach_the_screen() -> None:
    evil = "Red\x1b[31m alert\x1b]52;c;ZXZpbA==\x07 done\x9b2J\x07\u202e"
    item = stored(title=evil, markdown=f"## {evil}\n\n{evil}", link="https://e.example.org/\x1bx")
    async with ViewApp().run_test(size=(60, 20)) as pilot:
        view = await open_view(pilot, item)
        for y in range(view.scrollable_content_region.height):
            for segment in view.render_line(y):
                assert segment.text.isprintable(), repr(segment.text)
        assert "Red alert done" in lines(view)


async def test_character_references_to_controls_are_cleaned_after_they_are_decoded() -> None:
    """Bug: the pane cleaned a block before its inline parser decoded references, so
    ``&#13;`` (carriage return), ``&#12;``, ``&#x202e;``, ``&#x2028;`` and ``&#x200f;`` in
    Markdown text, link labels, image alt text and table cells were drawn raw."""
    refs = "a&#13;b&#12;c&#x202e;d&#x2028;e&#x2029;f&#x200f;g&#x85;h"
    markdown = (
        f"## {refs}\n\n{refs} [{refs}](https://example.org/x) ![{refs}](https://example.org/i)"
        f"\n\n| {refs} | x |\n| --- | --- |\n| y | {refs} |\n"
    )
    async with ViewApp().run_test(size=(70, 30)) as pilot:
        view = await open_view(pilot, stored(markdown=markdown))
        for y in range(view.scrollable_content_region.height):
            for segment in view.render_line(y):
                assert not UNSAFE.search(segment.text), repr(segment.text)
        laid_out = view.laid_out_all()
        assert [line for line in laid_out if UNSAFE.search(line)] == []
        text = "\n".join(laid_out)
        assert text.count("a b cd e fg…h") == 6, laid_out  # heading, text, link, alt, two cells


async def test_cjk_wraps_within_the_pane_and_no_line_starts_with_closing_punctuation() -> None:
    item = stored(title="港口新闻：渡轮班次增加，居民出行更方便", text="\n\n".join([CJK_PARA] * 3))
    async with ViewApp().run_test(size=(33, 30)) as pilot:
        view = await open_view(pilot, item)
        width = view.scrollable_content_region.width
        shown = lines(view)
        assert len(shown) > 10
        for line in shown:
            assert cell_len(line) <= width, line
            assert not line or line[0] not in NO_START, line
        assert "".join(shown).count("，") == CJK_PARA.count("，") * 3 + 1
        for y in range(view.scrollable_content_region.height):
            assert view.render_line(y).cell_length == width


async def test_emoji_sequences_are_never_cut() -> None:
    family = "👨\u200d👩\u200d👧"
    item = stored(title="Emoji", text=("word " + family + " ") * 30)
    async with ViewApp().run_test(size=(25, 20)) as pilot:
        view = await open_view(pilot, item)
        width = view.scrollable_content_region.width
        for line in lines(view)[2:]:
            assert cell_len(line) <= width
            assert line.count("\u200d") == 2 * line.count(family)


async def test_paging_and_line_keys_scroll_without_animation() -> None:
    body = "\n\n".join(f"Paragraph number {n}." for n in range(200))
    async with ViewApp().run_test(size=(60, 20)) as pilot:
        view = await open_view(pilot, stored(text=body))
        view.focus()
        page = view.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert view.scroll_y == page
        await pilot.press("down", "down")
        assert view.scroll_y == page + 2
        await pilot.press("up")
        assert view.scroll_y == page + 1
        await pilot.press("pageup")
        assert view.scroll_y == 1
        view.scroll_page_down()
        assert view.scroll_y == 1 + page
        view.scroll_page_up()
        assert view.scroll_y == 1
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        assert screen_lines(view)[-1].rstrip() == "Paragraph number 199."
        await pilot.press("home")
        assert view.scroll_y == 0


async def test_a_long_article_shows_its_first_screen_before_the_rest_is_laid_out() -> None:
    body = "\n\n".join(f"Paragraph {n} " + "harbour news " * 40 for n in range(3000))
    async with ViewApp().run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(ArticleView)
        view.show_article(stored(markdown=body), group="g", feed_name="f")
        laid_out = len(view.shown_lines)
        assert 20 <= laid_out < 200
        assert screen_lines(view)[0].startswith("Harbour report")
        assert view.virtual_size.height > 3000 * 2  # estimated from the source left
        assert lines(view)[-1].startswith("harbour news") or "2999" in "".join(lines(view)[-8:])
        assert view.virtual_size.height == len(view.shown_lines)


async def test_the_rest_of_a_long_article_is_laid_out_while_idle() -> None:
    body = "\n\n".join(f"Paragraph {n} " + "tide " * 40 for n in range(1500))
    async with ViewApp().run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(ArticleView)
        view.show_article(stored(text=body), group="g", feed_name="f")
        first = len(view.shown_lines)
        for _ in range(100):
            await pilot.pause(0.05)
            if view.virtual_size.height == len(view.shown_lines) > first:
                break
        assert "Paragraph 1499" in "\n".join(view.shown_lines[-5:])
        assert view.virtual_size.height == len(view.shown_lines) > first


async def test_clicking_a_link_posts_its_url() -> None:
    md = "Read the [full timetable](https://example.org/timetable) today."
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, stored(markdown=md))
        row = next(y for y, line in enumerate(view.shown_lines) if "full timetable" in line)
        column = view.shown_lines[row].index("full timetable")
        gutter = view.scrollable_content_region.x - view.region.x
        assert await pilot.click(ArticleView, offset=(gutter + column + 2, row))
        await pilot.pause()
        assert pilot.app.clicked == ["https://example.org/timetable"]


async def test_show_message_replaces_the_article_and_clears_the_link() -> None:
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, stored(link="https://example.org/x", text="Body"))
        view.show_message("Orbit Weekly", "Could not fetch: connection refused\n\nPress r.")
        await pilot.pause()
        assert view.link is None
        assert lines(view) == [
            "Orbit Weekly",
            "",
            "Could not fetch: connection refused",
            "",
            "Press r.",
        ]


async def test_related_headlines_follow_the_body() -> None:
    item = stored(text="The body.", related=("Bridge repairs begin", "[bold]Tide[/] tables"))
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, item)
        shown = lines(view)
        at = shown.index("Related headlines")
        assert shown[at + 1 :] == ["", "• Bridge repairs begin", "• [bold]Tide[/] tables"]


async def test_plain_text_page_headings_and_related_headlines_from_the_parser() -> None:
    from newsreader.formats.plaintext import parse_plaintext_page

    page = "\n".join(
        [
            "渡轮新时刻表公布  岛上图书馆延长开放时间  码头夜市回归",
            "您的位置:首页 > 本地 >",
            "",
            "港口渡轮班次增加",
            "",
            "2024-03-01 10:00:00 来源：港城日报",
            "",
            "记者从港口管理处获悉，渡轮班次将从下月起增加。",
            "",
            "新的安排",
            "",
            "早班船提前到六点十分出发，晚班船延后到十点。",
            "",
            "责任编辑：王明",
        ]
    )
    feed = parse_plaintext_page(page, source="page.txt", url=None)
    article = feed.articles[0]
    async with ViewApp().run_test(size=(60, 30)) as pilot:
        view = await open_view(pilot, StoredArticle(1, "f", article, False, False))
        shown = lines(view)
        assert shown[0] == article.title
        assert "新的安排" in shown  # a section heading, on its own line
        at = shown.index("相关新闻")
        assert [line for line in shown[at + 1 :] if line] == [f"• {h}" for h in article.related]


async def test_resizing_rewraps_and_keeps_the_reading_position() -> None:
    body = "\n\n".join(f"Paragraph {n}: " + "tide " * 30 for n in range(60))
    async with ViewApp().run_test(size=(100, 20)) as pilot:
        view = await open_view(pilot, stored(text=body))
        view.focus()
        for _ in range(5):
            await pilot.press("pagedown")
        while not screen_lines(view)[0].strip():
            await pilot.press("down")
        above = view.shown_lines[: round(view.scroll_y) + 1]
        marker = next(line.split()[1] for line in reversed(above) if line.startswith("Para"))
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        width = view.scrollable_content_region.width
        assert all(cell_len(line) <= width for line in lines(view))
        assert screen_lines(view)[0].startswith(f"Paragraph {marker}")


async def test_theme_colours_reach_the_article_styles() -> None:
    app = ViewApp("newsreader-dark")
    async with app.run_test(size=(60, 20)) as pilot:
        view = await open_view(pilot, stored(markdown="[link](https://example.org)"))
        dark = view.get_component_rich_style("article-view--link", partial=True).color
        app.theme = "newsreader-light"
        await pilot.pause()
        light = view.get_component_rich_style("article-view--link", partial=True).color
        assert dark is not None and light is not None
        assert dark.triplet.hex.lower() == "#e6b450"
        assert light.triplet.hex.lower() == "#9a3f00"
        link_segment = next(
            seg for y in range(10) for seg in view.render_line(y) if seg.text == "link"
        )
        assert link_segment.style.color.triplet.hex.lower() == "#9a3f00"
        assert link_segment.style.link == "https://example.org"
