"""Untrusted HTML -> plain text and -> Markdown, both sanitised.

Plain text comes from a few linear whole-string regex passes (no tree and no recursion,
so nesting depth cannot hurt it, and no parse at all for a body without tags); Markdown
comes from html-to-markdown, a Rust converter. Text that Markdown would read as syntax
(``[bold]x[/]``, ``*``, ``_``, ``<b>``, ``&copy;``) is escaped so that a renderer shows
it literally; escapes no renderer needs are dropped again so the raw Markdown reads well.
Input past MAX_HTML_CHARS is cut; links to javascript:, data: and file: are unlinked.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any

from newsreader.text.links import DANGEROUS_SCHEMES
from newsreader.text.markdown import markdown_from_text, quiet_escapes
from newsreader.text.sanitise import clean_block, strip_controls

# Longer input is cut: past this a body is not an item but an attack or a dump.
MAX_HTML_CHARS = 1_000_000

# Private-use sentinels for breaks decided by tags, told apart from source whitespace:
# a paragraph break, a line break that collapses with its neighbours (list items, table
# rows) and one that does not (<br>, a newline inside <pre>).
_PARA = "\ue000"
_LINE = "\ue001"
_BR = "\ue002"

_BANG = "\ue004"
# One space of a code line's indentation, kept through the whitespace folding.
_INDENT = "\ue005"
_PRE_INDENT = re.compile(r"\n([ \t]+)")
_SENTINELS = re.compile("[\ue000-\ue005]")
_ALL_SENTINELS = tuple(chr(code) for code in range(0xE000, 0xE006))
_IDEOGRAPHIC_SPACE = "\ue003"
_SENTINEL_CHARS = (_PARA, _LINE, _BR)
_LINE_RUN = re.compile("\ue001+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# Numeric references to C0 controls and DEL; decoded up front so that an encoded escape
# sequence is removed whole, like a raw one. (128-159 are Windows-1252 letters in HTML.)
_CONTROL_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*(\d{1,3}))(?![0-9a-fA-F]);?")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.S)

# Every pass below is case-sensitive (several times faster than re.I): tag names with a
# capital letter are lowered first, which few feeds need.
_UPPER_TAG = re.compile(r"</?[A-Z]")
_TAG_NAME = re.compile(r"</?[A-Za-z][A-Za-z0-9]*")
_TAG_START = re.compile(r"<[a-zA-Z/!?]")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# Raw-text elements: their content is never text, and one left open runs to the end of
# input, as in a browser (unless it loads its code from elsewhere: <script src=...>).
_RAW_TEXT = ("script", "style", "textarea", "title", "iframe", "noscript", "noembed")
# Containers of no article text (signup forms and menus too, as the Markdown side drops
# them): dropped only when closed.
_NO_TEXT = ("svg", "select", "form", "nav", "template", "object", "canvas", "head")
_DROPPED_OPEN = re.compile(
    r"<(script|style|textarea|title|iframe|noscript|noembed|svg|select|template|object"
    r"|canvas|head|form|nav)\b[^>]*>"
)
_RARE = re.compile(
    r"<(?:!--|script|style|textarea|title|iframe|noscript|noembed|svg|select|template"
    r"|object|canvas|head|form|nav|pre|xmp|listing|plaintext)"
)
_SRC_ATTR = re.compile(r"\ssrc\s*=")
_PRE = re.compile(r"<(pre|listing|plaintext|xmp)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S)
_IMG = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:p|d(?:iv|etails)|h(?:[1-6r]|eader|group)|blockquote|pre|t(?:able|head|body|foot)"
    r"|f(?:igure|igcaption|ooter|orm|ieldset)|s(?:ection|ummary)|a(?:rticle|side|ddress)"
    r"|nav|m(?:ain|enu)|c(?:enter|aption)|l(?:egend|isting)|plaintext|xmp)\b[^>]*>"
)
_LINE_TAG = re.compile(r"</?(?:li|tr|dt|dd|ul|ol|dl|option)\b[^>]*>")
_LIST_TAG = re.compile(r"<(/?)(ol|ul|li)\b[^>]*>")
_OL_START = re.compile(r"""\sstart\s*=\s*["']?(-?[0-9]{1,9})""")
_BR_TAG = re.compile(r"<br\b[^>]*>")
_CELL_TAG = re.compile(r"</?t[dh]\b[^>]*>")
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<[!?][^>]*>")
# An attribute value holding '<' or '>' (alt="1 > 0"): rare, and found by one search.
_ANGLE_IN_VALUE = re.compile(r"""=\s*(?:"[^"<>]*[<>]|'[^'<>]*[<>])""")
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
_TAG_STOP = re.compile(r"""[>"']""")
# What follows a quoted value in a tag: its end, or the next attribute.
_TAG_GOES_ON = re.compile(r"""\s*(?:/?>|[^\s"'<>/=]+\s*(?:=|/?>|\s))|\s*\Z""")

