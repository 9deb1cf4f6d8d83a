"""HTTP failures in words: a transport error, a TLS refusal or an error status becomes
the one line a user reads, and a server's Retry-After becomes bounded seconds."""

from __future__ import annotations

import math
import re
import socket
import ssl
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from newsreader.errors import SourceError
from newsreader.text.sanitise import clean_line

if TYPE_CHECKING:
    import httpx

# Server text kept in an error line.
MAX_SERVER_TEXT = 200
# A server's Retry-After is honoured up to this many seconds (a typo must not silence a
# feed for a year).
MAX_RETRY_AFTER = 24 * 3600
_RETRY_STATUSES = (429, 503)
_DIGITS = re.compile(r"[0-9]+")


class HttpStatusError(SourceError):
    """An HTTP error answer; ``retry_after`` is the seconds the server asked us to wait."""

    def __init__(
        self, where: str, problem: str, status: int = 0, retry_after: float | None = None
    ) -> None:
        super().__init__(where, problem)
        self.status = status
        self.retry_after = retry_after


def server_text(text: str) -> str:
    """Text a server chose (a reason phrase, an error from its answer) fit for one line."""
    line = clean_line(text)
    return line if len(line) <= MAX_SERVER_TEXT else line[: MAX_SERVER_TEXT - 1] + "…"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, down the chain (httpx wraps OS errors)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(found) < 10:
        found.append(current)
        if isinstance(current, BaseExceptionGroup):
            found.extend(current.exceptions)
        current = current.__cause__ or current.__context__
    return found


def _tls_problem(causes: list[BaseException], text: str) -> str | None:
    """TLS failures in words: an untrusted certificate says why it was not accepted."""
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            why = " ".join(str(cause.verify_message or cause.reason or "").split())
            return f"TLS error: certificate not accepted ({why or 'verification failed'})"
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            why = " ".join(str(cause.reason or "").replace("_", " ").lower().split())
            return f"TLS error ({why or text})"
    return None


def describe_transport(exc: Exception, timeout: float) -> str:
    """One line for a transport failure, in words a user understands."""
    import httpx

    text = server_text(str(exc))
    lowered = text.lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting (after {timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out (no answer for {timeout:g} s)"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL ({text})" if text else "unsupported URL"
    if isinstance(exc, httpx.DecodingError):
        return "the response could not be decompressed"
    if isinstance(exc, httpx.ConnectError):
        causes = _causes(exc)
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return "connection refused"
        if any(isinstance(c, socket.gaierror) for c in causes):
            return "host not found (DNS lookup failed)"
        tls = _tls_problem(causes, text)
        if tls is not None:
            return tls
        if "refused" in lowered:
            return "connection refused"
        if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            return "host not found (DNS lookup failed)"
        if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
            return f"TLS error ({text})"
        return f"cannot connect ({text})" if text else "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"bad HTTP response ({text})" if text else "bad HTTP response"
    if isinstance(exc, httpx.InvalidURL):
        return f"invalid URL ({text})"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now (delta-seconds or an HTTP date), capped; None if bad.

    Only ASCII digits count as seconds (``²`` is a digit to ``str.isdigit``); a date
    outside what ``datetime`` holds, a negative or a non-finite number is ignored.
    """
    if not value:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        seconds = float(value) if len(value) <= 15 else float(MAX_RETRY_AFTER)
    elif len(value) <= 64 and value.isascii():
        try:
            when = parsedate_to_datetime(value)
            if when.tzinfo is None:
                return None
            seconds = when.timestamp() - (time.time() if now is None else now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    else:
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), float(MAX_RETRY_AFTER))


def status_error(response: httpx.Response, url: str) -> HttpStatusError:
    status = response.status_code
    reason = server_text(response.reason_phrase)
    problem = f"HTTP {status} {reason}".rstrip()
    retry_after = None
    if status in _RETRY_STATUSES:
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
    if retry_after is not None:
        problem += f" (asked to wait {_duration(retry_after)})"
    return HttpStatusError(url, problem, status, retry_after)


def _duration(seconds: float) -> str:
    if seconds <= 300:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
