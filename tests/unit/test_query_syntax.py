"""The query parser: the golden table in tests/data/query/golden.txt is the language,
case by case; the properties below hold for any text at all."""

from __future__ import annotations

import pickle
import re
import sqlite3
import string
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from newsreader.errors import NewsreaderError, QueryError
from newsreader.query import (
    AGE_UNITS,
    FLAGS,
    MAX_AGE_SECONDS,
    MAX_DEPTH,
    MAX_LENGTH,
    TEXT_FIELDS,
    Age,
    And,
    DateBound,
    Flag,
    Node,
    Not,
    Or,
    Phrase,
    Term,
    canonical,
    parse,
)
from newsreader.query.syntax import MESSAGES

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "query" / "golden.txt"
_ESCAPE = re.compile(
    r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|\{(\d+)\*([^}]*)\}|(.))"
)
_SIMPLE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match[1] or match[2] or match[3]
        if code:
            return chr(int(code, 16))
        if match[4]:
            return match[5] * int(match[4])
        return _SIMPLE[match[6]]

    return _ESCAPE.sub(one, text)


def _golden() -> list[tuple[int, str, str]]:
    cases = []
    for number, line in enumerate(GOLDEN.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        query, tab, expected = line.partition("\t")
        assert tab and "\t" not in expected, f"golden.txt:{number}: one tab expected"
        cases.append((number, _unescape(query), _unescape(expected)))
    return cases


CASES = _golden()


def _outcome(query: str) -> str:
    try:
        return canonical(parse(query))
    except QueryError as error:
        return f"error: {error}"


@pytest.mark.parametrize(
    ("number", "query", "expected"), CASES, ids=[f"line{n}" for n, _, _ in CASES]
)
def test_each_query_of_the_golden_table_parses_as_written_there(
    number: int, query: str, expected: str
) -> None:
    assert _outcome(query) == expected


def test_every_message_the_parser_can_give_is_in_the_golden_table() -> None:
    errors = [expected for _, _, expected in CASES if expected.startswith("error: ")]
    for message in MESSAGES:
        pattern = re.escape(message)
        pattern = re.sub(r"\\\{\w+\\\}", ".+", pattern)
        shown = re.compile(r"error: query: column \d+: " + pattern + "$")
        assert any(shown.match(line) for line in errors), message


def test_every_golden_answer_is_a_fixed_point_of_the_parser() -> None:
    """The canonical forms are themselves queries that parse to themselves."""
    for number, _, expected in CASES:
        if not expected.startswith("error: "):
            assert _outcome(expected) == expected, f"golden.txt:{number}"


# --- the tree -------------------------------------------------------------------------


def test_the_tree_is_made_of_the_node_types() -> None:
    assert parse('ferry -"general strike" OR title:boat* is:unread age:<2h') == Or(
        (
            And((Term("ferry"), Not(Phrase(("general", "strike"))))),
            And((Term("boat", "title", prefix=True), Flag("is:unread"), Age("<", 7200))),
        )
    )
    assert parse("after:2025-01-01") == DateBound("after", date(2025, 1, 1))
    assert parse("e-mail") == Phrase(("e", "mail"))


def test_nodes_of_different_kinds_are_never_equal_even_with_the_same_fields() -> None:
    a, b = Term("a"), Term("b")
    assert And((a, b)) != Or((a, b))
    assert hash(And((a, b))) != hash(Or((a, b)))
    assert Not(Or((a, b))) != And((Or((a, b)),))
    assert parse("a b") != parse("a OR b")
    assert len({parse("a b"), parse("a OR b"), parse("(a b)")}) == 2


def test_nodes_are_immutable_hashable_and_pickle() -> None:
    tree = parse("(ferry OR boat) -title:strike after:2025-01-01 has:enclosure")
    assert {tree: 1}[parse(canonical(tree))] == 1
    assert pickle.loads(pickle.dumps(tree)) == tree
    with pytest.raises(AttributeError):
        tree.items = ()  # type: ignore[misc]


# --- the error -------------------------------------------------------------------------


def test_a_query_error_is_one_line_with_its_column_and_can_name_another_place() -> None:
    with pytest.raises(QueryError) as caught:
        parse("(ferry OR", where="feeds.yaml:12")
    error = caught.value
    assert str(error) == ("feeds.yaml:12: column 10: expected something to search for after 'OR'")
    assert (error.where, error.column, error.exit_code) == ("feeds.yaml:12", 10, 2)
    assert isinstance(error, NewsreaderError)
    moved = error.relocated("search")
    assert str(moved) == "search: column 10: expected something to search for after 'OR'"
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.column, again.where) == (str(error), 10, "feeds.yaml:12")


