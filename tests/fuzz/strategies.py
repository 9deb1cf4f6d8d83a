"""Hostile text, mutated documents, and the checks every parsed field must pass."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from hypothesis import strategies as st

from tests.fuzz.seeds import DEFAULTS, Seed

# --- hostile pieces ------------------------------------------------------------------

ESCAPES = (
    "\x1b[31;1m",  # CSI SGR
    "\x1b[2J\x1b[H",  # clear screen, home
    "\x1b[?1049h",  # alternate screen
    "\x1b]0;owned title\x07",  # OSC 0, BEL
    "\x1b]2;owned title\x1b\\",  # OSC 2, ST
    "\x1b]8;;https://evil.example.org/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07",  # OSC 52 clipboard write
    "\x1bPq#0;2;0;0;0#0~~\x1b\\",  # DCS (sixel)
    "\x1b_apc payload\x1b\\",
    "\x9b31m",  # 8-bit CSI
    "\x9d0;c1 title\x9c",  # 8-bit OSC
    "\x90dcs\x9c",
    "\x1b]0;unterminated",
    "\x1b",
    "\x1b[",
)
CONTROLS = tuple(chr(c) for c in (*range(0x00, 0x20), 0x7F, 0x85, 0x9F))
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")
MARKUP = (
    "[bold red]loud[/]",
    "[link=https://evil.example.org]x[/link]",
    "[@click=app.quit]quit[/]",
    "[/]",
    "[",
    "$accent",
    "**bold** _it_ `code` # head",
    "<b>tag</b>",
    "<script>alert(1)</script>",
    "<!-- comment -->",
    "]]>",
    "&amp;",
    "&nbsp;&copy;",
    "&bogus;",
    "&#0;",
    "&#27;[31m",
    "&#x1b;]0;x&#7;",
    "&#x202e;",
    "&#155;",
    "&#xD800;",
    "&#x110000;",
    "&#99999999999;",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "file:///etc/passwd",
    "//evil.example/x",
    "\u2028\u2029",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\U0001f600\u200d\U0001f4bb",
    "\u0301\u0301\u0301",
    "\uffff\ufffe",
)
DATES = (
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "10000-01-01T00:00:00Z",
    "-0044-03-15",
    "1900-02-29",
    "2024-02-30",
    "Tue, 31 Dec 9999 23:59:60 +2359",
    "Mon, 01 Jan 0001 00:00:00 -2400",
    "Fri, 13 Dec 1901 20:45:52 GMT",
    "Sun, 07 Feb 2106 06:28:16 GMT",
    "2038-01-19T03:14:08Z",
    "1970-01-01T00:00:00.9999999999999+00:00",
    "99999999999999999999",
    "2024-13-45T25:61:61",
    "9999年12月31日 23:59",
    "March 5, 99999 9:30 am",
    "2024-03-05T09:30:00+99:99",
)
HOSTILE = ESCAPES + CONTROLS + BIDI + MARKUP + DATES


def _printable_text() -> st.SearchStrategy[str]:
    return st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """A few words with hostile pieces spliced in (escapes, controls, bidi, markup, dates)."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(HOSTILE),
                _printable_text(),
                st.text(max_size=12),  # any code point, surrogates included
            ),
            min_size=1,
            max_size=5,
        )
    )
    return "".join(pieces)


# --- escaping a fill for where it goes ------------------------------------------------


def _xml_text(value: str) -> str:
    return html.escape(value, quote=False)


def _xml_attr(value: str) -> str:
    return html.escape(value, quote=True)


def _numeric_refs(value: str) -> str:
    return "".join(ch if ch.isalnum() and ch.isascii() else f"&#{ord(ch)};" for ch in value)


def control_refs(value: str) -> str:
    """XML/HTML text with its controls as character references (``&#27;]0;...&#7;``)."""
    return "".join(f"&#{ord(c)};" if not c.isprintable() else c for c in html.escape(value))


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _json_string(value: str) -> str:
    return json.dumps(value)[1:-1]


