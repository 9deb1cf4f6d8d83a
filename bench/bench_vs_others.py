"""newsreader against other readers, on inputs this script builds, in one run.

Inputs (a temporary folder): 200 RSS files of 200 items each (HTML descriptions of
about 50 to 500 bytes), one feed of 2,000 items and one of 10,000.

1. Fetch: the installed ``newsreader fetch`` against newsboat 2.x
   (``newsboat -u URLS -c CACHE -x reload`` over ``file://`` URLs; its default
   ``reload-threads 1`` and, as a second row, ``reload-threads 2``), each on the
   200-feed set, the 2,000-item feed and the 10,000-item feed. "cold" starts from
   an empty database/cache, "warm" repeats it with nothing changed. Runs are
   interleaved round by round, so load changes hit every reader alike. Skipped
   with a note when newsboat is not installed.
2. Parsing: newsreader's ``parse_document`` against feedparser (and fastfeedparser
   when installed) on the same files, each in a fresh process: "cold" is the first
   pass (imports included), "warm" the median of later passes.

Every figure is a median over RUNS; ratios are other/newsreader (above 1: newsreader
is faster). Peak memory is the largest summed RSS of the process and its children,
sampled every 20 ms.

    .venv/bin/python bench/bench_vs_others.py [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_fetch import WORDS  # one vocabulary for every generated benchmark feed

NEWSREADER = Path(sys.executable).parent / "newsreader"


# -- inputs ------------------------------------------------------------------------------


def _description(rng: random.Random) -> str:
    """Escaped HTML of about 50 to 500 bytes, as feeds commonly carry."""
    sentences = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize() + "."
        for _ in range(rng.randint(1, 3))
    ]
    body = " ".join(sentences)
    if rng.random() < 0.3:
        body += f' <a href="https://news.invalid/more/{rng.randint(1, 9999)}">More</a>'
    if rng.random() < 0.3:
        body = f"<strong>{rng.choice(WORDS).title()}:</strong> {body}"
    html = f"<p>{body}</p>"
    if rng.random() < 0.2:
        html += f'<img src="https://news.invalid/img/{rng.randint(1, 999)}.jpg" alt="">'
    return html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_feed(rng: random.Random, index: int, items: int) -> str:
    entries = []
    for n in range(items):
        day = 1 + n % 28
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()
        entries.append(
            f"<item><title>{title}</title><link>https://news.invalid/{index}/{n}</link>"
            f'<guid isPermaLink="false">feed{index}-item{n}</guid>'
            f"<pubDate>{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][n % 7]}, "
            f"{day:02d} Mar 2026 {n % 24:02d}:{n % 60:02d}:00 +0000</pubDate>"
            f"<description>{_description(rng)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Feed {index}</title><link>https://news.invalid/{index}/</link>"
        f"<description>Generated feed {index}</description>{''.join(entries)}</channel></rss>\n"
    )


def build_inputs(root: Path) -> dict[str, list[Path]]:
    rng = random.Random(2026)
    sets: dict[str, list[Path]] = {}
    folder = root / "feeds200"
    folder.mkdir()
    sets["200 feeds x 200 items"] = []
    for i in range(200):
        path = folder / f"feed{i:03d}.xml"
        path.write_text(make_feed(rng, i, 200), encoding="utf-8")
        sets["200 feeds x 200 items"].append(path)
    for items in (2000, 10000):
        path = root / f"feed{items}.xml"
        path.write_text(make_feed(rng, 1000 + items, items), encoding="utf-8")
        sets[f"1 feed x {items:,} items"] = [path]
    return sets


# -- measuring processes -------------------------------------------------------------------


_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def _group_sample(pgid: int, cpu: dict[int, float]) -> int:
    """Summed RSS (bytes) of the process group; records each member's CPU seconds."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                stat = handle.read()
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[2]) == pgid:
                total += int(fields[21]) * _PAGE
                cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, ValueError, IndexError):
            continue
    return total


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall time, CPU of the process and its children, and peak summed RSS (MB).

    CPU is the larger of what the finished children report and the sum sampled from
    /proc: parser worker processes are not always reaped through the process we wait for.
    """
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    peak = 0
    sampled: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _group_sample(proc.pid, sampled))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err.decode()[-500:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    cpu = max(cpu, sum(sampled.values()))
    return {"wall": wall, "cpu": cpu, "peak_mb": peak / 1e6}


# -- fetch: newsreader and newsboat ----------------------------------------------------------


class NewsreaderFetch:
    name = "newsreader fetch"

    def __init__(self, work: Path, files: list[Path]) -> None:
        self.config = work / "feeds.yaml"
        self.db = work / "news.db"
        lines = ["settings: {max_articles: null}", "feeds:"]
        lines += [f"  - {{name: 'feed {i}', path: '{p}'}}" for i, p in enumerate(files)]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)

    def run(self) -> dict[str, float]:
        return timed([str(NEWSREADER), "fetch", "--config", str(self.config), "--db", str(self.db)])

    def stored(self) -> int:
        import sqlite3

        with sqlite3.connect(self.db) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])


class NewsboatReload:
    def __init__(self, work: Path, files: list[Path], threads: int) -> None:
        self.name = f"newsboat reload (reload-threads {threads})"
        self.home = work / "home"
        (self.home / ".newsboat").mkdir(parents=True)
        self.urls = work / "urls"
        self.urls.write_text("".join(f"file://{p}\n" for p in files), encoding="utf-8")
        self.conf = work / "config"
        self.conf.write_text(f"reload-threads {threads}\n", encoding="utf-8")
        self.cache = work / "cache.db"

    def reset(self) -> None:
        for suffix in ("", "-journal", ".lock"):
            Path(f"{self.cache}{suffix}").unlink(missing_ok=True)

    def run(self) -> dict[str, float]:
        env = {**os.environ, "HOME": str(self.home)}
        cmd = ["newsboat", "-C", str(self.conf), "-u", str(self.urls), "-c", str(self.cache)]
        return timed([*cmd, "-x", "reload"], env=env)

    def stored(self) -> int:
        import sqlite3

        with sqlite3.connect(self.cache) as con:
            return int(con.execute("SELECT count(*) FROM rss_item").fetchone()[0])


def bench_fetch(sets: dict[str, list[Path]], root: Path, runs: int) -> dict[str, Any]:
    have_newsboat = shutil.which("newsboat") is not None
    results: dict[str, Any] = {}
    for label, files in sets.items():
        work = root / ("fetch-" + label.replace(" ", "_").replace(",", ""))
        readers: list[Any] = []
        (work / "nr").mkdir(parents=True)
        readers.append(NewsreaderFetch(work / "nr", files))
        if have_newsboat:
            for threads in (1, 2):
                (work / f"nb{threads}").mkdir()
                readers.append(NewsboatReload(work / f"nb{threads}", files, threads))
        figures: dict[str, dict[str, list[dict[str, float]]]] = {
            r.name: {"cold": [], "warm": []} for r in readers
        }
        stored: dict[str, int] = {}
        for _ in range(runs):
            for reader in readers:
                reader.reset()
                figures[reader.name]["cold"].append(reader.run())
                figures[reader.name]["warm"].append(reader.run())
                stored[reader.name] = reader.stored()
        results[label] = {
            name: {
                phase: {
                    key: statistics.median(m[key] for m in measures)
                    for key in ("wall", "cpu", "peak_mb")
                }
                for phase, measures in phases.items()
            }
            | {"items_stored": stored[name]}
            for name, phases in figures.items()
        }
        if not have_newsboat:
            results[label]["note"] = "newsboat is not installed: skipped (apt-get install newsboat)"
    return results


# -- parsing: newsreader's parser and feedparser, in fresh processes --------------------------

_PARSE_WORKER = """
import json, resource, statistics, sys, time
kind, runs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
data = [open(f, "rb").read() for f in files]
started = time.perf_counter()
if kind == "newsreader":
    from newsreader.formats import parse_document
    def parse(blob, name):
        return len(parse_document(blob, source=name).articles)
