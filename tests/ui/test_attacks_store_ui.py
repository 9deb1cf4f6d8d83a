"""Attacks on the reader's store writes and reads: another process holding the write
lock, a full disk, a read-only database, an article that cannot be read. The reader
must stay responsive, say so once, keep the change and save it when it can; never a
traceback. Real SQLite files, real locks, a real full file system where possible."""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsreader.errors import StoreError
from newsreader.store import connection as store_module
from tests.support.readonly import ReadOnlyMedia, read_only_media_in
from tests.ui.test_reader import FERRY, SIZE, notices, ready, screen_text, stored, title_at_cursor

pytestmark = pytest.mark.anyio

# The lock is held longer than this; low, so a blocked event loop shows quickly.
BUSY_MS = 500


class LoopWatch:
    """The longest the event loop went without running a 5 ms ticker: a handler that
    blocks (a write waiting on SQLite) shows up here, whatever Pilot does around it."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            self.longest = max(self.longest, now - last)
            last = now

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def settled(pilot: Any, done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until ``done()`` (the writer works in its own thread)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert done()


def matching(app: Any, text: str) -> list[str]:
    return [n for n in notices(app) if text in n]


@pytest.fixture
def held_lock(reader_db: Path) -> Iterator[sqlite3.Connection]:
    """Another process's writer, in the middle of a long transaction on the file."""
    con = sqlite3.connect(reader_db, isolation_level=None)
    yield con
    if con.in_transaction:
        con.execute("ROLLBACK")
    con.close()


async def test_held_write_lock_keeps_the_reader_responsive_and_saves_once_released(
    make_app, reader_db, held_lock, monkeypatch
):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", BUSY_MS)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        assert title_at_cursor(screen) == FERRY and not stored(reader_db, FERRY).read
        held_lock.execute("BEGIN IMMEDIATE")
        with LoopWatch() as watch:
            started = time.monotonic()
            await pilot.press("m")
            await pilot.press("s")
            await pilot.press("j")  # handled at once, while the writes wait
            pressed = time.monotonic() - started
            assert title_at_cursor(screen) != FERRY
            assert screen.model.by_feed["Harbour Town Gazette"][0].read
            await settled(pilot, lambda: bool(matching(app, "Could not save")))
        print(f"three presses {pressed * 1000:.0f} ms, longest loop stall "
              f"{watch.longest * 1000:.0f} ms (busy timeout {BUSY_MS} ms)")  # fmt: skip
        assert watch.longest < BUSY_MS / 2000
        [notice] = matching(app, "Could not save")
        assert notice == (
            f"Could not save read state to {reader_db}: database is locked; will retry."
        )
        assert screen.writer.pending == 2
        assert not stored(reader_db, FERRY).read  # not saved yet, but kept
        held_lock.execute("ROLLBACK")
        await settled(pilot, lambda: screen.writer.pending == 0)
        await settled(pilot, lambda: bool(matching(app, "after all")))
        assert stored(reader_db, FERRY).read and stored(reader_db, FERRY).starred
        assert len(matching(app, "Could not save")) == 1  # one line for the episode
        await pilot.press("k", "m")  # and the reader goes on working as before
        await settled(pilot, lambda: not stored(reader_db, FERRY).read)
        assert app.is_running


async def test_quit_while_locked_waits_briefly_and_names_what_is_not_saved(
    make_app, reader_db, held_lock, monkeypatch
):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 5_000)
    app = make_app()
    said: list[object] = []
    exit_app = app.exit
    monkeypatch.setattr(app, "exit", lambda *a, message=None, **k: (said.append(message),
                                                                    exit_app(*a, **k)))  # fmt: skip
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        held_lock.execute("BEGIN IMMEDIATE")
        await pilot.press("m")
        started = time.monotonic()
        await pilot.press("q")
        quitting = time.monotonic() - started
    print(f"quit took {quitting * 1000:.0f} ms with the lock held")
    assert quitting < 4.0
    message = said[0]  # printed on stderr once the app is gone
    text = str(message)
    assert text.startswith(f"newsreader: not saved to {reader_db}: read state")
    assert "reading position" in text


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own (root mounts a tmpfs), to be filled."""
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs root to mount a small tmpfs")
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def fill(folder: Path) -> Path:
    """Take every free byte of the file system; returns the file that holds them."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


async def test_full_disk_gives_one_line_and_the_change_is_saved_when_space_is_back(
    make_app, reader_db, small_disk
):
    db = small_disk / reader_db.name
    shutil.copy2(reader_db, db)
    app = make_app(db=db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        filler = fill(small_disk)
        for key in ("m", "s", "m", "s"):
            await pilot.press(key)
        await settled(pilot, lambda: bool(matching(app, "Could not save")))
        [notice] = matching(app, "Could not save")
        assert notice == (
            f"Could not save read state to {db}: cannot write: the disk is full; will retry."
        )
        assert app.is_running and screen.writer.pending
        await pilot.press("j")
        assert title_at_cursor(screen) != FERRY
        filler.unlink()
        # The writer empties its queue, then posts the notice to the UI thread.
        await settled(pilot, lambda: screen.writer.pending == 0)
        await settled(pilot, lambda: bool(matching(app, "after all")))
        assert len(matching(app, "Could not save")) == 1
        await pilot.press("q")
    flags = stored(db, FERRY)
    assert (flags.read, flags.starred) == (False, False)  # m, s, m, s: back as it was
    position = sqlite3.connect(db).execute("SELECT value FROM settings WHERE key = 'position'")
    assert position.fetchone() is not None


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[ReadOnlyMedia]:
    yield from read_only_media_in(tmp_path)


async def test_read_only_database_says_once_that_nothing_is_saved(
    read_only_media, make_app, reader_db
):
    folder = read_only_media.hold(reader_db)
    db = folder / reader_db.name
    app = make_app(db=db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        assert screen.store.read_only
        for key in ("m", "s", "m", "A", "greater_than_sign"):
            await pilot.press(key)
        await pilot.pause()
        said = matching(app, "read-only")
        assert said == [
            f"Read state is not saved: {db}: the database is read-only;"
            " changes last until you quit."
        ]
        assert screen.model.unread["Harbour Town Gazette"] == 0  # the reader still works
        await pilot.press("q")
    assert app.return_code == 0
    assert not stored(db, FERRY).read


@pytest.mark.parametrize(
    "problem",
    [
        StoreError("/data/reader.db", "cannot read: disk I/O error"),
        sqlite3.DatabaseError("database disk image is malformed"),
        OSError(errno.EIO, "Input/output error"),
    ],
    ids=["store", "sqlite", "os"],
)
async def test_article_that_cannot_be_read_is_a_message_in_the_pane(make_app, monkeypatch, problem):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)

        def broken(key: int) -> Any:
            raise problem

        monkeypatch.setattr(screen.store, "article", broken)
        await pilot.press("j")
        await pilot.pause()
        text = screen_text(app)
        assert "This article could not be read:" in text
        assert any(w in text for w in ("cannot read: disk", "malformed", "Input/output"))
        assert app.is_running
        await pilot.press("k")
        assert title_at_cursor(screen) == FERRY
