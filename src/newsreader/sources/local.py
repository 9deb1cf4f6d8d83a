"""The built-in ``local`` source: a feed or article file, or a folder of them.

It reads; the refresh parses (``newsreader.parse_stage``), and merges the documents of
a folder configured as one feed into one Feed named after the configured feed. Files
are re-read only when their paths, sizes or mtimes change (the fingerprint kept in
:class:`FetchState`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from newsreader.errors import NewsreaderError, SourceError
from newsreader.model import Document, FetchState, Retrieved, Unreadable
from newsreader.userfiles import kind_of, read_user_file, size_text

if TYPE_CHECKING:
    from newsreader.model import FeedConfig
    from newsreader.sources.base import FetchContext

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10_000
MAX_DEPTH = 16


# Named tuples rather than dataclasses: defining a dataclass costs every start about
# 1.5 ms, and these two never leave this module.
class _Entry(NamedTuple):
    path: Path
    size: int
    mtime_ns: int


class _Listing(NamedTuple):
    """What a folder holds: the files read, folders that could not be listed, and
    what was left out on purpose (past :data:`MAX_FILES`, deeper than :data:`MAX_DEPTH`)."""

    entries: list[_Entry]
    problems: list[SourceError]
    left_out: list[SourceError]


def _problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def _walk(root: Path) -> _Listing:
    """Regular files under ``root``, sorted by name per folder; hidden ones skipped.

    Symlinks are followed, but each real folder is visited once, so loops end. Past
    :data:`MAX_FILES` the walk only counts, so the user learns how many were left out.
    """
    found: list[_Entry] = []
    problems: list[SourceError] = []
    seen: set[tuple[int, int]] = set()
    extra = 0
    too_deep: list[str] = []

    def visit(folder: str, depth: int) -> None:
        nonlocal extra
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                return
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(SourceError(folder, _problem(exc)))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if len(found) >= MAX_FILES:
                # Only counting now: the file type from the folder listing, no stat.
                try:
                    if entry.is_dir():
                        if depth < MAX_DEPTH:
                            visit(entry.path, depth + 1)
                    elif entry.is_file():
                        extra += 1
                except OSError:
                    pass
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # a dangling symlink or a file removed meanwhile
            if stat.S_ISDIR(st.st_mode):
                if depth < MAX_DEPTH:
                    visit(entry.path, depth + 1)
                else:
                    too_deep.append(entry.path)
            elif stat.S_ISREG(st.st_mode):
                found.append(_Entry(Path(entry.path), st.st_size, st.st_mtime_ns))

    visit(str(root), 0)
    left_out: list[SourceError] = []
    if extra:
        left_out.append(
            SourceError(
                str(root),
                f"holds more than {MAX_FILES:,} files: read the first {MAX_FILES:,},"
                f" left out {extra:,}",
            )
        )
    if too_deep:
        more = f" and {len(too_deep) - 1:,} more" if len(too_deep) > 1 else ""
        left_out.append(
            SourceError(
                str(root),
                f"folders nested more than {MAX_DEPTH} deep were left out ({too_deep[0]}{more})",
            )
        )
    return _Listing(found, problems, left_out)


def _read(entry: _Entry, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refusing anything over the size cap without reading it all."""
    if entry.size > limit:
        raise SourceError(str(entry.path), f"larger than {size_text(limit)}")
    return read_user_file(entry.path, limit, expected="a feed or article file")


