"""One recorded account per venue, served by the harness's REST routes (the payloads and routes of
``tests/exchanges/test_readers.py``, which come from ccxt's recorded venue responses), plus the key-audit
replies of ``tests/exchanges/test_audit.py`` (the venues' documented example bodies, read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ccxt.pro as ccxtpro

from desktop.accounts import AccountConfig
from desktop.exchanges.harness import venues as V
from desktop.exchanges.harness.server import LocalVenueServer
from tests.exchanges import test_readers as recorded
from tests.exchanges.test_audit import BINANCE_READ_ONLY, BYBIT_QUERY_API
from tests.harness.common import WALLET, clearinghouse_state

OKX_READ_ONLY = {"code": "0", "data": [{"perm": "read_only"}], "msg": ""}
BYBIT_ACCOUNT_INFO = {
    # GET /v5/account/info, documented shape (handwritten): a unified account in regular (cross) margin
    "retCode": 0,
    "retMsg": "success",
    "result": {"marginMode": "REGULAR_MARGIN", "unifiedMarginStatus": 4, "isMasterTrader": False},
}


@dataclass(frozen=True)
class AccountCase:
    venue: str
    markets: list[dict[str, Any]]
    routes: list[tuple[Any, Any]]
    credentials: dict[str, str]
    options: dict[str, Any]


def account_case(venue: str) -> AccountCase:
    if venue == "binanceusdm":
        exchange, replay = recorded.binanceusdm()
        audit = [("/sapi/v1/account/apiRestrictions", BINANCE_READ_ONLY)]
        creds = {"apiKey": "k" * 64, "secret": "s" * 64}
        options: dict[str, Any] = {}
    elif venue == "bybit":
        exchange, replay = recorded.bybit()
        key = {
            **BYBIT_QUERY_API,
            "result": {**BYBIT_QUERY_API["result"], "expiredAt": "2099-01-01T00:00:00Z"},
        }
        audit = [("/v5/user/query-api", key), ("/v5/account/info", BYBIT_ACCOUNT_INFO)]
        creds = {"apiKey": "k", "secret": "s"}
        options = {"enableUnifiedAccount": True, "enableUnifiedMargin": False}
    elif venue == "okx":
        exchange, replay = recorded.okx()
        audit = [("/api/v5/account/config", OKX_READ_ONLY)]
        creds = {"apiKey": "k", "secret": "s", "password": "p"}
        options = {}
    else:
        exchange, replay = recorded.hyperliquid(2)
        audit = []
        creds = {"walletAddress": WALLET}
        options = {}
    markets = [
        {**m, "lowercaseId": str(m["id"]).lower(), "baseName": m.get("baseName") or m["base"]}
        for m in exchange.markets.values()
    ]
    return AccountCase(venue, markets, [*audit, *replay.routes], creds, options)


def serve_account(server: LocalVenueServer, case: AccountCase) -> None:
    server.routes[case.venue] = list(case.routes)
    # Binance's private stream needs a listenKey: POST /fapi/v1/listenKey (documented reply shape)
    server.rest["binanceusdm"]["/fapi/v1/listenKey"] = {"listenKey": "harness-listen-key"}


def account_exchange(case: AccountCase, server: LocalVenueServer) -> Any:
    options = {**case.options, "watchPositions": {"fetchPositionsSnapshot": False}}
    exchange = getattr(ccxtpro, case.venue)({**case.credentials, "timeout": 5000, "options": options})
    V.point(exchange, server)
    exchange.set_markets(case.markets)
    return exchange


def config(venue: str) -> AccountConfig:
    return AccountConfig(f"{venue}:harness", venue, f"{venue} harness")


def position_push(
    case: AccountCase, market: dict[str, Any], side: str, contracts: float, entry: float
) -> Any:
    """A private push of one position (ccxt contracts; sizes per the venue's own units)."""
    market_id = str(market["id"])
    signed = contracts if side == "long" else -contracts
    if case.venue == "binanceusdm":
        return V.binance_account_update(0, {}, [{"s": market_id, "pa": signed, "ep": entry}])
    if case.venue == "bybit":
        bybit_side = "Buy" if side == "long" else "Sell"
        return V.bybit_position(
            0, [{"symbol": market_id, "side": bybit_side, "size": contracts, "entryPrice": entry}]
        )
    if case.venue == "okx":
        mode = "cross"
        return V.okx_positions(0, [{"instId": market_id, "pos": signed, "avgPx": entry, "mgnMode": mode}])
    state = clearinghouse_state(signed * float(market.get("contractSize") or 1.0), entry)
    state["assetPositions"][0]["position"]["coin"] = market["base"]
    return V.hyperliquid_clearinghouse(WALLET, state)
