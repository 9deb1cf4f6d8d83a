"""Background refresh, apart from the screen that shows it: which feeds are due, one
run at a time, progress as each feed finishes, and the outcome handed back. Plain
Python: the screen supplies the thread and the hop back to the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from newsreader.text.dates import timestamp

if TYPE_CHECKING:
    from pathlib import Path

    from newsreader.config.searches import Rule
    from newsreader.model import FeedConfig, FeedOutcome, FeedStatus

# A tick a few seconds early still counts as due, or each interval would run a tick late.
DUE_SLACK_SECONDS = 5


class RefreshEvents(Protocol):
    """What a run reports, each call made through the ``call`` hop given to ``run``."""

    def refresh_progress(self, status: str) -> None: ...

    def feed_arrived(self, name: str, changed: bool, status: str) -> None: ...

    def refresh_idle(self) -> None: ...

    def refresh_failed(self, message: str) -> None: ...

    def refresh_done(
        self, outcomes: Sequence[FeedOutcome], statuses: dict[str, FeedStatus]
    ) -> None: ...


def _direct(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


class Refresher:
    """One refresh at a time over its own Store, so the UI's Store stays free; the
    feeds whose headlines changed wait in ``arrived`` until the screen shows them.
    ``rules`` (``Config.rules``) act on the new articles, compiled afresh each run so
    an ``age:`` counts from the run."""

    def __init__(
        self,
        db_path: Path | None,
        feeds: Sequence[FeedConfig],
        clock: Callable[[], float],
        rules: Sequence[Rule] = (),
    ) -> None:
        self.db_path = db_path
        self.feeds = feeds
        self.clock = clock
        self.rules = rules
        self.running = False
        self.chosen = False
        self.arrived: set[str] = set()

    def start(self, names: Sequence[str] | None) -> list[FeedConfig] | None:
        """Claim the single run for ``names`` (None: every feed); None when nothing
        can be refreshed or a run is going."""
        if self.db_path is None or self.running:
            return None
        feeds = [f for f in self.feeds if names is None or f.name in names]
        if not feeds:
            return None
        self.running = True
        self.chosen = names is not None
        return feeds

    def finish(self) -> None:
        self.running = False

    def take_arrived(self) -> set[str]:
        arrived, self.arrived = self.arrived, set()
        return arrived

    def run(
        self,
        feeds: list[FeedConfig],
        events: RefreshEvents,
        *,
        due_only: bool,
        call: Callable[..., Any] = _direct,
    ) -> None:
        """The run itself, in the calling thread; every outcome, a failure included,
        goes to ``events`` (one line, never an exception)."""
        import asyncio

        from newsreader.refresh import refresh_feeds
        from newsreader.store import Store
        from newsreader.store.rules import compile_rules

        done = 0
        total = len(feeds)
        store: Store | None = None

        def progress(outcome: FeedOutcome) -> None:
            """Each feed's new headlines show as soon as that feed is done."""
            nonlocal done
            done += 1
            changed = bool(outcome.new or outcome.updated)
            call(events.feed_arrived, outcome.name, changed, progress_text(done, total))

        assert self.db_path is not None
        try:
            store = Store.open(self.db_path)
            try:
                if due_only:
                    feeds = due_feeds(feeds, store.feed_statuses(), self.clock())
                    total = len(feeds)
                    if not feeds:
                        call(events.refresh_idle)
                        return
                    call(events.refresh_progress, progress_text(0, total))
                # Pressing r or R asks even feeds that back off or were told to wait.
                # Parsing stays on a thread here: worker processes would share the
                # reader's terminal (anything they wrote would land on the screen), and
                # Textual's stand-in stderr cannot be handed to multiprocessing.
                rules = compile_rules(self.rules, self.feeds, now=self.clock())
                run = refresh_feeds(
                    feeds, store, on_progress=progress, force=not due_only, workers=0, rules=rules
                )
                outcomes = asyncio.run(run)
                statuses = store.feed_statuses()
            finally:
                store.close()
        except Exception as exc:  # one line in the status bar, never a crash
            call(events.refresh_failed, str(exc) or type(exc).__name__)
            return
        call(events.refresh_done, outcomes, statuses)


def due_feeds(
    feeds: Sequence[FeedConfig], statuses: Mapping[str, FeedStatus], now: float
) -> list[FeedConfig]:
    """The feeds whose own ``refresh_minutes`` have passed since their last attempt
    (never tried: due), leaving out those a server or backoff told to wait."""
    due = []
    for feed in feeds:
        status = statuses.get(feed.name)
        if status is not None:
            wait = timestamp(status.next_attempt)
            if wait is not None and wait > now:
                continue
            last = timestamp(status.last_attempt or status.last_success)
            interval = feed.settings.refresh_minutes * 60 - DUE_SLACK_SECONDS
            if last is not None and now - last < interval:
                continue
        due.append(feed)
    return due


def progress_text(done: int, total: int) -> str:
    return f"⟳ Refreshing {min(done, total)}/{total}"


def refresh_summary(outcomes: Sequence[FeedOutcome]) -> str:
    """The status bar after a refresh: one feed by name, several as totals."""
    new = sum(o.new for o in outcomes)
    failed = [o for o in outcomes if o.status == "error"]
    waiting = [o for o in outcomes if o.status == "waiting"]
    if len(outcomes) == 1:
        outcome = outcomes[0]
        if failed:
            return f"{outcome.name}: failed"
        if waiting:
            return f"{outcome.name}: waiting to retry"
        return f"{outcome.name}: {new:,} new" if new else f"{outcome.name}: up to date"
    parts = [f"{new:,} new" if new else "Up to date"]
    if failed:
        parts.append(f"{len(failed)} failed")
    if waiting:
        parts.append(f"{len(waiting)} waiting to retry")
    return ", ".join(parts)


def failure_notice(outcomes: Sequence[FeedOutcome]) -> str | None:
    """Why the feeds failed, three at most, for a refresh the user asked for."""
    errors = [o.error for o in outcomes if o.status in ("error", "waiting") and o.error]
    if not errors:
        return None
    more = f"\n(and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "\n".join(errors[:3]) + more
