"""Every input that ever failed a fuzz test, replayed: ``regressions/`` is the corpus.

An input holding ``PWNED`` (inside escape sequences) must not show it in any field.
A file's extension picks the reader: ``.yaml`` the config parser, ``.opml`` the OPML
reader, anything else ``parse_document`` (with and without a base URL). Inputs whose
bug is not fixed yet are listed in ``OPEN`` and must still fail (strict xfail).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.strategies import check_error, check_text, parse, strings

CORPUS = Path(__file__).parent / "regressions"
# Inputs put this inside escape sequences: it must go with them, never reach a field.
MARKER = b"PWNED"

# name -> why it still fails; the owner of the module named fixes it and deletes the line.
OPEN: dict[str, str] = {}


def _cases() -> list[object]:
    cases = []
    for path in sorted(CORPUS.iterdir()):
        if path.name.startswith("."):
            continue
        reason = OPEN.get(path.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(path, marks=marks, id=path.name))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_input_that_once_failed_now_reads_safely(path: Path, tmp_path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".yaml":
        replay_config(data, tmp_path)
    elif path.suffix == ".opml":
        replay_opml(data)
    else:
        for url in (None, "https://fuzz.example.org/dir/page"):
            feed = parse(data, source=path.name, url=url, filename=path.name)
            if feed is not None and MARKER in data:
                leaks = [s for s in strings(feed) if MARKER.decode() in s]
                assert not leaks, f"an escape sequence's payload survived: {leaks[0]!r:.200}"


def replay_config(data: bytes, tmp_path: Path) -> None:
    from newsreader.config import parse_config
    from newsreader.errors import ConfigError

    try:
        config = parse_config(data.decode("utf-8", "surrogateescape"), tmp_path / "feeds.yaml")
    except ConfigError as exc:
        check_error(exc)
        return
    for feed in config.feeds:
        check_text("name", feed.name)
        check_text("group", feed.group)


def replay_opml(data: bytes) -> None:
    from newsreader.errors import ConfigError
    from newsreader.opml import parse_opml

    try:
        feeds = parse_opml(data, "subs.opml")
    except ConfigError as exc:
        check_error(exc)
        return
    for feed in feeds:
        check_text("name", feed.name)
        check_text("url", feed.url)
        if feed.group is not None:
            check_text("group", feed.group)
