"""Several processes on one database: no "database is locked" ever reaches the user.

The reader and ``newsreader fetch`` (or two readers) are real separate processes here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from newsreader.model import FeedConfig
from newsreader.store import SCHEMA_VERSION, Store
from tests.support.httpserver import make_rss

NEWSREADER = Path(sys.executable).parent / "newsreader"

# A reader as a separate process: marks articles, reads headlines and statuses, and
# prints what it set as JSON; any StoreError ends it with that line on stderr.
READER = textwrap.dedent(
    """
    import json, sys, time
    from newsreader.store import Store
    db, parity, until = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    marked = {}
    with Store.open(db) as store:
        while time.time() < until:
            heads = store.headlines()
            for h in heads:
                if h.key % 2 == parity and h.key not in marked:
                    store.set_read([h.key])
                    store.set_starred(h.key, h.key % 3 == 0)
                    marked[h.key] = h.key % 3 == 0
                    break
            store.feed_statuses()
            store.set_setting(f"reader-{parity}", str(len(marked)))
    print(json.dumps(marked))
    """
)


def write_feeds(folder: Path, count: int, items: int, round_: int) -> Path:
    for i in range(count):
        entries = [(f"r{round_}-{i}-{n}", f"Story {n}, round {round_}") for n in range(items)]
        (folder / f"feed{i}.xml").write_text(make_rss(f"Feed {i}", entries), encoding="utf-8")
    cfg = folder / "feeds.yaml"
    lines = [f"  - {{name: 'Feed {i}', path: feed{i}.xml}}" for i in range(count)]
    cfg.write_text("feeds:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return cfg


def start_reader(db: Path, parity: int, seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(parity), str(time.time() + seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def finish(proc: subprocess.Popen[str]) -> dict[int, bool]:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == "", err
    return {int(k): v for k, v in json.loads(out).items()}


def test_fetch_and_the_reader_work_side_by_side(tmp_path: Path) -> None:
    cfg = write_feeds(tmp_path, 20, 60, 0)
    db = tmp_path / "news.db"
    assert subprocess.run([str(NEWSREADER), "fetch", "--config", cfg, "--db", db]).returncode == 0
    reader = start_reader(db, 0, 4.0)
    fetches = []
    for round_ in range(1, 4):
        write_feeds(tmp_path, 20, 60, round_)
        fetches.append(
            subprocess.run(
                [str(NEWSREADER), "fetch", "--config", str(cfg), "--db", str(db)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        )
    marked = finish(reader)
    for done in fetches:
        assert done.returncode == 0, done.stderr
        assert "locked" not in done.stderr + done.stdout
    assert marked
    with Store.open(db) as store:
        for key, starred in marked.items():
            stored = store.article(key)
            assert (stored.read, stored.starred) == (True, starred)


def test_two_readers_mark_articles_at_the_same_time(tmp_path: Path) -> None:
    cfg = write_feeds(tmp_path, 4, 80, 0)
    db = tmp_path / "news.db"
    assert subprocess.run([str(NEWSREADER), "fetch", "--config", cfg, "--db", db]).returncode == 0
    first, second = start_reader(db, 0, 2.5), start_reader(db, 1, 2.5)
    marked = {**finish(first), **finish(second)}
    assert any(k % 2 for k in marked) and any(k % 2 == 0 for k in marked)
    with Store.open(db) as store:
        for key, starred in marked.items():
            stored = store.article(key)
            assert (stored.read, stored.starred) == (True, starred)


OPENER = textwrap.dedent(
    """
    import sys, time
    from newsreader.model import FeedConfig
    from newsreader.store import Store
    db, start = sys.argv[1], float(sys.argv[2])
    while time.time() < start:
        pass
    with Store.open(db) as store:
        store.sync_feeds([FeedConfig(name="A", source="local", target="/a.xml")])
        for i in range(30):
            store.set_setting("n", str(i))
            store.headlines()
    """
)


def test_processes_that_create_the_same_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """The reader and fetch started together on a file that does not exist yet."""
    db = tmp_path / "fresh" / "news.db"
    start = time.time() + 1.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(db), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(5)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0 and err == "", err
    with Store.open(db) as store:
        assert store.feed_names() == ["A"]
        assert store.get_setting("n") == "29"
    import sqlite3

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_long_write_makes_the_other_process_wait_not_fail(tmp_path: Path) -> None:
    """A write transaction held for a while (a big feed being stored) only delays others."""
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        store.sync_feeds([FeedConfig(name="A", source="local", target="/a.xml")])
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(
            """
            import sqlite3, sys, time
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            con.execute("UPDATE feeds SET title = 'held'")
            print("holding", flush=True)
            time.sleep(1.5)
            con.execute("COMMIT")
            """
        ), str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
    started = time.monotonic()
    with Store.open(db) as store:
        store.set_setting("theme", "night")
        assert store.get_setting("theme") == "night"
        assert store.feed_statuses()["A"].title == "held"
    assert time.monotonic() - started > 0.5
    assert holder.wait(timeout=10) == 0
