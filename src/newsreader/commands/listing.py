"""``newsreader list``: what the store holds for the configured feeds, without the UI.

Both forms are written as they are read, so neither time nor memory grows with more
than one feed's headlines: the table comes from the headline rows alone (no bodies), and
``--json`` writes each article as it comes from the store.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pathlib import Path

    from newsreader.config import Config
    from newsreader.model import FeedConfig, FeedStatus
    from newsreader.store import Store

# Where an article's object starts in the JSON document: {"feeds": [{"articles": [ here.
_ARTICLE_INDENT = " " * 8
_encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode


def feed_entry(feed: FeedConfig, status: FeedStatus | None) -> dict[str, Any]:
    """SPEC's feed object for a configured feed, without its articles."""
    return {
        "name": feed.name,
        "group": feed.group,
        "title": (status.title if status and status.title else feed.name),
        "link": status.link if status else None,
        "source": feed.target,
        "last_error": status.last_error if status else None,
    }


def stored_articles(
    store: Store, name: str, *, unread: bool, hits: bool = False
) -> Iterator[dict[str, Any]]:
    """SPEC's article objects of one feed, with ``read`` and ``starred``, as read;
    ``hits``: only what the last search found."""
    for stored in store.articles(name, unread_only=unread, hits_only=hits):
        entry = stored.article.to_json()
        entry["read"] = stored.read
        entry["starred"] = stored.starred
        yield entry


def write_json(
    feeds: Sequence[FeedConfig], store: Store, out: TextIO, *, unread: bool, hits: bool = False
) -> None:
    """The ``{"feeds": [...]}`` document of ``feeds``, byte for byte what
    ``json.dumps(indent=2)`` gives for it, written one article at a time; ``hits``: each
    feed's articles that the last search found."""
    statuses = store.feed_statuses()
    out.write('{\n  "feeds": [')
    for index, feed in enumerate(feeds):
        entry = _encode(feed_entry(feed, statuses.get(feed.name)))
        # The feed's own fields, indented to their place, before its "articles" list.
        head = entry[: -len("\n}")].replace("\n", "\n    ")
        out.write(("," if index else "") + "\n    " + head + ',\n      "articles": [')
        count = 0
        for article in stored_articles(store, feed.name, unread=unread, hits=hits):
            text = _encode(article).replace("\n", "\n" + _ARTICLE_INDENT)
            out.write(("," if count else "") + "\n" + _ARTICLE_INDENT + text)
            count += 1
        out.write("\n      ]\n    }" if count else "]\n    }")
    out.write("\n  ]\n}\n" if feeds else "]\n}\n")


def run_list(config_path: Path, db_path: Path, *, unread: bool, as_json: bool) -> int:
    from newsreader.config import load_config
    from newsreader.store import Store

    config = load_config(config_path)
    with Store.open(db_path) as store:
        if as_json:
            write_json(config.feeds, store, sys.stdout, unread=unread)
        else:
            print_table(config, store, sys.stdout, unread=unread)
    return 0


def print_table(
    config: Config,
    store: Store,
    out: TextIO,
    *,
    unread: bool,
    hits: bool = False,
    feeds: Sequence[FeedConfig] | None = None,
) -> None:
    """One block per feed (default: every configured one): a heading with its counts, a
    problem line, then a line per headline (star, unread dot, date, title); ``hits``:
    only what the last search found. Styled only on a terminal, and not when NO_COLOR
    is set."""
    from newsreader.text.sanitise import for_terminal

    styled = out.isatty() and not os.environ.get("NO_COLOR")
    bold, dim, red, plain = (
        ("\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[0m") if styled else ("", "", "", "")
    )
    if not config.feeds:
        out.write("No feeds configured.\n")
        return
    statuses = store.feed_statuses()
    for feed in config.feeds if feeds is None else feeds:
        headlines = store.hit_headlines(feed.name) if hits else store.headlines([feed.name])
        unread_count = sum(1 for h in headlines if not h.read)
        if unread:
            headlines = [h for h in headlines if not h.read]
        heading = for_terminal(f"{feed.group} › {feed.name}")
        counts = f"{unread_count} unread, {len(headlines)} shown"
        out.write(f"{bold}{heading}{plain}  {dim}{counts}{plain}\n")
        status = statuses.get(feed.name)
        if status is not None and status.last_error:
            out.write(f"{red}  problem: {for_terminal(status.last_error)}{plain}\n")
        if not headlines:
            out.write(f"{dim}  (nothing stored){plain}\n\n")
            continue
        lines = []
        for h in headlines:
            mark = ("*" if h.starred else " ") + (" " if h.read else "•")
            date = (h.published or "")[:16].replace("T", " ")
            title = for_terminal(h.title) or "(untitled)"
            lines.append(f"{mark} {dim}{date:<16}{plain} {title}\n")
        out.write("".join(lines) + "\n")
