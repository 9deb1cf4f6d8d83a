"""``searches:`` and ``rules:`` in feeds.yaml: each query parsed when the file is read,
every mistake one line naming its line (and, for a query, its column), rules kept in
the order they apply, per-feed rules tied to their feed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsreader.commands.check import run_check
from newsreader.config import (
    MAX_RULES,
    MAX_SEARCHES,
    SEARCH_GROUP,
    Config,
    ConfigError,
    Rule,
    SavedSearch,
    load_config,
)
from newsreader.config.searches import MAX_QUERY_LENGTH
from newsreader.query import MAX_LENGTH, And, Flag, Not, Or, Term, parse

FEEDS = """\
feeds:
  - name: Harbour
    path: harbour.rss
  - name: Orbit
    path: orbit.json
"""


def write(folder: Path, text: str, name: str = "feeds.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(folder: Path, text: str) -> Config:
    return load_config(write(folder, text))


def error_of(folder: Path, text: str) -> ConfigError:
    path = write(folder, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


def test_a_config_without_them_has_no_searches_and_no_rules(tmp_path: Path) -> None:
    config = load(tmp_path, FEEDS)
    assert config.searches == ()
    assert config.rules == ()
    assert Config(path=tmp_path).searches == Config(path=tmp_path).rules == ()


@pytest.mark.parametrize("value", ["", "[]", "~"])
def test_empty_sections_are_valid(tmp_path: Path, value: str) -> None:
    config = load(tmp_path, f"searches: {value}\nrules: {value}\n")
    assert config.searches == config.rules == ()


def test_searches_keep_their_order_query_and_group(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        searches:
          - name: Ferries
            query: 'ferry -strike'
            group: Saved
          - name: Unread stars
            query: is:unread is:starred
        """,
    )
    assert config.searches == (
        SavedSearch(
            name="Ferries",
            query="ferry -strike",
            tree=And((Term("ferry"), Not(Term("strike")))),
            group="Saved",
            line=2,
        ),
        SavedSearch(
            name="Unread stars",
            query="is:unread is:starred",
            tree=And((Flag("is:unread"), Flag("is:starred"))),
            group=SEARCH_GROUP,
            line=5,
        ),
    )
    assert SEARCH_GROUP == "Searches"
    assert config.groups == ()  # the feeds' groups only


def test_a_folded_query_reads_its_line_breaks_as_spaces(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        searches:
          - name: Sky
            query: >
              moon
              OR saturn
          - name: Tabs
            query: "moon\\tOR\\nsaturn \\t"
        """,
    )
    assert [s.query for s in config.searches] == ["moon OR saturn", "moon OR saturn"]
    assert {s.tree for s in config.searches} == {Or((Term("moon"), Term("saturn")))}


def test_names_and_queries_yaml_would_type_are_taken_as_written(tmp_path: Path) -> None:
    config = load(tmp_path, "searches:\n  - {name: 2600, query: 2025, group: on}\n")
    assert config.searches[0][:2] == ("2600", "2025")
    assert config.searches[0].group == "on"
    assert config.searches[0].tree == Term("2025")


def test_markup_in_names_and_queries_stays_plain_text(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        searches:
          - name: '[bold red]Alert[/] <b>x</b>'
            query: '[link=https://evil.example]ferry'
            group: '[reverse]Saved'
        rules:
          - name: '[blink]boo'
            match: '<script>'
            then: star
        """,
    )
    search = config.searches[0]
    assert search.name == "[bold red]Alert[/] <b>x</b>"
    assert search.query == "[link=https://evil.example]ferry"
    assert search.group == "[reverse]Saved"
    assert config.rules[0].label == "[blink]boo"
    assert config.rules[0].match == "<script>"


