"""What makes two articles in different feeds the same story: the same global id, or
the same link once what varies between copies is taken out of it.

Aggregators and syndicated feeds carry one story under links that differ only in
tracking parameters (``utm_*``, ``fbclid``, ``gclid``), the scheme (http or https),
a ``www.`` or the host's case, a default port or a fragment. A guid counts only
where it is meant to be unique everywhere (a URL, a ``urn:`` or ``tag:`` URI): many
feeds number their items 1, 2, 3, and those numbers say nothing across feeds.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

# Query parameters that only say where a reader came from.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc",
     "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt_mc", "ocid"}
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}
_GLOBAL_ID_SCHEMES = ("urn:", "tag:")
# Past this, a link or id is not kept as a story key (it is still the article's).
MAX_KEY = 2000


def story_link(url: str | None) -> str | None:
    """``url`` as copies of one story share it; None when it is not an http(s) URL."""
    if not url or len(url) > MAX_KEY:
        return None
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
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


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING or lowered.startswith(_TRACKING_PREFIXES)
