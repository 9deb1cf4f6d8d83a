"""newsreader against newsraft and newsboat at a year of news, in one run.

Sets (built in a temporary folder with ``bench_fetch.generate``): 200 feeds x 200
items, and 1,000 feeds x 200 items (200,000 items). For each reader, round by round
(so load changes hit every reader alike): a cold fetch into an empty database, a warm
one with nothing changed, and a re-read after one new item was added to every feed;
wall time, CPU, peak summed RSS of the process group, and the database size after the
cold fetch (with its WAL). Then newsreader's headless reads on 50,000 stored articles:
``list`` and ``list --json``.

newsraft is not packaged in Debian 12: give its binary with ``--newsraft BIN``, or a
source tree with ``--newsraft-src DIR`` (built here with ``make``; it needs libcurl,
expat, gumbo and sqlite3 headers). newsboat comes from ``apt-get install newsboat``.
A reader that is absent is skipped with a note.

    .venv/bin/python bench/bench_speed.py [--runs 3] [--newsraft-src DIR] [--big 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_fetch import add_one_item, generate
from bench_vs_others import NEWSREADER, NewsboatReload, timed


class Newsreader:
    name = "newsreader"

    def __init__(self, work: Path, config: Path) -> None:
        self.config = config
        self.db = work / "news.db"

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)

    def run(self) -> dict[str, float]:
        return timed([str(NEWSREADER), "fetch", "--config", str(self.config), "--db", str(self.db)])

    def size(self) -> int:
        return sum(_size(Path(f"{self.db}{s}")) for s in ("", "-wal"))


class Newsraft:
    name = "newsraft"

    def __init__(self, work: Path, files: list[Path], binary: Path) -> None:
        self.binary = binary
        self.feeds = work / "feeds"
        self.feeds.write_text("".join(f"file://{p}\n" for p in files), encoding="utf-8")
        self.conf = work / "config"
        self.conf.write_text("", encoding="utf-8")
        self.db = work / "newsraft.db"

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)

    def run(self) -> dict[str, float]:
        args = ["-f", str(self.feeds), "-c", str(self.conf), "-d", str(self.db)]
        return timed([str(self.binary), *args, "-e", "reload-all"])

    def size(self) -> int:
        return sum(_size(Path(f"{self.db}{s}")) for s in ("", "-wal"))


class Newsboat(NewsboatReload):
    def __init__(self, work: Path, files: list[Path]) -> None:
        super().__init__(work, files, threads=2)
        self.name = "newsboat (2 threads)"

    def size(self) -> int:
        return _size(self.cache)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def build_newsraft(source: Path, work: Path) -> Path:
    """newsraft built from ``source`` in a copy under ``work``."""
    tree = work / "newsraft-src"
    shutil.copytree(source, tree)
    subprocess.run(["make", "-j2"], cwd=tree, check=True, capture_output=True)
    return tree / "newsraft"


def bench_set(root: Path, feeds: int, items: int, runs: int, newsraft: Path | None) -> Any:
    folder = root / f"set-{feeds}x{items}"
    folder.mkdir()
    config, size = generate(folder, feeds, items)
    files = [folder / "feeds" / f"feed{i:03d}.xml" for i in range(feeds)]
    readers: list[Any] = []
    for name in ("nr", "nb", "raft"):
        (folder / name).mkdir()
    readers.append(Newsreader(folder / "nr", config))
    if newsraft is not None:
        readers.append(Newsraft(folder / "raft", files, newsraft))
    if shutil.which("newsboat"):
        readers.append(Newsboat(folder / "nb", files))
    phases = ("cold", "warm", "re-read")
    figures: dict[str, dict[str, list[dict[str, float]]]] = {
        r.name: {p: [] for p in phases} for r in readers
    }
    sizes: dict[str, list[int]] = {r.name: [] for r in readers}
    for _ in range(runs):
        for reader in readers:
            reader.reset()
            figures[reader.name]["cold"].append(reader.run())
            sizes[reader.name].append(reader.size())
            figures[reader.name]["warm"].append(reader.run())
            originals = add_one_item(folder, feeds)
            figures[reader.name]["re-read"].append(reader.run())
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")
    return {
        "label": f"{feeds} feeds x {items} items ({feeds * items:,}, {size / 1e6:.0f} MB of RSS)",
        "readers": {
            name: {
                phase: {k: statistics.median(m[k] for m in ms) for k in ("wall", "cpu", "peak_mb")}
                for phase, ms in by_phase.items()
            }
            | {"db_mb": statistics.median(sizes[name]) / 1e6}
            for name, by_phase in figures.items()
        },
    }


def bench_list(root: Path, runs: int, feeds: int = 250, items: int = 200) -> dict[str, Any]:
    """``list`` and ``list --json`` on feeds x items stored articles."""
    folder = root / "list"
    folder.mkdir()
    config, _ = generate(folder, feeds, items)
    db = folder / "news.db"
    subprocess.run(
        [str(NEWSREADER), "fetch", "--config", str(config), "--db", str(db)],
        check=True, capture_output=True,
    )  # fmt: skip
    out: dict[str, Any] = {"articles": feeds * items}
    for label, extra in (("list", []), ("list --json", ["--json"])):
        cmd = [str(NEWSREADER), "list", *extra, "--config", str(config), "--db", str(db)]
        measures = [timed(cmd) for _ in range(runs)]
        out[label] = {k: statistics.median(m[k] for m in measures) for k in ("wall", "peak_mb")}
    return out


def report(sets: list[Any], listing: dict[str, Any], runs: int, notes: list[str]) -> str:
    lines = [f"medians of {runs} runs; ratio = newsreader / other (below 1: newsreader faster)"]
    lines += notes
    for result in sets:
        lines += ["", f"### {result['label']}", ""]
        lines.append("| reader | cold | warm | re-read (+1 each) | peak RSS, cold | database |")
        lines.append("|---|---|---|---|---|---|")
        readers = result["readers"]
        ours = readers["newsreader"]
        for name, fig in readers.items():
            cells = []
            for phase in ("cold", "warm", "re-read"):
                cell = f"{fig[phase]['wall']:.2f} s"
                if name != "newsreader":
                    cell += f" (ratio {ours[phase]['wall'] / fig[phase]['wall']:.2f})"
                cells.append(cell)
            db = f"{fig['db_mb']:.0f} MB"
            if name != "newsreader":
                db += f" (ratio {ours['db_mb'] / fig['db_mb']:.2f})"
            peak = f"{fig['cold']['peak_mb']:.0f} MB"
            lines.append(f"| {name} | {' | '.join(cells)} | {peak} | {db} |")
    lines += ["", f"### headless reads, {listing['articles']:,} stored articles", ""]
    lines += ["| command | wall | peak RSS |", "|---|---|---|"]
    for label in ("list", "list --json"):
        fig = listing[label]
        lines.append(f"| `{label}` | {fig['wall']:.2f} s | {fig['peak_mb']:.0f} MB |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--newsraft", type=Path, help="a newsraft binary")
    parser.add_argument("--newsraft-src", type=Path, help="a newsraft source tree to build")
    parser.add_argument("--big", type=int, default=1000, help="feeds of 200 items in the big set")
    args = parser.parse_args()
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nr-speed-") as tmp:
        root = Path(tmp)
        newsraft: Path | None = args.newsraft
        if newsraft is None and args.newsraft_src is not None:
            newsraft = build_newsraft(args.newsraft_src, root)
        if newsraft is None:
            notes.append("newsraft: not given (--newsraft BIN or --newsraft-src DIR): skipped")
        if shutil.which("newsboat") is None:
            notes.append("newsboat: not installed (apt-get install newsboat): skipped")
        notes.append(f"load average at the start: {os.getloadavg()[0]:.2f}")
        sets = [bench_set(root, 200, 200, args.runs, newsraft)]
        if args.big:
            sets.append(bench_set(root, args.big, 200, max(1, args.runs // 2), newsraft))
        listing = bench_list(root, args.runs)
    print(report(sets, listing, args.runs, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