def test_global_rules_come_first_then_each_feeds_own_in_feed_order(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        feeds:
          - name: Harbour
            path: harbour.rss
            rules:
              - match: 'title:"tide times"'
                then: mark_read
              - match: fog
                then: [star, mark_read]
          - name: Orbit
            path: orbit.json
          - name: Log
            path: log.atom
            rules:
              - {match: glue, then: hide, name: No glue}
        rules:
          - match: sponsored
            then: hide
          - match: weather
            then: star
        """,
    )
    assert [(r.match, r.actions, r.feed, r.line) for r in config.rules] == [
        ("sponsored", ("hide",), None, 16),
        ("weather", ("star",), None, 18),
        ('title:"tide times"', ("mark_read",), "Harbour", 5),
        ("fog", ("star", "mark_read"), "Harbour", 7),
        ("glue", ("hide",), "Log", 14),
    ]
    assert config.rules[4].name == "No glue"
    assert config.rules[4].label == "No glue"
    assert config.rules[0].label == "sponsored"
    assert config.rules[2].tree == parse('title:"tide times"')
    assert [r.match for r in config.rules_for("Harbour")] == [
        "sponsored",
        "weather",
        'title:"tide times"',
        "fog",
    ]
    assert [r.match for r in config.rules_for("Orbit")] == ["sponsored", "weather"]
    assert [r.match for r in config.rules_for("Log")] == ["sponsored", "weather", "glue"]
    assert all(isinstance(r, Rule) for r in config.rules)


def test_rules_merged_into_a_feed_belong_to_that_feed(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        feeds:
          - &quiet
            name: One
            path: one.rss
            rules:
              - {match: ads, then: hide}
          - <<: *quiet
            name: Two
            path: two.rss
        """,
    )
    assert [(r.feed, r.match) for r in config.rules] == [("One", "ads"), ("Two", "ads")]


