"""Plain-text news pages: related headlines, breadcrumb, title, dateline, body, footer.

Pages copied out of news sites share one shape (SPEC, "Single articles"). The
dateline is the anchor: the title is the line above it, the related headlines and
the breadcrumb come before the title, the body follows until a disclaimer or
footer marker. Everything is plain text; only ``re`` is needed, so this module is
cheap to import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsreader.errors import ParseError
from newsreader.model import Article, Feed, article_id
from newsreader.text.markdown import escape_paragraph
from newsreader.text.page_dates import AMBIGUOUS_DATE, find_date
from newsreader.text.sanitise import clean_line, strip_controls

# --- related headlines -------------------------------------------------------------

_OPENING = set("([{（［｛【〔《〈「『")
_QUOTES = set("\"'“”‘’«»「」『』„‟‹›")
_COLONS = set(":：︰")


def _latin(char: str) -> bool:
    """A letter or digit of the Latin script (ASCII or accented)."""
    if char.isascii():
        return char.isalnum()
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def _joins(chunk: str, at: int) -> bool:
    """Whether the single space at ``chunk[at]`` belongs to the headline (SPEC field rules).

    Digits count as part of a Latin run, so ``Top 10 tips`` and ``iPhone 15`` stay whole.
    """
    left, right = chunk[at - 1], chunk[at + 1]
    if right in _OPENING or left in _COLONS or left in _QUOTES or right in _QUOTES:
        return True
    return _latin(left) and _latin(right)


def split_headlines(line: str) -> list[str]:
    """Headlines of a run: two or more spaces always separate, a single one by SPEC's rules."""
    line = line.replace("\u00a0", " ")
    headlines: list[str] = []
    for chunk in re.split(r"[ \t]{2,}|[\t\u3000\u2003]+", line):
        chunk = chunk.strip()
        start = 0
        for space in re.finditer(" ", chunk):
            if not _joins(chunk, space.start()):
                headlines.append(chunk[start : space.start()])
                start = space.end()
        headlines.append(chunk[start:])
    return _unique(clean_line(h) for h in headlines)


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


# --- breadcrumb --------------------------------------------------------------------

_CRUMB_MARKER = re.compile(
    r"^\s*(?:您的位置|你的位置|您现在的位置|当前位置|所在位置|现在位置|現在位置|現在地|位置|"
    r"You are here|Your location|Location|Current location|Breadcrumbs?)\s*(?:是)?\s*[:：]\s*",
    re.IGNORECASE,
)
_CRUMB_MARKS = r"(?:>>|»|›|＞|>|→|〉|/)"
_CRUMB_SEP = re.compile(r"\s*(?:>>|»|›|＞|>|→|〉)\s*|\s+/\s+")
# A separator at either end of a crumb ("Home / Sport /") belongs to no crumb.
_CRUMB_EDGE = re.compile(rf"^(?:\s*{_CRUMB_MARKS})+|(?:{_CRUMB_MARKS}\s*)+$")
_HOME = re.compile(r"^(?:首页|主页|首頁|ホーム|Home|Homepage|Home page|Start)$", re.IGNORECASE)


def parse_breadcrumb(line: str) -> list[str] | None:
    """The section path of a breadcrumb line, or None when the line is not one."""
    stripped = line.strip()
    marker = _CRUMB_MARKER.match(stripped)
    rest = stripped[marker.end() :] if marker else stripped
    if len(rest) > 200:
        return None
    parts = [clean_line(_CRUMB_EDGE.sub("", p)) for p in _CRUMB_SEP.split(rest)]
    parts = [p for p in parts if p]
    if marker:
        return parts if parts or not rest else None
    if len(parts) >= 2 and _HOME.match(parts[0]) and _CRUMB_SEP.search(rest):
        return parts
    return None


# --- dateline ----------------------------------------------------------------------

