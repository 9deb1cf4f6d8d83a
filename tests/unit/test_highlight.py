"""What a search lights in an article: the terms of a query found in a text, folded as
the search index folds them, whole words for Latin and anywhere for CJK."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest

from newsreader.query import And, Flag, Not, Or, Phrase, Term, parse
from newsreader.query.highlight import MAX_TERMS, Highlighter, fold, terms_of


def lit(query: str, text: str) -> list[str]:
    """The pieces of ``text`` that ``query`` lights, in order."""
    highlighter = terms_of(parse(query))
    assert highlighter is not None, query
    return [text[start:end] for start, end in highlighter.spans(text)]


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("ferry", "The Ferry left; ferry, FERRY! ferryboat aferry", ["Ferry", "ferry", "FERRY"]),
        ("ferry 12", "ferry 12 at 12:30 and 120", ["ferry", "12", "12"]),
        ("ferry_x", "ferry_x ferry x", ["ferry_x", "ferry x"]),  # a phrase: "_" separates
        ("ferr*", "Ferry ferryboat ferr aferry", ["Ferry", "ferryboat", "ferr"]),
        ("ferry OR quay", "quay and ferry", ["quay", "ferry"]),
        ("title:harbour author:lee", "Harbour news by Ann Lee", ["Harbour", "Lee"]),
        ("source:times feed:gazette", "Times and Gazette", ["Times", "Gazette"]),
    ],
)
def test_latin_words_match_whole_words_in_any_case(
    query: str, text: str, expected: list[str]
) -> None:
    assert lit(query, text) == expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("cafe", "Café au lait, CAFÉ, cafés, cafe\u0301!", ["Café", "CAFÉ", "cafe\u0301"]),
        ("café", "cafe and Cafe", ["cafe", "Cafe"]),
        ("naive resume", "Naïve résumé", ["Naïve", "résumé"]),
        ("sao", "São Paulo", ["São"]),
        ("ｆｅｒｒｙ", "ferry", ["ferry"]),  # full-width Latin, NFKC
        ("ferry", "ｆｅｒｒｙ", ["ｆｅｒｒｙ"]),
        ("office", "the ﬃce oﬃce", ["oﬃce"]),  # a ligature folds to its letters
        ("istanbul", "İSTANBUL", ["İSTANBUL"]),
    ],
)
def test_accents_and_compatibility_forms_are_folded(
    query: str, text: str, expected: list[str]
) -> None:
    assert lit(query, text) == expected


def test_sharp_s_matches_ss_and_maps_back_to_the_original_offsets() -> None:
    text = "Die STRASSE, die Straße und die Großstraße; Maße"
    assert lit("strasse", text) == ["STRASSE", "Straße"]
    assert lit("straße", text) == ["STRASSE", "Straße"]
    assert lit("masse", text) == ["Maße"]
    # what follows an expanded character still lands on its own offsets
    assert lit("die", "ßßß die") == ["die"]
    highlighter = terms_of(parse("und"))
    assert highlighter is not None
    assert highlighter.spans(text) == [(text.index("und"), text.index("und") + 3)]


def test_an_accent_written_apart_stays_with_its_letter() -> None:
    text = "re\u0301sume\u0301 x"
    assert lit("resume", text) == ["re\u0301sume\u0301"]


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("e-mail", "Send an E-mail, an e — mail, not an email", ["E-mail", "e — mail"]),
        ('"ferry timetable"', "the ferry, timetable; ferry timetables", ["ferry, timetable"]),
        ('"ferry timetable"', "ferry\ntimetable", ["ferry\ntimetable"]),
        (
            '"open sour"*',
            "open source, open sourcing, opensource",
            ["open source", "open sourcing"],
        ),
        ("don't", "Don't or don t, not dont", ["Don't", "don t"]),
    ],
)
def test_a_phrase_matches_its_words_in_order_across_punctuation(
    query: str, text: str, expected: list[str]
) -> None:
    assert lit(query, text) == expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        # Chinese: one, two and three or more characters, anywhere in a run
        ("闻", "上虞新闻，新闻网", ["闻", "闻"]),
        ("新闻", "上虞新闻，新 闻", ["新闻"]),
        ("经开区", "上虞经开区今年的经济", ["经开区"]),
        ("上虞新闻网", "浙江上虞新闻网报道", ["上虞新闻网"]),
        # Japanese
        ("京", "東京タワー", ["京"]),
        ("東京", "東京タワーは東京にある", ["東京", "東京"]),
        ("タワー", "東京タワーは高い", ["タワー"]),
        # Korean: Hangul syllables stay whole, so 하 never lights inside 한
        ("국", "한국어", ["국"]),
        ("한국", "한국어와 대한민국", ["한국"]),
        ("대한민국", "우리 대한민국 만세", ["대한민국"]),
        ("하", "한국", []),
        # CJK beside Latin, as the index's pairs see it
        ("ferry上虞", "ferry上虞, ferry 上虞, ferryx上虞", ["ferry上虞", "ferry 上虞"]),
        ("tower", "東京tower", ["tower"]),
    ],
)
def test_cjk_matches_anywhere(query: str, text: str, expected: list[str]) -> None:
    assert lit(query, text) == expected


def test_excluded_words_groups_and_states_light_nothing() -> None:
    assert lit("ferry -strike", "ferry strike") == ["ferry"]
    assert lit("ferry -(quay OR pier)", "ferry quay pier") == ["ferry"]
    assert lit("group:local ferry", "local ferry") == ["ferry"]
    assert lit("ferry is:unread after:2024-01-01 age:<7d", "unread ferry") == ["ferry"]
    for query in ("is:unread", "-ferry", "group:local", "age:<7d has:enclosure", "-新闻"):
        assert terms_of(parse(query)) is None, query


def test_terms_are_collected_from_the_tree_whatever_its_shape() -> None:
    tree = And(
        (
            Or((Term("ferry"), Phrase(("quay", "side")))),
            Not(Term("strike")),
            Flag("is:unread"),
            Term("gate", "group"),
            Term("harb", "title", True),
        )
    )
    assert lit_tree(tree, "Ferry at the quay-side, strike at Harbour gate") == [
        "Ferry",
        "quay-side",
        "Harbour",
    ]


def lit_tree(tree: And, text: str) -> list[str]:
    highlighter = terms_of(tree)
    assert highlighter is not None
    return [text[start:end] for start, end in highlighter.spans(text)]


def test_overlapping_and_touching_matches_are_merged() -> None:
    assert lit("上虞 虞新", "上虞新闻") == ["上虞新"]
    assert lit("上虞 新闻", "上虞新闻") == ["上虞新闻"]
    assert lit("哈哈", "哈哈哈 哈") == ["哈哈哈"]
    assert lit('ferry "ferry timetable" time*', "ferry timetable") == ["ferry timetable"]
    assert lit('ferry "ferry timetable"', "ferry timetables") == ["ferry"]
    highlighter = terms_of(parse("ferry ferr* fer*"))
    assert highlighter is not None
    spans = highlighter.spans("ferry ferryboat x fer")
    assert spans == [(0, 5), (6, 15), (18, 21)]


def test_spans_are_sorted_apart_and_within_the_text() -> None:
    text = "Straße 上虞新闻 café e-mail ﬃ " * 20
    highlighter = terms_of(parse("straße 新闻 cafe e-mail ffi 虞"))
    assert highlighter is not None
    spans = highlighter.spans(text)
    assert spans
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b < c for (_, b), (c, _) in pairwise(spans))


def test_equal_queries_give_equal_highlighters() -> None:
    assert terms_of(parse("ferry quay")) == terms_of(parse("quay  ferry is:unread"))
    assert terms_of(parse("ferry")) != terms_of(parse("ferr*"))
    assert len({terms_of(parse("Ferry")), terms_of(parse("ferry"))}) == 1


def test_a_term_with_nothing_left_after_folding_is_dropped() -> None:
    assert fold("\u0301") == ""
    with pytest.raises(ValueError):
        Highlighter([(("\u0301",), False)])
    assert Highlighter([(("\u0301",), False), (("x",), False)]).spans("x") == [(0, 1)]


def test_the_number_of_terms_is_bounded() -> None:
    words = [f"w{n}" for n in range(MAX_TERMS * 3)]
    highlighter = Highlighter([((word,), False) for word in words])
    assert len(highlighter.spans(" ".join(words))) == MAX_TERMS


def test_hostile_text_is_harmless() -> None:
    evil = "a\x00b\x1b[31m ferry\x07\u202e quay\ud800\U0010fffd ferry"
    assert lit("ferry quay", evil) == ["ferry", "quay", "ferry"]
    assert lit("ferry", "") == []
    assert lit('"a b"', "a\x00b") == ["a\x00b"]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("的", "的" * 200_000),
        ("a", "a " * 100_000),
        ('"a b c"', "a b " * 100_000),
        ('"a b"', "a" + " " * 200_000),
        ("e-mail", "e-" * 100_000),
        ("ferr* 新闻 café straße", "Ferry café 上虞新闻 Straße\x00 " * 8_000),
    ],
)
def test_huge_repeated_text_takes_linear_time(query: str, text: str) -> None:
    highlighter = terms_of(parse(query))
    assert highlighter is not None
    started = time.perf_counter()
    highlighter.spans(text)
    assert time.perf_counter() - started < 1.0
