"""The reader's store writes, off Textual's event loop.

Marking an article read or starring it used to write on the event loop: another
process holding the write lock froze the reader for the busy timeout, and a full
disk ended in a traceback. Here one thread with its own Store (one per thread, see
store.py) applies the writes in order while the UI goes on with its in-memory
model. A failed write is kept and retried with backoff; the user gets one line per
failure episode, a line when it is saved after all or given up on, and whatever is
still unsaved at quit is reported (see :meth:`StoreWriter.unsaved_report`).

Plain Python: the screen supplies ``report``, a thread-safe, non-blocking hop to
the UI thread. (Textual's ``call_from_thread`` waits for the UI thread; while the UI
thread waits in :meth:`StoreWriter.flush` at quit, the two would wait on each other.)
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from newsreader.errors import StoreError
from newsreader.store import Store

if TYPE_CHECKING:
    from collections.abc import Iterable

Severity = Literal["information", "warning", "error"]
Report = Callable[[str, Severity], None]

# Waits before each retry of a failed write; after the last one the writer gives up
# until the next change or quit (each try may itself wait the store's busy timeout).
RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
# How long a key's handler waits for its write when nothing else is pending: long
# enough for an ordinary commit, so the file is up to date when the key is handled
# (another process, or quitting at once, sees it); short enough not to be felt.
SETTLE_SECONDS = 0.05
# How long quitting waits for pending writes, and the pause between tries meanwhile.
QUIT_FLUSH_SECONDS = 2.0
URGENT_RETRY_SECONDS = 0.1


@dataclass(eq=False)
class Write:
    """One store write: ``what`` names it for the user ("read state")."""

    what: str
    apply: Callable[[Store], object]
    # Writes with the same key overwrite the same cells: a newer one replaces a
    # queued older one, so a stalled queue does not grow with every key press.
    key: Hashable | None = None
    done: bool = field(default=False, init=False)


def _problem(exc: BaseException) -> str:
    """The failure in one line, without the file name (the messages name it)."""
    if isinstance(exc, StoreError):
        return exc.problem
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def _lasting(exc: BaseException) -> bool:
    """Whether retrying cannot help (the data itself cannot be stored, or a bug)."""
    if isinstance(exc, StoreError):
        return exc.problem.startswith("text that cannot be stored")
    return not isinstance(exc, sqlite3.Error | OSError)


def _names(writes: Iterable[Write]) -> str:
    """The distinct things not saved, in order: "read state, star"."""
    return ", ".join(dict.fromkeys(w.what for w in writes))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class StoreWriter:
    """Applies the reader's writes in order on one background thread.

    With ``db_path`` None (a Store that no other thread can open) the writes go to
    ``store`` on the calling thread, with the same reporting and retry on the next
    write and at quit. A read-only store is never written to: one notice says so.
    """

    def __init__(
        self,
        store: Store,
        db_path: Path | None,
        report: Report,
        *,
        delays: Sequence[float] = RETRY_DELAYS,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        self.store = store
        self.db_path = db_path
        self.path = str(db_path) if db_path is not None else store.path
        self._report = report
        self._delays = tuple(delays)
        self._settle = settle
        self._queue: deque[Write] = deque()
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False
        self._urgent = False  # flush(): retry now, skip the backoff
        self._failures = 0  # failed tries of the write at the head of the queue
        self._retry_at = 0.0
        self._stalled = False  # gave up: waits for the next write or flush
        self._episode = False  # a failure was announced and not yet resolved
        self._problem = ""
        self._told_read_only = False

    # -- the UI thread's side -------------------------------------------------------

    def report_to(self, report: Report) -> None:
        """Send the writer's lines to ``report`` from now on (the screen, once built)."""
        self._report = report

    @property
    def pending(self) -> int:
        """How many writes are not in the file yet (queued, being tried or failed)."""
        with self._lock:
            return len(self._queue)

    def submit(self, what: str, apply: Callable[[Store], object], key: Hashable = None) -> None:
        """Queue one write; returns at once (or after an ordinary commit, see SETTLE)."""
        if self.store.read_only:
            if not self._told_read_only:
                self._told_read_only = True
                self._report(
                    f"{_capital(what)} is not saved: {self.path}: the database is read-only;"
                    " changes last until you quit.",
                    "warning",
                )
            return
        write = Write(what, apply, key)
        if self.db_path is None:
            with self._lock:
                self._enqueue(write)
            self._apply_here()
            return
        with self._lock:
            idle = not self._queue
            self._enqueue(write)
            self._stalled = False
            self._lock.notify_all()
        self._start()
        if idle and self._settle > 0:
            with self._lock:
                self._lock.wait_for(lambda: write.done, self._settle)

    def flush(self, timeout: float) -> bool:
        """Try every pending write now and wait for them at most ``timeout`` seconds;
        True when none is left."""
        if self.db_path is None:
            self._apply_here()
            return not self.pending
        deadline = time.monotonic() + timeout
        with self._lock:
            if not self._queue:
                return True
            self._urgent = True
            self._stalled = False
            self._retry_at = 0.0
            self._lock.notify_all()
        self._start()
        with self._lock:
            self._lock.wait_for(lambda: not self._queue, max(0.0, deadline - time.monotonic()))
            self._urgent = False
            return not self._queue

    def close(self, timeout: float = QUIT_FLUSH_SECONDS) -> bool:
        """Flush, then stop the thread (left to die with the process if a try is
        still waiting on SQLite); True when everything was saved."""
        with self._lock:
            if self._closing:
                return not self._queue
        saved = self.flush(timeout)
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        return saved

    def unsaved_report(self) -> str | None:
        """One line for stderr naming what is not saved, or None."""
        with self._lock:
            if not self._queue:
                return None
            why = f" ({self._problem})" if self._problem else " (still waiting at exit)"
            return f"newsreader: not saved to {self.path}: {_names(self._queue)}{why}"

    # -- queue ----------------------------------------------------------------------

    def _enqueue(self, write: Write) -> None:
        """Append ``write``, dropping a queued older one with the same key (never the
        head, which the thread may be applying)."""
        if write.key is not None:
            for old in list(self._queue)[1:]:
                if old.key == write.key:
                    self._queue.remove(old)
                    old.done = True
        self._queue.append(write)

    def _start(self) -> None:
        if self._thread is None and self.db_path is not None:
            self._thread = threading.Thread(
                target=self._run, args=(self.db_path,), name="store-writer", daemon=True
            )
            self._thread.start()

    # -- applying -------------------------------------------------------------------

    def _apply_here(self) -> None:
        """Without a path: apply the pending writes to ``store`` on this thread."""
        while True:
            with self._lock:
                if not self._queue:
                    return
                write = self._queue[0]
            try:
                write.apply(self.store)
            except Exception as exc:
                if self._failed(write, exc, retry=False):
                    continue
                return
            self._succeeded(write)

    def _run(self, db_path: Path) -> None:
        """The thread: the head of the queue, tried until it is saved or given up."""
        store: Store | None = None
        while True:
            with self._lock:
                while not self._closing and (
                    not self._queue or self._stalled or time.monotonic() < self._retry_at
                ):
                    if self._queue and not self._stalled:
                        self._lock.wait(max(0.0, self._retry_at - time.monotonic()))
                    else:
                        self._lock.wait()
                if self._closing:
                    break
                write = self._queue[0]
            try:
                if store is None:
                    store = Store.open(db_path)
                write.apply(store)
            except Exception as exc:
                if store is not None:
                    store.close()  # a fresh connection for the next try
                    store = None
                self._failed(write, exc, retry=True)
                continue
            self._succeeded(write)
        if store is not None:
            store.close()

    def _succeeded(self, write: Write) -> None:
        with self._lock:
            if self._queue and self._queue[0] is write:
                self._queue.popleft()
            write.done = True
            self._failures = 0
            self._retry_at = 0.0
            recovered = self._episode and not self._queue
            if recovered:
                self._episode = False
                self._problem = ""
            self._lock.notify_all()
        if recovered:
            self._report(f"Saved to {self.path} after all.", "information")

    def _failed(self, write: Write, exc: BaseException, *, retry: bool) -> bool:
        """Count a failed try and tell the user once per episode; True when ``write``
        was dropped (it can never be stored) and the next one may be tried at once."""
        problem = _problem(exc)
        notices: list[tuple[str, Severity]] = []
        dropped = _lasting(exc)
        with self._lock:
            self._problem = problem
            if dropped:
                if self._queue and self._queue[0] is write:
                    self._queue.popleft()
                write.done = True
                notices.append((f"{_capital(write.what)} not saved to {self.path}: {problem}.",
                                "error"))  # fmt: skip
            elif not self._episode:
                self._episode = True
                again = "will retry" if retry else "will retry on the next change and at quit"
                notices.append(
                    (f"Could not save {write.what} to {self.path}: {problem}; {again}.", "warning")
                )
            if not dropped and retry:
                now = time.monotonic()
                if self._urgent:
                    self._retry_at = now + URGENT_RETRY_SECONDS
                elif self._failures < len(self._delays):
                    self._retry_at = now + self._delays[self._failures]
                    self._failures += 1
                else:
                    # Given up for now: kept, and tried again on the next write or at quit.
                    self._stalled = True
                    self._failures = 0
                    self._episode = False
                    notices.append(
                        (
                            f"Not saved to {self.path}: {_names(self._queue)} ({problem});"
                            " will try again on your next change and when you quit.",
                            "error",
                        )
                    )
            self._lock.notify_all()
        for text, severity in notices:
            self._report(text, severity)
        return dropped


class WriteNotice(Message):
    """A writer's line for the user, posted from its thread (post_message is thread-safe
    and does not wait, unlike ``call_from_thread``)."""

    def __init__(self, text: str, severity: Severity) -> None:
        super().__init__()
        self.text = text
        self.severity: Severity = severity