_SOURCE_LABEL = (
    r"(?:文章来源|新闻来源|消息来源|稿件来源|来源于|来源|稿源|出典|出處|出处|Source|Sources)"
)
_AUTHOR_LABEL = r"(?:Written by|Posted by|Story by|Words by|By|Author|作者|撰文|记者|記者|文)"
_OTHER_LABEL = (
    r"(?:责任编辑|編輯|编辑|Editor|Edited by|Photos? by|浏览|阅读|点击|字号|评论|分享|"
    r"Views|Comments|Reading time|发布时间|发布日期|更新时间|時間|时间|日期|Published|Posted|"
    r"Updated|Last updated|Date|发布|發佈)"
)
_LABEL = re.compile(
    rf"(?:^|(?<=[\s|｜/·•,，;；(（【\[]))(?:(?P<src>{_SOURCE_LABEL})|(?P<via>via)|"
    rf"(?P<author>{_AUTHOR_LABEL})|(?P<other>{_OTHER_LABEL}))"
    r"(?P<colon>\s*[:：/]\s*|\s+(?=\S))",
    re.IGNORECASE,
)
_SEGMENT_SEP = re.compile(r"\s*[|｜•·]\s*|[ \t]{2,}|[\u3000]+|\s+[-–—]\s+|[,，;；]\s*|[()（）【】]")
_UPDATED_LABEL = re.compile(r"(?:更新时间|Updated|Last updated)\s*[:：]?\s*$", re.IGNORECASE)
_NOT_OUTLET = re.compile(
    rf"^(?:{_OTHER_LABEL}|[A-Z]{{1,4}}T|UTC|GMT|北京时间|[\d\s:.+-]*|[ap]\.?m\.?|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|(?:星期|周|週)[一二三四五六日天]|"
    r"\d+\s*(?:min|minutes?)\s*read|阅读\s*\d+|\d+\s*(?:次|人)\S*)$",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass
class Dateline:
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    outlet: str | None = None
    candidates: list[str] = field(default_factory=list)


def _label_ok(match: re.Match[str], text: str) -> bool:
    """A bare (colon-less) label counts only for names that are not everyday words."""
    if match["colon"].strip():
        return True
    word = match.group(0).strip().lower()
    if match["via"] or (match["author"] and word in ("by", "written by", "posted by", "story by")):
        follower = text[match.end() : match.end() + 1]
        return bool(follower) and (follower.isupper() or not follower.isascii())
    follower = text[match.end() : match.end() + 1]
    if match["author"] and word in ("作者", "记者", "記者", "撰文"):
        return bool(_CJK.match(follower))
    return bool(match["src"]) and not word.isascii()


def _split_labels(text: str) -> list[tuple[str | None, str]]:
    """(kind, value) pieces of a dateline remainder; kind is src/author/other or None."""
    pieces: list[tuple[str | None, str]] = []
    labels = [m for m in _LABEL.finditer(text) if _label_ok(m, text)]
    position = 0
    kind: str | None = None
    for match in labels:
        pieces.append((kind, text[position : match.start()]))
        kind = "src" if match["src"] or match["via"] else "author" if match["author"] else "other"
        if match["other"] and _UPDATED_LABEL.match(match.group(0)):
            kind = "updated"
        position = match.end()
    pieces.append((kind, text[position:]))
    return pieces


def _value(text: str, kind: str | None) -> str:
    """The name a label introduces: up to the next separator (a space ends a CJK name)."""
    value = _SEGMENT_SEP.split(text.strip(), maxsplit=1)[0]
    if kind in ("src", "author") and _CJK.match(value):
        value = value.split(" ")[0]
    return clean_line(value.strip(" .:：-–—"))


def parse_dateline(lines: list[str]) -> Dateline:
    """Date, author and outlet of the dateline lines (SPEC: outlet after a source marker,
    else the publication named last)."""
    info = Dateline()
    for line in lines:
        rest = line
        while (found := find_date(rest)) is not None:
            before = rest[: found[1]]
            if _UPDATED_LABEL.search(before) and info.published is not None:
                info.updated = info.updated or found[0]
            elif info.published is None:
                info.published = found[0]
            elif _UPDATED_LABEL.search(before):
                info.updated = info.updated or found[0]
            rest = before + "  " + rest[found[2] :]
        rest = AMBIGUOUS_DATE.sub("  ", rest)
        for kind, text in _split_labels(rest):
            text = text.strip()
            if kind is not None and text:
                value = _value(text, kind)
                if kind == "src":
                    info.outlet = info.outlet or value or None
                elif kind == "author":
                    info.author = info.author or value or None
                text = text[text.find(value) + len(value) :] if value and value in text else ""
            for part in _SEGMENT_SEP.split(text):
                part = clean_line(part.strip(" .:：-–—"))
                if part and not _NOT_OUTLET.match(part):
                    info.candidates.append(part)
    if info.outlet is None and info.candidates:
        info.outlet = info.candidates[-1]
    if info.published is None:
        info.published = info.updated
    return info


_META_START = re.compile(
    rf"^\s*(?:{_SOURCE_LABEL}\s*[:：]|{_AUTHOR_LABEL}\s*[:：]|(?:By|Written by|Posted by)\s+\S|"
    rf"{_OTHER_LABEL}\s*[:：]|via\s+[A-Z])",
    re.IGNORECASE,
)


def _is_dateline(line: str) -> bool:
    if len(line) > 240:
        return False
    return find_date(line) is not None or bool(_META_START.match(line))


def _is_meta(line: str) -> bool:
    """A line that belongs to the dateline block: an author/source line or a dateline."""
    return len(line) <= 160 and (bool(_META_START.match(line)) or find_date(line) is not None)


# --- body --------------------------------------------------------------------------

_END_MARKER = re.compile(
    r"^\s*[(（【\[]?\s*(?:免责声明|免責聲明|版权声明|版權聲明|声明|聲明|特别声明|郑重声明|"
    r"Disclaimer|免責事項|Copyright|版权所有|版權所有|©|\(c\)|All rights reserved|Legal notice|"
    r"责任编辑|責任編輯|Editor\s*:|本文(?:仅代表|来源|转载)|转载请注明|Related\s*(?:stories|articles|"
    r"news|headlines)?\s*:|相关(?:新闻|阅读|文章)\s*[:：]?|Back to top|返回顶部|Share this|分享到)",
    re.IGNORECASE,
)
_SENTENCE_END = tuple('。．.!！?？,，;；:：、…"”’)）」』')


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_heading(line: str) -> bool:
    """A short line without sentence punctuation: a section heading of the body."""
    if not line or line.endswith(_SENTENCE_END) or line[0] in '"“‘「『(（【[-*•':
        return False
    if _CJK.search(line):
        return _width(line) <= 40
    return len(line) <= 80 and len(line.split()) <= 10


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines end paragraphs; hard-wrapped lines are joined back together."""
    body = [line.strip(" \t\u3000\u00a0") for line in lines]
    width = max((_width(line) for line in body), default=0)
    wrapped = 50 <= width <= 110
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*body, ""]:
        continues = current and line and wrapped and _width(current[-1]) >= 0.6 * width
        if current and not continues:
            paragraphs.append(_join_wrapped(current))
            current = []
        if line:
            current.append(line)
    return [p for p in (clean_line(p) for p in paragraphs) if p]


def _join_wrapped(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        cjk_seam = _CJK.match(text[-1]) or _CJK.match(line[0])
        text += line if cjk_seam else " " + line
    return text


def _markdown(paragraphs: list[str], related: list[str], cjk: bool) -> str:
    blocks = []
    for index, para in enumerate(paragraphs):
        heading = _is_heading(para) and index + 1 < len(paragraphs)
        blocks.append(("## " if heading else "") + escape_paragraph(para))
    if related:
        blocks.append("---")
        blocks.append("## " + ("相关新闻" if cjk else "Related headlines"))
        blocks.append("\n".join("- " + escape_paragraph(h) for h in related))
    return "\n\n".join(blocks)


# --- the page ----------------------------------------------------------------------

_HEAD_LINES = 12


def parse_plaintext_page(text: str, *, source: str, url: str | None) -> Feed:
    """One plain-text news page -> a feed of one article (SPEC field rules)."""
    lines = [line.rstrip() for line in strip_controls(text).split("\n")]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        raise ParseError(source, "empty text page")
    head = filled[:_HEAD_LINES]

    crumb_at, breadcrumb = None, []
    for i in head:
        parsed = parse_breadcrumb(lines[i])
        if parsed is not None:
            crumb_at, breadcrumb = i, parsed
            break

    date_at = next((i for i in head if i != crumb_at and _is_dateline(lines[i])), None)
    if date_at is not None and date_at == (filled[0] if filled else None) and len(head) > 1:
        later = [i for i in head[1:] if i != crumb_at and _is_dateline(lines[i])]
        if find_date(lines[date_at]) is None and later:
            date_at = later[0]

    meta_block: list[int] = []
    title_at: int | None = None
    body_from = 0
    if date_at is not None:
        position = filled.index(date_at)
        start = position
        while (
            start > 0
            and filled[start - 1] != crumb_at
            and _is_meta_author(lines[filled[start - 1]])
        ):
            start -= 1
        end = position
        while end + 1 < len(filled) and _is_meta(lines[filled[end + 1]]) and end - position < 3:
            end += 1
        if end + 1 < len(filled) and _is_outlet_line(lines, filled[end], filled[end + 1]):
            end += 1
        meta_block = filled[start : end + 1]
        before = [i for i in filled[:start] if i != crumb_at]
        if before:
            title_at = before[-1]
            body_from = meta_block[-1] + 1
        else:
            after = [i for i in filled[end + 1 :] if i != crumb_at]
            title_at = after[0] if after else None
            body_from = (title_at if title_at is not None else meta_block[-1]) + 1
    else:
        after_crumb = [i for i in filled if crumb_at is None or i > crumb_at]
        title_at = after_crumb[0] if after_crumb else None
        body_from = (title_at if title_at is not None else len(lines)) + 1

    related_lines = [
        lines[i]
        for i in filled
        if title_at is not None and i < title_at and i != crumb_at and i not in meta_block
    ]
    related = _unique(h for line in related_lines for h in split_headlines(line))

    body_lines: list[str] = []
    for index in range(body_from, len(lines)):
        if index in meta_block or index == crumb_at:
            continue
        if _END_MARKER.match(lines[index]) and any(line.strip() for line in body_lines):
            break
        body_lines.append(lines[index])
    paragraphs = _paragraphs(body_lines)

    title = clean_line(lines[title_at]) if title_at is not None else ""
    info = parse_dateline([lines[i] for i in meta_block])
    if breadcrumb and title and breadcrumb[-1] == title:
        breadcrumb = breadcrumb[:-1]
    if not title:
        title = paragraphs[0][:80] if paragraphs else clean_line(source)

    body = "\n\n".join(paragraphs)
    link = url if url and url.startswith(("http://", "https://")) else None
    cjk = bool(_CJK.search(title + body[:200]))
    article = Article(
        id=article_id(None, link, title, info.published, body),
        title=title,
        link=link,
        published=info.published,
        updated=info.updated,
        author=info.author,
        source=info.outlet,
        breadcrumb=tuple(breadcrumb),
        summary=None,
        text=body,
        related=tuple(related),
        markdown=_markdown(paragraphs, related, cjk),
    )
    return Feed(title=info.outlet or title, link=link, source=source, articles=(article,))


def _is_meta_author(line: str) -> bool:
    """An author or source line just above the dateline (``By Jane Roe``)."""
    return len(line) <= 120 and find_date(line) is None and bool(_META_START.match(line))


def _is_outlet_line(lines: list[str], previous: int, index: int) -> bool:
    """A bare publication name on the line right under the dateline, before a blank line."""
    line = lines[index].strip()
    follows = index == previous + 1 and (index + 1 >= len(lines) or not lines[index + 1].strip())
    short = _width(line) <= 40 if _CJK.search(line) else len(line.split()) <= 6
    return follows and short and not line.endswith(_SENTENCE_END)
