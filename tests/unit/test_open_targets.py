"""``newsreader open FILE...`` names each feed by the title the file gives itself."""

from __future__ import annotations

import os
from pathlib import Path

from newsreader.targets import MAX_OPEN_NAME, open_config

RSS = (
    '<rss version="2.0"><channel><title>{title}</title>'
    "<item><title>One</title></item></channel></rss>"
)


def _feed(path: Path, title: str) -> str:
    path.write_text(RSS.format(title=title), encoding="utf-8")
    return str(path)


def _names(targets: list[str]) -> list[str]:
    config, problems = open_config(targets)
    assert problems == []
    return [f.name for f in config.feeds]


def test_a_feed_is_named_by_its_own_title(tmp_path):
    assert _names([_feed(tmp_path / "a.xml", "Harbour News")]) == ["Harbour News"]


def test_a_feed_without_a_title_keeps_its_file_name(tmp_path):
    assert _names([_feed(tmp_path / "untitled.xml", "  ")]) == ["untitled.xml"]


def test_a_file_that_cannot_be_read_keeps_its_file_name(tmp_path):
    os.mkfifo(tmp_path / "pipe.xml")  # never read (it would block), named as it is
    assert _names([str(tmp_path / "pipe.xml")]) == ["pipe.xml"]


def test_two_files_with_one_title_get_distinct_names(tmp_path):
    names = _names([_feed(tmp_path / "a.xml", "Same"), _feed(tmp_path / "b.xml", "Same")])
    assert names == ["Same", "Same (b.xml)"]


def test_the_same_file_twice_gets_distinct_names(tmp_path):
    target = _feed(tmp_path / "a.xml", "")
    assert _names([target, target]) == ["a.xml", "a.xml (2)"]


def test_a_hostile_title_becomes_one_bounded_line_of_plain_text(tmp_path):
    title = "[x=:] &#x202e;evil&#13;&#10;line " + "long " * 100
    (name,) = _names([_feed(tmp_path / "a.xml", title)])
    assert name.startswith("[x=:] evil line long")
    assert len(name) <= MAX_OPEN_NAME and name.isprintable()


def test_folders_keep_their_folder_name(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    _feed(folder / "a.xml", "Inside")
    assert _names([str(folder)]) == ["news"]
