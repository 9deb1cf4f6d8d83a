"""The hostile inputs the hardening issue names, each checked on purpose.

Every case goes through the same checks as the fuzz tests (plain one-line fields, no
control character or escape sequence, absolute links, one-line errors) and, where the
input is big, a bound on time and on the memory Python allocates while parsing.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.seeds import ATOM10, HTML, JSONFEED, MARKDOWN, RSS20, TEXT_EN, TEXT_ZH, Seed
from tests.fuzz.strategies import _json_string, check_error, control_refs, parse, strings

MB = 1024 * 1024


@contextmanager
def bounded(seconds: float, megabytes: float) -> Iterator[None]:
    """The block finishes within ``seconds`` and Python's allocation peak stays under
    ``megabytes`` (generous bounds: they catch blow-ups, not slowness)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s (bound {seconds} s)"
    assert peak < megabytes, f"allocated {peak:.0f} MB at the peak (bound {megabytes} MB)"


def everywhere(seed: Seed, value: str) -> bytes:
    """``seed`` with ``value`` (escaped for the document's syntax) in every hole."""
    encode = {"json": _json_string, "xml": control_refs, "html": control_refs}.get(seed.context)
    fill = encode(value) if encode else value
    return seed.render([fill] * seed.holes).encode("utf-8", "surrogatepass")


def everywhere_raw(seed: Seed, value: str) -> bytes:
    return seed.render([value] * seed.holes).encode("utf-8", "surrogatepass")


SEEDS = [RSS20, ATOM10, JSONFEED, HTML, TEXT_EN, TEXT_ZH, MARKDOWN]
SEED_IDS = [s.name for s in SEEDS]


def read(data: bytes, seed: Seed, url: str | None = "https://fuzz.example.org/dir/") -> Any:
    return parse(
        data,
        source=seed.filename,
        url=url,
        content_type=seed.content_type,
        filename=seed.filename,
    )


# --- terminal escapes, bidi, NUL, markup ----------------------------------------------

ESCAPES = {
    "csi-sgr": ("\x1b[31;1mloud\x1b[0m", "31;1m"),
    "csi-8bit": ("\x9b31;1mloud", "31;1m"),
    "dcs-8bit": ("\x90PWNEDdcs8\x9c", "PWNEDdcs8"),
    "osc0-bel": ("\x1b]0;PWNEDzero\x07", "PWNEDzero"),
    "osc2-st": ("\x1b]2;PWNEDtwo\x1b\\", "PWNEDtwo"),
    "osc8-link": ("\x1b]8;;https://pwned8.example.org/\x1b\\click\x1b]8;;\x1b\\", "pwned8"),
    "osc52-clipboard": ("\x1b]52;c;UFdORUQ1Mg==\x07", "UFdORUQ1Mg"),
    "osc-8bit": ("\x9d0;PWNEDc1\x9c", "PWNEDc1"),
    "dcs": ("\x1bPq#0;2;PWNEDdcs\x1b\\", "PWNEDdcs"),
    "osc-unterminated": ("\x1b]2;PWNEDopen", "PWNEDopen"),
}


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
@pytest.mark.parametrize("name", list(ESCAPES))
def test_escape_sequences_go_whole_with_their_payload(seed: Seed, name: str) -> None:
    sequence, payload = ESCAPES[name]
    value = f"Ferry {sequence} news"
    forms = [everywhere_raw(seed, value)]
    if not (name.endswith("8bit") and seed.context in ("xml", "html")):
        # '&#155;' in HTML is Windows-1252's '›', a letter: only the raw byte is a CSI.
        forms.append(everywhere(seed, value))
    for data in forms:
        feed = read(data, seed)
        if feed is None:
            continue  # refused in one clean line, which parse() checked
        leaks = [s for s in strings(feed) if payload in s]
        assert not leaks, f"payload {payload!r} survived in {leaks[0]!r:.200}"


