"""Bytes -> text: BOM, then what the document or the server declares, then detection.

A declaration is trusted only as far as the bytes agree with it: a declared charset
that fails to decode falls back to detection. Legacy names are read as the superset
browsers use (GB2312/GBK -> GB18030, Big5 -> Big5-HKSCS, ISO-8859-1 -> windows-1252,
Shift_JIS -> cp932, EUC-KR -> cp949), because servers name the small set and send the
large one.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<?" in UTF-16/32 without a BOM (XML 1.0 appendix F).
_NO_BOM_WIDE: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)

# Codec names (as ``codecs.lookup`` spells them) -> the superset actually used on the web.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
    "iso8859-9": "cp1254",
}
# Names the web uses that Python's codec registry does not know.
_ALIASES = {
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "x-euc-jp": "euc_jp",
    "windows-874": "cp874",
    "x-gbk": "gb18030",
    "iso-8859-8-i": "iso8859-8",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "unicode-1-1-utf-8": "utf-8",
    "x-cp1252": "cp1252",
    "utf8mb4": "utf-8",
}
# Second tries when the superset still fails (e.g. Big5 text with cp950-only symbols).
_ALTERNATIVES = {"big5hkscs": ("cp950",), "cp1252": ("iso8859-1",)}
_SINGLE_BYTE = re.compile(r"^(?:cp12\d\d|iso8859-\d+|koi8-[ru]|mac-roman|cp874|cp8\d\d)$")

_DETECT_LIMIT = 256 * 1024
# How common each codec is on the web: breaks ties between equally good guesses (French
# text reads as well in cp1250 as in cp1252, but is far more likely to be cp1252).
_WEB_ORDER = (
    "utf-8",
    "cp1252",
    "gb18030",
    "cp932",
    "cp949",
    "big5hkscs",
    "euc_jp",
    "cp1251",
    "koi8-r",
    "cp1250",
    "cp1254",
    "cp1256",
    "cp1255",
    "cp874",
    "cp1253",
    "cp1257",
)


def codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label, widened to its web superset; None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a byte-order mark announces and the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def http_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, as given."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return match.group(1) if match else None


def declared_xml_encoding(data: bytes) -> str | None:
    """The label in the XML declaration, read from ASCII-compatible bytes."""
    match = _XML_DECL.match(data[:512])
    return match.group(1).decode("ascii") if match else None


def _try(data: bytes, codec: str) -> str | None:
    for name in (codec, *_ALTERNATIVES.get(codec, ())):
        try:
            return data.decode(name)
        except (UnicodeError, LookupError):
            # UnicodeError too: a declared 'punycode', 'idna' or 'undefined' is a Python
            # codec that fails with it rather than with UnicodeDecodeError.
            continue
    return None


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect(data: bytes) -> str | None:
    """The likely codec of undeclared bytes (charset-normalizer), widened to its superset."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data[:_DETECT_LIMIT]))
    if not results:
        return None
    best = results[0]
    tied = [
        codec_name(r.encoding)
        for r in results
        if r.chaos <= best.chaos and r.coherence >= best.coherence - 0.01
    ]
    known = [c for c in tied if c in _WEB_ORDER]
    if known:
        return min(known, key=_WEB_ORDER.index)
    return codec_name(best.encoding)


def decode_bytes(data: bytes, labels: list[str | None]) -> tuple[str, str]:
    """Decode with the first declared label the bytes agree with, else UTF-8, else detection.

    ``labels`` are declarations in order of authority (HTTP charset, then the document's
    own). Returns the text and the codec used.
    """
    name, skip = bom_encoding(data)
    if name is None:
        for prefix, wide in _NO_BOM_WIDE:
            if data.startswith(prefix):
                name = wide
                break
    if name is not None:
        text = _try(data[skip:], name)
        if text is not None:
            return text, name
        data = data[skip:]
    for label in labels:
        codec = codec_name(label)
        if codec is None or codec.startswith(("utf-16", "utf-32")):
            continue
        if _SINGLE_BYTE.match(codec) and _is_utf8_with_non_ascii(data):
            # Servers label UTF-8 as Latin-1 by default; valid multi-byte UTF-8 is
            # practically never an accident in a single-byte text.
            return data.decode("utf-8"), "utf-8"
        text = _try(data, codec)
        if text is not None:
            return text, codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = detect(data)
    if codec is not None:
        text = _try(data, codec)
        if text is not None:
            return text, codec
        try:
            return data.decode(codec, "replace"), codec
        except LookupError:
            pass
    return data.decode("utf-8", "replace"), "utf-8"


def decode_xml(data: bytes, *, content_type: str | None) -> tuple[str, str]:
    """Text of an XML document: BOM, HTTP charset, XML declaration, UTF-8, detection."""
    return decode_bytes(data, [http_charset(content_type), declared_xml_encoding(data)])


def decode_text(data: bytes, *, content_type: str | None) -> str:
    """Text of an HTML, Markdown or plain-text page (``<meta charset>`` counts too)."""
    head = data[:4096]
    meta = _META_CHARSET.search(head)
    labels = [
        http_charset(content_type),
        declared_xml_encoding(data),
        meta.group(1).decode("ascii") if meta else None,
    ]
    text, _ = decode_bytes(data, labels)
    return text.removeprefix("\ufeff")
