"""Making real XML feeds parse: the as-is check, the strict and recovering lxml
parses, DOCTYPE removal (so no entity a document declares is ever defined) and the
repair of the common faults (HTML named entities, bare ``&``, controls, stray
declarations, trailing junk)."""

from __future__ import annotations

import re
from html.entities import html5 as _HTML5
from typing import TYPE_CHECKING, Any

from newsreader.errors import ParseError
from newsreader.formats.cdata import NO_SECTIONS, Sections, lift
from newsreader.formats.encoding import codec_name, declared_xml_encoding, http_charset
from newsreader.text.sanitise import strip_controls
from newsreader.text.xmlsafe import safe_xml_parser

if TYPE_CHECKING:
    from lxml.etree import _Element

# How far into a document a DOCTYPE is looked for (characters).
_DOCTYPE_REACH = 65536
# Whitespace and processing instructions (the XML declaration), then the root element.
_PLAIN_PROLOG = re.compile(
    rb"(?:[ \t\r\n]|<\?[^?]{0,1000}(?:\?(?!>)[^?]{0,1000}){0,20}\?>)*<[A-Za-z_]"
)

_DOCTYPE = re.compile(
    r"<!DOCTYPE\s[^\[>]*(?:\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\]\s*)?>", re.IGNORECASE
)
# References that need a look; the lookahead passes over the XML entities and decimal
# references 100-9999 (always characters XML allows), most of a feed's references.
_REFERENCE = re.compile(
    r"&(?!(?:amp|lt|gt|quot|apos|#[1-9][0-9]{2,3});)"
    r"(?:#([0-9]{1,10});|#[xX]([0-9a-fA-F]{1,8});|([A-Za-z_][A-Za-z0-9._-]{0,40});)?"
)
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_PROLOG_DECL = re.compile(r"<\?xml[^<>]*\?>")
_UNQUOTED_ATTR = re.compile(r"(<[A-Za-z_][^<>]*?\s[A-Za-z_][\w:.-]*=)([^\s\"'<>=`]+)")
_ROOT_START = re.compile(r"<[A-Za-z_]")
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)[\s>/]")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEGMENT = re.compile(r"[^<>]+")


def plain_utf8(data: bytes, content_type: str | None) -> bool:
    """Whether lxml may read the bytes as they are: UTF-8 by every declaration, no BOM,
    nothing but processing instructions before the root element, so no DOCTYPE. Most
    feeds are; the others are decoded and cleaned first, which costs a copy."""
    if _PLAIN_PROLOG.match(data) is None:
        return False
    for label in (http_charset(content_type), declared_xml_encoding(data)):
        if label is not None and codec_name(label) != "utf-8":
            return False
    return True


def _xml_parser(recover: bool = False) -> Any:
    return safe_xml_parser(recover=recover, encoding="utf-8")


_PARSERS: dict[bool, Any] = {}


def _parse_xml(raw: bytes, parser: Any, url: str | None) -> _Element:
    """``etree.fromstring`` with the document's address as its base, when there is one."""
    from lxml import etree

    # lxml takes None for "no base URL"; lxml-stubs only admit str | bytes.
    return etree.fromstring(raw, parser, base_url=url)  # type: ignore[arg-type]


def _strict(raw: bytes, url: str | None) -> _Element | None:
    from lxml import etree

    parser = _PARSERS.get(False) or _PARSERS.setdefault(False, _xml_parser())
    try:
        return _parse_xml(raw, parser, url)
    except etree.XMLSyntaxError:
        return None


def strict_lifting(raw: bytes, url: str | None) -> tuple[_Element | None, Sections]:
    """The strict parse of UTF-8 bytes, with their large CDATA sections lifted out."""
    lifted, sections = lift(raw)
    root = _strict(lifted, url)
    return (root, sections) if root is not None else (None, NO_SECTIONS)


