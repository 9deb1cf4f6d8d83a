"""Every test runs with its own config and data dirs, never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests of a normal run draw the same examples every time, so a CI run is
# repeatable; the soak run (NEWSREADER_FUZZ_PROFILE=long, ``make fuzz``) explores.
if os.environ.get("NEWSREADER_FUZZ_PROFILE", "ci") != "long":
    settings.register_profile("repeatable", derandomize=True, database=None)
    settings.load_profile("repeatable")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    monkeypatch.delenv("NEWSREADER_DB", raising=False)


@pytest.fixture
def repo() -> Path:
    return REPO
