"""The local source: files and folders, re-read only when they change."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from newsreader.errors import SourceError
from newsreader.model import FeedConfig, FeedSettings, FetchResult, FetchState
from newsreader.parse_stage import fetch_parsed
from newsreader.refresh import RunContext
from newsreader.sources.local import LocalSource, documents_in
from tests.support.httpserver import make_rss

NOTE = """---
title: Lantern festival moves to the quay
date: 2026-03-02T18:00:00+08:00
---

The lantern festival will be held on the quay this year.
"""


def fetch(
    target: Path,
    state: FetchState | None = None,
    name: str = "Local",
    settings: FeedSettings | None = None,
) -> FetchResult:
    feed = FeedConfig(
        name=name, source="local", target=str(target), settings=settings or FeedSettings()
    )

    async def run() -> FetchResult:
        return await fetch_parsed(LocalSource(), feed, state or FetchState(), RunContext())

    return asyncio.run(run())


def write_rss(path: Path, *items: tuple[str, str]) -> Path:
    path.write_text(make_rss(path.stem, list(items)), encoding="utf-8")
    return path


def test_a_file_is_parsed_with_its_own_title(tmp_path: Path) -> None:
    path = write_rss(tmp_path / "harbour.xml", ("h1", "Tide tables"), ("h2", "Boat show"))
    result = fetch(path)
    assert result.feed is not None
    assert result.feed.title == "harbour"
    assert [a.title for a in result.feed.articles] == ["Tide tables", "Boat show"]
    assert result.state.fingerprint


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    path = write_rss(tmp_path / "harbour.xml", ("h1", "Tide tables"))
    first = fetch(path)
    second = fetch(path, first.state)
    assert second.not_modified
    assert second.state == first.state


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = write_rss(tmp_path / "harbour.xml", ("h1", "Tide tables"))
    first = fetch(path)
    write_rss(path, ("h1", "Tide tables"), ("h2", "Boat show"))
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    second = fetch(path, first.state)
    assert second.feed is not None and len(second.feed.articles) == 2


def test_a_folder_merges_its_documents_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    write_rss(folder / "b.xml", ("b1", "From b"))
    write_rss(folder / "a.xml", ("a1", "From a, first"), ("a2", "From a, second"))
    (folder / "sub" / "c.md").write_text(NOTE, encoding="utf-8")
    write_rss(folder / ".hidden.xml", ("x1", "Hidden"))
    result = fetch(folder, name="My folder")
    assert result.feed is not None
    assert result.feed.title == "My folder"
    assert [a.title for a in result.feed.articles] == [
        "From a, first",
        "From a, second",
        "From b",
        "Lantern festival moves to the quay",
    ]
    assert fetch(folder, result.state).not_modified


def test_a_new_file_in_a_folder_triggers_a_reread(tmp_path: Path) -> None:
    write_rss(tmp_path / "a.xml", ("a1", "One"))
    first = fetch(tmp_path)
    write_rss(tmp_path / "b.xml", ("b1", "Two"))
    second = fetch(tmp_path, first.state)
    assert second.feed is not None and len(second.feed.articles) == 2


def test_a_bad_document_does_not_cost_the_others(tmp_path: Path) -> None:
    write_rss(tmp_path / "a.xml", ("a1", "Good one"))
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02\x03" * 64)
    result = fetch(tmp_path)
    assert result.feed is not None
    assert [a.title for a in result.feed.articles] == ["Good one"]
    warnings = getattr(result, "warnings", ())
    assert len(warnings) == 1 and warnings[0].startswith(f"{tmp_path / 'b.bin'}: ")
    # No fingerprint: the next fetch reads again and reports again.
    assert result.state.fingerprint is None


def test_a_folder_where_nothing_parses_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02\x03" * 64)
    with pytest.raises(SourceError) as caught:
        fetch(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: no document could be read")


def test_symlink_loops_end(tmp_path: Path) -> None:
    write_rss(tmp_path / "a.xml", ("a1", "Only once"))
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.xml").symlink_to(tmp_path / "missing.xml")
    result = fetch(tmp_path)
    assert result.feed is not None
    assert [a.title for a in result.feed.articles] == ["Only once"]


def test_a_missing_path_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        fetch(tmp_path / "nothere.xml")
    assert str(caught.value) == f"{tmp_path / 'nothere.xml'}: no such file or folder"


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        fetch(fifo)
    write_rss(tmp_path / "a.xml", ("a1", "Beside a pipe"))
    result = fetch(tmp_path)
    assert result.feed is not None and len(result.feed.articles) == 1


def test_a_file_over_the_configured_size_cap_is_refused(tmp_path: Path) -> None:
    path = write_rss(tmp_path / "big.xml", *((f"g{n}", f"Item {n}") for n in range(50)))
    with pytest.raises(SourceError) as caught:
        fetch(path, settings=FeedSettings(max_bytes=1000))
    assert str(caught.value) == f"{path}: larger than 1000 bytes"
    assert fetch(path).feed is not None


def test_documents_in_lists_readable_files_and_reports_the_rest(tmp_path: Path) -> None:
    write_rss(tmp_path / "b.xml", ("b1", "B"))
    (tmp_path / "a.txt").write_text("plain", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "c.md").write_text("# C", encoding="utf-8")
    problems: list[SourceError] = []
    found = list(documents_in(tmp_path, on_error=problems.append))
    assert [p.relative_to(tmp_path).as_posix() for p, _ in found] == ["a.txt", "b.xml", "dir/c.md"]
    assert found[0][1] == b"plain"
    assert problems == []


def test_a_folder_over_the_file_cap_says_how_many_files_it_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: past MAX_FILES the rest of a folder was dropped without a word
    (status ok, exit 0). Now one warning names the folder and the count left out; it
    comes again on every fetch but does not make the folder be read again."""
    import newsreader.sources.local as local

    monkeypatch.setattr(local, "MAX_FILES", 3)
    for n in range(5):
        write_rss(tmp_path / f"f{n}.xml", (f"g{n}", f"Story {n}"))
    (tmp_path / "sub").mkdir()
    write_rss(tmp_path / "sub" / "more.xml", ("m", "More"))
    first = fetch(tmp_path)
    assert first.feed is not None and len(first.feed.articles) == 3
    line = f"{tmp_path}: holds more than 3 files: read the first 3, left out 3"
    assert first.warnings == (line,)
    again = fetch(tmp_path, first.state)
    assert again.not_modified and again.warnings == (line,)


