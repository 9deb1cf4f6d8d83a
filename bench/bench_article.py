"""Article pane: time from ``show_article`` to the first screen painted, and memory.

Run: ``.venv/bin/python bench/bench_article.py [--runs N]``. Articles of 50 KB and
200 KB (UTF-8) are generated: English and Chinese paragraphs, headings, lists,
quotes, code, tables and many links. "Painted" is the moment the compositor's
update for the frame holding the article has been turned into terminal output.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult

from newsreader.model import Article, StoredArticle
from newsreader.ui.article.view import ArticleView
from newsreader.ui.themes import load_themes

REPO = Path(__file__).resolve().parents[1]
_WORDS = (
    *("harbour", "council", "market", "river", "ferry", "budget", "school", "bridge"),
    *("weather", "report", "night", "morning", "station", "museum", "lamp", "tide"),
    *("island", "vote", "street", "garden", "library"),
)
_HAN = "港口议会市场河流渡轮预算学校桥梁天气报告夜晚早晨车站博物馆灯潮汐岛屿投票街道花园图书馆"


def make_markdown(size: int, seed: int = 7) -> str:
    """An invented article of about ``size`` UTF-8 bytes with every block kind."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 90)))
        han = "".join(rng.choice(_HAN) for _ in range(rng.randint(60, 140)))
        chunk = (
            f"## Section {n}\n\n"
            f"{words} with a [source link](https://example.org/{n}) and **bold** text.\n\n"
            f"{han}，{han[:20]}。「{han[5:15]}」\n\n"
            f"- first point *emphasis* [ref](https://example.org/r{n})\n"
            f"- second point\n  - nested point `code`\n\n"
            f"> a quoted line from the story {n}\n\n"
            f"```\nvalue = {n}\nprint(value)\n```\n\n"
            f"| col | value |\n| --- | --- |\n| a{n} | {n * 3} |\n\n"
        )
        parts.append(chunk)
        total += len(chunk.encode("utf-8"))
    return "".join(parts)


class BenchApp(App[None]):
    def __init__(self, baseline: bool = False) -> None:
        super().__init__()
        themes, _ = load_themes([REPO / "themes"])
        for theme in themes:
            self.register_theme(theme)
        self.theme = "newsreader-dark"
        self.painted: asyncio.Event | None = None
        self.painted_at = 0.0
        self.expect = ""
        self.baseline = baseline

    def compose(self) -> ComposeResult:
        if self.baseline:
            from textual.widgets import TextArea

            yield TextArea(read_only=True, soft_wrap=True)
        else:
            yield ArticleView()

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None and self.painted is not None:
            output = renderable.render_segments(self.console)
            if self.expect not in output:
                super()._display(screen, renderable)
                return
            self.painted_at = time.perf_counter()
            self.painted.set()
            self.painted = None
        super()._display(screen, renderable)


def stored(markdown: str, n: int) -> StoredArticle:
    article = Article(
        id=f"a{n}",
        title=f"Benchmark article {n}: harbour lights and the night ferry",
        link=f"https://example.org/a{n}",
        published="2024-05-01T08:30:00+02:00",
        author="A. Writer",
        source="Example Outlet",
        markdown=markdown,
    )
    return StoredArticle(n, "Bench", article, False, False)


async def first_paint(app: BenchApp, view: ArticleView, item: StoredArticle) -> float:
    painted = app.painted = asyncio.Event()
    app.expect = f"Benchmark article {item.key}:"
    start = time.perf_counter()
    view.show_article(item, group="Bench", feed_name="Bench feed")
    await asyncio.wait_for(painted.wait(), 10)
    return app.painted_at - start


async def run(runs: int, size: tuple[int, int]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    app = BenchApp()
    async with app.run_test(size=size) as pilot:
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.pause()
        docs = {
            label: make_markdown(kb * 1024)
            for label, kb in (("1KB", 1), ("50KB", 50), ("200KB", 200))
        }
        for label, markdown in docs.items():
            times = []
            for n in range(runs):
                view.show_message("Loading", "next")
                await pilot.pause(0.05)
                gc.collect()
                times.append(await first_paint(app, view, stored(markdown, n)))
                await pilot.pause(0.05)
            results[label] = statistics.median(times)

        # Page-down latency and full layout in the 200 KB article.
        markdown = docs["200KB"]
        view.show_article(stored(markdown, 99), group="Bench", feed_name="Bench feed")
        await pilot.pause(0.05)
        pages = []
        for _ in range(runs):
            painted = app.painted = asyncio.Event()
            app.expect = ""
            start = time.perf_counter()
            await pilot.press("pagedown")
            await asyncio.wait_for(painted.wait(), 10)
            pages.append(app.painted_at - start)
        results["pagedown"] = statistics.median(pages)

        layouts = []
        for n in range(max(3, runs // 2)):
            view.show_article(stored(markdown, 200 + n), group="Bench", feed_name="Bench feed")
            start = time.perf_counter()
            view.laid_out_all()
            layouts.append(time.perf_counter() - start)
        results["full_layout_200KB"] = statistics.median(layouts)
        results["lines_200KB"] = len(view.shown_lines)

        gc.collect()
        tracemalloc.start()
        view.show_article(stored(markdown, 300), group="Bench", feed_name="Bench feed")
        first_screen = tracemalloc.get_traced_memory()[0]
        view.laid_out_all()
        full = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        results["mem_first_screen_MB"] = first_screen / 1e6
        results["mem_full_layout_MB"] = full / 1e6
    return results


async def run_baseline(runs: int, size: tuple[int, int]) -> float:
    """The same 200 KB in a read-only TextArea (the fastest stock widget measured)."""
    from textual.widgets import TextArea

    app = BenchApp(baseline=True)
    markdown = make_markdown(200 * 1024)
    times = []
    async with app.run_test(size=size) as pilot:
        area = app.query_one(TextArea)
        for n in range(runs):
            area.load_text("")
            await pilot.pause(0.05)
            gc.collect()
            painted = app.painted = asyncio.Event()
            app.expect = f"article {n}: harbour lights"
            start = time.perf_counter()
            area.load_text(f"Benchmark article {n}: harbour lights\n\n" + markdown)
            await asyncio.wait_for(painted.wait(), 30)
            times.append(app.painted_at - start)
            await pilot.pause(0.05)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--width", type=int, default=120)
    parser.add_argument("--height", type=int, default=40)
    args = parser.parse_args()
    res = asyncio.run(run(args.runs, (args.width, args.height)))
    baseline = asyncio.run(run_baseline(args.runs, (args.width, args.height)))
    print(f"article pane, {args.width}x{args.height}, median of {args.runs}")
    for label in ("1KB", "50KB", "200KB"):
        print(f"  show_article -> first screen painted, {label:>5}: {res[label] * 1000:6.1f} ms")
    print(
        f"  read-only TextArea, same 200 KB:          {baseline * 1000:6.1f} ms"
        f" (ArticleView is {baseline / res['200KB']:.0f}x faster)"
    )
    print(f"  page down painted (200 KB):              {res['pagedown'] * 1000:6.1f} ms")
    print(
        f"  whole 200 KB laid out at once:            {res['full_layout_200KB'] * 1000:6.1f} ms"
        f" ({res['lines_200KB']} lines)"
    )
    print(f"  memory after first screen (200 KB):       {res['mem_first_screen_MB']:6.2f} MB")
    print(f"  memory after whole layout (200 KB):       {res['mem_full_layout_MB']:6.2f} MB")


if __name__ == "__main__":
    main()
