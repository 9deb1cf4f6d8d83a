"""The settings every fuzz test runs under, picked by ``NEWSREADER_FUZZ_PROFILE``."""

from __future__ import annotations

import os

from hypothesis import settings

from tests.fuzz.conftest import CI_EXAMPLES  # importing it registers the profiles

PROFILE = os.environ.get("NEWSREADER_FUZZ_PROFILE", "ci")


def fuzz(**overrides: object) -> settings:
    """``@fuzz()``: the active profile, with per-test overrides (fewer examples, say)."""
    parent = settings.get_profile(PROFILE)
    if "max_examples" in overrides:
        # A per-test budget is written for the default CI run; bigger runs scale it.
        scale = parent.max_examples / CI_EXAMPLES
        overrides["max_examples"] = max(1, int(int(overrides["max_examples"]) * scale))  # type: ignore[call-overload]
    return settings(parent, **overrides)  # type: ignore[arg-type]
