"""A real HTTP server on 127.0.0.1 for tests, running in a background thread.

Routes are registered per path with what to answer: a body with validators (ETag,
Last-Modified, answered with 304 when the request matches), a status, compression,
redirects, a delay. Every request is recorded so tests can assert what was sent.

    with FeedServer() as server:
        server.add("/feed.xml", RSS, etag='"v1"')
        url = server.url("/feed.xml")

``FeedServer(tls=True)`` serves HTTPS with a certificate no client trusts (a test CA
made by trustme). :class:`RawServer` misbehaves below HTTP: it accepts and never
answers, trickles a response a byte at a time, or sends a body that never ends.
"""

from __future__ import annotations

import gzip
import select
import socket
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    encoding: str | None = None  # "gzip", "deflate" or "br": compress when accepted
    location: str | None = None  # for redirects
    delay: float = 0.0  # seconds before the answer starts
    drip: float = 0.0  # seconds between body chunks of 1 KB
    headers: dict[str, str] = field(default_factory=dict)
    reason: str | None = None  # the status line's reason phrase, when not the standard one


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner.requests.append(Seen("GET", self.path, headers))
        route = owner.routes.get(self.path)
        if route is None:
            self._answer(404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.delay:
            time.sleep(route.delay)
        if route.location is not None:
            self._answer(route.status, b"", {"Location": route.location})
            return
        out = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            out["ETag"] = route.etag
        if route.last_modified:
            out["Last-Modified"] = route.last_modified
        if route.status == 200 and self._not_modified(route, headers):
            self._answer(304, b"", {k: v for k, v in out.items() if k != "Content-Type"})
            return
        body = route.body
        accepted = headers.get("accept-encoding", "")
        if route.encoding and route.encoding in accepted:
            body = _compress(body, route.encoding)
            out["Content-Encoding"] = route.encoding
        self._answer(route.status, body, out, drip=route.drip, reason=route.reason)

    @staticmethod
    def _not_modified(route: Route, headers: Mapping[str, str]) -> bool:
        if route.etag and headers.get("if-none-match") == route.etag:
            return True
        return bool(route.last_modified) and headers.get("if-modified-since") == (
            route.last_modified
        )

    def _answer(
        self,
        status: int,
        body: bytes,
        headers: Mapping[str, str],
        *,
        drip: float = 0.0,
        reason: str | None = None,
    ) -> None:
        self.send_response(status, reason)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not drip:
            self.wfile.write(body)
            return
        try:
            for start in range(0, len(body), 1024):
                self.wfile.write(body[start : start + 1024])
                self.wfile.flush()
                time.sleep(drip)
        except OSError:
            pass  # the client gave up, which is what slow-answer tests expect


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        import brotli

        return brotli.compress(body)
    raise ValueError(encoding)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early (size caps, timeouts) are expected here."""


class FeedServer:
    """Start with ``with FeedServer() as server:``; stops and joins its thread on exit."""

    def __init__(self, *, tls: bool = False) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.tls = tls
        if tls:
            import ssl

            import trustme

            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **options: Any) -> str:
        """Serve ``body`` at ``path`` (options are :class:`Route` fields); returns the URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        self.routes[path] = Route(status=status, location=to)
        return self.url(path)

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]


class RawServer:
    """A TCP server on 127.0.0.1 that breaks HTTP in one way (``mode``).

    - ``silent``: accepts, reads the request, never answers.
    - ``trickle``: a valid response whose bytes come one per ``interval`` seconds.
    - ``endless``: a 200 response without a length whose body never ends.
    """

    def __init__(self, mode: str, *, interval: float = 0.05) -> None:
        if mode not in ("silent", "trickle", "endless"):
            raise ValueError(mode)
        self.mode = mode
        self.interval = interval
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> RawServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def url(self, path: str = "/feed.xml") -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}{path}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._listener], [], [], 0.05)
            if not ready:
                continue
            conn, _ = self._listener.accept()
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(0.5)
            try:
                conn.recv(65536)
                if self.mode == "silent":
                    self._stop.wait()
                elif self.mode == "trickle":
                    body = make_rss("Slow", [("s1", "Slow story")]).encode()
                    head = (
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n"
                    ).encode()
                    for i in range(len(head + body)):
                        conn.sendall((head + body)[i : i + 1])
                        if self._stop.wait(self.interval):
                            return
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
                    conn.sendall(b"<rss><channel><title>Endless</title>")
                    block = b"<item><title>again</title></item>" * 2000
                    while not self._stop.is_set():
                        conn.sendall(block)
            except OSError:
                pass  # the client hung up, as it should


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzipped (about a thousandth of the size), built in pieces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)


def refused_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


def make_rss(title: str, items: list[tuple[str, str]], *, encoding: str | None = "utf-8") -> str:
    """A small RSS 2.0 document: ``items`` are (guid, title) pairs, newest first."""
    decl = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else '<?xml version="1.0"?>'
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{name}</title>"
        f"<link>http://news.example.org/{guid}</link>"
        f"<description>&lt;p&gt;Body of {name}&lt;/p&gt;</description>"
        f"<pubDate>{28 - i:02d} Mar 2026 08:00:00 +0000</pubDate></item>"
        for i, (guid, name) in enumerate(items)
    )
    return (
        f'{decl}<rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://news.example.org/</link>{entries}</channel></rss>"
    )