elif kind == "feedparser":
    import feedparser
    def parse(blob, name):
        return len(feedparser.parse(blob).entries)
else:
    import fastfeedparser
    def parse(blob, name):
        return len(fastfeedparser.parse(blob).entries)
items = sum(parse(b, f) for b, f in zip(data, files))
cold = time.perf_counter() - started
warm = []
for _ in range(runs):
    t = time.perf_counter()
    sum(parse(b, f) for b, f in zip(data, files))
    warm.append(time.perf_counter() - t)
print(json.dumps({"cold": cold, "warm": statistics.median(warm), "items": items,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}))
"""


def _parsers() -> list[str]:
    found = ["newsreader", "feedparser"]
    probe = subprocess.run(
        [sys.executable, "-c", "import fastfeedparser"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        found.append("fastfeedparser")
    return found


def bench_parse(sets: dict[str, list[Path]], runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    kinds = _parsers()
    for label, files in sets.items():
        passes = 1 if len(files) > 1 else 3
        figures: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
        for _ in range(runs):
            for kind in kinds:
                out = subprocess.run(
                    [sys.executable, "-c", _PARSE_WORKER, kind, str(passes), *map(str, files)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures[kind].append(json.loads(out.stdout))
        results[label] = {
            kind: {
                key: statistics.median(m[key] for m in measures)
                for key in ("cold", "warm", "peak_mb", "items")
            }
            for kind, measures in figures.items()
        }
    return results


# -- report ------------------------------------------------------------------------------------


def _ratio(other: float, ours: float) -> str:
    return f"{other / ours:.2f}x" if ours > 0 else "-"


def report(fetch: dict[str, Any], parse: dict[str, Any], runs: int) -> str:
    lines = [
        f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores); medians of {runs} runs",
        "",
        "## Fetch (wall s / CPU s / peak MB; ratio = other / newsreader, wall)",
        "",
        "| input | reader | cold wall | cold CPU | cold peak | warm wall | warm CPU | warm peak"
        " | items | cold ratio | warm ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, readers in fetch.items():
        ours = readers["newsreader fetch"]
        for name, fig in readers.items():
            if name == "note":
                continue
            cold, warm = fig["cold"], fig["warm"]
            lines.append(
                f"| {label} | {name} | {cold['wall']:.2f} | {cold['cpu']:.2f} |"
                f" {cold['peak_mb']:.0f} | {warm['wall']:.2f} | {warm['cpu']:.2f} |"
                f" {warm['peak_mb']:.0f} | {fig['items_stored']:,} |"
                f" {_ratio(cold['wall'], ours['cold']['wall'])} |"
                f" {_ratio(warm['wall'], ours['warm']['wall'])} |"
            )
        if "note" in readers:
            lines.append(f"| {label} | newsboat | {readers['note']} |||||||||")
    lines += [
        "",
        "## Parsing (s; cold = first pass in a fresh process incl. imports, warm = later pass)",
        "",
        "| input | parser | cold | warm | peak MB | items | warm ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, kinds in parse.items():
        ours = kinds["newsreader"]
        for kind, fig in kinds.items():
            lines.append(
                f"| {label} | {kind} | {fig['cold']:.3f} | {fig['warm']:.3f} |"
                f" {fig['peak_mb']:.0f} | {int(fig['items']):,} |"
                f" {_ratio(fig['warm'], ours['warm'])} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--skip-parse", action="store_true", help="fetch only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsreader-vs-") as tmp:
        root = Path(tmp)
        sets = build_inputs(root)
        size = sum(p.stat().st_size for files in sets.values() for p in files)
        print(f"inputs: {size / 1e6:.1f} MB in {sum(len(f) for f in sets.values())} files")
        fetch = bench_fetch(sets, root, args.runs)
        parse = {} if args.skip_parse else bench_parse(sets, args.runs)
    print(report(fetch, parse, args.runs))
    if args.json:
        args.json.write_text(json.dumps({"fetch": fetch, "parse": parse}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
