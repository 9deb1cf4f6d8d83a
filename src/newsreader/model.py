"""The data model: a Feed holds Articles. ``to_json`` is SPEC's dump shape.

Every value type is a named tuple (immutable, compared and hashed by value, with
``_replace``): dataclasses cost each start some 25 ms, importing ``dataclasses`` (and
``inspect``) and generating their methods, a seventh of a fetch where nothing changed.
A type that checks or converts its arguments does so in ``__new__`` over a base that
holds the fields.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple, Self


class Body:
    """An article's body: plain text, plus Markdown when the source had structure.

    Converting a feed's HTML is most of what reading the feed costs, and most bodies are
    never looked at: a refresh stores only new or changed items, the reader shows one
    article at a time. So a parser may hand over a subclass that converts on first use;
    this base holds strings that are already clean.
    """

    __slots__ = ("_markdown", "_text")

    def __init__(self, text: str = "", markdown: str = "") -> None:
        self._text = text
        self._markdown = markdown

    @property
    def text(self) -> str:
        """The whole body as plain text, paragraphs joined by a blank line."""
        return self._text

    @property
    def markdown(self) -> str:
        """The body with its structure as Markdown; empty when ``text`` says it all."""
        return self._markdown

    @property
    def fingerprint(self) -> str:
        """What the body is made from: equal fingerprints mean equal bodies."""
        return f"{self._text}\x00{self._markdown}"

    @property
    def markdown_source(self) -> tuple[str, str | None] | None:
        """The HTML (and its base URL) the Markdown is still to be made from, or None
        when it is made or there is none to make: the store keeps this instead of the
        Markdown, which is made when the article is first shown."""
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Body):
            return NotImplemented
        return self.text == other.text and self.markdown == other.markdown

    def __hash__(self) -> int:
        return hash((self.text, self.markdown))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text[:40]!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Cheaper than the slots default; parsed feeds come back from worker processes.
        return (Body, (self._text, self._markdown))


_NO_BODY = Body()


class _ArticleFields(NamedTuple):
    id: str
    title: str
    link: str | None
    published: str | None
    updated: str | None
    author: str | None
    source: str | None
    breadcrumb: tuple[str, ...]
    related: tuple[str, ...]
    body: Body
    summary_body: Body | None


class Article(_ArticleFields):
    """One article, every string already sanitised (plain text, no controls).

    ``summary``, ``text`` and ``markdown`` may be given as strings, or as :class:`Body`
    objects (``body``, ``summary_body``) that produce them when first read.
    """

    __slots__ = ()

    def __new__(
        cls,
        id: str,
        title: str,
        link: str | None = None,
        published: str | None = None,
        updated: str | None = None,
        author: str | None = None,
        source: str | None = None,
        breadcrumb: tuple[str, ...] = (),
        summary: str | None = None,
        text: str = "",
        related: tuple[str, ...] = (),
        markdown: str = "",
        *,
        body: Body | None = None,
        summary_body: Body | None = None,
    ) -> Self:
        if body is None:
            body = Body(text, markdown) if text or markdown else _NO_BODY
        if summary_body is None and summary is not None:
            summary_body = Body(summary)
        return super().__new__(
            cls, id, title, link, published, updated, author, source, breadcrumb, related,
            body, summary_body,
        )  # fmt: skip

    def __reduce__(self) -> tuple[object, ...]:
        """Its fields as they are: ``__new__`` takes the body as text, not as fields (and
        this is what a worker process sends back for each of thousands of articles)."""
        return (_rebuilt_article, tuple(self))

    @property
    def text(self) -> str:
        return self.body.text

    @property
    def markdown(self) -> str:
        """The body as Markdown, for the reader; not part of the dump JSON."""
        return self.body.markdown

    @property
    def summary(self) -> str | None:
        return None if self.summary_body is None else self.summary_body.text or None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "link": self.link,
            "published": self.published,
            "updated": self.updated,
            "author": self.author,
            "source": self.source,
            "breadcrumb": list(self.breadcrumb),
            "summary": self.summary,
            "text": self.text,
            "related": list(self.related),
        }


class Feed(NamedTuple):
    """A feed, or a single document wrapped as a feed of one article."""

    title: str
    link: str | None
    source: str
    articles: tuple[Article, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "link": self.link,
            "source": self.source,
            "articles": [a.to_json() for a in self.articles],
        }


def article_id(guid: str | None, link: str | None, *parts: str | None) -> str:
    """A stable id: the document's own guid, else its link, else a hash of its content."""
    if guid and guid.strip():
        return guid.strip()
    if link and link.strip():
        return link.strip()
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8"))
    return "sha1:" + digest.hexdigest()


def dedupe_articles(articles: list[Article]) -> tuple[Article, ...]:
    """Keep the first article of each id, in document order (SPEC)."""
    seen: set[str] = set()
    kept: list[Article] = []
    for art in articles:
        if art.id not in seen:
            seen.add(art.id)
            kept.append(art)
    return tuple(kept)


