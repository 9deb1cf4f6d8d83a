"""``kill -9`` of ``newsreader fetch`` at random moments: nothing committed is ever lost.

Builds FEEDS local RSS files in a temporary folder, fetches them once, marks articles
read and starred, then for each of ROUNDS rounds changes some feeds (new items,
edited items), starts the installed ``newsreader fetch``, marks more articles while
it runs, and kills it with SIGKILL at a random moment. After every kill the database
must open, pass ``PRAGMA integrity_check``, hold a search index in step with its
articles, and hold every read/starred flag set before the kill. Parser worker
processes the killed fetch leaves behind are counted (and then ended). Exits 1 when
anything was lost.

    .venv/bin/python bench/kill9.py [--rounds 20] [--feeds 24] [--items 150] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NEWSREADER = Path(sys.executable).parent / "newsreader"
WORDS = ("quay", "lantern", "orchard", "tram", "ferry", "council", "bakery", "storm", "archive")


def _item(rng: random.Random, guid: str, day: int, edit: int = 0) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
    return (
        f"<item><guid>{guid}</guid><title>{guid} {rng.choice(WORDS)} {edit}</title>"
        f"<link>https://news.invalid/{guid}</link>"
        f"<description>&lt;p&gt;{words} (revision {edit})&lt;/p&gt;</description>"
        f"<pubDate>{1 + day % 28:02d} Mar 2026 {day % 24:02d}:00:00 +0000</pubDate></item>"
    )


class Feeds:
    """The feed files; each round adds items to some and edits items of others."""

    def __init__(self, folder: Path, count: int, items: int, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.items = [[(f"f{f}-i{i}", i, 0) for i in range(items)] for f in range(count)]
        for index in range(count):
            self._write(index)

    def _write(self, index: int) -> None:
        body = "".join(_item(self.rng, g, d, e) for g, d, e in self.items[index])
        text = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {index}</title><link>https://news.invalid/{index}</link>"
            f"{body}</channel></rss>"
        )
        (self.folder / f"feed{index:03d}.xml").write_text(text, encoding="utf-8")

    def change(self, round_: int) -> None:
        for index in self.rng.sample(range(len(self.items)), k=max(1, len(self.items) // 2)):
            entries = self.items[index]
            if self.rng.random() < 0.5:
                entries.insert(0, (f"f{index}-r{round_}", 100 + round_, 0))
            else:
                for n in self.rng.sample(range(len(entries)), k=min(10, len(entries))):
                    guid, day, edit = entries[n]
                    entries[n] = (guid, day, edit + 1)
            self._write(index)

    def config(self) -> str:
        lines = ["feeds:"]
        lines += [
            f"  - {{name: 'Feed {i}', path: 'feeds/feed{i:03d}.xml'}}"
            for i in range(len(self.items))
        ]
        return "\n".join(lines) + "\n"


def _flags(db: Path) -> dict[int, tuple[int, int]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {k: (r, s) for k, r, s in con.execute("SELECT key, read, starred FROM articles")}
    finally:
        con.close()


def _integrity(db: Path) -> str:
    """SQLite's integrity check, then the search index against the articles."""
    con = sqlite3.connect(db)
    try:
        check = str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()
    if check != "ok":
        return check
    from newsreader.store import Store

    with Store.open(db) as store:
        return "ok" if store.search_index_in_step() else "the search index is out of step"


def _mark(db: Path, rng: random.Random, expected: dict[int, tuple[bool, bool]]) -> None:
    """Set read/starred through the project's Store (as the reader does) and remember them."""
    from newsreader.store import Store

    with Store.open(db) as store:
        keys = [h.key for h in store.headlines()]
        for key in rng.sample(keys, k=min(15, len(keys))):
            read, starred = expected.get(key, (False, False))
            if rng.random() < 0.6:
                read = not read
                store.set_read([key], read)
            else:
                starred = not starred
                store.set_starred(key, starred)
            expected[key] = (read, starred)


def _fetch(cwd: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(NEWSREADER), "fetch", "--config", "feeds.yaml", "--db", str(db)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _leftovers(pgid: int, grace: float) -> int:
    """Processes still in the killed fetch's session ``grace`` seconds after the kill
    (parser workers that did not notice); they are then ended."""
    time.sleep(grace)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return 0
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":  # zombies only wait for init
                count += 1
    os.killpg(pgid, signal.SIGKILL)
    return count


def run(rounds: int, feeds: int, items: int, seed: int, grace: float = 2.0) -> dict[str, object]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="newsreader-kill9-") as tmp:
        root = Path(tmp)
        (root / "feeds").mkdir()
        data = Feeds(root / "feeds", feeds, items, rng)
        (root / "feeds.yaml").write_text(data.config(), encoding="utf-8")
        db = root / "news.db"
        started = time.monotonic()
        first = _fetch(root, db)
        first.wait(timeout=300)
        full = time.monotonic() - started
        expected: dict[int, tuple[bool, bool]] = {}
        _mark(db, rng, expected)
        lost: list[str] = []
        killed_during = 0
        leftovers = 0
        kill_times: list[float] = []
        for round_ in range(rounds):
            data.change(round_)
            at = rng.uniform(0.05, full * 1.1)
            proc = _fetch(root, db)
            time.sleep(at / 2)
            _mark(db, rng, expected)  # while the fetch writes, as the reader would
            time.sleep(at / 2)
            if proc.poll() is None:
                killed_during += 1
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            if proc.stderr is not None:
                proc.stderr.close()
            leftovers += _leftovers(proc.pid, grace)
            kill_times.append(round(at, 3))
            check = _integrity(db)
            if check != "ok":
                lost.append(f"round {round_}: integrity_check: {check}")
            stored = _flags(db)
            for key, (read, starred) in expected.items():
                if stored.get(key, (None, None)) != (int(read), int(starred)):
                    lost.append(f"round {round_}: article {key}: {stored.get(key)} != flags set")
        final = _fetch(root, db)
        _, err = final.communicate(timeout=300)
        if final.returncode != 0:
            lost.append(f"fetch after the last kill: exit {final.returncode}: {err.decode()[:200]}")
        if _integrity(db) != "ok":
            lost.append("integrity_check failed after the final fetch")
        stored = _flags(db)
        lost += [
            f"after the final fetch: article {key} lost its flags"
            for key, (read, starred) in expected.items()
            if stored.get(key) != (int(read), int(starred))
        ]
        return {
            "rounds": rounds,
            "feeds": feeds,
            "items": items,
            "full_fetch_s": round(full, 3),
            "killed_while_running": killed_during,
            "kill_times_s": kill_times,
            "flags_checked": len(expected),
            "articles": len(stored),
            f"leftover_processes_after_{grace:g}_s": leftovers,
            "lost": lost,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--feeds", type=int, default=30)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--grace", type=float, default=2.0, help="seconds for orphans to exit")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    report = run(args.rounds, args.feeds, args.items, args.seed, args.grace)
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            if key != "lost":
                print(f"{key}: {value}")
        print("lost: nothing" if not report["lost"] else "LOST:")
        for line in report["lost"]:  # type: ignore[attr-defined]
            print(f"  {line}")
    return 1 if report["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
