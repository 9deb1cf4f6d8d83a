"""Dates become ISO 8601 with the input's own offset, never a guessed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.text import dates
from newsreader.text.dates import normalize_date, to_datetime


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00"),
        ("Tue, 10 Jun 2003 04:00:00 +0200", "2003-06-10T04:00:00+02:00"),
        ("Tue, 10 Jun 2003 04:00:00 -0430", "2003-06-10T04:00:00-04:30"),
        ("Tue, 10 Jun 2003 04:00:00 +02:00", "2003-06-10T04:00:00+02:00"),
        ("Tue, 10 Jun 2003 04:00:00 UT", "2003-06-10T04:00:00+00:00"),
        ("Tue, 10 Jun 2003 04:00:00 UTC", "2003-06-10T04:00:00+00:00"),
        ("Tue, 10 Jun 2003 04:00:00 Z", "2003-06-10T04:00:00+00:00"),
        ("Tue, 10 Jun 2003 04:00:00 -0000", "2003-06-10T04:00:00+00:00"),
        ("Tue, 10 Jun 2003 04:00:00 EST", "2003-06-10T04:00:00-05:00"),
        ("Tue, 10 Jun 2003 04:00:00 EDT", "2003-06-10T04:00:00-04:00"),
        ("Tue, 10 Jun 2003 04:00:00 CST", "2003-06-10T04:00:00-06:00"),
        ("Tue, 10 Jun 2003 04:00:00 CDT", "2003-06-10T04:00:00-05:00"),
        ("Tue, 10 Jun 2003 04:00:00 MST", "2003-06-10T04:00:00-07:00"),
        ("Tue, 10 Jun 2003 04:00:00 MDT", "2003-06-10T04:00:00-06:00"),
        ("Tue, 10 Jun 2003 04:00:00 PST", "2003-06-10T04:00:00-08:00"),
        ("Tue, 10 Jun 2003 04:00:00 pdt", "2003-06-10T04:00:00-07:00"),
        ("Tue, 10 Jun 2003 04:00:00 CEST", "2003-06-10T04:00:00+02:00"),
        ("Mon, 10 Jun 2003 04:00:00 +0000 (UTC)", "2003-06-10T04:00:00+00:00"),
        ("10 Jun 2003 04:00:00 +0200", "2003-06-10T04:00:00+02:00"),
        ("Tue,10 Jun 2003 04:00 GMT", "2003-06-10T04:00:00+00:00"),
        ("  Tue,  10   Jun\t2003 \n 04:00:00   +0200 ", "2003-06-10T04:00:00+02:00"),
        ("Tue, 10 Jun 03 04:00:00 GMT", "2003-06-10T04:00:00+00:00"),
        ("Thu, 10 Jun 99 04:00:00 GMT", "1999-06-10T04:00:00+00:00"),
        ("Tue, 6 Jun 49 04:00:00 GMT", "2049-06-06T04:00:00+00:00"),
        ("Tue, 6 Jun 50 04:00:00 GMT", "1950-06-06T04:00:00+00:00"),
        ("Tuesday, 10-Jun-03 04:00:00 GMT", "2003-06-10T04:00:00+00:00"),
        ("10 June 2003 4:05 pm EST", "2003-06-10T16:05:00-05:00"),
        ("10 Sept 2003 12:00 AM GMT", "2003-09-10T00:00:00+00:00"),
        ("Tue Jun 10 04:00:00 2003", "2003-06-10T04:00:00"),
        ("Tue Jun 10 04:00:00 UTC 2003", "2003-06-10T04:00:00+00:00"),
        ("June 10, 2003", "2003-06-10"),
        ("Jun 10 2003 16:30:00 GMT+0200", "2003-06-10T16:30:00+02:00"),
        ("10 Jun 2003", "2003-06-10"),
        ("10 Jun 2003 04:00:00", "2003-06-10T04:00:00"),
    ],
)
def test_rfc_822_family(raw: str, expected: str) -> None:
    assert normalize_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2003-12-13T18:30:02Z", "2003-12-13T18:30:02+00:00"),
        ("2003-12-13t18:30:02z", "2003-12-13T18:30:02+00:00"),
        ("2003-12-13T18:30:02+01:00", "2003-12-13T18:30:02+01:00"),
        ("2003-12-13T18:30:02+0100", "2003-12-13T18:30:02+01:00"),
        ("2003-12-13T18:30:02+01", "2003-12-13T18:30:02+01:00"),
        ("2003-12-13T18:30:02-05:00", "2003-12-13T18:30:02-05:00"),
        ("2003-12-13T18:30:02-00:00", "2003-12-13T18:30:02+00:00"),
        ("2003-12-13T18:30Z", "2003-12-13T18:30:00+00:00"),
        ("2003-12-13T18:30:02.25Z", "2003-12-13T18:30:02.250000+00:00"),
        ("2003-12-13T18:30:02.123456789+05:30", "2003-12-13T18:30:02.123456+05:30"),
        ("2003-12-13T18:30:02.000Z", "2003-12-13T18:30:02+00:00"),
        ("2003-12-13T18:30:02,5Z", "2003-12-13T18:30:02.500000+00:00"),
        ("2003-12-13T18:30:02 +01:00", "2003-12-13T18:30:02+01:00"),
        ("2003-12-13T18:30:02", "2003-12-13T18:30:02"),
        ("2020-10-15 13:30:37", "2020-10-15T13:30:37"),
        ("2020-10-15 13:30:37 GMT", "2020-10-15T13:30:37+00:00"),
        ("2020/10/15 13:30", "2020-10-15T13:30:00"),
        ("20031213T183002Z", "2003-12-13T18:30:02+00:00"),
        ("20031213", "2003-12-13"),
        ("2003-12-13", "2003-12-13"),
        ("2003-12", "2003-12"),
        ("2003", "2003"),
        ("2003-12-13T24:00:00Z", "2003-12-14T00:00:00+00:00"),
        ("2003-12-13T23:59:60Z", "2003-12-13T23:59:59+00:00"),
        ("2004-02-29T12:00:00+14:00", "2004-02-29T12:00:00+14:00"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"),
        ("9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59-12:00"),
        ("2020年10月15日 13:30", "2020-10-15T13:30:00"),
        ("2020年10月15日", "2020-10-15"),
    ],
)
def test_iso_8601_rfc_3339_and_w3cdtf(raw: str, expected: str) -> None:
    assert normalize_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Tue, 10 Jun 2003 04:00:00 A",
        "Tue, 10 Jun 2003 04:00:00 Y",
        "Tue, 10 Jun 2003 04:00:00 IST",
        "Tue, 10 Jun 2003 04:00:00 BST",
    ],
)
def test_an_ambiguous_zone_gives_no_offset_rather_than_a_guess(raw: str) -> None:
    assert normalize_date(raw) == "2003-06-10T04:00:00"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "garbage",
        "yesterday",
        "10/06/2003",  # day and month order unknowable
        "2003-02-29",
        "31 Jun 2003",
        "32 Jan 2003",
        "Tue, 10 Foo 2003 04:00:00 GMT",
        "0000-01-01",
        "2003-13",
        "2003-12-13T25:00:00Z",
        "2003-12-13T18:61:00Z",
        "2003-12-13T18:30:02+25:00",
        "9999-12-31T24:00:00Z",
        "10 Jun 2003 13:00 PM",
        "2" * 500,
    ],
)
def test_impossible_or_unreadable_values_give_none(raw: str | None) -> None:
    assert normalize_date(raw) is None


_ZONES = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_ZONES
).map(lambda moment: moment.replace(microsecond=0))


@given(_MOMENTS)
def test_any_iso_moment_keeps_its_own_offset(moment: datetime) -> None:
    result = normalize_date(moment.isoformat())
    assert result == moment.isoformat()


@given(_MOMENTS.filter(lambda m: m.year >= 1900))
def test_any_rfc_2822_moment_keeps_its_own_offset(moment: datetime) -> None:
    result = normalize_date(format_datetime(moment))
    assert result is not None
    parsed = datetime.fromisoformat(result)
    assert parsed == moment
    assert parsed.utcoffset() == moment.utcoffset()


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_a_moment_without_offset_stays_without_one(moment: datetime) -> None:
    result = normalize_date(moment.isoformat())
    assert result is not None
    assert datetime.fromisoformat(result) == moment
    assert datetime.fromisoformat(result).tzinfo is None


@given(st.text(max_size=60))
def test_no_text_makes_it_raise(raw: str) -> None:
    result = normalize_date(raw)
    if result is not None:
        assert to_datetime(result) is not None


def test_utc_moments_read_as_plus_zero() -> None:
    moment = datetime(2024, 5, 3, 10, 20, tzinfo=UTC)
    assert normalize_date(format_datetime(moment, usegmt=True)) == "2024-05-03T10:20:00+00:00"


def test_to_datetime_reads_every_precision() -> None:
    assert to_datetime("2003") == datetime(2003, 1, 1)
    assert to_datetime("2003-12") == datetime(2003, 12, 1)
    assert to_datetime("2003-12-13") == datetime(2003, 12, 13)
    assert to_datetime("2003-12-13T18:30:02+01:00") == datetime(
        2003, 12, 13, 18, 30, 2, tzinfo=timezone(timedelta(hours=1))
    )
    assert to_datetime(None) is None
    assert to_datetime("not a date") is None


_COMMON_SHAPES = st.builds(
    "{}{:02d} {} {:04d} {:02d}:{:02d}:{:02d} {}".format,
    st.sampled_from(["", "Tue, "]),
    st.integers(0, 32),
    st.sampled_from(["Jan", "Jun", "Sep", "Dec", "Foo"]),
    st.integers(0, 9999),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["GMT", "UTC", "Z", "+0000", "-0530", "+2400", "+1260"]),
) | st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}".format,
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["Z", "+00:00", "-05:30", "+24:00", "+12:60"]),
)


def _or_none(read: Callable[[str], str | None], raw: str) -> str | None:
    try:
        return read(raw)
    except (ValueError, OverflowError):
        return None


@given(_COMMON_SHAPES)
def test_the_common_shapes_read_as_the_general_path_reads_them(raw: str) -> None:
    fast = _or_none(dates._common, raw)
    if fast is not None:
        general = dates._from_iso if raw[:4].isdigit() else dates._from_names
        assert fast == _or_none(general, raw)


def test_timestamp_reads_every_precision_naive_as_utc() -> None:
    from newsreader.text.dates import timestamp

    assert timestamp("2003") == datetime(2003, 1, 1, tzinfo=UTC).timestamp()
    assert timestamp("2003-06") == datetime(2003, 6, 1, tzinfo=UTC).timestamp()
    assert timestamp("2003-06-10T04:00:00") == datetime(2003, 6, 10, 4, tzinfo=UTC).timestamp()
    assert (
        timestamp("2003-06-10T04:00:00+02:00") == datetime(2003, 6, 10, 2, tzinfo=UTC).timestamp()
    )
    assert timestamp(None) is None and timestamp("soon") is None
