"""Where the reader was: the feed and headline under the cursor and the sidebar's
width, kept as settings in the Store so the next start opens at the same place."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from newsreader.ui.state.rows import FEED, HEADLINE

if TYPE_CHECKING:
    from newsreader.ui.state.rows import Row
    from newsreader.ui.state.tree import HeadlineTree

POSITION_SETTING = "position"
WIDTH_SETTING = "sidebar_width"
SIDEBAR_MIN = 24
SIDEBAR_STEP = 4


def saved_position(tree: HeadlineTree, row: Row | None) -> str | None:
    """The setting's value for the cursor on ``row``; None off a feed or headline."""
    if row is None or row.kind not in (FEED, HEADLINE):
        return None
    headline = tree.headline(row)
    return json.dumps({"feed": row.feed, "key": headline.key if headline else None})


def restored_row(tree: HeadlineTree, raw: str | None) -> int | None:
    """The row of the saved headline (unfolding it), else of its feed; a value that
    is damaged or names what is gone gives None."""
    if not raw:
        return None
    try:
        saved = json.loads(raw)
    except ValueError:
        saved = {}
    key = saved.get("key") if isinstance(saved, dict) else None
    feed = saved.get("feed") if isinstance(saved, dict) else None
    target: int | None = None
    if isinstance(key, int) and (where := tree.locate(key)) is not None:
        if tree.unfold_for(where[0]):
            tree.rebuild()
        target = tree.find_key(key)
    if target is None and isinstance(feed, str):
        target = tree.find_row(FEED, feed)
    return target


def saved_width(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def clamp_width(width: int, total: int) -> int:
    """At least SIDEBAR_MIN, and room left for the article pane."""
    return max(SIDEBAR_MIN, min(width, max(SIDEBAR_MIN, total - 30)))
