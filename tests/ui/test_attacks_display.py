"""Display attacks: what a feed, a server, a theme or a stored row can put in front of the
reader, and that the reader draws it as plain text, raw-free, without raising.

Each test is one attack, run through the real parts (feed files on disk, an HTTP server
on 127.0.0.1, a SQLite store, the reader under Pilot with its toasts on):

- a date at the edge of what ``datetime`` holds, in any local zone, stops no start;
- markup in a link (``y``, ``o``), in a server's reason phrase (``r``), in a feed's
  name (``A``), in a theme file's error (start) and in a theme's name (palette) is
  shown as written, never read as markup;
- character references to controls, bidi overrides and line separators, in a Markdown
  file, in Markdown served as ``text/markdown`` and in a feed's image alt text, are
  not drawn (a carriage return cannot draw over the sidebar);
- controls, escape sequences and separators stored raw in every field of an article
  and a feed reach neither the sidebar, the breadcrumb, the meta line, the article
  pane, the status line nor a toast.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsreader.config import Config, load_config
from newsreader.model import Article, Feed, FetchResult
from newsreader.store import Store
from tests.support.display import UNSAFE, raw_characters, screen_text
from tests.support.httpserver import FeedServer

pytestmark = pytest.mark.anyio
SIZE = (120, 36)
TODAY = date(2024, 3, 14)
# Local zones as POSIX TZ strings (no tz database needed): UTC, the far east and west
# ends of the world's clocks, and the odd quarter and half hours.
ZONES = ("UTC0", "<+14>-14", "<-12>12", "<+0545>-5:45", "<-0930>9:30")
MARKUP = "[x=:] [/] [bold]"
FILE_MARKUP = "[x=:] [bold]"  # a file name holds no slash


# -- the reader on real files ------------------------------------------------------------


def config_at(tmp_path: Path, feeds: str, **files: str) -> Config:
    """A feeds.yaml (``feeds:`` entries) and the feed files it names, in ``tmp_path``."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n" + feeds, encoding="utf-8")
    return load_config(path)


async def fetch(config: Config, db: Path) -> None:
    """What ``newsreader fetch`` stores, before the reader starts."""
    from newsreader.refresh import refresh_feeds

    with Store.open(db) as store:
        store.sync_feeds(config.feeds)
        await refresh_feeds(config.feeds, store, force=True)


def store_raw(db: Path, config: Config, name: str, feed: Feed, error: str | None = None) -> None:
    """Rows written straight into the store, past every parser and sanitiser."""
    with Store.open(db) as store:
        store.sync_feeds(config.feeds)
        store.save_result(name, FetchResult(feed))
        if error is not None:
            store.save_error(name, error)


class Reader:
    """The reader on ``config`` and ``db``; closes its store afterwards."""

    def __init__(self, config: Config, db: Path, **options: Any) -> None:
        from newsreader.ui.launch import reader_app
        from newsreader.ui.state.tree import HeadlineTree

        self.store = Store.open(db)
        self.store.sync_feeds(config.feeds)
        tree = HeadlineTree(
            [(f.name, f.group) for f in config.feeds],
            self.store,
            self.store.feed_statuses(),
        )
        options.setdefault("refresh", False)
        options.setdefault("today", lambda: TODAY)
        self.app = reader_app(config, self.store, tree=tree, db_path=db, **options)

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def reader() -> Iterator[Any]:
    made: list[Reader] = []

    def build(config: Config, db: Path, **options: Any) -> Any:
        made.append(Reader(config, db, **options))
        return made[-1].app

    yield build
    for one in made:
        one.close()


async def ready(pilot: Any) -> Any:
    """The reader screen once the article pane shows the first selection."""
    app = pilot.app
    for _ in range(60):
        await pilot.pause()
        main = app.screen_stack[0]
        if main.article is not None and main.state.shown is not None:
            break
    await pilot.pause()
    return app.screen_stack[0]


