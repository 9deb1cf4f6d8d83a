"""What makes two articles in different feeds the same story: the same global id, or
the same link once what varies between copies is taken out of it.

Aggregators and syndicated feeds carry one story under links that differ only in
tracking parameters (``utm_*``, ``fbclid``, ``gclid``), the scheme (http or https),
a ``www.`` or the host's case, a default port or a fragment. A guid counts only
where it is meant to be unique everywhere (a URL, a ``urn:`` or ``tag:`` URI): many
feeds number their items 1, 2, 3, and those numbers say nothing across feeds.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsreader.text.lazy import LazyPattern

# Query parameters that only say where a reader came from.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc",
     "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt_mc", "ocid"}
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}
_GLOBAL_ID_SCHEMES = ("urn:", "tag:")
# A host with nothing to parse: no user, port, IPv6 brackets or escapes.
_PLAIN_HOST = LazyPattern(r"[A-Za-z0-9.-]+")
# Past this, a link or id is not kept as a story key (it is still the article's).
MAX_KEY = 2000


def story_link(url: str | None) -> str | None:
    """``url`` as copies of one story share it; None when it is not an http(s) URL."""
    if not url or len(url) > MAX_KEY:
        return None
    url = url.strip()
    head = url[:8].lower()
    if head.startswith("https://"):
        scheme, rest = "https", url[8:]
    elif head.startswith("http://"):
        scheme, rest = "http", url[7:]
    else:
        return None
    rest = rest.partition("#")[0]
    host, _, path = rest.partition("/")
    if _PLAIN_HOST.fullmatch(host) and "?" not in path:
        # Most links: a plain host and no query, which needs no parsing.
        host = host.lower().rstrip(".")
        return f"{host[4:] if host.startswith('www.') else host}/{path}" if host else None
    return _parsed_story_link(scheme, url)


def _parsed_story_link(scheme: str, url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if host.startswith("www."):
        host = host[4:]
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    query = f"?{urlencode(kept)}" if kept else ""
    return f"{host}{parts.path or '/'}{query}"


def story_id(article_id: str | None) -> str | None:
    """An article's id as a story key, when it is meant to be unique everywhere."""
    if not article_id or len(article_id) > MAX_KEY:
        return None
    lowered = article_id.strip().lower()
    if lowered.startswith(_GLOBAL_ID_SCHEMES):
        return article_id.strip()
    return story_link(article_id)


def story_hash(key: str | None) -> int | None:
    """A story key as the store indexes it: 64 bits of its hash, a quarter the size of
    a typical key, which keeps the index (written at every save) small."""
    if key is None:
        return None
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING or lowered.startswith(_TRACKING_PREFIXES)
