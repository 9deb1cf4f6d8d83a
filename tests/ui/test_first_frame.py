"""The frame drawn before Textual loads: the sidebar's rows as Textual will draw them,
on the alternate screen of a real pseudo-terminal, keys unechoed meanwhile, and the
terminal given back whatever happens."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from newsreader.model import Headline
from newsreader.ui import first_frame
from newsreader.ui.state.row_text import row_parts
from newsreader.ui.state.rows import top_for_cursor
from newsreader.ui.state.tree import HeadlineTree
from tests.support.headlines import ListedHeadlines

THEMES = Path(__file__).resolve().parents[2] / "themes"
COLUMNS, LINES = 100, 20


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, object]]:
    """A pseudo-terminal of COLUMNS x LINES as the reader's input and output."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    out = os.fdopen(slave, "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", out)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield master, out
    out.close()
    os.close(master)


def _read(master: int) -> str:
    chunks = []
    os.set_blocking(master, False)
    while True:
        try:
            chunk = os.read(master, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8")


def _tree(size: int = 60) -> HeadlineTree:
    items = [
        Headline(i + 1, "Harbour", f"Ferry news {i}", None, i % 3 == 0, i == 4) for i in range(size)
    ]
    return HeadlineTree([("Harbour", "Town"), ("Empty", "Town")], ListedHeadlines(items))


def _lines(output: str) -> dict[int, str]:
    """What each screen line shows: the text after each cursor move, styles dropped."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    shown: dict[int, str] = {}
    for line, text in re.findall(r"\x1b\[(\d+);1H([^\x1b]*)", plain):
        shown[int(line)] = shown.get(int(line), "") + text
    return shown


def _draw(
    out: object, tree: HeadlineTree, cursor: int, **options: object
) -> first_frame.FirstFrame | None:
    return first_frame.draw_first_frame(
        tree, cursor, today="2024-03-14", sidebar_width=None, theme="newsreader-dark",
        theme_dirs=[THEMES], out=out, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_frame_shows_the_rows_the_sidebar_will_show(terminal) -> None:  # type: ignore[no-untyped-def]
    master, out = terminal
    tree = _tree()
    cursor = 45
    frame = _draw(out, tree, cursor)
    assert frame is not None
    output = _read(master)
    assert output.startswith("\x1b[?1049h")  # the alternate screen: the shell's stays
    shown = _lines(output)
    width = first_frame.sidebar_cells(COLUMNS, None) - 2
    top = top_for_cursor(cursor, 0, LINES - 2, len(tree.rows))
    assert top > 0  # the cursor's row is past the first screen
    for y in range(LINES - 2):
        expected = "".join(t for t, _ in row_parts(tree, tree.rows[top + y], width, "2024-03-14"))
        assert shown[y + 2].startswith(expected)
    reversed_spans = re.findall(r"\x1b\[(?:\d+;)*7(?:;[\d;]*)?m([^\x1b]*)", output)
    assert "".join(reversed_spans).strip().startswith("●")  # the cursor's row, reversed
    background = yaml.safe_load((THEMES / "newsreader-dark.yaml").read_text())["background"]
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    assert f"48;2;{red};{green};{blue}m" in output  # the theme's page colour
    frame.close()


def test_keys_typed_meanwhile_are_not_echoed_and_the_terminal_comes_back(terminal) -> None:  # type: ignore[no-untyped-def]
    master, out = terminal
    before = termios.tcgetattr(out.fileno())
    frame = _draw(out, _tree(), 0)
    assert frame is not None
    quiet = termios.tcgetattr(out.fileno())
    assert not quiet[3] & termios.ECHO and not quiet[3] & termios.ICANON
    _read(master)
    frame.hand_over()  # Textual saves the terminal as the user had it
    assert termios.tcgetattr(out.fileno()) == before
    frame.close()
    assert _read(master) == ""  # Textual left the alternate screen itself


def test_a_reader_that_never_starts_leaves_the_alternate_screen(terminal) -> None:  # type: ignore[no-untyped-def]
    master, out = terminal
    before = termios.tcgetattr(out.fileno())
    frame = _draw(out, _tree(), 0)
    assert frame is not None
    _read(master)
    frame.close()
    assert _read(master) == "\x1b[?1049l\x1b[?25h"
    assert termios.tcgetattr(out.fileno()) == before


def test_nothing_is_drawn_without_a_terminal(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with open(tmp_path / "out.txt", "w", encoding="utf-8") as out:
        assert _draw(out, _tree(), 0) is None
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == ""


def test_a_dumb_terminal_or_a_tiny_one_gets_no_frame(terminal, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    master, out = terminal
    monkeypatch.setenv("TERM", "dumb")
    assert _draw(out, _tree(), 0) is None
    monkeypatch.setenv("TERM", "xterm")
    fcntl.ioctl(out.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", 3, 20, 0, 0))
    assert _draw(out, _tree(), 0) is None
    assert _read(master) == ""


def test_feed_text_in_the_frame_is_plain(terminal) -> None:  # type: ignore[no-untyped-def]
    master, out = terminal
    hostile = "Evil\x1b]0;pwned\x07 \x1b[2Jtitle\u202e"
    items = [Headline(1, "Harbour", hostile, None, False, False)]
    tree = HeadlineTree([("Harbour", "Town")], ListedHeadlines(items))
    frame = _draw(out, tree, 2)
    assert frame is not None
    output = _read(master)
    assert "\x1b]0" not in output and "\x1b[2J" not in output and "\u202e" not in output
    assert "Evil" in output
    frame.close()


def test_a_theme_without_a_file_leaves_the_terminal_colours(terminal) -> None:  # type: ignore[no-untyped-def]
    master, out = terminal
    frame = first_frame.draw_first_frame(
        _tree(), 0, today="2024-03-14", sidebar_width=None, theme="textual-dark",
        theme_dirs=[THEMES], out=out,
    )  # fmt: skip
    assert frame is not None
    assert "48;2;" not in _read(master)
    frame.close()


def test_drawing_the_frame_loads_nothing_of_textual() -> None:
    """The point of the frame: it is on screen before Textual's half second of import."""
    import subprocess

    probe = (
        "import sys; from newsreader.ui import first_frame, launch;"
        " from newsreader.ui.state import reader, position; from newsreader.ui import themes;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
