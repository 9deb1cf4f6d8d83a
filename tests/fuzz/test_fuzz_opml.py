"""OPML from other programs, hostile or mutated: clean subscriptions or one ConfigError line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.seeds import OPML
from tests.fuzz.strategies import check_error, check_text, filled, mutated


def read(data: bytes) -> None:
    from newsreader.errors import ConfigError
    from newsreader.opml import parse_opml

    skipped: list[str] = []
    try:
        feeds = parse_opml(data, "subs.opml", skipped)
    except ConfigError as exc:
        check_error(exc)
        return
    for feed in feeds:
        check_text("name", feed.name)
        assert feed.name, "an empty feed name"
        check_text("url", feed.url)
        assert feed.url.startswith(("http://", "https://")), feed.url
        if feed.group is not None:
            check_text("group", feed.group)


@fuzz()
@given(data=st.data())
def test_hostile_attributes(data) -> None:
    read(data.draw(filled(OPML)).encode("utf-8", "surrogatepass"))


@fuzz()
@given(document=mutated(OPML))
def test_mutated_opml(document) -> None:
    read(document)


@fuzz()
@given(data=st.binary(max_size=1024))
def test_arbitrary_bytes(data) -> None:
    read(data)


@fuzz(max_examples=20)
@given(data=st.data())
def test_opml_import_writes_a_config_that_loads(data, tmp_path_factory) -> None:
    """Names and groups from hostile OPML go into feeds.yaml quoted; the result loads."""
    from newsreader.config import load_config
    from newsreader.errors import ConfigError
    from newsreader.opml import append_feeds, parse_opml, plan_import

    try:
        found = parse_opml(data.draw(filled(OPML)).encode("utf-8", "surrogatepass"), "s.opml")
    except ConfigError:
        return
    folder = tmp_path_factory.mktemp("opml")
    path = folder / "feeds.yaml"
    path.write_text("feeds:\n  - name: Existing\n    url: https://e.example.org/\n", "utf-8")
    added, _ = plan_import(load_config(path), found)
    text = append_feeds(path.read_text("utf-8"), added, str(path))
    path.write_text(text, "utf-8")
    config = load_config(path)
    assert [f.name for f in config.feeds[1:]] == [f.name for f in added]
