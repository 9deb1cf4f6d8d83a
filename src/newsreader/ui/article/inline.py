"""Inline Markdown for the article pane: emphasis, code spans, links, images, entities.

A block's text becomes an :class:`Inline`, plain text plus runs of flags, parsed only
when the block is laid out. Feed text is never treated as terminal or Rich markup:
everything produced here is plain strings plus flags.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from newsreader.text.sanitise import for_terminal

# Inline flags; a run of text carries any combination of them.
BOLD = 1
ITALIC = 2
CODE = 4
LINK = 8
IMAGE = 16
STRIKE = 32
REF = 64  # the "[n]" reference number after a link
MATCH = 128  # what the current search matched (set at layout, never by the parser)

_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(slots=True)
class Inline:
    """Plain text plus contiguous runs ``(end, flags, link_number)`` covering it."""

    text: str = ""
    runs: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, text: str, flags: int = 0, link: int = 0) -> None:
        if not text:
            return
        self.text += text
        end = len(self.text)
        if self.runs and self.runs[-1][1] == flags and self.runs[-1][2] == link:
            self.runs[-1] = (end, flags, link)
        else:
            self.runs.append((end, flags, link))


def mark(
    runs: list[tuple[int, int, int]], spans: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """``runs`` cut at the edges of ``spans`` (sorted, apart), MATCH on what they cover;
    a link's ``[n]`` is the pane's own text, so no search lights it."""
    out: list[tuple[int, int, int]] = []
    count = len(spans)
    at = 0  # the first span that may still reach the current position
    pos = 0
    for end, flags, link in runs:
        if flags & REF:
            out.append((end, flags, link))
            pos = end
            continue
        while pos < end:
            while at < count and spans[at][1] <= pos:
                at += 1
            if at < count and spans[at][0] <= pos:
                cut = min(end, spans[at][1])
                out.append((cut, flags | MATCH, link))
            else:
                cut = min(end, spans[at][0]) if at < count else end
                out.append((cut, flags, link))
            pos = cut
    return out


class Links:
    """Link targets numbered in the order they first appear; a repeated URL keeps its number."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base
        self.urls: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, url: str) -> int:
        url = self.resolve(url)
        if not url:
            return 0
        found = self._numbers.get(url)
        if found is None:
            self.urls.append(url)
            found = self._numbers[url] = len(self.urls)
        return found

    def resolve(self, url: str) -> str:
        url = "".join(url.split())
        if not url:
            return ""
        if self.base and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
            try:
                url = urljoin(self.base, url)
            except ValueError:
                return url
        return url


