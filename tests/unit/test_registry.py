"""The source registry: names without imports, lazy loading, broken plugins isolated."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from newsreader.commands.check import run_check
from newsreader.errors import SourceError
from newsreader.sources import registry
from newsreader.sources.registry import (
    BUILTINS,
    GROUP,
    PluginError,
    get_source,
    load_sources,
    source_names,
)


@pytest.fixture(autouse=True)
def _fresh_registry() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


PLUGINS = '''
"""Sources in every state of repair, for the registry tests."""


class Good:
    name = "good"

    async def fetch(self, feed, state, context):
        raise NotImplementedError


class Explodes:
    def __init__(self):
        raise RuntimeError("no config\\nsecond line")


class NoFetch:
    name = "nofetch"


def make_good():
    return Good()


ready = Good()
'''


@pytest.fixture
def fake_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[EntryPoint]:
    """Replace the installed entry points with a controlled set (module in tmp_path)."""
    (tmp_path / "fake_plugins.py").write_text(textwrap.dedent(PLUGINS), encoding="utf-8")
    (tmp_path / "exits_on_import.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fake_plugins", raising=False)
    points = [
        EntryPoint("good", "fake_plugins:Good", GROUP),
        EntryPoint("factory", "fake_plugins:make_good", GROUP),
        EntryPoint("instance", "fake_plugins:ready", GROUP),
        EntryPoint("missing", "newsreader_no_such_module:Source", GROUP),
        EntryPoint("explodes", "fake_plugins:Explodes", GROUP),
        EntryPoint("nofetch", "fake_plugins:NoFetch", GROUP),
        EntryPoint("exits", "exits_on_import:Source", GROUP),
        EntryPoint("http", "fake_plugins:Good", GROUP),
        EntryPoint("good", "fake_plugins:NoFetch", GROUP),
    ]

    def entry_points(**params: str) -> list[EntryPoint]:
        assert params == {"group": GROUP}
        return points

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry.reset()
    return points


def test_names_list_builtins_first_then_installed_plugins() -> None:
    names = source_names()
    assert names[:2] == ["local", "http"]
    assert "almanac" in names


def test_listing_names_imports_no_plugin() -> None:
    code = (
        "import sys\n"
        "from newsreader.sources.registry import source_names\n"
        "names = source_names()\n"
        "print('almanac' in names, 'newsreader_testplugin' in sys.modules,"
        " 'newsreader.sources.http' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "False", "False"]


def test_builtins_are_known_even_without_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **_: [])
    registry.reset()
    assert source_names() == ["local", "http"]
    assert registry.entry_point_value("local") == "newsreader.sources.local:LocalSource"
    assert registry.entry_point_value("http") == "newsreader.sources.http:HttpSource"


def test_a_builtin_loads_without_reading_package_metadata() -> None:
    """Reading the entry points costs tens of ms that a run of url:/path: feeds does not need."""
    code = (
        "import sys\n"
        "from newsreader.sources.registry import get_source\n"
        "print(get_source('local').name, get_source('http').name,"
        " 'importlib.metadata' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["local", "http", "False"]


def test_builtins_load_through_the_same_path() -> None:
    local = get_source("local")
    http = get_source("http")
    assert type(local).__module__ == "newsreader.sources.local"
    assert type(http).__module__ == "newsreader.sources.http"
    assert local.name == "local"
    assert http.name == "http"


def test_a_plugin_is_loaded_once_and_then_reused() -> None:
    first = get_source("almanac")
    assert first is get_source("almanac")
    assert first.name == "almanac"


def test_a_class_a_factory_and_an_instance_all_make_sources(fake_plugins: object) -> None:
    for name in ("good", "factory", "instance"):
        source = get_source(name)
        assert type(source).__name__ == "Good"
        assert callable(source.fetch)


def test_a_plugin_that_cannot_be_imported_is_one_line_naming_it(fake_plugins: object) -> None:
    with pytest.raises(PluginError) as info:
        get_source("missing")
    assert str(info.value) == (
        "plugin 'missing' (newsreader_no_such_module:Source): failed to load: "
        "ModuleNotFoundError: No module named 'newsreader_no_such_module'"
    )


def test_a_plugin_that_fails_to_start_is_reported_in_one_line(fake_plugins: object) -> None:
    with pytest.raises(PluginError) as info:
        get_source("explodes")
    message = str(info.value)
    assert message == (
        "plugin 'explodes' (fake_plugins:Explodes): failed to start: "
        "RuntimeError: no config second line"
    )


def test_a_plugin_without_fetch_is_refused(fake_plugins: object) -> None:
    with pytest.raises(PluginError, match="has no fetch"):
        get_source("nofetch")


def test_a_plugin_calling_exit_while_importing_does_not_stop_newsreader(
    fake_plugins: object,
) -> None:
    with pytest.raises(PluginError, match=r"failed to load: SystemExit: 3"):
        get_source("exits")


def test_a_broken_plugin_is_not_imported_again(fake_plugins: object) -> None:
    with pytest.raises(PluginError):
        get_source("explodes")
    del sys.modules["fake_plugins"]
    with pytest.raises(PluginError):
        get_source("explodes")
    assert "fake_plugins" not in sys.modules


def test_a_third_party_plugin_cannot_take_a_builtin_name(fake_plugins: object) -> None:
    assert registry.entry_point_value("http") == BUILTINS["http"]
    _, problems = load_sources()
    assert "plugin 'http' (fake_plugins:Good) ignored: 'http' is a built-in source" in problems


def test_the_first_of_two_plugins_with_one_name_wins(fake_plugins: object) -> None:
    assert registry.entry_point_value("good") == "fake_plugins:Good"
    _, problems = load_sources()
    assert (
        "plugin 'good' (fake_plugins:NoFetch) ignored: the name is taken by fake_plugins:Good"
    ) in problems


def test_loading_every_source_skips_the_broken_ones(fake_plugins: object) -> None:
    sources, problems = load_sources(["good", "missing", "explodes", "instance"])
    assert sorted(sources) == ["good", "instance"]
    assert len(problems) == 2
    assert all("\n" not in p for p in problems)
    assert problems[0].startswith("plugin 'missing' (newsreader_no_such_module:Source)")
    assert problems[1].startswith("plugin 'explodes' (fake_plugins:Explodes)")


def test_an_unknown_name_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="source 'nothing-here': no such source"):
        get_source("nothing-here")


def test_config_check_reports_a_broken_plugin_and_exits_1(
    fake_plugins: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n  - {name: A, source: explodes}\n  - {name: B, source: good}\n",
        encoding="utf-8",
    )
    assert run_check(path) == 1
    out, err = capsys.readouterr()
    assert out == ""  # "OK" only when nothing is wrong
    assert err == (
        "newsreader: plugin 'explodes' (fake_plugins:Explodes): failed to start: "
        "RuntimeError: no config second line\n"
    )
