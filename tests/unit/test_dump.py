"""``newsreader dump``: every TARGET on its own, failures as one line each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.commands.dump import dump_targets
from tests.support.httpserver import FeedServer, make_rss


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def run(capsys: pytest.CaptureFixture[str], *targets: str) -> tuple[int, dict, list[str]]:
    code = dump_targets(list(targets))
    out, err = capsys.readouterr()
    return code, json.loads(out), err.splitlines()


def test_a_folder_gives_one_feed_per_file_and_reports_the_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.xml").write_text(make_rss("Alpha", [("a1", "A one")]), encoding="utf-8")
    (folder / "b.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "deeper" / "c.xml").write_text(make_rss("Gamma", [("c1", "C")]), encoding="utf-8")
    code, out, err = run(capsys, str(folder))
    assert code == 1
    assert [(f["title"], f["source"]) for f in out["feeds"]] == [
        ("Alpha", str(folder)),
        ("Gamma", str(folder)),
    ]
    assert len(err) == 1 and err[0].startswith(f"newsreader: {folder / 'b.bin'}: ")


def test_targets_keep_their_order_and_a_missing_one_does_not_stop_the_rest(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local.xml"
    local.write_text(make_rss("Local", [("l1", "L")]), encoding="utf-8")
    url = server.add("/web.xml", make_rss("Web", [("w1", "W")]))
    missing = str(tmp_path / "missing.xml")
    code, out, err = run(capsys, url, missing, str(local))
    assert code == 1
    assert [(f["title"], f["source"]) for f in out["feeds"]] == [
        ("Web", url),
        ("Local", str(local)),
    ]
    assert err == [f"newsreader: {missing}: no such file or folder"]


def test_an_http_error_names_the_url(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.add("/gone.xml", "", status=404)
    code, out, err = run(capsys, url)
    assert (code, out) == (1, {"feeds": []})
    assert err == [f"newsreader: {url}: HTTP 404 Not Found"]


def test_a_file_url_and_a_clean_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = tmp_path / "local.xml"
    local.write_text(make_rss("Local", [("l1", "L")]), encoding="utf-8")
    code, out, err = run(capsys, f"file://{local}")
    assert (code, err) == (0, [])
    assert out["feeds"][0]["articles"][0]["id"] == "l1"


def test_a_body_that_cannot_be_converted_is_that_documents_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bodies convert when first read; dump reads them per document, so a fault stays one line."""
    from newsreader.formats.feed import items as feedmod

    def broken(html: str, base: str | None = None) -> str:
        raise RuntimeError("converter fault")

    monkeypatch.setattr(feedmod, "html_to_text", broken)
    bad = tmp_path / "bad.xml"
    bad.write_text(
        "<rss><channel><title>T</title><item><guid>1</guid>"
        "<description>&lt;p&gt;x&lt;/p&gt;</description></item></channel></rss>",
        encoding="utf-8",
    )
    good = tmp_path / "good.md"
    good.write_text("# Fine\n\nPlain words.\n", encoding="utf-8")
    assert dump_targets([str(bad), str(good)]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and str(bad) in err and "converter fault" in err
    assert [f["title"] for f in json.loads(out)["feeds"]] == ["Fine"]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_streamed_document_is_what_json_dumps_writes_for_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int
) -> None:
    """Feeds are written as they are read; the bytes are those of the whole document."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    for i in range(count):
        items = [(f"i{i}-{n}", f"Title “{i}” {n}\nline") for n in range(2)]
        (folder / f"{i}.xml").write_text(make_rss(f"Feed {i}", items), encoding="utf-8")
    code = dump_targets([str(folder)] if count else [])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    assert len(json.loads(out)["feeds"]) == count
