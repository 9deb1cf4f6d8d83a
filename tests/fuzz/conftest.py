"""Hypothesis profiles for the fuzz tests, and a warm-up so deadlines measure parsing.

``ci`` (the default) is small and deterministic: the whole folder runs in about 30 s.
``long`` is the soak run, random each time: ``NEWSREADER_FUZZ_PROFILE=long`` (``make
fuzz``), 14,000 examples per test, about 30 minutes on one core of this machine;
``NEWSREADER_FUZZ_EXAMPLES`` sets the examples per test in either profile.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

CI_EXAMPLES = 100
_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def _examples(default: int) -> int:
    value = os.environ.get("NEWSREADER_FUZZ_EXAMPLES")
    return int(value) if value else default


settings.register_profile(
    "ci",
    max_examples=_examples(CI_EXAMPLES),
    deadline=timedelta(seconds=3),
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_DATA,
)
settings.register_profile(
    "long",
    max_examples=_examples(14000),
    deadline=timedelta(seconds=3),
    print_blob=True,
    suppress_health_check=_SLOW_DATA,
)


@pytest.fixture(scope="session", autouse=True)
def _warm_imports() -> None:
    """Import the heavy parsers once, so the first example is not charged for it."""
    from tests.fuzz.seeds import warm_up

    warm_up()
