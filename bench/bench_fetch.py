"""``newsreader fetch`` of many local feeds, timed from outside the process.

Generates FEEDS RSS files of ITEMS items each (HTML descriptions of about 50 to
500 bytes) in a temporary folder, then runs the installed ``newsreader``:
a first fetch into an empty database, a second one with nothing changed and a third
after one new item was added to every feed. Prints medians over RUNS runs.

    .venv/bin/python bench/bench_fetch.py [--feeds 200] [--items 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "harbour",
    "council",
    "market",
    "bridge",
    "river",
    "school",
    "festival",
    "rain",
    "lantern",
    "ferry",
    "budget",
    "museum",
    "library",
    "station",
    "tram",
    "garden",
    "orchard",
    "volunteer",
    "clinic",
    "archive",
    "storm",
    "quay",
    "bakery",
    "workshop",
    "island",
    "hillside",
    "county",
    "mayor",
    "ticket",
    "season",
    "repairs",
    "opening",
]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _description(rng: random.Random) -> str:
    """Escaped HTML of about 50 to 500 bytes (170 on average), as feeds commonly carry."""
    parts = []
    for _ in range(1 if rng.random() < 0.85 else 2):
        body = " ".join(_sentence(rng, rng.randint(5, 11)) for _ in range(rng.randint(1, 2)))
        if rng.random() < 0.3:
            body += f' <a href="https://news.invalid/more/{rng.randint(1, 9999)}">More</a>'
        if rng.random() < 0.3:
            body = f"<strong>{rng.choice(WORDS).title()}:</strong> {body}"
        parts.append(f"<p>{body}</p>")
    if rng.random() < 0.2:
        parts.append(f'<img src="https://news.invalid/img/{rng.randint(1, 999)}.jpg" alt="">')
    html = "".join(parts)
    return html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_feed(rng: random.Random, index: int, items: int) -> str:
    entries = []
    for i in range(items):
        day = 1 + (i * 7 + index) % 28
        hour = (i * 5 + index) % 24
        guid = f"https://news.invalid/{index}/story-{i}"
        entries.append(
            f"<item><title>{_sentence(rng, rng.randint(4, 9))}</title>"
            f"<link>{guid}</link><guid>{guid}</guid>"
            f"<pubDate>{day:02d} Mar 2026 {hour:02d}:15:00 +0100</pubDate>"
            f"<description>{_description(rng)}</description></item>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Bench feed {index}</title><link>https://news.invalid/{index}/</link>"
        f"<description>Feed {index}</description>\n{''.join(entries)}</channel></rss>\n"
    )


def generate(folder: Path, feeds: int, items: int) -> tuple[Path, int]:
    rng = random.Random(20260326)
    size = 0
    lines = ["feeds:"]
    for index in range(feeds):
        text = make_feed(rng, index, items)
        path = folder / "feeds" / f"feed{index:03d}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        size += path.stat().st_size
        lines.append(f"  - {{name: 'Feed {index:03d}', path: feeds/{path.name}}}")
    config = folder / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config, size


def add_one_item(folder: Path, feeds: int) -> dict[Path, str]:
    """Put one new item at the top of every feed; returns the texts as they were."""
    before = {}
    for index in range(feeds):
        path = folder / "feeds" / f"feed{index:03d}.xml"
        text = before[path] = path.read_text(encoding="utf-8")
        guid = f"https://news.invalid/{index}/late-edition"
        item = (
            f"<item><title>Late edition {index}</title><link>{guid}</link><guid>{guid}</guid>"
            "<pubDate>29 Mar 2026 23:45:00 +0100</pubDate>"
            "<description>&lt;p&gt;One more story before the presses stop.&lt;/p&gt;"
            "</description></item>\n"
        )
        marker = f"<description>Feed {index}</description>\n"
        path.write_text(text.replace(marker, marker + item, 1), encoding="utf-8")
    return before


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time of ``cmd`` and the CPU time (user+system) of the process.

    The machine is shared, so CPU time is the steadier figure.
    """
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"fetch failed ({done.returncode}): {done.stderr.strip()[:500]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return elapsed, cpu


def _median(values: list[float], unit: str = "s") -> str:
    listed = ", ".join(f"{v:.2f}" for v in values)
    return f"{statistics.median(values):.2f} {unit}  [{listed}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "newsreader")
    with tempfile.TemporaryDirectory(prefix="nr-bench-") as tmp:
        folder = Path(tmp)
        config, size = generate(folder, args.feeds, args.items)
        print(f"{args.feeds} feeds x {args.items} items, {size / 1e6:.1f} MB of RSS")
        first: list[float] = []
        first_cpu: list[float] = []
        second: list[float] = []
        second_cpu: list[float] = []
        third: list[float] = []
        third_cpu: list[float] = []
        loads: list[float] = []
        for run in range(args.runs):
            cmd = [exe, "fetch", "--config", str(config), "--db", str(folder / f"run{run}.db")]
            loads.append(os.getloadavg()[0])
            elapsed, used = _timed(cmd)
            first.append(elapsed)
            first_cpu.append(used)
            elapsed, used = _timed(cmd)
            second.append(elapsed)
            second_cpu.append(used)
            originals = add_one_item(folder, args.feeds)
            elapsed, used = _timed(cmd)
            third.append(elapsed)
            third_cpu.append(used)
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")
        startup = statistics.median(_timed([exe, "--version"])[0] for _ in range(args.runs))
        bench_headlines(folder, args.runs)
    print(f"first fetch (empty db)   wall {_median(first)}")
    print(f"{'':<20}  CPU  {_median(first_cpu)}")
    print(f"second fetch (no change) wall {_median(second)}")
    print(f"{'':<20}  CPU  {_median(second_cpu)}")
    print(f"third fetch (+1 item each) wall {_median(third)}")
    print(f"{'':<20}  CPU  {_median(third_cpu)}")
    print(f"newsreader --version  wall {startup:.2f} s")
    print(f"load average before the runs: median {statistics.median(loads):.2f}")


def bench_headlines(folder: Path, runs: int, count: int = 50_000) -> None:
    """``Store.headlines()`` over ``count`` stored articles, the sidebar's one query."""
    from newsreader.model import Article, Feed, FeedConfig, FetchResult, FetchState
    from newsreader.store import Store

    per_feed = 250
    names = [f"Feed {n:03d}" for n in range(count // per_feed)]
    with Store.open(folder / "headlines.db") as store:
        store.sync_feeds([FeedConfig(name=n, source="local", target=n) for n in names])
        for n, name in enumerate(names):
            articles = tuple(
                Article(
                    id=f"{n}-{i}",
                    title=f"Headline {i} of feed {n}, with some words",
                    published=f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00+01:00",
                    text="Body text. " * 80,
                    markdown="Body *text*. " * 80,
                )
                for i in range(per_feed)
            )
            feed = Feed(title=name, link=None, source=name, articles=articles)
            store.save_result(name, FetchResult(feed, FetchState()))
    with Store.open(folder / "headlines.db") as store:
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            rows = store.headlines()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        print(f"Store.headlines() of {len(rows)} articles: wall {_median(wall, 'ms')}")
        print(f"{'':<40}  CPU  {_median(cpu, 'ms')}")


if __name__ == "__main__":
    main()
