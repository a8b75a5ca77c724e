"""A local venue on 127.0.0.1: one aiohttp server that speaks WebSocket and HTTP for several venues.

Each venue lives under its own path prefix (``/binanceusdm/...``, ``/bybit/...``); :mod:`.venues` knows
each venue's subscribe/ack/ping protocol and frame shapes and points a ccxt exchange at the prefix, so
the real ccxt.pro parsing, subscription and reconnect code runs against it. The server runs its own
asyncio loop on a daemon thread; every public method is thread-safe.

Faults a test (or the latency benchmark) can inject: :meth:`LocalVenueServer.drop` (close every socket of
a venue), :meth:`silence` (keep sockets open but send nothing, not even pongs), :meth:`send_raw` (a
malformed frame) and out-of-order updates (publish an older frame after a newer one).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)

RestHandler = Callable[[str, str, Mapping[str, str], bytes], Any]
"""``(method, path, query, body) -> JSON-able reply`` (or ``(status, reply)``) for one REST route."""
Matcher = str | Callable[[str, str, Any], bool]
"""A route of :attr:`LocalVenueServer.routes`: a substring of the path, or ``(url, method, body) -> bool``
(``url`` as ``http://venue/<path>?<query>``, without the venue prefix): the shape of the offline
``Replay`` routes of the tests, so recorded payloads serve both."""


@dataclass(slots=True)
class Socket:
    """One client WebSocket: its venue, path and the topics it subscribed to."""

    venue: str
    path: str
    ws: web.WebSocketResponse
    topics: set[str] = field(default_factory=set)
    received: list[Any] = field(default_factory=list)


class VenueProtocol:
    """How one venue talks on its sockets; subclasses in :mod:`.venues`."""

    name = ""
    one_socket = False
    """The venue sends public and private data on the same socket (Hyperliquid)."""

    def on_message(self, socket: Socket, message: Any) -> list[Any]:
        """Replies to one client frame (subscribe acks, pongs); records subscribed topics."""
        return []

    def is_private(self, path: str) -> bool:
        return "private" in path


class LocalVenueServer:
    """The harness server. Start with :meth:`start` (or as a context manager); stop with :meth:`stop`."""

    def __init__(self, protocols: Mapping[str, VenueProtocol]) -> None:
        self.protocols = dict(protocols)
        self.rest: dict[str, dict[str, RestHandler | Any]] = {name: {} for name in self.protocols}
        """Exact-path REST routes per venue: a reply, or a :data:`RestHandler`."""
        self.routes: dict[str, list[tuple[Matcher, Any]]] = {name: [] for name in self.protocols}
        """Matched REST routes per venue (tried after :attr:`rest`), first match wins."""
        self.requests: list[tuple[str, str, str]] = []
        """(venue, method, path) of every REST request."""
        self.sockets: list[Socket] = []
        self.connections: dict[str, int] = dict.fromkeys(self.protocols, 0)
        self.silent: set[str] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="liqguard-harness", daemon=True)
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self.port = 0

    # ---- life cycle ---------------------------------------------------------------------------
    def start(self) -> LocalVenueServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the local venue did not start within 10 s")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{venue}/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only on the asyncio server
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]

    def stop(self) -> None:
        if not self._thread.is_alive():
            return

        async def shutdown() -> None:
            for socket in list(self.sockets):
                with contextlib.suppress(Exception):
                    await socket.ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> LocalVenueServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- addresses ----------------------------------------------------------------------------
    def http_base(self, venue: str) -> str:
        return f"http://127.0.0.1:{self.port}/{venue}"

    def ws_base(self, venue: str) -> str:
        return f"ws://127.0.0.1:{self.port}/{venue}"

    # ---- requests -----------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        venue = request.match_info["venue"]
        path = "/" + request.match_info["tail"]
        protocol = self.protocols.get(venue)
        if protocol is None:
            return web.json_response({"error": f"no venue {venue!r}"}, status=404)
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._websocket(request, venue, path, protocol)
        body = await request.read()
        self.requests.append((venue, request.method, path))
        handler = self.rest[venue].get(path)
        if handler is None:
            handler = self._match(venue, request.method, path, request.query_string, body)
        if handler is None:
            return web.json_response({"error": f"not recorded: {request.method} {path}"}, status=404)
        reply = handler(request.method, path, request.query, body) if callable(handler) else handler
        status = 200
        if isinstance(reply, tuple):
            status, reply = reply
        if isinstance(reply, bytes):
            return web.Response(body=reply, status=status, content_type="application/json")
        return web.json_response(reply, status=status)

    def _match(self, venue: str, method: str, path: str, query: str, body: bytes) -> Any:
        url = f"http://{venue}{path}" + (f"?{query}" if query else "")
        text = body.decode() if body else None
        for matcher, payload in self.routes[venue]:
            if matcher(url, method, text) if callable(matcher) else matcher in path:
                return payload
        return None

    async def _websocket(
        self, request: web.Request, venue: str, path: str, protocol: VenueProtocol
    ) -> web.WebSocketResponse:
        # autoping off: a silent venue must not even answer pings (that is what a stalled feed looks like)
        ws = web.WebSocketResponse(autoping=False)
        await ws.prepare(request)
        socket = Socket(venue, path + ("?" + request.query_string if request.query_string else ""), ws)
        self.sockets.append(socket)
        self.connections[venue] += 1
        try:
            async for message in ws:
                if venue in self.silent:
                    continue
                if message.type == WSMsgType.PING:
                    await ws.pong(message.data)
                    continue
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    decoded: Any = json.loads(message.data)
                except ValueError:
                    decoded = message.data  # text pings ("ping" on OKX)
                socket.received.append(decoded)
                for reply in protocol.on_message(socket, decoded):
                    await ws.send_str(reply if isinstance(reply, str) else json.dumps(reply))
        finally:
            if socket in self.sockets:
                self.sockets.remove(socket)
        return ws

    # ---- pushing (any thread) ------------------------------------------------------------------
    def _call(self, coro: Any, timeout: float = 5.0) -> Any:
        if threading.current_thread() is self._thread:
            raise RuntimeError("call the harness from another thread")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def publish(self, venue: str, frame: Any, *, topic: str | None = None, private: bool = False) -> int:
        """Send ``frame`` to the venue's sockets (private or public ones; subscribed to ``topic`` if
        given). Returns how many sockets it went to; nothing is sent while the venue is silent."""
        text = frame if isinstance(frame, str) else json.dumps(frame)
        return int(self._call(self._send(venue, text, topic, private)))

    def publish_nowait(
        self, venue: str, frame: Any, *, topic: str | None = None, private: bool = False
    ) -> None:
        """:meth:`publish` without waiting for the send (the latency benchmark stamps the time itself)."""
        text = frame if isinstance(frame, str) else json.dumps(frame)
        asyncio.run_coroutine_threadsafe(self._send(venue, text, topic, private), self._loop)

    async def _send(self, venue: str, text: str, topic: str | None, private: bool) -> int:
        if venue in self.silent:
            return 0
        protocol = self.protocols[venue]
        sent = 0
        for socket in list(self.sockets):
            if socket.venue != venue:
                continue
            if not protocol.one_socket and protocol.is_private(socket.path) != private:
                continue
            if topic is not None and topic not in socket.topics:
                continue
            with contextlib.suppress(ConnectionResetError, RuntimeError):
                await socket.ws.send_str(text)
                sent += 1
        return sent

    def send_raw(self, venue: str, text: str, *, private: bool = False) -> int:
        """A frame exactly as given (e.g. malformed JSON) to every socket of the venue."""
        return self.publish(venue, text, private=private)

    def drop(self, venue: str) -> int:
        """Close every socket of ``venue`` (the client sees the venue hang up); returns how many."""

        async def close() -> int:
            mine = [s for s in self.sockets if s.venue == venue]
            for socket in mine:
                with contextlib.suppress(Exception):
                    await socket.ws.close(code=1001, message=b"going away")
            return len(mine)

        return int(self._call(close()))

    def silence(self, venue: str, silent: bool = True) -> None:
        """Stop (or resume) every frame to ``venue``'s sockets, pongs included."""
        self._loop.call_soon_threadsafe((self.silent.add if silent else self.silent.discard), venue)

    def subscribed(self, venue: str) -> set[str]:
        """Topics currently subscribed on the venue's open sockets."""
        return {t for s in list(self.sockets) if s.venue == venue for t in s.topics}

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.01)
        return condition()
