"""Concurrent refresh of every feed (``newsreader fetch`` and the reader's r and R).

All feeds run on one event loop and share one ``httpx.AsyncClient``; each waits for
its turn (a few per server, more in all) before its own clock starts, so a slow or
hanging server delays only its own feeds. A feed's failure is stored with the feed
(its articles stay) and never stops the others. Progress is reported through a
callback, so the UI can drive this without this module knowing about Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import BrokenExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from newsreader.bodies import prepare_rows
from newsreader.errors import NewsreaderError
from newsreader.feed_clock import FEED_DEADLINE, off_the_clock
from newsreader.model import ERROR, NOT_MODIFIED, OK, WAITING, FeedOutcome
from newsreader.parse_pool import ParsePool, parse_workers
from newsreader.parse_stage import fetch_parsed
from newsreader.text.sanitise import clean_line
from newsreader.unchanged import merged, settle_unchanged

if TYPE_CHECKING:
    import httpx

    from newsreader.model import FeedConfig, FetchResult, Schedule
    from newsreader.sources.base import Source
    from newsreader.store import Store
    from newsreader.store.rules import CompiledRule

    FeedRules = Mapping[str, Sequence[CompiledRule]]

T = TypeVar("T")

# A feed that fails this many times in a row waits BACKOFF_BASE before the next try,
# twice that after one more failure, and so on up to BACKOFF_CAP.
BACKOFF_AFTER = 2
BACKOFF_BASE = 300.0
BACKOFF_CAP = 6 * 3600.0
# Files on this machine cost nothing to re-read and are fixed by the user: no backoff.
_NO_BACKOFF_SOURCES = ("local",)
# A source that hangs (a plugin, a stuck file system) is given up after this many
# times the feed's own timeout, counted from when its turn comes.
_DEADLINE_FACTOR = 4
# Feeds fetched at once over the network, in all (each holds a connection or so); the
# per-server limit is ``sources.http.PER_HOST``. Large enough that servers which hang,
# each holding its own PER_HOST turns, leave room for the others.
MAX_ACTIVE = 256
# The longest failure line kept for a feed (its URL included).
MAX_ERROR_LINE = 2000
# At most this many feeds are between parsing and stored at once, and this many local
# files are read at once: a cold fetch holds a few feeds in memory, whatever the number
# of feeds or items (parsing never runs far ahead of storing).
PIPELINE_DEPTH = 8


class RunContext:
    """The shared resources of one refresh run; the HTTP client and the parser are made
    on first use. ``workers``: the parser's worker processes (0: a thread); ``rules``:
    each feed's compiled rules, by name, applied to its new articles as they are saved."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        workers: int = 0,
        rules: FeedRules | None = None,
    ) -> None:
        self.clock = clock
        self.rules: FeedRules = rules or {}
        self._client: httpx.AsyncClient | None = None
        self._parse = ParsePool(workers)
        self._servers: dict[str, asyncio.Semaphore] = {}
        self._active = asyncio.Semaphore(_max_active())
        self._local = asyncio.Semaphore(PIPELINE_DEPTH)
        self._pipeline = asyncio.Semaphore(PIPELINE_DEPTH)
        self._in_pipeline: set[asyncio.Task[object]] = set()

    @contextlib.asynccontextmanager
    async def turn(self, feed: FeedConfig) -> AsyncIterator[None]:
        """Wait for ``feed``'s turn: at most PER_HOST feeds of one server at once, and
        MAX_ACTIVE over the network in all; local files PIPELINE_DEPTH at once.

        The wait happens before the feed's own clock starts, so a feed queued behind
        the others on a slow server is never timed out for it; a feed waits for a
        turn of its own server before it takes one of the shared turns, so a server
        that hangs holds only its own.
        """
        if feed.source in _NO_BACKOFF_SOURCES:
            async with self._local:
                yield
            return
        async with contextlib.AsyncExitStack() as turns:
            if feed.source == "http":
                from newsreader.sources.http import PER_HOST, server_of

                server = server_of(feed.target)
                slots = self._servers.setdefault(server, asyncio.Semaphore(PER_HOST))
                await turns.enter_async_context(slots)
            await turns.enter_async_context(self._active)
            yield

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            from newsreader.sources.http import new_client

            self._client = new_client()
        return self._client

    async def run_parser(self, fn: Callable[..., T], *args: object) -> T:
        """Run ``fn`` on the run's parser (:class:`~newsreader.parse_pool.ParsePool`).

        The feed takes a place in the pipeline first (see :meth:`leave_pipeline`). The
        time spent in line, for that place and behind other feeds' parses, is not
        counted against this feed's deadline; the parse itself is.
        """
        await self._enter_pipeline()
        return await self._parse.run(fn, *args)

    async def _enter_pipeline(self) -> None:
        """Wait, off the clock, for one of the PIPELINE_DEPTH places between parsing
        and storing; a feed holds one place however often it parses."""
        task = asyncio.current_task()
        if task is None or task in self._in_pipeline:
            return
        with off_the_clock():
            await self._pipeline.acquire()
        self._in_pipeline.add(task)

    def leave_pipeline(self) -> None:
        """The current feed is stored (or has failed): its place goes to the next."""
        task = asyncio.current_task()
        if task in self._in_pipeline:
            self._in_pipeline.discard(task)
            self._pipeline.release()

    async def aclose(self) -> None:
        await self._parse.aclose()
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _source(name: str) -> Source:
    from newsreader.sources.registry import get_source

    return get_source(name)


