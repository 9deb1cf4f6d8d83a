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
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, ThreadPoolExecutor
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from newsreader.bodies import prepare_bodies
from newsreader.errors import NewsreaderError
from newsreader.model import ERROR, NOT_MODIFIED, OK, WAITING, FeedOutcome
from newsreader.parse_stage import fetch_parsed, worker_ready
from newsreader.text.sanitise import clean_line
from newsreader.unchanged import merged, settle_unchanged

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    import httpx

    from newsreader.model import FeedConfig, FetchResult, Schedule
    from newsreader.sources.base import Source
    from newsreader.store import Store

T = TypeVar("T")

# The deadline of the feed the current task fetches (see ``_fetch``), so that waiting in
# line for the shared parser thread can be left off that feed's clock.
_DEADLINE: ContextVar[asyncio.Timeout | None] = ContextVar("newsreader_deadline", default=None)

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
PIPELINE_DEPTH = 4
# A run of at least this many feeds to fetch (the unchanged ones settled) parses in
# worker processes (``parse_workers``), so the parse, the plain text and the digests use
# the other cores while this process stores; fewer feeds do not pay for starting them.
POOL_FROM = 16
MAX_WORKERS = 2


class RunContext:
    """The shared resources of one refresh run; the HTTP client and the parser are made
    on first use.

    ``workers`` 0 parses on one thread beside the event loop; more parse in that many
    worker processes, so parsing and preparing bodies use the other cores while this
    process stores (see docs/benchmarks.md for the figures of both).
    """

    def __init__(self, *, clock: Callable[[], float] = time.time, workers: int = 0) -> None:
        self.clock = clock
        self._client: httpx.AsyncClient | None = None
        self._parser: ThreadPoolExecutor | None = None
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._idle_workers = asyncio.Semaphore(max(1, workers))
        self._worked = False  # whether a worker process has finished a job in this run
        self._warming: asyncio.Future[bool] | None = None  # the pool's first, empty job
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
        """Run ``fn`` on the run's parser thread (see ``newsreader.parse_stage``).

        One parser thread beats a pool: with the GIL, several parsing threads only add
        switching costs, while one keeps the loop and SQLite (which releases the GIL) going.

        The feed takes a place in the pipeline first (see :meth:`leave_pipeline`). The
        time spent in line, for that place and behind other feeds' parses, is not
        counted against this feed's deadline; the parse itself is.
        """
        await self._enter_pipeline()
        if self._workers:
            return await self._run_in_worker(fn, *args)
        return await self._run_on_thread(fn, *args)

    async def _run_on_thread(self, fn: Callable[..., T], *args: object) -> T:
        if self._parser is None:
            self._parser = ThreadPoolExecutor(1, thread_name_prefix="newsreader-parse")
        loop = asyncio.get_running_loop()
        began = asyncio.Event()

        def job() -> T:
            loop.call_soon_threadsafe(began.set)
            return fn(*args)

        done = loop.run_in_executor(self._parser, job)
        waiting = asyncio.ensure_future(began.wait())
        try:
            with _off_the_clock():
                await asyncio.wait((done, waiting), return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()
        return await done

    async def _run_in_worker(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in a worker process, once one is idle (waiting off the clock).

        A worker that dies (a parser crashing on a document) fails the feeds it held,
        one line each; the next feed gets a new pool. Workers that die before any of
        them finished a job could not start at all (a main module spawn cannot load,
        such as a script on standard input), and so could a pool that fails to start:
        the run goes on with the parser thread.

        Starting workers takes a while (each imports the parsers: up to a second on a
        busy machine); until they have answered an empty first job, feeds parse on the
        thread, so the first ones of a run never wait for them.
        """
        if not self._pool_ready():
            return await self._run_on_thread(fn, *args)
        with _off_the_clock():
            await self._idle_workers.acquire()
        try:
            pool = self._pool
            if pool is None:  # closed while this feed waited for a worker
                return await self._run_on_thread(fn, *args)
            job: asyncio.Future[T] | None = None
            try:
                # Submitting starts the workers: a failure to start raises here.
                job = asyncio.get_running_loop().run_in_executor(pool, fn, *args)
                result = await job
            except BrokenExecutor:  # BrokenProcessPool, whose module loads only with a pool
                self._close_pool(pool)
                if self._worked:
                    raise
            except Exception:
                if self._worked or job is not None:
                    raise  # fn's own error, raised in the worker
                self._close_pool(pool)
            else:
                self._worked = True
                return result
            self._workers = 0
        finally:
            self._idle_workers.release()
        return await self.run_parser(fn, *args)

    def _pool_ready(self) -> bool:
        """Whether the workers are up; starts them, or gives them up when they could
        not start (the run then stays on the thread)."""
        if self._pool is None:
            import multiprocessing  # with the pool's modules: 10 ms a run on the thread spares
            from concurrent.futures import ProcessPoolExecutor

            # spawn: the event loop and the file-reading threads are not forked.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self._workers, mp_context=context)
            try:
                self._warming = asyncio.get_running_loop().run_in_executor(self._pool, worker_ready)
            except Exception:  # the workers cannot start at all
                self._close_pool(self._pool)
                self._workers = 0
            return False
        warming = self._warming
        if warming is None or not warming.done():
            return warming is None
        self._warming = None
        if warming.cancelled() or warming.exception() is not None:
            self._close_pool(self._pool)
            if not self._worked:
                self._workers = 0
            return False
        self._worked = True
        return True

    def _close_pool(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is pool:
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self._warming = None

    async def _enter_pipeline(self) -> None:
        """Wait, off the clock, for one of the PIPELINE_DEPTH places between parsing
        and storing; a feed holds one place however often it parses."""
        task = asyncio.current_task()
        if task is None or task in self._in_pipeline:
            return
        with _off_the_clock():
            await self._pipeline.acquire()
        self._in_pipeline.add(task)

    def leave_pipeline(self) -> None:
        """The current feed is stored (or has failed): its place goes to the next."""
        task = asyncio.current_task()
        if task in self._in_pipeline:
            self._in_pipeline.discard(task)
            self._pipeline.release()

    async def aclose(self) -> None:
        if self._parser is not None:
            self._parser.shutdown(wait=False, cancel_futures=True)
            self._parser = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def parse_workers(feeds: int) -> int:
    """Worker processes for a run of ``feeds`` feeds: none on one core or for a few
    feeds, else one per core beyond this process's, at least one, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2 or feeds < POOL_FROM:
        return 0
    return max(1, min(MAX_WORKERS, cores))


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
            token = _DEADLINE.set(deadline)
            try:
                stored = partial(store.content_hashes, feed.name)
                return await fetch_parsed(source, feed, state, context, stored)
            finally:
                _DEADLINE.reset(token)


@contextlib.contextmanager
def _off_the_clock() -> Iterator[None]:
    """Stop the current feed's deadline while inside; it resumes with the time it had."""
    deadline = _DEADLINE.get()
    when = None if deadline is None or deadline.expired() else deadline.when()
    if deadline is None or when is None:
        yield
        return
    loop = asyncio.get_running_loop()
    left = when - loop.time()
    deadline.reschedule(None)
    try:
        yield
    finally:
        if not deadline.expired():
            deadline.reschedule(loop.time() + left)


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
    digests = result.digests
    if result.feed is not None and digests is None:  # a source that parsed for itself
        stored = store.content_hashes(feed.name)
        try:
            digests = prepare_bodies(result.feed.articles, stored)
        except Exception as exc:  # a body's converter failed (bodies convert on first read)
            return _failed(feed, store, context, schedule, exc)
    stats = store.save_result(feed.name, result, feed.settings.max_articles, digests=digests)
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
) -> list[FeedOutcome]:
    """Refresh ``feeds`` concurrently; outcomes come back in the order of ``feeds``.

    ``clock`` (seconds since the epoch) decides which feeds are due; ``force`` asks
    feeds that wait too (the reader's r and R); ``workers`` sets the parser processes
    (default: :func:`parse_workers` of the feeds left to fetch; 0 parses on a thread).
    Local feeds whose files are unchanged are settled first (:mod:`newsreader.unchanged`).
    """
    settled = settle_unchanged(feeds, store, clock=clock, force=force, on_progress=on_progress)
    rest = [feed for feed, outcome in zip(feeds, settled, strict=True) if outcome is None]
    fetched = await fetch_feeds(
        rest, store, on_progress=on_progress, clock=clock, force=force, workers=workers
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
) -> list[FeedOutcome]:
    """:func:`refresh_feeds` without settling unchanged files first: every feed goes
    through the pipeline (for callers that settled them already)."""
    if not feeds:
        return []
    if workers is None:
        workers = parse_workers(len(feeds))
    context = RunContext(clock=clock, workers=workers)

    async def run(feed: FeedConfig) -> FeedOutcome:
        outcome = await refresh_one(feed, store, context, force=force)
        if on_progress is not None:
            on_progress(outcome)
        return outcome

    try:
        return list(await asyncio.gather(*(run(feed) for feed in feeds)))
    finally:
        await context.aclose()
