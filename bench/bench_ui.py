"""Reader benchmark with 50,000 stored articles (results in docs/benchmarks.md).

- start-up: process start to the first headline on screen, the real ``newsreader``
  command in tmux 120x40, polling ``capture-pane`` (median of 5 runs);
- sidebar key: one ``Down`` in the sidebar until the terminal shows the repaint, in
  tmux (median of many presses; the article pane and breadcrumb follow in that time);
- memory: the reader's peak RSS (VmHWM) after it has painted and settled;
- search: each letter typed after ``/`` until its results are on screen, in tmux;
- sidebar key during a refresh: ``Down`` presses while ``R`` reads every feed, each
  with ``--new`` new articles (the UI must not block while feeds arrive).

    .venv/bin/python bench/bench_ui.py [--articles 50000] [--runs 5] [--presses 200] [--new 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

FEEDS = 50
GROUPS = ("World", "Town", "Tech", "Science", "Culture")
WORDS = [
    "harbour",
    "council",
    "votes",
    "new",
    "ferry",
    "timetable",
    "after",
    "long",
    "debate",
    "over",
    "winter",
    "lights",
    "market",
    "bridge",
    "library",
    "choir",
    "river",
    "school",
    "storm",
    "pier",
    "train",
    "solar",
    "repair",
    "garden",
]


def build(folder: Path, articles: int) -> tuple[Path, Path]:
    """A feeds.yaml with FEEDS local feeds (files that need not exist) and a database
    holding ``articles`` articles spread over them."""
    from newsreader.config import load_config
    from newsreader.model import Article, Feed, FetchResult
    from newsreader.store import Store

    config = folder / "feeds.yaml"
    lines = ["settings:", "  refresh_minutes: 600", "feeds:"]
    for i in range(FEEDS):
        lines.append(f"  - {{name: Feed {i:02d}, path: feed{i:02d}.rss, group: {GROUPS[i % 5]}}}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "bench.db"
    per_feed = articles // FEEDS
    with Store.open(db) as store:
        store.sync_feeds(load_config(config).feeds)
        for f in range(FEEDS):
            items = []
            for a in range(per_feed):
                n = f * per_feed + a
                title = " ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(8))
                day = 1 + a % 28
                items.append(
                    Article(
                        id=f"f{f}-a{a}",
                        title=f"#{n} {title}",
                        link=f"https://bench.example/{n}",
                        published=f"2024-{1 + a // 28 % 12:02d}-{day:02d}T08:00:00+00:00",
                        text="A short body.\n\nSecond paragraph.",
                    )
                )
            store.save_result(
                f"Feed {f:02d}", FetchResult(Feed(f"Feed {f:02d}", None, "bench", tuple(items)))
            )
    return config, db


def first_headline(config: Path, db: Path, runs: int) -> tuple[list[float], int]:
    """Seconds from process start to the first headline in tmux, and peak RSS (KiB)."""
    exe = Path(sys.executable).parent / "newsreader"
    times: list[float] = []
    peak = 0
    for _ in range(runs):
        socket = f"nr-bench-{uuid.uuid4().hex[:8]}"
        tmux = ["tmux", "-L", socket]
        command = f"exec env -u COLUMNS -u LINES '{exe}' --config '{config}' --db '{db}'"
        start = time.perf_counter()
        subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", command], check=True)
        try:
            while True:
                screen = subprocess.run(
                    [*tmux, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
                if "●  #" in screen:  # a headline row is drawn
                    times.append(time.perf_counter() - start)
                    break
                if time.perf_counter() - start > 20:
                    raise SystemExit(f"no headline after 20 s:\n{screen}")
                time.sleep(0.005)
            time.sleep(2.0)  # let the refresh and the article pane settle, then read the peak
            pid = subprocess.run(
                [*tmux, "display", "-p", "#{pane_pid}"], capture_output=True, text=True
            ).stdout.strip()
            status = Path(f"/proc/{pid}/status").read_text()
            peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)
    return times, peak


class ReaderInTmux:
    """The real ``newsreader`` in a private tmux server, started and waited for."""

    def __init__(self, config: Path, db: Path) -> None:
        exe = Path(sys.executable).parent / "newsreader"
        self.tmux = ["tmux", "-L", f"nr-bench-{uuid.uuid4().hex[:8]}"]
        command = f"exec env -u COLUMNS -u LINES '{exe}' --config '{config}' --db '{db}'"
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-x", "120", "-y", "40", command], check=True
        )

    def __enter__(self) -> ReaderInTmux:
        deadline = time.perf_counter() + 20
        while "●  #" not in self.capture():
            if time.perf_counter() > deadline:
                self.close()
                raise SystemExit("the reader did not start")
            time.sleep(0.01)
        time.sleep(2.0)  # past the start-up refresh
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)

    def capture(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p"], capture_output=True, text=True
        ).stdout

    def send(self, key: str) -> None:
        subprocess.run([*self.tmux, "send-keys", key], check=True)

    def probe(self) -> float:
        """Milliseconds of one send-keys and one capture-pane on a ``cat`` window of the
        same server: the floor of :meth:`press_down`, measured next to each press so
        both see the same load on the machine."""
        if not getattr(self, "_probe", False):
            subprocess.run([*self.tmux, "new-window", "-d", "-n", "probe", "cat"], check=True)
            self._probe = True
        start = time.perf_counter()
        subprocess.run([*self.tmux, "send-keys", "-t", "probe", "x"], check=True)
        subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "probe"], capture_output=True)
        return (time.perf_counter() - start) * 1000

    def press_down(self, patience: float) -> float:
        """Milliseconds from sending ``Down`` until the screen changes."""
        before = self.capture()
        start = time.perf_counter()
        self.send("Down")
        while self.capture() == before:
            if time.perf_counter() - start > patience:
                raise SystemExit("no repaint after Down")
        return (time.perf_counter() - start) * 1000


def search_latency(config: Path, db: Path, query: str) -> list[float]:
    """Milliseconds from typing each letter of ``query`` after ``/`` until the top bar
    shows the search of what is typed so far (the results are in the sidebar by then:
    both are drawn in the one frame after the search), in tmux."""
    samples: list[float] = []
    with ReaderInTmux(config, db) as reader:
        reader.send("/")
        time.sleep(0.3)
        typed = ""
        for char in query:
            typed += char
            if char == " ":
                reader.send("Space")
                time.sleep(0.1)
                continue
            start = time.perf_counter()
            subprocess.run([*reader.tmux, "send-keys", "-l", char], check=True)
            while f"“{typed.strip()}”" not in reader.capture():
                if time.perf_counter() - start > 10:
                    raise SystemExit(f"no results for {typed!r}")
            samples.append((time.perf_counter() - start) * 1000)
            time.sleep(0.05)
    return samples


def key_latency(config: Path, db: Path, presses: int) -> tuple[list[float], list[float]]:
    """Milliseconds from sending ``Down`` to the sidebar until the terminal shows the
    change, in tmux (includes one ``send-keys`` and the capture polling), and the floor
    of each: a send and capture on a ``cat`` window right after it."""
    samples: list[float] = []
    floors: list[float] = []
    with ReaderInTmux(config, db) as reader:
        for _ in range(presses):
            samples.append(reader.press_down(patience=5))
            floors.append(reader.probe())
            time.sleep(0.02)
    return samples, floors


def write_feeds(folder: Path, items: int) -> None:
    """RSS files for the FEEDS feeds of :func:`build`, each with ``items`` new articles."""
    for f in range(FEEDS):
        entries = "".join(
            f"<item><guid>new-{f}-{a}</guid><title>Fresh {f}-{a} {WORDS[a % len(WORDS)]}</title>"
            f"<link>https://bench.example/new/{f}/{a}</link>"
            f"<pubDate>Mon, 0{1 + a % 9} Dec 2024 08:00:00 +0000</pubDate>"
            f"<description>A new body {a}.</description></item>"
            for a in range(items)
        )
        (folder / f"feed{f:02d}.rss").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f:02d}</title>'
            f"{entries}</channel></rss>",
            encoding="utf-8",
        )


def refresh_latency(config: Path, db: Path, items: int) -> tuple[list[float], float]:
    """Milliseconds per sidebar ``Down`` while ``R`` refreshes every feed, each with
    ``items`` new articles, and the seconds the refresh took (tmux, as above)."""
    write_feeds(config.parent, items)
    samples: list[float] = []
    with ReaderInTmux(config, db) as reader:
        reader.send("R")
        started = time.perf_counter()
        while "Refreshing" not in reader.capture().split("\n", 1)[0]:
            if time.perf_counter() - started > 5:
                raise SystemExit("the refresh did not start")
        while "Refreshing" in reader.capture().split("\n", 1)[0]:
            samples.append(reader.press_down(patience=10))
            time.sleep(0.02)
        took = time.perf_counter() - started
    return samples, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--new", type=int, default=200, help="new articles per feed for R")
    parser.add_argument(
        "--search", default="harbour lights", help="typed after / (letter by letter)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nr-bench-ui-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        config, db = build(folder, args.articles)
        print(f"built {args.articles:,} articles in {time.perf_counter() - t0:.1f} s")
        times, peak = first_headline(config, db, args.runs)
        keys, floors = key_latency(config, db, args.presses)
        typed = search_latency(config, db, args.search)
        during, took = refresh_latency(config, db, args.new)
    print(
        f"first headline on screen: median {statistics.median(times):.3f} s"
        f" (runs: {', '.join(f'{t:.3f}' for t in times)})"
    )
    print(
        f"sidebar Down: median {statistics.median(keys):.1f} ms,"
        f" p90 {statistics.quantiles(keys, n=10)[-1]:.1f} ms over {len(keys)} presses;"
        f" tmux send+capture alone, next to each press: {statistics.median(floors):.1f} ms;"
        f" the key less that floor: {statistics.median(keys) - statistics.median(floors):.1f} ms"
    )
    print(f"peak RSS: {peak / 1024:.0f} MB")
    print(
        f"each letter of {args.search!r} after /, to its results on screen:"
        f" median {statistics.median(typed):.1f} ms, max {max(typed):.1f} ms"
        f" ({', '.join(f'{t:.0f}' for t in typed)})"
    )
    if len(during) >= 2:
        print(
            f"sidebar Down during R ({FEEDS} feeds x {args.new} new articles, {took:.1f} s):"
            f" median {statistics.median(during):.1f} ms, max {max(during):.1f} ms"
            f" over {len(during)} presses"
        )
    else:
        print(f"R finished in {took:.1f} s, too fast to press Down during it")


if __name__ == "__main__":
    main()
