"""Pilot tests of search highlighting in the article pane: exactly the matched text is
drawn in the match style, through wrapping, links, code and tables, and it goes away
when the highlighter is taken off."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style

from newsreader.query import parse
from newsreader.query.highlight import Highlighter, terms_of
from newsreader.ui.article.view import ArticleView
from newsreader.ui.themes import contrast_ratio, load_themes
from tests.ui.test_article_view import CJK_PARA, ViewApp, open_view, stored

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[2]


def query(text: str) -> Highlighter:
    highlighter = terms_of(parse(text))
    assert highlighter is not None
    return highlighter


def match_style(view: ArticleView) -> Style:
    return view.get_component_rich_style("article-view--match", partial=True)


def lit_rows(view: ArticleView) -> list[list[str]]:
    """For each drawn row, its runs of text in the match style, left to right."""
    style = match_style(view)
    rows: list[list[str]] = []
    for y in range(view.scrollable_content_region.height):
        runs: list[str] = []
        inside = False
        for segment in view.render_line(y):
            lit = (
                segment.style is not None
                and segment.style.bgcolor == style.bgcolor
                and segment.style.color == style.color
            )
            if lit and inside:
                runs[-1] += segment.text
            elif lit:
                runs.append(segment.text)
            inside = lit
        rows.append(runs)
    return rows


def lit_text(view: ArticleView) -> list[str]:
    return [run for row in lit_rows(view) for run in row]


async def test_latin_matches_are_lit_in_the_title_and_body_and_nothing_else() -> None:
    item = stored(
        title="Ferry timetable changes",
        text="The ferry now runs every forty minutes.\n\nFerries and the FERRY quay: café.",
    )
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, item)
        assert lit_text(view) == []
        view.highlight(query("ferry cafe -quay"))
        await pilot.pause()
        rows = lit_rows(view)
        assert rows[0] == ["Ferry"]
        assert lit_text(view) == ["Ferry", "ferry", "FERRY", "café"]
        # the lit text is the text itself, unchanged around it
        assert view.render_line(0).text.startswith("Ferry timetable changes")
        view.highlight(None)
        await pilot.pause()
        assert lit_text(view) == []
        assert view.highlighter is None


async def test_cjk_matches_of_one_two_and_three_characters_are_lit() -> None:
    item = stored(title="港口新闻：渡轮班次增加", text="東京タワーの近く。한국어 뉴스와 대한민국.")
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, item)
        view.highlight(query("新闻 渡 タワー 대한민국"))
        await pilot.pause()
        assert lit_text(view) == ["新闻", "渡", "タワー", "대한민국"]
        view.highlight(query("한국어"))
        await pilot.pause()
        assert lit_text(view) == ["한국어"]
        view.highlight(None)
        await pilot.pause()
        assert lit_text(view) == []


async def test_a_match_cut_by_the_line_end_is_lit_on_both_lines() -> None:
    item = stored(title="Report", text="\n\n".join([CJK_PARA, "word " * 9 + "ferry timetable"]))
    async with ViewApp().run_test(size=(33, 30)) as pilot:
        view = await open_view(pilot, item)
        shown = view.shown_lines
        # two characters that the wrapping put on two lines
        row = next(
            y
            for y in range(2, len(shown) - 1)
            if shown[y] and shown[y + 1] and "，" not in shown[y][-1] + shown[y + 1][0]
        )
        pair = shown[row][-1] + shown[row + 1][0]
        phrase_row = next(y for y, line in enumerate(shown) if line.endswith("ferry"))
        assert shown[phrase_row + 1].startswith("timetable")
        view.highlight(query(f'{pair} "ferry timetable"'))
        await pilot.pause()
        rows = lit_rows(view)
        assert rows[row][-1] == pair[0] and rows[row + 1][0] == pair[1]
        assert rows[phrase_row] == ["ferry"]
        assert rows[phrase_row + 1] == ["timetable"]


async def test_links_keep_their_target_and_clicks_when_lit() -> None:
    md = "Read the [full ferry timetable](https://example.org/timetable) today."
    async with ViewApp().run_test(size=(80, 20)) as pilot:
        view = await open_view(pilot, stored(markdown=md))
        view.highlight(query("ferry"))
        await pilot.pause()
        row = next(y for y, line in enumerate(view.shown_lines) if "ferry" in line)
        segments = list(view.render_line(row))
        lit = [s for s in segments if s.style is not None and s.style.bgcolor is not None]
        lit = [s for s in lit if s.style.bgcolor == match_style(view).bgcolor]
        assert [s.text for s in lit] == ["ferry"]
        assert lit[0].style.link == "https://example.org/timetable"
        assert lit[0].style.underline
        after = next(s for s in segments if s.text == " timetable")
        assert after.style.link == "https://example.org/timetable"
        column = view.shown_lines[row].index("ferry")
        gutter = view.scrollable_content_region.x - view.region.x
        assert await pilot.click(ArticleView, offset=(gutter + column + 1, row))
        await pilot.pause()
        assert pilot.app.clicked == ["https://example.org/timetable"]


async def test_code_and_table_cells_are_lit_but_reference_numbers_are_not() -> None:
    md = (
        "Take the [ferry](https://example.org/1) at gate 1.\n\n"
        "```\nferry = 2.40  # one ferry\n```\n\n"
        "| Stop | Ferry |\n| --- | --- |\n| Quay | ferry 1 |\n"
    )
    async with ViewApp().run_test(size=(60, 24)) as pilot:
        view = await open_view(pilot, stored(markdown=md))
        view.highlight(query("ferry 1"))
        await pilot.pause()
        text = lit_text(view)
        # "[1]" after the link is the pane's own; the "1" of the gate and the cell are text
        assert text == ["ferry", "1", "ferry", "ferry", "Ferry", "ferry", "1"]
        code_row = next(y for y, line in enumerate(view.shown_lines) if "2.40" in line)
        assert view.render_line(code_row).cell_length == view.scrollable_content_region.width


async def test_the_highlight_stays_for_the_next_article_and_keeps_the_position() -> None:
    body = "\n\n".join(f"Paragraph {n}: the ferry and the tide." for n in range(80))
    async with ViewApp().run_test(size=(60, 12)) as pilot:
        view = await open_view(pilot, stored(text=body))
        view.focus()
        for _ in range(3):
            await pilot.press("pagedown")
        top = view.scroll_y
        first = view.render_line(0).text
        view.highlight(query("tide"))
        await pilot.pause()
        assert view.scroll_y == top
        assert view.render_line(0).text == first
        assert "tide" in lit_text(view)
        view.highlight(query("tide"))  # the same terms again: nothing to redo
        view.show_article(
            stored(title="Tide tables", text="High tide at noon."), group="g", feed_name="f"
        )
        await pilot.pause()
        assert lit_text(view) == ["Tide", "tide"]


async def test_the_match_style_is_readable_in_every_bundled_theme() -> None:
    themes, errors = load_themes([REPO / "themes"])
    assert errors == [] and themes
    for theme in themes:
        app = ViewApp(theme.name)
        async with app.run_test(size=(60, 10)) as pilot:
            view = await open_view(pilot, stored(title="ferry", text="ferry"))
            view.highlight(query("ferry"))
            await pilot.pause()
            style = match_style(view)
            assert style.color is not None and style.bgcolor is not None
            ratio = contrast_ratio(style.color.triplet.hex, style.bgcolor.triplet.hex)
            assert ratio >= 4.5, (theme.name, ratio)
            assert lit_text(view) == ["ferry", "ferry"]


def test_an_absent_highlighter_changes_nothing_in_the_layout() -> None:
    from newsreader.ui.article.document import Document
    from newsreader.ui.article.inline import MATCH
    from newsreader.ui.article.layout import Layout

    def build() -> Document:
        return Document.build(title="Ferry", meta="", url=None, markdown="the ferry", text="")

    plain = Layout(build(), 40)
    plain.ensure_all()
    lit = Layout(build(), 40, query("ferry"))
    lit.ensure_all()
    assert all(not key[1] & MATCH for line in plain.lines for _, key in line)
    assert ["".join(t for t, _ in line) for line in plain.lines] == [
        "".join(t for t, _ in line) for line in lit.lines
    ]
    assert sum(1 for line in lit.lines for _, key in line if key[1] & MATCH) == 2
