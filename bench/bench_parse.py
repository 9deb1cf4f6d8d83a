"""Feed parsing throughput: newsreader's parser against feedparser, in the same run.

    .venv/bin/python bench/bench_parse.py [CORPUS] [--repeat N]

CORPUS holds real/, enc/ and json/ (default: ../shared/corpus next to the repository,
when present). Prints medians over N repetitions, the ratio, the cost split between
the XML/JSON mapping and HTML conversion, and how far our reading of real/ agrees
with feedparser's (entry count, titles after whitespace folding, links).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsreader.errors import ParseError
from newsreader.formats import Kind, sniff
from newsreader.formats import feed as feedmod
from newsreader.model import Feed

FOLDERS = ("real", "enc", "json")
_WS = re.compile(r"\s+")


def load(corpus: Path, folder: str) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((corpus / folder).iterdir()) if p.is_file()]


def ours(folder: str, name: str, data: bytes) -> Feed | None:
    try:
        if sniff(data) is Kind.FEED_JSON:
            return feedmod.parse_json_feed(data, source=name, url=None)
        return feedmod.parse_xml_feed(data, source=name, url=None, content_type=None)
    except ParseError:
        return None


def theirs(folder: str, name: str, data: bytes) -> Any:
    import feedparser

    return feedparser.parse(data)


def timed(
    fn: Callable[[str, str, bytes], Any], folder: str, docs: list[tuple[str, bytes]]
) -> float:
    start = time.perf_counter()
    for name, data in docs:
        fn(folder, name, data)
    return time.perf_counter() - start


def ours_with_text(folder: str, name: str, data: bytes) -> Feed | None:
    """Parse, then every body and summary as plain text: what ``dump`` prints."""
    feed = ours(folder, name, data)
    for article in feed.articles if feed else ():
        article.text, article.summary  # noqa: B018
    return feed


def ours_stored(folder: str, name: str, data: bytes) -> Feed | None:
    """Parse, then text and Markdown of every body: what a first ``fetch`` stores."""
    feed = ours_with_text(folder, name, data)
    for article in feed.articles if feed else ():
        article.markdown  # noqa: B018
    return feed


def fold(value: str | None) -> str:
    return _WS.sub(" ", value or "").strip()


def agreement(docs: list[tuple[str, bytes]]) -> tuple[int, Counter[str], list[str]]:
    """Files on which we and feedparser agree, and the disagreements by category."""
    import feedparser

    agreed = 0
    categories: Counter[str] = Counter()
    examples: list[str] = []
    for name, data in docs:
        mine = ours("real", name, data)
        fp = feedparser.parse(data)
        fp_entries = fp.get("entries") or []
        my_articles = list(mine.articles) if mine else []
        problems = []
        if mine is None:
            none = " (feedparser reads none)" if not fp_entries else ""
            problems.append("we raise ParseError" + none)
        elif len(my_articles) != len(fp_entries):
            problems.append(_count_category(my_articles, fp_entries))
        else:
            for art, entry in zip(my_articles, fp_entries, strict=True):
                theirs_title = fold(entry.get("title"))
                if fold(art.title) != theirs_title:
                    problems.append(_title_category(art.title, theirs_title))
                    break
            for art, entry in zip(my_articles, fp_entries, strict=True):
                if (art.link or "") != (entry.get("link") or ""):
                    problems.append(_link_category(art.link, entry.get("link")))
                    break
        if problems:
            for problem in problems:
                categories[problem] += 1
            examples.append(f"{name}: {'; '.join(problems)}")
        else:
            agreed += 1
    return agreed, categories, examples


def _count_category(mine: list[Any], fp_entries: list[Any]) -> str:
    ids = [a.id for a in mine]
    fp_ids = [e.get("id") or e.get("link") for e in fp_entries]
    if len(set(fp_ids)) < len(fp_ids) and len(mine) == len(set(fp_ids)):
        return "entry count: repeated ids kept once (SPEC)"
    if len(ids) > len(fp_ids):
        return "entry count: we read more entries"
    return "entry count: we read fewer entries"


def _title_category(mine: str, fp_title: str) -> str:
    if re.search(r"<[a-zA-Z/]|&[#\w]+;", fp_title):
        return "title: feedparser keeps markup/entities, we give the text"
    if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in fp_title):
        return "title: control characters removed"
    if "\ufffd" in fp_title or "\ufffd" in mine:
        return "title: decoding differs"
    return "title: other"


def _link_category(mine: str | None, fp_link: str | None) -> str:
    if not fp_link:
        return "link: feedparser has none"
    if mine is None:
        if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", fp_link):
            return "link: relative with nothing to resolve against -> null"
        if not fp_link.startswith(("http:", "https:")):
            return "link: feedparser takes a urn:/tag: id as the link, we give null"
        return "link: we have none"
    if fold(mine) == fold(fp_link):
        return "link: whitespace inside the link"
    if mine.endswith(fp_link):
        return "link: relative, we resolve it against the channel link"
    return "link: other"


def main(argv: list[str] | None = None) -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (median)")
    parser.add_argument("--no-agreement", action="store_true", help="skip the agreement pass")
    args = parser.parse_args(argv)
    if not (args.corpus / "real").is_dir():
        print(f"bench_parse: {args.corpus}: no real/ folder (give the corpus)", file=sys.stderr)
        return 2

    import feedparser

    print(f"feedparser {feedparser.__version__}, corpus {args.corpus}, repeat {args.repeat}")
    total = Counter[str]()
    for folder in FOLDERS:
        docs = load(args.corpus, folder)
        size = sum(len(d) for _, d in docs) / 1e6
        crashes = []
        for name, data in docs:
            try:
                ours(folder, name, data)
            except Exception as exc:  # the robustness check: only ParseError may escape
                crashes.append(f"{name}: {type(exc).__name__}: {exc}")
        fp = [timed(theirs, folder, docs) for _ in range(args.repeat)]
        mine = [timed(ours, folder, docs) for _ in range(args.repeat)]
        text = [timed(ours_with_text, folder, docs) for _ in range(args.repeat)]
        stored = [timed(ours_stored, folder, docs) for _ in range(args.repeat)]
        f, m = statistics.median(fp), statistics.median(mine)
        t, s = statistics.median(text), statistics.median(stored)
        for key, value in (("fp", f), ("mine", m), ("text", t), ("stored", s), ("mb", size)):
            total[key] += value
        print(
            f"{folder:5} {len(docs):4} files {size:5.1f} MB | feedparser {f:6.2f} s "
            f"({size / f:4.1f} MB/s) | newsreader {m:6.3f} s ({size / m:5.1f} MB/s) "
            f"{f / m:5.1f}x | +text {t:6.3f} s {f / t:5.1f}x | +text+Markdown {s:6.3f} s "
            f"{f / s:4.1f}x"
        )
        for crash in crashes:
            print(f"  CRASH {crash}")
    print(
        f"all   {total['mb']:5.1f} MB | feedparser {total['fp']:.2f} s | newsreader "
        f"{total['mine']:.3f} s {total['fp'] / total['mine']:.1f}x | +text {total['text']:.3f} s "
        f"{total['fp'] / total['text']:.1f}x | +text+Markdown {total['stored']:.3f} s "
        f"{total['fp'] / total['stored']:.1f}x"
    )
    if not args.no_agreement:
        docs = load(args.corpus, "real")
        agreed, categories, examples = agreement(docs)
        print(f"AGREEMENT with feedparser on real/: {agreed}/{len(docs)} files")
        for category, count in categories.most_common():
            print(f"  {count:4}  {category}")
        for example in examples:
            print(f"  - {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
