"""The sanitiser: every string that enters the model passes through here.

Feed text is hostile. Terminal escape sequences are removed whole (with their
payload, so ``ESC ]52;c;...`` cannot reach a clipboard), then every remaining C0/C1
control, DEL and bidi override goes. The result is plain text and is never read as
markup later on.
"""

from __future__ import annotations

from newsreader.text.lazy import LazyPattern

# ESC-introduced string sequences (OSC, DCS, SOS, PM, APC) and their 8-bit forms run
# to BEL or ST; an unterminated one swallows the rest of the string, which is the
# only safe reading of it, or runs to the next ESC, which starts a sequence of its own.
_STRING_SEQ = (
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|(?=\x1b)|$)"
)
# CSI: parameters, intermediates and a final byte.
_CSI_SEQ = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# Any other ESC + intermediates + final byte (charset switches, keypad modes ...).
_ESC_SEQ = r"\x1b[\x20-\x2f]*[\x30-\x7e]?"
_ESCAPES = LazyPattern(f"{_STRING_SEQ}|{_CSI_SEQ}|{_ESC_SEQ}")

# C0 except tab/newline/CR, DEL, C1, bidi embeddings/overrides/isolates, the
# BOM/zero-width no-break space, which only confuses terminals, and lone surrogates
# (JSON's "\ud800", YAML's too), which no writer can encode.
_CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_CONTROLS = LazyPattern(f"[{_CONTROL_CLASS}]")
# Anything strip_controls has to act on; one scan decides whether it has work.
_NEEDS_WORK = LazyPattern(f"[{_CONTROL_CLASS}\r]")
# The same for ASCII text, as bytes: C0 except tab and newline (CR needs work too), DEL.
_ASCII_CONTROL_BYTES = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
# Vertical tab and form feed separate words; they become spaces, not nothing.
_SPACING_CONTROLS = str.maketrans({"\x0b": " ", "\x0c": " "})
_SPACES = LazyPattern(r"[ \t\r\n\f\v\u00a0\u2028\u2029\u3000]+")
# Runs that need rewriting inside a line: never a lone ASCII space, the common case.
_LINE_SPACE = LazyPattern(r"[ \t\u00a0]{2,}|[\t\u00a0]")
_MANY_NEWLINES = LazyPattern(r"\n{3,}")
# The render guard's sets. Every line break Unicode knows moves a terminal's cursor as
# a newline does; tab, vertical tab, form feed and the unit separator only separate.
_NEWLINES = LazyPattern("\r\n|[\r\x1c-\x1e\x85\u2028\u2029]")
_SEPARATORS = LazyPattern("[\t\x0b\x0c\x1f]+")
_ALL_BREAKS = LazyPattern("[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
# The controls above, and the bidi marks, which reorder what follows them as the
# overrides do.
_UNDRAWABLE = LazyPattern(f"[{_CONTROL_CLASS}\u061c\u200e\u200f]")

# U+FDD0..U+FDEF and the last two code points of every plane.
NONCHARACTERS = LazyPattern(
    "[\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)
# What a message quotes as an escape when it shows what the user wrote: the control
# class without the BOM, which config messages have always shown as it is.
QUOTED_CONTROLS = LazyPattern(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def has_controls(text: str) -> bool:
    """Control characters, line breaks, tabs or bidi overrides (emoji joiners are fine)."""
    if text.isprintable():
        return False
    return strip_controls(text) != text or any(ch in text for ch in "\t\n\r\u2028\u2029")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters; keep newlines and tabs."""
    if text.isascii():
        # bytes.translate scans ASCII several times faster than a regex does.
        if len(text.encode("ascii").translate(None, _ASCII_CONTROL_BYTES)) == len(text):
            return text
    elif text.isprintable() or not _NEEDS_WORK.search(text):
        return text
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACING_CONTROLS)
    return _CONTROLS.sub("", text)


def for_terminal(text: str, *, lines: bool = False) -> str:
    """The render guard: ``text`` as it may be written to a terminal.

    It runs last, on whatever the steps before it decoded (character references in an
    article, a server's reason phrase, a theme's message), so nothing that moves the
    cursor, rewrites the screen or reorders the text is drawn: escape sequences go
    whole, every line break and tab becomes a space (``lines`` keeps line breaks, as
    newlines, for text that is wrapped later), other controls and bidi marks go.
    """
    if text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    if not lines:
        return _UNDRAWABLE.sub("", _ALL_BREAKS.sub(" ", text))
    text = _SEPARATORS.sub(" ", _NEWLINES.sub("\n", text))
    return _UNDRAWABLE.sub("", text)


def clean_line(text: str | None) -> str:
    """One line of plain text (titles, names): controls gone, whitespace folded."""
    if not text:
        return ""
    # Printable means no control, no bidi override and no space but U+0020: the common case.
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    return _SPACES.sub(" ", strip_controls(text)).strip()


def clean_optional(text: str | None) -> str | None:
    """Like :func:`clean_line`, but an empty result is ``None``."""
    return clean_line(text) or None


def clean_block(text: str | None) -> str:
    """Multi-line plain text: paragraphs separated by exactly one blank line.

    Every pass is guarded by a substring test: this runs for every item body.
    """
    if not text:
        return ""
    text = strip_controls(text)
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _LINE_SPACE.sub(" ", text)
    if "\n" in text:
        # str.strip takes any whitespace, so a line holding only U+3000 counts as blank.
        text = "\n".join([line.strip() for line in text.split("\n")])
        if "\n\n\n" in text:
            text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()
