"""Attacks on the store from the disk side, each on real SQLite files.

- a database on a read-only mount can be listed (table and JSON), read by the
  reader and by ``Store`` in full, and every write is one line, not a crash;
- a read-only database whose -wal file still holds the last writes shows them;
- ``fetch`` on a read-only database is one line and exit 1, the file unchanged;
- a database of an older schema on read-only media is one line (no upgrade possible);
- a database path that is a folder, a named pipe or a device is refused without
  blocking; one whose folder cannot be made, or on a read-only folder, is one line;
- a foreign SQLite file, a newer schema and a corrupt file are refused untouched;
- feed names that cannot be encoded (lone surrogates from undecodable file names)
  are one line, not an internal error.

"Read-only" is a real read-only file system: a tmpfs remounted ``ro`` (root), or
chmod for other users, for whom permissions are enough.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsreader.cli import main
from newsreader.config import load_config
from newsreader.errors import StoreError
from newsreader.model import Article, Feed, FeedConfig, FetchResult
from newsreader.store import APPLICATION_ID, Store
from tests.support.readonly import ReadOnlyMedia, read_only_media_in


def _article(n: int) -> Article:
    return Article(id=f"id-{n}", title=f"Story {n}", link=None, text=f"Body {n}.")


def _filled(folder: Path) -> tuple[Path, Path]:
    """A feeds.yaml with two feeds and a database holding three articles of each, the
    second article of feed A read and the first of B starred."""
    cfg = folder / "feeds.yaml"
    cfg.write_text(
        "feeds:\n  - {name: A, path: a.xml}\n  - {name: B, path: b.xml, group: Other}\n",
        encoding="utf-8",
    )
    db = folder / "news.db"
    config = load_config(cfg)
    with Store.open(db) as store:
        store.sync_feeds(config.feeds)
        for name in ("A", "B"):
            arts = tuple(_article(n) for n in range(3))
            store.save_result(name, FetchResult(Feed(f"Feed {name}", None, "x", arts)))
        keys = {(h.feed, h.title): h.key for h in store.headlines()}
        store.set_read([keys[("A", "Story 1")]])
        store.set_starred(keys[("B", "Story 0")], True)
        store.set_setting("theme", "newsreader-light")
    return cfg, db


def _listed(cfg: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["list", "--json", "--config", str(cfg), "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    return json.loads(out.out)["feeds"]  # type: ignore[no-any-return]


def test_a_database_on_a_read_only_mount_is_listed_like_any_other(
    tmp_path: Path, read_only_media: ReadOnlyMedia, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: ``list`` on a read-only mount said "cannot open the database file":
    WAL mode needs a -shm file beside the database, and none can be made there."""
    cfg, db = _filled(tmp_path)
    before = _listed(cfg, db, capsys)
    folder = read_only_media.hold(db)
    assert _listed(cfg, folder / db.name, capsys) == before
    flags = [(a["read"], a["starred"]) for f in before for a in f["articles"]]
    assert flags.count((True, False)) == 1 and flags.count((False, True)) == 1
    assert main(["list", "--config", str(cfg), "--db", str(folder / db.name)]) == 0
    table = capsys.readouterr().out
    assert "Story 2" in table and "Other › B" in table
    assert sorted(p.name for p in folder.iterdir()) == [db.name]


def test_a_read_only_store_reads_everything_and_each_write_is_one_line(
    tmp_path: Path, read_only_media: ReadOnlyMedia
) -> None:
    """Reads work; writes raise StoreError naming the file (what the reader turns into
    a notification), never sqlite3's own exceptions; syncing the feeds writes nothing."""
    cfg, db = _filled(tmp_path)
    path = read_only_media.hold(db) / db.name
    with Store.open(path) as store:
        assert store.read_only
        store.sync_feeds(load_config(cfg).feeds)
        heads = store.headlines()
        assert [(h.feed, h.title) for h in heads][:1] == [("A", "Story 0")]
        assert len(heads) == 6 and store.headlines(["B"])[0].starred
        assert store.article(heads[0].key).article.text == "Body 0."
        assert store.feed_statuses()["A"].unread == 2
        assert store.get_setting("theme") == "newsreader-light"
        writes = [
            lambda: store.set_read([heads[0].key]),
            lambda: store.set_starred(heads[0].key, True),
            lambda: store.mark_feed_read("A"),
            lambda: store.set_setting("theme", "x"),
            lambda: store.save_error("A", "boom"),
            lambda: store.save_result("A", FetchResult(Feed("A", None, "x", ()))),
            lambda: store.set_warning("A", "w"),
        ]
        for write in writes:
            with pytest.raises(StoreError) as caught:
                write()
            assert str(caught.value) == f"{path}: cannot write: the database is read-only"