# -- what the store hands out ------------------------------------------------------------


class Headline(NamedTuple):
    """One sidebar row; cheap to build by the tens of thousands."""

    key: int
    feed: str
    title: str
    published: str | None
    read: bool
    starred: bool


def _rebuilt_article(*fields: Any) -> Article:
    return Article._make(fields)


class StoredArticle(NamedTuple):
    key: int
    feed: str
    article: Article
    read: bool
    starred: bool


class FeedStatus(NamedTuple):
    """What the store knows about one feed; times are ISO 8601 in UTC."""

    name: str
    title: str | None
    link: str | None
    last_success: str | None
    last_error: str | None
    unread: int
    total: int
    group: str | None = None
    moved_to: str | None = None
    last_attempt: str | None = None
    # When the feed may be asked again (a server's Retry-After, or backing off after
    # ``failures`` failed fetches in a row); None means now.
    next_attempt: str | None = None
    failures: int = 0


class Schedule(NamedTuple):
    """When a feed may be fetched again and why it waits."""

    failures: int
    next_attempt: datetime | None
    last_error: str | None


class SaveStats(NamedTuple):
    new: int
    updated: int
    total: int


# --- Feeds as configured -------------------------------------------------------------
# These are here, not in config, because sources, the store, refresh and the UI all take
# them and config must be free to import those layers' names without a cycle.

DEFAULT_GROUP = "Feeds"
# The ranges of the numbers in feeds.yaml. Each is far past any real use; they exist so
# that no value can overflow the clock, SQLite's integers or a socket timeout. Config
# reports a value outside them by line; FeedSettings refuses one made in code.
MAX_REFRESH_MINUTES = 366 * 24 * 60  # a year
MAX_TIMEOUT_SECONDS = 3600.0
MAX_SIZE_MB = 1024
MAX_ARTICLES = 10_000_000
MB = 1024 * 1024


class _SettingsFields(NamedTuple):
    refresh_minutes: int
    max_articles: int | None
    headers: Mapping[str, str]
    timeout_seconds: float
    # The largest document read, over HTTP or from disk; anything bigger is refused.
    max_bytes: int


class FeedSettings(_SettingsFields):
    """Settings that ``settings:`` gives every feed and a feed may override."""

    __slots__ = ()

    def __new__(
        cls,
        refresh_minutes: int = 30,
        max_articles: int | None = 1000,
        headers: Mapping[str, str] | None = None,
        timeout_seconds: float = 20.0,
        max_bytes: int = 20 * MB,
    ) -> Self:
        """The ranges of feeds.yaml hold for settings made in code too (``open``, plugins,
        tests): whatever uses a value may rely on it."""
        problems = []
        if not 1 <= refresh_minutes <= MAX_REFRESH_MINUTES:
            problems.append(f"refresh_minutes {refresh_minutes!r}")
        if max_articles is not None and not 1 <= max_articles <= MAX_ARTICLES:
            problems.append(f"max_articles {max_articles!r}")
        if not 0 < timeout_seconds <= MAX_TIMEOUT_SECONDS:  # also refuses NaN
            problems.append(f"timeout_seconds {timeout_seconds!r}")
        if not 1 <= max_bytes <= MAX_SIZE_MB * MB:
            problems.append(f"max_bytes {max_bytes!r}")
        if problems:
            raise ValueError(f"FeedSettings out of range: {', '.join(problems)}")
        headers = {} if headers is None else headers
        return super().__new__(
            cls, refresh_minutes, max_articles, headers, timeout_seconds, max_bytes
        )


class _FeedFields(NamedTuple):
    name: str
    source: str
    target: str
    group: str
    options: Mapping[str, Any]
    settings: FeedSettings
    line: int | None
    url: str | None


class FeedConfig(_FeedFields):
    """One entry of ``feeds:``.

    ``source`` is the registry name of the source that reads it: ``local`` for
    ``path:``, ``http`` for ``url:``, or a plugin's name. ``target`` is the resolved
    path (absolute) or the URL; plugins read their ``options``. ``url`` is the
    ``url:`` as written (also for a ``file://`` URL), None for ``path:``/``source:``.
    """

    __slots__ = ()

    def __new__(
        cls,
        name: str,
        source: str,
        target: str,
        group: str = DEFAULT_GROUP,
        options: Mapping[str, Any] | None = None,
        settings: FeedSettings | None = None,
        line: int | None = None,
        url: str | None = None,
    ) -> Self:
        options = {} if options is None else options  # a mapping of its own for each feed
        settings = FeedSettings() if settings is None else settings
        return super().__new__(cls, name, source, target, group, options, settings, line, url)


# --- What a fetch gives ---------------------------------------------------------------

