"""The reader screen. It owns the state (the headline tree, the cursor, what the
article pane shows) and updates sidebar, breadcrumb and article pane in the same
handler as the key that changed them: no message hop, no extra frame."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from newsreader.errors import StoreError
from newsreader.keymap import KEY_ACTIONS
from newsreader.text.sanitise import for_terminal
from newsreader.ui.refresher import (
    Refresher,
    due_feeds,
    failure_notice,
    progress_text,
    refresh_summary,
)
from newsreader.ui.state.position import (
    POSITION_SETTING,
    SIDEBAR_STEP,
    WIDTH_SETTING,
    clamp_width,
    restored_row,
    saved_position,
    saved_width,
)
from newsreader.ui.state.summaries import empty_state, feed_summary, group_summary, status_line
from newsreader.ui.state.tree import (
    FEED,
    GROUP,
    HEADLINE,
    MESSAGE,
    HeadlineTree,
    Row,
    untitled_label,
)
from newsreader.ui.widgets.breadcrumb import Breadcrumb
from newsreader.ui.widgets.sidebar import Sidebar
from newsreader.ui.writer import QUIT_FLUSH_SECONDS, Severity, StoreWriter, WriteNotice

if TYPE_CHECKING:
    from rich.text import Text
    from textual.app import ComposeResult
    from textual.timer import Timer

    from newsreader.config import Config
    from newsreader.model import FeedConfig, FeedOutcome, FeedStatus, Headline, StoredArticle
    from newsreader.store import Store
    from newsreader.ui.widgets.article_view import ArticleView

# An article shown this long (moving through headlines) counts as read; Enter marks at once.
READ_AFTER_SECONDS = 1.0
ARRIVAL_SECONDS = 0.25

# Importable from here as before; they live with the refresh logic.
__all__ = ["MainScreen", "_refresh_summary", "due_feeds"]
_refresh_summary = refresh_summary


def _bindings() -> list[BindingType]:
    return [
        Binding(
            k.keys,
            k.action,
            k.footer or k.description,
            show=bool(k.footer),
            id=k.id,
            tooltip=k.description,
            priority=k.opens_input,
        )
        for k in KEY_ACTIONS
    ]


class MainScreen(Screen[None]):
    """Sidebar left, article right, breadcrumb on top, footer below."""

    BINDINGS = _bindings()
    AUTO_FOCUS = "#sidebar"

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        db_path: Path | None,
        tree: HeadlineTree,
        today: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(id="main")
        self.config = config
        self.store = store
        self.db_path = db_path
        self.model = tree
        self.today = today
        self.shown: tuple[int, str, str] | None = None  # (kind, feed or group, key)
        self.current: StoredArticle | None = None
        self._read_timer: Timer | None = None
        self._article: ArticleView | None = None
        self._refresher = Refresher(db_path, config.feeds, clock)
        # Writes go through here, off the event loop; tests wait with writer.flush().
        self.writer = StoreWriter(store, db_path, self._write_notice)
        self._arrival_timer: Timer | None = None
        self._sidebar_width: int | None = None
        self.last_refresh = ""
        tree.untitled = self._untitled

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Breadcrumb(id="breadcrumb")
            yield Static("", id="status", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="side"):
                yield _hidden_filter()
                yield Sidebar(self.model, today=self.today, id="sidebar")
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
    def _refreshing(self) -> bool:
        """Whether a refresh is under way; callers wait on it to see the outcome."""
        return self._refresher.running

    def on_mount(self) -> None:
        self._restore_width()
        self._restore_position()
        self.sidebar.rows_changed()
        self._show_path_only()
        # Paint the headlines first; the article pane (Markdown, links) loads right after.
        self.call_after_refresh(self._mount_article)

    def _mount_article(self) -> None:
        from newsreader.ui.widgets.article_view import ArticleView

        placeholder = self.query_one("#article-placeholder")
        article = ArticleView(id="article")
        self._article = article
        self.query_one("#body").mount(article, after=placeholder)
        placeholder.remove()
        self.call_after_refresh(self._after_move, False)

    # -- state restored and saved ------------------------------------------------------

    def _restore_width(self) -> None:
        width = saved_width(self.store.get_setting(WIDTH_SETTING))
        if width is not None:
            self._set_sidebar_width(width)

    def _set_sidebar_width(self, width: int) -> None:
        width = clamp_width(width, self.app.size.width)
        self._sidebar_width = width
        self.query_one("#side").styles.width = width

    def _restore_position(self) -> None:
        target = restored_row(self.model, self.store.get_setting(POSITION_SETTING))
        if target is None:
            target = self.model.first_headline()
        self.sidebar.cursor = target or 0

    def save_state(self) -> None:
        """Remember the feed and article under the cursor for the next start."""
        value = saved_position(self.model, self._row())
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

    # -- helpers -----------------------------------------------------------------------

    def _row(self) -> Row | None:
        rows = self.model.rows
        cursor = self.sidebar.cursor
        return rows[cursor] if 0 <= cursor < len(rows) else None

    def _article_focused(self) -> bool:
        focused = self.focused
        article = self._article
        return (
            article is not None
            and focused is not None
            and (focused is article or article in focused.ancestors)
        )

    def _select(self, row: int) -> None:
        """Move the cursor and let the article pane and breadcrumb follow."""
        self.sidebar.move_cursor(row)
        self._after_move()

    def _after_move(self, mark_later: bool = True) -> None:
        """Show what the cursor is on (article, feed status, group) in the same frame."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        row = self._row()
        tree = self.model
        if row is None:
            return
        if row.kind == HEADLINE:
            headline = tree.by_feed[row.feed][row.index]
            if self.shown != (HEADLINE, row.feed, str(headline.key)):
                self._show_headline(row, headline)
            if mark_later and not headline.read:
                key = headline.key
                self._read_timer = self.set_timer(
                    READ_AFTER_SECONDS, lambda: self._mark_read_key(key)
                )
            return
        self.current = None
        if row.kind == FEED:
            self.shown = (FEED, row.feed, "")
            self.breadcrumb.set_path(row.group, row.feed)
            self._message(*feed_summary(self.model, self.config, row.feed))
        elif row.kind == GROUP:
            self.shown = (GROUP, row.group, "")
            self.breadcrumb.set_path(row.group)
            self._message(*group_summary(self.model, row.group))
        else:
            self.shown = None
            self.breadcrumb.set_path(None)
            self._message(*empty_state(self.model, self.config))

    def _show_path_only(self) -> None:
        """The breadcrumb for the cursor before the article pane exists (first paint)."""
        row = self._row()
        if row is None:
            return
        headline = self.model.headline(row)
        if row.kind == MESSAGE:
            return
        self.breadcrumb.set_path(
            row.group, row.feed or None, (), self.model.title_of(headline) if headline else None
        )

    def _show_headline(self, row: Row, headline: Headline) -> None:
        self.shown = (HEADLINE, row.feed, str(headline.key))
        title = self.model.title_of(headline)
        try:
            stored = self.store.article(headline.key)
        except KeyError:
            self.current = None
            self.breadcrumb.set_path(row.group, row.feed, (), title)
            self._message(title, "This article is no longer stored. Press R to refresh.")
            return
        except (StoreError, sqlite3.Error, OSError) as exc:
            # A failing disk or a damaged file: say so where the article would be.
            self.current = None
            self.breadcrumb.set_path(row.group, row.feed, (), title)
            problem = _read_problem(exc, self.store)
            self._message(title, f"This article could not be read: {problem}")
            return
        self.current = stored
        self.breadcrumb.set_path(row.group, row.feed, stored.article.breadcrumb, title)
        if self._article is not None:
            self._article.show_article(stored, group=row.group, feed_name=row.feed)

    def _untitled(self, key: int) -> str:
        article = self.store.article(key).article
        return untitled_label(article.summary, article.text)

    def _message(self, title: str, body: str) -> None:
        if self._article is not None:
            self._article.show_message(title, body)

    def _mark_read_key(self, key: int) -> None:
        self._read_timer = None
        row = self._row()
        headline = self.model.headline(row) if row else None
        if headline is not None and headline.key == key and row is not None:
            self._set_read(row, True)

    def _set_read(self, row: Row, read: bool) -> None:
        headline = self.model.by_feed[row.feed][row.index]
        if self.model.set_read(row.feed, row.index, read):
            key = headline.key
            self.writer.submit("read state", lambda store: store.set_read([key], read), key)
            self.sidebar.refresh()

    def _rebuild(self, keep_key: int | None = None, keep_feed: str | None = None) -> None:
        """Rebuild the rows and put the cursor back on the same headline or feed."""
        tree = self.model
        tree.rebuild(keep=keep_key)
        target = tree.find_key(keep_key) if keep_key is not None else None
        if target is None and keep_feed is not None:
            if keep_key is not None:
                target = tree.first_headline(keep_feed)
            if target is None:
                target = tree.find_row(FEED, keep_feed)
        if target is None:
            target = tree.first_headline() or 0
        self.sidebar.cursor = target
        self.sidebar.rows_changed()
        self._after_move(mark_later=False)

    def _cursor_key(self) -> tuple[int | None, str | None]:
        row = self._row()
        if row is None:
            return None, None
        headline = self.model.headline(row)
        return (headline.key if headline else None), (row.feed or None)

    # -- actions (see newsreader.ui.KEY_ACTIONS) ----------------------------------------

    def action_move(self, delta: int) -> None:
        """j/k: the next or previous headline, skipping group and feed rows."""
        rows = self.model.rows
        target = self.sidebar.cursor + delta
        while 0 <= target < len(rows) and rows[target].kind != HEADLINE:
            target += delta
        if 0 <= target < len(rows):
            self._select(target)

    def action_cursor(self, delta: int) -> None:
        """Down/Up in the sidebar: every row, groups and feeds included."""
        target = self.sidebar.cursor + delta
        if 0 <= target < len(self.model.rows):
            self._select(target)

    def action_open(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.kind in (GROUP, FEED):
            self._toggle_fold(row)
            return
        if row.kind == HEADLINE:
            if self.shown is None or self.shown[0] != HEADLINE:
                self._after_move(mark_later=False)
            self._set_read(row, True)
            if self._article is not None:
                self._article.focus()

    def action_focus_pane(self, direction: int) -> None:
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_back(self) -> None:
        filter_input = self._filter_input()
        if filter_input is not None and (filter_input.display or self.model.filter):
            self._close_filter()
            return
        if self._article_focused():
            self.sidebar.focus()

    def action_page(self, direction: int) -> None:
        row = self._row()
        if self.sidebar.has_focus and row is not None and row.kind in (GROUP, FEED):
            self._toggle_fold(row)
            return
        if self._article is None:
            return
        if direction > 0:
            self._article.scroll_page_down()
        else:
            self._article.scroll_page_up()

    def action_unread(self, step: int) -> None:
        tree = self.model
        row = self._row()
        start = None
        if row is not None and row.kind in (HEADLINE, FEED):
            start = (row.feed, row.index)
        elif row is not None and row.kind == GROUP and tree.group_feeds.get(row.group):
            start = (tree.group_feeds[row.group][0], -1)
        found = tree.next_unread(start, step)
        if found is None:
            self.notify("No unread articles.", timeout=3)
            return
        feed, index = found
        key = tree.by_feed[feed][index].key
        target = tree.find_key(key)
        if target is None:
            tree.unfold_for(feed)
            tree.rebuild(keep=key)
            self.sidebar.rows_changed()
            target = tree.find_key(key)
        if target is not None:
            self._select(target)

    def action_feed(self, step: int) -> None:
        tree = self.model
        feeds = [f for fs in tree.group_feeds.values() for f in fs]
        if not feeds:
            return
        row = self._row()
        if row is None or not row.feed:
            group = row.group if row is not None else None
            current = -1 if step > 0 else len(feeds)
            if group is not None and step > 0:
                first = tree.group_feeds.get(group, [None])[0]
                current = feeds.index(first) - 1 if first in feeds else -1
        else:
            current = feeds.index(row.feed)
        for k in range(1, len(feeds) + 1):
            index = current + step * k
            if not 0 <= index < len(feeds):
                return
            feed = feeds[index]
            target = tree.find_row(FEED, feed)
            if target is None and (GROUP, tree.feed_group[feed]) in tree.folded:
                tree.folded.discard((GROUP, tree.feed_group[feed]))
                tree.rebuild()
                self.sidebar.rows_changed()
                target = tree.find_row(FEED, feed)
            if target is not None:
                self._select(target)
                return

    def action_edge(self, last: int) -> None:
        rows = self.model.rows
        indexes = range(len(rows) - 1, -1, -1) if last else range(len(rows))
        for i in indexes:
            if rows[i].kind == HEADLINE:
                self._select(i)
                return
        if rows:
            self._select(len(rows) - 1 if last else 0)

    def action_fold(self, fold: bool) -> None:
        row = self._row()
        if row is None:
            return
        tree = self.model
        if row.kind == HEADLINE:
            if fold:
                tree.folded.add((FEED, row.feed))
                self._rebuild(keep_feed=row.feed)
            return
        if row.kind == FEED:
            mark = (FEED, row.feed)
        elif row.kind == GROUP:
            mark = (GROUP, row.group)
        else:
            return
        if fold == (mark in tree.folded):
            return
        self._toggle_fold(row)

    def _toggle_fold(self, row: Row) -> None:
        tree = self.model
        mark = (FEED, row.feed) if row.kind == FEED else (GROUP, row.group)
        if mark in tree.folded:
            tree.folded.discard(mark)
        else:
            tree.folded.add(mark)
        tree.rebuild()
        target = tree.find_row(row.kind, row.feed if row.kind == FEED else row.group)
        self.sidebar.cursor = target or 0
        self.sidebar.rows_changed()

    def action_toggle_read(self) -> None:
        row = self._row()
        headline = self.model.headline(row) if row is not None else None
        if row is None or headline is None:
            return
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        self._set_read(row, not headline.read)

    def action_toggle_star(self) -> None:
        row = self._row()
        headline = self.model.headline(row) if row is not None else None
        if row is None or headline is None:
            return
        key, starred = headline.key, not headline.starred
        self.model.set_starred(row.feed, row.index, starred)
        self.writer.submit("star", lambda store: store.set_starred(key, starred), ("star", key))
        self.sidebar.refresh_row(self.sidebar.cursor)

    def action_mark_feed_read(self) -> None:
        row = self._row()
        if row is None or row.kind == MESSAGE:
            return
        feeds = [row.feed] if row.feed else self.model.group_feeds.get(row.group, [])
        changed = 0
        for feed in feeds:
            keys = self.model.mark_feed_read(feed)
            if keys:
                changed += len(keys)
                self.writer.submit("read state", _feed_read(feed))
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        self.sidebar.refresh()
        if self.shown is not None and self.shown[0] != HEADLINE:
            self.shown = None
            self._after_move(mark_later=False)
        what = row.feed or row.group
        self.notify(f"{what}: {changed:,} marked read." if changed else f"{what}: all read.")

    def action_unread_only(self) -> None:
        key, feed = self._cursor_key()
        self.model.unread_only = not self.model.unread_only
        self._rebuild(keep_key=key, keep_feed=feed)
        self._update_status()

    def action_filter(self) -> None:
        filter_input = self._filter_input()
        if filter_input.has_focus:
            raise SkipAction()  # a slash typed into the filter is text
        filter_input.display = True
        # Focus now, not on the next message: keys already queued belong to the filter.
        self.set_focus(filter_input)

    def _filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def _close_filter(self) -> None:
        filter_input = self._filter_input()
        filter_input.display = False
        if filter_input.value:
            filter_input.value = ""
        if self.model.filter:
            key, feed = self._cursor_key()
            self.model.filter = ""
            self._rebuild(keep_key=key, keep_feed=feed)
        self.sidebar.focus()
        self._update_status()

    def on_input_changed(self, event: Any) -> None:
        if getattr(event.input, "id", None) != "filter":
            return
        key, feed = self._cursor_key()
        self.model.filter = event.value.strip()
        self._rebuild(keep_key=key, keep_feed=feed)
        self._update_status()

    def on_input_submitted(self, event: Any) -> None:
        if getattr(event.input, "id", None) != "filter":
            return
        if not event.value.strip():
            self._close_filter()
        else:
            self.sidebar.focus()

    def action_refresh(self, everything: bool) -> None:
        if everything:
            self.start_refresh(None)
            return
        row = self._row()
        if row is None or row.kind == MESSAGE:
            return
        names = [row.feed] if row.feed else list(self.model.group_feeds.get(row.group, []))
        self.start_refresh(names)

    def _link(self) -> str | None:
        article = self._article
        link = article.link if article is not None else None
        if link:
            return link
        return self.current.article.link if self.current is not None else None

    def action_open_link(self) -> None:
        link = self._link()
        if not link:
            self.notify("This article has no link.", severity="warning", timeout=3)
            return
        threading.Thread(target=_open_in_browser, args=(link,), daemon=True).start()
        self.notify(f"Opening {link}", timeout=3)

    def action_copy_link(self) -> None:
        link = self._link()
        if not link:
            self.notify("This article has no link.", severity="warning", timeout=3)
            return
        self.app.copy_to_clipboard(link)
        self.notify(f"Copied {link}", timeout=3)

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
        threading.Thread(target=_open_in_browser, args=(event.url,), daemon=True).start()
        self.notify(f"Opening {event.url}", timeout=3)

    def on_sidebar_clicked(self, event: Sidebar.Clicked) -> None:
        row = self.model.rows[event.row]
        if event.row == self.sidebar.cursor and row.kind in (GROUP, FEED):
            self._toggle_fold(row)
            return
        self._select(event.row)

    def on_breadcrumb_selected(self, event: Breadcrumb.Selected) -> None:
        kind = GROUP if event.kind == "group" else FEED
        tree = self.model
        if kind == FEED and tree.find_row(FEED, event.name) is None:
            tree.folded.discard((GROUP, tree.feed_group.get(event.name, "")))
            tree.rebuild()
            self.sidebar.rows_changed()
        target = tree.find_row(kind, event.name)
        if target is not None:
            self._select(target)
            self.sidebar.focus()

    # -- refresh -----------------------------------------------------------------------

    def start_refresh(self, names: Sequence[str] | None, *, due_only: bool = False) -> None:
        """Refresh in a thread with its own Store; the UI keeps working meanwhile.

        ``due_only`` (the timer) keeps only the feeds whose own ``refresh_minutes``
        have passed since their last attempt, and stays silent when one is running.
        """
        if self._refresher.running:
            if not due_only:
                self.notify("A refresh is already running.", timeout=2)
            return
        feeds = self._refresher.start(names)
        if feeds is None:
            return
        if not due_only:
            self._set_status(progress_text(0, len(feeds)))
        self._refresh_worker(feeds, due_only)

    def refresh_due(self) -> None:
        """The timer's tick: refresh the feeds that are due, if no refresh is running."""
        self.start_refresh(None, due_only=True)

    def set_today(self, today: str) -> None:
        """A new local day: dates in the sidebar are relative to it."""
        if today != self.today:
            self.today = today
            self.sidebar.today = today
            self.sidebar.refresh()

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_worker(self, feeds: list[FeedConfig], due_only: bool) -> None:
        self._refresher.run(feeds, self, due_only=due_only, call=self.app.call_from_thread)

    # RefreshEvents: the refresher's reports, on the UI thread.

    def refresh_progress(self, status: str) -> None:
        self._set_status(status)

    def refresh_idle(self) -> None:
        self._refresher.finish()

    def refresh_failed(self, message: str) -> None:
        self._refresher.finish()
        self._set_status("Refresh failed")
        self.notify(f"Refresh failed: {message}", severity="error", timeout=6)

    def feed_arrived(self, name: str, headlines: list[Headline] | None, status: str) -> None:
        """A feed is done: its headlines join the sidebar within a quarter second (at
        most four rebuilds a second, however many feeds finish)."""
        self._set_status(status)
        if headlines is None:
            return
        self._refresher.arrived[name] = headlines
        if self._arrival_timer is None:
            self._arrival_timer = self.set_timer(ARRIVAL_SECONDS, self._show_arrived)

    def _show_arrived(self) -> None:
        self._arrival_timer = None
        arrived = self._refresher.take_arrived()
        if not arrived:
            return
        key, feed = self._cursor_key()
        shown = self.shown
        first = self.model.first_headline() is None
        for name, headlines in arrived.items():
            self.model.load_feed(name, headlines)
        self._rebuild_quiet(key, feed, first=first)
        if shown is not None and shown[0] != HEADLINE:
            self.shown = None
            self._after_move(mark_later=False)

    def refresh_done(
        self, outcomes: Sequence[FeedOutcome], statuses: dict[str, FeedStatus]
    ) -> None:
        """Every feed is done: their new headlines are in; take the errors and times."""
        self._refresher.finish()
        if self._arrival_timer is not None:
            self._arrival_timer.stop()
        self._show_arrived()
        key, feed = self._cursor_key()
        shown = self.shown
        errors_before = self.model.errors
        self.model.set_statuses(statuses)
        if self.model.errors.keys() != errors_before.keys():
            self._rebuild_quiet(key, feed)  # a failed feed stays listed in unread-only
        else:
            self.sidebar.refresh()
        if shown is not None and shown[0] != HEADLINE:
            self.shown = None
            self._after_move(mark_later=False)
        self.last_refresh = refresh_summary(outcomes)
        self._update_status()
        notice = failure_notice(outcomes) if self._refresher.chosen else None
        if notice:
            self.notify(notice, severity="error", timeout=8)

    def _rebuild_quiet(self, key: int | None, feed: str | None, *, first: bool = False) -> None:
        """Rebuild after a refresh without re-showing the article already on screen.

        The cursor stays on its headline, feed or group row; ``first`` (the sidebar had
        no headline before) moves it to the first headline so an article shows.
        """
        tree = self.model
        row = self._row()
        tree.rebuild(keep=key)
        found = target = tree.find_key(key) if key is not None else None
        if target is None and first:
            target = self.model.first_headline()
        if target is None and feed is not None:
            target = tree.find_row(FEED, feed)
        if target is None and row is not None and row.kind == GROUP:
            target = tree.find_row(GROUP, row.group)
        self.sidebar.cursor = target if target is not None else (self.model.first_headline() or 0)
        self.sidebar.rows_changed()
        if found is None:
            self._after_move(mark_later=False)

    def _set_status(self, text: str) -> None:
        # Feed names and the filter's text are data: plain (markup=False), and guarded.
        self.query_one("#status", Static).update(for_terminal(text))

    def _update_status(self) -> None:
        if not self._refresher.running:
            self._set_status(status_line(self.model, self.last_refresh))


def _hidden_filter() -> Input:
    """The headline filter, built hidden so ``/`` can focus it at once."""
    filter_input = Input(
        placeholder="Filter headlines…", id="filter", compact=True, select_on_focus=False
    )
    filter_input.display = False
    return filter_input


def _feed_read(name: str) -> Callable[[Store], object]:
    return lambda store: store.mark_feed_read(name)


def _read_problem(exc: BaseException, store: Store) -> str:
    """A failed read in one line, naming the database file."""
    if isinstance(exc, StoreError):
        return str(exc)
    text = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
    return f"{store.path}: {text}"


def _open_in_browser(link: str) -> None:
    import webbrowser

    webbrowser.open(link)
