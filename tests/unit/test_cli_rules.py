"""``newsreader rules apply``, and rules in ``newsreader fetch``: the real command on a
real store."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.readonly import ReadOnlyMedia, read_only_media_in
from tests.unit.test_rules import FEEDS, HARBOUR, RULES, TIDES, write

NEWSREADER = Path(sys.executable).parent / "newsreader"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSREADER), *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[ReadOnlyMedia]:
    yield from read_only_media_in(tmp_path)


@pytest.fixture
def fetched(tmp_path: Path) -> tuple[Path, Path]:
    """A store fetched before feeds.yaml had any rule; then the rules are added."""
    write(tmp_path, HARBOUR, TIDES)
    config = tmp_path / "feeds.yaml"
    config.write_text(FEEDS.split("    rules:")[0] + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    done = run("fetch", "--config", config, "--db", db)
    assert done.returncode == 0, done.stderr
    config.write_text(RULES + FEEDS, encoding="utf-8")
    return config, db


def titles(config: Path, db: Path) -> dict[str, list[tuple[str, bool, bool]]]:
    listed = json.loads(run("list", "--json", "--config", config, "--db", db).stdout)
    return {
        feed["name"]: [(a["title"], a["read"], a["starred"]) for a in feed["articles"]]
        for feed in listed["feeds"]
    }


def test_rules_apply_acts_on_what_is_stored_and_says_what_each_rule_did(
    fetched: tuple[Path, Path],
) -> None:
    config, db = fetched
    done = run("rules", "apply", "--config", config, "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "title:sponsored → hide: 2 articles (0 already)",
        "Ferries → star: 2 articles (0 already)",
        "title:weather → mark_read, star: 1 article (0 already)",
        'title:"tide times" (feed Tides) → mark_read: 1 article (0 already)',
    ]
    assert titles(config, db) == {
        "Harbour": [("Weather warning", True, True), ("Ferry timetable", False, True)],
        "Tides": [("Ferry pier", False, True), ("Tide times for Monday", True, False)],
    }
    # A second run finds everything done already, and the labels are not repeated.
    again = run("rules", "apply", "--config", config, "--db", db)
    assert again.stdout.splitlines()[0] == "title:sponsored → hide: 2 articles (2 already)"
    with sqlite3.connect(db) as con:
        labels = con.execute("SELECT rule FROM articles WHERE title = 'Ferry pier'").fetchone()
    assert labels == ("Ferries",)


def test_rules_apply_counts_what_was_already_so(fetched: tuple[Path, Path]) -> None:
    config, db = fetched
    with sqlite3.connect(db) as con:
        con.execute("UPDATE articles SET starred = 1 WHERE title = 'Ferry pier'")
        con.execute("UPDATE articles SET read = 1 WHERE title = 'Weather warning'")
    done = run("rules", "apply", "--config", config, "--db", db)
    lines = done.stdout.splitlines()
    assert lines[1] == "Ferries → star: 2 articles (1 already)"
    # Read is not enough for a rule that also stars.
    assert lines[2] == "title:weather → mark_read, star: 1 article (0 already)"


def test_fetch_applies_the_rules_to_new_articles(tmp_path: Path) -> None:
    write(tmp_path, HARBOUR, TIDES)
    config = tmp_path / "feeds.yaml"
    config.write_text(RULES + FEEDS, encoding="utf-8")
    db = tmp_path / "news.db"
    done = run("fetch", "--config", config, "--db", db)
    assert done.returncode == 0, done.stderr
    got = titles(config, db)
    assert ("Sponsored: a cruise", False, False) not in got["Harbour"]
    assert got["Tides"] == [("Ferry pier", False, True), ("Tide times for Monday", True, False)]
    found = run("search", "sponsored", "--json", "--config", config, "--db", db)
    assert json.loads(found.stdout) == {"feeds": []}


def test_no_rules_is_a_note_and_success(tmp_path: Path) -> None:
    write(tmp_path, HARBOUR, TIDES)
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - {name: Harbour, path: harbour.xml}\n", encoding="utf-8")
    done = run("rules", "apply", "--config", config, "--db", tmp_path / "news.db")
    assert done.returncode == 0
    assert done.stdout == f"No rules in {config}: nothing to apply.\n"
    assert done.stderr == ""


def test_a_store_that_cannot_be_written_is_one_line_and_exit_1(
    fetched: tuple[Path, Path], read_only_media: ReadOnlyMedia
) -> None:
    config, db = fetched
    folder = read_only_media.hold(db)
    done = run("rules", "apply", "--config", config, "--db", folder / db.name)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"newsreader: {folder / db.name}: cannot write"), done.stderr


def test_a_broken_rule_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("rules:\n  - {match: 'title:(', then: hide}\nfeeds: []\n", encoding="utf-8")
    done = run("rules", "apply", "--config", config, "--db", tmp_path / "news.db")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert ":2: rule: match: column" in done.stderr