def test_escapes_written_as_yaml_escapes_in_front_matter_go_whole() -> None:
    data = (
        b'---\ntitle: "Ferry \\e]0;PWNED\\a news"\nauthor: "\\e[31mAna\\e[0m"\n'
        b'summary: "Sum \\x9d0;PWNED\\x9c"\nbreadcrumb: ["\\u202eCity", "\\e]2;PWNED"]\n---\nBody\n'
    )
    feed = read(data, MARKDOWN)
    art = feed.articles[0]
    assert (art.title, art.author, art.summary) == ("Ferry news", "Ana", "Sum")
    assert list(art.breadcrumb) == ["City"]


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_bidi_overrides_and_isolates_are_removed(seed: Seed) -> None:
    value = "Invoice \u202egnp.exe\u202c and \u2066iso\u2069 \u202a\u202b\u202d end"
    feed = read(everywhere_raw(seed, value), seed)
    assert feed is not None
    assert any("gnp.exe" in s for s in strings(feed)), "the text around the override is kept"


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
@pytest.mark.parametrize("nul", ["\x00", "&#0;", "\\u0000"], ids=["raw", "ref", "json"])
def test_nul_never_survives(seed: Seed, nul: str) -> None:
    feed = read(seed.render([f"Ferry{nul}news"] * seed.holes).encode("utf-8"), seed)
    if feed is not None:
        assert not any("\x00" in s for s in strings(feed))


MARKUP = "[bold red]Loud[/] [link=https://evil.example.org]x[/link] [@click=app.quit]q[/] $accent"


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_rich_and_textual_markup_stays_literal_text(seed: Seed) -> None:
    feed = read(everywhere(seed, MARKUP), seed)
    assert feed is not None
    titles = [feed.title, *(a.title for a in feed.articles)]
    assert any("[bold red]Loud[/]" in t and "[@click=app.quit]q[/]" in t for t in titles), titles


# --- entities: billion laughs, quadratic blow-up, external entities --------------------

LAUGHS = (
    '<!DOCTYPE {root} [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
              for i in range(1, 10))
    + "]>\n"
)  # fmt: skip


@pytest.mark.parametrize(
    ("root", "body"),
    [
        ("rss", "<rss><channel><title>L&lol9;</title><item><title>&lol9;</title>"
         "<description>&lol9;</description></item></channel></rss>"),
        ("feed", '<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title><entry>'
         "<id>1</id><title>&lol9;</title><content>&lol9;</content></entry></feed>"),
        ("html", "<html><body><h1>&lol9;</h1><p>&lol9;</p></body></html>"),
    ],
    ids=["rss", "atom", "html"],
)  # fmt: skip
def test_billion_laughs_is_not_expanded(root: str, body: str) -> None:
    data = ('<?xml version="1.0"?>\n' + LAUGHS.format(root=root) + body).encode()
    with bounded(seconds=5, megabytes=50):
        feed = parse(data, source="laughs", url=None)
    if feed is not None:
        assert not any("lollollol" in s for s in strings(feed))


def test_billion_laughs_in_opml_is_refused_or_left_out() -> None:
    from newsreader.errors import ConfigError
    from newsreader.opml import parse_opml

    data = LAUGHS.format(root="opml") + (
        '<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://h.example.org/&lol9;"/>'
        "</body></opml>"
    )
    with bounded(seconds=5, megabytes=50):
        try:
            feeds = parse_opml(data.encode(), "laughs.opml")
        except ConfigError as exc:
            check_error(exc)
            return
    assert all(len(f.name) < 1000 and len(f.url) < 1000 for f in feeds)


def test_quadratic_blowup_entity_is_not_expanded() -> None:
    """One 100 KB entity referenced 20,000 times: 2 GB if expanded, linear in the refs."""
    big = "A" * 100_000
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{big}">]>\n<rss><channel><item>'
        f"<title>Q</title><description>{'&a;' * 20_000}</description></item></channel></rss>"
    ).encode()
    with bounded(seconds=10, megabytes=100):
        feed = parse(data, source="quadratic", url=None)
    if feed is not None:
        assert sum(map(len, strings(feed))) < 1_000_000


def test_yaml_aliases_and_merge_keys_stay_bounded(tmp_path: Path) -> None:
    from newsreader.config import parse_config
    from newsreader.errors import ConfigError

    nested = "&a0 {X-A: '1'}"
    for i in range(1, 30):
        nested = f"&a{i} {{<<: [{nested}, *a{i - 1}]}}"
    lol = "&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
    for i in range(1, 12):
        lol = f"&l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" if i > 1 else lol
    texts = [
        f"settings:\n  headers: {nested}\n",
        f"feeds:\n  - name: x\n    source: demo\n    options: {{a: {lol.replace('&l1 ', '')}}}\n",
        "x: &a [*a]\n",
        "feeds:\n  - &f {name: a, url: 'https://h.example.org/', group: *f}\n",
    ]
    for text in texts:
        with bounded(seconds=5, megabytes=50):
            try:
                parse_config(text, tmp_path / "feeds.yaml")
            except ConfigError as exc:
                check_error(exc)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-7f3a\n", "utf-8")
    return path


