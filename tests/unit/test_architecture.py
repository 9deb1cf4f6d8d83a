"""The commands that print and exit never load the UI: Textual costs start-up time, and
the import contracts (pyproject.toml, ``lint-imports``) only see imports written in the
source. This checks what a real run of each command leaves in ``sys.modules``, and that
a fetch loads only what its feeds need (start-up is most of a fetch where nothing
changed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsreader

SRC = Path(newsreader.__file__).resolve().parents[1]

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tiny Times</title><link>https://example.org/</link>
<item><title>First</title><link>https://example.org/1</link>
<description>&lt;p&gt;One &lt;b&gt;bold&lt;/b&gt; paragraph.&lt;/p&gt;</description>
<pubDate>Mon, 02 Dec 2024 10:00:00 GMT</pubDate></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Small Log</title>
<id>urn:small-log</id><updated>2024-12-02T10:00:00Z</updated>
<entry><title>Entry</title><id>urn:small-log:1</id><updated>2024-12-02T10:00:00Z</updated>
<content type="html">&lt;p&gt;Text with a &lt;a href="https://example.org/"&gt;link&lt;/a&gt;.&lt;/p&gt;</content>
</entry></feed>
"""

OPML = """<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
<outline text="Imported" title="Imported" type="rss" xmlUrl="https://example.org/feed.xml"/>
</body></opml>
"""

FEEDS = """settings:
  theme: newsreader-dark
feeds:
  - name: Tiny Times
    path: tiny.rss
    group: News
  - name: Small Log
    path: small.atom
"""

KEYS = """keys:
  next_unread: "n,ctrl+n"
"""

# Runs the CLI in this interpreter, then records what it loaded. The report goes to a
# file, so the command's own output (JSON, OPML, tables) cannot get in its way.
PROBE = """
import json, sys
from newsreader.cli import main
code = main(sys.argv[2:])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
ui = sorted(m for m in sys.modules if m == "newsreader.ui" or m.startswith("newsreader.ui."))
modules = sorted(sys.modules)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "textual": loaded[:5], "ui": ui, "modules": modules}, out)
"""

# What a fetch of local files needs only when a file changed (the parse stage and its
# dataclasses, the event loop, worker processes), or for http(s) feeds and plugins only.
FOR_CHANGED_FILES = [
    "asyncio",
    "concurrent.futures",
    "dataclasses",
    "feedparser",
    "lxml",
    "multiprocessing",
    "newsreader.formats",
    "newsreader.parse_stage",
    "newsreader.refresh",
]
FOR_THE_WEB_AND_PLUGINS = ["httpx", "importlib.metadata", "newsreader.sources.http"]


def _write_config(tmp_path: Path, *, keys: bool) -> Path:
    (tmp_path / "tiny.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "small.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "subscriptions.opml").write_text(OPML, encoding="utf-8")
    config = tmp_path / "feeds.yaml"
    config.write_text(FEEDS + (KEYS if keys else ""), encoding="utf-8")
    return config


def _commands(tmp_path: Path, config: Path) -> dict[str, list[str]]:
    db = ["--db", str(tmp_path / "news.db")]
    cfg = ["--config", str(config)]
    return {
        "fetch": ["fetch", *cfg, *db],
        "dump": ["dump", str(tmp_path / "tiny.rss")],
        "list": ["list", *cfg, *db],
        "opml export": ["opml", "export", *cfg],
        "opml import": ["opml", "import", str(tmp_path / "subscriptions.opml"), *cfg],
        "config check": ["config", "check", *cfg],
    }


def _probe(tmp_path: Path, argv: list[str]) -> dict[str, object]:
    report = tmp_path / "report.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and report.exists(), done.stderr
    result: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    # The command must have done its work, or "nothing loaded" would prove nothing.
    assert result["code"] == 0, done.stdout + done.stderr
    return result


COMMANDS = ["fetch", "dump", "list", "opml export", "opml import", "config check"]


@pytest.mark.parametrize("keys", [False, True], ids=["plain", "with-keys"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_that_prints_leaves_the_ui_unloaded(
    tmp_path: Path, command: str, keys: bool
) -> None:
    config = _write_config(tmp_path, keys=keys)
    if command in ("list", "opml export"):
        # Something in the store and the config to show: the work the command really does.
        _probe(tmp_path, _commands(tmp_path, config)["fetch"])
    result = _probe(tmp_path, _commands(tmp_path, config)[command])
    assert result["textual"] == [], f"{command} loaded Textual: {result['textual']}"
    assert result["ui"] == [], f"{command} loaded the UI package: {result['ui']}"


def _loaded(result: dict[str, object], names: list[str]) -> list[str]:
    modules = result["modules"]
    assert isinstance(modules, list)
    return [n for n in names if n in modules]


def test_a_fetch_of_a_few_local_files_loads_no_http_client_entry_points_or_pool(
    tmp_path: Path,
) -> None:
    config = _write_config(tmp_path, keys=False)
    result = _probe(tmp_path, _commands(tmp_path, config)["fetch"])
    assert _loaded(result, ["newsreader.parse_stage", "lxml"]), "the probe parsed nothing"
    assert _loaded(result, FOR_THE_WEB_AND_PLUGINS) == []
    # Two feeds parse on the run's thread: no worker pool, so none of its machinery.
    assert _loaded(result, ["concurrent.futures.process", "multiprocessing"]) == []


def test_a_fetch_where_no_file_changed_loads_neither_parsers_nor_an_event_loop(
    tmp_path: Path,
) -> None:
    """Regression guard: these imports were most of such a fetch's time (0.43 s for
    200 unchanged feeds, against 0.18 s for newsraft)."""
    config = _write_config(tmp_path, keys=False)
    fetch = _commands(tmp_path, config)["fetch"]
    _probe(tmp_path, fetch)
    result = _probe(tmp_path, fetch)
    assert _loaded(result, ["newsreader.unchanged", "newsreader.store"]), "no fetch ran"
    assert _loaded(result, FOR_CHANGED_FILES + FOR_THE_WEB_AND_PLUGINS) == []
