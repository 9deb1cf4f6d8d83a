"""The article pane's text path on generated HTML: converter, block splitter, layout.

A feed body is HTML of any shape: nested paragraphs, headings, lists, quotes, code,
tables, links, emphasis, line breaks, rules and images, around text full of Markdown
punctuation, wide and combining characters, character references and raw controls.
It is converted as a feed parser converts it (``html_to_markdown``, and
``html_to_text`` for the plain text), split into blocks and laid out at a few widths.
Nothing may raise or hang, no laid-out line may hold a control character, and every
word of the plain text must be somewhere in what the pane shows.
"""

from __future__ import annotations

import html
import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz

BASE = "https://example.org/news/"
WIDTHS = (4, 13, 41, 100)
WIDE = 4000  # no line is wrapped: a word is never split across lines
MAX_BLOCKS = 5000  # far past anything generated: more means the splitter went round

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# What Markdown reads as markup, in HTML text (so "<" and "&" come escaped).
MARKDOWN_PUNCTUATION = (
    *"*_`#>|[]()!\\~-+=.:",
    "1.",
    "2)",
    "---",
    "***",
    "```",
    "~~~",
    "    ",
    "&lt;",
    "&gt;",
    "&amp;",
    "&lt;b&gt;",
    "[x](y)",
    "![a](b)",
    "[1]: https://example.org/",
    "&amp;amp;",
    "&amp;#13;",
)
UNICODE = (
    "上虞经开区",
    "、",
    "。",
    "「引用」",
    "e\u0301\u0301",
    "\U0001f469\u200d\U0001f4bb",
    "\U0001f1ef\U0001f1f5",
    "\u00a0",
    "\u3000",
    "\u200f",
    "\u061c",
    "Ωμέγα",
    "עברית",
    "\ufffd",
)
# Controls that only separate or go: the sanitiser drops them, keeping the text around.
CONTROLS = (
    *(chr(c) for c in (*range(0x00, 0x1B), *range(0x1C, 0x20), 0x7F, 0x85, 0x9C)),
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\ufeff",
)
# What starts a terminal escape sequence, which the sanitiser removes with its payload
# (the characters after it): text next to one is not promised to survive.
ESCAPE_STARTS = "\x1b\x90\x98\x9b\x9d\x9e\x9f"
ESCAPES = ("\x1b[31m", "\x1b]0;title\x07", "\x1b", "\x9b", "\x9d0;t\x9c", "&#x1b;", "&#155;")
REFERENCES = ("&#13;", "&#0;", "&#x85;", "&#x202e;", "&nbsp;", "&copy;", "&#x2028;", "&#12;")
HREFS = (
    "https://example.org/a",
    "/relative/path",
    "other?q=1&amp;r=2",
    "#frag",
    "",
    "javascript:alert(1)",
    "mailto:someone@example.org",
    "https://example.org/a b",
    "https://example.org/(paren)",
)
_ITEM_NUMBER = re.compile(r"-?[0-9]{1,10}\.")


def _tag(name: str, children: list[str], attributes: str = "") -> str:
    return f"<{name}{attributes}>{''.join(children)}</{name}>"


