"""Golden feeds: each ``tests/data/feeds/NAME.<ext>`` reads as ``NAME.expected.json``.

Refresh after a deliberate change with ``UPDATE_GOLDEN=1 pytest tests/unit/test_feed_golden.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsreader.formats import parse_document

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
CASES = sorted(p for p in DATA.iterdir() if p.is_file() and not p.name.endswith(".expected.json"))


def read(path: Path) -> dict[str, object]:
    """What ``newsreader dump`` reads from the file: sniffing decides the parser, as in use."""
    feed = parse_document(path.read_bytes(), source=path.name, filename=path.name)
    return feed.to_json()


def expected_path(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_feed_reads_as_its_golden(path: Path) -> None:
    got = read(path)
    golden = expected_path(path)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden for {path.name}; run with UPDATE_GOLDEN=1"
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_has_its_input() -> None:
    inputs = {p.name for p in CASES}
    for golden in DATA.glob("*.expected.json"):
        stem = golden.name.removesuffix(".expected.json")
        assert any(name.rsplit(".", 1)[0] == stem for name in inputs), golden.name


def test_the_golden_set_covers_every_format_and_trap() -> None:
    names = {p.stem for p in CASES}
    for required in (
        "rss091",
        "rss092",
        "rss10",
        "rss20",
        "atom03",
        "atom10",
        "jsonfeed10",
        "jsonfeed11",
        "enc-gbk-nodecl",
        "enc-big5",
        "enc-shift_jis",
        "enc-euc-kr",
        "enc-windows-1252",
        "enc-utf16-bom",
        "enc-latin1-is-cp1252",
        "broken-entities",
        "xxe",
        "billion-laughs",
        "hostile-titles",
        "hostile-json",
        # Feeds other parsers read (each pins a bug the old reading had).
        "prolog-comment-html-words",  # read as an HTML page
        "doctype-words-in-text",  # refused as a malformed DOCTYPE
        "atom-xhtml-escaped-text",  # &lt;blink&gt; dropped as a tag
        "rss-xhtml-body-escaped",
        "atom03-modes",  # mode="xml" text lost, mode="base64" image as text
        "atom-content-base64",  # base64 of binary types printed
        "html-cdata-and-attribute-angles",  # script in CDATA printed; attribute residue
        "rss10-dublin-core",  # channel dc:title unread
        "rss-author-forms",  # emails kept, second author lost
        "atom-several-authors",
        "mrss-video-channel",  # media:group description unread
        "itunes-podcast",  # iTunes-only titles and summaries unread
    ):
        assert required in names
