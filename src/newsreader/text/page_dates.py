"""Dates as news pages write them in prose ("Oct 15, 2020 9:05 PM EDT", "2020年10月15日
21:05", "15.10.2020") -> ISO 8601, for page parsers that find a date in running text.
Only ``re`` and ``datetime``: cheap to import."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:(?:\s*,\s*|\s+at\s+|\s*[Tt]\s*|\s*[-–—@]\s*|\s*)"
    r"(?P<ampm1>上午|下午|晚上|凌晨|中午)?\s*"
    r"(?P<h>\d{1,2})\s*[:：時时点]\s*(?P<mi>\d{2})(?:\s*[:：分]\s*(?P<s>\d{2})(?:\.\d+)?)?[分秒]?"
    r"(?:\s*(?P<ampm2>[ap]\.?\s?m\.?)(?![a-z]))?"
    r"(?:\s*(?P<tz>Z(?![a-z])|[+-]\d{2}:?\d{2}\b|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?))?"
    r")?"
)
_DATE_PATTERNS = (
    re.compile(
        r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?!\d)"
        + _TIME,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
        r"(?!\d)\s*日?" + _TIME,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\w])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+"
        + _MONTH
        + r",?\s+(?P<y>(?:19|20)\d{2})\b"
        + _TIME,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\w])"
        + _MONTH
        + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + _TIME,
        re.IGNORECASE,
    ),
)


# 10/11/2020: day and month cannot be told apart, so it is never read as a date; a
# dateline cuts it out rather than take it for a source or an author.
AMBIGUOUS_DATE = re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def _offset(tz: str | None) -> timezone | None:
    """Only what the text states: Z/UTC/GMT (+ hours) or a numeric offset; never a zone name."""
    if not tz:
        return None
    tz = tz.strip().upper()
    if tz in ("Z", "UTC", "GMT"):
        return UTC
    found = re.search(r"([+-])(\d{1,2})(?::?(\d{2}))?$", tz)
    if not found:
        return None
    delta = timedelta(hours=int(found[2]), minutes=int(found[3] or 0))
    if delta >= timedelta(hours=15):
        return None
    return timezone(-delta if found[1] == "-" else delta)


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        if groups["sep"] == "/" and first <= 12 and second <= 12 and first != second:
            return None
        groups["d"], groups["m"] = (groups["b"], groups["a"]) if second > 12 else (first, second)
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"].lower().rstrip(".")]
    try:
        day = datetime(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    if groups.get("h") is None:
        return day.date().isoformat()
    hour, minute = int(groups["h"]), int(groups["mi"])
    ampm = (groups.get("ampm1") or groups.get("ampm2") or "").lower().replace(".", "")
    if ampm.replace(" ", "") in ("pm", "下午", "晚上") and hour < 12:
        hour += 12
    elif ampm.replace(" ", "") in ("am", "凌晨", "上午") and hour == 12:
        hour = 0
    try:
        stamp = day.replace(hour=hour, minute=minute, second=int(groups.get("s") or 0))
    except ValueError:
        return day.date().isoformat()
    zone = _offset(groups.get("tz"))
    return (stamp.replace(tzinfo=zone) if zone else stamp).isoformat()


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text`` as (ISO 8601, start, end); no offset unless the text gives one."""
    best: tuple[str, int, int] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match)
            if iso and (best is None or match.start() < best[1]):
                best = (iso, match.start(), match.end())
            if iso:
                break
    return best


def parse_date_text(text: str | None) -> str | None:
    """ISO 8601 for a date written in any of the common page shapes, or None."""
    if not text:
        return None
    found = find_date(text)
    return found[0] if found else None
