"""The reader's rebindable keys: binding ids, default keys, actions, help lines.

A neutral module, free of Textual and of the UI package, so that ``config`` can
validate ``keys:`` and the help screen, the command palette and docs can list the keys
without either side importing the other.
"""

from __future__ import annotations

from typing import NamedTuple


class KeyAction(NamedTuple):
    """One rebindable key of the reader: feeds.yaml ``keys:`` maps ``id`` to new keys."""

    id: str
    keys: str
    action: str
    description: str
    footer: str = ""
    # Keys that open a text input run before the keys queued behind them, so a burst
    # such as ``/sol`` (fast typing, a paste) lands in the input, not in the bindings.
    opens_input: bool = False


# In the order the help screen lists them. ``footer`` is the short label shown in the
# footer; empty keeps the key out of it (the footer holds the most useful keys only).
KEY_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("next", "j", "move(1)", "Next headline (from either pane)"),
    KeyAction("previous", "k", "move(-1)", "Previous headline (from either pane)"),
    KeyAction("cursor_down", "down", "cursor(1)", "Down in the focused pane"),
    KeyAction("cursor_up", "up", "cursor(-1)", "Up in the focused pane"),
    KeyAction("open", "enter", "open", "Open the article (or fold a group/feed)", "Open"),
    KeyAction("focus_next", "tab", "focus_pane(1)", "Focus the next pane"),
    KeyAction("focus_previous", "shift+tab", "focus_pane(-1)", "Focus the previous pane"),
    KeyAction("back", "escape", "back", "Back: leave the search, or return to the sidebar"),
    KeyAction("page_down", "space,pagedown", "page(1)", "Scroll the article down a page"),
    KeyAction("page_up", "b,pageup", "page(-1)", "Scroll the article up a page"),
    KeyAction("next_unread", "n", "unread(1)", "Next unread article, across feeds", "Next unread"),
    KeyAction("previous_unread", "p", "unread(-1)", "Previous unread article, across feeds"),
    KeyAction("next_feed", "J", "feed(1)", "Next feed"),
    KeyAction("previous_feed", "K", "feed(-1)", "Previous feed"),
    KeyAction("first", "g", "edge(0)", "First headline"),
    KeyAction("last", "G", "edge(1)", "Last headline"),
    KeyAction("collapse", "h,left", "fold(True)", "Fold the group or feed"),
    KeyAction("expand", "l,right", "fold(False)", "Unfold the group or feed"),
    KeyAction("toggle_read", "m", "toggle_read", "Toggle read"),
    KeyAction("toggle_star", "s", "toggle_star", "Toggle star", "Star"),
    KeyAction("mark_feed_read", "A", "mark_feed_read", "Mark the whole feed read"),
    KeyAction("unread_only", "u", "unread_only", "Show only unread", "Unread"),
    KeyAction("show_hidden", "H", "toggle_hidden", "Show or hide the articles rules hid"),
    KeyAction(
        "filter", "slash", "filter", "Search every stored article", "Search", opens_input=True
    ),
    KeyAction("refresh", "r", "refresh(False)", "Refresh this feed"),
    KeyAction("refresh_all", "R", "refresh(True)", "Refresh every feed", "Refresh"),
    KeyAction("open_link", "o", "open_link", "Open the link in the browser"),
    KeyAction("copy_link", "y", "copy_link", "Copy the link"),
    KeyAction("narrow", "left_square_bracket", "resize(-1)", "Narrow the sidebar"),
    KeyAction("widen", "right_square_bracket", "resize(1)", "Widen the sidebar"),
    KeyAction("help", "question_mark", "help", "List every key", "Help"),
    KeyAction("quit", "q", "quit", "Quit", "Quit"),
)

KEY_IDS: frozenset[str] = frozenset(k.id for k in KEY_ACTIONS)


def resolve_keymap(keys: dict[str, str], config_path: object) -> tuple[dict[str, str], list[str]]:
    """feeds.yaml ``keys:`` as a keymap of known ids, and one problem line naming the
    file for the ids this reader does not have (they are left out, never fatal)."""
    unknown = sorted(k for k in keys if k not in KEY_IDS)
    problems = []
    if unknown:
        problems.append(
            f"{config_path}: unknown key id(s) {', '.join(unknown)} (press ? to see the ids)"
        )
    return {k: v for k, v in keys.items() if k in KEY_IDS}, problems
