"""Reading a file the user (or a feed list) names: bounded, and never blocking.

A path in feeds.yaml, on the command line or inside a folder may name anything: a
named pipe that never delivers a byte, ``/dev/zero`` that never ends, a socket, a
folder. :func:`read_user_file` is the one way newsreader reads such a path: it looks
at the path before opening it, opens without blocking, checks again what it opened
(the path may have been swapped in between) and reads at most ``limit`` bytes.
"""

from __future__ import annotations

import os
import stat

from newsreader.errors import NewsreaderError, SourceError

# O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting.
# O_NOCTTY: a terminal device never becomes the controlling terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024


def size_text(limit: int) -> str:
    """``20 MB`` for whole megabytes, else ``1000 bytes``."""
    mb = 1024 * 1024
    return f"{limit // mb} MB" if limit % mb == 0 else f"{limit} bytes"


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words a user knows."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def os_problem(exc: OSError) -> str:
    """An OSError as the problem part of a one-line message."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    return f"cannot read: {exc.strerror or exc}"


def read_user_file(
    path: os.PathLike[str] | str,
    limit: int,
    *,
    expected: str = "a file",
    error: type[NewsreaderError] = SourceError,
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Anything else (missing, a folder, a pipe, a device, a socket, too large,
    unreadable) raises ``error(path, problem)``, one line that names the path;
    ``expected`` says what should have been there (``a YAML file``).
    """
    where = os.fspath(path)

    def refuse(mode: int) -> NewsreaderError:
        kind = kind_of(mode)
        if kind == "not a regular file":
            return error(where, f"not a regular file, expected {expected}")
        return error(where, f"is {kind}, expected {expected}")

    try:
        # Looked at before opening: opening a device may already do something.
        before = os.stat(where)
        if not stat.S_ISREG(before.st_mode):
            raise refuse(before.st_mode)
        fd = os.open(where, _OPEN_FLAGS)
    except OSError as exc:
        raise error(where, os_problem(exc)) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped for something else meanwhile
            raise refuse(opened.st_mode)
        if opened.st_size > limit:
            raise error(where, f"larger than {size_text(limit)}")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            # The whole file in one read when its size is known; one byte more tells
            # whether it grew meanwhile.
            want = min(limit + 1 - total, max(_CHUNK, opened.st_size + 1 - total))
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise error(where, os_problem(exc)) from None
    finally:
        os.close(fd)
    if total > limit:  # the file grew while it was read
        raise error(where, f"larger than {size_text(limit)}")
    return b"".join(chunks)
