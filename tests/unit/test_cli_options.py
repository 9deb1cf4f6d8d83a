"""``--config`` and ``--db`` mean the same before and after the command."""

from __future__ import annotations

import pytest

from newsreader.cli import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "mine.yaml", "--db", "mine.db", "fetch"],
        ["fetch", "--config", "mine.yaml", "--db", "mine.db"],
        ["--config", "mine.yaml", "fetch", "--db", "mine.db"],
        ["--config", "mine.yaml", "--db", "mine.db", "list"],
    ],
)
def test_config_and_db_are_kept_wherever_they_are_given(argv):
    args = build_parser().parse_args(argv)
    assert str(args.config) == "mine.yaml" and str(args.db) == "mine.db"


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "mine.yaml", "config", "check"],
        ["config", "check", "--config", "mine.yaml"],
        ["--config", "mine.yaml", "opml", "export"],
        ["--config", "mine.yaml", "opml", "import", "feeds.opml"],
    ],
)
def test_config_before_a_nested_command_is_kept(argv):
    assert str(build_parser().parse_args(argv).config) == "mine.yaml"


def test_a_later_config_wins_over_an_earlier_one():
    args = build_parser().parse_args(["--config", "first.yaml", "fetch", "--config", "second.yaml"])
    assert str(args.config) == "second.yaml"


def test_nothing_given_means_the_defaults():
    args = build_parser().parse_args(["fetch"])
    assert args.config is None and args.db is None