# Each case: the YAML, the line the error must name, words the message must hold.
BAD = [
    pytest.param("searches: {name: A}\n", 1, ["searches must be a list of searches"], id="s-map"),
    pytest.param("searches:\n  - ferry\n", 2, ["a search must be a mapping"], id="s-text"),
    pytest.param(
        "searches:\n  - name: A\n    querry: x\n",
        3,
        ["unknown key 'querry' in search", "did you mean 'query'"],
        id="s-unknown-key",
    ),
    pytest.param("searches:\n  - query: x\n", 2, ["search needs name:"], id="s-no-name"),
    pytest.param("searches:\n  - name: A\n", 2, ["search needs query:"], id="s-no-query"),
    pytest.param(
        "searches:\n  - {name: '  ', query: x}\n", 2, ["name must not be empty"], id="s-empty-name"
    ),
    pytest.param(
        "searches:\n  - name: A\n    query: ''\n",
        3,
        ["search 'A': query must not be empty"],
        id="s-empty-query",
    ),
    pytest.param(
        "searches:\n  - name: A\n    query: [ferry]\n",
        3,
        ["search 'A': query must be text, not a list"],
        id="s-query-list",
    ),
    pytest.param(
        "searches:\n  - name: A\n    group: [x]\n    query: x\n",
        3,
        ["group must be text, not a list"],
        id="s-group-list",
    ),
    pytest.param(
        "searches:\n  - name: A\n    query: x\n  - name: Ferries\n    query: '(ferry -strike'\n",
        5,
        ["search 'Ferries': query: column 15: expected ')' to close the '(' at column 1"],
        id="s-query-syntax",
    ),
    pytest.param(
        "searches:\n  - name: A\n    query: 'titel:ferry'\n",
        3,
        ["search 'A': query: column 1: unknown field 'titel:'"],
        id="s-unknown-field",
    ),
    pytest.param(
        "searches:\n  - name: A\n    query: x\n  - name: A\n    query: y\n",
        4,
        ["duplicate search name 'A' (first at line 2)"],
        id="s-duplicate",
    ),
    pytest.param(
        FEEDS + "searches:\n  - name: Orbit\n    query: moon\n",
        7,
        ["search name 'Orbit' is already the name of a feed (line 4)"],
        id="s-feed-name",
    ),
    pytest.param(
        'searches:\n  - name: "A\\tB"\n    query: x\n',
        2,
        ["name must not contain control characters"],
        id="s-name-tab",
    ),
    pytest.param(
        'searches:\n  - name: "A\\u202eB"\n    query: x\n',
        2,
        ["name must not contain control characters"],
        id="s-name-bidi",
    ),
    pytest.param(
        'searches:\n  - name: A\n    query: "ferry\\x1b[31m"\n',
        3,
        ["search 'A': query must not contain control characters"],
        id="s-query-escape",
    ),
    pytest.param("rules: {match: x}\n", 1, ["rules must be a list of rules"], id="r-map"),
    pytest.param("rules:\n  - hide\n", 2, ["a rule must be a mapping"], id="r-text"),
    pytest.param(
        "rules:\n  - match: x\n    than: hide\n",
        3,
        ["unknown key 'than' in rule", "did you mean 'then'"],
        id="r-unknown-key",
    ),
    pytest.param("rules:\n  - then: hide\n", 2, ["rule needs match:"], id="r-no-match"),
    pytest.param("rules:\n  - match: x\n", 2, ["rule needs then:"], id="r-no-then"),
    pytest.param(
        "rules:\n  - match: x\n    then: stars\n",
        3,
        ["rule: then: unknown action 'stars' (did you mean 'star'?)", "mark_read, star or hide"],
        id="r-unknown-action",
    ),
    pytest.param(
        "rules:\n  - match: x\n    then: Hide\n",
        3,
        ["unknown action 'Hide' (did you mean 'hide'?)"],
        id="r-action-case",
    ),
    pytest.param(
        'rules:\n  - match: x\n    then: "st\\x1b[2Jar"\n',
        3,
        ["unknown action 'st\\x1b[2Jar'"],
        id="r-action-escape",
    ),
    pytest.param(
        "rules:\n  - match: x\n    then: []\n",
        3,
        ["rule: then is an empty list"],
        id="r-empty-list",
    ),
    pytest.param(
        "rules:\n  - match: x\n    then:\n      - star\n      - star\n",
        5,
        ["rule: then: 'star' is given twice"],
        id="r-twice",
    ),
    pytest.param(
        "rules:\n  - match: x\n    then: {hide: true}\n",
        3,
        ["rule: then must be mark_read, star or hide or a list of them, not a mapping"],
        id="r-then-map",
    ),
    pytest.param(
        "rules:\n  - match: x\n    then:\n      - star\n      - 3\n",
        5,
        ["rule: then must be mark_read, star or hide, not a number"],
        id="r-then-item",
    ),
    pytest.param(
        "rules:\n  - match: x\n    then:\n",
        3,
        ["rule: then must be mark_read, star or hide or a list of them, not nothing"],
        id="r-then-null",
    ),
    pytest.param(
        "rules:\n  - name: Ads\n    match: '-'\n    then: hide\n",
        3,
        ["rule 'Ads': match: column 2: expected what to exclude"],
        id="r-named-query",
    ),
    pytest.param(
        "rules:\n  - match: is:new\n    then: hide\n",
        2,
        ["rule: match: column 4: expected unread, read or starred after 'is:'"],
        id="r-flag",
    ),
    pytest.param(
        FEEDS.replace(
            "    path: orbit.json\n",
            "    path: orbit.json\n    rules:\n"
            "      - match: 'after:2025-02-30'\n        then: star\n",
        ),
        7,
        ["rule of feed 'Orbit': match: column 7: there is no day 2025-02-30"],
        id="r-feed-query",
    ),
    pytest.param(
        FEEDS.replace("    path: orbit.json\n", "    path: orbit.json\n    rules: hide\n"),
        6,
        ["rules of feed 'Orbit' must be a list of rules, not text"],
        id="r-feed-not-list",
    ),
    pytest.param(
        FEEDS.replace(
            "    path: orbit.json\n",
            "    path: orbit.json\n    rules:\n      - {match: x, then: hide, feed: Orbit}\n",
        ),
        7,
        ["unknown key 'feed' in rule"],
        id="r-feed-key",
    ),
    pytest.param(
        "rules:\n  - {match: x, then: hide, name: ''}\n",
        2,
        ["name must not be empty"],
        id="r-empty-name",
    ),
    pytest.param(
        "serches: []\n", 1, ["unknown key 'serches'", "did you mean 'searches'"], id="top-typo"
    ),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD)