# A validator is sent back as it came, so it is kept only when HTTP can carry it as
# is: visible ASCII with inner spaces, of a sane length.
MAX_VALIDATOR = 512
_SENDABLE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")


def sendable_validator(value: object) -> str | None:
    """An ETag or Last-Modified that can go back to the server in a header, else None.

    Non-ASCII, controls or an overlong value would make every later request of the
    feed fail before it is sent; without the validator the request is only not
    conditional.
    """
    if not isinstance(value, str):
        return None
    value = value.strip(" \t")
    if len(value) > MAX_VALIDATOR or not _SENDABLE.fullmatch(value):
        return None
    return value


class _StateFields(NamedTuple):
    etag: str | None
    last_modified: str | None
    # Local sources: a signature of the files (paths, sizes, mtimes) last read.
    fingerprint: str | None
    # The last document read from the web was a feed: an HTML page in its place (a login
    # wall, a parked domain) is then refused instead of stored as the feed's one article.
    was_feed: bool


class FetchState(_StateFields):
    """What the store remembers between fetches of one feed (for conditional reads).

    Validators are checked here, so whatever holds a FetchState (a fresh answer, a
    database row written by an older version, a plugin) holds only sendable ones.
    """

    __slots__ = ()

    def __new__(
        cls,
        etag: str | None = None,
        last_modified: str | None = None,
        fingerprint: str | None = None,
        was_feed: bool = False,
    ) -> Self:
        etag, last_modified = sendable_validator(etag), sendable_validator(last_modified)
        return super().__new__(cls, etag, last_modified, fingerprint, was_feed)


# An article as the store writes it: see ``bodies.prepare_rows``.
StoryKeys = tuple[int | None, int | None]
ArticleRow = tuple[str, str, tuple[object, ...], float | None, tuple[object, ...] | None, StoryKeys]


class FetchResult(NamedTuple):
    """A fetch's outcome. ``feed`` is None when the source was not modified."""

    feed: Feed | None
    state: FetchState = FetchState()
    moved_to: str | None = None  # a permanent redirect's new URL
    # Problems that did not stop the feed, e.g. one unreadable file in a folder.
    warnings: tuple[str, ...] = ()
    # The articles as rows, when the parse stage prepared them: the feed's ``articles``
    # are then empty (they do not cross from a worker twice). None: the save makes them.
    rows: tuple[ArticleRow, ...] | None = None

    @property
    def not_modified(self) -> bool:
        return self.feed is None


# --- What a source retrieved, before it is parsed -----------------------------------


class Document(NamedTuple):
    """One document's bytes as a source read them, and what the parser may know of them."""

    data: bytes
    # What errors and the parsed feed name it by: the configured target (a file, a URL)
    # or, in a folder, the file's own path.
    address: str
    # Where the bytes finally came from (after redirects): relative links resolve there.
    url: str | None = None
    # The Content-Type the server sent, as one clean line.
    media_type: str | None = None
    # A file's name: its extension hints at the format (``.md``, ``.txt``).
    filename: str | None = None


class Unreadable(NamedTuple):
    """A file of a folder that could not be read, kept in its place among the documents."""

    problem: str


class Retrieved(NamedTuple):
    """What a source brought back; the refresh parses it (``newsreader.parse_stage``).

    A file or a URL gives one document; a folder gives one per file (``folder``), and
    their articles become one feed named after the configured feed.
    """

    documents: tuple[Document | Unreadable, ...] = ()
    # The state to keep when the documents parse (see ``problems`` for a folder).
    state: FetchState = FetchState()
    # Nothing changed since ``state`` was kept: there are no documents to parse.
    not_modified: bool = False
    folder: bool = False
    # Fetched from the web: a page where a feed was (``FetchState.was_feed``), or one
    # that holds no article, is refused; whether a feed came is kept in the state.
    web: bool = False
    moved_to: str | None = None  # a permanent redirect's new URL
    # Said on every fetch without making the source read again (files left out of a
    # folder on purpose).
    notes: tuple[str, ...] = ()
    # Parts of a folder that could not be listed: like an unreadable file, they are
    # reported, and the folder is read again next time.
    problems: tuple[str, ...] = ()


# --- How a feed's refresh went --------------------------------------------------------

OK = "ok"
NOT_MODIFIED = "not modified"
ERROR = "error"
# Not asked this time: the server said when to come back (Retry-After), or the feed
# failed several times in a row and is backing off.
WAITING = "waiting"


class FeedOutcome(NamedTuple):
    """How one feed's refresh went. ``error`` is the one line to show when it failed."""

    name: str
    status: str
    new: int = 0
    total: int = 0
    error: str | None = None
    updated: int = 0
    # Problems that did not stop the feed (e.g. one unreadable file in a folder).
    warnings: tuple[str, ...] = ()
    moved_to: str | None = None

    @property
    def failed(self) -> bool:
        return self.status in (ERROR, WAITING) or bool(self.warnings)