def read_file(path: Path) -> bytes:
    """One regular file's bytes under the size cap; every failure is one SourceError line."""
    try:
        st = path.stat()
    except OSError as exc:
        raise SourceError(str(path), _problem(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceError(str(path), "is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(str(path), f"not a regular file ({kind_of(st.st_mode)})")
    return _read(_Entry(path, st.st_size, st.st_mtime_ns))


def documents_in(
    path: Path, *, on_error: Callable[[SourceError], None] | None = None
) -> Iterator[tuple[Path, bytes]]:
    """Every readable regular file under ``path`` with its bytes, in sorted order.

    Files and folders that cannot be read, and what was left out (too many files,
    nested too deep), are passed to ``on_error`` (or skipped without one).
    """
    listing = _walk(path)
    if on_error is not None:
        for problem in (*listing.problems, *listing.left_out):
            on_error(problem)
    for entry in listing.entries:
        try:
            yield entry.path, _read(entry)
        except SourceError as exc:
            if on_error is not None:
                on_error(exc)


def _entries(target: Path) -> tuple[list[_Entry], bool, list[str], list[str]]:
    """The files a target stands for, whether it is a folder, the subfolders that could
    not be listed, and what was left out of it on purpose."""
    try:
        st = target.stat()
    except OSError as exc:
        raise SourceError(str(target), _problem(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        listing = _walk(target)
        if listing.problems and not listing.entries:
            raise listing.problems[0]
        return (
            listing.entries,
            True,
            [str(p) for p in listing.problems],
            [str(p) for p in listing.left_out],
        )
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(str(target), f"not a regular file or folder ({kind_of(st.st_mode)})")
    return [_Entry(target, st.st_size, st.st_mtime_ns)], False, [], []


def fingerprint(entries: list[_Entry]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for entry in entries:
        digest.update(f"{entry.path}\x1f{entry.size}\x1f{entry.mtime_ns}\x1e".encode())
    return digest.hexdigest()


def read_local(target: str, state: FetchState, limit: int = MAX_FILE_BYTES) -> Retrieved:
    """Read a file or folder unless its fingerprint says nothing changed.

    ``limit`` caps each file's size in bytes. A file that cannot be read fails the
    fetch; in a folder it is an :class:`Unreadable` in its place, and the others are
    read all the same.
    """
    root = Path(target)
    entries, is_folder, problems, left_out = _entries(root)
    print_ = fingerprint(entries)
    if state.fingerprint == print_ and not problems:
        return _not_modified(state, left_out)
    new_state = FetchState(fingerprint=print_)
    if not is_folder:
        entry = entries[0]
        doc = Document(_read(entry, limit), address=target, filename=entry.path.name)
        return Retrieved((doc,), state=new_state)
    documents: list[Document | Unreadable] = []
    for entry in entries:
        try:
            data = _read(entry, limit)
        except NewsreaderError as exc:
            documents.append(Unreadable(str(exc)))
            continue
        except Exception as exc:  # an unforeseen failure must not cost the other files
            documents.append(
                Unreadable(f"{entry.path}: cannot be read ({type(exc).__name__}: {exc})")
            )
            continue
        documents.append(Document(data, address=str(entry.path), filename=entry.path.name))
    return Retrieved(
        tuple(documents),
        state=new_state,
        folder=True,
        notes=tuple(left_out),
        problems=tuple(problems),
    )


def unchanged(target: str, state: FetchState) -> Retrieved | None:
    """What :func:`read_local` answers when nothing changed, found from the file system's
    metadata alone (no file is opened); None when the target must be read.

    A target that cannot even be listed is None too: reading it reports the failure in
    the words every fetch uses.
    """
    try:
        entries, _, problems, left_out = _entries(Path(target))
    except Exception:
        return None
    if problems or state.fingerprint != fingerprint(entries):
        return None
    return _not_modified(state, left_out)


def _not_modified(state: FetchState, left_out: list[str]) -> Retrieved:
    # What was left out is said on every fetch, but does not force a re-read.
    return Retrieved(state=state, not_modified=True, notes=tuple(left_out))


class LocalSource:
    """Files and folders on this machine (``path:`` in feeds.yaml)."""

    name = "local"

    async def fetch(self, feed: FeedConfig, state: FetchState, context: FetchContext) -> Retrieved:
        import asyncio  # here: a run whose files are unchanged never starts an event loop

        return await asyncio.to_thread(read_local, feed.target, state, feed.settings.max_bytes)
