"""Where a refresh parses: one thread beside the event loop, or worker processes.

A run of many feeds parses (and prepares the articles' rows) in worker processes, so
that work uses the other cores while the refresh stores; a few feeds do not pay for
starting them. Workers that cannot start, or die, leave the run on the thread.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from newsreader.feed_clock import off_the_clock
from newsreader.parse_stage import worker_ready

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")

# A run of at least this many feeds to fetch (the unchanged ones settled) parses in
# worker processes (``parse_workers``), so the parse, the plain text and the digests use
# the other cores while this process stores; fewer feeds do not pay for starting them.
POOL_FROM = 16
MAX_WORKERS = 2
# Feeds handed to each worker at once: the next ones wait in the worker while the last
# one's articles travel back, so a worker never idles between feeds.
JOBS_PER_WORKER = 4


def parse_workers(feeds: int) -> int:
    """Worker processes for a run of ``feeds`` feeds: none on one core or for a few
    feeds, else one per core beyond this process's, at least one, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2 or feeds < POOL_FROM:
        return 0
    return max(1, min(MAX_WORKERS, cores - 1))


class ParsePool:
    """The parser of one refresh run, made on first use.

    ``workers`` 0 parses on one thread; more parse in that many worker processes (see
    docs/benchmarks.md for the figures of both). One parser thread beats a pool of
    threads: with the GIL, several parsing threads only add switching costs, while one
    keeps the loop and SQLite (which releases the GIL) going.
    """

    def __init__(self, workers: int = 0) -> None:
        self._parser: ThreadPoolExecutor | None = None
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._worker_jobs = asyncio.Semaphore(max(1, workers) * JOBS_PER_WORKER)
        self._worked = False  # whether a worker process has finished a job in this run
        self._warming: asyncio.Future[bool] | None = None  # the pool's first, empty job

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` on the thread or in a worker; the wait for either is off the
        current feed's clock, the work itself is not."""
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
            with off_the_clock():
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
        with off_the_clock():
            await self._worker_jobs.acquire()
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
            self._worker_jobs.release()
        return await self.run(fn, *args)

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

    async def aclose(self) -> None:
        if self._parser is not None:
            self._parser.shutdown(wait=False, cancel_futures=True)
            self._parser = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
