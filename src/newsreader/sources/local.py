"""The built-in ``local`` source: a feed or article file, or a folder of them.

A folder configured as one feed merges the documents inside into one Feed named after
the configured feed. Files are re-read only when their paths, sizes or mtimes change
(the fingerprint kept in :class:`FetchState`).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsreader.errors import NewsreaderError, SourceError
from newsreader.model import Feed, dedupe_articles
from newsreader.sources.base import FetchResult, FetchState

if TYPE_CHECKING:
    from newsreader.config import FeedConfig
    from newsreader.model import Article
    from newsreader.sources.base import FetchContext

T = TypeVar("T")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10_000
MAX_DEPTH = 16


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    size: int
    mtime_ns: int


def _problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def _walk(root: Path, on_error: Callable[[SourceError], None] | None) -> list[_Entry]:
    """Regular files under ``root``, sorted by name per folder; hidden ones skipped.

    Symlinks are followed, but each real folder is visited once, so loops end.
    """
    found: list[_Entry] = []
    seen: set[tuple[int, int]] = set()

    def visit(folder: str, depth: int) -> None:
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                return
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if on_error is not None:
                on_error(SourceError(folder, _problem(exc)))
            return
        for entry in entries:
            if entry.name.startswith(".") or len(found) >= MAX_FILES:
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # a dangling symlink or a file removed meanwhile
            if stat.S_ISDIR(st.st_mode):
                if depth < MAX_DEPTH:
                    visit(entry.path, depth + 1)
            elif stat.S_ISREG(st.st_mode):
                found.append(_Entry(Path(entry.path), st.st_size, st.st_mtime_ns))

    visit(str(root), 0)
    return found


def _too_big(limit: int) -> str:
    mb = 1024 * 1024
    size = f"{limit // mb} MB" if limit % mb == 0 else f"{limit} bytes"
    return f"larger than {size}"


def _read(entry: _Entry, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refusing anything over the size cap without reading it all."""
    if entry.size > limit:
        raise SourceError(str(entry.path), _too_big(limit))
    try:
        with open(entry.path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SourceError(str(entry.path), _problem(exc)) from None
    if len(data) > limit:
        raise SourceError(str(entry.path), _too_big(limit))
    return data


def read_file(path: Path) -> bytes:
    """One regular file's bytes under the size cap; every failure is one SourceError line."""
    try:
        st = path.stat()
    except OSError as exc:
        raise SourceError(str(path), _problem(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceError(str(path), "is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(str(path), "not a regular file")
    return _read(_Entry(path, st.st_size, st.st_mtime_ns))


def documents_in(
    path: Path, *, on_error: Callable[[SourceError], None] | None = None
) -> Iterator[tuple[Path, bytes]]:
    """Every readable regular file under ``path`` with its bytes, in sorted order.

    Files that cannot be read are passed to ``on_error`` (or skipped without one).
    """
    for entry in _walk(path, on_error):
        try:
            yield entry.path, _read(entry)
        except SourceError as exc:
            if on_error is not None:
                on_error(exc)


def _entries(target: Path) -> tuple[list[_Entry], bool, list[str]]:
    """The files a target stands for, whether it is a folder, and unreadable subfolders."""
    try:
        st = target.stat()
    except OSError as exc:
        raise SourceError(str(target), _problem(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        problems: list[SourceError] = []
        entries = _walk(target, problems.append)
        if problems and not entries:
            raise problems[0]
        return entries, True, [str(p) for p in problems]
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(str(target), "not a regular file or folder")
    return [_Entry(target, st.st_size, st.st_mtime_ns)], False, []


def fingerprint(entries: list[_Entry]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for entry in entries:
        digest.update(f"{entry.path}\x1f{entry.size}\x1f{entry.mtime_ns}\x1e".encode())
    return digest.hexdigest()


def read_local(
    name: str, target: str, state: FetchState, limit: int = MAX_FILE_BYTES
) -> FetchResult:
    """Read (and parse) a file or folder unless its fingerprint says nothing changed.

    ``limit`` caps each file's size in bytes.
    """
    from newsreader.formats import parse_document

    root = Path(target)
    entries, is_folder, warnings = _entries(root)
    print_ = fingerprint(entries)
    if state.fingerprint == print_ and not warnings:
        return FetchResult(feed=None, state=state)
    new_state = FetchState(fingerprint=print_)
    if not is_folder:
        entry = entries[0]
        feed = parse_document(_read(entry, limit), source=target, filename=entry.path.name)
        return FetchResult(feed=feed, state=new_state)

    articles: list[Article] = []
    for entry in entries:
        try:
            data = _read(entry, limit)
            doc = parse_document(data, source=str(entry.path), filename=entry.path.name)
        except NewsreaderError as exc:
            warnings.append(str(exc))
            continue
        except Exception as exc:  # a parser bug must not cost the folder's other documents
            warnings.append(f"{entry.path}: cannot be read ({type(exc).__name__}: {exc})")
            continue
        articles.extend(doc.articles)
    if warnings and not articles:
        raise SourceError(target, f"no document could be read ({warnings[0]})")
    feed = Feed(title=name, link=None, source=target, articles=dedupe_articles(articles))
    if warnings:
        # Without a fingerprint the next fetch reads the folder again and reports again.
        return FetchResult(feed=feed, state=FetchState(), warnings=tuple(warnings))
    return FetchResult(feed=feed, state=new_state)


async def run_parser(context: object, fn: Callable[..., T], *args: object) -> T:
    """Run CPU-bound parsing off the event loop, on the run's parser thread when it has one.

    One parser thread beats a pool: with the GIL, several parsing threads only add
    switching costs, while one keeps the loop and SQLite (which releases the GIL) going.
    """
    runner = getattr(context, "run_parser", None)
    if runner is not None:
        return await runner(fn, *args)  # type: ignore[no-any-return]
    return await asyncio.to_thread(fn, *args)


class LocalSource:
    """Files and folders on this machine (``path:`` in feeds.yaml)."""

    name = "local"

    async def fetch(
        self, feed: FeedConfig, state: FetchState, context: FetchContext
    ) -> FetchResult:
        return await run_parser(
            context, read_local, feed.name, feed.target, state, feed.settings.max_bytes
        )
