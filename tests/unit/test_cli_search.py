"""``newsreader search`` and ``list --query``: the real command on a real store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NEWSREADER = Path(sys.executable).parent / "newsreader"


def _rss(title: str, items: list[tuple[str, str, str, str]]) -> str:
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{headline}</title><pubDate>{date}</pubDate>"
        f"<description>{body}</description></item>"
        for guid, headline, date, body in items
    )
    channel = f"<channel><title>{title}</title>{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSREADER), *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "harbour.xml").write_text(
        _rss(
            "Harbour",
            [
                ("h1", "Ferry timetable", "Mon, 30 Nov 2026 10:00:00 +0000", "Winter ferry"),
                ("h2", "Council votes", "Tue, 01 Dec 2026 10:00:00 +0000", "The ferry strike"),
                ("h3", "Lanterns", "Wed, 02 Dec 2026 10:00:00 +0000", "On the quay"),
            ],
        ),
        encoding="utf-8",
    )
    (tmp_path / "zh.xml").write_text(
        _rss("上虞", [("z1", "上虞新闻", "Thu, 03 Dec 2026 10:00:00 +0000", "轮渡时刻表 ferry")]),
        encoding="utf-8",
    )
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "feeds:\n"
        "  - {name: Harbour, path: harbour.xml, group: Town}\n"
        "  - {name: Shangyu, path: zh.xml, group: 中文}\n",
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    assert run("fetch", "--config", config, "--db", db).returncode == 0
    return config, db


def test_search_json_is_list_json_shape_newest_first_limited(setup: tuple[Path, Path]) -> None:
    config, db = setup
    done = run("search", "ferry", "--json", "--limit", "2", "--config", config, "--db", db)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    listed = json.loads(run("list", "--json", "--config", config, "--db", db).stdout)
    # The two newest matches (z1 on Dec 3, h2 on Dec 1), grouped by feed in feeds.yaml order.
    assert [(f["name"], [a["id"] for a in f["articles"]]) for f in document["feeds"]] == [
        ("Harbour", ["h2"]),
        ("Shangyu", ["z1"]),
    ]
    harbour = listed["feeds"][0]
    assert document["feeds"][0].keys() == harbour.keys()
    assert document["feeds"][0]["articles"][0] == next(
        a for a in harbour["articles"] if a["id"] == "h2"
    )


def test_search_table_and_nothing_found(setup: tuple[Path, Path]) -> None:
    config, db = setup
    done = run("search", "轮渡", "--config", config, "--db", db)
    assert done.returncode == 0
    assert "中文 › Shangyu" in done.stdout and "上虞新闻" in done.stdout
    assert "Harbour" not in done.stdout
    none = run("search", "tram", "--config", config, "--db", db)
    assert (none.returncode, none.stdout.strip()) == (0, "Nothing matches.")


def test_a_query_error_is_one_line_with_its_column_and_exit_2(setup: tuple[Path, Path]) -> None:
    config, db = setup
    done = run("search", "ferry (strike", "--config", config, "--db", db)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "newsreader: query: column 14: expected ')' to close the '(' at column 7"
    ]
    bad_limit = run("search", "ferry", "--limit", "0", "--config", config, "--db", db)
    assert bad_limit.returncode == 2 and "1 or more" in bad_limit.stderr


def test_list_query_keeps_every_feed_and_shows_only_matches(setup: tuple[Path, Path]) -> None:
    config, db = setup
    done = run("list", "--json", "--query", "is:unread -ferry", "--config", config, "--db", db)
    assert done.returncode == 0, done.stderr
    feeds = json.loads(done.stdout)["feeds"]
    assert [(f["name"], [a["id"] for a in f["articles"]]) for f in feeds] == [
        ("Harbour", ["h3"]),
        ("Shangyu", []),
    ]
    table = run("list", "--query", "group:town lantern*", "--config", config, "--db", db)
    assert "Lanterns" in table.stdout and "Ferry timetable" not in table.stdout
