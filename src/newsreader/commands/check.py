"""``newsreader config check``: the config, then its themes and plugins, each problem
on one line of its own."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from newsreader.commands import plural
from newsreader.config import BUILTIN_SOURCES, load_config
from newsreader.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


def run_check(path: Path) -> int:
    """``newsreader config check``: validate, check the user's themes, then load the
    plugins the config names. A broken theme exits 2, like a broken config."""
    try:
        config = load_config(path)
    except ConfigError as exc:
        print(f"newsreader: {exc}", file=sys.stderr)
        return exc.exit_code
    problems: list[str] = []
    if _themes_to_check(path, config.theme):
        from newsreader.ui.themes import check_config_themes

        problems = check_config_themes(path, config.theme)
    status = 2 if problems else 0
    plugins = sorted({f.source for f in config.feeds if f.source not in BUILTIN_SOURCES})
    if plugins:
        from newsreader.sources.registry import load_sources

        _, plugin_problems = load_sources(plugins)
        problems += plugin_problems
        status = status or (1 if plugin_problems else 0)
    for problem in problems:
        print(f"newsreader: {problem}", file=sys.stderr)
    if not problems:  # "OK" only when nothing is wrong
        feeds, groups = len(config.feeds), len(config.groups)
        counts = [f"{plural(feeds, 'feed')} in {plural(groups, 'group')}"]
        if config.searches:
            counts.append(plural(len(config.searches), "query feed"))
        if config.rules:
            counts.append(plural(len(config.rules), "rule"))
        print(f"{path}: OK, {', '.join(counts)}")
    return status


def _themes_to_check(config_path: Path, theme: str | None) -> bool:
    """Whether ``config check`` has themes to look at: theme files in the user's folder,
    or a ``theme:`` that no bundled file is named after. Without either, the UI and
    Textual are not imported, so checking a plain config stays quick."""
    from newsreader.locations import theme_files

    user_files, bundled_names = theme_files(config_path)
    return user_files or (theme is not None and theme not in bundled_names)
