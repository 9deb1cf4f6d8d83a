"""Each feed's deadline, which stops while the feed waits for the run's shared parts.

A refresh gives every feed a deadline (a source that hangs is given up), but a feed
that waits in line (for a place in the pipeline, behind other feeds' parses) is not
slow itself: that time is left off its clock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

# The deadline of the feed the current task fetches (``refresh._fetch`` sets it).
FEED_DEADLINE: ContextVar[asyncio.Timeout | None] = ContextVar("newsreader_deadline", default=None)


@contextlib.contextmanager
def off_the_clock() -> Iterator[None]:
    """Stop the current feed's deadline while inside; it resumes with the time it had."""
    deadline = FEED_DEADLINE.get()
    when = None if deadline is None or deadline.expired() else deadline.when()
    if deadline is None or when is None:
        yield
        return
    loop = asyncio.get_running_loop()
    left = when - loop.time()
    deadline.reschedule(None)
    try:
        yield
    finally:
        if not deadline.expired():
            deadline.reschedule(loop.time() + left)
