"""The refresh's parser: the thread, the worker processes, and how the run falls back
from workers that die or cannot start."""

from __future__ import annotations

import asyncio

import pytest

from newsreader import parse_pool
from newsreader.parse_pool import ParsePool


def _exit_in_a_worker(code: int) -> str:
    """Ends a worker process at once (as a parser crash would); on a thread, returns."""
    import multiprocessing
    import os

    if multiprocessing.parent_process() is not None:
        os._exit(code)
    return "thread"


async def _until_workers_settle(pool: ParsePool) -> None:
    """Wait for the run's workers to answer their first job (or to be given up)."""
    while pool._workers and not pool._pool_ready():
        await asyncio.sleep(0.02)


def _die_in_a_worker() -> bool:
    _exit_in_a_worker(3)
    return True


def test_the_first_feeds_parse_on_the_thread_while_the_workers_start() -> None:
    async def go() -> list[object]:
        pool = ParsePool(1)
        try:
            first = await pool.run(_exit_in_a_worker, 3)  # no wait for a spawn
            await _until_workers_settle(pool)
            return [first, await pool.run(len, "ab"), pool._worked]
        finally:
            await pool.aclose()

    assert asyncio.run(go()) == ["thread", 2, True]


def test_a_worker_process_that_dies_fails_only_the_feed_it_held() -> None:
    from concurrent.futures.process import BrokenProcessPool

    async def go() -> int:
        pool = ParsePool(1)
        try:
            await _until_workers_settle(pool)
            assert await pool.run(len, "ab") == 2
            with pytest.raises(BrokenProcessPool):
                await pool.run(_exit_in_a_worker, 3)
            return await pool.run(len, "abc")  # a new pool
        finally:
            await pool.aclose()

    assert asyncio.run(go()) == 3


def test_workers_that_cannot_start_leave_the_run_to_the_parser_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers that die before their first job is done (a main module spawn cannot
    load, such as a script on standard input) are given up for the run."""
    monkeypatch.setattr(parse_pool, "worker_ready", _die_in_a_worker)

    async def go() -> list[object]:
        pool = ParsePool(1)
        try:
            first = await pool.run(_exit_in_a_worker, 3)
            await _until_workers_settle(pool)
            return [first, await pool.run(_exit_in_a_worker, 3), pool._workers]
        finally:
            await pool.aclose()

    assert asyncio.run(go()) == ["thread", "thread", 0]


def test_a_pool_that_fails_to_start_leaves_the_run_to_the_parser_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seen inside Textual, whose stand-in stderr multiprocessing cannot pass on."""

    class _Unstartable:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def submit(self, *args: object) -> None:
            raise ValueError("bad value(s) in fds_to_keep")

        def shutdown(self, **kwargs: object) -> None:
            pass

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _Unstartable)

    async def go() -> list[object]:
        pool = ParsePool(2)
        try:
            return [await pool.run(len, "abc"), pool._workers]
        finally:
            await pool.aclose()

    assert asyncio.run(go()) == [3, 0]


def test_an_error_raised_by_the_parse_in_a_worker_is_that_feeds_error() -> None:
    async def go() -> int:
        pool = ParsePool(1)
        try:
            await _until_workers_settle(pool)
            with pytest.raises(ValueError, match="invalid literal"):
                await pool.run(int, "not a number")
            return pool._workers
        finally:
            await pool.aclose()

    assert asyncio.run(go()) == 1
