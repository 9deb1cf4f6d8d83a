"""The first frame: the sidebar's first screen drawn straight to the terminal before
Textual loads.

Importing Textual alone takes about half a second here, and the headlines are in the
store long before that. So the reader draws the rows the sidebar is about to show
(same rows, same cells, :mod:`newsreader.ui.state.row_text`) on the alternate screen
in the theme's page colours, then Textual takes the screen over and paints its own
frame on top. Keys typed meanwhile are not echoed: the terminal is left as it was
found just before Textual starts, so Textual saves and restores the right settings.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.color import ColorSystem
from rich.style import Style

from newsreader.ui.state.position import clamp_width
from newsreader.ui.state.row_text import row_parts
from newsreader.ui.state.rows import top_for_cursor

if TYPE_CHECKING:
    from newsreader.ui.state.tree import HeadlineTree

# What Textual's layout gives the sidebar without a saved width (newsreader.tcss: #side).
SIDEBAR_SHARE = 0.4
SIDEBAR_MIN = 24
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_BOLD_PARTS = frozenset({"group", "feed", "error", "unread"})
_DIM_PARTS = frozenset({"read", "date", "count", "message"})
_ENTER = "\x1b[?1049h\x1b[?25l"
_LEAVE = "\x1b[?1049l\x1b[?25h"


class FirstFrame:
    """A frame on screen until Textual's replaces it; :meth:`hand_over` just before
    Textual starts, :meth:`close` whatever happens."""

    def __init__(self, out: TextIO, fd: int, saved: list[Any] | None) -> None:
        self._out = out
        self._fd = fd
        self._saved = saved
        self._handed_over = False

    def hand_over(self) -> None:
        """Textual is about to start: give the terminal back as it was found."""
        self._restore_terminal()
        self._handed_over = True

    def close(self) -> None:
        """If Textual never took the screen (it failed before starting), leave the
        alternate screen so what is printed next is seen."""
        self._restore_terminal()
        if not self._handed_over:
            self._out.write(_LEAVE)
            self._out.flush()

    def _restore_terminal(self) -> None:
        if self._saved is not None:
            import termios

            with contextlib.suppress(termios.error):
                termios.tcsetattr(self._fd, termios.TCSANOW, self._saved)
            self._saved = None


def draw_first_frame(
    tree: HeadlineTree,
    cursor: int,
    *,
    today: str,
    sidebar_width: int | None,
    theme: str,
    theme_dirs: Sequence[Path],
    out: TextIO | None = None,
) -> FirstFrame | None:
    """Draw the first screen of ``tree`` with the cursor on row ``cursor``; None (and
    nothing drawn) when the output is no terminal that can show it."""
    out = out if out is not None else sys.stdout
    if not _can_draw(out):
        return None
    columns, lines = os.get_terminal_size(out.fileno())
    if columns < SIDEBAR_MIN + 2 or lines < 4:
        return None
    saved = _quiet_terminal(out.fileno())
    frame = FirstFrame(out, out.fileno(), saved)
    try:
        out.write(_ENTER + _frame_text(tree, cursor, columns, lines, today, sidebar_width,
                                       _page_colours(theme, theme_dirs)))  # fmt: skip
        out.flush()
    except BaseException:
        frame.close()
        raise
    return frame


def _can_draw(out: TextIO) -> bool:
    try:
        return out.isatty() and sys.stdin.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError, OSError):
        return False


def _quiet_terminal(fd: int) -> list[Any] | None:
    """No echo and no line editing, so keys typed now wait for Textual unseen; the
    settings as found, to give back."""
    try:
        import termios
    except ImportError:  # no POSIX terminal: keys typed now may show
        return None
    try:
        saved = termios.tcgetattr(fd)
        quiet = termios.tcgetattr(fd)
        quiet[3] &= ~(termios.ECHO | termios.ICANON)
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
    except termios.error:
        return None
    return saved


def sidebar_cells(columns: int, saved_width: int | None) -> int:
    """The sidebar's width with its border, as the reader lays it out."""
    if saved_width is not None:
        return clamp_width(saved_width, columns)
    return max(SIDEBAR_MIN, int(columns * SIDEBAR_SHARE))


def _frame_text(
    tree: HeadlineTree,
    cursor: int,
    columns: int,
    lines: int,
    today: str,
    saved_width: int | None,
    colours: tuple[str, str, str] | None,
) -> str:
    """The whole frame as terminal output: the top bar, the sidebar's rows (its border
    and thumb column left to Textual), the rest of the page blank."""
    page = Style(color=colours[1], bgcolor=colours[0]) if colours else Style()
    bar = Style(color=colours[1], bgcolor=colours[2]) if colours else Style()
    system = _colour_system()
    width = sidebar_cells(columns, saved_width) - 2  # the border, the thumb column
    height = lines - 2  # the top bar, the footer
    rows = tree.rows
    top = top_for_cursor(cursor, 0, height, len(rows))
    parts = ["\x1b[H", _render(" " * columns, bar, system)]
    for y in range(height):
        index = top + y
        parts.append(f"\x1b[{y + 2};1H")
        if index >= len(rows):
            parts.append(_render(" " * columns, page, system))
            continue
        for text, part in row_parts(tree, rows[index], width, today):
            parts.append(_render(text, _part_style(page, part, index == cursor), system))
        parts.append(_render(" " * (columns - width), page, system))
    parts.append(f"\x1b[{lines};1H" + _render(" " * columns, page, system))
    return "".join(parts)


def _part_style(page: Style, part: str, on_cursor: bool) -> Style:
    style = page + Style(bold=part in _BOLD_PARTS, dim=part in _DIM_PARTS)
    return style + Style(reverse=True) if on_cursor else style


def _render(text: str, style: Style, system: ColorSystem | None) -> str:
    return style.render(text, color_system=system)


def _colour_system() -> ColorSystem | None:
    """The colours the terminal shows, as Rich (and so Textual) decides them."""
    from rich.console import COLOR_SYSTEMS, Console

    console = Console(file=sys.stdout, force_terminal=True)
    if console.no_color or console.color_system is None:
        return None
    return COLOR_SYSTEMS[console.color_system]


def _page_colours(theme: str, dirs: Sequence[Path]) -> tuple[str, str, str] | None:
    """Background, foreground and panel of the theme file named ``theme``; None for
    a theme without a file (Textual's own) or one that does not read."""
    import yaml

    from newsreader.ui.themes import MAX_THEME_BYTES
    from newsreader.userfiles import read_user_file

    found = None
    for folder in dirs:
        try:
            paths = sorted(folder.glob("*.yaml"))
        except OSError:
            continue
        for path in paths:
            try:
                data = yaml.safe_load(read_user_file(path, MAX_THEME_BYTES, expected="a theme"))
            except Exception:  # a theme that does not read is reported once Textual runs
                continue
            if isinstance(data, dict) and data.get("name") == theme:
                found = data  # a later folder overrides an earlier one, as in load_themes
    if found is None:
        return None
    colours = tuple(found.get(k) for k in ("background", "foreground", "panel"))
    if not all(isinstance(c, str) and _HEX.fullmatch(c) for c in colours):
        return None
    return (str(colours[0]), str(colours[1]), str(colours[2]))
