"""``newsreader fetch``: refresh every configured feed with a progress display, then
print a summary table; exit 1 when any feed had a problem."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from newsreader.errors import StoreError
from newsreader.model import ERROR, NOT_MODIFIED, OK, WAITING, FeedOutcome
from newsreader.unchanged import merged, settle_unchanged

if TYPE_CHECKING:
    from pathlib import Path

    from newsreader.model import FeedConfig
    from newsreader.store import Store
    from newsreader.store.rules import CompiledRule


def run_fetch(config_path: Path, db_path: Path) -> int:
    """``newsreader fetch``: refresh every configured feed, then print a summary."""
    from newsreader.startup import paused_collector

    with paused_collector():
        from newsreader.config import load_config
        from newsreader.indexing import ensure_search_index
        from newsreader.store import READ_ONLY_PROBLEM, Store

        config = load_config(config_path)
        store = Store.open(db_path)
    with store:
        if store.read_only:
            # Nothing fetched could be kept: say so before asking any server.
            raise StoreError(store.path, READ_ONLY_PROBLEM)
        store.sync_feeds(config.feeds)
        ensure_search_index(store)
        rules = None
        if config.rules:
            import time

            from newsreader.store.rules import compile_rules

            rules = compile_rules(config.rules, config.feeds, now=time.time())
        outcomes = _run_with_progress(config.feeds, store, rules)
    for outcome in outcomes:
        if outcome.error:
            print(f"newsreader: {outcome.error}", file=sys.stderr)
        for warning in outcome.warnings:
            print(f"newsreader: {warning}", file=sys.stderr)
    _print_summary(outcomes)
    return 1 if any(o.failed for o in outcomes) else 0


def _run_with_progress(
    feeds: Sequence[FeedConfig], store: Store, rules: Mapping[str, Sequence[CompiledRule]] | None
) -> list[FeedOutcome]:
    if not feeds:
        return []
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("Fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("", total=len(feeds))

            def advance(outcome: FeedOutcome) -> None:
                progress.update(task, advance=1, description=outcome.name)

            return _refresh(feeds, store, advance, rules)

    done = 0

    def line(outcome: FeedOutcome) -> None:
        nonlocal done
        done += 1
        print(f"[{done}/{len(feeds)}] {outcome.name}: {_status_text(outcome)}", flush=True)

    return _refresh(feeds, store, line, rules)


def _refresh(
    feeds: Sequence[FeedConfig],
    store: Store,
    on_progress: Callable[[FeedOutcome], None],
    rules: Mapping[str, Sequence[CompiledRule]] | None,
) -> list[FeedOutcome]:
    """``refresh_feeds`` to the end; when every feed is settled as unchanged, no event loop
    starts and asyncio, the pipeline and the HTTP client are never imported (an
    unchanged feed has no new articles for ``rules`` to act on)."""
    settled = settle_unchanged(feeds, store, on_progress=on_progress)
    rest = [feed for feed, outcome in zip(feeds, settled, strict=True) if outcome is None]
    if not rest:
        return merged(settled, ())
    import asyncio

    from newsreader.refresh import fetch_feeds

    run = fetch_feeds(rest, store, on_progress=on_progress, rules=rules)
    return merged(settled, asyncio.run(run))


def _status_text(outcome: FeedOutcome, *, table: bool = False) -> str:
    """``3 new`` for a progress line, ``ok`` in the summary table, plus any notes."""
    if outcome.status == ERROR:
        return "error"
    if outcome.status == WAITING:
        return WAITING
    text = OK if table else f"{outcome.new} new"
    if outcome.status == NOT_MODIFIED:
        text = NOT_MODIFIED
    if outcome.warnings:
        text += f", {len(outcome.warnings)} unreadable"
    if outcome.moved_to:
        text += f", moved to {outcome.moved_to}"
    return text


def _print_summary(outcomes: Sequence[FeedOutcome]) -> None:
    """A table of every feed; Rich on a terminal, plain aligned text for pipes and files."""
    if not outcomes:
        print("No feeds configured.")
        return
    if not sys.stdout.isatty():
        _print_plain_summary(outcomes)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    table = Table(title=None, show_edge=False, pad_edge=False)
    table.add_column("feed", overflow="fold")
    table.add_column("new", justify="right")
    table.add_column("total", justify="right")
    table.add_column("status", overflow="fold")
    styles = {OK: "green", NOT_MODIFIED: "dim", ERROR: "red", WAITING: "yellow"}
    for o in outcomes:
        table.add_row(
            Text(o.name),
            str(o.new),
            str(o.total),
            Text(_status_text(o, table=True)),
            style=styles.get(o.status),
        )
    console.print(table, markup=False)
    console.print(_totals(outcomes), markup=False)


def _totals(outcomes: Sequence[FeedOutcome]) -> str:
    failed = sum(1 for o in outcomes if o.failed)
    new = sum(o.new for o in outcomes)
    return f"{len(outcomes)} feeds, {new} new articles, {failed} with problems."


def _print_plain_summary(outcomes: Sequence[FeedOutcome]) -> None:
    """The summary without Rich: rendering 200 rows with it costs about 0.15 s."""
    rows = [("feed", "new", "total", "status")]
    rows += [(o.name, str(o.new), str(o.total), _status_text(o, table=True)) for o in outcomes]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"{name:<{widths[0]}}  {new:>{widths[1]}}  {total:>{widths[2]}}  {status}"
        for name, new, total, status in rows
    ]
    lines.append(_totals(outcomes))
    sys.stdout.write("\n".join(lines) + "\n")
