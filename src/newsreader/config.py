"""feeds.yaml -> a validated :class:`Config`. Errors carry the file and line number.

The YAML is composed into nodes (safe loader only) rather than loaded into plain
values, so every problem can name the line it is on. ``yaml`` is imported when a
file is read: importing this module stays cheap.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from newsreader.text.sanitise import NONCHARACTERS, QUOTED_CONTROLS, has_controls

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node


BUILTIN_SOURCES = ("local", "http")
URL_SCHEMES = ("http", "https", "file")
# Plugin options are plain data; this bounds what YAML aliases can multiply them into.
MAX_OPTION_VALUES = 100_000
# feeds.yaml is read whole before it is parsed: a file this large is not one.
MAX_CONFIG_BYTES = 8 * 1024 * 1024

_TOP_KEYS = ("settings", "feeds", "keys")
_SETTING_KEYS = ("theme", "refresh_minutes", "max_articles", "headers", "timeout", "max_size_mb")
_FEED_KEYS = ("name", "url", "path", "source", "options", "group")
# Keys a feed may carry to override ``settings:`` for itself.
_OVERRIDE_KEYS = ("refresh_minutes", "max_articles", "headers", "timeout", "max_size_mb")
_TARGET_KEYS = ("url", "path", "source")

_MAP_TAG = "tag:yaml.org,2002:map"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
# A number written with more characters than this is no setting (and Python refuses to
# convert ints of thousands of digits).
_MAX_NUMBER_CHARS = 40
_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
# Scalars YAML types on its own (``2600``, ``on``, ``2024-01-01``) that names may be.
_TYPED_SCALAR_TAGS = tuple(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "timestamp"))


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    feeds: tuple[FeedConfig, ...] = ()
    theme: str | None = None
    defaults: FeedSettings = field(default_factory=FeedSettings)
    keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def groups(self) -> tuple[str, ...]:
        """Group names in the order they first appear in ``feeds:``."""
        return tuple(dict.fromkeys(feed.group for feed in self.feeds))


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


def compose_yaml(text: str, where: str) -> Node | None:
    """The YAML node tree of ``text`` (None when empty); syntax errors become ConfigError."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = _one_line(exc.problem or exc.context or "not valid")
        context = exc.context_mark
        if exc.context and context is not None and context.line + 1 != line:
            problem += f" ({_one_line(exc.context)} on line {context.line + 1})"
        raise ConfigError(where, f"invalid YAML: {problem}", line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problem = f"character #x{exc.character:04x} is not allowed in YAML"
        raise ConfigError(where, problem, line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(where, f"invalid YAML: {_one_line(str(exc))}") from None
    except UnicodeEncodeError as exc:
        # The C loader reads UTF-8: a lone surrogate (only in text not read from a file)
        # fails before the reader could name it.
        line = text[: exc.start].count("\n") + 1
        problem = f"character #x{ord(text[exc.start]):04x} is not allowed in YAML"
        raise ConfigError(where, problem, line) from None
    except RecursionError:
        raise ConfigError(where, "invalid YAML: nested too deeply") from None


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
        print(f"{path}: OK, {_plural(feeds, 'feed')} in {_plural(groups, 'group')}")
    return status


def _themes_to_check(config_path: Path, theme: str | None) -> bool:
    """Whether ``config check`` has themes to look at: theme files in the user's folder,
    or a ``theme:`` that no bundled file is named after. Without either, the UI and
    Textual are not imported, so checking a plain config stays quick."""
    from newsreader import locations

    user_dir = locations.user_themes_dir(config_path)
    bundled_dir = locations.bundled_themes_dir()
    try:
        # A config beside the bundled folder (a source checkout) has no user themes.
        user_files = user_dir.resolve() != bundled_dir.resolve() and any(
            p.is_file() for p in user_dir.glob("*.yaml")
        )
        bundled_names = {p.stem for p in bundled_dir.glob("*.yaml")}
    except OSError:
        return True
    return user_files or (theme is not None and theme not in bundled_names)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _one_line(text: str) -> str:
    """Folded to one line, controls shown as escapes: messages quote what the user wrote."""
    if not text.isprintable():
        text = QUOTED_CONTROLS.sub(lambda m: ascii(m.group())[1:-1], text)
    return " ".join(text.split())


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _kind(node: Node) -> str:
    """How a node reads to a user, for "must be X, not Y" messages."""
    kinds = {
        _MAP_TAG: "a mapping",
        _SEQ_TAG: "a list",
        _NULL_TAG: "nothing",
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:timestamp": "a date",
        _STR_TAG: "text",
    }
    tag = str(node.tag)
    if tag in kinds:
        return kinds[tag]
    return f"a value tagged {tag.replace('tag:yaml.org,2002:', '!!')}"


class _Parser:
    """Walks the composed node tree; every check raises with the node's line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        self.base = path.parent
        self._constructor: Any = None

    def error(self, node: Node | None, problem: str) -> ConfigError:
        return ConfigError(
            self.where, _one_line(problem), _line(node) if node is not None else None
        )

    def parse(self, text: str) -> Config:
        root = compose_yaml(text, self.where)
        if root is None or self.is_null(root):
            return Config(path=self.path)
        top = self.mapping(root, "the file", "a mapping with 'feeds:' (and 'settings:', 'keys:')")
        for key, knode in top.items():
            if key not in _TOP_KEYS:
                raise self.error(knode[0], f"unknown key '{key}'{_did_you_mean(key, _TOP_KEYS)}")
        theme: str | None = None
        defaults = FeedSettings()
        if "settings" in top and not self.is_null(top["settings"][1]):
            smap = self.mapping(top["settings"][1], "settings")
            for key, (knode, _) in smap.items():
                if key not in _SETTING_KEYS:
                    hint = _did_you_mean(key, _SETTING_KEYS)
                    raise self.error(knode, f"unknown key '{key}' in settings{hint}")
            if "theme" in smap:
                theme = self.text(smap["theme"][1], "theme")
            defaults = self.settings(smap, FeedSettings())
        keys: dict[str, str] = {}
        if "keys" in top and not self.is_null(top["keys"][1]):
            keys = self.keymap(top["keys"][1])
        feeds: tuple[FeedConfig, ...] = ()
        if "feeds" in top and not self.is_null(top["feeds"][1]):
            feeds = self.feeds(top["feeds"][1], defaults)
        return Config(path=self.path, feeds=feeds, theme=theme, defaults=defaults, keys=keys)

    # -- node helpers -----------------------------------------------------------

    def is_null(self, node: Node) -> bool:
        from yaml.nodes import ScalarNode

        return isinstance(node, ScalarNode) and node.tag == _NULL_TAG

    def value(self, node: Node) -> Any:
        """A plain Python value for ``node`` through PyYAML's safe constructor."""
        import yaml

        if self._constructor is None:
            self._constructor = yaml.constructor.SafeConstructor()
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else _line(node)
            raise ConfigError(self.where, _one_line(exc.problem or str(exc)), line) from None
        except yaml.YAMLError as exc:
            raise self.error(node, _one_line(str(exc))) from None
        except (ValueError, OverflowError, TypeError) as exc:
            # A tagged scalar PyYAML cannot build, e.g. ``!!int "abc"``.
            raise self.error(node, f"not a valid value ({_one_line(str(exc))[:200]})") from None

    def mapping(
        self, node: Node, what: str, expected: str = "a mapping"
    ) -> dict[str, tuple[Node, Node]]:
        """A mapping's entries by key, with merge keys applied and duplicates refused."""
        from yaml.nodes import MappingNode

        if not isinstance(node, MappingNode) or node.tag != _MAP_TAG:
            raise self.error(node, f"{what} must be {expected}, not {_kind(node)}")
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        self.flatten(node)
        merged = len(node.value) - explicit
        entries: dict[str, tuple[Node, Node]] = {}
        written: set[str] = set()
        for index, (knode, vnode) in enumerate(node.value):
            key = self.key(knode, what)
            # Merged-in entries come first and may be overridden; written ones may not repeat.
            if key in written:
                first = _line(entries[key][0])
                raise self.error(knode, f"duplicate key '{key}' in {what} (first at line {first})")
            entries[key] = (knode, vnode)
            if index >= merged:
                written.add(key)
        return entries

    def flatten(self, node: MappingNode) -> None:
        """Apply YAML merge keys (``<<: *defaults``) the way safe_load does."""
        import yaml

        if self._constructor is None:
            self._constructor = yaml.constructor.SafeConstructor()
        try:
            self._constructor.flatten_mapping(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else _line(node)
            raise ConfigError(self.where, _one_line(exc.problem or str(exc)), line) from None

    def key(self, node: Node, what: str) -> str:
        from yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode) or node.tag != _STR_TAG:
            raise self.error(node, f"keys in {what} must be names, not {_kind(node)}")
        return str(node.value)

    def text(self, node: Node, what: str, *, as_written: bool = False) -> str:
        """One line of text; ``as_written`` also takes ``2600`` or ``on`` as the user typed it."""
        from yaml.nodes import ScalarNode

        plain = isinstance(node, ScalarNode) and (
            node.tag == _STR_TAG or (as_written and node.tag in _TYPED_SCALAR_TAGS)
        )
        if not plain:
            raise self.error(node, f"{what} must be text, not {_kind(node)}")
        value = str(node.value)
        if not value.strip():
            raise self.error(node, f"{what} must not be empty")
        if has_controls(value):
            raise self.error(node, f"{what} must not contain control characters or line breaks")
        odd = NONCHARACTERS.search(value)
        if odd is not None:
            # Unicode keeps these out of text; XML (an OPML export) cannot hold U+FFFE/FFFF.
            code = f"U+{ord(odd.group()):04X}"
            raise self.error(node, f"{what} must not contain {code}, which is not a character")
        return value.strip()

    def integer(self, node: Node, what: str, *, minimum: int, maximum: int, unit: str = "") -> int:
        """A whole number in ``minimum..maximum``; floats, booleans and text are refused."""
        value = self.numeric(node, what, "a whole number")
        if isinstance(value, float):
            raise self.error(node, f"{what} must be a whole number, not {node.value}")
        return int(self.in_range(node, what, value, minimum, maximum, unit))

    def number(self, node: Node, what: str, *, maximum: float) -> float:
        """A finite number of seconds, more than 0 and at most ``maximum``."""
        value = self.numeric(node, what, "a number of seconds")
        if not math.isfinite(value) or value <= 0 or value > maximum:
            raise self.error(
                node,
                f"{what} must be more than 0 and at most {maximum:g} seconds, not {node.value}",
            )
        return float(value)

    def numeric(self, node: Node, what: str, expected: str) -> int | float:
        """The int or float YAML wrote at ``node``; anything else is an error on its line."""
        from yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode) or node.tag not in (_INT_TAG, _FLOAT_TAG):
            shown = f" ({str(node.value)[:20]!r})" if node.tag == _STR_TAG else ""
            raise self.error(node, f"{what} must be {expected}, not {_kind(node)}{shown}")
        written = str(node.value)
        if len(written) > _MAX_NUMBER_CHARS:
            raise self.error(node, f"{what} must be {expected}, not {written[:20]}... (too long)")
        value = self.value(node)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.error(node, f"{what} must be {expected}, not {_kind(node)}")
        return value  # type: ignore[no-any-return]

    def in_range(
        self, node: Node, what: str, value: float, minimum: float, maximum: float, unit: str
    ) -> float:
        if not minimum <= value <= maximum:
            unit = f" {unit}" if unit else ""
            raise self.error(
                node, f"{what} must be from {minimum:,} to {maximum:,}{unit}, not {node.value}"
            )
        return value

    # -- sections ---------------------------------------------------------------

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

    def scalar_text(self, node: Node, what: str) -> str:
        """Text, or a number/word YAML typed for the user (``5``, ``on``) as written."""
        from yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode) or node.tag not in (_STR_TAG, *_TYPED_SCALAR_TAGS):
            raise self.error(node, f"{what} must be text, not {_kind(node)}")
        return str(node.value)

    def keymap(self, node: Node) -> dict[str, str]:
        """``keys:`` binding id -> key(s), e.g. ``next_unread: "n,ctrl+n"``.

        The keymap that results must leave every key one action and ``quit`` and
        ``help`` reachable: a key given to a second action would silently take it
        from the first (Textual keeps one), and a reader without a quit key locks
        its user in.
        """
        result: dict[str, str] = {}
        lines: dict[str, Node] = {}
        defaults = _default_keys()
        for binding, (knode, vnode) in self.mapping(
            node, "keys", "a mapping of action to key"
        ).items():
            if defaults and binding not in defaults:
                hint = _did_you_mean(binding, tuple(defaults))
                raise self.error(knode, f"unknown binding id '{binding}' in keys{hint}")
            written = self.scalar_text(vnode, f"keys.{binding}").strip()
            names = [part.strip() for part in written.split(",")]
            if not written or not written.isprintable() or not all(names):
                raise self.error(vnode, f"keys.{binding} must name a key such as 'j' or 'ctrl+r'")
            for name in names:
                if any(ch.isspace() for ch in name):
                    raise self.error(
                        vnode, f"keys.{binding}: '{name}' is not a key name (no spaces: 'ctrl+r')"
                    )
            # Textual takes the names as written, spaces included: store them stripped.
            result[binding] = ",".join(dict.fromkeys(names))
            lines[binding] = vnode
        if defaults:
            self.check_keymap(result, lines, defaults)
        return result

    def check_keymap(
        self, keymap: dict[str, str], lines: dict[str, Node], defaults: dict[str, str]
    ) -> None:
        """Refuse a keymap that gives one key to two actions or takes a reserved key."""
        owner: dict[str, str] = {}
        # The user's bindings first, in the order written, so a clash names their line.
        for binding in [*keymap, *(b for b in defaults if b not in keymap)]:
            keys = keymap.get(binding, defaults[binding]).split(",")
            for key in keys:
                reserved = _RESERVED_KEYS.get(key)
                if reserved and binding in keymap and binding != reserved[0]:
                    raise self.error(
                        lines[binding], f"keys.{binding}: '{key}' is reserved for {reserved[1]}"
                    )
                first = owner.setdefault(key, binding)
                if first == binding:
                    continue
                if binding in keymap:  # two of the user's bindings
                    at, mine, other = lines[binding], binding, first
                    whose = f"keys.{first} (line {_line(lines[first])})"
                else:  # the user's binding takes a key another action has by default
                    at, mine, other = lines[first], first, binding
                    whose = f"{binding}, by default"
                left = [k for k in keymap.get(other, defaults[other]).split(",") if k != key]
                lost = f"; {other} would have no key" if other in _ESSENTIAL and not left else ""
                raise self.error(
                    at,
                    f"keys.{mine}: '{key}' is already the key of {whose}{lost}"
                    f" (give {other} another key too)",
                )

    def feeds(self, node: Node, defaults: FeedSettings) -> tuple[FeedConfig, ...]:
        from yaml.nodes import SequenceNode

        if not isinstance(node, SequenceNode) or node.tag != _SEQ_TAG:
            raise self.error(node, f"feeds must be a list of feeds, not {_kind(node)}")
        seen: dict[str, int] = {}
        result = []
        for item in node.value:
            feed = self.feed(item, defaults)
            if feed.name in seen:
                raise ConfigError(
                    self.where,
                    f"duplicate feed name '{feed.name}' (first at line {seen[feed.name]})",
                    feed.line,
                )
            seen[feed.name] = feed.line or 0
            result.append(feed)
        return tuple(result)

    def feed(self, node: Node, defaults: FeedSettings) -> FeedConfig:
        entries = self.mapping(node, "a feed", "a mapping with name: and url:, path: or source:")
        allowed = _FEED_KEYS + _OVERRIDE_KEYS
        for key, (knode, _) in entries.items():
            if key not in allowed:
                raise self.error(knode, f"unknown key '{key}' in feed{_did_you_mean(key, allowed)}")
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
                    values = _expanded_size(onode)
                except _Cycle:
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
        return FeedConfig(
            name=name,
            source=source,
            target=target,
            group=group,
            options=options,
            settings=self.settings(entries, defaults),
            line=_line(node),
            url=url,
        )

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
        """An absolute path: ``~`` expanded, relative paths taken from feeds.yaml's folder."""
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.base / path
        return str(Path(_normpath(path)))

    def source_name(self, node: Node) -> str:
        name = self.text(node, "source")
        if name in BUILTIN_SOURCES:
            hint = "url:" if name == "http" else "path:"
            raise self.error(node, f"source '{name}' is built in: use {hint} instead")
        from newsreader.sources.registry import source_names

        names = source_names()
        if name not in names:
            plugins = tuple(n for n in names if n not in BUILTIN_SOURCES)
            hint = _did_you_mean(name, plugins) if plugins else ""
            installed = ", ".join(plugins) if plugins else "none"
            raise self.error(
                node, f"unknown source '{name}'{hint}: no such plugin installed (have: {installed})"
            )
        return name