# A link that a reader must never follow from a terminal, dropped with its href.
_DANGEROUS = "|".join(DANGEROUS_SCHEMES)
_BAD_HREF = re.compile(
    rf"""\bhref\s*=\s*(?:"\s*(?:{_DANGEROUS}):[^"]*"|"""
    rf"""'\s*(?:{_DANGEROUS}):[^']*'|(?:{_DANGEROUS}):[^\s>]*)""",
    re.I,
)

# Last letters of the dangerous schemes and a colon, in either case ('http(s):' has
# none of them): a cheap test for whether _BAD_HREF can match at all.
_SCHEME_ENDS = tuple(
    sorted({f"{end}:" for scheme in DANGEROUS_SCHEMES for end in (scheme[-1], scheme[-1].upper())})
)

_MD_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")

_options_cache: dict[str | None, Any] = {}


def html_to_text(html: str, base_url: str | None = None) -> str:
    """Plain text, paragraphs joined by a blank line; no script, style or comments."""
    if "<" not in html:
        return _plain_text(html)
    return _text_from_markup(_prepare(html))


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """Markdown keeping headings, lists, quotes, code, tables, links and images."""
    if "<" not in html:
        return markdown_from_text(_plain_text(html))
    prepared = _prepare(html)
    markdown = _convert_markdown(prepared, base_url)
    return markdown or markdown_from_text(_text_from_markup(prepared))


def html_to_text_and_markdown(html: str, base_url: str | None = None) -> tuple[str, str]:
    """Both forms of one body, sharing the input checks; what a feed parser wants."""
    if "<" not in html:
        text = _plain_text(html)
        return text, markdown_from_text(text)
    prepared = _prepare(html)
    text = _text_from_markup(prepared)
    return text, _convert_markdown(prepared, base_url) or markdown_from_text(text)


def _plain_text(value: str) -> str:
    """Text with no tags: entities decoded, newlines kept as the author wrote them."""
    if len(value) > MAX_HTML_CHARS:
        value = value[:MAX_HTML_CHARS]
    if "&" in value:
        value = unescape(_decode_control_refs(value))
    return clean_block(value)


def _prepare(html: str) -> str:
    """The input, bounded, its CDATA sections unwrapped and its encoded controls decoded."""
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
    if "&#" in html:
        html = _decode_control_refs(html)
    if "<![CDATA[" in html:
        html = _CDATA.sub(_cdata_markup, html)
    if not html.isascii() and any(mark in html for mark in _ALL_SENTINELS):
        html = _SENTINELS.sub("", html)
    return html


def _decode_control_refs(html: str) -> str:
    return _CONTROL_REF.sub(_control_ref, html)


def _control_ref(match: re.Match[str]) -> str:
    hex_digits, dec_digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(dec_digits)
    if (code < 0x20 and code not in (0x09, 0x0A, 0x0D)) or code == 0x7F:
        return chr(code)
    return match.group(0)


