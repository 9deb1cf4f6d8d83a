"""A third-party source plugin (tests/plugin, installed by the Makefile) works end to end."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.config import load_config
from newsreader.errors import SourceError
from newsreader.model import FeedConfig, FetchResult, FetchState
from newsreader.sources.registry import get_source, reset

ALMANAC_CONFIG = """\
feeds:
  - name: Garden almanac
    source: almanac
    group: Generated
    options:
      count: 3
      title: Garden notes
      start: 2024-03-01
      every_days: 7
  - name: Short almanac
    source: almanac
    options: {count: 1}
"""


@pytest.fixture(autouse=True)
def _fresh_registry() -> None:
    reset()


def fetch(feed: FeedConfig, state: FetchState | None = None) -> FetchResult:
    source = get_source(feed.source)
    return asyncio.run(source.fetch(feed, state or FetchState(), None))  # type: ignore[arg-type]


def almanac(**options: object) -> FeedConfig:
    return FeedConfig(name="Test almanac", source="almanac", target="almanac", options=options)


def newsreader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ.copy(),
        timeout=120,
    )


def test_the_almanac_builds_dated_articles_from_its_options() -> None:
    result = fetch(almanac(count=3, title="Garden notes", start="2024-03-01", every_days=7))
    assert result.feed is not None
    feed = result.feed
    assert feed.title == "Garden notes"
    assert [a.published for a in feed.articles] == [
        "2024-03-01T06:00:00+00:00",
        "2024-03-08T06:00:00+00:00",
        "2024-03-15T06:00:00+00:00",
    ]
    assert feed.articles[0].title == "Garden notes, entry 1: Friday 01 March 2024"
    assert len({a.id for a in feed.articles}) == 3


def test_the_almanac_reports_unchanged_options_as_not_modified() -> None:
    first = fetch(almanac(count=2))
    again = fetch(almanac(count=2), first.state)
    changed = fetch(almanac(count=4), first.state)
    assert first.feed is not None
    assert again.not_modified
    assert changed.feed is not None
    assert len(changed.feed.articles) == 4


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"count": -1}, "count must be a whole number from 0 to 1000"),
        ({"count": "3"}, "count must be a whole number from 0 to 1000"),
        ({"start": "March"}, "start 'March' is not a date like 2024-01-31"),
        ({"colour": "red"}, "unknown option 'colour'"),
    ],
)
def test_bad_almanac_options_are_one_line_source_errors(
    options: dict[str, object], problem: str
) -> None:
    with pytest.raises(SourceError) as info:
        fetch(almanac(**options))
    assert str(info.value) == f"almanac 'Test almanac': {problem}"


def test_the_almanac_sanitises_the_title_it_is_given() -> None:
    result = fetch(almanac(count=1, title="Evil\x1b]52;c;AAAA\x07 title\u202e"))
    assert result.feed is not None
    assert result.feed.title == "Evil title"
    assert result.feed.articles[0].title.startswith("Evil title, entry 1")


def test_feeds_yaml_can_name_the_plugin(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(ALMANAC_CONFIG, encoding="utf-8")
    garden, short = load_config(path).feeds
    assert (garden.source, garden.group, garden.options["count"]) == ("almanac", "Generated", 3)
    assert short.options == {"count": 1}


def test_check_fetch_and_list_show_the_plugins_articles(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(ALMANAC_CONFIG, encoding="utf-8")
    db = tmp_path / "news.db"

    check = newsreader("config", "check", "--config", str(config), cwd=tmp_path)
    assert (check.returncode, check.stderr) == (0, "")
    assert check.stdout == f"{config}: OK, 2 feeds in 2 groups\n"

    fetched = newsreader("fetch", "--config", str(config), "--db", str(db), cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr

    listed = newsreader("list", "--json", "--config", str(config), "--db", str(db), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    feeds = json.loads(listed.stdout)["feeds"]
    assert [(f["name"], f["group"], f["last_error"]) for f in feeds] == [
        ("Garden almanac", "Generated", None),
        ("Short almanac", "Feeds", None),
    ]
    garden = feeds[0]
    assert garden["title"] == "Garden notes"
    assert sorted(a["published"] for a in garden["articles"]) == [
        "2024-03-01T06:00:00+00:00",
        "2024-03-08T06:00:00+00:00",
        "2024-03-15T06:00:00+00:00",
    ]
    assert all(a["read"] is False and a["starred"] is False for a in garden["articles"])
    assert len(feeds[1]["articles"]) == 1
