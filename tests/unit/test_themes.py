"""Theme files: the bundled ones load with every reader variable and readable contrast;
broken user files cost one error line each and never the other themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.ui.themes import (
    READER_VARIABLES,
    choose_theme,
    contrast_ratio,
    load_themes,
    reader_variables,
)

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "themes"
NAMES = {"newsreader-dark", "newsreader-light", "newsreader-contrast", "newsreader-harbour"}
TEXT_VARIABLES = [v for v in READER_VARIABLES if v not in ("article-code-bg", "crumb-separator")]


def bundled() -> dict[str, object]:
    themes, errors = load_themes([BUNDLED])
    assert errors == []
    return {t.name: t for t in themes}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bundled_theme_loads_with_all_reader_variables() -> None:
    themes = bundled()
    assert set(themes) == NAMES
    for theme in themes.values():
        assert set(READER_VARIABLES) <= set(theme.variables), theme.name


def test_each_bundled_file_sets_its_reader_variables_itself() -> None:
    """The bundled themes are designed, not derived: each names every reader colour."""
    import yaml

    for path in BUNDLED.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(READER_VARIABLES) <= set(data["variables"]), path.name
        assert path.read_text(encoding="utf-8").startswith("#"), "each file opens with a comment"


@pytest.mark.parametrize("name", sorted(NAMES))
def test_text_contrast_meets_wcag(name: str) -> None:
    theme = bundled()[name]
    body = 7.0 if name == "newsreader-contrast" else 4.5
    decoration = 7.0 if name == "newsreader-contrast" else 3.0
    v = theme.variables
    for ground in (theme.background, theme.surface):
        assert contrast_ratio(theme.foreground, ground) >= body
        for key in TEXT_VARIABLES:
            assert contrast_ratio(v[key], ground) >= body, (key, ground)
    assert contrast_ratio(theme.foreground, theme.panel) >= body
    assert contrast_ratio(theme.foreground, v["article-code-bg"]) >= body
    assert contrast_ratio(v["crumb-separator"], theme.panel) >= decoration


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_a_user_theme_without_reader_variables_gets_readable_derived_ones(tmp_path: Path) -> None:
    write(
        tmp_path,
        "plain.yaml",
        'name: plain\nprimary: "#202080"\naccent: "#303030"\nforeground: "#eeeeee"\n'
        'background: "#101010"\nwarning: "#222222"\nerror: "#401010"\n',
    )
    themes, errors = load_themes([tmp_path])
    assert errors == []
    (theme,) = themes
    for key in TEXT_VARIABLES:
        assert contrast_ratio(theme.variables[key], "#101010") >= 4.5, key
    assert theme.variables["article-code-bg"] != "#101010"


def test_a_user_theme_keeps_the_reader_variables_it_sets(tmp_path: Path) -> None:
    write(
        tmp_path,
        "mine.yaml",
        'name: mine\nprimary: "#5080ff"\nvariables:\n  article-link: "#ff8800"\n'
        '  footer-background: "red"\n',
    )
    (theme,), errors = load_themes([tmp_path])
    assert errors == []
    assert theme.variables["article-link"] == "#ff8800"
    assert theme.variables["footer-background"] == "red"
    assert set(READER_VARIABLES) <= set(theme.variables)


def test_reader_variables_work_for_textual_builtin_themes() -> None:
    from textual.theme import BUILTIN_THEMES

    for theme in BUILTIN_THEMES.values():
        values = reader_variables(theme)
        assert set(values) == set(READER_VARIABLES)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name: a\nprimary: "#fff\n  bad: [', ":3: "),
        ("- just\n- a list\n", "a theme must be a mapping"),
        ('name: a\nprimary: "not-a-colour"\n', "'primary': 'not-a-colour' is not a colour"),
        ('name: a\nprimary: "#ffffff"\ncolour: "#000"\n', "unknown key 'colour'"),
        ('name: a\nbackground: "#000000"\n', "'primary' colour is required"),
        ('name: a\nprimary: "#ffffff"\ndark: maybe\n', "'dark' must be true or false"),
        (
            'name: a\nprimary: "#ffffff"\nvariables:\n  article-link: "blue-ish"\n',
            "'variables.article-link'",
        ),
        ("!!python/object/apply:os.system ['echo pwned']\n", "could not determine a constructor"),
        ("", "a theme must be a mapping"),
    ],
)
def test_a_broken_theme_is_one_error_line_and_the_others_still_load(
    tmp_path: Path, text: str, problem: str
) -> None:
    user = tmp_path / "user"
    write(user, "good.yaml", 'name: good\nprimary: "#336699"\n')
    bad = write(user, "bad.yaml", text)
    themes, errors = load_themes([BUNDLED, user])
    assert {t.name for t in themes} == NAMES | {"good"}
    assert len(errors) == 1
    (line,) = errors
    assert "\n" not in line
    assert line.startswith(str(bad))
    assert problem in line


def test_a_user_theme_overrides_a_bundled_one_by_name(tmp_path: Path) -> None:
    user = tmp_path / "themes"
    write(user, "dark.yaml", 'name: newsreader-dark\nprimary: "#ff0000"\nbackground: "#000000"\n')
    themes, errors = load_themes([BUNDLED, user])
    assert errors == []
    by_name = {t.name: t for t in themes}
    assert len(themes) == len(NAMES)
    assert by_name["newsreader-dark"].primary == "#ff0000"
    assert by_name["newsreader-light"].primary == bundled()["newsreader-light"].primary


def test_a_missing_folder_is_no_error_and_the_name_defaults_to_the_file(tmp_path: Path) -> None:
    write(tmp_path / "t", "sea-glass.yaml", 'primary: "#66aaaa"\n')
    themes, errors = load_themes([tmp_path / "absent", tmp_path / "t"])
    assert errors == []
    assert [t.name for t in themes] == ["sea-glass"]


def test_the_bundled_themes_folder_is_where_locations_points() -> None:
    from newsreader.locations import bundled_themes_dir

    assert bundled_themes_dir().resolve() == BUNDLED.resolve()


@pytest.mark.parametrize(
    ("configured", "remembered", "chosen", "problems"),
    [
        (None, None, "newsreader-dark", []),
        ("paper", None, "paper", []),
        ("paper", "dusk", "dusk", []),
        (
            "gone",
            None,
            "newsreader-dark",
            ["feeds.yaml: theme 'gone' not found; using 'newsreader-dark'"],
        ),
        (
            None,
            "gone",
            "newsreader-dark",
            ["theme 'gone' chosen last time no longer loads; using 'newsreader-dark'"],
        ),
    ],
)
def test_the_start_theme_is_the_remembered_then_the_configured_then_the_default(
    configured: str | None, remembered: str | None, chosen: str, problems: list[str]
) -> None:
    available = {"newsreader-dark", "paper", "dusk"}
    assert choose_theme(configured, remembered, available, "feeds.yaml") == (chosen, problems)


def test_no_theme_is_chosen_when_none_of_them_loads() -> None:
    assert choose_theme("gone", None, set(), "feeds.yaml") == (
        None,
        ["feeds.yaml: theme 'gone' not found"],
    )
