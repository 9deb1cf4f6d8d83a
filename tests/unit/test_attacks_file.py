"""Attacks through the files a user names, or a feed list names for them.

- ``--config`` (every command) or ``opml import`` given /dev/zero, a named pipe, a
  socket, a folder or a symlink to a device: one line and exit 2, at once, without
  reading a byte of it or waiting on it;
- a feeds.yaml or OPML file larger than its cap is refused by size, not read whole;
- ``dump`` of a pipe, a device or a socket: one line each, the other targets printed;
- a feed whose ``path:`` is a device or a pipe: one line, exit 1, the other feeds stored;
- a folder with more files than the cap (or folders nested too deep): the first files
  are read and one line says how many were left out, exit 1 for ``fetch`` and ``dump``;
- numbers in feeds.yaml that overflow what uses them (``refresh_minutes: 10**20``):
  refused by ``config check`` and ``fetch`` alike on their line, exit 2;
- a keymap that leaves the reader without a quit key: the reader refuses to start,
  exit 2, one line;
- a theme file that is a pipe: one line, never a hang;
- a user config folder that cannot be made (for the default feeds.yaml): one line;
- ``opml import`` into a feeds.yaml on a read-only folder: one line, file unchanged.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.cli import main
from tests.support.httpserver import make_rss
from tests.support.readonly import ReadOnlyMedia, read_only_media_in

# A regression must fail the test, not the machine: endless reads stop at this.
_MEMORY_CAP = 1024 * 1024 * 1024


def newsreader(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command in its own process, with a memory cap and a deadline."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_CAP, _MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-m", "newsreader", *map(str, args)],
        capture_output=True, text=True, timeout=60, check=False, preexec_fn=cap,
    )  # fmt: skip


@pytest.fixture
def odd_files(tmp_path: Path) -> Iterator[dict[str, tuple[Path, str]]]:
    """Paths that are no regular file, with how the error line names what they are."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.yaml"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    yield {
        "device": (Path("/dev/zero"), "a device"),
        "pipe": (fifo, "a named pipe"),
        "socket": (sock_path, "a socket"),
        "symlink-to-device": (link, "a device"),
        "folder": (folder, "a folder"),
    }
    sock.close()


@pytest.mark.parametrize("kind", ["device", "pipe", "socket", "symlink-to-device", "folder"])
def test_config_that_is_no_regular_file_is_one_line_for_every_command(
    tmp_path: Path, odd_files: dict[str, tuple[Path, str]], kind: str
) -> None:
    """Regression: ``--config /dev/zero`` read until memory ran out, and a FIFO made
    every command hang. Each command now refuses the path before reading it."""
    path, what = odd_files[kind]
    db = tmp_path / "news.db"
    for command in (
        ["config", "check", "--config", path],
        ["fetch", "--config", path, "--db", db],
        ["list", "--config", path, "--db", db],
        ["--config", path, "--db", db],  # the reader
        ["opml", "export", "--config", path],
    ):
        done = newsreader(*command)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr == f"newsreader: {path}: is {what}, expected a YAML file\n", command
        assert done.stdout == ""
    assert not db.exists()


@pytest.mark.parametrize("kind", ["device", "pipe", "socket", "folder"])
def test_opml_import_of_no_regular_file_is_one_line(
    tmp_path: Path, odd_files: dict[str, tuple[Path, str]], kind: str
) -> None:
    path, what = odd_files[kind]
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    done = newsreader("opml", "import", path, "--config", config)
    assert (done.returncode, done.stderr) == (
        2,
        f"newsreader: {path}: is {what}, expected an OPML file\n",
    )
    assert config.read_text(encoding="utf-8") == "feeds: []\n"


def test_a_config_and_an_opml_file_over_their_caps_are_refused_by_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "feeds.yaml"
    with big.open("wb") as out:
        out.truncate(8 * 1024 * 1024 + 1)  # sparse: no time spent writing it
    assert main(["config", "check", "--config", str(big)]) == 2
    assert capsys.readouterr().err == f"newsreader: {big}: larger than 8 MB\n"
    opml = tmp_path / "subs.opml"
    with opml.open("wb") as out:
        out.truncate(20 * 1024 * 1024 + 1)
    config = tmp_path / "ok.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    assert main(["opml", "import", str(opml), "--config", str(config)]) == 2
    assert capsys.readouterr().err == f"newsreader: {opml}: larger than 20 MB\n"


def test_dump_of_a_pipe_a_device_and_a_socket_is_one_line_each(
    tmp_path: Path, odd_files: dict[str, tuple[Path, str]]
) -> None:
    feed = tmp_path / "good.xml"
    feed.write_text(make_rss("Good", [("g1", "Fine")]), encoding="utf-8")
    targets = [odd_files[k][0] for k in ("pipe", "device", "socket")]
    done = newsreader("dump", *targets, feed)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"newsreader: {odd_files['pipe'][0]}: not a regular file (a named pipe)",
        "newsreader: /dev/zero: not a regular file (a device)",
        f"newsreader: {odd_files['socket'][0]}: not a regular file (a socket)",
    ]
    assert '"title": "Fine"' in done.stdout


