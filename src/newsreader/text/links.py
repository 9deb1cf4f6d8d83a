"""Which link schemes newsreader accepts, and where: the one link policy.

Three uses, three sets, all named here so that none is redefined elsewhere:

- :data:`WEB_SCHEMES` for a link that is an address of a document (an article's own
  URL, a page's base, a feed to subscribe to): it must be fetchable, so http(s) with a
  host, and nothing else;
- :data:`LINK_SCHEMES` for a link an item points at (its ``link``): any scheme that
  names a resource harmlessly, news and NNTP included, because a feed may point at a
  newsgroup and the link is stored and shown as text;
- :data:`HYPERLINK_SCHEMES` for what the article view makes clickable in a terminal:
  :data:`LINK_SCHEMES` without ``news`` and ``nntp``, as it has always been (a terminal
  hands a hyperlink to whatever the desktop registers for the scheme, and for news
  there is often nothing, or a mail client); widening it would change which links a
  reader can follow, so it stays a named variant rather than being merged.

:data:`DANGEROUS_SCHEMES` are dropped with their ``href`` from HTML before it is
converted: a link that runs code, carries a payload or opens a local file.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from newsreader.text.sanitise import clean_line

WEB_SCHEMES: frozenset[str] = frozenset({"http", "https"})
LINK_SCHEMES: frozenset[str] = frozenset(
    {"http", "https", "ftp", "mailto", "gemini", "gopher", "news", "nntp"}
)
HYPERLINK_SCHEMES: frozenset[str] = LINK_SCHEMES - {"news", "nntp"}
DANGEROUS_SCHEMES: tuple[str, ...] = ("javascript", "vbscript", "data", "file")

# What a followable link starts with: the schemes above, 'mailto:' without '//'.
_HYPERLINK_PREFIXES = ("http://", "https://", "mailto:", "ftp://", "gopher://", "gemini://")


def is_dangerous(url: str) -> bool:
    """Whether ``url`` (already cleaned) uses one of :data:`DANGEROUS_SCHEMES`."""
    scheme, colon, _ = url.partition(":")
    return bool(colon) and scheme.strip().lower() in DANGEROUS_SCHEMES


def is_followable(url: str) -> bool:
    """Only :data:`HYPERLINK_SCHEMES` become terminal hyperlinks; the rest are shown."""
    return url.lower().startswith(_HYPERLINK_PREFIXES)


def web_link(value: str | None, base: str | None = None) -> str | None:
    """``value`` resolved against ``base`` when it is an http(s) URL that parses; else None.

    A link from a document is hostile like its text: ``http://[x/`` or a port past 65535
    makes urllib raise later, wherever the link is used, so it is refused here.
    """
    value = clean_line(value)
    if not value:
        return None
    try:
        joined = urljoin(base, value) if base else value
        parts = urlsplit(joined)
        if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
            return None
        parts.port  # noqa: B018  (raises ValueError for a port that is not one)
    except ValueError:
        return None
    return joined