def _external(kind: str, secret: Path, url: str) -> bytes:
    doctype = (
        f'<!DOCTYPE {{root}} [<!ENTITY file SYSTEM "{secret.as_uri()}">'
        f'<!ENTITY web SYSTEM "{url}">'
        f'<!ENTITY % param SYSTEM "{url}dtd"> %param;]>'
    )
    bodies = {
        "rss": ("rss", "<rss><channel><title>&file;</title><item><title>&file;&web;</title>"
                "<description>&file;</description></item></channel></rss>"),
        "atom": ("feed", '<feed xmlns="http://www.w3.org/2005/Atom"><title>&file;</title>'
                 "<entry><id>1</id><title>&file;&web;</title></entry></feed>"),
        "xinclude": ("rss", '<rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel>'
                     f'<title>X</title><item><title>x</title><xi:include href="{secret.as_uri()}"'
                     ' parse="text"/></item></channel></rss>'),
        "html": ("html", "<html><body><h1>&file;</h1><p>&web; text</p></body></html>"),
        "opml": ("opml", '<opml version="2.0"><body><outline text="&file;"'
                 ' xmlUrl="https://h.example.org/&file;"/></body></opml>'),
    }  # fmt: skip
    root, body = bodies[kind]
    return ('<?xml version="1.0"?>\n' + doctype.format(root=root) + body).encode()


@pytest.mark.parametrize("kind", ["rss", "atom", "xinclude", "html", "opml"])
def test_external_entities_are_never_fetched_or_read(kind: str, secret: Path) -> None:
    from newsreader.errors import ConfigError
    from newsreader.opml import parse_opml
    from tests.support.httpserver import FeedServer

    with FeedServer() as server:
        server.add("/evil", b"REMOTE-LEAK-91c2", content_type="text/plain")
        server.add("/evildtd", b'<!ENTITY leak "REMOTE-LEAK-91c2">', content_type="text/plain")
        data = _external(kind, secret, server.url("/evil"))
        if kind == "opml":
            try:
                found = [f.name + f.url for f in parse_opml(data, "x.opml")]
            except ConfigError as exc:
                check_error(exc)
                found = []
        else:
            feed = parse(data, source=kind, url=None)
            found = strings(feed) if feed is not None else []
        assert server.requests == [], "the parser made a request"
    assert not any("TOPSECRET" in s or "REMOTE-LEAK" in s for s in found)


# --- size: 100 MB, 1 MB lines, deep nesting ---------------------------------------------


@pytest.mark.parametrize(
    "head",
    [b'<?xml version="1.0"?><rss><channel>', b'{"version": "https://jsonfeed.org/version/1.1", '
     b'"items": [', b"<!doctype html><html><body><p>", b"Title\n\n"],
    ids=["rss", "json", "html", "text"],
)  # fmt: skip
def test_a_100_mb_document_is_refused_quickly(head: bytes) -> None:
    from newsreader.errors import ParseError
    from newsreader.formats import parse_document

    data = head + b"x" * (100 * MB)
    with bounded(seconds=5, megabytes=20), pytest.raises(ParseError) as caught:
        parse_document(data, source="big", url=None)
    check_error(caught.value)
    assert "too large" in str(caught.value)


def test_a_100_mb_file_is_refused_by_the_local_source(tmp_path: Path) -> None:
    from newsreader.errors import SourceError
    from newsreader.sources.local import read_file

    path = tmp_path / "big.xml"
    with path.open("wb") as handle:
        handle.write(b"<rss><channel>")
        handle.truncate(100 * MB)  # sparse: no 100 MB written to the disk
    with bounded(seconds=5, megabytes=30), pytest.raises(SourceError) as caught:
        read_file(path)
    check_error(caught.value)


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_a_100_mb_feed_over_http_is_cut_off(encoding: str | None) -> None:
    """Plain, or gzip (100 KB on the wire that inflate to 100 MB): refused past the cap."""
    from newsreader.errors import SourceError
    from newsreader.sources.http import fetch_url_sync
    from tests.support.httpserver import FeedServer

    with FeedServer() as server:
        url = server.add("/big.xml", b"<rss><channel>" + b" " * (100 * MB), encoding=encoding)
        with bounded(seconds=30, megabytes=120), pytest.raises(SourceError) as caught:
            fetch_url_sync(url, timeout=30)
    check_error(caught.value)
    assert "larger than" in str(caught.value)


