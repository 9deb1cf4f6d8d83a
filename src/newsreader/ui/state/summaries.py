"""The texts the reader screen shows about where the cursor is when it is not on an
article (a feed, a group, an empty sidebar), and the status line. Plain functions of
the headline tree and the config, so the wording is testable without a UI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.text.dates import display_date

if TYPE_CHECKING:
    from newsreader.config.loader import Config
    from newsreader.ui.state.tree import HeadlineTree


def empty_state(tree: HeadlineTree, config: Config) -> tuple[str, str]:
    """What the article pane says when the sidebar has nothing to show, and why."""
    if tree.nothing is not None:
        return tree.nothing, "Escape brings the feeds back; / changes the search."
    if not tree.feed_group:
        return "No feeds configured", (
            f"Add feeds to {config.path}, for example:\n\n"
            "feeds:\n  - name: Python Insider\n    url: https://example.org/feed.xml\n"
            "    group: Tech\n\n"
            "then start newsreader again. To read files or folders without a config:"
            " newsreader open PATH"
        )
    if tree.unread_only:
        return "All read", "Press u to show every headline, or R to look for new articles."
    return "No headlines yet", "Press R to refresh every feed."


def feed_summary(tree: HeadlineTree, config: Config, feed: str) -> tuple[str, str]:
    status = tree.statuses.get(feed)
    stored = tree.feed_total(feed)
    unread = tree.feed_unread(feed)
    lines = []
    error = tree.errors.get(feed)
    if error:
        lines.append(f"The last refresh failed: {error}")
        lines.append("")
    if not stored:
        lines.append("No articles stored yet." if not error else "No articles stored.")
    else:
        lines.append(f"{_count(stored, 'article')}, {unread:,} unread.")
    if status is not None:
        if status.title and status.title != feed:
            lines.append(f"Title: {status.title}")
        if status.link:
            lines.append(f"Link: {status.link}")
        lines.append(f"Last updated: {_when(status.last_success)}")
    source = next((f for f in config.feeds if f.name == feed), None)
    if source is not None:
        lines.append(f"Source: {source.target}")
    lines.append("")
    lines.append("Enter folds the feed, A marks it read, r refreshes it.")
    return feed, "\n".join(lines)


def group_summary(tree: HeadlineTree, group: str) -> tuple[str, str]:
    feeds = tree.group_feeds.get(group, [])
    total = sum(tree.feed_total(f) for f in feeds)
    unread = tree.group_unread(group)
    failed = [f for f in feeds if f in tree.errors]
    lines = [f"{_count(len(feeds), 'feed')}, {_count(total, 'article')}, {unread:,} unread."]
    if failed:
        lines.append("Failed at the last refresh: " + ", ".join(failed))
    lines += ["", "Enter folds the group, J/K move between feeds."]
    return group, "\n".join(lines)


def status_line(tree: HeadlineTree, last_refresh: str, *, hidden_shown: bool = False) -> str:
    """The top right corner between refreshes: the view, then the last result.
    ``hidden_shown``: the lists hold the articles rules hid, which the user should
    not forget once they are among the news again."""
    parts = []
    if tree.unread_only:
        parts.append("unread only")
    if hidden_shown:
        parts.append("hidden shown")
    if last_refresh:
        parts.append(last_refresh)
    return " · ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _when(value: str | None) -> str:
    """A stored time in local time, with the zone's name (the reader's one date display)."""
    return display_date(value) or "never"
