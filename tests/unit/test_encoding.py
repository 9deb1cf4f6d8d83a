"""Byte decoding: BOMs, declarations, HTTP charsets, supersets and detection."""

from __future__ import annotations

import pytest

from newsreader.formats.encoding import codec_name, decode_text, decode_xml

CHINESE = (
    "江南小镇的石桥经过半年修缮，本周末重新向游客开放。工匠们按照传统工艺更换了松动的石板。" * 3
)
JAPANESE = (
    "港の朝市に、地元の漁師が営む小さな魚屋が加わりました。初日は昼前に売り切れたそうです。" * 3
)
KOREAN = "올해 항구 축제에서는 어선 퍼레이드와 해산물 시장이 열립니다. 많은 관심 바랍니다." * 3


def xml(body: str, encoding: str | None = None) -> str:
    decl = f' encoding="{encoding}"' if encoding else ""
    return f'<?xml version="1.0"{decl}?>\n<rss><channel><title>{body}</title></channel></rss>'


def test_utf8_bom_wins_over_a_wrong_declaration() -> None:
    data = b"\xef\xbb\xbf" + xml("café", "iso-8859-1").encode("utf-8")
    text, codec = decode_xml(data, content_type=None)
    assert codec == "utf-8"
    assert "café" in text


def test_utf16_with_bom_is_read() -> None:
    data = b"\xff\xfe" + xml("Ærfugl", "utf-16").encode("utf-16-le")
    text, codec = decode_xml(data, content_type=None)
    assert codec == "utf-16-le"
    assert "Ærfugl" in text


def test_utf16_without_bom_is_recognised_from_the_declaration_bytes() -> None:
    data = xml("Ærfugl", "utf-16").encode("utf-16-be")
    text, _ = decode_xml(data, content_type=None)
    assert "Ærfugl" in text


def test_gb2312_declared_is_read_as_gb18030() -> None:
    # 镕 and 喆 are in GBK/GB18030 but not in GB2312: servers say GB2312 and send GBK.
    data = xml("朱镕 喆", "gb2312").encode("gb18030")
    text, codec = decode_xml(data, content_type=None)
    assert codec == "gb18030"
    assert "朱镕 喆" in text


def test_big5_declared_is_read_as_big5_hkscs() -> None:
    data = xml("山城週報 老街茶館", "big5").encode("big5")
    text, codec = decode_xml(data, content_type=None)
    assert codec == "big5hkscs"
    assert "山城週報 老街茶館" in text


def test_iso_8859_1_declared_is_read_as_windows_1252() -> None:
    data = xml("“12 €”", "ISO-8859-1").encode("cp1252")
    text, codec = decode_xml(data, content_type=None)
    assert codec == "cp1252"
    assert "“12 €”" in text


def test_http_charset_outranks_the_xml_declaration() -> None:
    data = xml("Grüße", "utf-8").encode("cp1252")
    text, _ = decode_xml(data, content_type="application/rss+xml; charset=windows-1252")
    assert "Grüße" in text


def test_utf8_sent_with_a_latin1_server_default_stays_utf8() -> None:
    data = xml("Grüße 東京").encode("utf-8")
    text, codec = decode_xml(data, content_type="text/xml; charset=ISO-8859-1")
    assert codec == "utf-8"
    assert "Grüße 東京" in text


def test_a_declared_charset_that_fails_falls_back_to_detection() -> None:
    data = xml(CHINESE, "utf-8").encode("gbk")
    text, codec = decode_xml(data, content_type=None)
    assert codec == "gb18030"
    assert CHINESE in text


@pytest.mark.parametrize(
    ("sample", "codec"),
    [(CHINESE, "gbk"), (JAPANESE, "shift_jis"), (KOREAN, "euc-kr")],
    ids=["gbk", "shift_jis", "euc-kr"],
)
def test_undeclared_legacy_encodings_are_detected(sample: str, codec: str) -> None:
    text, _ = decode_xml(xml(sample).encode(codec), content_type=None)
    assert sample in text


def test_undeclared_windows_1252_is_detected() -> None:
    sample = "Les huîtres sont arrivées, dit le pêcheur. Prix : 12 € la douzaine, jusqu’à samedi."
    text, _ = decode_xml(xml(sample).encode("cp1252"), content_type=None)
    assert sample in text


def test_decode_text_reads_an_html_meta_charset() -> None:
    page = '<html><head><meta charset="shift_jis"><title>港町</title></head>'
    page += "<body>朝市</body></html>"
    assert "朝市" in decode_text(page.encode("shift_jis"), content_type="text/html")


def test_decode_text_drops_the_bom() -> None:
    assert decode_text("\ufeffhello".encode(), content_type=None) == "hello"


def test_codec_names_widen_to_supersets_and_unknown_names_are_none() -> None:
    assert codec_name("GB2312") == "gb18030"
    assert codec_name("x-sjis") == "cp932"
    assert codec_name("EUC-KR") == "cp949"
    assert codec_name("latin1") == "cp1252"
    assert codec_name("no-such-charset") is None
    assert codec_name(None) is None
