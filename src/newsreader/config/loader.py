"""feeds.yaml -> a validated :class:`Config`: the file's sections and feeds, checked
on top of the node reading in :mod:`newsreader.config.nodes`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from newsreader.config.keys import read_keys
from newsreader.config.nodes import (
    MAX_OPTION_VALUES,
    SEQ_TAG,
    Cycle,
    NodeReader,
    compose_yaml,
    describe,
    did_you_mean,
    expanded_size,
    line_of,
)
from newsreader.config.searches import MAX_RULES, Rule, SavedSearch, read_rules, read_searches
from newsreader.errors import ConfigError
from newsreader.model import (
    DEFAULT_GROUP,
    MAX_ARTICLES,
    MAX_REFRESH_MINUTES,
    MAX_SIZE_MB,
    MAX_TIMEOUT_SECONDS,
    MB,
    FeedConfig,
    FeedSettings,
)

if TYPE_CHECKING:
    from yaml.nodes import Node

BUILTIN_SOURCES = ("local", "http")
URL_SCHEMES = ("http", "https", "file")
# feeds.yaml is read whole before it is parsed: a file this large is not one.
MAX_CONFIG_BYTES = 8 * 1024 * 1024

_TOP_KEYS = ("settings", "feeds", "keys", "searches", "rules")
_SETTING_KEYS = ("theme", "refresh_minutes", "max_articles", "headers", "timeout", "max_size_mb")
_FEED_KEYS = ("name", "url", "path", "source", "options", "group", "rules")
# Keys a feed may carry to override ``settings:`` for itself.
_OVERRIDE_KEYS = ("refresh_minutes", "max_articles", "headers", "timeout", "max_size_mb")
_TARGET_KEYS = ("url", "path", "source")


class Config(NamedTuple):
    """A validated feeds.yaml (a named tuple, as the model's value types are)."""

    path: Path
    feeds: tuple[FeedConfig, ...] = ()
    theme: str | None = None
    defaults: FeedSettings = FeedSettings()
    keys: Mapping[str, str] = MappingProxyType({})
    searches: tuple[SavedSearch, ...] = ()
    # The top-level rules as written, then each feed's own in the order of ``feeds:``.
    rules: tuple[Rule, ...] = ()

    @property
    def groups(self) -> tuple[str, ...]:
        """Group names in the order they first appear in ``feeds:``."""
        return tuple(dict.fromkeys(feed.group for feed in self.feeds))

    def rules_for(self, feed: str) -> tuple[Rule, ...]:
        """The rules that apply to the articles of the feed named ``feed``, in order."""
        return tuple(rule for rule in self.rules if rule.feed is None or rule.feed == feed)


def load_config(path: Path) -> Config:
    """Read and validate ``path``; raise :class:`ConfigError` naming the line at fault."""
    return parse_config(read_config_text(path), path)


def read_config_text(path: Path) -> str:
    """The file's text, with every way of not being a readable UTF-8 file as one error."""
    from newsreader.userfiles import read_user_file

    data = read_user_file(path, MAX_CONFIG_BYTES, expected="a YAML file", error=ConfigError)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(str(path), "not UTF-8 text", line) from None


def parse_config(text: str, path: Path) -> Config:
    """Validate YAML ``text`` as the feeds.yaml at ``path`` (relative paths resolve there)."""
    return _Parser(path).parse(text)


class _Parser(NodeReader):
    """Walks the composed node tree section by section."""

    def parse(self, text: str) -> Config:
        root = compose_yaml(text, self.where)
        if root is None or self.is_null(root):
            return Config(path=self.path)
        top = self.mapping(
            root,
            "the file",
            "a mapping with 'feeds:' (and 'settings:', 'keys:', 'searches:', 'rules:')",
        )
        for key, (knode, _) in top.items():
            if key not in _TOP_KEYS:
                raise self.error(knode, f"unknown key '{key}'{did_you_mean(key, _TOP_KEYS)}")
        theme: str | None = None
        defaults = FeedSettings()
        if "settings" in top and not self.is_null(top["settings"][1]):
            smap = self.mapping(top["settings"][1], "settings")
            for key, (knode, _) in smap.items():
                if key not in _SETTING_KEYS:
                    hint = did_you_mean(key, _SETTING_KEYS)
                    raise self.error(knode, f"unknown key '{key}' in settings{hint}")
            if "theme" in smap:
                theme = self.text(smap["theme"][1], "theme")
            defaults = self.settings(smap, FeedSettings())
        keys: dict[str, str] = {}
        if "keys" in top and not self.is_null(top["keys"][1]):
            keys = read_keys(self, top["keys"][1])
        feeds: tuple[FeedConfig, ...] = ()
        feed_rules: list[tuple[str, Node]] = []
        if "feeds" in top and not self.is_null(top["feeds"][1]):
            feeds, feed_rules = self.feeds(top["feeds"][1], defaults)
        searches: tuple[SavedSearch, ...] = ()
        if "searches" in top and not self.is_null(top["searches"][1]):
            feed_lines = {feed.name: feed.line or 0 for feed in feeds}
            searches = read_searches(self, top["searches"][1], feed_lines)
        rules: list[Rule] = []
        if "rules" in top and not self.is_null(top["rules"][1]):
            rules = read_rules(self, top["rules"][1], None, MAX_RULES)
        for name, rnode in feed_rules:
            rules += read_rules(self, rnode, name, MAX_RULES - len(rules))
        return Config(
            path=self.path,
            feeds=feeds,
            theme=theme,
            defaults=defaults,
            keys=keys,
            searches=searches,
            rules=tuple(rules),
        )

    def settings(self, entries: dict[str, tuple[Node, Node]], base: FeedSettings) -> FeedSettings:
        """``base`` with the override keys found in ``entries`` applied."""
        refresh = base.refresh_minutes
        max_articles = base.max_articles
        headers = base.headers
        timeout = base.timeout_seconds
        max_bytes = base.max_bytes
        if "refresh_minutes" in entries:
            refresh = self.integer(
                entries["refresh_minutes"][1],
                "refresh_minutes",
                minimum=1,
                maximum=MAX_REFRESH_MINUTES,
                unit="minutes",
            )
        if "max_articles" in entries:
            vnode = entries["max_articles"][1]
            max_articles = (
                None
                if self.is_null(vnode)
                else self.integer(vnode, "max_articles", minimum=1, maximum=MAX_ARTICLES)
            )
        if "headers" in entries:
            headers = _merge_headers(base.headers, self.headers(entries["headers"][1]))
        if "timeout" in entries:
            timeout = self.number(entries["timeout"][1], "timeout", maximum=MAX_TIMEOUT_SECONDS)
        if "max_size_mb" in entries:
            megabytes = self.integer(
                entries["max_size_mb"][1], "max_size_mb", minimum=1, maximum=MAX_SIZE_MB, unit="MB"
            )
            max_bytes = megabytes * MB
        return FeedSettings(
            refresh_minutes=refresh,
            max_articles=max_articles,
            headers=headers,
            timeout_seconds=timeout,
            max_bytes=max_bytes,
        )

    def headers(self, node: Node) -> dict[str, str]:
        """HTTP headers: token names, one-line values (no header injection)."""

        result: dict[str, str] = {}
        token = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
        for name, (knode, vnode) in self.mapping(node, "headers").items():
            if not token.fullmatch(name):
                raise self.error(knode, f"'{name}' is not a valid HTTP header name")
            value = self.scalar_text(vnode, f"header '{name}'")
            if "\r" in value or "\n" in value or not value.isprintable():
                raise self.error(vnode, f"header '{name}' must be one line of text")
            if not value.isascii():
                # HTTP sends header values as bytes; only ASCII means the same to every server.
                raise self.error(vnode, f"header '{name}' must be ASCII text")
            result[name] = value
        return result

    def feeds(
        self, node: Node, defaults: FeedSettings
    ) -> tuple[tuple[FeedConfig, ...], list[tuple[str, Node]]]:
        """The feeds, and each feed's ``rules:`` node by its name (read after the
        top-level rules, which come first in ``Config.rules``)."""
        from yaml.nodes import SequenceNode

        if not isinstance(node, SequenceNode) or node.tag != SEQ_TAG:
            raise self.error(node, f"feeds must be a list of feeds, not {describe(node)}")
        seen: dict[str, int] = {}
        result = []
        rules: list[tuple[str, Node]] = []
        for item in node.value:
            feed, rnode = self.feed(item, defaults)
            if feed.name in seen:
                raise ConfigError(
                    self.where,
                    f"duplicate feed name '{feed.name}' (first at line {seen[feed.name]})",
                    feed.line,
                )
            seen[feed.name] = feed.line or 0
            result.append(feed)
            if rnode is not None and not self.is_null(rnode):
                rules.append((feed.name, rnode))
        return tuple(result), rules

    def feed(self, node: Node, defaults: FeedSettings) -> tuple[FeedConfig, Node | None]:
        """One feed, and its ``rules:`` node when it has one."""
        entries = self.mapping(node, "a feed", "a mapping with name: and url:, path: or source:")
        allowed = _FEED_KEYS + _OVERRIDE_KEYS
        for key, (knode, _) in entries.items():
            if key not in allowed:
                raise self.error(knode, f"unknown key '{key}' in feed{did_you_mean(key, allowed)}")
        given = [k for k in _TARGET_KEYS if k in entries]
        if not given:
            raise self.error(node, "feed needs one of url:, path: or source:")
        if len(given) > 1:
            second = entries[given[1]][0]
            raise self.error(second, f"feed has both {given[0]}: and {given[1]}: (give only one)")
        kind = given[0]
        vnode = entries[kind][1]
        options: dict[str, Any] = {}
        url: str | None = None
        if kind == "url":
            url = self.text(vnode, "url")
            source, target = self.url(vnode, url)
        elif kind == "path":
            source, target = "local", self.local_path(self.text(vnode, "path"))
        else:
            source = self.source_name(vnode)
            target = source
        if "options" in entries:
            onode = entries["options"][1]
            if kind != "source":
                raise self.error(entries["options"][0], "options: only applies to source: feeds")
            if not self.is_null(onode):
                self.mapping(onode, "options")
                try:
                    values = expanded_size(onode)
                except Cycle:
                    raise self.error(onode, "options contain themselves through an alias") from None
                if values > MAX_OPTION_VALUES:
                    raise self.error(
                        onode,
                        f"options hold more than {MAX_OPTION_VALUES} values once aliases expand",
                    )
                options = self.value(onode)
        name = (
            self.text(entries["name"][1], "name", as_written=True)
            if "name" in entries
            else (url or self.text(vnode, kind))
        )
        group = (
            self.text(entries["group"][1], "group", as_written=True)
            if "group" in entries
            else DEFAULT_GROUP
        )
        feed = FeedConfig(
            name=name,
            source=source,
            target=target,
            group=group,
            options=options,
            settings=self.settings(entries, defaults),
            line=line_of(node),
            url=url,
        )
        return feed, entries["rules"][1] if "rules" in entries else None

    def url(self, node: Node, url: str) -> tuple[str, str]:
        """(source, target) for ``url:``: http(s) stays a URL, ``file://`` becomes a path."""
        from urllib.parse import unquote, urlsplit

        if " " in url:
            raise self.error(node, f"url '{url}' must not contain spaces (write them as %20)")
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise self.error(node, f"url '{url}' is not a valid URL: {exc}") from None
        scheme = parts.scheme.lower()
        if not scheme:
            raise self.error(node, f"url '{url}' needs a scheme: http://, https:// or file://")
        if scheme not in URL_SCHEMES:
            raise self.error(
                node, f"url '{url}': unsupported scheme '{scheme}' (use http, https or file)"
            )
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise self.error(node, f"url '{url}': file URLs must name a local path")
            if not parts.path:
                raise self.error(node, f"url '{url}' names no file")
            return "local", self.local_path(unquote(parts.path))
        if not parts.hostname:
            raise self.error(node, f"url '{url}' names no host")
        return "http", url

    def local_path(self, text: str) -> str:
        """An absolute path: ``~`` expanded, relative paths taken from feeds.yaml's folder.

        String operations, not pathlib: this runs for every feed, and making Paths was
        half the time of reading a feeds.yaml of 200 feeds.
        """
        if text.startswith("~"):
            text = str(Path(text).expanduser())  # with pathlib's error when there is no home
        return normpath(os.path.join(self.base, text))  # an absolute text drops the base

    def source_name(self, node: Node) -> str:
        name = self.text(node, "source")
        if name in BUILTIN_SOURCES:
            hint = "url:" if name == "http" else "path:"
            raise self.error(node, f"source '{name}' is built in: use {hint} instead")
        from newsreader.sources.registry import source_names

        names = source_names()
        if name not in names:
            plugins = tuple(n for n in names if n not in BUILTIN_SOURCES)
            hint = did_you_mean(name, plugins) if plugins else ""
            installed = ", ".join(plugins) if plugins else "none"
            raise self.error(
                node, f"unknown source '{name}'{hint}: no such plugin installed (have: {installed})"
            )
        return name


def normpath(path: Path | str) -> str:
    return os.path.normpath(os.path.abspath(path))


def _merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """Headers of ``base`` overridden by ``extra``; header names compare case-insensitively."""
    merged = {k: v for k, v in base.items() if k.lower() not in {e.lower() for e in extra}}
    merged.update(extra)
    return merged
