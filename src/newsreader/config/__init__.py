"""feeds.yaml -> a validated :class:`Config`. Errors carry the file and line number.

``nodes`` reads the YAML node tree, ``keys`` the ``keys:`` section, ``loader`` the
file's sections and feeds (``newsreader config check`` is ``commands.check``). ``yaml`` is
imported when a file is read: importing this package stays cheap.
"""

from __future__ import annotations

from newsreader.config.loader import (
    BUILTIN_SOURCES,
    MAX_CONFIG_BYTES,
    URL_SCHEMES,
    Config,
    load_config,
    parse_config,
    read_config_text,
)
from newsreader.config.nodes import MAX_OPTION_VALUES, compose_yaml
from newsreader.errors import ConfigError
from newsreader.model import DEFAULT_GROUP, FeedConfig, FeedSettings

__all__ = [
    "BUILTIN_SOURCES",
    "DEFAULT_GROUP",
    "MAX_CONFIG_BYTES",
    "MAX_OPTION_VALUES",
    "URL_SCHEMES",
    "Config",
    "ConfigError",
    "FeedConfig",
    "FeedSettings",
    "compose_yaml",
    "load_config",
    "parse_config",
    "read_config_text",
]