def test_a_feed_path_that_is_a_device_or_a_pipe_fails_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    (tmp_path / "good.xml").write_text(make_rss("Good", [("g1", "Fine")]), encoding="utf-8")
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        "feeds:\n  - {name: Zero, path: /dev/zero}\n  - {name: Pipe, path: pipe.xml}\n"
        "  - {name: Good, path: good.xml}\n",
        encoding="utf-8",
    )
    done = newsreader("fetch", "--config", cfg, "--db", tmp_path / "news.db")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "newsreader: /dev/zero: not a regular file or folder (a device)",
        f"newsreader: {fifo}: not a regular file or folder (a named pipe)",
    ]
    listed = newsreader("list", "--json", "--config", cfg, "--db", tmp_path / "news.db")
    assert '"title": "Fine"' in listed.stdout


def test_a_folder_past_the_file_cap_is_one_warning_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: the files past the cap were dropped silently, status ok, exit 0."""
    import newsreader.sources.local as local

    monkeypatch.setattr(local, "MAX_FILES", 2)
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(4):
        (folder / f"f{n}.xml").write_text(make_rss("F", [(f"g{n}", f"S{n}")]), encoding="utf-8")
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("feeds:\n  - {name: Folder, path: news}\n", encoding="utf-8")
    line = f"newsreader: {folder}: holds more than 2 files: read the first 2, left out 2\n"
    assert main(["fetch", "--config", str(cfg), "--db", str(tmp_path / "news.db")]) == 1
    assert capsys.readouterr().err == line
    assert main(["dump", str(folder)]) == 1
    assert capsys.readouterr().err == line


def test_a_number_that_overflows_is_refused_by_check_and_fetch_alike(tmp_path: Path) -> None:
    """Regression: ``refresh_minutes: 10**20`` passed ``config check``, then ``fetch``
    died with OverflowError (an internal error) storing it."""
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        "settings:\n  refresh_minutes: 100000000000000000000\nfeeds:\n  - {name: A, path: a.xml}\n",
        encoding="utf-8",
    )
    line = (
        f"newsreader: {cfg}:2: refresh_minutes must be from 1 to 527,040 minutes,"
        " not 100000000000000000000\n"
    )
    for command in (["config", "check"], ["fetch", "--db", tmp_path / "news.db"]):
        done = newsreader(*command, "--config", cfg)
        assert (done.returncode, done.stderr) == (2, line)


def test_the_reader_refuses_a_keymap_without_a_quit_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: ``keys: {toggle_star: q}`` took q from quit and the reader started
    with no key to quit by; config check said OK."""
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text("keys:\n  toggle_star: q\n", encoding="utf-8")
    assert main(["--config", str(cfg), "--db", str(tmp_path / "news.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsreader: {cfg}:2: keys.toggle_star: 'q' is already the key of quit")
    assert err.count("\n") == 1
    assert not (tmp_path / "news.db").exists()


def test_a_theme_file_that_is_a_pipe_is_one_line_not_a_hang(tmp_path: Path) -> None:
    """Themes are picked from ``*.yaml`` files by name; one swapped for a FIFO after it
    was listed must not stop the reader from starting."""
    import threading

    from newsreader.ui.themes import ThemeError, load_theme_file

    fifo = tmp_path / "mine.yaml"
    os.mkfifo(fifo)
    caught: list[str] = []

    def load() -> None:
        try:
            load_theme_file(fifo)
        except ThemeError as exc:
            caught.append(str(exc))

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    assert caught == [f"{fifo}: is a named pipe, expected a theme file"]


def test_a_config_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: with no ``--config`` the default feeds.yaml is copied into the user
    config folder; when that cannot be made (a file in the way, a read-only home) the
    command died with an internal OSError."""
    blocker = tmp_path / "home"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker / "config"))
    assert main(["config", "check"]) == 2
    where = blocker / "config" / "newsreader" / "feeds.yaml"
    assert capsys.readouterr().err == (
        f"newsreader: {where}: cannot create the default config: Not a directory\n"
    )


def test_opml_import_into_a_read_only_folder_is_one_line_and_changes_nothing(
    tmp_path: Path, read_only_media: ReadOnlyMedia, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: the new feeds.yaml is written beside the old one first; on a
    read-only folder that was an internal OSError."""
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="X" type="rss"'
        ' xmlUrl="https://x.example.org/f"/></body></opml>',
        encoding="utf-8",
    )
    held = read_only_media.hold(config) / config.name
    assert main(["opml", "import", str(opml), "--config", str(held)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsreader: {held}: cannot write: ") and err.count("\n") == 1
    assert held.read_text(encoding="utf-8") == "feeds: []\n"


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[ReadOnlyMedia]:
    """A folder on a real read-only file system (see tests.support.readonly)."""
    yield from read_only_media_in(tmp_path)
