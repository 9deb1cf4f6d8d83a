"""YAML node walking for feeds.yaml: composing, reading scalars and mappings, numbers
in range. Every check raises :class:`ConfigError` with the line of the node at fault.

The YAML is composed into nodes (safe loader only) rather than loaded into plain
values, so every problem can name the line it is on. ``yaml`` is imported when a
file is read: importing this module stays cheap.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsreader.errors import ConfigError
from newsreader.text.sanitise import NONCHARACTERS, QUOTED_CONTROLS, has_controls

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node

MAP_TAG = "tag:yaml.org,2002:map"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
# A number written with more characters than this is no setting (and Python refuses to
# convert ints of thousands of digits).
_MAX_NUMBER_CHARS = 40
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
# Scalars YAML types on its own (``2600``, ``on``, ``2024-01-01``) that names may be.
TYPED_SCALAR_TAGS = tuple(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "timestamp"))
# Plugin options are plain data; this bounds what YAML aliases can multiply them into.
MAX_OPTION_VALUES = 100_000


def compose_yaml(text: str, where: str) -> Node | None:
    """The YAML node tree of ``text`` (None when empty); syntax errors become ConfigError."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = one_line(exc.problem or exc.context or "not valid")
        context = exc.context_mark
        if exc.context and context is not None and context.line + 1 != line:
            problem += f" ({one_line(exc.context)} on line {context.line + 1})"
        raise ConfigError(where, f"invalid YAML: {problem}", line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problem = f"character #x{exc.character:04x} is not allowed in YAML"
        raise ConfigError(where, problem, line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(where, f"invalid YAML: {one_line(str(exc))}") from None
    except UnicodeEncodeError as exc:
        # The C loader reads UTF-8: a lone surrogate (only in text not read from a file)
        # fails before the reader could name it.
        line = text[: exc.start].count("\n") + 1
        problem = f"character #x{ord(text[exc.start]):04x} is not allowed in YAML"
        raise ConfigError(where, problem, line) from None
    except RecursionError:
        raise ConfigError(where, "invalid YAML: nested too deeply") from None


def one_line(text: str) -> str:
    """Folded to one line, controls shown as escapes: messages quote what the user wrote."""
    if not text.isprintable():
        text = QUOTED_CONTROLS.sub(lambda m: ascii(m.group())[1:-1], text)
    return " ".join(text.split())


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def describe(node: Node) -> str:
    """How a node reads to a user, for "must be X, not Y" messages."""
    kinds = {
        MAP_TAG: "a mapping",
        SEQ_TAG: "a list",
        NULL_TAG: "nothing",
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:timestamp": "a date",
        STR_TAG: "text",
    }
    tag = str(node.tag)
    if tag in kinds:
        return kinds[tag]
    return f"a value tagged {tag.replace('tag:yaml.org,2002:', '!!')}"


class NodeReader:
    """Reads values out of a composed node tree; every check raises with the node's line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        self.base = path.parent
        self._constructor: Any = None

    def error(self, node: Node | None, problem: str) -> ConfigError:
        return ConfigError(
            self.where, one_line(problem), line_of(node) if node is not None else None
        )

    def is_null(self, node: Node) -> bool:
        from yaml.nodes import ScalarNode

        return isinstance(node, ScalarNode) and node.tag == NULL_TAG

    def value(self, node: Node) -> Any:
        """A plain Python value for ``node`` through PyYAML's safe constructor."""
        import yaml

        if self._constructor is None:
            self._constructor = yaml.constructor.SafeConstructor()
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else line_of(node)
            raise ConfigError(self.where, one_line(exc.problem or str(exc)), line) from None
        except yaml.YAMLError as exc:
            raise self.error(node, one_line(str(exc))) from None
        except (ValueError, OverflowError, TypeError) as exc:
            # A tagged scalar PyYAML cannot build, e.g. ``!!int "abc"``.
            raise self.error(node, f"not a valid value ({one_line(str(exc))[:200]})") from None

    def mapping(
        self, node: Node, what: str, expected: str = "a mapping"
    ) -> dict[str, tuple[Node, Node]]:
        """A mapping's entries by key, with merge keys applied and duplicates refused."""
        from yaml.nodes import MappingNode

        if not isinstance(node, MappingNode) or node.tag != MAP_TAG:
            raise self.error(node, f"{what} must be {expected}, not {describe(node)}")
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        self.flatten(node)
        merged = len(node.value) - explicit
        entries: dict[str, tuple[Node, Node]] = {}
        written: set[str] = set()
        for index, (knode, vnode) in enumerate(node.value):
            key = self.key(knode, what)
            # Merged-in entries come first and may be overridden; written ones may not repeat.
            if key in written:
                first = line_of(entries[key][0])
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
            line = mark.line + 1 if mark is not None else line_of(node)
            raise ConfigError(self.where, one_line(exc.problem or str(exc)), line) from None

    def key(self, node: Node, what: str) -> str:
        from yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode) or node.tag != STR_TAG:
            raise self.error(node, f"keys in {what} must be names, not {describe(node)}")
        return str(node.value)

    def text(self, node: Node, what: str, *, as_written: bool = False) -> str:
        """One line of text; ``as_written`` also takes ``2600`` or ``on`` as the user typed it."""
        from yaml.nodes import ScalarNode

        plain = isinstance(node, ScalarNode) and (
            node.tag == STR_TAG or (as_written and node.tag in TYPED_SCALAR_TAGS)
        )
        if not plain:
            raise self.error(node, f"{what} must be text, not {describe(node)}")
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

        if not isinstance(node, ScalarNode) or node.tag not in (INT_TAG, FLOAT_TAG):
            shown = f" ({str(node.value)[:20]!r})" if node.tag == STR_TAG else ""
            raise self.error(node, f"{what} must be {expected}, not {describe(node)}{shown}")
        written = str(node.value)
        if len(written) > _MAX_NUMBER_CHARS:
            raise self.error(node, f"{what} must be {expected}, not {written[:20]}... (too long)")
        value = self.value(node)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.error(node, f"{what} must be {expected}, not {describe(node)}")
        return value

    def in_range(
        self, node: Node, what: str, value: float, minimum: float, maximum: float, unit: str
    ) -> float:
        if not minimum <= value <= maximum:
            unit = f" {unit}" if unit else ""
            raise self.error(
                node, f"{what} must be from {minimum:,} to {maximum:,}{unit}, not {node.value}"
            )
        return value

    def scalar_text(self, node: Node, what: str) -> str:
        """Text, or a number/word YAML typed for the user (``5``, ``on``) as written."""
        from yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode) or node.tag not in (STR_TAG, *TYPED_SCALAR_TAGS):
            raise self.error(node, f"{what} must be text, not {describe(node)}")
        return str(node.value)


class Cycle(Exception):
    """A YAML node that contains itself through an alias."""


def expanded_size(node: Node) -> int:
    """How many values ``node`` holds with every alias expanded (a billion-laughs guard).

    Aliases share nodes, so memoising by node keeps this linear in the text's size.
    Raises :class:`Cycle` for a node that contains itself.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(current: Node, depth: int) -> int:
        key = id(current)
        if key in open_nodes:
            raise Cycle
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
