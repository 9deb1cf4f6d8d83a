"""The warm path of a refresh: ``path:`` feeds whose files are as they were last read.

Telling that a file is unchanged takes one ``stat``; the event loop, the parse stage
and the HTTP client cost a run far more than that (asyncio alone is a tenth of a second
to import). So every due local feed is checked here first, synchronously, with one read
of the feed rows and one write transaction for all the unchanged ones, and only what is
left goes through the pipeline, which ``newsreader fetch`` imports only then. Each
settled feed ends exactly as the pipeline would leave it: stored ``not modified``, its
notes as its warning, the same :class:`FeedOutcome`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsreader.model import NOT_MODIFIED, FeedOutcome, FetchState, Schedule
from newsreader.text.sanitise import clean_line

if TYPE_CHECKING:
    from newsreader.model import FeedConfig
    from newsreader.store import Store

Progress = Callable[[FeedOutcome], None]


def settle_unchanged(
    feeds: Sequence[FeedConfig],
    store: Store,
    *,
    clock: Callable[[], float] = time.time,
    force: bool = False,
    on_progress: Progress | None = None,
) -> list[FeedOutcome | None]:
    """Store and report every due local feed whose files are unchanged; one entry per
    feed, None for those the pipeline still has to fetch (changed, failing, waiting
    or not local).

    ``clock`` and ``force`` decide which feeds are due, as in
    :func:`newsreader.refresh.refresh_feeds`: a feed told to wait is left to it, which
    reports the wait.
    """
    settled: list[FeedOutcome | None] = [None] * len(feeds)
    local = [(index, feed) for index, feed in enumerate(feeds) if feed.source == "local"]
    if not local:
        return settled
    from newsreader.sources.local import unchanged

    rows = store.refresh_rows()
    now = datetime.fromtimestamp(clock(), UTC)
    found: list[tuple[int, FeedConfig, tuple[str, ...]]] = []
    saves: list[tuple[str, FetchState, str | None]] = []
    for index, feed in local:
        state, schedule = rows.get(feed.name, (FetchState(), Schedule(0, None, None)))
        until = schedule.next_attempt
        if until is not None and until > now and not force:
            continue
        got = unchanged(feed.target, state)
        if got is None:
            continue
        warnings = tuple(clean_line(w) for w in got.notes)
        found.append((index, feed, warnings))
        saves.append((feed.name, got.state, "; ".join(warnings) if warnings else None))
    totals = store.save_unchanged(saves)
    for (index, feed, warnings), total in zip(found, totals, strict=True):
        outcome = FeedOutcome(feed.name, NOT_MODIFIED, total=total, warnings=warnings)
        settled[index] = outcome
        if on_progress is not None:
            on_progress(outcome)
    return settled


def merged(
    settled: Sequence[FeedOutcome | None], fetched: Iterable[FeedOutcome]
) -> list[FeedOutcome]:
    """The outcomes in the order of the feeds: the settled ones, and in the gaps those
    of the feeds that were fetched, in their order."""
    rest = iter(fetched)
    return [outcome if outcome is not None else next(rest) for outcome in settled]
