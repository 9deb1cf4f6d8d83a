"""The cursor over the headline tree's rows: moving, folding, and what the article
pane shows for the row under it. :class:`ReaderState` builds on it with the view and
the marks; every method returns the :class:`Change` the screen is to draw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.ui.state.change import NOTHING, Change, Follow, Notice, Shown
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE, Row
from newsreader.ui.state.tree import HeadlineTree

if TYPE_CHECKING:
    from newsreader.model import Headline

NO_UNREAD = "No unread articles."


class Cursor:
    """The highlighted row of one :class:`HeadlineTree` and what is shown for it."""

    def __init__(self, tree: HeadlineTree) -> None:
        self.tree = tree
        self._cursor = 0
        self.shown: Shown | None = None

    # -- reading -----------------------------------------------------------------------

    @property
    def cursor(self) -> int:
        """The highlighted row's index in ``tree.rows``."""
        return self._cursor

    @property
    def row(self) -> Row | None:
        rows = self.tree.rows
        return rows[self._cursor] if 0 <= self._cursor < len(rows) else None

    @property
    def headline(self) -> Headline | None:
        """The headline under the cursor, if the cursor is on one."""
        row = self.row
        return self.tree.headline(row) if row is not None else None

    def on_folder(self) -> bool:
        """Whether the cursor is on a group or feed row (Enter folds it)."""
        row = self.row
        return row is not None and row.kind in (GROUP, FEED)

    def follow(self) -> bool:
        """Record what the article pane shows for the cursor's row; True when it must
        be drawn (False: no row, or that article is already on screen). A message row
        is never recorded, so whatever replaces it is drawn afresh."""
        row = self.row
        if row is None:
            return False
        shown: Shown | None
        if row.kind == HEADLINE:
            shown = Shown(HEADLINE, row.feed, self.tree.by_feed[row.feed][row.index].key)
            if shown == self.shown:
                return False
        elif row.kind == FEED:
            shown = Shown(FEED, row.feed)
        elif row.kind == GROUP:
            shown = Shown(GROUP, row.group)
        else:
            shown = None
        self.shown = shown
        return True

    # -- moving ------------------------------------------------------------------------

    def select(self, row: int) -> Change:
        """The cursor on ``row``; the article pane follows."""
        old = self._cursor
        self._put(row)
        return Change(moved_from=old, follow=Follow.SHOW)

    def move(self, delta: int) -> Change:
        """j/k: the next or previous headline, skipping group and feed rows."""
        rows = self.tree.rows
        target = self._cursor + delta
        while 0 <= target < len(rows) and rows[target].kind != HEADLINE:
            target += delta
        return self.select(target) if 0 <= target < len(rows) else NOTHING

    def step(self, delta: int) -> Change:
        """Down/Up: every row, groups and feeds included."""
        target = self._cursor + delta
        return self.select(target) if 0 <= target < len(self.tree.rows) else NOTHING

    def edge(self, last: bool) -> Change:
        """g/G: the first or last headline, else the first or last row."""
        rows = self.tree.rows
        indexes = range(len(rows) - 1, -1, -1) if last else range(len(rows))
        for i in indexes:
            if rows[i].kind == HEADLINE:
                return self.select(i)
        if rows:
            return self.select(len(rows) - 1 if last else 0)
        return NOTHING

    def next_feed(self, step: int) -> Change:
        """J/K: the next or previous feed row, unfolding its group when folded."""
        tree = self.tree
        feeds = [f for fs in tree.group_feeds.values() for f in fs]
        if not feeds:
            return NOTHING
        row = self.row
        if row is None or not row.feed:
            group = row.group if row is not None else None
            current = -1 if step > 0 else len(feeds)
            if group is not None and step > 0:
                first = tree.group_feeds.get(group, [None])[0]
                current = feeds.index(first) - 1 if first in feeds else -1
        else:
            current = feeds.index(row.feed)
        rebuilt = NOTHING
        for k in range(1, len(feeds) + 1):
            index = current + step * k
            if not 0 <= index < len(feeds):
                return rebuilt
            feed = feeds[index]
            target = tree.find_row(FEED, feed)
            if target is None and tree.set_folded(GROUP, tree.feed_group[feed], False):
                tree.rebuild()
                rebuilt = Change(rows=True)
                target = tree.find_row(FEED, feed)
            if target is not None:
                return rebuilt.then(self.select(target))
        return rebuilt

    def next_unread(self, step: int) -> Change:
        """n/p: the next or previous unread headline, unfolding its feed and group."""
        tree = self.tree
        row = self.row
        start = None
        if row is not None and row.kind in (HEADLINE, FEED):
            start = (row.feed, row.index)
        elif row is not None and row.kind == GROUP and tree.group_feeds.get(row.group):
            start = (tree.group_feeds[row.group][0], -1)
        found = tree.next_unread(start, step)
        if found is None:
            return Change(notice=Notice(NO_UNREAD, timeout=3))
        feed, index = found
        key = tree.by_feed[feed][index].key
        target = tree.find_key(key)
        rebuilt = NOTHING
        if target is None:
            tree.unfold_for(feed)
            tree.rebuild(keep=key)
            rebuilt = Change(rows=True)
            target = tree.find_key(key)
        return rebuilt.then(self.select(target)) if target is not None else rebuilt

    def go_to(self, kind: int, name: str) -> Change:
        """A breadcrumb's group or feed: its row, unfolding the feed's group."""
        tree = self.tree
        rebuilt = NOTHING
        if kind == FEED and tree.find_row(FEED, name) is None:
            tree.set_folded(GROUP, tree.feed_group.get(name, ""), False)
            tree.rebuild()
            rebuilt = Change(rows=True)
        target = tree.find_row(kind, name)
        return rebuilt.then(self.select(target)) if target is not None else rebuilt

    # -- folding -----------------------------------------------------------------------

    def toggle_fold(self) -> Change:
        """Enter (or a click) on a group or feed row folds or unfolds it."""
        row = self.row
        if row is None or row.kind not in (GROUP, FEED):
            return NOTHING
        name = row.feed if row.kind == FEED else row.group
        tree = self.tree
        tree.set_folded(row.kind, name, not tree.is_folded(row.kind, name))
        tree.rebuild()
        self._put(tree.find_row(row.kind, name) or 0)
        return Change(rows=True)

    def fold(self, fold: bool) -> Change:
        """h/l: fold or unfold the cursor's group or feed; h on a headline folds its
        feed and puts the cursor on the feed row."""
        row = self.row
        if row is None:
            return NOTHING
        if row.kind == HEADLINE:
            if not fold:
                return NOTHING
            self.tree.set_folded(FEED, row.feed, True)
            return self._rebuild(None, row.feed)
        if row.kind == FEED:
            name = row.feed
        elif row.kind == GROUP:
            name = row.group
        else:
            return NOTHING
        if fold == self.tree.is_folded(row.kind, name):
            return NOTHING
        return self.toggle_fold()

    # -- helpers -----------------------------------------------------------------------

    def _put(self, row: int) -> None:
        self._cursor = max(0, min(row, len(self.tree.rows) - 1))

    def _spot(self) -> tuple[int | None, str | None]:
        """The cursor's headline key and feed, to find them again after a rebuild."""
        row = self.row
        if row is None:
            return None, None
        headline = self.tree.headline(row)
        return (headline.key if headline else None), (row.feed or None)

    def _rebuild(
        self,
        key: int | None,
        feed: str | None,
        row: Row | None = None,
        *,
        refreshed: bool = False,
        first: bool = False,
    ) -> Change:
        """Rebuild the rows and put the cursor back on headline ``key``, else near it.

        Changing the view (``refreshed`` False) shows the new row under the cursor:
        the feed's first headline, its feed row, or the first headline. After a
        refresh the cursor keeps to its feed or group row (``row``, taken before the
        headlines changed) and an article on screen stays as it is; ``first`` (there
        was no headline before) puts the cursor on the first headline so one shows.
        """
        tree = self.tree
        tree.rebuild(keep=key)
        found = target = tree.find_key(key) if key is not None else None
        if refreshed:
            if target is None and first:
                target = tree.first_headline()
            if target is None and feed is not None:
                target = tree.find_row(FEED, feed)
            if target is None and row is not None and row.kind == GROUP:
                target = tree.find_row(GROUP, row.group)
        elif target is None and feed is not None:
            if key is not None:
                target = tree.first_headline(feed)
            if target is None:
                target = tree.find_row(FEED, feed)
        self._put(target if target is not None else (tree.first_headline() or 0))
        stays = refreshed and found is not None
        return Change(rows=True, follow=Follow.STAY if stays else Follow.SHOW_NOW)
