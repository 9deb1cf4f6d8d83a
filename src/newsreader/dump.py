"""What the source layer reads from each TARGET of ``newsreader dump`` (printed by
``commands.dump``).

Each TARGET is read on its own. In a folder, each readable file is its own entry,
and a file that is not a feed or article is reported without losing the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from newsreader.errors import NewsreaderError, SourceError
from newsreader.model import Feed

Report = Callable[[str], None]


def _parse(data: bytes, *, where: str, source: str, **hints: str | None) -> Feed:
    """Parse with ``where`` naming the document in errors; the feed's source is ``source``."""
    from newsreader.formats import parse_document

    try:
        feed = parse_document(data, source=where, **hints)
        for article in feed.articles:  # bodies convert on first read: read them here
            article.text, article.summary  # noqa: B018
    except NewsreaderError:
        raise
    except Exception as exc:  # a parser bug on hostile input is still one line
        raise SourceError(where, f"cannot be read ({type(exc).__name__}: {exc})") from None
    return feed if feed.source == source else feed._replace(source=source)


def read_target(target: str, report: Report | None = None) -> Iterator[Feed]:
    """Feeds of one TARGET as they are read: a file or URL gives one, a folder one per
    readable file inside.

    Problems with single files of a folder go to ``report``; a TARGET that cannot be
    read at all raises (before any feed of it is given).
    """
    if target.startswith(("http://", "https://")):
        from newsreader.sources.http import fetch_url_sync

        data, final_url, content_type = fetch_url_sync(target)
        return iter(
            [_parse(data, where=target, source=target, url=final_url, content_type=content_type)]
        )
    from newsreader.sources.local import read_file

    path = Path(target.removeprefix("file://"))
    if not path.is_dir():
        data = read_file(path)
        return iter([_parse(data, where=target, source=target, filename=path.name)])
    return _folder_feeds(path, target, report)


def _folder_feeds(path: Path, target: str, report: Report | None) -> Iterator[Feed]:
    from newsreader.sources.local import documents_in

    def problem(exc: NewsreaderError) -> None:
        if report is not None:
            report(str(exc))

    for doc, data in documents_in(path, on_error=problem):
        try:
            yield _parse(data, where=str(doc), source=target, filename=doc.name)
        except NewsreaderError as exc:
            problem(exc)
