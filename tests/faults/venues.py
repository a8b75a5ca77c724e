"""The four venues of the fault matrix on a :class:`~tests.faults.server.FaultVenue`: healthy routes from
recorded payloads (tests/fixtures/ccxt, the venues' documented examples) and each venue's own reply for
every fault of the matrix.

Fault replies, per the venues' API docs:

* clock skew: Binance ``-1021`` "Timestamp for this request is outside of the recvWindow", Bybit
  ``10002`` "invalid request, please check your server timestamp", OKX ``50102`` "Timestamp request
  expired"; Hyperliquid signs only actions, not ``/info`` reads, so its skewed clock must not matter.
* revoked key: Binance ``-2015`` "Invalid API-key, IP, or permissions for action", Bybit ``10003``
  "API key is invalid", OKX ``50111`` "Invalid OK-ACCESS-KEY"; Hyperliquid has no key: an address the
  venue rejects (HTTP 422 "Failed to deserialize the JSON body into the target type").
* ban: Binance HTTP 418 ``-1003`` "Way too many requests; IP(...) banned until T"; the others answer
  HTTP 418/403 without a time (ccxt maps 418 to ``DDoSProtection``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from desktop.exchanges.factory import build_exchange
from tests.exchanges.local_server import BYBIT_READ_ONLY_KEY
from tests.exchanges.replay import case
from tests.exchanges.test_audit import BINANCE_READ_ONLY
from tests.exchanges.test_readers import (
    BTCUSDT,
    BYBIT_RISK_LIMIT,
    HL_MARKETS,
    HL_META,
    LTCUSDT,
    OKX_BTC_USD_TIERS,
    OKX_MARKETS,
    binance_brackets,
    okx_positions,
)
from tests.faults.server import FaultVenue, Reply, RouteKey

BAN_SECONDS = 600.0
"""How long the Binance ban of the 418 case lasts (from the fault's start)."""


@dataclass(frozen=True)
class Kit:
    venue: str
    credentials: dict[str, str]
    markets: list[dict[str, Any]]
    healthy: Callable[[], dict[RouteKey, Reply]]
    positions: RouteKey
    """The route the faults hit."""
    position_rows: Callable[[Any], list[dict[str, Any]]]
    """The position entries inside a (deep-copied) healthy positions body, to damage in place."""
    size_field: str
    mark_field: str
    clock_skew: Reply | None
    revoked: Reply
    options: dict[str, Any] | None = None

    def exchange(self, base: str, timeout_ms: int) -> Any:
        ex = build_exchange(self.venue, self.credentials, timeout_ms=timeout_ms, options=self.options)
        # keep each URL's path (Binance's are ".../fapi/v1", ".../sapi/v1"...), swap the host
        ex.urls["api"] = {
            key: base + urlparse(url).path if isinstance(url, str) else url
            for key, url in ex.urls["api"].items()
        }
        ex.set_markets(copy.deepcopy(self.markets))
        ex.enableRateLimit = False  # the matrix runs on a virtual clock; the limiter would sleep for real
        return ex

    def serve(self, server: FaultVenue) -> None:
        server.routes.clear()
        server.routes.update(self.healthy())

    def healthy_positions(self) -> Any:
        return copy.deepcopy(self.healthy()[self.positions].body)


def _binance() -> dict[RouteKey, Reply]:
    account = case("binance.fetchPositions.json", "fetchPositions", 2)
    return {
        "/fapi/v1/leverageBracket": Reply(body=binance_brackets()),
        "/fapi/v3/positionRisk": Reply(body=case("binance.fetchPositions.json", "fetchPositions", 0)),
        "/fapi/v2/account": Reply(body=account),
        "/fapi/v3/account": Reply(body=account),
        "/fapi/v2/balance": Reply(body=account),
        "/sapi/v1/account/apiRestrictions": Reply(body=BINANCE_READ_ONLY),
        "/fapi/v1/time": Reply(body={"serverTime": 1_800_000_000_000}),
    }


def _bybit() -> dict[RouteKey, Reply]:
    return {
        "/v5/position/list": Reply(body=case("bybit.fetchPositions.json", "fetchPositions")),
        "/v5/account/wallet-balance": Reply(body=case("bybit.fetchBalance.unified.json", "fetchBalance")),
        "/v5/market/risk-limit": Reply(body=BYBIT_RISK_LIMIT),
        "/v5/user/query-api": Reply(body=BYBIT_READ_ONLY_KEY),
        "/v5/account/info": Reply(
            body={"retCode": 0, "retMsg": "OK", "result": {"marginMode": "REGULAR_MARGIN"}}
        ),
        "/v5/market/time": Reply(
            body={"retCode": 0, "retMsg": "OK", "result": {"timeSecond": "1800000000",
                  "timeNano": "1800000000000000000"}, "time": 1_800_000_000_000}
        ),
    }  # fmt: skip


def _okx() -> dict[RouteKey, Reply]:
    return {
        "/api/v5/account/positions": Reply(body=okx_positions()),
        "/api/v5/account/balance": Reply(body=case("okx.fetchBalance.trading.trimmed.json", "fetchBalance")),
        "/api/v5/public/position-tiers": Reply(body=OKX_BTC_USD_TIERS),
        "/api/v5/account/config": Reply(body={"code": "0", "data": [{"perm": "read_only"}], "msg": ""}),
        "/api/v5/public/time": Reply(body={"code": "0", "msg": "", "data": [{"ts": "1800000000000"}]}),
    }


def _hyperliquid() -> dict[RouteKey, Reply]:
    return {
        ("/info", "clearinghouseState"): Reply(
            body=case("hyperliquid.fetchPositions.json", "fetchPositions", 2)
        ),
        ("/info", "meta"): Reply(body=HL_META),
        ("/info", "userAbstraction"): Reply(body="default"),
    }


KITS: dict[str, Kit] = {
    "binanceusdm": Kit(
        "binanceusdm",
        {"apiKey": "binance-fault-key-0001", "secret": "binance-fault-secret-0001"},
        [BTCUSDT],
        _binance,
        "/fapi/v3/positionRisk",
        lambda body: body,
        "positionAmt",
        "markPrice",
        Reply(400, {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}),
        Reply(401, {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}),
    ),
    "bybit": Kit(
        "bybit",
        {"apiKey": "bybit-fault-key-0001", "secret": "bybit-fault-secret-0001"},
        [LTCUSDT],
        _bybit,
        "/v5/position/list",
        lambda body: body["result"]["list"],
        "size",
        "markPrice",
        Reply(
            200,
            {
                "retCode": 10002,
                "retMsg": "invalid request, please check your server timestamp or recv_window "
                "param. req_timestamp[1800000000000],server_timestamp[1800000009000],recv_window[5000]",
                "result": {},
                "retExtInfo": {},
                "time": 1800000009000,
            },
        ),
        Reply(200, {"retCode": 10003, "retMsg": "API key is invalid.", "result": {}, "time": 1}),
        {"enableUnifiedAccount": True, "enableUnifiedMargin": False},
    ),
    "okx": Kit(
        "okx",
        {"apiKey": "okx-fault-key-0001", "secret": "okx-fault-secret-0001", "password": "okx-pass-0001"},
        OKX_MARKETS,
        _okx,
        "/api/v5/account/positions",
        lambda body: body["data"],
        "pos",
        "markPx",
        Reply(401, {"code": "50102", "msg": "Timestamp request expired", "data": []}),
        Reply(401, {"code": "50111", "msg": "Invalid OK-ACCESS-KEY", "data": []}),
    ),
    "hyperliquid": Kit(
        "hyperliquid",
        {"walletAddress": "0x" + "1" * 40},
        HL_MARKETS,
        _hyperliquid,
        ("/info", "clearinghouseState"),
        lambda body: [row["position"] for row in body["assetPositions"]],
        "szi",
        "entryPx",
        None,
        Reply(422, b"Failed to deserialize the JSON body into the target type"),
    ),
}
