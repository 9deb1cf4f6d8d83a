"""feeds.yaml, mutated or made of random YAML: a valid Config or one ConfigError line."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.seeds import FEEDS_YAML
from tests.fuzz.strategies import check_error, check_text, filled, hostile_text, mutations

WHERE = Path("/nonexistent/fuzz/feeds.yaml")


def load(text: str) -> None:
    """``parse_config``, where only ConfigError may escape and every name is clean."""
    from newsreader.config import parse_config
    from newsreader.errors import ConfigError

    try:
        config = parse_config(text, WHERE)
    except ConfigError as exc:
        check_error(exc)
        return
    if config.theme is not None:
        check_text("theme", config.theme)
    for feed in config.feeds:
        check_text("name", feed.name)
        check_text("group", feed.group)
        check_text("target", feed.target)
        for name, value in feed.settings.headers.items():
            check_text("header name", name)
            check_text("header value", value)
    for binding, keys in config.keys.items():
        check_text("binding", binding)
        check_text("keys", keys)


@fuzz()
@given(data=st.data())
def test_hostile_values_in_feeds_yaml(data) -> None:
    load(data.draw(filled(FEEDS_YAML)))


@fuzz()
@given(data=st.data())
def test_mutated_feeds_yaml(data) -> None:
    raw = data.draw(filled(FEEDS_YAML)).encode("utf-8", "surrogatepass")
    for mutation in data.draw(st.lists(mutations, max_size=4)):
        raw = mutation.apply(raw)
    load(raw.decode("utf-8", "replace"))


_WORDS = st.sampled_from((
    "name", "url", "path", "source", "group", "options", "refresh_minutes", "max_articles",
    "headers", "timeout", "theme", "http://h.example.org/f", "file:///tmp/x", "~", "~root/x",
    "../../etc", "local", "http", "User-Agent",
))  # fmt: skip
_KEYS = st.one_of(_WORDS, st.booleans(), st.integers(), hostile_text(), st.text(max_size=8))
_SCALARS = st.one_of(st.none(), st.floats(), _KEYS)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@fuzz()
@given(
    settings=_VALUES,
    feeds=st.lists(st.dictionaries(st.sampled_from(
        ("name", "url", "path", "source", "group", "options", "timeout", "headers", "bogus")),
        _VALUES, max_size=5), max_size=4),
    keys=_VALUES,
)  # fmt: skip
def test_random_yaml_structures(settings, feeds, keys) -> None:
    try:
        text = yaml.safe_dump(
            {"settings": settings, "feeds": feeds, "keys": keys}, allow_unicode=True
        )
    except (yaml.YAMLError, UnicodeEncodeError):
        return  # PyYAML cannot write it (a lone surrogate): not a file anyone has
    load(text)


@fuzz()
@given(text=st.text(max_size=400))
def test_arbitrary_text(text) -> None:
    load(text)


@fuzz(max_examples=20)
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_on_disk(data) -> None:
    import tempfile

    from newsreader.config import load_config
    from newsreader.errors import ConfigError

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feeds.yaml"
        path.write_bytes(data)
        try:
            load_config(path)
        except ConfigError as exc:
            check_error(exc)
