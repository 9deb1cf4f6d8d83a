"""The reader screen's side of a background refresh: starting one, the timer's due
check, and the refresher's reports (progress, each feed's headlines, the end). The
results go through the reader state like a key's, so the screen draws them in the
same one place."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from newsreader.ui.refresher import Refresher, failure_notice, progress_text, refresh_summary

if TYPE_CHECKING:
    from textual.timer import Timer

    from newsreader.model import FeedConfig, FeedOutcome, FeedStatus
    from newsreader.ui.state.change import Change
    from newsreader.ui.state.reader import ReaderState

# Feeds that finish close together join the sidebar in one rebuild, at most this often.
ARRIVAL_SECONDS = 0.25


class RefreshingScreen(Screen[None]):
    """A screen that refreshes in a thread and shows the results as they come."""

    state: ReaderState
    _refresher: Refresher
    _arrival_timer: Timer | None = None

    @abstractmethod
    def _apply(self, change: Change) -> None:
        """Draw what a step of the reader state changed."""

    @abstractmethod
    def _searches_again(self) -> list[str]:
        """Find the query feeds' matches again (new articles came); their names."""

    @abstractmethod
    def _set_status(self, text: str) -> None:
        """Put ``text`` on the status line."""

    @property
    def refreshing(self) -> bool:
        """Whether a refresh is under way; callers wait on it to see the outcome."""
        return self._refresher.running

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

    def feed_arrived(self, name: str, changed: bool, status: str) -> None:
        """A feed is done: its headlines join the sidebar within a quarter second (at
        most four rebuilds a second, however many feeds finish)."""
        self._set_status(status)
        if not changed:
            return
        self._refresher.arrived.add(name)
        if self._arrival_timer is None:
            self._arrival_timer = self.set_timer(ARRIVAL_SECONDS, self._show_arrived)

    def _show_arrived(self) -> None:
        self._arrival_timer = None
        arrived = self._refresher.take_arrived()
        if arrived:
            arrived = {*arrived, *self._searches_again()}
        self._apply(self.state.load_arrived(arrived))

    def refresh_done(
        self, outcomes: Sequence[FeedOutcome], statuses: dict[str, FeedStatus]
    ) -> None:
        """Every feed is done: their new headlines are in; take the errors and times."""
        self._refresher.finish()
        if self._arrival_timer is not None:
            self._arrival_timer.stop()
        self._show_arrived()
        self._apply(self.state.refresh_finished(statuses, refresh_summary(outcomes)))
        notice = failure_notice(outcomes) if self._refresher.chosen else None
        if notice:
            self.notify(notice, severity="error", timeout=8)
