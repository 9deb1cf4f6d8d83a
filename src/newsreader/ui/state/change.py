"""What one step of the reader's state changed, for the screen to draw in one place:
the sidebar rows or cursor, the article pane, the writes to save, a notice and the
status line. Frozen values: the state builds them, the screen only reads them."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.store import Store


@dataclass(frozen=True)
class Shown:
    """What the article pane shows: a headline (``key`` set, ``name`` its feed), a
    feed or a group (``name``, no key). ``kind`` is the row kind of the tree."""

    kind: int
    name: str
    key: int | None = None


class Follow(Enum):
    """How the article pane follows the cursor after a change."""

    STAY = "stay"  # it keeps what it shows
    SHOW = "show"  # show the cursor's row; an unread article counts as read after a while
    SHOW_NOW = "show now"  # show the cursor's row, marking nothing


@dataclass(frozen=True)
class Save:
    """One store write the change needs; ``what`` names it in messages, writes with
    the same ``key`` replace each other while queued."""

    what: str
    apply: Callable[[Store], object]
    key: Hashable = None


@dataclass(frozen=True)
class Notice:
    """A toast; ``timeout`` None is the default time."""

    text: str
    timeout: float | None = None


@dataclass(frozen=True)
class Change:
    """Everything a step changed; the default is a step that changed nothing."""

    rows: bool = False  # the rows were rebuilt: resize, scroll to the cursor, repaint
    moved_from: int | None = None  # the cursor moved off this row
    repaint: bool = False  # marks or counts changed on several rows
    repaint_cursor: bool = False  # only the cursor's row changed
    follow: Follow = Follow.STAY
    stop_reading: bool = False  # a pending "counts as read" is cancelled
    saves: tuple[Save, ...] = ()
    notice: Notice | None = None
    status: str | None = None  # the status line's new text

    def then(self, other: Change) -> Change:
        """This change followed by ``other``, as one change to draw."""
        moved = self.moved_from if self.moved_from is not None else other.moved_from
        return replace(
            other,
            rows=self.rows or other.rows,
            moved_from=moved,
            repaint=self.repaint or other.repaint,
            repaint_cursor=self.repaint_cursor or other.repaint_cursor,
            follow=other.follow if other.follow is not Follow.STAY else self.follow,
            stop_reading=self.stop_reading or other.stop_reading,
            saves=self.saves + other.saves,
            notice=other.notice or self.notice,
            status=other.status if other.status is not None else self.status,
        )


NOTHING = Change()