def _one_line(feed: FeedConfig, exc: BaseException) -> str:
    """A failure as one line that names the feed's file or URL, of bounded length: it is
    stored with the feed and shown in every summary, and a source's message may carry
    whatever a server or a plugin put in it."""
    if isinstance(exc, NewsreaderError):
        line = clean_line(str(exc))
    elif isinstance(exc, BrokenExecutor):  # a worker pool's: the thread pool cannot break
        line = f"{clean_line(feed.target)}: the parser process stopped while reading it"
    elif isinstance(exc, TimeoutError):
        line = f"{clean_line(feed.target)}: gave up (no result after {_deadline(feed):g} s)"
    else:
        text = clean_line(str(exc))
        problem = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        where = clean_line(feed.target or feed.name)
        line = f"{where}: source '{clean_line(feed.source)}' failed ({problem})"
    return line if len(line) <= MAX_ERROR_LINE else line[: MAX_ERROR_LINE - 1] + "…"


def _max_active() -> int:
    """MAX_ACTIVE, or fewer where the process may open few files (256 on macOS)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return MAX_ACTIVE
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return MAX_ACTIVE
    return max(8, min(MAX_ACTIVE, soft // 4))


def _deadline(feed: FeedConfig) -> float:
    return max(60.0, feed.settings.timeout_seconds * _DEADLINE_FACTOR)


async def _fetch(feed: FeedConfig, store: Store, context: RunContext) -> FetchResult:
    """Retrieve and parse one feed, in its turn and within its deadline."""
    source = _source(feed.source)
    async with context.turn(feed):
        state = store.fetch_state(feed.name)
        async with asyncio.timeout(_deadline(feed)) as deadline:
            token = FEED_DEADLINE.set(deadline)
            try:
                stored = partial(store.content_hashes, feed.name)
                return await fetch_parsed(source, feed, state, context, stored)
            finally:
                FEED_DEADLINE.reset(token)


def backoff_seconds(failures: int) -> float:
    """How long a feed that failed ``failures`` times in a row waits before the next try."""
    if failures < BACKOFF_AFTER:
        return 0.0
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** min(failures - BACKOFF_AFTER, 30))


def _waiting_line(feed: FeedConfig, until: datetime, failures: int, error: str | None) -> str:
    where = clean_line(feed.target or feed.name)
    when = until.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    last = clean_line(error or "")
    if last.startswith(f"{where}: "):
        last = last[len(where) + 2 :]
    tries = f"{failures} failed fetch{'es' if failures != 1 else ''} in a row"
    why = f"{tries}, last: {last}" if last else tries
    return f"{where}: not asked again before {when} ({why})"


async def refresh_one(
    feed: FeedConfig, store: Store, context: RunContext, *, force: bool = False
) -> FeedOutcome:
    """Fetch and store one feed; every failure becomes an ``error`` outcome.

    A feed not yet due (Retry-After, backoff) is not asked and comes back ``waiting``,
    unless ``force``: a person asked for this refresh.
    """
    try:
        return await _refresh_one(feed, store, context, force=force)
    finally:
        context.leave_pipeline()


async def _refresh_one(
    feed: FeedConfig, store: Store, context: RunContext, *, force: bool
) -> FeedOutcome:
    schedule = store.schedule(feed.name)
    now = datetime.fromtimestamp(context.clock(), UTC)
    until = schedule.next_attempt
    if until is not None and until > now and not force:
        line = _waiting_line(feed, until, schedule.failures, schedule.last_error)
        return FeedOutcome(feed.name, WAITING, total=store.article_count(feed.name), error=line)
    try:
        result = await _fetch(feed, store, context)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        return _failed(feed, store, context, schedule, exc)
    if result.feed is not None and result.rows is None:  # a source that parsed for itself
        stored = store.content_hashes(feed.name)
        try:
            rows = prepare_rows(result.feed.articles, stored)
        except Exception as exc:  # a body's converter failed (bodies convert on first read)
            return _failed(feed, store, context, schedule, exc)
        result = result._replace(feed=result.feed._replace(articles=()), rows=rows)
    rules = context.rules.get(feed.name, ())
    stats = store.save_result(feed.name, result, feed.settings.max_articles, rules)
    warnings = tuple(clean_line(w) for w in result.warnings)
    if warnings:
        store.set_warning(feed.name, "; ".join(warnings))
    status = NOT_MODIFIED if result.feed is None else OK
    return FeedOutcome(
        feed.name,
        status,
        new=stats.new,
        total=stats.total,
        updated=stats.updated,
        warnings=warnings,
        moved_to=result.moved_to,
    )


def _failed(
    feed: FeedConfig, store: Store, context: RunContext, schedule: Schedule, exc: Exception
) -> FeedOutcome:
    """Record one feed's failure, with its backoff, as an ``error`` outcome."""
    message = _one_line(feed, exc)
    delay = 0.0
    if feed.source not in _NO_BACKOFF_SOURCES:
        delay = backoff_seconds(schedule.failures + 1)
    delay = max(delay, _retry_after(exc))
    after = datetime.fromtimestamp(context.clock(), UTC) + timedelta(seconds=delay)
    store.save_error(feed.name, message, next_attempt=after if delay > 0 else None)
    return FeedOutcome(feed.name, ERROR, total=store.article_count(feed.name), error=message)


