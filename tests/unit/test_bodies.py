"""Bodies made ready before a save: digests that never change, conversion of only what
is new or changed."""

from __future__ import annotations

import pytest

from newsreader.bodies import (
    StoredBody,
    article_head,
    body_columns,
    content_digest,
    markdown_from_source,
    pack_source,
    prepare_rows,
    unpack_source,
)
from newsreader.model import Article, Body


class _Counting(Body):
    """A body that records each time it is converted (read for the first time)."""

    def __init__(self, source: str, log: list[str]) -> None:
        super().__init__()
        self._source = source
        self._log = log

    @property
    def text(self) -> str:
        self._log.append(self._source)
        return self._source.upper()

    @property
    def fingerprint(self) -> str:
        return self._source


def test_the_digest_is_the_one_stored_databases_hold() -> None:
    """Stored content_hash values were made by this function: changing it would make
    every stored article look changed."""
    article = Article(
        id="x",
        title="T",
        link="http://l",
        published="2026-01-01",
        breadcrumb=("a", "b"),
        summary="s",
        text="body",
        related=("r",),
        markdown="**b**",
    )
    assert content_digest(article) == "bdc6f20201437de11a0ec0baabdc25b6"
    assert content_digest(Article(id="y", title="U")) == "0ddd7ccce5473bda80935c77621c841e"


def test_only_new_or_changed_bodies_are_converted() -> None:
    log: list[str] = []
    same = Article(id="a", title="A", body=_Counting("one", log))
    changed = Article(id="b", title="B", body=_Counting("two", log))
    new = Article(id="c", title="C", body=_Counting("three", log))
    stored = {"a": content_digest(same), "b": "an older digest"}
    rows = prepare_rows((same, changed, new), stored)
    assert [(aid, digest) for aid, digest, *_ in rows] == [
        (a.id, content_digest(a)) for a in (same, changed, new)
    ]
    assert log == ["two", "three"]
    assert [row[4] is None for row in rows] == [True, False, False]
    assert rows[1][4] == body_columns(changed)


def test_the_first_article_of_an_id_counts() -> None:
    log: list[str] = []
    first = Article(id="a", title="First", body=_Counting("one", log))
    again = Article(id="a", title="Again", body=_Counting("two", log))
    [row] = prepare_rows((first, again), {})
    assert row[:3] == ("a", content_digest(first), article_head(first))
    assert log == ["one"]


def test_a_failing_converter_fails_here() -> None:
    class _Broken(Body):
        @property
        def text(self) -> str:
            raise ValueError("converter fault")

    with pytest.raises(ValueError, match="converter fault"):
        prepare_rows((Article(id="a", title="A", body=_Broken()),), {})


class _CountingMarkdown(Body):
    """A body whose Markdown, still to be made from its HTML, records being made."""

    def __init__(self, log: list[str]) -> None:
        super().__init__("text")
        self._log = log

    @property
    def markdown(self) -> str:
        self._log.append("markdown")
        return "*text*"

    @property
    def markdown_source(self) -> tuple[str, str | None]:
        return "<em>text</em>", None


def test_a_refresh_makes_no_markdown() -> None:
    log: list[str] = []
    [row] = prepare_rows((Article(id="a", title="A", body=_CountingMarkdown(log)),), {})
    assert log == []
    assert row[4] is not None and unpack_source(row[4][5] or b"") == "<em>text</em>"


@pytest.mark.parametrize(
    "html", ["", "<p>short</p>", "<p>" + "Harbour news. " * 200 + "</p>", "\ud800 lone"]
)
def test_a_kept_source_comes_back_as_it_went_in(html: str) -> None:
    assert unpack_source(pack_source(html)) == html


def test_a_long_source_is_kept_compressed() -> None:
    html = "<p>" + "Harbour news. " * 200 + "</p>"
    assert len(pack_source(html)) < len(html) // 5


@pytest.mark.parametrize("blob", [b"", b"x123", b"z\x00\x01garbage", b"u\xff\xfe"])
def test_a_damaged_source_is_refused_and_its_markdown_is_empty(blob: bytes) -> None:
    with pytest.raises(ValueError, match="damaged article body"):
        unpack_source(blob)
    assert markdown_from_source(blob, None) == ""


def test_a_stored_body_makes_its_markdown_once_when_first_read() -> None:
    body = StoredBody("Wall repaired", "", pack_source("<h2>Wall</h2><p>repaired</p>"), None)
    assert body.markdown_source == ("<h2>Wall</h2><p>repaired</p>", None)
    assert body.markdown == "## Wall\n\nrepaired"
    assert body.markdown_source is None


def test_the_body_columns_keep_a_summary_equal_to_the_text_once() -> None:
    same = Article(id="a", title="A", summary="Wall repaired", text="Wall repaired")
    other = Article(id="b", title="B", summary="Wall", text="Wall repaired")
    assert body_columns(same)[:3] == (None, 1, "Wall repaired")
    assert body_columns(other)[:3] == ("Wall", 0, "Wall repaired")


def test_a_row_carries_the_sort_key_of_its_date() -> None:
    dated = Article(id="a", title="A", published="2026-03-01T12:00:00+01:00")
    undated = Article(id="b", title="B", updated="2026-03-01")
    nothing = Article(id="c", title="C")
    keys = [row[3] for row in prepare_rows((dated, undated, nothing), {})]
    assert keys == [1772362800.0, 1772323200.0, None]