def only_undeclared_prefixes(raw: bytes) -> bool:
    """Whether the document's only faults are undeclared namespace prefixes, which
    libxml2's recovery reads without loss (and feedparser reads as no feed at all)."""
    from lxml import etree

    try:
        etree.fromstring(raw, _xml_parser())
    except etree.XMLSyntaxError as exc:
        # The log iterates over its entries; lxml-stubs do not declare __iter__.
        faults = {error.type for error in exc.error_log}  # type: ignore[attr-defined]
        return faults == {etree.ErrorTypes.NS_ERR_UNDEFINED_NAMESPACE}
    return False


def recover(raw: bytes, url: str | None) -> _Element | None:
    from lxml import etree

    try:
        return _parse_xml(raw, _xml_parser(recover=True), url)
    except etree.XMLSyntaxError:
        return None


def strip_doctype(text: str, source: str) -> tuple[str, bool]:
    """Remove the DOCTYPE (and every entity it declares) from the prolog.

    The words ``<!DOCTYPE`` inside a comment or a CDATA section are text, not a
    declaration: those are passed over whole. Any other ``<!DOCTYPE`` in the first
    64 KB is one, wherever it stands, and goes (or, malformed, refuses the document).
    """
    pos = _find_doctype(text)
    if pos == -1:
        return text, False
    match = _DOCTYPE.match(text, pos)
    if match is None:
        raise ParseError(source, "malformed DOCTYPE")
    return text[:pos] + text[match.end() :], True


def _find_doctype(text: str) -> int:
    """Where the first ``<!DOCTYPE`` outside comments and CDATA sections starts; -1.

    A CDATA section counts only inside the root element: one in the prolog is not XML,
    and libxml2's recovery might read what it holds as markup.
    """
    root = _ROOT_START.search(text, 0, _DOCTYPE_REACH)
    root_at = root.start() if root is not None else _DOCTYPE_REACH
    start = text.find("<!", 0, _DOCTYPE_REACH)
    while start != -1:
        if text.startswith("<!--", start):
            end = text.find("-->", start + 4)
        elif start > root_at and text.startswith("<![CDATA[", start):
            end = text.find("]]>", start + 9)
        elif text[start + 2 : start + 9].upper() == "DOCTYPE":
            return start
        else:
            end = start
        if end == -1:
            return -1  # the rest is one comment or section that never closes: text
        start = text.find("<!", end + 2, _DOCTYPE_REACH)
    return -1


def _reference(match: re.Match[str]) -> str:
    dec, hexa, name = match.groups()
    if dec is not None or hexa is not None:
        code = int(dec) if dec is not None else int(hexa, 16)
        if code in (9, 10, 13) or (0x20 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF):
            return match.group(0)
        # Controls come back raw so the control pass removes whole escape sequences.
        return chr(code) if code < 0x20 else ""
    if name is None:
        return "&amp;"
    if name in _XML_ENTITIES:
        return match.group(0)
    chars = _HTML5.get(name + ";")
    if chars is None:
        return ""
    return "".join(f"&#{ord(c)};" for c in chars)


def repair(text: str) -> str:
    """Fix what makes real feeds not well-formed: HTML entities, bare '&', controls.

    CDATA sections are left as they are; an undeclared entity is dropped, which is also
    how references to removed DOCTYPE entities disappear. Blank lines or a mangled XML
    declaration before the root, and junk after its end tag (injected scripts), go too.
    """
    root = _ROOT_NAME.search(text)
    if root is not None:
        end = text.rfind(f"</{root.group(1)}>")
        if end != -1:
            text = text[: end + len(root.group(1)) + 3]
        text = _PROLOG_DECL.sub("", text[: root.start()]).lstrip() + text[root.start() :]
    parts = _CDATA.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _UNQUOTED_ATTR.sub(r'\1"\2"', _REFERENCE.sub(_reference, parts[i]))
    for i, part in enumerate(parts):
        if _CONTROL.search(part):
            parts[i] = _SEGMENT.sub(_strip_segment, part)
    return "".join(parts)


def _strip_segment(match: re.Match[str]) -> str:
    """Escape sequences go whole, with their payload, within one text segment."""
    segment = match.group(0)
    if not _CONTROL.search(segment):
        return segment
    return _CONTROL.sub("", strip_controls(segment))
