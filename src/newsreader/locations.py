"""Where newsreader keeps things: user config, data, themes, and the bundled files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

APP_NAME = "newsreader"


def bundled_dir() -> Path:
    """The default feeds.yaml, samples/ and themes/: inside the wheel, or the repo root."""
    packaged = Path(__file__).parent / "data"
    if (packaged / "feeds.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2]


def user_config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_config_path() -> Path:
    """``$NEWSREADER_CONFIG``, else feeds.yaml in the user config dir, created on first use."""
    env = os.environ.get("NEWSREADER_CONFIG")
    if env:
        return Path(env)
    path = user_config_dir() / "feeds.yaml"
    if not path.exists():
        install_default_config(path)
    return path


def install_default_config(path: Path) -> None:
    """Copy the bundled feeds.yaml and the samples it names next to ``path``.

    A config folder that cannot be written (read-only home, a file in the way) is one
    line naming it, not an internal error.
    """
    from newsreader.errors import ConfigError

    src = bundled_dir()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / "feeds.yaml", path)
        samples = path.parent / "samples"
        if not samples.exists():
            shutil.copytree(src / "samples", samples)
    except OSError as exc:
        problem = exc.strerror or str(exc)
        raise ConfigError(str(path), f"cannot create the default config: {problem}") from None


def default_db_path() -> Path:
    """``$NEWSREADER_DB``, else newsreader.db in the user data dir."""
    env = os.environ.get("NEWSREADER_DB")
    if env:
        return Path(env)
    return user_data_dir() / "newsreader.db"


def bundled_themes_dir() -> Path:
    return bundled_dir() / "themes"


def user_themes_dir(config_path: Path) -> Path:
    """User themes live in a ``themes/`` folder next to the user's feeds.yaml."""
    return config_path.parent / "themes"


def theme_files(config_path: Path) -> tuple[bool, frozenset[str]]:
    """Whether the user's themes folder holds theme files, and the bundled themes'
    names: what decides if ``config check`` has themes to look at. A config beside the
    bundled folder (a source checkout) has no user themes; folders that cannot be read
    count as holding some, so that the check reports them."""
    user_dir = user_themes_dir(config_path)
    bundled = bundled_themes_dir()
    try:
        user_files = user_dir.resolve() != bundled.resolve() and any(
            p.is_file() for p in user_dir.glob("*.yaml")
        )
        return user_files, frozenset(p.stem for p in bundled.glob("*.yaml"))
    except OSError:
        return True, frozenset()
