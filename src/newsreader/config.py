"""feeds.yaml -> a validated :class:`Config`. Errors carry the file and line number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_GROUP = "Feeds"


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """Settings that ``settings:`` gives every feed and a feed may override."""

    refresh_minutes: int = 30
    max_articles: int | None = 1000
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout_seconds: float = 20.0


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One entry of ``feeds:``.

    ``source`` is the registry name of the source that reads it: ``local`` for
    ``path:``, ``http`` for ``url:``, or a plugin's name. ``target`` is the resolved
    path (absolute) or the URL; plugins read their ``options``.
    """

    name: str
    source: str
    target: str
    group: str = DEFAULT_GROUP
    options: Mapping[str, Any] = field(default_factory=dict)
    settings: FeedSettings = field(default_factory=FeedSettings)
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    feeds: tuple[FeedConfig, ...] = ()
    theme: str | None = None
    defaults: FeedSettings = field(default_factory=FeedSettings)
    keys: Mapping[str, str] = field(default_factory=dict)
