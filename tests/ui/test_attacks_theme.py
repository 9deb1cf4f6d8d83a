"""Theme attacks: what a theme file (bundled, or in the ``themes/`` folder beside
feeds.yaml) can do to the reader, and that it costs one error line, never a start.

Each test is one attack:

- a variable that is not a colour where Textual uses a colour (``notacolour``);
- a variable that is not a text style where Textual uses a text style (``wobbly``);
- values carrying markup or CSS tokens (``[/]``, ``}``, ``;``) that break the tokeniser;
- an unknown variable name (a typo Textual would silently ignore), with a suggestion;
- a colour field overridden under ``variables:`` with something that is not a colour;
- a good theme is parsed once, not once per variable (start-up stays fast);
- a theme remembered from last time whose file broke, or that is gone, is ignored
  with one notice naming the fallback;
- a ``theme:`` in feeds.yaml naming a broken file starts the reader on the fallback;
- a theme that still fails in Textual's CSS refresh falls back instead of stopping;
- ``config check`` names a broken user theme file and a ``theme:`` naming no theme,
  exit 2, and checks a plain config without importing Textual;
- every bundled theme loads, named after its file.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsreader import locations
from newsreader.commands.check import run_check
from newsreader.store import Store
from newsreader.ui import themes as themes_module
from newsreader.ui.app import DEFAULT_THEME, THEME_SETTING
from newsreader.ui.themes import load_theme_file, load_themes

SIZE = (120, 36)
BUNDLED = locations.bundled_themes_dir()


def theme_file(folder: Path, name: str, variables: dict[str, str], **fields: str) -> Path:
    """A theme file ``name.yaml`` in ``folder``; values are written as YAML strings."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"name: {name}", 'primary: "#336699"']
    lines += [f"{key}: {value!r}" for key, value in fields.items()]
    if variables:
        lines.append("variables:")
        lines += [f"  {key}: {value!r}" for key, value in variables.items()]
    path = folder / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def refused(tmp_path: Path, variables: dict[str, str]) -> str:
    """The one error line for a theme with ``variables``; it must not load."""
    path = theme_file(tmp_path / "themes", "broken", variables)
    loaded, errors = load_themes([tmp_path / "themes"])
    assert loaded == []
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith(f"{path}: ")
    return errors[0]