_SPECIAL = re.compile(r"[\\`*_~!\[<&\n]")
_CODE_SPAN = {n: re.compile(r"(?<!`)" + "`" * n + r"(?!`)") for n in range(1, 8)}
# Link text: brackets may nest one level ("[![alt](src)](href)").
_BRACKETS = re.compile(r"\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]", re.DOTALL)
_DESTINATION = re.compile(
    r"\(\s*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REF_LABEL = re.compile(r"\[([^\[\]]{0,999})\]")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# What an image description decodes: backslash escapes and character references.
_ALT_DECODED = re.compile(r"\\([!-/:-@\[-`{-~])|" + _ENTITY.pattern)
_REF_DEF = re.compile(
    r"^ {0,3}\[([^\[\]]{1,999})\]:[ \t]*<?([^\s>]+)>?"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
    re.MULTILINE,
)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _alt_text(label: str) -> str:
    """An image's description as text. It is an HTML ``alt`` attribute, which the
    converter writes escaping only backslashes and brackets, leaving ``*``, ``_`` and
    ``![..](..)`` as they were: read as markup, the words would lose those characters
    and a nested image would number a link of its own. References are decoded (and
    cleaned) as in any text."""
    return _ALT_DECODED.sub(_alt_piece, label)


def _alt_piece(match: re.Match[str]) -> str:
    escaped = match.group(1)
    return escaped if escaped is not None else for_terminal(html.unescape(match.group(0)))


class InlineParser:
    """CommonMark-ish inline markup -> :class:`Inline`; every step is linear in the input."""

    def __init__(self, links: Links, refs: dict[str, str]) -> None:
        self.links = links
        self.refs = refs

    def parse(self, src: str) -> Inline:
        out = Inline()
        self._failed: dict[str, int] = {}
        self._parse(src, 0, out)
        return out

    def _parse(self, src: str, flags: int, out: Inline) -> None:
        pos = 0
        size = len(src)
        while pos < size:
            m = _SPECIAL.search(src, pos)
            if m is None:
                out.add(src[pos:], flags)
                return
            i = m.start()
            if i > pos:
                out.add(src[pos:i], flags)
            pos = self._special(src, i, flags, out)

    def _special(self, src: str, i: int, flags: int, out: Inline) -> int:
        c = src[i]
        nxt = src[i + 1] if i + 1 < len(src) else ""
        if c == "\\":
            if nxt == "\n":
                out.add("\n", flags)
                return i + 2
            if nxt in _ASCII_PUNCT and nxt:
                out.add(nxt, flags)
                return i + 2
            out.add("\\", flags)
            return i + 1
        if c == "\n":
            out.add("\n", flags)
            return i + 1
        if c == "`":
            return self._code(src, i, flags, out)
        if c == "!" and nxt == "[":
            end = self._link(src, i + 1, flags, out, image=True)
            if end:
                return end
            out.add("!", flags)
            return i + 1
        if c == "[":
            end = self._link(src, i, flags, out, image=False)
            if end:
                return end
            out.add("[", flags)
            return i + 1
        if c == "<":
            m = _AUTOLINK.match(src, i)
            if m:
                target = m.group(1)
                url = target if ":" in target else "mailto:" + target
                self._emit_link(out, target, url, flags)
                return m.end()
            out.add("<", flags)
            return i + 1
        if c == "&":
            m = _ENTITY.match(src, i)
            if m:
                # A reference may name any character (&#13; is a carriage return):
                # what it decodes to is cleaned like the text around it.
                out.add(for_terminal(html.unescape(m.group(0))), flags)
                return m.end()
            out.add("&", flags)
            return i + 1
        return self._emphasis(src, i, flags, out)

    def _code(self, src: str, i: int, flags: int, out: Inline) -> int:
        n = 1
        while i + n < len(src) and src[i + n] == "`":
            n += 1
        closer = _CODE_SPAN.get(n)
        key = "`" * n
        if closer is None or self._failed.get(key, len(src)) <= i:
            out.add(key, flags)
            return i + n
        m = closer.search(src, i + n)
        if m is None:
            self._failed[key] = i
            out.add(key, flags)
            return i + n
        body = src[i + n : m.start()].replace("\n", " ")
        if len(body) > 2 and body[0] == " " and body[-1] == " " and body.strip():
            body = body[1:-1]
        if flags & LINK and "\\" in body:
            # In a link's text the converter escapes the brackets of code, which the
            # label's bracket matching needs; the code itself has none.
            body = body.replace("\\[", "[").replace("\\]", "]")
        out.add(body, flags | CODE)
        return m.end()

    def _emphasis(self, src: str, i: int, flags: int, out: Inline) -> int:
        c = src[i]
        n = 1
        while i + n < len(src) and src[i + n] == c:
            n += 1
        after = src[i + n] if i + n < len(src) else " "
        before = src[i - 1] if i > 0 else " "
        opens = not after.isspace()
        if c == "_" and before.isalnum():
            opens = False
        if c == "~" and n != 2:
            opens = False
        if not opens or n > 3:
            out.add(c * n, flags)
            return i + n
        close = self._find_closer(src, i + n, c, n)
        if close < 0:
            out.add(c * n, flags)
            return i + n
        add = STRIKE if c == "~" else {1: ITALIC, 2: BOLD, 3: BOLD | ITALIC}[n]
        self._parse(src[i + n : close], flags | add, out)
        return close + n

    def _find_closer(self, src: str, start: int, c: str, n: int) -> int:
        key = c * n
        if self._failed.get(key, len(src) + 1) <= start:
            return -1
        pos = start
        size = len(src)
        while True:
            j = src.find(c, pos)
            if j < 0:
                self._failed[key] = start
                return -1
            slashes = j
            while slashes > start and src[slashes - 1] == "\\":
                slashes -= 1
            if (j - slashes) % 2:
                pos = j + 1  # a backslash-escaped delimiter is a literal character
                continue
            run = 1
            while j + run < size and src[j + run] == c:
                run += 1
            after = src[j + run] if j + run < size else " "
            if (
                run == n
                and j > start
                and not src[j - 1].isspace()
                and not (c == "_" and after.isalnum())
            ):
                return j
            pos = j + run

    def _link(self, src: str, i: int, flags: int, out: Inline, *, image: bool) -> int:
        m = _BRACKETS.match(src, i)
        if m is None:
            return 0
        label = m.group(1)
        end = m.end()
        url: str | None = None
        dest = _DESTINATION.match(src, end)
        if dest:
            url = dest.group(1).strip()
            if url.startswith("<") and url.endswith(">"):
                url = url[1:-1]
            url = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", url)
            end = dest.end()
        else:
            ref = _REF_LABEL.match(src, end)
            if ref and ref.group(1).strip():
                url = self.refs.get(_label(ref.group(1)))
                if url is not None:
                    end = ref.end()
            if url is None:
                url = self.refs.get(_label(label))
                if ref and ref.group(1) == "" and url is not None:
                    end = ref.end()
            if url is None:
                return 0
        if image:
            text = "[image:\u00a0" + (" ".join(_alt_text(label).split()) or "untitled") + "]"
            self._emit_link(out, text, url, flags | IMAGE)
            return end
        start = len(out.text)
        self._parse(label, flags | LINK, out)
        number = self.links.number(url)
        if number:
            # Retag what the label produced with its link number, keeping nested images.
            self._tag(out, start, number)
            out.add(f"[{number}]", flags | REF, number)
        return end

    def _emit_link(self, out: Inline, text: str, url: str, flags: int) -> None:
        number = self.links.number(url)
        out.add(text, flags | LINK, number)
        if number:
            out.add(f"[{number}]", (flags & ~(LINK | IMAGE)) | REF, number)

    @staticmethod
    def _tag(out: Inline, start: int, number: int) -> None:
        runs = []
        prev_end = 0
        for end, fl, link in out.runs:
            if end > start and link == 0:
                if prev_end < start:
                    runs.append((start, fl, link))
                runs.append((end, fl, number))
            else:
                runs.append((end, fl, link))
            prev_end = end
        out.runs = runs


def find_refs(src: str) -> dict[str, str]:
    """Reference definitions (``[id]: url``) anywhere in the document."""
    if "]:" not in src:
        return {}
    refs: dict[str, str] = {}
    for m in _REF_DEF.finditer(src):
        refs.setdefault(_label(m.group(1)), m.group(2))
    return refs
