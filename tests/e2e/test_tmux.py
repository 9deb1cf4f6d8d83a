"""The real ``newsreader`` command in a real terminal (tmux): start, move, open, quit."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

NEWSREADER = Path(sys.executable).parent / "newsreader"


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quay Notes</title><link>https://quay.example.org/</link>
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><link>https://{site}.example.org/{n}</link><guid>q{n}</guid>
<pubDate>{date}</pubDate><description>{body}</description></item>"""


def _feed(path: Path, items: list[tuple[str, str, str]]) -> None:
    """A feed whose links are its own (one link in two feeds is one story)."""
    body = "\n".join(
        ITEM.format(site=path.stem, n=i, title=t, date=d, body=b)
        for i, (t, d, b) in enumerate(items, 1)
    )
    path.write_text(RSS.format(items=body), encoding="utf-8")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Runs tmux on a private socket; the server is killed at the end."""
    socket = f"nr-e2e-{uuid.uuid4().hex[:8]}"

    def run(*args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=20
        )
        return done.stdout

    yield run
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=20)


def wait_for(
    tmux: Callable[..., str], predicate: Callable[[str], bool], timeout: float = 15
) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "reader")
        if predicate(screen):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"timed out; the screen shows:\n{screen}")


def test_reader_in_a_real_terminal(tmux: Callable[..., str], tmp_path: Path) -> None:
    _feed(
        tmp_path / "quay.rss",
        [
            ("Harbour crane lifts its first boat", "Thu, 14 Mar 2024 09:00:00 +0000",
             "The new crane lifted a fishing boat out of the water."),
            ("Night market stays open until ten", "Wed, 13 Mar 2024 18:00:00 +0000",
             "Stallholders voted to extend the hours."),
            ("Seal spotted near the ferry ramp", "Tue, 12 Mar 2024 07:30:00 +0000",
             "A grey seal rested on the ramp for an hour."),
        ],
    )  # fmt: skip
    _feed(
        tmp_path / "hill.rss",
        [("Hill path reopens after repairs", "Mon, 11 Mar 2024 10:00:00 +0000",
          "Walkers can use the upper path again.")],
    )  # fmt: skip
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "feeds:\n"
        "  - {name: Quay Notes, path: quay.rss, group: Town}\n"
        "  - {name: Hill Walks, path: hill.rss, group: Outdoors}\n",
        encoding="utf-8",
    )
    db = tmp_path / "reader.db"
    # COLUMNS/LINES from the test runner would pin the app to their size, not the pane's.
    command = (
        f"env -u COLUMNS -u LINES '{NEWSREADER}' --config '{config}' --db '{db}';"
        " echo EXITED-$?; sleep 30"
    )
    tmux("new-session", "-d", "-s", "reader", "-x", "120", "-y", "40", command)

    screen = wait_for(tmux, lambda s: "Harbour crane lifts" in s and "Hill path" in s)
    assert "▾ Town" in screen and "▾ Outdoors" in screen
    assert "The new crane lifted a fishing boat" in screen  # the pane follows the cursor

    tmux("send-keys", "-t", "reader", "j")
    screen = wait_for(tmux, lambda s: "Stallholders voted" in s)
    assert "Town › Quay Notes › Night market stays open until ten" in screen

    tmux("send-keys", "-t", "reader", "k")
    wait_for(tmux, lambda s: "The new crane lifted" in s)

    tmux("send-keys", "-t", "reader", "Enter")  # opens and marks read: the count drops
    wait_for(tmux, lambda s: any("Quay Notes" in line and " 2 " in line for line in s.splitlines()))

    tmux("send-keys", "-t", "reader", "Tab", "j")  # j works from the article pane too
    wait_for(tmux, lambda s: "Stallholders voted" in s)

    tmux("send-keys", "-t", "reader", "n", "n")  # next unread across feeds
    wait_for(tmux, lambda s: "Walkers can use the upper path" in s)
    tmux("send-keys", "-t", "reader", "p")
    wait_for(tmux, lambda s: "A grey seal rested" in s)

    tmux("send-keys", "-t", "reader", "?")
    screen = wait_for(tmux, lambda s: "Next unread article, across feeds" in s)
    assert "List every key" in screen and "Keys" in screen, screen
    tmux("send-keys", "-t", "reader", "Escape")
    wait_for(tmux, lambda s: "List every key" not in s)

    tmux("send-keys", "-t", "reader", "q")
    wait_for(tmux, lambda s: "EXITED-0" in s)


HOSTILE_TITLES = [
    "Retitle \x1b]2;PWNED\x07 here",
    "Clipboard \x1b]52;c;cHduZWQ=\x07 grab",
    "[link=https://evil.example.org]click[/link] me",
    "Eight-bit \x9d2;PWNED\x9c and \x1b[31mred\x1b[0m",
    "Hyperlink \x1b]8;;https://evil.example.org\x1b\\text\x1b]8;;\x1b\\",
]


def test_hostile_titles_change_neither_the_pane_title_nor_the_clipboard(
    tmux: Callable[..., str], tmp_path: Path
) -> None:
    """Escape sequences in feed text (OSC 2 title, OSC 52 clipboard, OSC 8 links, C1
    controls) and Rich markup reach the terminal as neither sequences nor markup."""
    import json

    items = [
        {
            "id": str(n),
            "title": title,
            "content_text": f"Body {n} \x1b]2;PWNED\x07 \x1b]52;c;eA==\x07",
        }
        for n, title in enumerate(HOSTILE_TITLES, 1)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "T \x1b]2;PWNED\x07",
        "items": items,
    }
    (tmp_path / "hostile.json").write_text(json.dumps(feed), encoding="utf-8")
    raw = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Raw</title>'
        "<item><guid>r1</guid><title>Raw \x1b]2;PWNED\x07 title</title>"
        "<description>raw \x1b]52;c;cHduZWQ=\x07</description></item></channel></rss>"
    )
    (tmp_path / "hostile.rss").write_bytes(raw.encode())

    tmux("new-session", "-d", "-s", "reader", "-x", "120", "-y", "40", "sleep 120")
    tmux("set", "-g", "set-clipboard", "on")
    # The check can fail: a shell printing the same sequences does change both.
    tmux("new-window", "-d", "-t", "reader", "-n", "probe",
         r"printf '\033]2;PROBE\007\033]52;c;cHJvYmU=\007'; sleep 60")  # fmt: skip
    deadline = time.monotonic() + 10
    while "PROBE" not in tmux("display", "-p", "-t", "reader:probe", "#{pane_title}"):
        assert time.monotonic() < deadline, "tmux did not take the probe's title"
        time.sleep(0.05)
    buffers = tmux("list-buffers")
    assert "probe" in buffers
    title = tmux("display", "-p", "-t", "reader:0", "#{pane_title}")

    command = (
        f"env -u COLUMNS -u LINES '{NEWSREADER}' open '{tmp_path / 'hostile.json'}'"
        f" '{tmp_path / 'hostile.rss'}'; echo EXITED-$?; sleep 30"
    )
    tmux("respawn-pane", "-k", "-t", "reader:0", command)
    screen = wait_for(tmux, lambda s: "Retitle here" in s and "Raw title" in s)
    assert "[link=https://evil.exam" in screen  # markup shown as text
    for key in ["j", "j", "j", "j", "j", "Enter", "Tab", "Tab", "question_mark"]:
        tmux("send-keys", "-t", "reader:0", "?" if key == "question_mark" else key)
        time.sleep(0.2)
    wait_for(tmux, lambda s: "List every key" in s)
    tmux("send-keys", "-t", "reader:0", "Escape")
    screen = wait_for(tmux, lambda s: "List every key" not in s and "Raw title" in s)

    assert tmux("display", "-p", "-t", "reader:0", "#{pane_title}") == title
    assert tmux("list-buffers") == buffers
    assert "PWNED" not in screen and "EXITED" not in screen  # still running
    tmux("send-keys", "-t", "reader:0", "q")
    wait_for(tmux, lambda s: "EXITED-0" in s)


def test_the_first_frame_shows_the_saved_place_before_textual_and_quits_cleanly(
    tmux: Callable[..., str], tmp_path: Path
) -> None:
    """Thousands of stored headlines, the reader last left far down the list: the rows
    around that headline are on screen before Textual draws anything (no footer yet),
    Textual's frame shows the same rows, and quitting gives the shell its screen back."""
    from newsreader.config import load_config
    from newsreader.model import Article, Feed, FetchResult
    from newsreader.store import Store

    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - {name: Quay Notes, path: quay.rss, group: Town}\n", "utf-8")
    db = tmp_path / "reader.db"
    with Store.open(db) as store:
        store.sync_feeds(load_config(config).feeds)
        items = tuple(
            Article(id=f"q{i}", title=f"Quay notice number {i}", text="Body.",
                    published=f"2024-03-{1 + i // 200:02d}T{i % 24:02d}:00:00+00:00")
            for i in range(3000)
        )  # fmt: skip
        store.save_result("Quay Notes", FetchResult(Feed("Quay Notes", None, "rss", items)))
        key = store.headline_page("Quay Notes", 2000, 1)[0].key
        store.set_setting("position", f'{{"feed": "Quay Notes", "key": {key}}}')
        title = store.headline_page("Quay Notes", 2000, 1)[0].title
    command = (
        "echo SHELL-BEFORE;"
        f" env -u COLUMNS -u LINES '{NEWSREADER}' --config '{config}' --db '{db}';"
        " echo EXITED-$?; sleep 30"
    )
    tmux("new-session", "-d", "-s", "reader", "-x", "120", "-y", "40", command)
    first = wait_for(tmux, lambda s: "Quay notice number" in s, timeout=20)
    final = wait_for(tmux, lambda s: "q Quit" in s and "Body." in s)

    def sidebar(screen: str) -> list[str]:
        return [line[:46].rstrip() for line in screen.splitlines()[1:-1]]

    assert "q Quit" not in first  # drawn before Textual, which draws the footer
    assert sidebar(first) == sidebar(final)
    assert any(title in line for line in sidebar(final))
    assert "▾ Town" not in final  # opened at the saved headline, far down the list
    tmux("send-keys", "-t", "reader", "q")
    screen = wait_for(tmux, lambda s: "EXITED-0" in s)
    assert "SHELL-BEFORE" in screen and "Quay notice" not in screen
