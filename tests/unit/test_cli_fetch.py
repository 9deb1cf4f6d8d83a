"""``newsreader fetch`` and ``newsreader list`` as a user runs them: exit codes and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.httpserver import FeedServer, make_rss

NEWSREADER = Path(sys.executable).parent / "newsreader"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def newsreader(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSREADER), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def config(tmp_path: Path, feeds: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(f"feeds:\n{feeds}", encoding="utf-8")
    return path


def test_fetch_stores_the_good_feeds_and_names_the_failing_url(
    tmp_path: Path, server: FeedServer
) -> None:
    good = server.add(
        "/good.xml", make_rss("Good news", [("g1", "First"), ("g2", "Second")]), etag='"g1"'
    )
    bad = server.add("/bad.xml", "boom", status=500)
    (tmp_path / "local.xml").write_text(make_rss("Nearby", [("n1", "Near")]), encoding="utf-8")
    cfg = config(
        tmp_path,
        f"  - {{name: Good, url: '{good}', group: Web}}\n"
        f"  - {{name: Bad, url: '{bad}', group: Web}}\n"
        "  - {name: Nearby, path: local.xml}\n",
    )
    db = tmp_path / "news.db"
    done = newsreader("fetch", "--config", cfg, "--db", db)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"newsreader: {bad}: HTTP 500 Internal Server Error"]
    assert "Good" in done.stdout and "Nearby" in done.stdout

    listed = newsreader("list", "--config", cfg, "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    feeds = json.loads(listed.stdout)["feeds"]
    assert [(f["name"], f["group"], len(f["articles"])) for f in feeds] == [
        ("Good", "Web", 2),
        ("Bad", "Web", 0),
        ("Nearby", "Feeds", 1),
    ]
    assert feeds[0]["title"] == "Good news"
    assert feeds[0]["articles"][0]["title"] == "First"
    assert feeds[0]["articles"][0]["read"] is False
    assert feeds[0]["articles"][0]["starred"] is False
    assert feeds[1]["last_error"] == f"{bad}: HTTP 500 Internal Server Error"
    assert feeds[0]["last_error"] is None


def test_a_second_fetch_sends_conditional_requests_and_gets_304(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.add(
        "/feed.xml",
        make_rss("Good news", [("g1", "First")]),
        etag='"v1"',
        last_modified="Wed, 04 Mar 2026 08:00:00 GMT",
    )
    cfg = config(tmp_path, f"  - {{name: Good, url: '{url}'}}\n")
    db = tmp_path / "news.db"
    assert newsreader("fetch", "--config", cfg, "--db", db).returncode == 0
    second = newsreader("fetch", "--config", cfg, "--db", db)
    assert second.returncode == 0 and second.stderr == ""
    assert "not modified" in second.stdout
    request = server.seen("/feed.xml")[-1].headers
    assert request["if-none-match"] == '"v1"'
    assert request["if-modified-since"] == "Wed, 04 Mar 2026 08:00:00 GMT"


def test_an_invalid_config_exits_2_with_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("feeds:\n  - name: [unclosed\n", encoding="utf-8")
    done = newsreader("fetch", "--config", cfg, "--db", tmp_path / "news.db")
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"newsreader: {cfg}:")


def test_a_corrupt_database_exits_1_with_one_line_and_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(make_rss("A", [("a1", "A")]), encoding="utf-8")
    cfg = config(tmp_path, "  - {name: A, path: a.xml}\n")
    db = tmp_path / "news.db"
    db.write_bytes(b"garbage, not SQLite " * 100)
    for command in ("fetch", "list"):
        done = newsreader(command, "--config", cfg, "--db", db)
        assert done.returncode == 1
        [line] = done.stderr.splitlines()
        assert line.startswith(f"newsreader: {db}: ")
        assert "Traceback" not in done.stderr
    assert db.read_bytes() == b"garbage, not SQLite " * 100


def test_list_without_json_prints_a_table_and_unread_filters(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(
        make_rss("A", [("a1", "Alpha story"), ("a2", "Beta story")]), encoding="utf-8"
    )
    cfg = config(tmp_path, "  - {name: Alphabet, path: a.xml, group: Letters}\n")
    db = tmp_path / "news.db"
    assert newsreader("fetch", "--config", cfg, "--db", db).returncode == 0

    from newsreader.store import Store

    with Store.open(db) as store:
        first = store.headlines()[0]
        store.set_read([first.key])
        store.set_starred(first.key, True)

    table = newsreader("list", "--config", cfg, "--db", db)
    assert table.returncode == 0
    assert "Letters › Alphabet" in table.stdout
    assert "Alpha story" in table.stdout and "Beta story" in table.stdout
    unread = json.loads(
        newsreader("list", "--config", cfg, "--db", db, "--unread", "--json").stdout
    )
    articles = unread["feeds"][0]["articles"]
    assert [a["title"] for a in articles] == ["Beta story"]
    everything = json.loads(newsreader("list", "--config", cfg, "--db", db, "--json").stdout)
    flags = [(a["title"], a["read"], a["starred"]) for a in everything["feeds"][0]["articles"]]
    assert flags == [("Alpha story", True, True), ("Beta story", False, False)]


def test_fetch_with_no_feeds_succeeds(tmp_path: Path) -> None:
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("feeds: []\n", encoding="utf-8")
    done = newsreader("fetch", "--config", cfg, "--db", tmp_path / "news.db")
    assert done.returncode == 0, done.stderr
    assert "No feeds configured" in done.stdout