async def until(pilot: Any, predicate: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await pilot.pause(0.05)


def toasts(app: Any) -> list[str]:
    """The toasts on screen, as they render (a toast reading markup raises here)."""
    from textual.widgets._toast import Toast

    return [str(toast.render()) for toast in app.screen.query(Toast)]


def rss(items: str, title: str = "Harbour") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link>{items}</channel></rss>"
    )


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The local time zone the reader runs in (``TZ``), restored afterwards."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


# -- dates at the edges ------------------------------------------------------------------

EDGE_ITEMS = (
    "<item><guid>far</guid><title>From the end of time</title>"
    "<pubDate>Fri, 31 Dec 9999 23:59:59 -1400</pubDate><description>Late.</description></item>"
    "<item><guid>near</guid><title>From the start of time</title>"
    "<pubDate>Mon, 01 Jan 0001 00:00:00 +1400</pubDate><description>Early.</description></item>"
)


@pytest.mark.parametrize("zone", ZONES, indirect=True)
async def test_a_date_at_the_edge_of_datetime_does_not_stop_the_reader_in_any_zone(
    zone, tmp_path, reader
):
    """Bug: one stored item dated ``Fri, 31 Dec 9999 23:59:59 -1400`` made every start
    of the reader raise OverflowError (local time for the sidebar and the meta line)."""
    config = config_at(
        tmp_path, "  - {name: Edge, path: edge.rss}\n", **{"edge.rss": rss(EDGE_ITEMS)}
    )
    db = tmp_path / "news.db"
    await fetch(config, db)
    app = reader(config, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        shown = screen_text(app)
        assert "From the end of time" in shown and "From the start of time" in shown
        assert "Dec'99" in shown and "Jan'01" in shown
        assert "9999-12-31 23:59 -14:00 · Edge" in screen.article.shown_lines
        await pilot.press("j")
        assert "0001-01-01 00:00 +14:00 · Edge" in screen.article.shown_lines
        await pilot.press("g", "up")  # the feed row: its status names the last update
        assert "Last updated: 20" in "\n".join(screen.article.shown_lines)
        assert raw_characters(app) == []


@pytest.mark.parametrize("zone", ZONES, indirect=True)
@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-14:00",
        "9999-12-31T23:59:59+14:00",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00-14:00",
        "0001-01-01T00:00:00+23:59",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
        "0001-01-01",
        "9999-12",
        "0001",
    ],
)
def test_every_pane_shows_a_date_at_the_edges_whatever_the_zone(zone, value):
    """Bug: the sidebar, the meta line and the feed status each converted dates to local
    time their own way, raised for years 1 and 9999 near a far zone and wrote year 1 as
    ``1-01-01``; now one display serves all three and shows such a date (in its own
    offset when the local time is out of range)."""
    from newsreader.ui.article.document import local_date
    from newsreader.ui.state.row_text import _short_date, short_date
    from newsreader.ui.state.summaries import _when

    _short_date.cache_clear()
    short = short_date(value, TODAY.isoformat())
    assert re.fullmatch(r"\d{4}|[A-Z][a-z]{2}'(01|99|00)", short), short
    full = local_date(value)
    assert re.fullmatch(r"\d{4}(-\d\d(-\d\d( \d\d:\d\d [+-]?\w+(:\d\d)?)?)?)?", full), full
    assert full[:4] in ("0001", "0002", "9998", "9999")
    assert _when(value) == full


def test_a_missing_or_unreadable_date_is_shown_as_nothing_or_as_written():
    """Bug: a year past 9999 showed in the sidebar as ``Dec'00``. The sidebar has six
    cells and shows nothing for what is no date; the meta line shows what the feed
    said, drawn plain; the feed status says never."""
    from newsreader.ui.article.document import local_date
    from newsreader.ui.state.row_text import short_date
    from newsreader.ui.state.summaries import _when

    assert short_date("10000-01-01T00:00:00Z", "2024-03-14") == ""
    assert local_date("10000-01-01T00:00:00Z") == "10000-01-01T00:00:00Z"
    assert (local_date(None), _when(None), short_date(None, "2024-03-14")) == ("", "never", "")


