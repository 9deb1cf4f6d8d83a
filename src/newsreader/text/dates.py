"""Date strings from feeds and pages -> ISO 8601, keeping the input's own offset.

Output shapes, by how much the input says (never more than it says):

- ``2003-06-10T04:00:00+02:00`` date, time and offset (UTC, GMT, UT, Z, ``-0000`` give
  ``+00:00``); fractional seconds as ``.ffffff`` when non-zero;
- ``2003-06-10T04:00:00`` no offset when the input names none, or names one that is
  ambiguous (``IST``, ``BST``, military letters other than ``Z``, whose sign RFC 822 got
  backwards, see RFC 2822 section 4.3): a guessed zone would be a lie;
- ``2003-06-10``, ``2003-06``, ``2003`` for a date without a time, a W3CDTF month or
  year: inventing midnight or the first of the month would claim a precision the
  source never had. These are valid ISO 8601 and sort before any time of that day.

Anything else, or an impossible value (31 June, hour 25, year 0), gives ``None``.
Hand-written matchers rather than a general parser: this runs for every item, and
general parsers fill missing parts with today's date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal

from newsreader.text.lazy import LazyPattern

_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
_ZONE = (
    r"(?:(?:GMT|UTC|UT)(?=[+-]))?"  # 'GMT+0200' is an offset written after a name
    r"([+-]\d{2}:?\d{2}|[+-]\d{1,2}(?![\d:])|[A-Za-z]{1,5})?"
    r"(?:\s*\([^)]*\))?"  # '+0000 (UTC)': a comment, as RFC 2822 allows
)

# ISO 8601 / RFC 3339 / W3CDTF, also with a space or slashes ('2020/10/15 13:30').
_ISO = LazyPattern(
    r"(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2})"
    rf"(?:(?:[Tt]|\s+){_TIME}\s*{_ZONE})?)?)?",
)
# ISO 8601 basic format: 20031210, 20031210T120000Z.
_ISO_BASIC = LazyPattern(
    r"(\d{4})(\d{2})(\d{2})(?:[Tt](\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?\s*" + _ZONE + ")?"
)
# RFC 822/2822/850: [Tue,] 10 Jun 2003 [04:00[:00]] [zone]; '10-Jun-03' too.
_RFC = LazyPattern(
    r"(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{2,4})"
    rf"(?:(?:\s*,\s*|\s+|[Tt]){_TIME}(?:\s*([AaPp][Mm]))?)?\s*{_ZONE}",
)
# Month first: 'June 10, 2003 4:00 PM EST', and asctime 'Tue Jun 10 04:00:00 2003'.
_MONTH_FIRST = LazyPattern(
    r"(?:[A-Za-z]{2,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+"
    rf"(?:(\d{{4}})(?:(?:\s*,\s*|\s+|[Tt]){_TIME}(?:\s*([AaPp][Mm]))?)?\s*{_ZONE}"
    rf"|{_TIME}\s+(?:{_ZONE}\s+)?(\d{{4}}))",
)
# The two shapes most feeds use, with every part present: matched first, rendered
# without the general path's optional groups.
_COMMON_RFC = LazyPattern(
    r"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) "
    r"([+-]\d{4}|GMT|UTC|Z)"
)
_UTC_NAMES = frozenset({"Z", "GMT", "UTC"})
_MONTH_DIGITS = {
    name: f"{number:02d}"
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_MONTH_ABBREVIATIONS = tuple(_MONTH_DIGITS)
# Two-digit strings compare as their numbers do; February's 29 is checked apart.
_LAST_DAY = {
    "01": "31", "02": "29", "03": "31", "04": "30", "05": "31", "06": "30",
    "07": "31", "08": "31", "09": "30", "10": "31", "11": "30", "12": "31",
}  # fmt: skip
_COMMON_ISO = LazyPattern(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})")
# 2020年10月15日 13:30 (Chinese, Japanese pages).
_CJK = LazyPattern(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*" + rf"(?:{_TIME})?")

_MONTHS = {
    name[:3]: number
    for number, name in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ),
        start=1,
    )
}  # fmt: skip
_MONTH_NAMES = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "may": "may",
    "jun": "june", "jul": "july", "aug": "august", "sep": "september", "oct": "october",
    "nov": "november", "dec": "december",
}  # fmt: skip

# Zone names with one meaning (RFC 822's set, plus common unambiguous ones), in minutes.
_ZONES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "NST": -210, "NDT": -150,
    "WEST": 60, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180,
    "MSK": 180, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AWST": 480,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
}  # fmt: skip


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 with the input's offset; no offset when it gives none; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > 80:
        return None
    try:
        common = _common(value)
        if common is not None:
            return common
        if value[:4].isdigit():
            return _from_iso(value)
        return _from_names(value)
    except (ValueError, OverflowError):
        return None


def _common(value: str) -> str | None:
    """The usual RFC 822 and RFC 3339 dates; None sends anything else the general way.

    The parts are checked and joined as the strings they are: no datetime is built.
    """
    match = _COMMON_RFC.fullmatch(value)
    if match:
        day, month_name, year, hour, minute, second, zone = match.groups()
        month = _MONTH_DIGITS.get(month_name)
        if month is None:
            return None
        if len(day) == 1:
            day = "0" + day
    else:
        match = _COMMON_ISO.fullmatch(value)
        if match is None:
            return None
        year, month, day, hour, minute, second, zone = match.groups()
    last = _LAST_DAY.get(month)
    if last is None or not "01" <= day <= last or year == "0000":
        return None
    if day == "29" and month == "02" and not _leap(int(year)):
        return None
    if hour > "23" or minute > "59" or second > "59":
        return None
    if zone in _UTC_NAMES:
        offset = "+00:00"
    else:
        hours, minutes = zone[1:3], zone[-2:]
        if hours > "23" or minutes > "59":
            return None
        offset = "+00:00" if hours == minutes == "00" else f"{zone[0]}{hours}:{minutes}"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{offset}"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def to_datetime(normalized: str | None) -> datetime | None:
    """A :func:`normalize_date` result as a datetime (missing month/day/time: the first)."""
    if not normalized:
        return None
    if len(normalized) == 4:
        normalized += "-01-01"
    elif len(normalized) == 7:
        normalized += "-01"
    try:
        return datetime.fromisoformat(normalized)
    except ValueError:
        return None


def timestamp(value: str | None) -> float | None:
    """Seconds since the epoch of a date as newsreader writes them (ISO 8601, any
    precision): a time without offset counts as UTC, a month or year as its first day."""
    moment = to_datetime(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _from_iso(value: str) -> str | None:
    match = _ISO.fullmatch(value)
    if match:
        year, _sep, month, day, hour, minute, second, fraction, zone = match.groups()
        if month is None:
            return _year(int(year))
        if day is None:
            return _year_month(int(year), int(month))
        return _render(int(year), int(month), int(day), hour, minute, second, fraction, zone)
    match = _ISO_BASIC.fullmatch(value)
    if match:
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        return _render(int(year), int(month), int(day), hour, minute, second, fraction, zone)
    match = _CJK.fullmatch(value)
    if match:
        year, month, day, hour, minute, second, fraction = match.groups()
        return _render(int(year), int(month), int(day), hour, minute, second, fraction, None)
    return None


def _from_names(value: str) -> str | None:
    match = _RFC.fullmatch(value)
    if match:
        day, month_name, year, hour, minute, second, fraction, meridiem, zone = match.groups()
        month = _month(month_name)
        if month is None:
            return None
        hour = _meridiem(hour, meridiem)
        return _render(_full_year(year), month, int(day), hour, minute, second, fraction, zone)
    match = _MONTH_FIRST.fullmatch(value)
    if match:
        (month_name, day, year, hour, minute, second, fraction, meridiem, zone,
         a_hour, a_minute, a_second, a_fraction, a_zone, a_year) = match.groups()  # fmt: skip
        month = _month(month_name)
        if month is None:
            return None
        if year is None:
            year, hour, minute, second, fraction, zone = (
                a_year, a_hour, a_minute, a_second, a_fraction, a_zone
            )  # fmt: skip
        hour = _meridiem(hour, meridiem)
        return _render(int(year), month, int(day), hour, minute, second, fraction, zone)
    return None


def _month(name: str) -> int | None:
    name = name.lower()
    full = _MONTH_NAMES.get(name[:3])
    if full is None or not full.startswith(name):
        return None
    return _MONTHS[name[:3]]


def _full_year(text: str) -> int:
    """RFC 2822 section 4.3: 00-49 are 2000-2049, 50-99 and three digits add 1900."""
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 50 else 1900)
    if len(text) == 3:
        return year + 1900
    return year


def _meridiem(hour: str | None, meridiem: str | None) -> str | None:
    if hour is None or meridiem is None:
        return hour
    value = int(hour)
    if not 1 <= value <= 12:
        raise ValueError("hour out of range for AM/PM")
    value %= 12
    if meridiem[0] in "Pp":
        value += 12
    return str(value)


def _year(year: int) -> str | None:
    return f"{year:04d}" if 1 <= year <= 9999 else None


def _year_month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= year <= 9999 and 1 <= month <= 12 else None


def _render(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    fraction: str | None,
    zone: str | None,
) -> str | None:
    if hour is None:
        return date(year, month, day).isoformat()
    offset = _offset(zone)
    if offset is False:
        return None
    h, m, s = int(hour), int(minute or 0), int(second or 0)
    if s == 60:
        s = 59  # a leap second; datetime has no room for it
    if h == 24 and m == 0 and s == 0 and not (fraction and fraction.strip("0")):
        moment = datetime(year, month, day) + timedelta(days=1)
    else:
        moment = datetime(year, month, day, h, m, s)
    if moment.year > 9999:
        return None
    text = moment.isoformat()
    if fraction and fraction[:6].strip("0"):
        text += "." + fraction[:6].ljust(6, "0")
    return text if offset is None else text + offset


def _offset(zone: str | None) -> str | Literal[False] | None:
    """'+HH:MM', None when the zone is absent or ambiguous, False when impossible."""
    if not zone:
        return None
    sign = zone[0]
    if sign in "+-":
        digits = zone[1:].replace(":", "")
        hours = int(digits[:2]) if len(digits) >= 2 else int(digits)
        minutes = int(digits[2:4]) if len(digits) >= 4 else 0
        if hours > 23 or minutes > 59:
            return False
        if hours == 0 and minutes == 0:
            return "+00:00"
        return f"{sign}{hours:02d}:{minutes:02d}"
    total = _ZONES.get(zone.upper())
    if total is None:
        return None
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def display_date(value: str | None, today: str | None = None) -> str:
    """A stored date as the reader shows it, in the one way every pane shares.

    A time with an offset is shown in the local zone, or in its own offset when the
    local time would fall outside what ``datetime`` holds (year 1 or 9999 seen from a
    far zone), so no date and no zone can make the display raise. A time without an
    offset is shown as written; a bare date, month or year says only what it says.

    Without ``today``, the full form (meta line, feed status): ``2024-03-14 08:30 CET``,
    ``2024-03-14``, ``2024-03``, ``2024``; a value that is no date is shown as given.
    With ``today`` (the local date, ISO), the sidebar's six cells: ``14:05`` today,
    ``Mar 03`` this year, ``Mar'19`` before; nothing for a value that is no date.
    """
    if not value:
        return ""
    moment = to_datetime(value)
    if moment is None:
        return "" if today is not None else value
    precise = len(value) > 10
    # A year or a month names no day: shown as just that many characters of the day.
    size = len(value) if len(value) in (4, 7) else 10
    zone = ""
    if precise and moment.tzinfo is not None:
        moment, zone = _local(moment)
    day = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    if today is None:
        if not precise:
            return day[:size]
        shown = f"{day} {moment.hour:02d}:{moment.minute:02d}"
        return f"{shown} {zone}" if zone else shown
    if size == 4:
        return day[:4]
    month = _MONTH_ABBREVIATIONS[moment.month - 1]
    if precise and day == today:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    if day[:4] == today[:4]:
        return month if size == 7 else f"{month} {day[8:]}"
    return f"{month}'{day[2:4]}"


def _local(moment: datetime) -> tuple[datetime, str]:
    """``moment`` in the local zone with the zone's name; in its own offset when the
    local time is not a ``datetime`` (astimezone raises OverflowError at the edges)."""
    try:
        local = moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return moment, _offset_name(moment)
    return local, local.tzname() or _offset_name(local)


def _offset_name(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
