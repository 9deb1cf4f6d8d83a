"""The reader's state: the cursor on the headline tree (:mod:`.cursor`), the view
(unread-only, search results), the read and star marks, and a refresh's results. Each key's
rule is a method here that changes the state and returns a :class:`Change` saying
what to draw, so the screen holds no rule of its own and the rules are testable
without a terminal."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from newsreader.ui.state.change import NOTHING, Change, Follow, Notice, Save
from newsreader.ui.state.cursor import Cursor
from newsreader.ui.state.position import restored_row, saved_position
from newsreader.ui.state.rows import HEADLINE, MESSAGE, Row
from newsreader.ui.state.summaries import status_line
from newsreader.ui.state.tree import HeadlineTree

if TYPE_CHECKING:
    from newsreader.model import FeedStatus
    from newsreader.store import Store


class ReaderState(Cursor):
    """The cursor, the view, the marks and the status line over one tree."""

    # Whether the store lists the articles rules hid (H), for the status line.
    hidden_shown = False

    def __init__(self, tree: HeadlineTree) -> None:
        super().__init__(tree)
        self.last_refresh = ""  # the status line's summary of the last refresh
        # While search results are shown: the feeds' tree, and the headline and feed
        # the cursor was on, to go back to.
        self._outside: tuple[HeadlineTree, int | None, str | None] | None = None
        self.search_line = ""  # the query and its count, while searching

    # -- reading -----------------------------------------------------------------------

    def status_text(self) -> str:
        if self._outside is not None:
            return self.search_line
        return status_line(self.tree, self.last_refresh, hidden_shown=self.hidden_shown)

    def refresh_names(self) -> list[str] | None:
        """The feeds ``r`` refreshes: the cursor's feed or its group's; None for none."""
        row = self.row
        if row is None or row.kind == MESSAGE:
            return None
        return [row.feed] if row.feed else list(self.tree.group_feeds.get(row.group, []))

    # -- position saved and restored ---------------------------------------------------

    def saved_position(self) -> str | None:
        """The setting that reopens the reader here; None off a feed or headline."""
        return saved_position(self.tree, self.row)

    def restore(self, raw: str | None) -> None:
        """Put the cursor where ``raw`` (a saved position) says, else on the first
        headline."""
        target = restored_row(self.tree, raw)
        if target is None:
            target = self.tree.first_headline()
        self._put(target or 0)

    # -- the view ----------------------------------------------------------------------

    def toggle_unread_only(self) -> Change:
        key, feed = self._spot()
        self.tree.set_view(unread_only=not self.tree.unread_only)
        return self._rebuild(key, feed).then(Change(status=self.status_text()))

    def toggle_hidden(self, shown: bool, statuses: Mapping[str, FeedStatus]) -> Change:
        """H: the store now lists the articles rules hid (``shown``) or leaves them out
        again, so the feeds are counted afresh from its ``statuses``; the cursor stays
        on its article where that is still listed. Search results are the search's to
        find again: only the feeds' tree behind them is recounted."""
        self.hidden_shown = shown
        if self._outside is not None:
            self._outside[0].load(statuses)
            return NOTHING
        key, feed = self._spot()
        self.tree.load(statuses)
        return self._rebuild(key, feed).then(Change(status=self.status_text()))

    # -- searching ---------------------------------------------------------------------

    @property
    def searching(self) -> bool:
        return self._outside is not None

    @property
    def feeds_tree(self) -> HeadlineTree:
        """The feeds' own tree, also while search results are shown in its place."""
        return self.tree if self._outside is None else self._outside[0]

    def show_results(self, results: HeadlineTree, line: str) -> Change:
        """A search's results in place of the feeds, the cursor on the first hit;
        ``line`` (the query and its count) in the status bar."""
        if self._outside is None:
            self._outside = (self.tree, *self._spot())
        results.untitled = self.tree.untitled
        self.tree = results
        self.shown = None
        self.search_line = line
        return self._rebuild(None, None).then(Change(status=self.status_text()))

    def search_problem(self, line: str) -> Change:
        """The query as typed so far is not one (an open quote): the results stay."""
        self.search_line = line
        return Change(status=line)

    def end_search(self) -> Change:
        """Escape: the feeds again, the cursor where it was before the search."""
        if self._outside is None:
            return Change(status=self.status_text())
        tree, key, feed = self._outside
        self._outside = None
        self.search_line = ""
        self.tree = tree
        self.shown = None
        return self._rebuild(key, feed).then(Change(status=self.status_text()))

    def _mirror(
        self,
        key: int,
        at: tuple[str, int],
        *,
        read: bool | None = None,
        starred: bool | None = None,
    ) -> None:
        """A mark made at ``at``, made wherever else the article is listed: its own
        feed, the query feeds, and the feeds' tree behind search results."""
        trees = [self.tree] if self._outside is None else [self.tree, self._outside[0]]
        for tree in trees:
            for place in tree.places_of(key):
                if tree is self.tree and place == at:
                    continue
                if read is not None:
                    tree.set_read(*place, read)
                if starred is not None:
                    tree.set_starred(*place, starred)

    # -- marking -----------------------------------------------------------------------

    def open(self) -> Change:
        """Enter: a group or feed folds; a headline is shown and marked read at once."""
        row = self.row
        if row is None or row.kind == MESSAGE:
            return NOTHING
        if row.kind != HEADLINE:
            return self.toggle_fold()
        showing = self.shown is not None and self.shown.kind == HEADLINE
        shown = NOTHING if showing else Change(follow=Follow.SHOW_NOW)
        return shown.then(self._set_read(row, True))

    def toggle_read(self) -> Change:
        """m: the cursor's headline read or unread (no longer marked read later)."""
        row = self.row
        headline = self.headline
        if row is None or headline is None:
            return NOTHING
        return Change(stop_reading=True).then(self._set_read(row, not headline.read))

    def read_after_delay(self, key: int) -> Change:
        """The article ``key`` was shown long enough: read, if still under the cursor."""
        row = self.row
        headline = self.headline
        if row is None or headline is None or headline.key != key:
            return NOTHING
        return self._set_read(row, True)

    def toggle_star(self) -> Change:
        row = self.row
        headline = self.headline
        if row is None or headline is None:
            return NOTHING
        key, starred = headline.key, not headline.starred
        self.tree.set_starred(row.feed, row.index, starred)
        self._mirror(key, (row.feed, row.index), starred=starred)
        save = Save("star", _starred(key, starred), ("star", key))
        return Change(repaint_cursor=True, saves=(save,))

    def mark_feed_read(self) -> Change:
        """A: every headline of the cursor's feed (or of each feed of its group) read."""
        row = self.row
        if row is None or row.kind == MESSAGE:
            return NOTHING
        feeds = [row.feed] if row.feed else self.tree.group_feeds.get(row.group, [])
        changed = 0
        saves = []
        for feed in feeds:
            # Search results and query feeds list matches: those are marked, not a feed.
            listing = self.searching or self.tree.is_query_feed(feed)
            if listing:
                keys = [(i, h.key) for i, h in enumerate(self.tree.by_feed[feed]) if not h.read]
                for index, key in keys:
                    self._mirror(key, (feed, index), read=True)
                if keys:
                    saves.append(Save("read state", _keys_read([key for _, key in keys])))
            marked = self.tree.mark_feed_read(feed)
            if marked:
                changed += marked
                if not listing:
                    saves.append(Save("read state", _feed_read(feed)))
        what = row.feed or row.group
        notice = Notice(f"{what}: {changed:,} marked read." if changed else f"{what}: all read.")
        change = Change(repaint=True, stop_reading=True, saves=tuple(saves), notice=notice)
        return self._summary_again(change)

    # -- a refresh's results -----------------------------------------------------------

    def load_arrived(self, arrived: Collection[str]) -> Change:
        """Feeds refreshed: their headlines are counted again, the cursor stays
        where it was (on the first headline if there was none before)."""
        if not arrived:
            return NOTHING
        if self._outside is not None:  # the results stay as found; the feeds catch up
            for name in arrived:
                self._outside[0].load_feed(name)
            return NOTHING
        key, feed = self._spot()
        row = self.row
        first = self.tree.first_headline() is None
        for name in arrived:
            self.tree.load_feed(name)
        return self._summary_again(self._rebuild(key, feed, row, refreshed=True, first=first))

    def refresh_finished(self, statuses: dict[str, FeedStatus], summary: str) -> Change:
        """The fetch times and errors after a refresh, and its one-line summary."""
        self.last_refresh = summary
        if self._outside is not None:
            self._outside[0].set_statuses(statuses)
            return NOTHING
        key, feed = self._spot()
        row = self.row
        errors_before = self.tree.errors
        self.tree.set_statuses(statuses)
        if self.tree.errors.keys() != errors_before.keys():
            # A failed feed stays listed in unread-only: the rows change.
            change = self._rebuild(key, feed, row, refreshed=True)
        else:
            change = Change(repaint=True)
        return self._summary_again(change).then(Change(status=self.status_text()))

    def replace_tree(self, tree: HeadlineTree) -> Change:
        """Another set of feeds and headlines; the cursor goes to the first headline."""
        tree.untitled = self.tree.untitled
        self.tree = tree
        self.shown = None
        return self._rebuild(None, None)

    # -- helpers -----------------------------------------------------------------------

    def _set_read(self, row: Row, read: bool) -> Change:
        headline = self.tree.by_feed[row.feed][row.index]
        if not self.tree.set_read(row.feed, row.index, read):
            return NOTHING
        self._mirror(headline.key, (row.feed, row.index), read=read)
        save = Save("read state", _read(headline.key, read), headline.key)
        return Change(repaint=True, saves=(save,))

    def _summary_again(self, change: Change) -> Change:
        """A feed's or group's summary on screen is drawn again (its counts changed)."""
        if self.shown is None or self.shown.kind == HEADLINE:
            return change
        self.shown = None
        return change.then(Change(follow=Follow.SHOW_NOW))


def _read(key: int, read: bool) -> Callable[[Store], object]:
    return lambda store: store.set_read([key], read)


def _starred(key: int, starred: bool) -> Callable[[Store], object]:
    return lambda store: store.set_starred(key, starred)


def _keys_read(keys: list[int]) -> Callable[[Store], object]:
    return lambda store: store.set_read(keys)


def _feed_read(name: str) -> Callable[[Store], object]:
    return lambda store: store.mark_feed_read(name)
