"""Crash safety of the database: kill -9, corrupt and foreign files, read-only and full disks.

Every test runs the real ``newsreader`` command on real SQLite files.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.model import FeedConfig
from newsreader.store import SCHEMA_VERSION, Store
from tests.support.httpserver import make_rss

NEWSREADER = Path(sys.executable).parent / "newsreader"


def newsreader(*args: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSREADER), *map(str, args)],
        capture_output=True, text=True, timeout=120, check=False, **kw,  # type: ignore[call-overload]
    )  # fmt: skip


def local_feeds(folder: Path, count: int, items: int, prefix: str = "a") -> Path:
    """``count`` RSS files and a feeds.yaml listing them; returns the feeds.yaml."""
    for i in range(count):
        entries = [(f"{prefix}{i}-{n}", f"Story {n} of feed {i}") for n in range(items)]
        (folder / f"feed{i}.xml").write_text(make_rss(f"Feed {i}", entries), encoding="utf-8")
    cfg = folder / "feeds.yaml"
    lines = [f"  - {{name: 'Feed {i}', path: feed{i}.xml}}" for i in range(count)]
    cfg.write_text("feeds:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return cfg


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


# -- kill -9 -----------------------------------------------------------------------------


def test_random_kill9_of_fetch_loses_no_flag_and_keeps_the_database_sound(repo: Path) -> None:
    """bench/kill9.py (20 rounds there) in a short run: integrity_check and every flag."""
    done = subprocess.run(
        [sys.executable, str(repo / "bench" / "kill9.py"), "--rounds", "4", "--feeds", "18",
         "--items", "120", "--grace", "0", "--seed", "11", "--json"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["lost"] == []
    assert report["flags_checked"] > 20
    assert report["killed_while_running"] >= 1


# -- files that are not ours ---------------------------------------------------------------


def _real_database(folder: Path) -> bytes:
    cfg = local_feeds(folder, 3, 300)
    db = folder / "source.db"
    assert newsreader("fetch", "--config", cfg, "--db", db).returncode == 0
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.read_bytes()


def _foreign(folder: Path) -> bytes:
    path = folder / "foreign-source.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT, steps TEXT)")
    con.executemany("INSERT INTO recipes VALUES (?, ?)", [("soup", "boil")] * 100)
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    "kind", ["text", "random", "foreign", "truncated", "garbage-inside", "zeroed-pages"]
)
def test_a_corrupt_or_foreign_db_is_one_line_and_left_untouched(tmp_path: Path, kind: str) -> None:
    if kind == "text":
        blob = b"shopping list: bread, milk, lantern oil\n" * 300
    elif kind == "random":
        blob = bytes((i * 7919 + 13) % 256 for i in range(40_000))
    elif kind == "foreign":
        blob = _foreign(tmp_path)
    else:
        real = _real_database(tmp_path)
        if kind == "truncated":
            blob = real[: len(real) // 2]
        elif kind == "garbage-inside":
            blob = real[:8192] + bytes(range(256)) * 32 + real[16384:]
        else:
            blob = real[:4096] + b"\0" * (len(real) - 4096)
    db = tmp_path / "news.db"
    db.write_bytes(blob)
    cfg = local_feeds(tmp_path, 2, 5, prefix="b")
    before = db.stat().st_mtime_ns
    for command in ("fetch", "list"):
        done = newsreader(command, "--config", cfg, "--db", db)
        assert done.returncode == 1, (command, done.stdout)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"newsreader: {db}: ")
        assert "left untouched" in done.stderr
    assert db.read_bytes() == blob
    assert db.stat().st_mtime_ns == before
    assert sidecars(db) == []


# -- read-only and full disks ----------------------------------------------------------------


@pytest.fixture
def read_only() -> Iterator[list[Path]]:
    """Make files read-only even for root (immutable attribute); undone afterwards."""
    made: list[Path] = []

    def undo() -> None:
        for path in made:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(path)], check=False)
            else:
                path.chmod(0o644)

    try:
        yield made
    finally:
        undo()


def _make_read_only(path: Path, made: list[Path]) -> None:
    made.append(path)
    if os.geteuid() == 0:
        assert shutil.which("chattr"), "root needs chattr to make a file read-only"
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    with pytest.raises(OSError):
        path.open("ab").close()


def test_a_read_only_database_is_one_line_for_fetch_and_still_lists(
    tmp_path: Path, read_only: list[Path]
) -> None:
    cfg = local_feeds(tmp_path, 3, 20)
    db = tmp_path / "news.db"
    assert newsreader("fetch", "--config", cfg, "--db", db).returncode == 0
    local_feeds(tmp_path, 3, 25)  # something new to store
    _make_read_only(db, read_only)
    done = newsreader("fetch", "--config", cfg, "--db", db)
    assert done.returncode == 1
    assert done.stderr == f"newsreader: {db}: cannot write: the database is read-only\n"
    listed = newsreader("list", "--json", "--config", cfg, "--db", db)
    assert listed.returncode == 0, listed.stderr
    assert [len(f["articles"]) for f in json.loads(listed.stdout)["feeds"]] == [20, 20, 20]


def _file_size_limit(limit: int) -> None:
    """As a full disk looks to one process: writes past ``limit`` bytes fail (EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_is_one_line_and_keeps_what_was_stored(tmp_path: Path) -> None:
    cfg = local_feeds(tmp_path, 4, 30)
    db = tmp_path / "news.db"
    assert newsreader("fetch", "--config", cfg, "--db", db).returncode == 0
    local_feeds(tmp_path, 4, 400, prefix="c")  # far more than the limit leaves room for
    done = newsreader(
        "fetch", "--config", cfg, "--db", db, preexec_fn=lambda: _file_size_limit(300_000)
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"newsreader: {db}: cannot write: ")
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(db) as store:
        assert all(store.article_count(f"Feed {i}") >= 30 for i in range(4))


# -- schema migration --------------------------------------------------------------------------


def test_a_version_1_database_is_migrated_and_keeps_its_flags(tmp_path: Path) -> None:
    """Schema 2 added the failure count for backoff; a v1 file keeps everything."""
    from newsreader.store import APPLICATION_ID, MIGRATIONS

    db = tmp_path / "news.db"
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript(MIGRATIONS[0])
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO feeds (id, name, position) VALUES (1, 'A', 0)")
    con.execute(
        "INSERT INTO articles (key, feed_id, article_id, title, fetched_at, content_hash, read,"
        " starred) VALUES (1, 1, 'x', 'Kept', '2026-01-01', 'h', 1, 1)"
    )
    con.execute("INSERT INTO bodies (key, text) VALUES (1, 'body')")
    con.close()
    with Store.open(db) as store:
        store.sync_feeds([FeedConfig(name="A", source="local", target="/a.xml")])
        [headline] = store.headlines()
        assert (headline.title, headline.read, headline.starred) == ("Kept", True, True)
        assert store.schedule("A").failures == 0
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