def _yaml_double(value: str) -> str:
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        elif code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _raw(value: str) -> str:
    return value


ENCODERS = {
    "xml": (_xml_text, control_refs, _numeric_refs, _cdata, _raw),
    "xml-attr": (_xml_attr, control_refs, _numeric_refs, _raw),
    "json": (_json_string, _raw),
    "html": (_xml_attr, control_refs, _numeric_refs, _raw),
    "text": (_raw,),
    "yaml": (_yaml_double, _raw),
    "yaml-md": (_yaml_double, _raw),
}


@st.composite
def filled(draw: st.DrawFn, seed: Seed) -> str:
    """``seed`` with hostile text in some of its holes, escaped (or not) for the context."""
    encoders = ENCODERS[seed.context]
    fills: list[str] = []
    for index in range(seed.holes):
        if draw(st.booleans()):
            encode = draw(st.sampled_from(encoders))
            fills.append(encode(draw(hostile_text())))
        else:
            fills.append(DEFAULTS[index % len(DEFAULTS)])
    return seed.render(fills)


# --- byte-level mutation --------------------------------------------------------------

HOSTILE_BYTES = (
    b"\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x80\x81\x82",
    b"\x1b]52;c;ZXZpbA==\x07",
    b"\x1b[31m",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]>",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b"&b;&e;",
    b"<![CDATA[",
    b"]]>",
    b"<",
    b">",
    b"&",
    b'"',
    b"</item>",
    b"<item><title>x</title></item>",
    b"<entry>",
    b"<div><div><div><div>",
    b"{",
    b"}",
    b"[",
    b"\\u0000",
    b"\\ud800",
    b"---\n",
    b"*a &a [",
    b"<<: *a\n",
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="bogus-8"?>',
    b'<meta charset="shift_jis">',
    b"\r\n",
    b"\r",
    b"\t",
    b"\xe2\x80\xae",
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: float
    length: int
    payload: bytes

    def apply(self, data: bytes) -> bytes:
        pos = int(self.at * len(data))
        if self.kind == "insert":
            return data[:pos] + self.payload + data[pos:]
        if self.kind == "replace":
            return data[:pos] + self.payload + data[pos + self.length :]
        if self.kind == "delete":
            return data[:pos] + data[pos + self.length :]
        if self.kind == "repeat":
            return data[:pos] + data[pos : pos + self.length] * 3 + data[pos:]
        if self.kind == "truncate":
            return data[:pos]
        raise AssertionError(self.kind)


mutations = st.builds(
    Mutation,
    kind=st.sampled_from(("insert", "replace", "delete", "repeat", "truncate")),
    at=st.floats(0, 1),
    length=st.integers(0, 64),
    payload=st.one_of(st.sampled_from(HOSTILE_BYTES), st.binary(max_size=16)),
)


@st.composite
def mutated(draw: st.DrawFn, seed: Seed, *, max_mutations: int = 4) -> bytes:
    """``seed`` filled with hostile text, encoded, then mutated at the byte level."""
    text = draw(filled(seed))
    data = text.encode("utf-8", "surrogatepass")
    for mutation in draw(st.lists(mutations, max_size=max_mutations)):
        data = mutation.apply(data)
    return data


# --- what every parsed field must satisfy ---------------------------------------------

_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\n\r\u2028\u2029\x85]")
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "gemini", "gopher", "news", "nntp"})
_ISO = re.compile(
    r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{6})?(?:[+-]\d{2}:\d{2})?)?)?)?"
)


def check_text(where: str, value: object, *, multiline: bool = False) -> None:
    assert isinstance(value, str), f"{where}: not a str ({type(value).__name__})"
    bad = _FORBIDDEN.search(value)
    assert bad is None, f"{where}: U+{ord(bad.group()):04X} survived in {value!r:.200}"
    if not multiline:
        brk = _LINE_BREAKS.search(value)
        assert brk is None, f"{where}: line break U+{ord(brk.group()):04X} in {value!r:.200}"
    value.encode("utf-8")  # strict: a lone surrogate would crash every writer


