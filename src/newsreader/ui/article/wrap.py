"""Word wrapping by terminal cells, with the CJK line-break rules terminals leave out.

Latin text breaks at spaces; CJK text may break between any two characters, except
that a line never starts with closing punctuation (，。」…) and never ends with an
opening bracket (「（《). Wide characters and emoji sequences are never cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.cells import cell_len, split_graphemes

_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\u2600-\u27bf\U0001f000-\U0001faff\U00020000-\U0003fffd"
)
# What belongs to the character before it: joiners, variation selectors, combining
# marks, skin tones and tag characters.
_EXTEND = "(?:\u200d.|[\ufe0e\ufe0f\u20e3\u0300-\u036f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f])*"
_TOKEN = re.compile(
    f"[\U0001f1e6-\U0001f1ff]{{2}}[ \t]*|[{_WIDE}]{_EXTEND}[ \t]*|[^ \\t{_WIDE}]+[ \t]*|[ \t]+"
)
_ASCII_TOKEN = re.compile(r"[^ \t]+[ \t]*|[ \t]+")

NO_START = frozenset(
    "，。、；：？！）」』》〉】〕〗〙〛｝］’”…‥・ー々〜ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖ"
    "ァィゥェォッャュョヮヵヶ！％），．：；？］｝｡｣､･ｰ﹐﹑﹒﹔﹕﹖﹗‐–—―,.;:!?)]}%"
)
NO_END = frozenset("（「『《〈【〔〖〘〚｛［‘“([{｟")


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text`` wrapped to ``width`` cells.

    A newline always breaks; trailing spaces are left out of the range; no range is
    wider than ``width`` unless a single character is.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start = 0
    for part in text.split("\n"):
        if part.isascii():
            if len(part) <= width:
                lines.append((start, start + len(part.rstrip(" \t"))))
            else:
                tokens = [[*m.span(), 0] for m in _ASCII_TOKEN.finditer(part)]
                for tok in tokens:
                    tok[1], tok[2] = tok[0] + len(part[tok[0] : tok[1]].rstrip(" \t")), tok[1]
                _fill(part, start, width, tokens, len, lines)
        else:
            _fill(part, start, width, _tokens(part), cell_len, lines)
        start += len(part) + 1
    return lines


def _tokens(part: str) -> list[list[int]]:
    """Breakable units ``[start, core_end, end]`` after applying the CJK rules."""
    tokens: list[list[int]] = []
    for m in _TOKEN.finditer(part):
        s, e = m.span()
        core = m.group().rstrip(" \t")
        core_e = s + len(core)
        if tokens and core:
            prev = tokens[-1]
            if (
                prev[1] == prev[2]
                and prev[1] > prev[0]
                and (core[0] in NO_START or part[prev[1] - 1] in NO_END)
            ):
                prev[1], prev[2] = core_e, e
                continue
        tokens.append([s, core_e, e])
    return tokens


def _fill(
    part: str,
    base: int,
    width: int,
    tokens: list[list[int]],
    measure: Callable[[str], int],
    lines: list[tuple[int, int]],
) -> None:
    """Greedy fill; leading spaces of the paragraph's line are kept, later ones dropped."""
    line_start = -1
    line_end = 0
    used = 0
    first = True
    for s, core_e, e in tokens:
        if core_e == s:
            if line_start >= 0:
                used += e - s
            elif first:
                line_start, line_end, used = s, s, e - s
            continue
        w = measure(part[s:core_e])
        if line_start >= 0 and used + w <= width:
            line_end = core_e
            used += w + e - core_e
            continue
        if line_start >= 0 and line_end > line_start:
            lines.append((base + line_start, base + line_end))
        first = False
        line_start, line_end, used = s, core_e, w + e - core_e
        if w > width:
            line_start, used = _split_long(part, s, core_e, base, width, lines)
            used += e - core_e
    if line_start < 0 or line_end <= line_start:
        lines.append((base + max(line_start, 0), base + max(line_start, 0)))
    else:
        lines.append((base + line_start, base + line_end))


def _split_long(
    part: str, s: int, e: int, base: int, width: int, lines: list[tuple[int, int]]
) -> tuple[int, int]:
    """Cut a token wider than the line at grapheme boundaries; returns the last piece."""
    if part.isascii():
        start = s
        while e - start > width:
            lines.append((base + start, base + start + width))
            start += width
        return start, e - start
    spans, _ = split_graphemes(part[s:e])
    start = s
    used = 0
    for gs, _ge, gw in spans:
        if used + gw > width and used > 0:
            lines.append((base + start, base + s + gs))
            start = s + gs
            used = 0
        used += gw
    return start, used