class _Cycle(Exception):
    """A YAML node that contains itself through an alias."""


def _expanded_size(node: Node) -> int:
    """How many values ``node`` holds with every alias expanded (a billion-laughs guard).

    Aliases share nodes, so memoising by node keeps this linear in the text's size.
    Raises :class:`_Cycle` for a node that contains itself.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(current: Node, depth: int) -> int:
        key = id(current)
        if key in open_nodes:
            raise _Cycle
        if key in sizes:
            return sizes[key]
        if depth > 100:
            return MAX_OPTION_VALUES + 1
        open_nodes.add(key)
        total = 1
        if isinstance(current.value, list):
            for item in current.value:
                pair = item if isinstance(item, tuple) else (item,)
                total += sum(size(part, depth + 1) for part in pair)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    return size(node, 0)


def _default_keys() -> dict[str, str]:
    """The reader's rebindable binding ids and their default keys."""
    from newsreader.keymap import KEY_ACTIONS

    return {k.id: k.keys for k in KEY_ACTIONS}


# Keys Textual itself binds, with the one binding id that may also use them.
_RESERVED_KEYS = {
    "ctrl+q": ("quit", "quitting the reader"),
    "ctrl+c": ("", "copying and quitting the reader"),
    "ctrl+p": ("", "the command palette"),
}
# Actions that must keep a key, or the user is locked in (quit) or cannot learn the keys.
_ESSENTIAL = ("quit", "help")


def _normpath(path: Path) -> str:
    import os

    return os.path.normpath(os.path.abspath(path))


def _merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """Headers of ``base`` overridden by ``extra``; header names compare case-insensitively."""
    merged = {k: v for k, v in base.items() if k.lower() not in {e.lower() for e in extra}}
    merged.update(extra)
    return merged
