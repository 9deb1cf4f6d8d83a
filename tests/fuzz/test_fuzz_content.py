"""The sanitiser, the HTML converters and the date readers on arbitrary text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.strategies import (
    DATES,
    check_date,
    check_link,
    check_markdown,
    check_text,
    hostile_text,
)

TEXT = st.one_of(hostile_text(), st.text(max_size=200))


@fuzz()
@given(text=TEXT)
def test_sanitiser_leaves_no_control_in_lines_or_blocks(text) -> None:
    from newsreader.text.sanitise import clean_block, clean_line, clean_optional, strip_controls

    check_text("clean_line", clean_line(text))
    check_text("clean_block", clean_block(text), multiline=True)
    optional = clean_optional(text)
    assert optional is None or (optional and optional == clean_line(text))
    stripped = strip_controls(text)
    assert "\x1b" not in stripped and "\r" not in stripped
    assert strip_controls(stripped) == stripped, "stripping twice changes nothing"


@fuzz()
@given(
    value=TEXT, base=st.sampled_from((None, "https://h.example.org/a/", "http://[x/", "ftp://h/"))
)
def test_web_link_is_none_or_an_http_url_that_parses(value, base) -> None:
    from newsreader.text.links import web_link

    link = web_link(value, base)
    check_link("web_link", link)
    assert link is None or link.lower().startswith(("http://", "https://"))


@fuzz()
@given(html=TEXT, base=st.sampled_from((None, "https://h.example.org/a/")))
def test_html_converters_on_arbitrary_text(html, base) -> None:
    from newsreader.text.html import html_to_markdown, html_to_text

    check_text("html_to_text", html_to_text(html, base), multiline=True)
    check_markdown("html_to_markdown", html_to_markdown(html, base))


@fuzz()
@given(value=st.one_of(st.sampled_from(DATES), TEXT, st.from_regex(
    r"\A\d{1,6}-\d{1,3}-\d{1,3}[T ]\d{1,3}:\d{1,3}(:\d{1,3})?(\.\d{1,12})?([+-]\d{1,4}|Z)?\Z"
)))  # fmt: skip
def test_dates_are_iso_or_none(value) -> None:
    from newsreader.text.dates import normalize_date, to_datetime
    from newsreader.text.page_dates import parse_date_text

    for found in (normalize_date(value), parse_date_text(value)):
        check_date("date", found)
        if found is not None:
            assert to_datetime(found) is not None, found
