"""Golden pairs: each page in tests/data/pages/ next to NAME.expected.json.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/unit/test_pages_golden.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsreader.formats.html_article import parse_html_article
from newsreader.formats.markdown_article import parse_markdown_article
from newsreader.formats.plaintext import parse_plaintext_page

DATA = Path(__file__).resolve().parents[1] / "data" / "pages"
PARSERS = {
    ".txt": parse_plaintext_page,
    ".html": parse_html_article,
    ".md": parse_markdown_article,
}
PAGES = sorted(p for p in DATA.iterdir() if p.suffix in PARSERS)


def test_every_kind_of_page_has_goldens() -> None:
    assert {p.suffix for p in PAGES} == set(PARSERS)
    assert len(PAGES) >= 12


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_matches_golden(page: Path) -> None:
    parse = PARSERS[page.suffix]
    feed = parse(page.read_text(encoding="utf-8"), source=f"pages/{page.name}", url=None)
    got = feed.to_json()
    expected_path = page.with_name(page.stem + ".expected.json")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert expected_path.exists(), f"no golden for {page.name}; run with UPDATE_GOLDEN=1"
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
