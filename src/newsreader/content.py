"""The sanitiser's old address, kept for plugins (``newsreader.content.clean_line``) and
for the modules not yet switched to :mod:`newsreader.text`; it defines nothing."""

from newsreader.text.links import web_link
from newsreader.text.sanitise import (
    clean_block,
    clean_line,
    clean_optional,
    for_terminal,
    strip_controls,
)

__all__ = [
    "clean_block",
    "clean_line",
    "clean_optional",
    "for_terminal",
    "strip_controls",
    "web_link",
]
