"""Start-up of a headless command, kept out of the garbage collector's way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """Pause the cyclic garbage collector inside, then freeze what was made there.

    What a command makes while it starts (modules, classes, the parsed feeds.yaml) lives
    until it ends, so the collector's passes over it find nothing: they were 10 ms of a
    fetch where nothing changed. Frozen, it is left out of the passes after, as the
    reader does with its own start-up. Nested use leaves the collector to the outermost.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