def test_huge_and_deep_queries_are_refused_quickly_with_the_bound_in_the_message() -> None:
    started = time.perf_counter()
    for query in ("(" * 1_000_000, "a " * 1_000_000, "\x00" * 5000, "ﷺ" * MAX_LENGTH):
        try:
            parse(query)
        except QueryError as error:
            assert "\n" not in str(error)
    assert time.perf_counter() - started < 2
    with pytest.raises(QueryError, match=f"more than {MAX_DEPTH} deep"):
        parse("-(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    assert parse("-(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH) is not None


# --- properties over any text ----------------------------------------------------------

_PIECES = st.sampled_from(
    [
        " ", "  ", "\t", "\n", "(", ")", '"', "-", "*", ":", "OR", "or", "ferry", "上虞",
        "新闻", "テスト", "서울", "café", "e\u0301", "don't", "c++", "http://x.org/", "12:30",
        "title:", "author:", "feed:", "group:", "source:", "is:", "has:", "after:",
        "before:", "age:", "titel:", "unread", "read", "starred", "enclosure", "2025-01-01",
        "2025-02-30", "<", "<=", ">", ">=", "7d", "0d", "99999w", "90m", "&", "\x00", "\x1b[",
        "\u202e", "\u00ad", "ｆ", "（", "：", "＂", "ﬁ", "①", "´", "\u0338", "=", "ᄀ", "ᅡ",
    ]
)  # fmt: skip
QUERYISH = st.lists(_PIECES, max_size=30).map("".join)
ANY_TEXT = st.text(max_size=300)
ALL_CHARACTERS = st.text(st.characters(codec=None), max_size=80)
DEEP = st.tuples(
    st.sampled_from(["(", "-(", "( ", "(a OR ", '("x" ']),
    st.integers(0, 2 * MAX_DEPTH),
    QUERYISH,
    st.integers(0, 2 * MAX_DEPTH),
).map(lambda t: t[0] * t[1] + t[2] + ")" * t[3])
HUGE = st.tuples(QUERYISH.filter(bool), st.integers(MAX_LENGTH - 50, MAX_LENGTH + 50)).map(
    lambda t: (t[0] * (t[1] // len(t[0]) + 1))[: t[1]]
)


def _check_error(query: str, error: QueryError) -> None:
    assert "\n" not in str(error)
    assert 1 <= error.column <= len(query) + 1
    assert str(error).startswith(f"query: column {error.column}: ")


@given(st.one_of(QUERYISH, ANY_TEXT, ALL_CHARACTERS, DEEP, HUGE))
def test_parse_raises_nothing_but_a_one_line_query_error_on_any_text(query: str) -> None:
    try:
        parse(query)
    except QueryError as error:
        _check_error(query, error)


@given(st.one_of(QUERYISH, ANY_TEXT, ALL_CHARACTERS))
def test_the_canonical_form_parses_back_to_the_same_tree(query: str) -> None:
    try:
        tree = parse(query)
    except QueryError:
        return
    text = canonical(tree)
    assume(len(text) <= MAX_LENGTH)
    assert parse(text) == tree
    assert canonical(parse(text)) == text
    assert hash(parse(text)) == hash(tree)


# Trees as the parser gives them, built directly: canonical must write each one so that
# it parses back, whatever the words are made of.
def _is_one_word(text: str) -> bool:
    categories = [unicodedata.category(ch) for ch in text]
    word_like = all(c[0] in "LNM" or c == "Co" for c in categories)
    return word_like and unicodedata.normalize("NFKC", text) == text


WORDS = st.text(
    st.characters(categories=["Lu", "Ll", "Lo", "Lm", "Nd", "No", "Mn", "Mc", "Co"]),
    min_size=1,
    max_size=6,
).filter(_is_one_word) | st.sampled_from(["OR", "or", "title", "is", "上虞", "a"])
FIELDS = st.none() | st.sampled_from(TEXT_FIELDS)
LEAVES = st.one_of(
    st.builds(Term, WORDS, FIELDS, st.booleans()),
    st.builds(Phrase, st.lists(WORDS, min_size=2, max_size=4).map(tuple), FIELDS, st.booleans()),
    st.builds(Flag, st.sampled_from(FLAGS)),
    st.builds(DateBound, st.sampled_from(["after", "before"]), st.dates()),
    st.builds(
        Age,
        st.sampled_from(["<", "<=", ">", ">="]),
        st.integers(1, MAX_AGE_SECONDS // 60).map(lambda minutes: minutes * 60),
    ),
)


def _joined(kind: type[And] | type[Or], items: list[Node]) -> Node:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else [item])
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


TREES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.lists(inner, min_size=2, max_size=3).map(lambda items: _joined(And, items)),
        st.lists(inner, min_size=2, max_size=3).map(lambda items: _joined(Or, items)),
    ),
    max_leaves=12,
)


@given(TREES)
def test_canonical_writes_every_tree_so_that_it_parses_back(tree: Node) -> None:
    assert parse(canonical(tree)) == tree


def test_an_age_is_written_in_the_largest_unit_that_divides_it() -> None:
    for unit, seconds in AGE_UNITS.items():
        assert canonical(Age("<", 3 * seconds)) == f"age:<3{unit}"


# --- the words are the index's words ---------------------------------------------------


def _fts5_tokens(text: str) -> list[str]:
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 0')")
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no FTS5")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.execute("INSERT INTO t(rowid, x) VALUES (1, ?)", (text,))
    return [row[0] for row in db.execute("SELECT term FROM v ORDER BY offset")]


_SPLITTING = st.text(
    st.sampled_from(string.ascii_letters + string.digits + "'-_.,;/+#@&!?~^$%" + "上虞新闻한국ёжè"),
    min_size=1,
    max_size=20,
)


@given(_SPLITTING)
def test_a_phrase_holds_the_words_sqlite_unicode61_makes_of_the_same_text(text: str) -> None:
    try:
        tree = parse(f'"{text}"')
    except QueryError:
        assert _fts5_tokens(text) == []
        return
    assert isinstance(tree, Phrase | Term)
    words = tree.words if isinstance(tree, Phrase) else (tree.text,)
    assert [word.casefold() for word in words] == _fts5_tokens(text)
