"""The ``almanac`` source: a feed generated from its feeds.yaml ``options``, no network.

It exists to prove the plugin path end to end: a package outside newsreader registers
a source under the ``newsreader.sources`` entry-point group and feeds.yaml names it.

    - name: Almanac
      source: almanac
      options: {count: 3, title: "Garden almanac", start: 2024-03-01, every_days: 7}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from newsreader.errors import SourceError
from newsreader.model import Article, Feed
from newsreader.sources.base import FetchResult, FetchState
from newsreader.text.sanitise import clean_line

if TYPE_CHECKING:
    from newsreader.config import FeedConfig
    from newsreader.sources.base import FetchContext

MAX_COUNT = 1000
_DEFAULT_START = dt.date(2024, 1, 1)


class AlmanacSource:
    """Builds ``count`` dated entries, newest last, from the feed's options."""

    name = "almanac"

    async def fetch(
        self, feed: FeedConfig, state: FetchState, context: FetchContext
    ) -> FetchResult:
        options = dict(feed.options)
        fingerprint = _fingerprint(options)
        if state.fingerprint == fingerprint:
            return FetchResult(None, state)
        return FetchResult(build_feed(feed.name, options), FetchState(fingerprint=fingerprint))


def build_feed(name: str, options: Mapping[str, Any]) -> Feed:
    """The feed the options describe; bad options are one-line SourceErrors."""
    where = f"almanac '{name}'"
    unknown = set(options) - {"count", "title", "start", "every_days"}
    if unknown:
        raise SourceError(where, f"unknown option '{sorted(unknown)[0]}'")
    count = options.get("count", 3)
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COUNT:
        raise SourceError(where, f"count must be a whole number from 0 to {MAX_COUNT}")
    every = options.get("every_days", 1)
    if not isinstance(every, int) or isinstance(every, bool) or not 1 <= every <= 366:
        raise SourceError(where, "every_days must be a whole number from 1 to 366")
    start = options.get("start", _DEFAULT_START)
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            raise SourceError(where, f"start '{start}' is not a date like 2024-01-31") from None
    if not isinstance(start, dt.date):
        raise SourceError(where, "start must be a date like 2024-01-31")
    title = clean_line(str(options.get("title", "Almanac"))) or "Almanac"
    articles = []
    for number in range(1, count + 1):
        day = start + dt.timedelta(days=every * (number - 1))
        articles.append(
            Article(
                id=f"almanac:{title}:{day.isoformat()}",
                title=f"{title}, entry {number}: {day:%A %d %B %Y}",
                published=f"{day.isoformat()}T06:00:00+00:00",
                text=f"Entry {number} of {count} in {title}.\n\nNothing happened on {day}.",
                summary=f"Entry {number} of {count}.",
            )
        )
    return Feed(title=title, link=None, source=f"almanac:{name}", articles=tuple(articles))


def _fingerprint(options: Mapping[str, Any]) -> str:
    text = json.dumps(options, sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