def _text_from_markup(html: str) -> str:
    """Tags become breaks or nothing, in a few linear whole-string passes."""
    # A tag left open at the end runs to the end of input, as in a browser: cut it, so
    # that every '<...' scan is bounded by a later '>' and the passes stay linear.
    open_tag = _TAG_START.search(html, html.rfind(">") + 1)
    if open_tag:
        html = html[: open_tag.start()]
    # Substring tests cost as much as a regex search here ('<' is everywhere in HTML),
    # so one search tells whether any of the rarer passes has work.
    if _UPPER_TAG.search(html):
        html = _TAG_NAME.sub(_lower_tag, html)
    if _RARE.search(html):
        if "<!--" in html:
            html = _COMMENT.sub("", html)
        if _DROPPED_OPEN.search(html):
            html = _drop_elements(html)
        html = _PRE.sub(_pre_lines, html)
    if _ANGLE_IN_VALUE.search(html):
        html = _escape_angles_in_values(html)
    if "<img" in html:
        html = _IMG.sub(_img_alt, html)
    if "<ol" in html:
        html = _number_items(html)
    html = _BLOCK_TAG.sub(_PARA, html)
    html = _LINE_TAG.sub(_LINE, html)
    html = _BR_TAG.sub(_BR, html)
    html = _CELL_TAG.sub(" ", html)
    text = _ANY_TAG.sub("", html)
    if "&" in text:
        # Entities last: '&lt;p&gt;' is text about a tag, never a tag.
        text = unescape(text)
    text = strip_controls(text)
    if "\u3000" in text:
        text = text.replace("\u3000", _IDEOGRAPHIC_SPACE)
    # HTML whitespace folds to one space; str.split is the fastest way to do it.
    text = " ".join(text.split())
    for mark in _SENTINEL_CHARS:
        if mark in text:
            text = text.replace(" " + mark, mark).replace(mark + " ", mark)
    if _LINE in text:
        text = _LINE_RUN.sub("\n", text)
    text = text.replace(_PARA, "\n\n").replace(_BR, "\n")
    if _IDEOGRAPHIC_SPACE in text:
        return clean_block(text.replace(_IDEOGRAPHIC_SPACE, "\u3000").replace(_INDENT, " "))
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    if _INDENT in text:
        text = text.replace(_INDENT, " ")
    return text.strip()


def _escape_angles_in_values(html: str) -> str:
    """``<`` and ``>`` inside quoted attribute values become entities, so the tag passes,
    which read a tag up to its first ``>``, end it where a browser does
    (``title="<b>x</b>"`` is a value). One scan. A quote that never closes, or whose
    value holds markup and is not followed by the rest of a tag, is taken for a typo
    (``id="x&#8221;>Head</h2> "quoted"``): the tag ends at its first ``>`` and the text
    after it stays."""
    parts: list[str] = []
    pos = 0
    for tag in _TAG_OPEN.finditer(html):
        at = tag.start()
        if at < pos:
            continue  # inside a value escaped already
        parts.append(html[pos:at])
        pos = at
        while True:
            stop = _TAG_STOP.search(html, pos + 1)
            if stop is None or stop.group() == ">":
                break
            quote = stop.group()
            close = html.find(quote, stop.end())
            if close == -1:
                break
            value = html[stop.end() : close]
            if _TAG_START.search(value) and not _TAG_GOES_ON.match(html, close + 1):
                break  # a "value" of markup the tag does not go on after: a typo
            parts.append(html[pos : stop.end()])
            parts.append(value.replace("<", "&lt;").replace(">", "&gt;"))
            pos = close
        end = html.find(">", pos)
        if end == -1:
            break
        parts.append(html[pos : end + 1])
        pos = end + 1
    parts.append(html[pos:])
    return "".join(parts)


def _number_items(html: str) -> str:
    """Items of ordered lists get their numbers (``start`` respected), nested lists
    their own count; items of other lists stay as they are."""
    counters: list[int | None] = []  # one per open list; None for an unordered one

    def visit(match: re.Match[str]) -> str:
        tag = match.group(0)
        closing, name = match.group(1), match.group(2)
        if name == "li":
            if closing or not counters or counters[-1] is None:
                return tag
            counters[-1] += 1
            return f"{tag}{counters[-1]}. "
        if closing:
            if counters:
                counters.pop()
        elif name == "ol":
            start = _OL_START.search(tag)
            counters.append(int(start.group(1)) - 1 if start else 0)
        else:
            counters.append(None)
        return tag

    return _LIST_TAG.sub(visit, html)


def _lower_tag(match: re.Match[str]) -> str:
    return match.group(0).lower()


def _drop_elements(html: str) -> str:
    """Cut script, style and the other elements whose content is not text.

    One scan with ``str.find`` for each closer; a closer known to be missing is not
    searched for again, so hostile input with thousands of open tags stays linear.
    """
    parts: list[str] = []
    pos = 0
    missing: set[str] = set()
    for match in _DROPPED_OPEN.finditer(html):
        if match.start() < pos:
            continue
        name = match.group(1)
        parts.append(html[pos : match.start()])
        pos = match.end()
        if match.group(0).endswith("/>"):
            continue  # XHTML's empty element, as lxml writes <script src="..."/>
        close = -1 if name in missing else html.find("</" + name, pos)
        if close == -1:
            missing.add(name)
            if name in _RAW_TEXT and not _SRC_ATTR.search(match.group(0)):
                return "".join(parts)
            continue
        end = html.find(">", close)
        pos = len(html) if end == -1 else end + 1
    parts.append(html[pos:])
    return "".join(parts)


