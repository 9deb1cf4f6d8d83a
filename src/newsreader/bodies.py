"""Bodies made ready before a save: each article's content digest, and the bodies of the
new or changed articles converted (sanitised, HTML to text and Markdown) ahead of time.

Converting a feed's HTML is most of what reading a feed costs and bodies convert on
first read (:class:`~newsreader.model.Body`). A refresh converts here, outside the
store's write transaction, where it would hold up the reader marking an article read;
and a converter that fails fails here, as that feed's error, not inside a store call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.model import Article

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


def prepare_bodies(articles: Iterable[Article], stored: Mapping[str, str]) -> dict[str, str]:
    """Each article's digest (the first of an id counts); the bodies of the articles
    whose digest differs from ``stored`` (id -> digest, what the store holds) converted
    now. Raises whatever a converter raises."""
    digests: dict[str, str] = {}
    for article in articles:
        if article.id in digests:
            continue
        digest = digests[article.id] = content_digest(article)
        if stored.get(article.id) != digest:
            article.summary, article.text, article.markdown  # noqa: B018  (converts them)
    return digests