def _documents(*, escapes: bool) -> st.SearchStrategy[str]:
    """HTML bodies: flow content (paragraphs, headings, code, rules) nested in quotes,
    lists and tables, around phrasing content (text, breaks, images, links, emphasis,
    code). ``escapes`` adds terminal escape sequences to the text and the attributes."""
    word = st.text(alphabet=LETTERS, min_size=1, max_size=9)
    anything = st.text(max_size=6)
    if not escapes:
        anything = anything.map(lambda s: s.translate(dict.fromkeys(map(ord, ESCAPE_STARTS))))
    tokens = [
        word,
        word,
        st.sampled_from(MARKDOWN_PUNCTUATION),
        st.sampled_from(UNICODE),
        st.sampled_from(CONTROLS),
        st.sampled_from(REFERENCES),
        anything.map(lambda s: html.escape(s, quote=False)),
    ]
    if escapes:
        tokens.append(st.sampled_from(ESCAPES))
    gaps = st.sampled_from((" ", " ", "", "\n", "  "))
    text = st.lists(st.tuples(st.one_of(tokens), gaps), max_size=8).map(
        lambda parts: "".join(token + gap for token, gap in parts)
    )
    attribute = st.one_of(st.sampled_from(HREFS), text.map(lambda s: s.replace('"', "&quot;")))
    # Outside an image (a heading's, a table's) the converter writes an alt attribute as
    # it is, unescaped: Markdown punctuation in it is read as markup, and no reader of
    # the Markdown can tell. Descriptions here are words, other scripts and controls.
    plain = st.one_of(word, st.sampled_from(UNICODE), st.sampled_from(CONTROLS))
    alt = st.lists(st.tuples(plain, gaps), max_size=5).map(
        lambda parts: "".join(token + gap for token, gap in parts)
    )

    def inline(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        kids = st.lists(children, max_size=3)
        return st.one_of(
            st.builds(_tag, st.sampled_from(("em", "strong", "code", "b", "i", "span")), kids),
            st.builds(lambda href, k: _tag("a", k, f' href="{href}"'), attribute, kids),
        )

    leaf = st.one_of(
        text, text, st.just("<br>"), alt.map(lambda a: f'<img src="/i.png" alt="{a}">')
    )
    phrasing = st.lists(st.recursive(leaf, inline, max_leaves=8), max_size=3).map("".join)

    def containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        kids = st.lists(children, max_size=3)
        cells = st.lists(st.tuples(st.sampled_from(("td", "th")), kids), min_size=1, max_size=4)
        return st.one_of(
            st.builds(_tag, st.sampled_from(("blockquote", "div")), kids),
            st.builds(
                lambda name, items: _tag(name, [_tag("li", item) for item in items]),
                st.sampled_from(("ul", "ol")),
                st.lists(kids, min_size=1, max_size=4),
            ),
            st.builds(
                lambda rows: _tag(
                    "table", [_tag("tr", [_tag(cell, k) for cell, k in row]) for row in rows]
                ),
                st.lists(cells, min_size=1, max_size=4),
            ),
        )

    flow = st.recursive(
        st.one_of(
            st.builds(lambda k: _tag("p", [k]), phrasing),
            st.builds(
                lambda name, k: _tag(name, [k]),
                st.sampled_from(("h1", "h2", "h3", "h4", "h5", "h6")),
                phrasing,
            ),
            st.builds(lambda k: _tag("pre", [_tag("code", [k])]), text),
            # Preformatted text holds words only: a link inside <pre> is written by the
            # HTML converter as link syntax inside a code fence, a known converter fault
            # (text/html.py) outside what this test checks.
            st.builds(lambda k: _tag("pre", [k]), text),
            st.just("<hr>"),
            phrasing,
        ),
        containers,
        max_leaves=8,
    )
    return st.lists(flow, min_size=1, max_size=3).map("".join)


HTML = _documents(escapes=False)
HOSTILE_HTML = _documents(escapes=True)


def _shown(markdown: str, text: str, width: int) -> list[str]:
    """The pane's lines for one article laid out at ``width``, title and all."""
    from newsreader.ui.article.document import Document
    from newsreader.ui.article.layout import Layout

    document = Document.build(title="T", meta="", url=None, markdown=markdown, text=text)
    layout = Layout(document, width)
    layout.ensure_all()
    return ["".join(piece for piece, _ in line) for line in layout.lines]


def _check_lines(where: str, lines: list[str]) -> None:
    from newsreader.text.sanitise import has_controls

    for number, line in enumerate(lines):
        assert not has_controls(line), f"{where}: control in line {number}: {line!r}"


def _words(text: str) -> list[str]:
    """The words of the plain text as the pane would draw them (the render guard drops
    bidi marks), without the numbers ``html_to_text`` puts before ordered items: the
    Markdown numbers items itself and drops the empty ones."""
    from newsreader.text.sanitise import for_terminal

    words: list[str] = []
    for line in for_terminal(text, lines=True).split("\n"):
        tokens = line.split()
        if tokens and _ITEM_NUMBER.fullmatch(tokens[0]):
            del tokens[0]
        words.extend(tokens)
    return words


def _missing_words(text: str, lines: list[str]) -> list[str]:
    shown = " ".join(" ".join(lines).split())
    return [word for word in _words(text) if word not in shown]


def _laid_out(body: str, *, words: bool) -> None:
    """Convert ``body`` as a feed parser does and lay it out at every width."""
    from newsreader.text.html import html_to_markdown, html_to_text
    from newsreader.ui.article.splitter import iter_blocks

    markdown = html_to_markdown(body, BASE)
    text = html_to_text(body, BASE)
    blocks = list(itertools.islice(iter_blocks(markdown), MAX_BLOCKS))
    assert len(blocks) < MAX_BLOCKS, "the splitter does not come to an end"
    for width in WIDTHS:
        _check_lines(f"markdown at {width}", _shown(markdown, text, width))
        _check_lines(f"text at {width}", _shown("", text, width))
    if words:
        missing = _missing_words(text, _shown(markdown, text, WIDE))
        assert not missing, f"words of the text not shown: {missing}\nmarkdown: {markdown!r}"
        assert not _missing_words(text, _shown("", text, WIDE))


@fuzz()
@given(body=HTML)
def test_converted_html_lays_out_clean_and_whole_at_every_width(body: str) -> None:
    _laid_out(body, words=True)


@fuzz(max_examples=50)
@given(body=HOSTILE_HTML)
def test_html_with_escape_sequences_lays_out_clean(body: str) -> None:
    """An escape sequence goes with its payload, so only cleanliness is checked here."""
    _laid_out(body, words=False)


MARKDOWN = st.lists(
    st.tuples(
        st.one_of(
            st.text(alphabet=LETTERS, min_size=1, max_size=5),
            st.sampled_from((*MARKDOWN_PUNCTUATION, "|", "| --- |", "> ", "    ", "- ", "1. ")),
            st.sampled_from(UNICODE + CONTROLS + ESCAPES + REFERENCES),
        ),
        st.sampled_from((" ", "", "\n", "\n\n", "\t")),
    ),
    max_size=30,
).map(lambda parts: "".join(token + gap for token, gap in parts))


@fuzz()
@given(markdown=MARKDOWN, width=st.sampled_from(WIDTHS))
def test_stored_markdown_of_any_shape_lays_out_clean(markdown: str, width: int) -> None:
    """Markdown no converter wrote (a Markdown file's, a plugin's): any line structure."""
    from newsreader.ui.article.splitter import iter_blocks

    blocks = list(itertools.islice(iter_blocks(markdown), MAX_BLOCKS))
    assert len(blocks) < MAX_BLOCKS, "the splitter does not come to an end"
    _check_lines(f"at {width}", _shown(markdown, "", width))
