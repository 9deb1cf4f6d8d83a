"""``newsreader list`` writes as it reads: the JSON is exactly what one ``json.dumps``
of the whole document gives, and the table comes from headline rows alone."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.commands.listing import feed_entry, stored_articles, write_json
from newsreader.config import parse_config
from newsreader.model import Article, Feed, FetchResult, FetchState
from newsreader.store import Store

NEWSREADER = Path(sys.executable).parent / "newsreader"
CONFIG = """feeds:
  - {name: Harbour, path: h.xml, group: Town}
  - {name: Empty, path: e.xml}
  - {name: "Orbit \\u201cWeekly\\u201d", path: o.xml, group: Space}
"""


def _articles(prefix: str, count: int) -> list[Article]:
    return [
        Article(
            id=f"{prefix}{n}",
            title=f"{prefix} story {n} \u2013 \u6e2f\u53e3",
            link=f"https://{prefix}.example.org/{n}",
            published=f"2026-03-{n + 1:02d}T08:00:00+01:00",
            summary='Quoted "words" and a back\\slash',
            text=f"Paragraph one.\n\nParagraph {n}.",
        )
        for n in range(count)
    ]


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, Path]:
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(CONFIG, encoding="utf-8")
    db = tmp_path / "news.db"
    config = parse_config(CONFIG, cfg)
    with Store.open(db) as store:
        store.sync_feeds(config.feeds)
        for name, prefix, count in (("Harbour", "h", 3), ("Orbit \u201cWeekly\u201d", "o", 2)):
            feed = Feed(title=name, link=None, source=name, articles=_articles(prefix, count))
            store.save_result(name, FetchResult(feed, FetchState()))
        store.set_read([store.headlines()[0].key])
        store.set_starred(store.headlines()[1].key, True)
    return cfg, db


@pytest.mark.parametrize("unread", [False, True])
def test_the_streamed_json_is_the_one_document(filled: tuple[Path, Path], unread: bool) -> None:
    cfg, db = filled
    config = parse_config(CONFIG, cfg)
    with Store.open(db) as store:
        out = io.StringIO()
        write_json(config.feeds, store, out, unread=unread)
        statuses = store.feed_statuses()
        whole = {
            "feeds": [
                {
                    **feed_entry(feed, statuses.get(feed.name)),
                    "articles": list(stored_articles(store, feed.name, unread=unread)),
                }
                for feed in config.feeds
            ]
        }
    assert out.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert len(whole["feeds"][0]["articles"]) == (2 if unread else 3)


def test_no_feeds_is_an_empty_list(tmp_path: Path) -> None:
    config = parse_config("feeds: []\n", tmp_path / "feeds.yaml")
    with Store.open(tmp_path / "news.db") as store:
        out = io.StringIO()
        write_json(config.feeds, store, out, unread=False)
    assert json.loads(out.getvalue()) == {"feeds": []}
    assert out.getvalue() == json.dumps({"feeds": []}, indent=2) + "\n"


def test_the_table_lists_every_headline_with_its_marks(filled: tuple[Path, Path]) -> None:
    cfg, db = filled
    done = subprocess.run(
        [NEWSREADER, "list", "--config", cfg, "--db", db],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Town › Harbour  2 unread, 3 shown"
    assert lines[1] == "   2026-03-03 08:00 h story 2 \u2013 \u6e2f\u53e3"
    assert lines[2] == "*• 2026-03-02 08:00 h story 1 \u2013 \u6e2f\u53e3"
    assert lines[3] == " • 2026-03-01 08:00 h story 0 \u2013 \u6e2f\u53e3"
    assert "Feeds › Empty  0 unread, 0 shown" in lines
    assert "  (nothing stored)" in lines
    assert "\x1b" not in done.stdout  # not a terminal: no styling


def test_a_closed_pipe_ends_the_listing_quietly(filled: tuple[Path, Path]) -> None:
    cfg, db = filled
    with subprocess.Popen(
        [NEWSREADER, "list", "--json", "--config", cfg, "--db", db],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=60)
    assert b"Traceback" not in err and b"internal error" not in err
