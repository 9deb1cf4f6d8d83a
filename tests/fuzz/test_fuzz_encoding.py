"""Encoding detection: any bytes and any declared charset give text, never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.seeds import HTML, RSS20, TEXT_ZH
from tests.fuzz.strategies import parse

LABELS = (
    "utf-8", "UTF8", "utf-16", "utf-16le", "utf-32", "gbk", "GB2312", "gb18030", "big5",
    "shift_jis", "euc-jp", "euc-kr", "iso-8859-1", "ISO-8859-5", "windows-1251", "koi8-r",
    "x-mac-roman", "utf-7", "hz", "iso-2022-jp", "cp037", "rot13", "base64", "zlib", "hex",
    "punycode", "idna", "undefined", "mbcs", "bogus", "", "\x00", "utf-8\x1b[31m", "x" * 60,
)  # fmt: skip
CODECS = ("utf-8", "utf-16", "utf-16-be", "gb18030", "big5", "shift_jis", "euc-kr",
          "cp1252", "koi8-r", "utf-32", "iso-8859-7")  # fmt: skip


@fuzz()
@given(
    data=st.binary(max_size=1024),
    ctype=st.one_of(st.none(), st.sampled_from(LABELS).map(lambda c: f"text/html; charset={c}")),
)
def test_decode_text_always_gives_text(data, ctype) -> None:
    from newsreader.formats.encoding import decode_text

    text = decode_text(data, content_type=ctype)
    assert isinstance(text, str)


@fuzz()
@given(data=st.binary(max_size=1024), label=st.sampled_from(LABELS))
def test_decode_xml_with_any_declaration(data, label) -> None:
    from newsreader.formats.encoding import decode_xml

    declared = f'<?xml version="1.0" encoding="{label}"?>'.encode("latin-1", "replace")
    text, codec = decode_xml(declared + data, content_type=None)
    assert isinstance(text, str) and isinstance(codec, str)


@fuzz()
@given(
    seed=st.sampled_from((RSS20, HTML, TEXT_ZH)),
    codec=st.sampled_from(CODECS),
    declared=st.sampled_from(LABELS),
    where=st.sampled_from(("header", "document", "both", "none")),
    damage=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=3)), max_size=3),
)
def test_wrong_declared_charset_and_damaged_bytes(seed, codec, declared, where, damage) -> None:
    text = seed.render(["港口 Ηarbour «ferry» пристань", "2024-03-05", "渡轮 ñ"])
    text = text.replace('encoding="utf-8"', f'encoding="{declared}"')
    text = text.replace('charset="utf-8"', f'charset="{declared}"')
    if where in ("header", "none"):
        text = text.replace(f'encoding="{declared}"', "").replace(f'charset="{declared}"', "")
    data = text.encode(codec, "replace")
    for at, junk in damage:
        pos = int(at * len(data))
        data = data[:pos] + junk + data[pos:]
    ctype = f"text/plain; charset={declared}" if where in ("header", "both") else None
    parse(data, source=seed.filename, url=None, content_type=ctype, filename=seed.filename)