def test_a_read_only_database_with_a_wal_still_shows_its_last_writes(
    tmp_path: Path, read_only_media: ReadOnlyMedia
) -> None:
    """Copied while a writer had it open, the database's latest changes live in its
    -wal file; reading it read-only must use them, not the stale main file."""
    _, db = _filled(tmp_path)
    writer = Store.open(db)  # open while copied: its changes are still in the WAL
    key = writer.headlines(["B"])[2].key
    writer.set_read([key])
    wal = db.with_name(db.name + "-wal")
    assert wal.stat().st_size > 0
    folder = read_only_media.hold(db, wal, db.with_name(db.name + "-shm"))
    writer.close()
    with Store.open(folder / db.name) as store:
        assert store.read_only
        assert next(h for h in store.headlines(["B"]) if h.key == key).read


def test_fetch_on_a_read_only_database_is_one_line_and_exit_1(
    tmp_path: Path, read_only_media: ReadOnlyMedia, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg, db = _filled(tmp_path)
    (tmp_path / "a.xml").write_text(
        '<rss version="2.0"><channel><title>A</title><item><guid>n</guid>'
        "<title>New</title></item></channel></rss>",
        encoding="utf-8",
    )
    path = read_only_media.hold(db) / db.name
    before = path.read_bytes()
    assert main(["fetch", "--config", str(cfg), "--db", str(path)]) == 1
    err = capsys.readouterr().err
    # Refused before any feed is read: the one line is all there is.
    assert err == f"newsreader: {path}: cannot write: the database is read-only\n"
    assert path.read_bytes() == before


def test_an_older_schema_on_read_only_media_is_one_line(
    tmp_path: Path, read_only_media: ReadOnlyMedia, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.store import MIGRATIONS

    db = tmp_path / "old.db"
    with sqlite3.connect(db) as con:
        con.executescript(MIGRATIONS[0])
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute("PRAGMA user_version = 1")
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("feeds: []\n", encoding="utf-8")
    path = read_only_media.hold(db) / db.name
    assert main(["list", "--config", str(cfg), "--db", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"newsreader: {path}: made by an older newsreader (schema 1) and read-only:"
        " it cannot be upgraded here\n"
    )


def test_a_schema_2_database_on_read_only_media_is_still_listed(
    tmp_path: Path, read_only_media: ReadOnlyMedia, capsys: pytest.CaptureFixture[str]
) -> None:
    """Schemas 3 and 4 added only what a refresh reads (``was_feed``) and bodies whose
    Markdown is made on first read: a v2 file that cannot be upgraded is read as it is."""
    from newsreader.store import MIGRATIONS

    db = tmp_path / "old.db"
    with sqlite3.connect(db) as con:
        for script in MIGRATIONS[:2]:
            con.executescript(script)
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute("PRAGMA user_version = 2")
        con.execute("INSERT INTO feeds (id, name, title, position) VALUES (1, 'A', 'A', 0)")
        con.execute(
            "INSERT INTO articles (key, feed_id, article_id, title, fetched_at, content_hash)"
            " VALUES (1, 1, 'x', 'Kept', '2026-01-01', 'h')"
        )
        con.execute("INSERT INTO bodies (key, text) VALUES (1, 'body')")
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("feeds:\n  - {name: A, path: a.xml}\n", encoding="utf-8")
    path = read_only_media.hold(db) / db.name
    listed = _listed(cfg, path, capsys)
    assert [a["title"] for a in listed[0]["articles"]] == ["Kept"]


@pytest.mark.anyio
async def test_the_reader_opens_on_a_read_only_database_and_shows_the_news(
    tmp_path: Path, read_only_media: ReadOnlyMedia
) -> None:
    """The reader starts as ``newsreader`` does (sync, then the headline tree) on a
    database on a read-only mount, and shows what is stored."""
    from newsreader.ui.launch import reader_app
    from newsreader.ui.state.tree import HeadlineTree

    cfg, db = _filled(tmp_path)
    path = read_only_media.hold(db) / db.name
    config = load_config(cfg)
    with Store.open(path) as store:
        store.sync_feeds(config.feeds)
        tree = HeadlineTree([(f.name, f.group) for f in config.feeds], store, store.feed_statuses())
        app = reader_app(config, store, tree=tree, db_path=path, refresh=False)
        async with app.run_test(size=(100, 30)) as pilot:
            # Only the start: writes the reader makes later (marking an article read
            # after a second on it, the position on quit) are the UI's to report.
            await pilot.pause()
            screen = app.screen_stack[0]
            assert sum(len(v) for v in screen.model.by_feed.values()) == 6
            assert screen.model.unread == {"A": 2, "B": 3}
            assert len(screen.model.rows) >= 6  # the headlines are in the sidebar
            assert app.theme == "newsreader-light"  # the stored setting is read
    assert sorted(p.name for p in path.parent.iterdir()) == [db.name]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- paths that are no database ---------------------------------------------------------


def test_a_database_path_that_is_a_folder_pipe_or_device_is_refused_without_blocking(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for path in (tmp_path, fifo, Path("/dev/zero"), Path("/dev/null")):
        done: list[str] = []

        def attempt(target: Path = path, out: list[str] = done) -> None:
            try:
                Store.open(target).close()
            except StoreError as exc:
                out.append(str(exc))

        thread = threading.Thread(target=attempt, daemon=True)
        thread.start()
        thread.join(5)
        assert done == [f"{path}: not a regular file"], path


def test_a_database_whose_folder_cannot_be_made_is_one_line(
    tmp_path: Path, read_only_media: ReadOnlyMedia
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match=r"file/sub/news\.db: cannot create its folder: "):
        Store.open(blocker / "sub" / "news.db")
    folder = read_only_media.hold()
    with pytest.raises(StoreError) as caught:
        Store.open(folder / "news.db")
    assert str(caught.value) == (
        f"{folder / 'news.db'}: cannot create the database file (is its folder read-only?)"
    )


def test_a_foreign_a_newer_and_a_corrupt_database_are_refused_untouched(
    tmp_path: Path,
) -> None:
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE notes (body TEXT)")
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as con:
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute("PRAGMA user_version = 999")
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    for path, problem in (
        (foreign, "not a newsreader database (left untouched)"),
        (newer, "made by a newer newsreader (schema 999)"),
        (corrupt, "not a newsreader database or corrupt"),
    ):
        before = path.read_bytes()
        with pytest.raises(StoreError) as caught:
            Store.open(path)
        assert str(caught.value).startswith(f"{path}: {problem}")
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(path.name)) == [
            path.name
        ]


def test_a_feed_name_that_cannot_be_encoded_is_one_line_not_an_internal_error(
    tmp_path: Path,
) -> None:
    """``newsreader open`` names feeds after files; a file name that is not UTF-8
    decodes to lone surrogates, which SQLite cannot store. That is a StoreError naming
    the database, not a UnicodeEncodeError from deep inside."""
    with Store.open(tmp_path / "news.db") as store:
        odd = FeedConfig(name="caf\udce9.xml", source="local", target="/x/caf\udce9.xml")
        with pytest.raises(StoreError, match="cannot be stored"):
            store.sync_feeds([odd])
        with pytest.raises(StoreError, match="cannot be stored"):
            store.save_error("caf\udce9", "x")
        store.sync_feeds([FeedConfig(name="fine", source="local", target="/x/fine.xml")])
        assert store.feed_names() == ["fine"]


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[ReadOnlyMedia]:
    """A folder on a real read-only file system (see tests.support.readonly)."""
    yield from read_only_media_in(tmp_path)
