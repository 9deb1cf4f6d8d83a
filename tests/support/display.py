"""What the reader writes to the terminal, for tests asserting that nothing raw reaches it.

Headless apps write nothing, so the screen is rendered here as the driver would write
it: the compositor's full update, through a colour terminal console. Both what the
widgets hand over (segment text and link targets) and the resulting byte stream are
checked, the latter with the reader's own escape sequences (colours, cursor moves,
hyperlinks) taken out first.
"""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console

# C0, DEL and C1 controls; bidi marks, embeddings, overrides and isolates; line and
# paragraph separators. Written here, not imported, so a change to the product's set
# cannot weaken the test.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# What a terminal render of plain segments is made of: SGR and cursor moves (CSI with
# digits and semicolons only), OSC 8 hyperlinks around linked text, and the newline
# before each line's cursor move.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*\x1b\\|\n(?=\x1b\[)")


def full_update(app: Any) -> Any:
    """The whole screen as the compositor would send it to the driver."""
    compositor = app.screen._compositor
    return compositor.render_update(full=True, screen_stack=app._background_screens)


def drawn(app: Any) -> list[tuple[str, str | None]]:
    """(text, link target) of every segment on screen."""
    update = full_update(app)
    return [
        (segment.text, segment.style.link if segment.style else None)
        for line in update.strips
        for strip in line
        for segment in strip
        if not segment.control
    ]


def written(app: Any) -> str:
    """The bytes the driver would write for the whole screen, as text."""
    console = Console(
        file=io.StringIO(),
        width=app.size.width,
        height=app.size.height,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    return full_update(app).render_segments(console)


def screen_text(app: Any) -> str:
    """The screen as a user reads it: one string per row, joined by newlines."""
    update = full_update(app)
    return "\n".join("".join(strip.text for strip in line) for line in update.strips)


def raw_characters(app: Any) -> list[str]:
    """Each unsafe character found on screen, with where it was found (empty: clean)."""
    found = []
    for text, link in drawn(app):
        for where, value in (("text", text), ("link", link or "")):
            for match in UNSAFE.finditer(value):
                found.append(f"{match.group()!r} in segment {where} {value!r}")
    rest = _OWN_SEQUENCES.sub("", written(app))
    found.extend(f"{m.group()!r} written near {rest[max(0, m.start() - 20) : m.end() + 20]!r}"
                 for m in UNSAFE.finditer(rest))  # fmt: skip
    return found
