"""Headlines from a list, read through the same calls the reader makes of the store
(:class:`newsreader.ui.state.headlines.HeadlineSource`), for state tests without a
database. Each call is counted, so a test can tell what was read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsreader.model import Headline


class ListedHeadlines:
    def __init__(self, headlines: Iterable[Headline]) -> None:
        self.headlines = list(headlines)
        self.calls: Counter[str] = Counter()

    def _of(self, feed: str) -> list[Headline]:
        return [h for h in self.headlines if h.feed == feed]

    def headline_count(self, feed: str) -> tuple[int, int]:
        self.calls["count"] += 1
        of = self._of(feed)
        return len(of), sum(not h.read for h in of)

    def headline_page(self, feed: str, offset: int, limit: int) -> list[Headline]:
        self.calls["page"] += 1
        return self._of(feed)[offset : offset + limit]

    def headline_flags(self, feed: str) -> bytes:
        self.calls["flags"] += 1
        return bytes(h.read for h in self._of(feed))

    def headline_place(self, key: int) -> tuple[str, int] | None:
        self.calls["place"] += 1
        for h in self.headlines:
            if h.key == key:
                return h.feed, self._of(h.feed).index(h)
        return None
