"""What reaches ``App.notify``, recorded per app: toasts are asserted on as the user
would see them raised, without reading Textual's private notification list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App

_raised: list[tuple[App[Any], str]] = []


def messages(app: App[Any]) -> list[str]:
    """The text of every notice ``app`` raised so far in this test."""
    return [text for owner, text in _raised if owner is app]


@pytest.fixture(autouse=True)
def record_notices(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Record each notice, then let Textual show it as usual."""
    original = App.notify

    def notify(self: App[Any], message: str, *args: Any, **kwargs: Any) -> None:
        _raised.append((self, str(message)))
        original(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", notify)
    yield
    _raised.clear()
