"""feeds.yaml -> a validated :class:`Config`. Errors carry the file and line number.

``nodes`` reads the YAML node tree, ``keys`` the ``keys:`` section, ``searches`` the
entries that carry a query (``searches:`` and ``rules:``), ``loader`` the file's
sections and feeds (``newsreader config check`` is ``commands.check``). ``yaml`` is
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
from newsreader.config.searches import (
    ACTIONS,
    MAX_RULES,
    MAX_SEARCHES,
    SEARCH_GROUP,
    Action,
    Rule,
    SavedSearch,
)
from newsreader.errors import ConfigError
from newsreader.model import DEFAULT_GROUP, FeedConfig, FeedSettings

__all__ = [
    "ACTIONS",
    "BUILTIN_SOURCES",
    "DEFAULT_GROUP",
    "MAX_CONFIG_BYTES",
    "MAX_OPTION_VALUES",
    "MAX_RULES",
    "MAX_SEARCHES",
    "SEARCH_GROUP",
    "URL_SCHEMES",
    "Action",
    "Config",
    "ConfigError",
    "FeedConfig",
    "FeedSettings",
    "Rule",
    "SavedSearch",
    "compose_yaml",
    "load_config",
    "parse_config",
    "read_config_text",
]