def test_the_real_file_cap_reports_the_files_past_ten_thousand(tmp_path: Path) -> None:
    for n in range(10_002):
        (tmp_path / f"{n:05d}.txt").touch()
    problems: list[SourceError] = []
    first = next(documents_in(tmp_path, on_error=problems.append))
    assert first[0].name == "00000.txt"
    assert [str(p) for p in problems] == [
        f"{tmp_path}: holds more than 10,000 files: read the first 10,000, left out 2"
    ]


def test_folders_nested_past_the_depth_cap_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same silence one level down: folders deeper than MAX_DEPTH were skipped."""
    import newsreader.sources.local as local

    monkeypatch.setattr(local, "MAX_DEPTH", 1)
    write_rss(tmp_path / "top.xml", ("t", "Top"))
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    write_rss(deep / "deep.xml", ("d", "Deep"))
    result = fetch(tmp_path)
    assert result.feed is not None and [a.title for a in result.feed.articles] == ["Top"]
    assert result.warnings == (
        f"{tmp_path}: folders nested more than 1 deep were left out ({deep})",
    )


def test_a_file_swapped_for_a_pipe_after_the_folder_was_listed_is_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between listing a folder and opening a file, the file may become a FIFO; the
    read opens without blocking and refuses what it opened."""
    import newsreader.sources.local as local

    write_rss(tmp_path / "a.xml", ("a", "A"))
    victim = write_rss(tmp_path / "b.xml", ("b", "B"))
    real_walk = local._walk

    def walk_then_swap(root: Path) -> object:
        listing = real_walk(root)
        victim.unlink()
        os.mkfifo(victim)
        return listing

    monkeypatch.setattr(local, "_walk", walk_then_swap)
    result = fetch(tmp_path)
    assert result.feed is not None and [a.title for a in result.feed.articles] == ["A"]
    assert result.warnings == (f"{victim}: is a named pipe, expected a feed or article file",)


def test_the_source_only_reads_a_folder_an_unreadable_file_in_its_place(tmp_path: Path) -> None:
    """Sources hand over bytes, in name order; the parse stage parses and merges them."""
    from newsreader.model import Document, Retrieved, Unreadable

    (tmp_path / "a.txt").write_bytes(b"plain")
    (tmp_path / "b.xml").write_bytes(b"x" * 50)
    (tmp_path / "c.md").write_text("# Note", encoding="utf-8")
    feed = FeedConfig(
        name="Local", source="local", target=str(tmp_path), settings=FeedSettings(max_bytes=40)
    )
    got = asyncio.run(LocalSource().fetch(feed, FetchState(), RunContext()))
    assert isinstance(got, Retrieved) and got.folder and not got.not_modified
    assert got.state.fingerprint
    assert got.documents == (
        Document(b"plain", address=str(tmp_path / "a.txt"), filename="a.txt"),
        Unreadable(f"{tmp_path / 'b.xml'}: larger than 40 bytes"),
        Document(b"# Note", address=str(tmp_path / "c.md"), filename="c.md"),
    )
    result = fetch(tmp_path, settings=FeedSettings(max_bytes=40))
    assert result.feed is not None and [a.title for a in result.feed.articles] == ["plain", "Note"]
    assert result.warnings == (f"{tmp_path / 'b.xml'}: larger than 40 bytes",)
