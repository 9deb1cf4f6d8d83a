"""Theme files (YAML) -> ``textual.theme.Theme``, with the reader's own colour variables.

Themes are read with ``yaml.safe_load`` and validated field by field, so a broken
file costs one error line and never the others. Every theme ends up with the
variables the reader's CSS uses; a theme that leaves some out gets values derived
from its own colours, checked for contrast against its background.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.color import Color
    from textual.theme import Theme

READER_VARIABLES: tuple[str, ...] = (
    "headline-unread",
    "headline-read",
    "headline-starred",
    "feed-error",
    "crumb-separator",
    "article-heading",
    "article-link",
    "article-quote",
    "article-code-bg",
)
COLOR_FIELDS: tuple[str, ...] = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)
DEFAULT_THEME = "newsreader-dark"
# The store setting that remembers the theme last chosen in the reader.
THEME_SETTING = "theme"
_OTHER_FIELDS = {"name", "dark", "variables", "luminosity_spread", "text_alpha"}
MAX_THEME_BYTES = 256 * 1024
# Textual variables set with text styles whose names do not say "text-style".
_STYLE_VARIABLES = frozenset({"link-style", "link-style-hover"})
# Derived text colours must reach this against the background (WCAG AA body text).
MIN_TEXT_CONTRAST = 4.5


class ThemeError(Exception):
    """One theme file is unusable; ``str()`` is the one line shown to the user."""


def load_themes(dirs: Sequence[Path]) -> tuple[list[Theme], list[str]]:
    """Every ``*.yaml`` theme in ``dirs``; a later dir overrides an earlier one by name.

    Returns the themes (in first-seen order) and one error line per broken file.
    """
    themes: dict[str, Theme] = {}
    errors: list[str] = []
    for folder in dirs:
        try:
            files = sorted(p for p in Path(folder).glob("*.yaml") if p.is_file())
        except OSError as exc:
            errors.append(f"{folder}: cannot list themes ({exc.strerror or exc})")
            continue
        for path in files:
            try:
                theme = load_theme_file(path)
            except ThemeError as exc:
                errors.append(str(exc))
                continue
            themes[theme.name] = theme
    return list(themes.values()), errors


def choose_theme(
    configured: str | None, remembered: str | None, available: Collection[str], config_path: object
) -> tuple[str | None, list[str]]:
    """The theme to start with: the one last chosen in the reader, else feeds.yaml's
    ``theme``, else the default; and one line for each of those that no longer loads.

    A remembered theme that is gone stays in the store, so it comes back once its file
    loads again."""
    fallback = next((n for n in (configured, DEFAULT_THEME) if n and n in available), None)
    lost = bool(remembered) and remembered not in available
    chosen = (None if lost else remembered) or fallback
    using = f"; using {chosen!r}" if chosen else ""
    problems = []
    if configured and configured != fallback:
        problems.append(f"{config_path}: theme {configured!r} not found{using}")
    if lost:
        problems.append(f"theme {remembered!r} chosen last time no longer loads{using}")
    return chosen, problems


def load_theme_file(path: Path) -> Theme:
    """One theme file -> Theme, or :class:`ThemeError` naming the file and the problem."""
    import yaml

    from newsreader.errors import SourceError
    from newsreader.userfiles import read_user_file

    try:
        raw = read_user_file(path, MAX_THEME_BYTES, expected="a theme file").decode("utf-8")
    except SourceError as exc:
        raise ThemeError(str(exc)) from None
    except UnicodeDecodeError:
        raise ThemeError(f"{path}: not UTF-8 text") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ThemeError(f"{where}: {problem}") from None
    try:
        return theme_from_mapping(data, default_name=path.stem)
    except ThemeError as exc:
        raise ThemeError(f"{path}: {exc}") from None


def theme_from_mapping(data: Any, *, default_name: str) -> Theme:
    """Validate a parsed theme document; missing reader variables are derived."""
    from textual.theme import Theme

    if not isinstance(data, dict):
        raise ThemeError("a theme must be a mapping of keys to colours")
    unknown = sorted(str(k) for k in data if k not in _OTHER_FIELDS and k not in COLOR_FIELDS)
    if unknown:
        raise ThemeError(f"unknown key {unknown[0]!r}")
    name = data.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise ThemeError("'name' must be a non-empty string")
    if "primary" not in data:
        raise ThemeError("'primary' colour is required")
    colours: dict[str, str] = {}
    for key in COLOR_FIELDS:
        if key in data and data[key] is not None:
            colours[key] = _colour(data[key], key)
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeError("'dark' must be true or false")
    extra: dict[str, float] = {}
    for key in ("luminosity_spread", "text_alpha"):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ThemeError(f"{key!r} must be a number from 0 to 1")
            extra[key] = float(value)
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ThemeError("'variables' must be a mapping")
    clean_vars: dict[str, str] = {}
    for key, value in variables.items():
        if not isinstance(key, str) or not isinstance(value, str | int | float):
            raise ThemeError(f"variable {key!r} must map a name to a value")
        value = str(value)
        if key in READER_VARIABLES:
            value = _colour(value, f"variables.{key}")
        clean_vars[key] = value
    try:
        # Textual's own values, before this theme's variables override them. (The
        # colours were validated as strings above; Theme's stubs want each by name.)
        bare = Theme(name=name.strip(), dark=dark, **colours, **extra)  # type: ignore[arg-type]
        textual_defaults = bare.to_color_system().generate()
    except Exception as exc:  # Textual's colour system rejected the combination
        raise ThemeError(f"unusable colours ({exc})") from None
    _check_variables(clean_vars, textual_defaults)
    # As above: each colour by name, which the stubs cannot see through ``**``.
    theme = Theme(name=name.strip(), dark=dark, variables=clean_vars, **colours, **extra)  # type: ignore[arg-type]
    try:
        derived = reader_variables(theme)
    except Exception as exc:  # an overridden colour Textual's colour system cannot use
        raise ThemeError(f"unusable colours ({exc})") from None
    theme.variables = {**derived, **clean_vars}
    return theme


def _check_variables(variables: dict[str, str], textual_defaults: dict[str, str]) -> None:
    """Refuse a variable Textual's CSS would reject, so a theme never stops the app.

    Textual's own parser is the judge: one stylesheet with one declaration per
    variable, each under the property Textual uses that kind of variable for, is
    parsed once; only when it fails is each variable parsed alone to name the culprit.
    """
    for key in variables:
        if key not in textual_defaults and key not in READER_VARIABLES:
            choices = [*READER_VARIABLES, *textual_defaults]
            raise ThemeError(f"unknown variable {key!r}{_did_you_mean(key, choices)}")
    checks = [
        (key, value, _css_property(key, textual_defaults.get(key)))
        for key, value in variables.items()
    ]
    if not checks or _parses(checks):
        return
    for key, value, prop in checks:
        if not _parses([(key, value, prop)]):
            raise ThemeError(f"variable {key!r}: {value!r} is not a valid {prop} value")
    raise ThemeError("the variables do not parse together")  # pragma: no cover


def _css_property(name: str, default: str | None) -> str:
    """The CSS property Textual uses a variable for, judged by its name and default."""
    if "text-style" in name or name in _STYLE_VARIABLES:
        return "text-style"
    if name.endswith("-foreground") or (default is not None and default.startswith("auto")):
        return "color"
    if name in READER_VARIABLES and name != "article-code-bg":
        return "color"
    return "background"


def _parses(checks: list[tuple[str, str, str]]) -> bool:
    """Whether Textual's stylesheet parser accepts every ``(name, value, property)``."""
    from textual.css.errors import StylesheetError
    from textual.css.stylesheet import Stylesheet
    from textual.css.tokenizer import TokenError

    stylesheet = Stylesheet(variables={f"v{i}": value for i, (_, value, _) in enumerate(checks)})
    body = " ".join(f"{prop}: $v{i};" for i, (_, _, prop) in enumerate(checks))
    stylesheet.add_source(f"Theme {{ {body} }}", read_from=("theme", ""))
    try:
        stylesheet.parse()
    except (StylesheetError, TokenError):
        return False
    return True


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _colour(value: Any, key: str) -> str:
    from textual.color import Color, ColorParseError

    if not isinstance(value, str):
        raise ThemeError(f'{key!r} must be a colour string such as "#1e90ff"')
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{key!r}: {value!r} is not a colour") from None
    return value


