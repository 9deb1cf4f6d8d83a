"""The ``keys:`` section: binding ids from the reader's key table, each key one action,
reserved keys refused, ``quit`` and ``help`` always reachable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.config.nodes import NodeReader, did_you_mean, line_of

if TYPE_CHECKING:
    from yaml.nodes import Node


def default_keys() -> dict[str, str]:
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


def read_keys(reader: NodeReader, node: Node) -> dict[str, str]:
    """``keys:`` binding id -> key(s), e.g. ``next_unread: "n,ctrl+n"``.

    The keymap that results must leave every key one action and ``quit`` and
    ``help`` reachable: a key given to a second action would silently take it
    from the first (Textual keeps one), and a reader without a quit key locks
    its user in.
    """
    result: dict[str, str] = {}
    lines: dict[str, Node] = {}
    defaults = default_keys()
    for binding, (knode, vnode) in reader.mapping(
        node, "keys", "a mapping of action to key"
    ).items():
        if defaults and binding not in defaults:
            hint = did_you_mean(binding, tuple(defaults))
            raise reader.error(knode, f"unknown binding id '{binding}' in keys{hint}")
        written = reader.scalar_text(vnode, f"keys.{binding}").strip()
        names = [part.strip() for part in written.split(",")]
        if not written or not written.isprintable() or not all(names):
            raise reader.error(vnode, f"keys.{binding} must name a key such as 'j' or 'ctrl+r'")
        for name in names:
            if any(ch.isspace() for ch in name):
                raise reader.error(
                    vnode, f"keys.{binding}: '{name}' is not a key name (no spaces: 'ctrl+r')"
                )
        # Textual takes the names as written, spaces included: store them stripped.
        result[binding] = ",".join(dict.fromkeys(names))
        lines[binding] = vnode
    if defaults:
        _check_keymap(reader, result, lines, defaults)
    return result


def _check_keymap(
    reader: NodeReader, keymap: dict[str, str], lines: dict[str, Node], defaults: dict[str, str]
) -> None:
    """Refuse a keymap that gives one key to two actions or takes a reserved key."""
    owner: dict[str, str] = {}
    # The user's bindings first, in the order written, so a clash names their line.
    for binding in [*keymap, *(b for b in defaults if b not in keymap)]:
        keys = keymap.get(binding, defaults[binding]).split(",")
        for key in keys:
            reserved = _RESERVED_KEYS.get(key)
            if reserved and binding in keymap and binding != reserved[0]:
                raise reader.error(
                    lines[binding], f"keys.{binding}: '{key}' is reserved for {reserved[1]}"
                )
            first = owner.setdefault(key, binding)
            if first == binding:
                continue
            if binding in keymap:  # two of the user's bindings
                at, mine, other = lines[binding], binding, first
                whose = f"keys.{first} (line {line_of(lines[first])})"
            else:  # the user's binding takes a key another action has by default
                at, mine, other = lines[first], first, binding
                whose = f"{binding}, by default"
            left = [k for k in keymap.get(other, defaults[other]).split(",") if k != key]
            lost = f"; {other} would have no key" if other in _ESSENTIAL and not left else ""
            raise reader.error(
                at,
                f"keys.{mine}: '{key}' is already the key of {whose}{lost}"
                f" (give {other} another key too)",
            )