async def until(pilot: Any, predicate: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await pilot.pause(0.05)


def toasts(app: Any) -> list[str]:
    """The notifications on screen, as the user reads them."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


# -- theme files ------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["footer-background", "footer-key-foreground", "text-muted"])
def test_a_variable_that_is_not_a_colour_is_refused(tmp_path: Path, key: str) -> None:
    error = refused(tmp_path, {key: "notacolour"})
    assert repr(key) in error and "'notacolour'" in error


@pytest.mark.parametrize(
    "key", ["block-cursor-text-style", "markdown-h1-text-style", "link-style", "link-style-hover"]
)
def test_a_variable_that_is_not_a_text_style_is_refused(tmp_path: Path, key: str) -> None:
    error = refused(tmp_path, {key: "wobbly"})
    assert repr(key) in error and "text-style" in error


@pytest.mark.parametrize(
    "value", ["[/]", "[bold]red", "}", "red; } X { color: red", "$primary", ""]
)
def test_values_with_markup_or_css_tokens_are_refused(tmp_path: Path, value: str) -> None:
    error = refused(tmp_path, {"footer-background": value})
    assert "'footer-background'" in error


def test_an_unknown_variable_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    error = refused(tmp_path, {"footer-backgrund": "#223344"})
    assert "unknown variable 'footer-backgrund'" in error
    assert "did you mean 'footer-background'?" in error


@pytest.mark.parametrize("key", ["primary", "background", "panel"])
def test_a_colour_field_overridden_under_variables_must_be_a_colour(
    tmp_path: Path, key: str
) -> None:
    error = refused(tmp_path, {key: "notacolour"})
    assert repr(key) in error


def test_good_variables_are_kept_and_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One parse per theme, whatever its number of variables: start-up stays fast."""
    variables = {
        "footer-background": "#223344",
        "footer-foreground": "auto 80%",
        "block-cursor-text-style": "bold reverse",
        "link-style-hover": "bold not underline",
        "link-background": "initial",
        "text": "auto 87%",
        "article-link": "#ff8800",
    }
    theme_file(tmp_path / "themes", "fine", variables)
    calls: list[int] = []
    real = themes_module._parses

    def counting(checks: list[tuple[str, str, str]]) -> bool:
        calls.append(len(checks))
        return real(checks)

    monkeypatch.setattr(themes_module, "_parses", counting)
    (theme,), errors = load_themes([tmp_path / "themes"])
    assert errors == []
    assert calls == [len(variables)]
    for key, value in variables.items():
        assert theme.variables[key] == value


def test_every_bundled_theme_loads_named_after_its_file() -> None:
    """``config check`` trusts the bundled files by name; this is where they are checked."""
    files = sorted(BUNDLED.glob("*.yaml"))
    assert files
    for path in files:
        assert load_theme_file(path).name == path.stem


# -- the reader -------------------------------------------------------------------------


def broken_theme(tmp_path: Path) -> Path:
    """A user themes folder holding ``wobbly``, whose footer colour is not a colour."""
    folder = tmp_path / "themes"
    theme_file(folder, "wobbly", {"footer-background": "notacolour"})
    return folder


def remember(db: Path, name: str) -> None:
    with Store.open(db) as store:
        store.set_setting(THEME_SETTING, name)


@pytest.mark.anyio
async def test_a_remembered_theme_whose_file_broke_is_ignored_with_one_notice(
    make_app: Any, reader_db: Path, tmp_path: Path
) -> None:
    remember(reader_db, "wobbly")
    app = make_app(theme_dirs=[BUNDLED, broken_theme(tmp_path)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: bool(toasts(app)))
        assert app.theme == DEFAULT_THEME
        (notice,) = toasts(app)
        assert "wobbly.yaml" in notice and "'footer-background'" in notice
        assert f"theme 'wobbly' chosen last time no longer loads; using '{DEFAULT_THEME}'" in notice
        assert "wobbly" not in app.available_themes


@pytest.mark.anyio
async def test_a_remembered_theme_that_is_gone_is_ignored_with_one_notice(
    make_app: Any, reader_db: Path
) -> None:
    remember(reader_db, "gone")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: bool(toasts(app)))
        assert app.theme == DEFAULT_THEME
        assert toasts(app) == [
            f"theme 'gone' chosen last time no longer loads; using '{DEFAULT_THEME}'"
        ]


@pytest.mark.anyio
async def test_a_configured_broken_theme_starts_the_reader_on_the_fallback(
    make_app: Any, tmp_path: Path
) -> None:
    config = "settings:\n  theme: wobbly\nfeeds:\n  - {name: Local, path: harbour.rss}\n"
    app = make_app(config_text=config, theme_dirs=[BUNDLED, broken_theme(tmp_path)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: bool(toasts(app)))
        await pilot.press("j")
        await pilot.pause()
        assert app.is_running
        assert app.theme == DEFAULT_THEME
        (notice,) = toasts(app)
        assert "wobbly.yaml" in notice and "'notacolour'" in notice
        assert f"theme 'wobbly' not found; using '{DEFAULT_THEME}'" in notice


@pytest.mark.anyio
async def test_a_theme_textual_rejects_on_refresh_falls_back_instead_of_stopping(
    make_app: Any, reader_db: Path
) -> None:
    """The safety net: a theme registered past the file checks (a plugin, a later
    Textual that reads variables differently) still cannot stop the reader."""
    from textual.theme import Theme

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.register_theme(
            Theme(name="raw", primary="#336699", variables={"footer-background": "notacolour"})
        )
        app.theme = "raw"
        await until(pilot, lambda: bool(toasts(app)))
        await until(pilot, lambda: app.theme == DEFAULT_THEME)
        await pilot.pause()
        assert app.is_running
        assert any("theme 'raw' cannot be applied" in notice for notice in toasts(app))
        assert app.store.get_setting(THEME_SETTING) == DEFAULT_THEME


# -- config check -----------------------------------------------------------------------


def config_file(folder: Path, theme: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    settings = f"settings:\n  theme: {theme}\n" if theme else ""
    path = folder / "feeds.yaml"
    path.write_text(
        settings + "feeds:\n  - {name: A, url: 'https://a.example.org/'}\n", encoding="utf-8"
    )
    return path


def test_config_check_names_a_broken_user_theme_file_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path)
    broken = theme_file(tmp_path / "themes", "wobbly", {"block-cursor-text-style": "wobbly"})
    assert run_check(path) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"newsreader: {broken}: variable 'block-cursor-text-style'")


def test_config_check_refuses_a_theme_setting_that_names_no_theme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, theme="newsreader-drak")
    assert run_check(path) == 2
    err = capsys.readouterr().err
    assert err == (
        f"newsreader: {path}: theme 'newsreader-drak' is not an available theme"
        " (did you mean 'newsreader-dark'?)\n"
    )


@pytest.mark.parametrize("theme", ["newsreader-light", "textual-dark", "mine"])
def test_config_check_accepts_bundled_textual_and_user_themes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], theme: str
) -> None:
    path = config_file(tmp_path, theme=theme)
    theme_file(tmp_path / "themes", "mine", {"footer-background": "#223344"})
    assert run_check(path) == 0
    assert capsys.readouterr().err == ""


def test_config_check_on_a_plain_config_never_imports_textual(tmp_path: Path) -> None:
    """Themes are checked with Textual only when there is something to check."""
    for folder, theme in ((tmp_path / "plain", None), (tmp_path / "bundled", "newsreader-dark")):
        path = config_file(folder, theme=theme)
        code = (
            "import sys; from pathlib import Path\n"
            "from newsreader.commands.check import run_check\n"
            f"code = run_check(Path({str(path)!r}))\n"
            "print(code, 'textual' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.splitlines()[-1] == "0 False", folder