def reader_variables(theme: Theme) -> dict[str, str]:
    """The reader's variables for ``theme``: its own where given, else derived ones.

    The app returns this from ``App.get_theme_variable_defaults`` so Textual's built-in
    themes work with the reader's CSS too.
    """
    from textual.color import Color

    system = theme.to_color_system().generate()
    bg = Color.parse(system["background"])
    fg = Color.parse(system["foreground"])

    def pick(name: str) -> Color:
        return Color.parse(system[name]) if name in system else fg

    derived = {
        "headline-unread": fg,
        "headline-read": readable(fg.blend(bg, 0.35), bg, fg),
        "headline-starred": readable(pick("warning"), bg, fg),
        "feed-error": readable(pick("error"), bg, fg),
        "crumb-separator": readable(fg.blend(bg, 0.5), bg, fg, minimum=3.0),
        "article-heading": readable(pick("primary"), bg, fg),
        "article-link": readable(pick("accent"), bg, fg),
        "article-quote": readable(fg.blend(bg, 0.2), bg, fg),
        "article-code-bg": bg.blend(fg, 0.08),
    }
    own = {k: v for k, v in theme.variables.items() if k in READER_VARIABLES}
    return {k: own.get(k, colour.hex6) for k, colour in derived.items()}


def readable(colour: Color, bg: Color, fg: Color, minimum: float = MIN_TEXT_CONTRAST) -> Color:
    """``colour`` moved toward ``fg`` until it reaches ``minimum`` contrast on ``bg``."""
    colour = colour.with_alpha(1.0)
    for step in range(11):
        candidate = colour.blend(fg, step / 10)
        if contrast_ratio(candidate, bg) >= minimum:
            return candidate
    return fg


