"""One exception family. Each error renders as one line that names the file or URL."""

from __future__ import annotations


class NewsreaderError(Exception):
    """Base of every error a user can cause; ``str()`` is the one line we print."""

    exit_code = 1

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuilt from its fields when unpickled, whatever the subclass's ``__init__``
        takes: a parse in a worker process raises across the process boundary."""
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(
    cls: type[NewsreaderError], args: tuple[object, ...], fields: dict[str, object]
) -> NewsreaderError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(fields)
    return error


class ConfigError(NewsreaderError):
    """feeds.yaml (or a theme, or OPML) is invalid; ``line`` is 1-based when known."""

    exit_code = 2

    def __init__(self, where: str, problem: str, line: int | None = None) -> None:
        self.line = line
        location = f"{where}:{line}" if line is not None else where
        super().__init__(location, problem)
        self.where = where


class SourceError(NewsreaderError):
    """A file or URL could not be read."""


class ParseError(NewsreaderError):
    """Content was read but is not a feed or article we understand."""


class StoreError(NewsreaderError):
    """The database file cannot be opened or written."""


class QueryError(NewsreaderError):
    """A search query that does not parse; ``column`` (1-based) is where in the query
    the parser stopped, so one line can point at the mistake. A query from feeds.yaml
    gives ``where`` as ``file:line``; the command line and the reader keep "query"."""

    exit_code = 2

    def __init__(self, problem: str, column: int, *, where: str = "query") -> None:
        self.column = column
        super().__init__(f"{where}: column {column}", problem)
        self.where = where

    def relocated(self, where: str) -> QueryError:
        """The same error told of another place: a caller that knows the file and line
        of the query says so without parsing again."""
        return QueryError(self.problem, self.column, where=where)
