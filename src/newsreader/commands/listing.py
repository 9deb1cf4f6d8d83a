"""``newsreader list``: what the store holds for the configured feeds, without the UI."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from newsreader.config import Config
    from newsreader.store import Store


def stored_feeds(config: Config, store: Store, *, unread: bool) -> list[dict[str, Any]]:
    """SPEC's dump shape for what is stored: one entry per configured feed, in order."""
    statuses = store.feed_statuses()
    feeds: list[dict[str, Any]] = []
    for feed in config.feeds:
        status = statuses.get(feed.name)
        articles = []
        for stored in store.articles(feed.name, unread_only=unread):
            entry = stored.article.to_json()
            entry["read"] = stored.read
            entry["starred"] = stored.starred
            articles.append(entry)
        feeds.append(
            {
                "name": feed.name,
                "group": feed.group,
                "title": (status.title if status and status.title else feed.name),
                "link": status.link if status else None,
                "source": feed.target,
                "last_error": status.last_error if status else None,
                "articles": articles,
            }
        )
    return feeds


def run_list(config_path: Path, db_path: Path, *, unread: bool, as_json: bool) -> int:
    from newsreader.config import load_config
    from newsreader.store import Store

    config = load_config(config_path)
    with Store.open(db_path) as store:
        feeds = stored_feeds(config, store, unread=unread)
    if as_json:
        sys.stdout.write(json.dumps({"feeds": feeds}, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(feeds)
    return 0


def _print_table(feeds: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not feeds:
        console.print("No feeds configured.")
        return
    for feed in feeds:
        articles = feed["articles"]
        unread = sum(1 for a in articles if not a["read"])
        heading = Text(f"{feed['group']} › {feed['name']}", style="bold")
        heading.append(f"  {unread} unread, {len(articles)} shown", style="dim")
        console.print(heading)
        if feed["last_error"]:
            console.print(Text(f"  problem: {feed['last_error']}", style="red"))
        if not articles:
            console.print(Text("  (nothing stored)", style="dim"))
            console.print()
            continue
        table = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
        table.add_column(width=2, no_wrap=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column(overflow="fold")
        for art in articles:
            mark = ("*" if art["starred"] else " ") + (" " if art["read"] else "•")
            date = (art["published"] or "")[:16].replace("T", " ")
            table.add_row(Text(mark), Text(date), Text(art["title"] or "(untitled)"))
        console.print(table)
        console.print()
