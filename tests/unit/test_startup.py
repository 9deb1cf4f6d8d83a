"""The collector pause of a command's start-up."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from newsreader.startup import paused_collector


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_the_collector_is_paused_inside_and_runs_again_after() -> None:
    gc.enable()
    with paused_collector():
        assert not gc.isenabled()
        made = [[] for _ in range(10)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)


def test_an_inner_pause_leaves_the_collector_to_the_outer_one() -> None:
    gc.enable()
    with paused_collector():
        with paused_collector():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failure_inside_still_resumes_the_collector() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), paused_collector():
        raise RuntimeError("start-up failed")
    assert gc.isenabled()
