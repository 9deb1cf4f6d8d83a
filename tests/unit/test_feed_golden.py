"""Golden feeds: each ``tests/data/feeds/NAME.<ext>`` reads as ``NAME.expected.json``.

Refresh after a deliberate change with ``UPDATE_GOLDEN=1 pytest tests/unit/test_feed_golden.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsreader.formats.feed import parse_json_feed, parse_xml_feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
CASES = sorted(p for p in DATA.iterdir() if p.is_file() and not p.name.endswith(".expected.json"))


def read(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    if path.suffix == ".json":
        feed = parse_json_feed(data, source=path.name, url=None)
    else:
        feed = parse_xml_feed(data, source=path.name, url=None, content_type=None)
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
    ):
        assert required in names
