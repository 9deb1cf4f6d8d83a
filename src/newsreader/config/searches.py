"""The entries of feeds.yaml that carry a query: ``searches:`` (query feeds), ``rules:``
and a feed's own ``rules:``. Each query is parsed when the file is read, so a broken
one is reported on its line, with its column, like any other mistake in the file.

``newsreader.query`` is imported only for a file that has such entries: a feeds.yaml
without them costs nothing more to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias

from newsreader.config.nodes import (
    SEQ_TAG,
    STR_TAG,
    TYPED_SCALAR_TAGS,
    NodeReader,
    describe,
    did_you_mean,
    line_of,
)
from newsreader.text.sanitise import has_controls

if TYPE_CHECKING:
    from yaml.nodes import Node as YamlNode

    from newsreader.query import Node

Action: TypeAlias = Literal["mark_read", "star", "hide"]
ACTIONS: tuple[Action, ...] = ("mark_read", "star", "hide")
# The sidebar group of a search that names none: apart from the feeds' default group,
# so query feeds are not mixed in with the feeds they draw from.
SEARCH_GROUP = "Searches"
# Far past any real file; they bound what one feeds.yaml (YAML aliases included) can
# make the loader parse, and what every stored article is tested against.
MAX_SEARCHES = 1000
MAX_RULES = 1000
# The same as the parser's MAX_LENGTH (a test keeps them equal), written out so that
# reading a file without queries does not import the parser.
MAX_QUERY_LENGTH = 4096

_SEARCH_KEYS = ("name", "query", "group")
_RULE_KEYS = ("match", "then", "name")
# A query may be folded over lines in YAML; the parser reads these as spaces anyway.
_BREAKS = str.maketrans(dict.fromkeys("\t\n\r\u2028\u2029", " "))


class SavedSearch(NamedTuple):
    """One entry of ``searches:``: a query shown in the sidebar as a feed of its own.

    ``query`` is the text as written (line breaks read as spaces, ends stripped): what
    the reader shows and what a column in an error counts in; ``tree`` is its parse.
    """

    name: str
    query: str
    tree: Node
    group: str = SEARCH_GROUP
    line: int | None = None


class Rule(NamedTuple):
    """One rule: the articles ``tree`` matches get every action in ``actions``.

    ``feed`` is None for a rule of the top-level ``rules:``, else the name of the feed
    whose ``rules:`` it is in, and it applies only to that feed's articles. ``match``
    is the query as written (as ``SavedSearch.query`` is); ``name`` is the optional
    name the user gave it.
    """

    match: str
    tree: Node
    actions: tuple[Action, ...]
    feed: str | None = None
    name: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """How messages name the rule: its name, else its query."""
        return self.name or self.match


def read_searches(
    reader: NodeReader, node: YamlNode, feed_lines: dict[str, int]
) -> tuple[SavedSearch, ...]:
    """``searches:``; a name must be unique among searches and feeds (``feed_lines``
    maps each feed's name to its line), since both are listed, and chosen, by name."""
    items = _items(
        reader, node, "searches", "searches", MAX_SEARCHES, f"more than {MAX_SEARCHES:,} searches"
    )
    seen: dict[str, int] = {}
    result = []
    for item in items:
        search = _search(reader, item)
        line = search.line or 0
        if search.name in seen:
            raise reader.error(
                item, f"duplicate search name '{search.name}' (first at line {seen[search.name]})"
            )
        if search.name in feed_lines:
            raise reader.error(
                item,
                f"search name '{search.name}' is already the name of a feed"
                f" (line {feed_lines[search.name]}): give the search another name",
            )
        seen[search.name] = line
        result.append(search)
    return tuple(result)


def read_rules(reader: NodeReader, node: YamlNode, feed: str | None, room: int) -> list[Rule]:
    """The rules of one ``rules:`` list (the top-level one when ``feed`` is None);
    ``room`` is how many more the file may have."""
    what = "rules" if feed is None else f"rules of feed '{feed}'"
    too_many = f"more than {MAX_RULES:,} rules (the top-level rules and every feed's together)"
    items = _items(reader, node, what, "rules", room, too_many)
    return [_rule(reader, item, feed) for item in items]


def _items(
    reader: NodeReader, node: YamlNode, what: str, kind: str, room: int, too_many: str
) -> list[YamlNode]:
    """The entries of a list, refused before any is read when there are too many."""
    from yaml.nodes import SequenceNode

    if not isinstance(node, SequenceNode) or node.tag != SEQ_TAG:
        raise reader.error(node, f"{what} must be a list of {kind}, not {describe(node)}")
    items: list[YamlNode] = node.value
    if len(items) > room:
        raise reader.error(items[room], too_many)
    return items


def _search(reader: NodeReader, node: YamlNode) -> SavedSearch:
    entries = reader.mapping(node, "a search", "a mapping with name: and query:")
    for key, (knode, _) in entries.items():
        if key not in _SEARCH_KEYS:
            hint = did_you_mean(key, _SEARCH_KEYS)
            raise reader.error(knode, f"unknown key '{key}' in search{hint}")
    for key in ("name", "query"):
        if key not in entries:
            raise reader.error(node, f"search needs {key}:")
    name = reader.text(entries["name"][1], "name", as_written=True)
    group = (
        reader.text(entries["group"][1], "group", as_written=True)
        if "group" in entries
        else SEARCH_GROUP
    )
    query, tree = _query(reader, entries["query"][1], f"search '{name}': query")
    return SavedSearch(name=name, query=query, tree=tree, group=group, line=line_of(node))


def _rule(reader: NodeReader, node: YamlNode, feed: str | None) -> Rule:
    entries = reader.mapping(node, "a rule", "a mapping with match: and then:")
    for key, (knode, _) in entries.items():
        if key not in _RULE_KEYS:
            hint = did_you_mean(key, _RULE_KEYS)
            raise reader.error(knode, f"unknown key '{key}' in rule{hint}")
    for key in ("match", "then"):
        if key not in entries:
            raise reader.error(node, f"rule needs {key}:")
    name = reader.text(entries["name"][1], "name", as_written=True) if "name" in entries else None
    owner = "rule" if name is None else f"rule '{name}'"
    if feed is not None:
        owner += f" of feed '{feed}'"
    match, tree = _query(reader, entries["match"][1], f"{owner}: match")
    actions = _actions(reader, entries["then"][1], f"{owner}: then")
    return Rule(match=match, tree=tree, actions=actions, feed=feed, name=name, line=line_of(node))


def _query(reader: NodeReader, node: YamlNode, what: str) -> tuple[str, Node]:
    """The query at ``node`` as written and parsed; a QueryError becomes a ConfigError
    on the query's line that keeps the parser's column."""
    from yaml.nodes import ScalarNode

    if not isinstance(node, ScalarNode) or node.tag not in (STR_TAG, *TYPED_SCALAR_TAGS):
        raise reader.error(node, f"{what} must be text, not {describe(node)}")
    text = str(node.value).translate(_BREAKS).strip()
    if not text:
        raise reader.error(node, f"{what} must not be empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise reader.error(node, f"{what} is longer than {MAX_QUERY_LENGTH:,} characters")
    if has_controls(text):
        raise reader.error(node, f"{what} must not contain control characters")
    from newsreader.errors import QueryError
    from newsreader.query import parse

    try:
        tree = parse(text)
    except QueryError as exc:
        raise reader.error(node, f"{what}: column {exc.column}: {exc.problem}") from None
    return text, tree


def _actions(reader: NodeReader, node: YamlNode, what: str) -> tuple[Action, ...]:
    """``then:``: one action, or a list of different ones."""
    from yaml.nodes import ScalarNode, SequenceNode

    expected = "mark_read, star or hide"
    if isinstance(node, SequenceNode) and node.tag == SEQ_TAG:
        if not node.value:
            raise reader.error(node, f"{what} is an empty list: give {expected}")
        written: list[YamlNode] = node.value
    elif isinstance(node, ScalarNode) and node.tag == STR_TAG:
        written = [node]
    else:
        raise reader.error(
            node, f"{what} must be {expected} or a list of them, not {describe(node)}"
        )
    actions: list[Action] = []
    for item in written:
        if not isinstance(item, ScalarNode) or item.tag != STR_TAG:
            raise reader.error(item, f"{what} must be {expected}, not {describe(item)}")
        action = _action(str(item.value))
        if action is None:
            hint = did_you_mean(str(item.value), ACTIONS)
            raise reader.error(item, f"{what}: unknown action '{item.value}'{hint}: use {expected}")
        if action in actions:
            raise reader.error(item, f"{what}: '{action}' is given twice")
        actions.append(action)
    return tuple(actions)


def _action(word: str) -> Action | None:
    for action in ACTIONS:
        if word == action:
            return action
    return None
