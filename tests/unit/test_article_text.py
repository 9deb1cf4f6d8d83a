"""The article pane's text machinery without a UI: the lazy Markdown splitter, inline
markup, and wrapping by terminal cells with the CJK line-break rules."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.ui.article.blocks import PARA, TABLE, iter_plain_blocks
from newsreader.ui.article.document import Document, local_date
from newsreader.ui.article.inline import (
    BOLD,
    CODE,
    ITALIC,
    LINK,
    REF,
    InlineParser,
    Links,
    find_refs,
)
from newsreader.ui.article.layout import Layout
from newsreader.ui.article.splitter import iter_blocks
from newsreader.ui.article.wrap import NO_END, NO_START, wrap


def parse(src: str, base: str | None = None) -> tuple[str, list[tuple[str, int, int]], Links]:
    links = Links(base)
    inline = InlineParser(links, find_refs(src)).parse(src)
    pieces = []
    start = 0
    for end, flags, number in inline.runs:
        pieces.append((inline.text[start:end], flags, number))
        start = end
    return inline.text, pieces, links


def layout(markdown: str = "", text: str = "", width: int = 60) -> list[str]:
    doc = Document.build(title="T", meta="", url=None, markdown=markdown, text=text)
    lay = Layout(doc, width)
    lay.ensure_all()
    return ["".join(t for t, _ in line) for line in lay.lines]


# --- inline ---------------------------------------------------------------------


def test_emphasis_code_and_links_become_flags_and_numbered_references() -> None:
    text, pieces, links = parse("a **b** *c* `d*e` [f](https://x.example.org/f) g")
    assert text == "a b c d*e f[1] g"
    assert ("b", BOLD, 0) in pieces
    assert ("c", ITALIC, 0) in pieces
    assert ("d*e", CODE, 0) in pieces
    assert ("f", LINK, 1) in pieces
    assert ("[1]", REF, 1) in pieces
    assert links.urls == ["https://x.example.org/f"]


def test_a_repeated_url_keeps_its_number_and_relative_links_resolve() -> None:
    text, _, links = parse(
        "[a](/p) [b](https://e.example.org/p) [c](q)", base="https://e.example.org/x/y"
    )
    assert text == "a[1] b[1] c[2]"
    assert links.urls == ["https://e.example.org/p", "https://e.example.org/x/q"]


def test_reference_links_and_autolinks() -> None:
    src = "See [the notice][n] and <https://e.example.org/a>.\n\n[n]: https://e.example.org/notice"
    text, _, links = parse(src.split("\n\n")[0] + "\n" + src.split("\n\n")[1])
    assert text.startswith("See the notice[1] and https://e.example.org/a[2].")
    assert links.urls == ["https://e.example.org/notice", "https://e.example.org/a"]
    assert "[n]: https://e.example.org/notice" not in "\n".join(layout(src))


def test_images_show_their_alt_text_and_link_inside_a_link() -> None:
    text, _, links = parse(
        "[![Pier](p.jpg)](https://e.example.org/pier)", base="https://e.example.org/"
    )
    assert text == "[image:\u00a0Pier][1][2]"
    assert links.urls == ["https://e.example.org/p.jpg", "https://e.example.org/pier"]


def test_an_image_description_is_text_not_markup() -> None:
    # The converter writes an alt attribute escaping only backslashes and brackets.
    text, _, links = parse("![*x* \\[y\\](z) _u_ &amp; ![a](b) ](https://e.example.org/i.png)")
    assert text == "[image:\u00a0*x* [y](z) _u_ & ![a](b)][1]"
    assert links.urls == ["https://e.example.org/i.png"]


def test_code_in_a_link_shows_its_brackets_without_the_escapes() -> None:
    # The converter escapes the brackets of code inside a link's text.
    text, pieces, _ = parse("[`\\[x\\] \\] a\\b` more](https://e.example.org/)")
    assert text == "[x] ] a\\b more[1]"
    assert pieces[0] == ("[x] ] a\\b", CODE | LINK, 1)
    assert parse("`\\[x\\]`")[0] == "\\[x\\]"  # outside a link, code is as written


def test_unclosed_or_escaped_markup_stays_literal() -> None:
    for src in ("**open", "a * b * c", "snake_case_name", "\\*not\\*", "[bold]x[/]", "`tick"):
        _, pieces, _ = parse(src)
        assert all(flags == 0 for _, flags, _ in pieces), src
    assert parse("\\*not\\*")[0] == "*not*"
    # An escaped delimiter never closes emphasis; an escaped backslash leaves it a delimiter.
    assert parse("*\\*\\*\\* 0*")[1] == [("*** 0", ITALIC, 0)]
    assert parse("*a\\\\*")[1] == [("a\\", ITALIC, 0)]
    assert parse("[bold]x[/]")[0] == "[bold]x[/]"


def test_entities_are_decoded_once() -> None:
    assert parse("fish &amp; chips &lt;b&gt; &#x41;")[0] == "fish & chips <b> A"


# --- blocks ---------------------------------------------------------------------


def test_blocks_come_out_lazily() -> None:
    src = "para one\n\n" + "x\n\n" * 100000
    blocks = iter_blocks(src)
    first = next(blocks)
    assert first.kind == PARA and first.text == "para one"


def test_list_nesting_numbering_and_tightness() -> None:
    shown = layout("- a\n  - b\n    - c\n- d\n\n3. x\n4. y\n\n1) p\n1) q")
    assert shown[2:] == ["• a", "  ◦ b", "    ▪ c", "• d", "", "3. x", "4. y", "", "1. p", "2. q"]


def test_an_items_later_paragraph_hangs_under_its_text() -> None:
    shown = layout("10. first\n\n    more of it\n\n11. second", width=40)
    assert shown[2:] == ["10. first", "", "    more of it", "", "11. second"]


def test_setext_headings_rules_and_quotes() -> None:
    shown = layout("Title\n=====\n\ntext\n\n***\n\n> q1\n> > q2\nlazy")
    assert shown[2:4] == ["Title", "━━━━━"]
    assert "─" * 60 in shown
    assert "▎ q1" in shown and "▎ ▎ q2 lazy" in shown


def test_code_blocks_keep_their_lines_and_indentation() -> None:
    shown = layout("```py\ndef f():\n    return 1\n```\n\n    indented code\n")
    code = [line.rstrip() for line in shown if line.startswith(" ")]
    assert code == [" def f():", "     return 1", " indented code"]


def test_indented_code_inside_a_quote_ends_where_the_quote_does() -> None:
    # The code lines' quote markers were once left on, so the block ended before its
    # first line and the same line was split again for ever.
    blocks = list(itertools.islice(iter_blocks(">     code\n>     more\n> after\n\nout"), 10))
    assert [(b.kind, b.lines or b.text, b.quote) for b in blocks] == [
        ("code", ["code", "more"], 1),
        ("para", "after", 1),
        ("para", "out", 0),
    ]
    shown = layout(">     code\n>\n>     more\n\n    plain code\n")
    assert [line.rstrip() for line in shown[2:]] == [
        "▎  code",
        "▎",
        "▎  more",
        "",
        " plain code",
    ]


def test_an_item_that_opens_with_a_fence_holds_the_code() -> None:
    # The fence was once the item's text, and a "*" in the code a new item.
    shown = layout("- ```\n  * star\n    deeper\n  ```\n- next\n\n1.  ~~~\n    x\n    ~~~\n")
    assert [line.rstrip() for line in shown[2:]] == [
        "•  * star",
        "     deeper",
        "• next",
        "",
        "1.  x",
    ]


def test_an_item_that_opens_with_a_quote_shows_the_quote_and_its_code() -> None:
    # The quote was once the item's text, and a "*" in its code a new item.
    blocks = list(itertools.islice(iter_blocks("- > ```\n  > * star\n  > ```\n- next"), 10))
    assert [(b.kind, b.lines or b.text, b.quote) for b in blocks] == [
        ("code", ["* star"], 1),
        ("para", "next", 0),
    ]
    assert [line.rstrip() for line in layout("> - > deep\n")[2:]] == ["▎ ▎ deep"]


def test_tables_align_columns_and_long_tables_come_in_pieces() -> None:
    rows = "".join(f"| r{i:03d} | {i:03d} |\n" for i in range(250))
    src = "| name | n |\n|---|---:|\n" + rows
    blocks = [b for b in iter_blocks(src) if b.kind == TABLE]
    assert len(blocks) == 3
    shown = layout(src)
    assert shown[2] == "name │ n"
    assert shown[3] == "─────┼────"
    assert shown[4] == "r000 │ 000"
    assert shown[-1] == "r249 │ 249"
    assert len(shown) == 2 + 2 + 250


def test_a_table_too_wide_for_the_pane_becomes_records() -> None:
    header = "|" + "|".join(f"column {i}" for i in range(12)) + "|"
    src = header + "\n|" + "---|" * 12 + "\n|" + "|".join(str(i) for i in range(12)) + "|"
    shown = layout(src, width=30)
    assert "column 0: 0" in shown and "column 11: 11" in shown


def test_huge_paragraphs_are_split_at_sentences_without_losing_text() -> None:
    para = "".join(f"Sentence {i} is here. " for i in range(3000))
    blocks = list(iter_blocks(para))
    assert len(blocks) > 5
    assert all(b.text.endswith(".") for b in blocks)
    assert " ".join(b.text for b in blocks) == para.strip()
    plain = list(iter_plain_blocks(para))
    assert len(plain) == len(blocks)


def test_plain_text_is_never_read_as_markdown() -> None:
    shown = layout(text="# not a heading\n- not a list **b**\n\nsecond")
    assert shown[2:] == ["# not a heading", "- not a list **b**", "", "second"]


def test_no_links_no_links_section() -> None:
    assert "Links" not in layout("just text")


def test_local_date_keeps_dates_without_offset() -> None:
    assert local_date("2024-03-01T10:00:00") == "2024-03-01 10:00"
    assert local_date("2024-03-01") == "2024-03-01"
    assert local_date("garbage") == "garbage"
    assert local_date(None) == ""


# --- wrapping -------------------------------------------------------------------


def cut(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in wrap(text, width)]


def test_latin_wraps_at_spaces_and_long_words_are_cut() -> None:
    assert cut("the quick brown fox", 10) == ["the quick", "brown fox"]
    assert cut("abcdefghij klm", 4) == ["abcd", "efgh", "ij", "klm"]
    assert cut("a\n\nb", 5) == ["a", "", "b"]


def test_cjk_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    lines = cut("他说：“这是「测试」。”然后走了。", 8)
    assert all(cell_len(line) <= 8 for line in lines)
    assert all(line[0] not in NO_START for line in lines if line)
    assert all(line[-1] not in NO_END for line in lines if line)
    assert "".join(lines) == "他说：“这是「测试」。”然后走了。"


def test_emoji_flags_and_joined_sequences_stay_whole() -> None:
    text = "🇯🇵🇯🇵🇯🇵 👨\u200d👩\u200d👧👨\u200d👩\u200d👧"
    assert cut(text, 4) == ["🇯🇵🇯🇵", "🇯🇵", "👨\u200d👩\u200d👧👨\u200d👩\u200d👧"]
    assert cut(text, 3) == ["🇯🇵", "🇯🇵", "🇯🇵", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"]


_ALPHABET = st.sampled_from([*"ab cd，。「」上虞港口😀é\u0301", "👨\u200d👩\u200d👧", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.integers(min_value=2, max_value=30))
def test_wrapping_never_overflows_and_never_loses_a_character(text: str, width: int) -> None:
    ranges = wrap(text, width)
    for a, b in ranges:
        assert cell_len(text[a:b]) <= width
    kept = "".join(text[a:b] for a, b in ranges)
    assert kept.replace(" ", "") == text.replace(" ", "").replace("\n", "")
    starts = [a for a, _ in ranges]
    assert starts == sorted(starts)
