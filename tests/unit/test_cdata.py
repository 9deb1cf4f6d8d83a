"""Large CDATA sections are lifted out before lxml parses and read back unchanged."""

from __future__ import annotations

import pytest

from newsreader.formats import cdata
from newsreader.formats.feed import parse_xml_feed
from newsreader.formats.feed import repair as feedmod
from newsreader.model import Feed

BIG = "<p>" + "Harbour lights, ferry news & tide tables. " * 40 + "</p>"


def rss(description: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss><channel><title>T</title>{extra}'
        f"<item><guid>1</guid><title>One</title><description>{description}</description>"
        "</item></channel></rss>"
    ).encode()


def parse(data: bytes) -> Feed:
    return parse_xml_feed(data, source="f.xml", url=None, content_type=None)


def test_large_sections_are_lifted_and_small_ones_stay() -> None:
    data = f"<a><![CDATA[{BIG}]]><b><![CDATA[small]]></b><![CDATA[{BIG}x]]></a>".encode()
    lifted, sections = cdata.lift(data)
    assert len(lifted) < 100
    assert b"<![CDATA[small]]>" in lifted
    restored = sections.restore(lifted.decode())
    assert restored == f"<a>{BIG}<b><![CDATA[small]]></b>{BIG}x</a>"


@pytest.mark.parametrize(
    "data",
    [
        f"<a><!-- <![CDATA[{BIG}]]> --></a>".encode(),  # inside a comment
        f"<a><![CDATA[{BIG}é]]></a>".encode("latin-1"),  # not UTF-8
        f"<a><![CDATA[{BIG}</a>".encode(),  # never closed
    ],
    ids=["comment", "latin-1", "unclosed"],
)
def test_nothing_is_lifted_where_it_could_change_the_reading(data: bytes) -> None:
    lifted, sections = cdata.lift(data)
    assert lifted == data
    assert sections is cdata.NO_SECTIONS


def test_a_section_after_a_comment_is_lifted() -> None:
    data = f"<a><!-- <![CDATA[ --><![CDATA[{BIG}]]><![CDATA[<!--]]><![CDATA[{BIG}]]></a>"
    lifted, sections = cdata.lift(data.encode())
    assert lifted.count(b"<![CDATA[") == 2  # the one in the comment and the small one
    assert sections.restore(lifted.decode()) == data.replace(f"<![CDATA[{BIG}]]>", BIG)


def test_marker_look_alikes_in_the_document_stay_as_they_are() -> None:
    data = f"<a>\ue0000\ue001<![CDATA[{BIG}]]></a>"
    lifted, sections = cdata.lift(data.encode())
    assert sections.restore(lifted.decode()) == f"<a>\ue0000\ue001{BIG}</a>"


def test_line_ends_are_normalised_as_xml_does() -> None:
    lifted, sections = cdata.lift(f"<a><![CDATA[{BIG}\r\nend\r]]></a>".encode())
    assert sections.restore(lifted.decode()) == f"<a>{BIG}\nend\n</a>"


def test_a_lifted_body_reads_as_the_parser_would_read_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = [
        rss(f"<![CDATA[{BIG}]]>"),
        rss(f"before <![CDATA[{BIG}]]> after"),
        rss(f"<![CDATA[{BIG}]]><b>bold</b><![CDATA[{BIG}]]>"),
        rss("<![CDATA[x]]>", extra=f"<description><![CDATA[{BIG}]]></description>"),
    ]
    lifted = [parse(d) for d in documents]
    monkeypatch.setattr(feedmod, "lift", lambda data: (data, cdata.NO_SECTIONS))
    whole = [parse(d) for d in documents]
    for mine, theirs in zip(lifted, whole, strict=True):
        assert mine.to_json() == theirs.to_json()
        assert [a.markdown for a in mine.articles] == [a.markdown for a in theirs.articles]
    assert "Harbour lights" in lifted[0].articles[0].text
    assert "<b>" not in lifted[2].articles[0].text