def _retry_after(exc: Exception) -> float:
    """The wait a failure asks for (a server's Retry-After), bounded; 0 for none."""
    from newsreader.sources.http_errors import MAX_RETRY_AFTER

    asked = getattr(exc, "retry_after", None)
    if not isinstance(asked, int | float) or isinstance(asked, bool):
        return 0.0
    asked = float(asked)
    if not math.isfinite(asked) or asked <= 0:
        return 0.0
    return min(asked, float(MAX_RETRY_AFTER))


async def refresh_feeds(
    feeds: Sequence[FeedConfig],
    store: Store,
    *,
    on_progress: Callable[[FeedOutcome], None] | None = None,
    clock: Callable[[], float] = time.time,
    force: bool = False,
    workers: int | None = None,
    rules: FeedRules | None = None,
) -> list[FeedOutcome]:
    """Refresh ``feeds`` concurrently; outcomes come back in the order of ``feeds``.

    ``clock`` (seconds since the epoch) decides which feeds are due; ``force`` asks
    feeds that wait too (the reader's r and R); ``workers`` sets the parser processes
    (default: :func:`parse_workers` of the feeds left to fetch; 0 parses on a thread);
    ``rules``: each feed's rules by name (:func:`~newsreader.store.rules.compile_rules`).
    Local feeds whose files are unchanged are settled first (:mod:`newsreader.unchanged`).
    """
    settled = settle_unchanged(feeds, store, clock=clock, force=force, on_progress=on_progress)
    rest = [feed for feed, outcome in zip(feeds, settled, strict=True) if outcome is None]
    fetched = await fetch_feeds(
        rest,
        store,
        on_progress=on_progress,
        clock=clock,
        force=force,
        workers=workers,
        rules=rules,
    )
    return merged(settled, fetched)


async def fetch_feeds(
    feeds: Sequence[FeedConfig],
    store: Store,
    *,
    on_progress: Callable[[FeedOutcome], None] | None = None,
    clock: Callable[[], float] = time.time,
    force: bool = False,
    workers: int | None = None,
    rules: FeedRules | None = None,
) -> list[FeedOutcome]:
    """:func:`refresh_feeds` without settling unchanged files first: every feed goes
    through the pipeline (for callers that settled them already)."""
    if not feeds:
        return []
    if workers is None:
        workers = parse_workers(len(feeds))
    context = RunContext(clock=clock, workers=workers, rules=rules)

    async def run(feed: FeedConfig) -> FeedOutcome:
        outcome = await refresh_one(feed, store, context, force=force)
        if on_progress is not None:
            on_progress(outcome)
        return outcome

    try:
        return list(await asyncio.gather(*(run(feed) for feed in feeds)))
    finally:
        await context.aclose()