def _cdata_markup(match: re.Match[str]) -> str:
    """HTML has no CDATA sections (a browser reads one as a broken comment); a feed that
    writes one inside HTML content wraps markup in it, so what it holds is read as the
    markup around it: a script there is a script, never text to show."""
    return match.group(1)


def _pre_lines(match: re.Match[str]) -> str:
    """Preformatted text keeps its line breaks and each line's indentation."""
    block = match.group(0)
    if "\n " in block or "\n\t" in block:
        block = _PRE_INDENT.sub(_indent, block)
    return block.replace("\n", _BR)


def _indent(match: re.Match[str]) -> str:
    return "\n" + match.group(1).replace("\t", "    ").replace(" ", _INDENT)


def _img_alt(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(0))
    if not alt:
        return ""
    value = next(group for group in alt.groups() if group is not None)
    return " " + escape(unescape(value), quote=False) + " "


_BANG_BEFORE_LINK = re.compile(r"!((?:\s*</?(?!img\b)[a-zA-Z][^<>]*>)*\s*<a\b)", re.I)


def _convert_markdown(html: str, base_url: str | None) -> str:
    """html-to-markdown, then controls stripped and renderer-irrelevant escapes dropped."""
    import html_to_markdown

    html = strip_controls(html)
    if any(end in html for end in _SCHEME_ENDS):
        html = _BAD_HREF.sub("", html)
    if "!" in html:
        # '!' then a link (even across closing tags) would read as an image: mark it to
        # be escaped afterwards.
        html = _BANG_BEFORE_LINK.sub(_BANG + r"\1", html)
    try:
        result = _native_convert(html, base_url)
    except Exception:
        return ""
    markdown = result.content or ""
    if not markdown or (
        result.warnings
        and any(
            w.kind == html_to_markdown.WarningKind.DEPTH_LIMIT_EXCEEDED for w in result.warnings
        )
    ):
        # Nested past the limit, the converter drops the deep part: the caller falls
        # back to the plain text, which has no depth limit.
        return ""
    if _BANG in markdown:
        markdown = markdown.replace(_BANG + "[", "\\![").replace(_BANG, "!")
    stripped = strip_controls(markdown)
    if "\\" in stripped:
        stripped = quiet_escapes(stripped)
    if len(stripped) != len(markdown) or "\n\n\n" in stripped:
        stripped = _MD_BLANK_LINES.sub("\n\n", stripped)
    return stripped.strip()


def _native_convert(html: str, base_url: str | None) -> Any:
    """The converter with prebuilt native options: the public ``convert`` rebuilds them
    from a dataclass on every call, which costs more than converting a small item."""
    try:
        from html_to_markdown import _html_to_markdown as native
    except ImportError:  # the private module moved: the public road still works
        import html_to_markdown

        return html_to_markdown.convert(html, _public_options(base_url))
    return native.convert(html=html, options=_options(base_url), visitor=None)


def _public_options(base_url: str | None) -> Any:
    import html_to_markdown

    return html_to_markdown.ConversionOptions(
        extract_metadata=False,
        escape_misc=True,
        escape_asterisks=True,
        escape_underscores=True,
        autolinks=False,
        inline_data_media="alt_text_only",
        max_depth=512,
        base_url=base_url,
    )


def _options(base_url: str | None) -> Any:
    """Native options per base URL, cached: building them costs more than a small item."""
    options = _options_cache.get(base_url)
    if options is None:
        from html_to_markdown import _html_to_markdown as native

        if len(_options_cache) > 512:
            _options_cache.clear()
        options = native.ConversionOptions(
            extract_metadata=False,
            escape_misc=True,
            escape_asterisks=True,
            escape_underscores=True,
            autolinks=False,
            inline_data_media=native.InlineDataMedia.ALT_TEXT_ONLY,
            hidden_content=native.HiddenContent.DROP,
            max_depth=512,
            base_url=base_url,
        )
        _options_cache[base_url] = options
    return options
