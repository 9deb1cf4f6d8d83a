"""The throwaway Config behind ``newsreader open TARGET...``: one feed per file, folder or
address given. It reads files' own titles with the format parsers, so it lives outside the
UI, which only shows what it is handed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.config import Config


def open_config(targets: list[str]) -> tuple[Config, list[str]]:
    """A Config for ``newsreader open``: one feed per target, no file behind it."""
    from newsreader.config import Config
    from newsreader.locations import user_config_dir
    from newsreader.model import FeedConfig

    feeds: list[FeedConfig] = []
    problems: list[str] = []
    names: set[str] = set()
    for target in targets:
        if target.startswith(("http://", "https://")):
            name, source, where, group = target, "http", target, "Web"
        else:
            path = Path(target.removeprefix("file://")).expanduser()
            if not path.exists():
                problems.append(f"{target}: no such file or folder")
                continue
            is_dir = path.is_dir()
            title = None if is_dir else _own_title(path)
            name, source, where = title or path.name or target, "local", str(path.resolve())
            group = "Folders" if is_dir else "Files"
        if name in names and source == "local" and name != path.name:
            name = f"{name} ({path.name})"  # two files of one site: say which is which
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.add(name)
        url = target if source == "http" else None
        feeds.append(FeedConfig(name=name, source=source, target=where, group=group, url=url))
    return Config(path=user_config_dir() / "feeds.yaml", feeds=tuple(feeds)), problems


# A feed's own title names it in the sidebar; longer ones are cut (names are one line).
MAX_OPEN_NAME = 120


def _own_title(path: Path) -> str | None:
    """The title the file gives itself, or None when it has none or cannot be read
    (the refresh then reports the problem under the file's name)."""
    from newsreader.errors import NewsreaderError
    from newsreader.formats import parse_document
    from newsreader.sources.local import read_file

    try:
        feed = parse_document(read_file(path), source=str(path), filename=path.name)
    except (NewsreaderError, OSError, ValueError):
        return None
    title = " ".join(feed.title.split())
    if len(title) > MAX_OPEN_NAME:
        title = title[: MAX_OPEN_NAME - 1].rstrip() + "…"
    return title or None
