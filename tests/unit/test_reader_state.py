"""ReaderState without Textual: moves, folds, the view, marks and the saved position."""

from __future__ import annotations

from newsreader.model import Headline
from newsreader.ui.state.change import Follow, Shown
from newsreader.ui.state.reader import ReaderState
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE
from newsreader.ui.state.tree import HeadlineTree
from tests.support.headlines import ListedHeadlines


def _state() -> ReaderState:
    feeds = [("A", "G"), ("B", "G")]
    headlines = [
        Headline(1, "A", "Alpha one", None, False, False),
        Headline(2, "A", "Alpha two", None, True, False),
        Headline(3, "B", "Beta one", None, False, False),
    ]
    state = ReaderState(HeadlineTree(feeds, ListedHeadlines(headlines)))
    state.restore(None)
    return state


def test_starts_on_the_first_headline_and_j_skips_feed_rows() -> None:
    state = _state()
    assert state.headline is not None and state.headline.key == 1
    state.move(1)
    change = state.move(1)
    assert state.headline is not None and state.headline.key == 3
    assert change.follow is Follow.SHOW and change.moved_from == 3


def test_folding_a_feed_from_a_headline_lands_on_the_feed_row() -> None:
    state = _state()
    change = state.fold(True)
    assert change.rows and state.row is not None and state.row.kind == FEED
    assert state.tree.is_folded(FEED, "A")
    state.toggle_fold()
    assert not state.tree.is_folded(FEED, "A")


def test_unread_only_keeps_the_cursor_and_says_so_in_the_status() -> None:
    state = _state()
    change = state.toggle_unread_only()
    assert change.status == "unread only"
    assert all(state.tree.headline(r) is None or not state.tree.headline(r).read  # type: ignore[union-attr]
               for r in state.tree.rows)  # fmt: skip


def test_next_unread_and_mark_feed_read() -> None:
    state = _state()
    state.next_unread(1)
    assert state.headline is not None and state.headline.key == 3
    state.step(-1)  # the feed row of B
    assert state.row is not None and state.row.kind == FEED
    state.follow()
    assert state.shown == Shown(FEED, "B")
    change = state.mark_feed_read()
    assert change.notice is not None and change.notice.text == "B: 1 marked read."
    assert len(change.saves) == 1 and change.follow is Follow.SHOW_NOW
    state.select(0)  # the group row
    assert state.row is not None and state.row.kind == GROUP
    state.mark_feed_read()
    assert state.next_unread(1).notice is not None


def test_the_position_saved_is_restored() -> None:
    state = _state()
    state.move(1)
    state.move(1)
    saved = state.saved_position()
    again = _state()
    again.restore(saved)
    assert again.row is not None and again.row.kind == HEADLINE
    assert again.headline is not None and again.headline.key == 3
