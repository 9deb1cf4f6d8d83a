"""One exception family. Each error renders as one line that names the file or URL."""

from __future__ import annotations


class NewsreaderError(Exception):
    """Base of every error a user can cause; ``str()`` is the one line we print."""

    exit_code = 1

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem

    def __reduce__(self) -> tuple[type[NewsreaderError], tuple[str, str]]:
        # Errors cross process boundaries when feeds are parsed in worker processes.
        return (type(self), (self.where, self.problem))


class ConfigError(NewsreaderError):
    """feeds.yaml (or a theme, or OPML) is invalid; ``line`` is 1-based when known."""

    exit_code = 2

    def __init__(self, where: str, problem: str, line: int | None = None) -> None:
        self.line = line
        location = f"{where}:{line}" if line is not None else where
        super().__init__(location, problem)
        self.where = where

    def __reduce__(self) -> tuple[type[ConfigError], tuple[str, str, int | None]]:
        return (type(self), (self.where, self.problem, self.line))


class SourceError(NewsreaderError):
    """A file or URL could not be read."""


class ParseError(NewsreaderError):
    """Content was read but is not a feed or article we understand."""


class StoreError(NewsreaderError):
    """The database file cannot be opened or written."""


class UsageError(NewsreaderError):
    """Bad command-line usage."""

    exit_code = 2
