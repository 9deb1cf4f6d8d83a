"""Undoing a response's Content-Encoding in bounded steps (gzip, deflate, brotli when
installed): httpx would inflate each network chunk whole, so 64 KB of a gzip bomb
would become 64 MB before the size cap could look at them."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator

from newsreader.errors import SourceError
from newsreader.text.sanitise import clean_line

Decoder = Callable[[bytes], Iterator[bytes]]

# Content-Encoding layers undone at most; real servers send one.
MAX_CODINGS = 3
# Decompression hands out at most this much per step, so memory stays near the cap.
_DECODE_STEP = 256 * 1024


@functools.cache
def accept_encoding() -> str:
    """The encodings :func:`_decoder` can undo; brotli only when its module is installed."""
    try:
        import brotli  # noqa: F401  (only probed for; pyproject tells mypy it has no types)
    except ImportError:
        return "gzip, deflate"
    return "gzip, deflate, br"


def decoders(header: str, url: str) -> list[Decoder]:
    """The decoders for a Content-Encoding list, last applied first; ``identity`` is none.

    A list longer than ``MAX_CODINGS`` is refused before any decoder is made.
    """
    codings = [c.strip().lower() for c in header.split(",")]
    codings = [c for c in codings if c not in ("", "identity")]
    if len(codings) > MAX_CODINGS:
        problem = f"too many Content-Encodings ({len(codings)}, at most {MAX_CODINGS})"
        raise SourceError(url, problem)
    return [_decoder(c, url) for c in reversed(codings)]


def chain(decode: Decoder, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from decode(piece)


def _decoder(encoding: str, url: str) -> Decoder:
    """Undo one Content-Encoding in steps of at most about ``_DECODE_STEP`` bytes.

    httpx would inflate each network chunk whole: 64 KB of a gzip bomb become 64 MB
    before any cap can look at them.
    """
    if encoding in ("", "identity"):
        return lambda data: iter((data,))
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(url, raw_fallback=encoding == "deflate").decode
    if encoding == "br" and "br" in accept_encoding():
        import brotli

        brot = brotli.Decompressor()

        def unbrotli(data: bytes) -> Iterator[bytes]:
            try:
                out = brot.process(data, output_buffer_limit=_DECODE_STEP)
                while True:
                    if out:
                        yield out
                    if brot.is_finished() or brot.can_accept_more_data():
                        return
                    out = brot.process(b"", output_buffer_limit=_DECODE_STEP)
            except brotli.error:
                raise SourceError(url, "the response could not be decompressed") from None

        return unbrotli
    raise SourceError(url, f"unsupported Content-Encoding {clean_line(encoding[:40])!r}")


class _Inflater:
    """gzip/zlib (and headerless deflate, which some servers send) in bounded steps."""

    def __init__(self, url: str, *, raw_fallback: bool) -> None:
        self._url = url
        self._obj = zlib.decompressobj(47)  # 47: a gzip or a zlib header
        self._raw_fallback = raw_fallback

    def decode(self, data: bytes) -> Iterator[bytes]:
        while data and not self._obj.eof:
            try:
                out = self._obj.decompress(data, _DECODE_STEP)
            except zlib.error:
                if not self._raw_fallback:
                    raise SourceError(self._url, "the response could not be decompressed") from None
                self._raw_fallback = False
                self._obj = zlib.decompressobj(-15)
                continue
            self._raw_fallback = False
            data = self._obj.unconsumed_tail
            if out:
                yield out
