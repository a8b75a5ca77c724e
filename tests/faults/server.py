"""A venue on 127.0.0.1 that can misbehave: status, body, headers, delay, a connection reset mid-body.

Like tests/exchanges/local_server.py, plus what the fault matrix needs: response headers (Retry-After),
a reset after part of the body (``reset_after``), and Hyperliquid's ``POST /info`` routed by the body's
``type``. Routes are keyed by path, or ``(path, info type)``; every request is recorded.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

from tests.exchanges.local_server import serving


@dataclass(frozen=True)
class Reply:
    """One canned reply. ``body``: dict/list/None (sent as JSON) or bytes (sent as is)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset_after: int | None = None
    """Send this many bytes of the body, then reset the connection (RST), Content-Length promising all."""

    def raw(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()


RouteKey = str | tuple[str, str]


class FaultVenue:
    def __init__(self) -> None:
        self.routes: dict[RouteKey, Reply] = {}
        self.requests: list[RouteKey] = []
        venue = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                path = urlparse(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                key: RouteKey = path
                if path == "/info" and body:
                    with suppress(ValueError):
                        key = (path, str(json.loads(body).get("type")))
                venue.requests.append(key)
                reply = venue.routes.get(key) or venue.routes.get(path) or Reply(404, {"error": key})
                if reply.delay:
                    time.sleep(reply.delay)
                raw = reply.raw()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.reset_after is None:
                        self.wfile.write(raw)
                        return
                    self.wfile.write(raw[: reply.reset_after])
                    self.wfile.flush()
                    # SO_LINGER 0: close() sends RST, the client sees "connection reset by peer"
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

            do_GET = do_POST = do_DELETE = do_PUT = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self, key: RouteKey) -> int:
        return sum(1 for k in self.requests if k == key)


@contextmanager
def fault_venue() -> Iterator[FaultVenue]:
    venue = FaultVenue()
    with serving(venue.server):
        yield venue
