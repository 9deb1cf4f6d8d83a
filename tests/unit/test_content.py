"""The sanitiser: no escape sequence or control character survives, text does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.text.sanitise import clean_block, clean_line, clean_optional, strip_controls

FORBIDDEN = (
    {chr(c) for c in range(0x20) if c not in (0x09, 0x0A)}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
    | {"\ufeff"}
)


def assert_clean(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in FORBIDDEN})
    assert not found, f"forbidden characters survived: {found}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m plain", "red plain"),
        ("a\x1b[?25lb", "ab"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[38;2;255;0;0mb", "ab"),
        ("a\x9b31mb", "ab"),
        ("x\x1b[", "x"),
        ("x\x1b", "x"),
        ("a\x1b(Bb", "ab"),
        ("a\x1b=b", "ab"),
    ],
    ids=["sgr", "private-mode", "erase", "truecolor", "8bit-csi", "open-csi", "lone-esc",
         "charset", "keypad"],
)  # fmt: skip
def test_csi_and_short_escapes_are_removed_whole(raw: str, expected: str) -> None:
    assert strip_controls(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x1b]0;evil title\x07b", "ab"),
        ("a\x1b]2;evil title\x1b\\b", "ab"),
        ("\x1b]8;;http://evil.example.org/\x1b\\click\x1b]8;;\x1b\\", "click"),
        ("\x1b]8;;http://evil.example.org/\x07click\x1b]8;;\x07", "click"),
        ("copy\x1b]52;c;ZXZpbCBjb21tYW5k\x07 me", "copy me"),
        ("copy\x1b]52;c;ZXZpbA==\x1b\\ me", "copy me"),
        ("a\x9d0;title\x9cb", "ab"),
        ("a\x9d52;c;ZXZpbA==\x07b", "ab"),
        ("a\x1bPq#0;2;0;0;0#0~~\x1b\\b", "ab"),
        ("a\x90+q544e\x9cb", "ab"),
        ("a\x1bXsos payload\x1b\\b", "ab"),
        ("a\x1b^privacy message\x1b\\b", "ab"),
        ("a\x1b_application command\x1b\\b", "ab"),
        ("a\x9fapc\x9cb", "ab"),
    ],
    ids=["osc0-bel", "osc2-st", "osc8-st", "osc8-bel", "osc52-bel", "osc52-st", "8bit-osc-st",
         "8bit-osc-bel", "dcs-sixel", "8bit-dcs", "sos", "pm", "apc", "8bit-apc"],
)  # fmt: skip
def test_string_sequences_are_removed_with_their_payload(raw: str, expected: str) -> None:
    assert strip_controls(raw) == expected


def test_an_unterminated_osc_swallows_the_rest_so_no_payload_leaks() -> None:
    assert strip_controls("safe \x1b]52;c;ZXZpbA==\nmore") == "safe "
    assert strip_controls("safe \x9d0;title") == "safe "


def test_an_escape_inside_an_osc_payload_leaves_no_escape_behind() -> None:
    result = strip_controls("a\x1b]0;ti\x1b[31mtle\x07b")
    assert_clean(result)
    assert result.startswith("a")
    assert result.endswith("b")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b", "ab"),
        ("a\x7fb", "ab"),
        ("a\x08b", "ab"),
        ("a\x85b", "ab"),
        ("\u202eevil\u202c", "evil"),
        ("\u202a\u202b\u202c\u202d\u202ex", "x"),
        ("\u2066\u2067\u2068x\u2069", "x"),
        ("\ufeffbom", "bom"),
    ],
    ids=["nul", "del", "backspace", "nel", "rlo", "embeddings", "isolates", "bom"],
)
def test_single_controls_and_bidi_overrides_are_removed(raw: str, expected: str) -> None:
    assert strip_controls(raw) == expected


def test_newlines_and_tabs_survive_and_carriage_returns_become_newlines() -> None:
    assert strip_controls("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"


def test_vertical_tab_and_form_feed_separate_words() -> None:
    """Regression: they used to be deleted, gluing the words on either side together."""
    assert clean_line("one\x0btwo\x0cthree") == "one two three"


@pytest.mark.parametrize(
    "markup",
    ["[link=http://x]click[/link]", "[/]", "[bold red]x[/]", "[@click=app.quit]q[/]", "\\[x]"],
)
def test_rich_markup_is_kept_literally(markup: str) -> None:
    assert strip_controls(markup) == markup
    assert clean_line(markup) == markup
    assert clean_block(markup) == markup


def test_clean_line_folds_all_whitespace_to_single_spaces() -> None:
    assert clean_line("  Big\n\nnews\t\u00a0today\u3000 ") == "Big news today"
    assert clean_line(None) == ""
    assert clean_line("") == ""


def test_clean_optional_gives_none_for_nothing_left() -> None:
    assert clean_optional(" \x1b[0m \n") is None
    assert clean_optional(" title ") == "title"


def test_clean_block_joins_paragraphs_with_exactly_one_blank_line() -> None:
    raw = "\n\n  First line \n  second\tline\n\n\n\n Next  para \n \n\t\nLast\n\n"
    assert clean_block(raw) == "First line\nsecond line\n\nNext para\n\nLast"


def test_clean_block_treats_a_line_of_ideographic_spaces_as_blank() -> None:
    """Regression: a paragraph gap made of U+3000 merged two paragraphs into one."""
    raw = "\u3000\u3000第一段。\n\u3000\u3000\n\u3000\u3000第二段。"
    assert clean_block(raw) == "第一段。\n\n第二段。"


def test_clean_block_keeps_ideographic_space_inside_a_line() -> None:
    assert clean_block("标题\u3000副标题") == "标题\u3000副标题"


def test_clean_block_turns_unicode_line_separators_into_newlines() -> None:
    assert clean_block("a\u2028b\u2029c") == "a\nb\n\nc"


def test_clean_block_of_nothing_is_empty() -> None:
    assert clean_block(None) == ""
    assert clean_block("\x1b[0m\n\n \u202e") == ""


# Text made of the pieces attackers use, so that sequences are actually formed.
_PIECES = st.sampled_from(
    ["\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b\\", "\x07", "\x9b", "\x9d", "\x90", "\x9c",
     "\x00", "\x7f", "\r", "\n", "\t", "\x0b", " ", "\u00a0", "\u3000", "\u202e", "\u2066",
     "\ufeff", "[bold]", "[/]", "0;", "52;c;", "31m", "a", "Z", "中", "\u2028"]
)  # fmt: skip
_HOSTILE = st.one_of(st.lists(_PIECES, max_size=40).map("".join), st.text(max_size=200))


@given(_HOSTILE)
def test_no_output_ever_holds_a_control_or_bidi_override(raw: str) -> None:
    assert_clean(strip_controls(raw))
    assert_clean(clean_line(raw))
    assert_clean(clean_block(raw))


@given(_HOSTILE)
def test_clean_line_is_one_trimmed_line(raw: str) -> None:
    line = clean_line(raw)
    assert "\n" not in line
    assert "\t" not in line
    assert line == line.strip()
    assert "  " not in line


@given(_HOSTILE)
def test_clean_block_is_stable_and_well_formed(raw: str) -> None:
    block = clean_block(raw)
    assert clean_block(block) == block
    assert "\n\n\n" not in block
    assert "\t" not in block
    assert block == block.strip()
    for line in block.split("\n"):
        assert line == line.strip()
