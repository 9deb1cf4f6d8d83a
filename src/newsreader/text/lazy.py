"""Regular expressions compiled on first use.

Compiling the sanitiser's and the date parser's patterns took 12 ms of every start,
and a run that parses nothing (a fetch where no file changed, ``list``) uses almost
none of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable


class LazyPattern:
    """A :class:`re.Pattern` made by :func:`re.compile` the first time it is used."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def search(self, string: str) -> re.Match[str] | None:
        return self.compiled.search(string)

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(string)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        return self.compiled.sub(repl, string)