def relative_luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast_ratio(a: Color | str, b: Color | str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    from textual.color import Color

    ca = Color.parse(a) if isinstance(a, str) else a
    cb = Color.parse(b) if isinstance(b, str) else b
    la, lb = relative_luminance(ca), relative_luminance(cb)
    high, low = max(la, lb), min(la, lb)
    return (high + 0.05) / (low + 0.05)


def check_config_themes(config_path: Path, theme: str | None) -> list[str]:
    """``config check``'s theme lines: each broken file in the user's themes folder,
    and a ``theme:`` that names no bundled, user or Textual theme.

    Textual is imported only when there is something to check (user theme files, or
    a ``theme:`` that is not a bundled file's name), so a plain config skips it; the
    bundled files themselves are checked by the test suite.
    """
    from newsreader import locations

    user_files, bundled_names = locations.theme_files(config_path)
    if not user_files and (theme is None or theme in bundled_names):
        return []
    from textual.theme import BUILTIN_THEMES

    problems: list[str] = []
    user_dir = locations.user_themes_dir(config_path)
    user_themes, errors = load_themes([user_dir]) if user_files else ([], [])
    problems.extend(errors)
    if theme is not None:
        bundled, _ = load_themes([locations.bundled_themes_dir()])
        names = {t.name for t in (*bundled, *user_themes)} | set(BUILTIN_THEMES)
        if theme not in names:
            hint = _did_you_mean(theme, sorted(names))
            problems.append(f"{config_path}: theme {theme!r} is not an available theme{hint}")
    return problems
