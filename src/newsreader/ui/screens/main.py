"""The reader screen. Every key asks the reader state (:mod:`newsreader.ui.state`)
and draws the :class:`Change` it returns in one place, :meth:`MainScreen._apply`:
sidebar, breadcrumb and article pane change in the same handler as the key, with no
message hop and no extra frame."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from newsreader.text.sanitise import for_terminal
from newsreader.ui.screens.bindings import reader_bindings
from newsreader.ui.screens.links import copy_link, open_link
from newsreader.ui.screens.searching import SearchingScreen, hidden_search
from newsreader.ui.screens.showing import RowShower
from newsreader.ui.state.change import Change, Follow
from newsreader.ui.state.position import (
    POSITION_SETTING,
    SIDEBAR_STEP,
    WIDTH_SETTING,
    clamp_width,
    saved_width,
)
from newsreader.ui.state.reader import ReaderState
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE
from newsreader.ui.state.tree import HeadlineTree, untitled_label
from newsreader.ui.widgets.breadcrumb import Breadcrumb
from newsreader.ui.widgets.sidebar import Sidebar
from newsreader.ui.writer import QUIT_FLUSH_SECONDS, Severity, WriteNotice

if TYPE_CHECKING:
    from rich.text import Text
    from textual.app import ComposeResult
    from textual.timer import Timer

    from newsreader.config import Config
    from newsreader.model import StoredArticle
    from newsreader.store import Store
    from newsreader.ui.article.view import ArticleView
    from newsreader.ui.refresher import Refresher
    from newsreader.ui.writer import StoreWriter

# An article shown this long (moving through headlines) counts as read; Enter marks at once.
READ_AFTER_SECONDS = 1.0


class MainScreen(SearchingScreen):
    """Sidebar left, article right, breadcrumb on top, footer below."""

    BINDINGS = reader_bindings()
    AUTO_FOCUS = "#sidebar"

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        tree: HeadlineTree,
        today: str,
        refresher: Refresher,
        writer: StoreWriter,
    ) -> None:
        super().__init__(id="main")
        self.config = config
        self.store = store
        self.today = today
        tree.untitled = self._untitled
        self.state = ReaderState(tree)
        self.current: StoredArticle | None = None  # the article on screen, for its link
        self._read_timer: Timer | None = None
        self._article: ArticleView | None = None
        self._refresher = refresher
        # Writes go through here, off the event loop; tests wait with writer.flush().
        self.writer = writer
        writer.report_to(self._write_notice)
        self._sidebar_width: int | None = None
        self._shower: RowShower  # made on mount, with the breadcrumb

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Breadcrumb(id="breadcrumb")
            yield Static("", id="status", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="side"):
                yield hidden_search()
                yield Sidebar(self.state, today=self.today, id="sidebar")
            yield Static("", id="article-placeholder", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one("#sidebar", Sidebar)

    @property
    def breadcrumb(self) -> Breadcrumb:
        return self.query_one("#breadcrumb", Breadcrumb)

    @property
    def article(self) -> ArticleView | None:
        return self._article

    @property
    def model(self) -> HeadlineTree:
        """The headline tree on screen (the reader state's)."""
        return self.state.tree

    @property
    def last_refresh(self) -> str:
        """The status line's summary of the last refresh."""
        return self.state.last_refresh

    @last_refresh.setter
    def last_refresh(self, summary: str) -> None:
        self.state.last_refresh = summary
        self._apply(Change(status=self.state.status_text()))

    def on_mount(self) -> None:
        self._restore_width()
        self.state.restore(self.store.get_setting(POSITION_SETTING))
        self.sidebar.rows_changed()
        self._shower = RowShower(self.store, self.breadcrumb)
        self._shower.show_path(self.model, self.state.row)
        # Paint the headlines first; the article pane (Markdown, links) loads right after.
        self.call_after_refresh(self._mount_article)

    def _mount_article(self) -> None:
        from newsreader.ui.article.view import ArticleView

        placeholder = self.query_one("#article-placeholder")
        article = ArticleView(id="article")
        self._article = self._shower.article = article
        self.query_one("#body").mount(article, after=placeholder)
        placeholder.remove()
        self.call_after_refresh(self._apply, Change(follow=Follow.SHOW_NOW))

    # -- drawing a change --------------------------------------------------------------

    def _apply(self, change: Change) -> None:
        """Draw what one step of the reader state changed, in this frame."""
        if change.stop_reading or change.follow is not Follow.STAY:
            self._stop_reading()
        for save in change.saves:
            self.writer.submit(save.what, save.apply, save.key)
        sidebar = self.sidebar
        if change.rows:
            sidebar.rows_changed(at=change.moved_from)
        else:
            if change.moved_from is not None:
                sidebar.cursor_moved(change.moved_from)
            if change.repaint:
                sidebar.refresh()
            elif change.repaint_cursor:
                sidebar.refresh_row(sidebar.cursor)
        if change.follow is not Follow.STAY:
            self._follow(mark_later=change.follow is Follow.SHOW)
        if change.status is not None and not self.refreshing:
            self._set_status(change.status)
        if change.notice is not None:
            if change.notice.timeout is None:
                self.notify(change.notice.text)
            else:
                self.notify(change.notice.text, timeout=change.notice.timeout)

    def select(self, row: int) -> None:
        """Put the cursor on ``row``; the breadcrumb and article pane follow."""
        self._apply(self.state.select(row))

    def replace_tree(self, tree: HeadlineTree) -> None:
        """Show another set of feeds and headlines, the cursor on the first headline."""
        self._apply(self.state.replace_tree(tree))

    def _stop_reading(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def _follow(self, mark_later: bool) -> None:
        """Show what the cursor is on (article, feed status, group); an unread article
        counts as read after a while when ``mark_later``."""
        state = self.state
        row = state.row
        if row is None:
            return
        drawn = state.follow()
        if row.kind != HEADLINE:
            self.current = self._shower.show(self.model, row, self.config)
            return
        if drawn:
            self.current = self._shower.show(self.model, row, self.config)
        headline = self.model.by_feed[row.feed][row.index]
        if mark_later and not headline.read:
            self._read_timer = self.set_timer(
                READ_AFTER_SECONDS, lambda key=headline.key: self._read_later(key)
            )

    def _read_later(self, key: int) -> None:
        self._read_timer = None
        self._apply(self.state.read_after_delay(key))

    def _untitled(self, key: int) -> str:
        article = self.store.article(key).article
        return untitled_label(article.summary, article.text)

    def _searches_again(self) -> list[str]:
        from newsreader.ui.state.search import list_searches

        return list(list_searches(self.config, self.store, time.time()))

    def _set_status(self, text: str) -> None:
        # Feed names and the search's text are data: plain (markup=False), and guarded.
        self.query_one("#status", Static).update(for_terminal(text))

    # -- state restored and saved ------------------------------------------------------

    def _restore_width(self) -> None:
        width = saved_width(self.store.get_setting(WIDTH_SETTING))
        if width is not None:
            self._set_sidebar_width(width)

    def _set_sidebar_width(self, width: int) -> None:
        width = clamp_width(width, self.app.size.width)
        self._sidebar_width = width
        self.query_one("#side").styles.width = width

    def save_state(self) -> None:
        """Remember the feed and article under the cursor for the next start."""
        value = self.state.saved_position()
        if value is not None:
            self.save_setting(POSITION_SETTING, value, "reading position")

    def save_setting(self, key: str, value: str, what: str) -> None:
        """Store a UI setting through the writer; ``what`` names it in messages."""
        self.writer.submit(what, lambda store: store.set_setting(key, value), ("setting", key))

    def finish_writes(self) -> Text | None:
        """Quitting: wait a little for pending writes; a line for stderr about any
        that are still not saved (shown after the app is gone, where it stays)."""
        from rich.text import Text

        self.writer.close(QUIT_FLUSH_SECONDS)
        report = self.writer.unsaved_report()
        return Text(report) if report else None

    def _write_notice(self, text: str, severity: Severity) -> None:
        """The writer's hop to the UI thread (any thread; never waits)."""
        self.post_message(WriteNotice(text, severity))

    def on_write_notice(self, event: WriteNotice) -> None:
        self.notify(event.text, severity=event.severity, timeout=8)

    def on_unmount(self) -> None:
        # Any other way out than quitting (tests, errors): save what is pending too.
        self.writer.close(QUIT_FLUSH_SECONDS)

    def set_today(self, today: str) -> None:
        """A new local day: dates in the sidebar are relative to it."""
        if today != self.today:
            self.today = today
            self.sidebar.today = today
            self.sidebar.refresh()

    # -- actions (see newsreader.keymap.KEY_ACTIONS) -----------------------------------

    def action_move(self, delta: int) -> None:
        self._apply(self.state.move(delta))

    def action_cursor(self, delta: int) -> None:
        self._apply(self.state.step(delta))

    def action_open(self) -> None:
        row = self.state.row
        self._apply(self.state.open())
        if row is not None and row.kind == HEADLINE and self._article is not None:
            self._article.focus()

    def action_focus_pane(self, direction: int) -> None:
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_back(self) -> None:
        if self._searching():
            self._close_search()
            return
        article, focused = self._article, self.focused
        if article is not None and focused is not None and article in (focused, *focused.ancestors):
            self.sidebar.focus()

    def action_page(self, direction: int) -> None:
        if self.sidebar.has_focus and self.state.on_folder():
            self._apply(self.state.toggle_fold())
            return
        if self._article is None:
            return
        if direction > 0:
            self._article.scroll_page_down()
        else:
            self._article.scroll_page_up()

    def action_unread(self, step: int) -> None:
        self._apply(self.state.next_unread(step))

    def action_feed(self, step: int) -> None:
        self._apply(self.state.next_feed(step))

    def action_edge(self, last: int) -> None:
        self._apply(self.state.edge(bool(last)))

    def action_fold(self, fold: bool) -> None:
        self._apply(self.state.fold(fold))

    def action_toggle_read(self) -> None:
        self._apply(self.state.toggle_read())

    def action_toggle_star(self) -> None:
        self._apply(self.state.toggle_star())

    def action_mark_feed_read(self) -> None:
        self._apply(self.state.mark_feed_read())
        if self.config.searches and not self.state.searching:
            # The query feeds count the feed's articles too: once the write is done,
            # their matches are counted again (a single mark is mirrored instead).
            self.writer.flush(QUIT_FLUSH_SECONDS)
            self._apply(self.state.load_arrived(self._searches_again()))

    def action_unread_only(self) -> None:
        self._apply(self.state.toggle_unread_only())

    def action_toggle_hidden(self) -> None:
        """H: the articles rules hid join every list, or leave them. The switch is this
        screen's store's own (the refresher and writer keep theirs), so everything this
        screen lists is asked again: the query feeds' matches, the feeds' counts, and
        the search on show."""
        store = self.store
        store.show_hidden = not store.show_hidden
        self._searches_again()
        self._apply(self.state.toggle_hidden(store.show_hidden, store.feed_statuses()))
        query = " ".join(self._search_input().value.split())
        if self.state.searching and query:
            self._search(query)

    def action_refresh(self, everything: bool) -> None:
        if everything:
            self.start_refresh(None)
            return
        names = self.state.refresh_names()
        if names is not None:
            self.start_refresh(names)

    def _link(self) -> str | None:
        article = self._article
        link = article.link if article is not None else None
        if link:
            return link
        return self.current.article.link if self.current is not None else None

    def action_open_link(self) -> None:
        open_link(self, self._link())

    def action_copy_link(self) -> None:
        copy_link(self, self.app, self._link())

    def action_resize(self, direction: int) -> None:
        current = self._sidebar_width or self.query_one("#side").outer_size.width
        self._set_sidebar_width(current + direction * SIDEBAR_STEP)
        self.save_setting(WIDTH_SETTING, str(self._sidebar_width), "sidebar width")

    def action_help(self) -> None:
        from newsreader.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.save_state()
        self.app.exit(message=self.finish_writes())

    # -- mouse -------------------------------------------------------------------------

    def on_article_view_link_clicked(self, event: Any) -> None:
        open_link(self, event.url)

    def on_sidebar_clicked(self, event: Sidebar.Clicked) -> None:
        if event.row == self.state.cursor and self.state.on_folder():
            self._apply(self.state.toggle_fold())
            return
        self.select(event.row)

    def on_breadcrumb_selected(self, event: Breadcrumb.Selected) -> None:
        change = self.state.go_to(GROUP if event.kind == "group" else FEED, event.name)
        self._apply(change)
        if change.moved_from is not None:
            self.sidebar.focus()
