"""Bodies as the store keeps them: each article's content digest, the plain text of
the new or changed articles made ahead of the save, and the HTML their Markdown is
made from when the article is first shown.

Converting a feed's HTML is most of what reading a feed costs, and most articles are
never opened. So a refresh makes only what the store needs of every article (its plain
text and summary line, for listing and search); the Markdown the reader shows is made
from the kept HTML on first read (:class:`StoredBody`) and then cached by the store.
The text is made here, outside the store's write transaction, where it would hold up
the reader marking an article read; and a converter that fails fails here, as that
feed's error, not inside a store call.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from newsreader.model import Body
from newsreader.text.dates import timestamp
from newsreader.text.stories import story_hash, story_id, story_link

if TYPE_CHECKING:
    from newsreader.model import Article, ArticleRow

# A kept HTML source starts with one of these: zlib-compressed UTF-8, or UTF-8 as it is
# (short bodies that compression would not make smaller).
_ZLIB = b"z"
_PLAIN = b"u"
# zlib's fastest level: real feeds' bodies shrink to a third at about 60 MB/s. Shorter
# bodies are kept as they are: they shrink little, and each call costs some 30 us.
_LEVEL = 1
_COMPRESS_FROM = 1024

_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def json_list(values: tuple[str, ...]) -> str:
    """A tuple of strings as the store's JSON column holds it."""
    return _encode_json(list(values)) if values else "[]"


def article_head(article: Article) -> tuple[object, ...]:
    """The article's fields from title to breadcrumb, as stored and as fingerprinted."""
    return (
        article.title,
        article.link,
        article.published,
        article.updated,
        article.author,
        article.source,
        json_list(article.breadcrumb),
    )


def content_digest(article: Article) -> str:
    """A fingerprint of an article's content, from what its body is made of: known
    before any HTML is converted.

    The store keeps it (``content_hash``) to tell a changed article from an unchanged
    one, so it must not change between versions. repr() keeps None apart from "None";
    the bodies, the bulk of it, go to the hash as they are, each after its length.
    """
    head = article_head(article)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((head, article.related)).encode("utf-8", "surrogatepass"))
    for body in (article.body, article.summary_body):
        if body is None:
            digest.update(b"-")
        else:
            source = body.fingerprint.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(source))
            digest.update(source)
    return digest.hexdigest()


def prepare_rows(articles: Iterable[Article], stored: Mapping[str, str]) -> tuple[ArticleRow, ...]:
    """The articles as the store writes them (the first of an id counts), in document
    order: id, content digest, the columns title to breadcrumb (:func:`article_head`),
    sort key, the :data:`BodyColumns` of those whose digest differs from ``stored``
    (id -> digest, what the store holds; None for the others, which are not converted),
    and its story keys (:mod:`newsreader.text.stories`).
    Raises whatever a converter raises.

    Made in the parse stage, a worker process in a large run, so the save itself only
    writes; and plain tuples, which cross the process boundary at C speed.
    """
    rows: list[ArticleRow] = []
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            continue
        seen.add(article.id)
        digest = content_digest(article)
        body = body_columns(article) if stored.get(article.id) != digest else None
        sort_key = timestamp(article.published or article.updated)
        link_key = story_link(article.link)
        # An id that is the link says nothing more: the link's key finds the copies.
        id_key = None if article.id == article.link else story_id(article.id)
        story = (story_hash(id_key), story_hash(link_key))
        rows.append((article.id, digest, article_head(article), sort_key, body, story))
    return tuple(rows)


def pack_source(html: str) -> bytes:
    """The HTML a body's Markdown is made from, as the store keeps it."""
    raw = html.encode("utf-8", "surrogatepass")
    if len(raw) >= _COMPRESS_FROM:
        packed = zlib.compress(raw, _LEVEL)
        if len(packed) < len(raw):
            return _ZLIB + packed
    return _PLAIN + raw


def unpack_source(blob: bytes) -> str:
    """:func:`pack_source` undone; ValueError for a blob it did not make."""
    kind, rest = blob[:1], blob[1:]
    try:
        if kind == _ZLIB:
            return zlib.decompress(rest).decode("utf-8", "surrogatepass")
        if kind == _PLAIN:
            return rest.decode("utf-8", "surrogatepass")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(f"damaged article body ({exc})") from None
    raise ValueError("damaged article body (unknown format)")


def markdown_from_source(blob: bytes, base: str | None) -> str:
    """The Markdown of a kept HTML source, sanitised like every body; empty (the reader
    shows the stored text) when the kept source is damaged."""
    from newsreader.text.html import html_to_markdown

    try:
        html = unpack_source(blob)
    except ValueError:
        return ""
    return html_to_markdown(html, base)


class StoredBody(Body):
    """A body read from the store: its text as stored, its Markdown either stored or
    made from the kept HTML when first read."""

    __slots__ = ("_base", "_source")

    def __init__(self, text: str, markdown: str, source: bytes | None, base: str | None) -> None:
        super().__init__(text, markdown)
        self._source = source
        self._base = base

    @property
    def markdown(self) -> str:
        if self._source is not None:
            self._markdown = markdown_from_source(self._source, self._base)
            self._source = None
        return self._markdown

    @property
    def markdown_source(self) -> tuple[str, str | None] | None:
        if self._source is None:
            return None
        return unpack_source(self._source), self._base

    @property
    def kept_source(self) -> bytes | None:
        """The stored HTML while the Markdown is not made yet, as the store holds it."""
        return self._source


# The columns of ``bodies`` after the key: summary (NULL when it is the text, which
# summary_is_text says), summary_is_text, text, related, markdown, and the kept HTML
# source and base URL its Markdown is still to be made from.
BodyColumns = tuple[str | None, int, str, str, str, bytes | None, str | None]


def body_columns(article: Article) -> BodyColumns:
    """The columns of ``bodies`` for an article, after the key (:data:`BodyColumns`);
    converts its text and summary."""
    text = article.text
    summary = article.summary
    same = summary is not None and summary == text
    pending = article.body.markdown_source
    if pending is None:
        return (None if same else summary, int(same), text, json_list(article.related),
                article.markdown, None, None)  # fmt: skip
    html, base = pending
    return (None if same else summary, int(same), text, json_list(article.related), "",
            pack_source(html), base)  # fmt: skip