def check_link(where: str, value: object) -> None:
    if value is None:
        return
    check_text(where, value)
    assert isinstance(value, str)
    try:
        parts = urlsplit(value)
        web = parts.scheme.lower() in ("http", "https")
        host = parts.hostname
        parts.port  # noqa: B018  (raises for a port that is not one)
    except ValueError as exc:
        raise AssertionError(f"{where}: not a URL ({exc}): {value!r}") from None
    assert parts.scheme.lower() in SAFE_SCHEMES, f"{where}: not an absolute safe link: {value!r}"
    assert host or not web, f"{where}: no host in {value!r}"


def check_date(where: str, value: object) -> None:
    if value is None:
        return
    assert isinstance(value, str) and _ISO.fullmatch(value), f"{where}: not ISO 8601: {value!r}"


def check_feed(feed: object) -> None:
    """Every string field is plain one-line text (text/summary: lines), links absolute."""
    from newsreader.model import Article, Feed

    assert isinstance(feed, Feed)
    check_text("feed.title", feed.title)
    check_link("feed.link", feed.link)
    ids: set[str] = set()
    for n, art in enumerate(feed.articles):
        assert isinstance(art, Article)
        at = f"articles[{n}]"
        check_text(f"{at}.id", art.id)
        assert art.id, f"{at}.id is empty"
        assert art.id not in ids, f"{at}.id repeats {art.id!r}"
        ids.add(art.id)
        check_text(f"{at}.title", art.title)
        check_link(f"{at}.link", art.link)
        check_date(f"{at}.published", art.published)
        check_date(f"{at}.updated", art.updated)
        for name in ("author", "source"):
            value = getattr(art, name)
            if value is not None:
                check_text(f"{at}.{name}", value)
                assert value, f"{at}.{name} is empty, not None"
        if art.summary is not None:
            check_text(f"{at}.summary", art.summary, multiline=True)
        check_text(f"{at}.text", art.text, multiline=True)
        assert "\r" not in art.text
        for i, crumb in enumerate(art.breadcrumb):
            check_text(f"{at}.breadcrumb[{i}]", crumb)
        for i, headline in enumerate(art.related):
            check_text(f"{at}.related[{i}]", headline)
        check_markdown(f"{at}.markdown", art.markdown)
    json.dumps(feed.to_json(), ensure_ascii=False).encode("utf-8")


_MARKDOWN_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def check_markdown(where: str, value: object) -> None:
    """The reader's Markdown may hold tabs and newlines, nothing else below space."""
    assert isinstance(value, str)
    bad = _MARKDOWN_FORBIDDEN.search(value)
    assert bad is None, f"{where}: U+{ord(bad.group()):04X} survived in {value!r:.200}"
    value.encode("utf-8")


def parse(data: bytes, **kwargs: object) -> object:
    """``parse_document``, where only the project's own one-line errors may escape."""
    from newsreader.errors import NewsreaderError
    from newsreader.formats import parse_document

    try:
        feed = parse_document(data, **kwargs)  # type: ignore[arg-type]
    except NewsreaderError as exc:
        check_error(exc)
        return None
    check_feed(feed)
    return feed


def check_error(exc: BaseException) -> None:
    message = str(exc)
    assert message.strip(), "an empty error message"
    check_text("error message", message)


def strings(feed: Any) -> list[str]:
    """Every string of a parsed feed, for 'this never shows up anywhere' checks."""
    out = [feed.title, feed.link or ""]
    for art in feed.articles:
        out += [v for v in art.to_json().values() if isinstance(v, str)]
        out += [*art.breadcrumb, *art.related, art.markdown]
    return out
