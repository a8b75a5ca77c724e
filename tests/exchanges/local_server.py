"""A local HTTP server on 127.0.0.1 that plays a venue (ccxt-notes.md section 4.5).

Routes map a URL path to (status, body, delay seconds); ``body`` is a dict/list (sent as JSON) or bytes
(sent as is, for malformed replies). Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse


class LocalVenue:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, Any, float]] = {}
        self.requests: list[str] = []
        venue = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                path = urlparse(self.path).path
                venue.requests.append(path)
                status, body, delay = venue.routes.get(path, (404, {"error": "not recorded"}, 0.0))
                if delay:
                    time.sleep(delay)
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self, path: str) -> int:
        return sum(1 for p in self.requests if p == path)


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[None]:
    """Serve ``server`` on a daemon thread for the duration of the block, then shut it down."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def local_venue() -> Iterator[LocalVenue]:
    venue = LocalVenue()
    with serving(venue.server):
        yield venue


LTC_RISK_LIMIT = {
    # GET /v5/market/risk-limit in Bybit's documented shape (handwritten, one illustrative tier)
    "retCode": 0,
    "retMsg": "OK",
    "result": {"category": "linear", "list": [
        {"id": 71, "symbol": "LTCUSDT", "riskLimitValue": "200000", "maintenanceMargin": "0.01",
         "initialMargin": "0.02", "isLowestRisk": 1, "maxLeverage": "50.00", "mmDeduction": ""}]},
}  # fmt: skip


BYBIT_READ_ONLY_KEY = {
    # GET /v5/user/query-api in Bybit's documented shape (handwritten): a read-only key bound to an IP
    "retCode": 0,
    "retMsg": "",
    "result": {"readOnly": 1, "permissions": {"ContractTrade": [], "Wallet": []}, "ips": ["10.0.0.1"],
               "expiredAt": "2099-01-01T00:00:00Z"},
}  # fmt: skip


def serve_bybit_account(venue: LocalVenue, positions_delay: float = 0.0) -> None:
    """Bybit's recorded LTCUSDT position and unified wallet, a one-tier risk limit, a read-only key."""
    from tests.exchanges.replay import case

    venue.routes["/v5/position/list"] = (
        200,
        case("bybit.fetchPositions.json", "fetchPositions"),
        positions_delay,
    )
    venue.routes["/v5/account/wallet-balance"] = (
        200,
        case("bybit.fetchBalance.unified.json", "fetchBalance"),
        0,
    )
    venue.routes["/v5/market/risk-limit"] = (200, LTC_RISK_LIMIT, 0.0)
    venue.routes["/v5/user/query-api"] = (200, BYBIT_READ_ONLY_KEY, 0.0)