# -- markup in toasts, the palette and the status line ---------------------------------------

LINKED = f"https://example.org/a{MARKUP.replace(' ', '')}b"


def one_article(tmp_path: Path, name: str = "Harbour", link: str | None = LINKED) -> Config:
    config = config_at(tmp_path, f"  - name: '{name}'\n    path: harbour.rss\n")
    feed = Feed(
        "Harbour", None, "rss", (Article(id="1", title="Ferry news", link=link, text="Boats."),)
    )
    store_raw(tmp_path / "news.db", config, name, feed)
    return config


async def test_a_link_holding_markup_is_copied_and_opened_with_a_plain_toast(
    tmp_path, reader, monkeypatch
):
    """Bug: a link containing ``[/]`` crashed the reader on ``y`` and ``o`` (the toast
    read "Copied LINK" as markup)."""
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = reader(one_article(tmp_path), tmp_path / "news.db")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == LINKED
        assert f"Copied {LINKED}" in toasts(app)
        await pilot.press("o")
        await until(pilot, lambda: opened == [LINKED])
        await pilot.pause()
        assert f"Opening {LINKED}" in toasts(app)


async def test_a_server_reason_phrase_holding_markup_is_a_plain_toast_on_r(tmp_path, reader):
    """Bug: a server's HTTP reason phrase (server-controlled text) containing ``[/]``
    crashed the reader when ``r`` reported the failure."""
    with FeedServer() as server:
        url = server.add("/feed.xml", "down", status=503, reason=f"Down {MARKUP}")
        config = config_at(tmp_path, f"  - {{name: Harbour, url: '{url}'}}\n")
        app = reader(config, tmp_path / "news.db")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = await ready(pilot)
            await pilot.press("r")
            await until(pilot, lambda: not screen.refreshing and toasts(app))
            assert server.seen("/feed.xml")
            assert f"HTTP 503 Down {MARKUP}" in "\n".join(toasts(app))
            assert raw_characters(app) == []


async def test_a_feed_named_like_markup_is_marked_read_with_a_plain_toast_on_capital_a(
    tmp_path, reader
):
    """Bug: a feed named ``[x=:]`` (OPML import keeps names as they are) crashed the
    reader on ``A``, whose toast names the feed."""
    app = reader(one_article(tmp_path, name=MARKUP), tmp_path / "news.db")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert screen.model.unread[MARKUP] == 0
        assert f"{MARKUP}: 1 marked read." in toasts(app)
        assert screen.breadcrumb.crumbs[1].text == MARKUP
        assert raw_characters(app) == []


