"""Story keys: copies of one story in several feeds share one; different stories never do."""

from __future__ import annotations

import pytest

from newsreader.text.stories import MAX_KEY, story_id, story_link

SAME = [
    "https://news.example.org/2026/ferry?id=4",
    "http://news.example.org/2026/ferry?id=4",
    "https://WWW.News.Example.org/2026/ferry?id=4",
    "https://news.example.org:443/2026/ferry?id=4#comments",
    "https://news.example.org/2026/ferry?utm_source=rss&id=4&utm_medium=feed",
    "https://news.example.org/2026/ferry?id=4&fbclid=IwAR0x&gclid=abc&UTM_Campaign=x",
    "  https://news.example.org/2026/ferry?id=4  ",
]
DIFFERENT = [
    "https://news.example.org/2026/ferry?id=5",
    "https://news.example.org/2026/ferry",
    "https://news.example.org/2026/Ferry?id=4",  # paths keep their case
    "https://news.example.org:8443/2026/ferry?id=4",
    "https://other.example.org/2026/ferry?id=4",
    "https://news.example.org/2026/ferry/?id=4",
]


def test_copies_of_a_link_share_one_story() -> None:
    assert len({story_link(url) for url in SAME}) == 1


@pytest.mark.parametrize("url", DIFFERENT)
def test_different_links_stay_different(url: str) -> None:
    assert story_link(url) != story_link(SAME[0])


@pytest.mark.parametrize(
    "url", [None, "", "mailto:a@b", "news:comp.lang", "https://", "http://[x/", "x" * 5000,
            "https://a.example/" + "x" * MAX_KEY, "ftp://files.example/a"]
)  # fmt: skip
def test_what_is_no_web_link_has_no_story(url: str | None) -> None:
    assert story_link(url) is None


def test_only_ids_meant_to_be_global_are_story_keys() -> None:
    assert story_id("1234") is None
    assert story_id("post-17") is None
    assert story_id("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a") == (
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    )
    assert story_id("tag:example.org,2026:ferry") == "tag:example.org,2026:ferry"
    assert story_id("https://example.org/?p=12&utm_source=x") == story_link(
        "http://example.org/?p=12"
    )