def test_every_mistake_is_one_line_naming_its_line(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    error = error_of(tmp_path, text)
    message = str(error)
    assert error.line == line, message
    assert message.startswith(f"{tmp_path / 'feeds.yaml'}:{line}: "), message
    assert message.isprintable()
    for word in words:
        assert word in message, message
    assert error.exit_code == 2


def test_config_check_reports_a_bad_query_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "rules:\n  - match: 'ferry OR'\n    then: hide\n")
    assert run_check(path) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"newsreader: {path}:2: rule: match: column 9:"
        " expected something to search for after 'OR'\n"
    )


def test_config_check_counts_query_feeds_and_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        FEEDS + "searches:\n  - {name: S, query: x}\nrules:\n  - {match: a, then: star}\n"
        "  - {match: b, then: hide}\n",
    )
    assert run_check(path) == 0
    assert capsys.readouterr().out == f"{path}: OK, 2 feeds in 1 group, 1 query feed, 2 rules\n"


def test_a_query_may_be_as_long_as_the_parser_takes_and_no_longer(tmp_path: Path) -> None:
    assert MAX_QUERY_LENGTH == MAX_LENGTH
    longest = ("ferry " * MAX_LENGTH)[: MAX_LENGTH - 1] + "x"
    config = load(tmp_path, f"searches:\n  - name: Long\n    query: '{longest}'\n")
    assert len(config.searches[0].query) == MAX_LENGTH
    error = error_of(tmp_path, f"searches:\n  - name: Long\n    query: '{longest}y'\n")
    assert error.line == 3
    assert "search 'Long': query is longer than 4,096 characters" in str(error)
    assert len(str(error)) < 200


def test_more_searches_than_the_bound_is_an_error_at_the_first_one_too_many(
    tmp_path: Path,
) -> None:
    lines = [f"  - {{name: S{i}, query: x}}" for i in range(MAX_SEARCHES + 1)]
    error = error_of(tmp_path, "searches:\n" + "\n".join(lines) + "\n")
    assert error.line == MAX_SEARCHES + 2
    assert f"more than {MAX_SEARCHES:,} searches" in str(error)


def test_the_rule_bound_counts_global_and_per_feed_rules_together(tmp_path: Path) -> None:
    rules = "\n".join("  - {match: x, then: star}" for _ in range(MAX_RULES - 1))
    text = (
        "feeds:\n  - name: A\n    path: a.rss\n    rules:\n"
        "      - {match: y, then: hide}\n      - {match: z, then: hide}\n"
        f"rules:\n{rules}\n"
    )
    error = error_of(tmp_path, text)
    assert error.line == 6  # the second feed rule is the 1,001st
    assert f"more than {MAX_RULES:,} rules" in str(error)
    assert len(load(tmp_path, text.replace("      - {match: z, then: hide}\n", "")).rules) == (
        MAX_RULES
    )


def test_aliases_cannot_multiply_rules_past_the_bound(tmp_path: Path) -> None:
    """A list of rules shared through an alias by many feeds is refused before its
    queries are parsed over and over."""
    many = "\n".join("      - {match: 'a b c (d OR e)', then: star}" for _ in range(900))
    feeds = "\n".join(f"  - {{name: F{i}, path: f{i}.rss, rules: *r}}" for i in range(2000))
    text = f"feeds:\n  - name: First\n    path: first.rss\n    rules: &r\n{many}\n{feeds}\n"
    start = time.perf_counter()
    error = error_of(tmp_path, text)
    assert time.perf_counter() - start < 5
    assert f"more than {MAX_RULES:,} rules" in str(error)


def test_the_bundled_config_shows_a_query_feed_and_a_rule(repo: Path) -> None:
    config = load_config(repo / "feeds.yaml")
    assert [s.name for s in config.searches] == ["Repairs"]
    assert config.searches[0].group == SEARCH_GROUP
    assert [(r.match, r.actions, r.feed) for r in config.rules] == [
        ("title:weather", ("star",), None)
    ]


def test_a_config_without_queries_does_not_import_the_parser(tmp_path: Path) -> None:
    """Reading a feeds.yaml is on every command's start-up path."""
    path = write(tmp_path, FEEDS)
    code = (
        "import sys; from pathlib import Path; from newsreader.config import load_config\n"
        f"load_config(Path({str(path)!r}))\n"
        "print('newsreader.query' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