async def test_a_theme_file_whose_error_names_markup_is_one_plain_toast_at_start(tmp_path, reader):
    """Bug: a theme file's error message (it names the file) containing ``[/]`` was
    read as markup at start and stopped the reader."""
    from newsreader import locations

    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / f"{FILE_MARKUP}.yaml").write_text("primary: [\n", encoding="utf-8")
    app = reader(
        one_article(tmp_path),
        tmp_path / "news.db",
        theme_dirs=[locations.bundled_themes_dir(), themes],
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await until(pilot, lambda: toasts(app))
        assert any(f"{FILE_MARKUP}.yaml" in notice for notice in toasts(app))
        assert app.theme == "newsreader-dark"


async def test_a_theme_named_like_markup_is_listed_plainly_in_the_palette(tmp_path, reader):
    """Bug: palette entries were strings, which Textual reads as markup: a theme named
    ``[x=:]`` crashed the palette (the reader's ``Theme:`` entries, and the theme list
    of the palette's own Theme command)."""
    from newsreader import locations

    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "odd.yaml").write_text(f"name: '{MARKUP}'\nprimary: '#3366aa'\n", encoding="utf-8")
    app = reader(
        one_article(tmp_path),
        tmp_path / "news.db",
        theme_dirs=[locations.bundled_themes_dir(), themes],
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"theme x")
        await until(pilot, lambda: f"Theme: {MARKUP}" in screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        app.action_change_theme()  # what the palette's own "Theme" command runs
        await until(pilot, lambda: MARKUP in screen_text(app))
        await pilot.press(*"x=")
        await until(pilot, lambda: "newsreader-dark" not in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == MARKUP)


# -- character references decoded into controls ---------------------------------------------

REFERENCES = (
    "# Harbour &#x202e;report\n\n"
    "Before&#13;after, page&#12;feed, &#x202e;reversed&#x202c;, line&#x2028;sep, "
    "para&#x2029;sep, &#x85;next, &#27;[2Jclear, &#x200f;mark.\n\n"
    "![alt&#13;with&#x202e;refs](https://example.org/pier.jpg) and "
    "[a link&#13;here](https://example.org/x)\n\n"
    "| head&#13;er | cell&#x2028; |\n| --- | --- |\n| a&#12;b | c&#x202e;d |\n"
)


def assert_nothing_raw(app: Any, screen: Any, sidebar_rows: list[str]) -> None:
    """Nothing unsafe on screen, and the sidebar column still holds its own rows."""
    assert raw_characters(app) == []
    lines = screen_text(app).split("\n")
    width = screen.query_one("#side").outer_size.width
    for row in sidebar_rows:
        assert any(line[:width].strip().endswith(row) or row in line[:width] for line in lines), row


async def test_references_to_controls_in_a_markdown_file_are_not_drawn(tmp_path, reader):
    """Bug: the article pane removed controls before it decoded character references, so
    ``&#13;``, ``&#12;``, ``&#x202e;``, ``&#x2028;`` in a Markdown file were written raw
    and a carriage return let the article draw over the sidebar."""
    config = config_at(tmp_path, "  - {name: Notes, path: notes.md}\n", **{"notes.md": REFERENCES})
    db = tmp_path / "news.db"
    await fetch(config, db)
    app = reader(config, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        lines = screen.article.laid_out_all()
        text = "\n".join(lines)
        assert "Before after" in text and "reversed" in text and "line sep" in text
        assert "[image:\u00a0alt withrefs]" in text and "head er" in text
        assert [line for line in lines if UNSAFE.search(line)] == []
        assert_nothing_raw(app, screen, ["Notes", "Harbour"])


async def test_references_to_controls_in_markdown_served_as_text_markdown_are_not_drawn(
    tmp_path, reader
):
    """Bug: the same references in a page served as ``text/markdown`` were written raw."""
    with FeedServer() as server:
        url = server.add("/notes", REFERENCES, content_type="text/markdown; charset=utf-8")
        config = config_at(tmp_path, f"  - {{name: Notes, url: '{url}'}}\n")
        db = tmp_path / "news.db"
        await fetch(config, db)
    app = reader(config, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        lines = screen.article.laid_out_all()
        assert "Before after" in "\n".join(lines)
        assert [line for line in lines if UNSAFE.search(line)] == []
        assert_nothing_raw(app, screen, ["Notes"])


async def test_references_to_controls_in_a_feeds_image_alt_text_are_not_drawn(tmp_path, reader):
    """Bug: image alt text in a feed's HTML reaches the pane as Markdown whose references
    were decoded after the controls were removed."""
    body = (
        '<p>Pier <img alt="at&amp;#13;dawn&amp;#x202e;now&amp;#x2028;here"'
        ' src="https://example.org/pier.jpg"> today</p>'
    )
    item = f"<item><guid>p</guid><title>Pier</title><description><![CDATA[{body}]]></description>"
    item += "</item>"
    config = config_at(tmp_path, "  - {name: Harbour, path: h.rss}\n", **{"h.rss": rss(item)})
    db = tmp_path / "news.db"
    await fetch(config, db)
    app = reader(config, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        lines = screen.article.laid_out_all()
        assert "Pier [image:\u00a0at dawnnow here][1] today" in lines
        assert [line for line in lines if UNSAFE.search(line)] == []
        assert_nothing_raw(app, screen, ["Harbour", "Pier"])


# -- the render guard ------------------------------------------------------------------------


def test_the_render_guard_leaves_no_control_separator_or_bidi_character():
    """Bug: the pane's guard let the bidi marks (U+200E, U+200F, U+061C) through, the
    sidebar's flattened only C0 and DEL, the breadcrumb had none: one guard for all, and
    every code point that moves the cursor or reorders text goes."""
    from newsreader.text.sanitise import for_terminal

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for lines in (False, True):
        left = for_terminal(everything, lines=lines)
        assert set(UNSAFE.findall(left)) == ({"\n"} if lines else set())
        assert "a\u00a0b 中文 \U0001f469\u200d\U0001f4bb" in for_terminal(
            "a\u00a0b 中文 \U0001f469\u200d\U0001f4bb\u202e", lines=lines
        )
    assert for_terminal("one\r\ntwo\u2028three\x1b[2Jfour\tfive") == "one two threefour five"
    assert for_terminal("one\r\ntwo\u2029three", lines=True) == "one\ntwo\nthree"


# -- raw rows in the store -------------------------------------------------------------------

RAW = "\x1b[2J\x1b]0;owned\x07\r\x0c\u202e\u2066\u200f\u2028\u2029\x85\x9b1m\x00\x7f\t"


async def test_controls_stored_raw_in_every_field_reach_no_pane_and_no_toast(tmp_path, reader):
    """Bug class: the render guard ran on some panes only, before decoding or not at all;
    now it is the last step of every widget that draws data, so even rows written past
    the sanitiser (an old database, a plugin) draw nothing raw."""
    from newsreader.model import FeedConfig

    # A feed name the config would refuse, as ``newsreader open`` takes it from a file name.
    name = f"Harbour{RAW}"
    config = Config(
        path=tmp_path / "feeds.yaml",
        feeds=(FeedConfig(name=name, source="local", target=str(tmp_path), group=f"G{RAW}"),),
    )
    article = Article(
        id="1",
        title=f"Ferry{RAW}news",
        link=f"https://example.org/{RAW}x",
        published=f"2024-03-14T08:30:00+00:00{RAW}",
        author=f"Mira{RAW}Holt",
        source=f"Gazette{RAW}",
        breadcrumb=(f"Home{RAW}", f"Boats{RAW}"),
        summary=f"Short{RAW}",
        text=f"Body{RAW}text\n\nMore{RAW}",
        markdown=f"# Head{RAW}ing\n\nPara{RAW}graph [link{RAW}](https://example.org/{RAW})\n\n```\ncode{RAW}\n```",
        related=(f"Other{RAW}",),
    )
    feed = Feed(f"Feed{RAW}title", f"https://example.org/{RAW}", "rss", (article,))
    store_raw(tmp_path / "news.db", config, name, feed, error=f"broken{RAW}server")
    app = reader(config, tmp_path / "news.db")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        screen.last_refresh = f"{name}: failed"  # the status line shows it at once
        await pilot.press("y")  # a toast with the link
        await pilot.pause()
        assert raw_characters(app) == []
        shown = screen_text(app)
        assert re.search("Ferry +news", shown) and re.search("Mira +Holt", shown)
        assert "Home › Boats › Ferry news" in shown and "Para" in shown
        await pilot.press("up")  # the feed row: title, link and error of the feed
        await pilot.press("A")  # a toast with the feed's name
        await pilot.pause()
        assert re.search(r"failed: broken\s+server", "\n".join(screen.article.shown_lines))
        assert raw_characters(app) == []