LINE = "x" * MB
ONE_MB_LINE: dict[str, tuple[bytes, Callable[[Any], str]]] = {
    "rss-title": (f"<rss><channel><item><title>{LINE}</title></item></channel></rss>".encode(),
                  lambda f: f.articles[0].title),
    "rss-body": (f"<rss><channel><item><title>t</title><description>{LINE}</description>"
                 "</item></channel></rss>".encode(), lambda f: f.articles[0].text),
    "json-body": (json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "content_text": LINE}]}).encode(), lambda f: f.articles[0].text),
    "html": (f"<html><body><h1>T</h1><p>{LINE}</p></body></html>".encode(),
             lambda f: f.articles[0].text),
    "text": (f"Title\n\n{LINE}\n".encode(), lambda f: f.articles[0].text),
    "markdown": (f"# T\n\n{'[' * MB}\n".encode(), lambda f: f.articles[0].text),
    "markdown-emphasis": (f"# T\n\n{'*a ' * (MB // 3)}\n".encode(), lambda f: f.articles[0].text),
    "text-cjk": (("标题\n\n" + "港" * (MB // 3)).encode(), lambda f: f.articles[0].text),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ONE_MB_LINE))
def test_a_1_mb_single_line_is_read_in_bounded_time(name: str) -> None:
    data, field = ONE_MB_LINE[name]
    filename = {"markdown": "a.md", "markdown-emphasis": "a.md", "text": "a.txt"}.get(name)
    with bounded(seconds=20, megabytes=400):
        feed = parse(data, source=name, url=None, filename=filename)
    assert feed is not None
    assert len(field(feed)) > MB // 4, "the long line's text is kept"


DEPTH = 100_000
NESTED: dict[str, tuple[bytes, str | None]] = {
    "html-page": (b"<html><body><h1>T</h1>" + b"<div>" * DEPTH + b"deep" + b"</div>" * DEPTH
                  + b"<p>after the nest</p></body></html>", None),
    "html-page-unclosed": (b"<html><body><h1>T</h1>" + b"<div><b><i>" * DEPTH + b"x", None),
    "rss-escaped-html": (b"<rss><channel><item><title>t</title><description>"
                         + b"&lt;div&gt;" * DEPTH + b"deep</description></item></channel></rss>",
                         None),
    "rss-xml-elements": (b"<rss><channel><item><title>t</title><description>" + b"<d>" * DEPTH
                         + b"deep" + b"</d>" * DEPTH + b"</description></item></channel></rss>",
                         None),
    "atom-xhtml": (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title>'
                   b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                   + b"<div>" * 5000 + b"deep" + b"</div>" * 5000
                   + b"</div></content></entry></feed>", None),
    "json": (b'{"version": "https://jsonfeed.org/version/1.1", "items": '
             + b"[" * DEPTH + b"]" * DEPTH + b"}", None),
    "markdown-quotes": (b"# T\n\n" + b">" * DEPTH + b" deep\n", "a.md"),
    "markdown-lists": (b"# T\n\n" + b"".join(b"  " * i + b"- x\n" for i in range(300)), "a.md"),
    "markdown-brackets": (b"# T\n\n" + b"[" * DEPTH + b"x" + b"](y)" * DEPTH, "a.md"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(NESTED))
def test_deep_nesting_is_read_or_refused_in_bounded_time(name: str) -> None:
    data, filename = NESTED[name]
    with bounded(seconds=20, megabytes=300):
        parse(data, source=name, url=None, filename=filename)


def test_deep_nesting_in_html_bodies_converts_in_bounded_time() -> None:
    from newsreader.text.html import html_to_markdown, html_to_text
    from tests.fuzz.strategies import check_markdown, check_text

    html = "<div><blockquote><ul><li>" * 20_000 + "deep \x1b[31m text"
    with bounded(seconds=20, megabytes=300):
        text = html_to_text(html)
        markdown = html_to_markdown(html)
    check_text("text", text, multiline=True)
    check_markdown("markdown", markdown)
    assert "deep" in text and "31m" not in text


def test_deep_nesting_in_yaml_and_opml_is_one_error(tmp_path: Path) -> None:
    from newsreader.config import parse_config
    from newsreader.errors import ConfigError
    from newsreader.opml import parse_opml

    for text in ("feeds: " + "[" * DEPTH, "settings: " + "{a: " * DEPTH):
        with bounded(seconds=10, megabytes=200), pytest.raises(ConfigError) as caught:
            parse_config(text, tmp_path / "feeds.yaml")
        check_error(caught.value)
    opml = b'<opml version="2.0"><body>' + b'<outline text="f">' * DEPTH
    with bounded(seconds=10, megabytes=200):
        try:
            parse_opml(opml + b'<outline xmlUrl="https://h.example.org/"/>', "deep.opml")
        except ConfigError as exc:
            check_error(exc)


# --- encodings ------------------------------------------------------------------------


def test_invalid_utf8_in_a_utf8_declared_feed_keeps_the_rest() -> None:
    data = (
        b'<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Harbour \xff\xfe news</title>'
        b"<item><title>Caf\xc3\xa9 \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 open</title>"
        b"<description>Body \x80\x81 text</description></item></channel></rss>"
    )
    feed = parse(data, source="bad-utf8.xml", url=None)
    assert feed is not None
    assert "Harbour" in feed.title and "news" in feed.title
    assert "open" in feed.articles[0].title


@pytest.mark.parametrize(
    ("declared", "actual"),
    [("iso-8859-1", "utf-8"), ("utf-8", "gb18030"), ("shift_jis", "utf-8"),
     ("windows-1252", "big5"), ("utf-16", "utf-8"), ("koi8-r", "shift_jis")],
)  # fmt: skip
@pytest.mark.parametrize("where", ["xml", "header", "html-meta"])
def test_a_wrong_declared_charset_still_gives_clean_text(
    declared: str, actual: str, where: str
) -> None:
    words = {
        "utf-8": "Café 港口 ferry – “timetable”",
        "gb18030": "港口渡轮新时刻表公布，夜间航班增加。",
        "big5": "港口渡輪新時刻表公布，夜間航班增加。",
        "shift_jis": "港の新しい時刻表が発表されました。",
    }[actual]
    para = words * 20
    ctype = f"text/html; charset={declared}" if where == "header" else None
    if where == "html-meta":
        doc = f'<html><head><meta charset="{declared}"><title>{words}</title></head>'
        doc += f"<body><h1>{words}</h1><p>{para}</p></body></html>"
    else:
        decl = f' encoding="{declared}"' if where == "xml" else ""
        doc = f'<?xml version="1.0"{decl}?><rss><channel><title>{words}</title><item>'
        doc += f"<title>{words}</title><description>{para}</description></item></channel></rss>"
    feed = parse(doc.encode(actual), source="x", url=None, content_type=ctype)
    assert feed is not None
    if actual == "utf-8" or declared == "utf-8":
        # Bytes that a declared multi-byte codec refuses, or valid UTF-8 under a
        # single-byte label, are read for what they are. (A wrong single-byte label on
        # other bytes decodes without error: mojibake, but clean.)
        assert words in feed.articles[0].title


# --- dates ----------------------------------------------------------------------------

FAR_DATES = [
    "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00",
    "9999-12-31T24:00:00Z", "10000-01-01T00:00:00Z", "-0044-03-15", "1900-02-29",
    "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 -1200", "Sat, 01 Jan 100 00:00:00",
    "Fri, 13 Dec 1901 20:45:52 GMT", "Tue, 19 Jan 2038 03:14:08 GMT", "Sun, 07 Feb 2106 06:28:16",
    "99999999999999999999", "2024-03-05T09:30:00+99:99", "1e400", "9" * 80, "2024" + "-01" * 40,
    "March 5, 99999 9:30 am", "9999年12月31日 23:59", "0000年01月01日", "1582-10-10",
]  # fmt: skip


@pytest.mark.parametrize("value", FAR_DATES)
def test_dates_far_in_the_past_and_future(value: str) -> None:
    from newsreader.text.dates import normalize_date, to_datetime
    from newsreader.text.page_dates import parse_date_text
    from tests.fuzz.strategies import check_date

    for found in (normalize_date(value), parse_date_text(value)):
        check_date("date", found)
        if found is not None:
            assert to_datetime(found) is not None
    rss = f"<rss><channel><item><title>t</title><pubDate>{value}</pubDate></item></channel></rss>"
    page = f"Title\n{value} Source: Harbour Daily\n\nBody text.\n"
    md = f'---\ntitle: T\ndate: "{value}"\nupdated: {value}\n---\nBody\n'
    for data, name in ((rss, "a.xml"), (page, "a.txt"), (md, "a.md")):
        parse(data.encode(), source=name, url=None, filename=name)
