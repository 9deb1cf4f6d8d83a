"""Rows as SQLite returns them (``tuple[object, ...]``) turned into typed values.

The schema says what each column holds, but SQLite is dynamically typed: a column
declared TEXT may still hand back another type from a file made elsewhere. These
helpers check what they convert, so the rest of the store works on typed values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import cast

from newsreader.bodies import StoredBody
from newsreader.model import Article, Body, FeedStatus, Headline, StoredArticle

Row = tuple[object, ...]
# key, feed_id, title, published, read, starred: the covering index of the headlines.
HeadlineRow = tuple[int, int, str, str | None, int, int]


def text(value: object) -> str:
    """A NOT NULL text column (what ``str()`` gives for anything else)."""
    return value if isinstance(value, str) else str(value)


def optional_text(value: object) -> str | None:
    """A text column that may be NULL."""
    if value is None or isinstance(value, str):
        return value
    return str(value)


def integer(value: object) -> int:
    """An integer column; what ``int()`` accepts is converted, anything else refused."""
    if isinstance(value, int):
        return value
    if isinstance(value, str | bytes | float):
        return int(value)
    raise TypeError(f"not an integer column value: {type(value).__name__}")


def headline_rows(rows: list[Row]) -> list[HeadlineRow]:
    """The rows of the headline queries, typed without a pass over them.

    Tens of thousands of rows are read at once, and checking each would cost more than
    building the headlines: ``key`` is the INTEGER PRIMARY KEY and ``feed_id`` a foreign
    key to one (always integers), the flags are written by the store only as 0 or 1.
    """
    return cast(list[HeadlineRow], rows)


def pairs(rows: list[Row]) -> list[tuple[object, object]]:
    """Rows of two columns, for ``dict()``."""
    return [(row[0], row[1]) for row in rows]


def article_from(row: Sequence[object]) -> StoredArticle:
    """An article row (``store.articles._ARTICLE_COLUMNS``); a body whose Markdown is not
    made yet makes it when first read."""
    (key, feed, aid, title, link, published, updated, author, source, crumbs, summary, body,
     related, markdown, read, starred, md_source, base, summary_is_text) = row  # fmt: skip
    pending = md_source if isinstance(md_source, bytes) else None
    stored = StoredBody(text(body), text(markdown), pending, optional_text(base))
    if integer(summary_is_text):
        summary_body: Body | None = stored
    else:
        summary_text = optional_text(summary)
        summary_body = None if summary_text is None else Body(summary_text)
    article = Article(
        id=str(aid),
        title=str(title),
        link=optional_text(link),
        published=optional_text(published),
        updated=optional_text(updated),
        author=optional_text(author),
        source=optional_text(source),
        breadcrumb=tuple(json.loads(str(crumbs))),
        related=tuple(json.loads(str(related))),
        body=stored,
        summary_body=summary_body,
    )
    return StoredArticle(integer(key), str(feed), article, bool(read), bool(starred))


def feed_status_from(row: Sequence[object]) -> FeedStatus:
    (name, title, link, last_success, last_error, unread, total, group, moved_to,
     last_attempt, next_attempt, failures) = row  # fmt: skip
    return FeedStatus(
        text(name),
        optional_text(title),
        optional_text(link),
        optional_text(last_success),
        optional_text(last_error),
        integer(unread),
        integer(total),
        optional_text(group),
        optional_text(moved_to),
        optional_text(last_attempt),
        optional_text(next_attempt),
        integer(failures),
    )


def headline_of(feed: str, row: Sequence[object]) -> Headline:
    """A headline from (key, title, published, read, starred), named as of ``feed``."""
    key, title, published, read, starred = row
    date = published if isinstance(published, str) else None
    return Headline(integer(key), feed, text(title), date, read == 1, starred == 1)
