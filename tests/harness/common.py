"""Shared pieces of the harness tests: one market per venue, frames, exchange objects aimed at the
harness. Frame shapes are the venues' documented ones (:mod:`desktop.exchanges.harness.venues`)."""

from __future__ import annotations

from typing import Any

import ccxt.pro as ccxtpro

from desktop.exchanges.harness import venues as V
from desktop.exchanges.harness.server import LocalVenueServer
from tests.exchanges.replay import swap_market

WALLET = "0x1111111111111111111111111111111111111111"
T0 = 1_760_000_000_000
MARKET_IDS = {"binanceusdm": "BTCUSDT", "bybit": "BTCUSDT", "okx": "BTC-USDT-SWAP", "hyperliquid": "BTC"}
SYMBOLS = {v: "BTC/USDC:USDC" if v == "hyperliquid" else "BTC/USDT:USDT" for v in MARKET_IDS}
CONTRACT_SIZE = {"okx": 0.01}
"""OKX BTC-USDT-SWAP: 0.01 BTC per contract (OKX instrument ctVal)."""


def market(venue: str) -> dict[str, Any]:
    settle = "USDC" if venue == "hyperliquid" else "USDT"
    market_id = MARKET_IDS[venue]
    return swap_market(
        market_id,
        "BTC",
        settle,
        settle,
        contract_size=CONTRACT_SIZE.get(venue, 1.0),
        baseName="BTC",
        lowercaseId=market_id.lower(),
    )


def credentials(venue: str) -> dict[str, str]:
    if venue == "hyperliquid":
        return {"walletAddress": WALLET}
    if venue == "okx":
        return {"apiKey": "harness-key", "secret": "harness-secret", "password": "harness-pass"}
    return {"apiKey": "harness-key", "secret": "harness-secret"}


def pro_exchange(venue: str, server: LocalVenueServer, **options: Any) -> Any:
    """A ccxt.pro exchange of ``venue`` aimed at ``server``, with the test market set."""
    exchange = getattr(ccxtpro, venue)({**credentials(venue), "options": options})
    V.point(exchange, server)
    exchange.set_markets([market(venue)])
    return exchange


def mark_frame(venue: str, mark: float, ts_ms: int = T0) -> Any:
    """A public push carrying ``mark`` for the venue's BTC market."""
    market_id = MARKET_IDS[venue]
    if venue == "binanceusdm":
        return V.binance_mark(market_id, mark, mark * 0.9999, 0.0001, ts_ms)
    if venue == "bybit":
        return V.bybit_ticker(market_id, mark, mark * 0.9999, 0.0001, 50_000.0, ts_ms)
    if venue == "okx":
        return V.okx_mark(market_id, mark, ts_ms)
    return V.hyperliquid_asset_ctx("BTC", mark, mark * 0.9999, 0.0000125, 700.0)


def clearinghouse_state(size: float, entry: float, ts_ms: int = T0) -> dict[str, Any]:
    """Hyperliquid ``clearinghouseState`` (documented fields) with one cross BTC position of ``size``."""
    value = abs(size) * entry
    summary = {
        "accountValue": "10000",
        "totalNtlPos": str(value),
        "totalRawUsd": "10000",
        "totalMarginUsed": "0",
    }
    position = {
        "coin": "BTC",
        "szi": str(size),
        "entryPx": str(entry),
        "positionValue": str(value),
        "unrealizedPnl": "0",
        "returnOnEquity": "0",
        "liquidationPx": None,
        "leverage": {"type": "cross", "value": 10},
        "marginUsed": str(value / 10),
        "maxLeverage": 40,
        "cumFunding": {"allTime": "0", "sinceOpen": "0", "sinceChange": "0"},
    }
    return {
        "marginSummary": summary,
        "crossMarginSummary": summary,
        "crossMaintenanceMarginUsed": "0",
        "withdrawable": "9000",
        "assetPositions": [{"type": "oneWay", "position": position}] if size else [],
        "time": ts_ms,
    }


def position_frame(venue: str, size: float, entry: float, ts_ms: int = T0) -> Any:
    """A private push: one BTC position of ``size`` (base units; signed, + long) at ``entry``."""
    market_id = MARKET_IDS[venue]
    if venue == "binanceusdm":
        return V.binance_account_update(
            ts_ms, {"USDT": 10_000.0}, [{"s": market_id, "pa": size, "ep": entry}]
        )
    if venue == "bybit":
        side = "Buy" if size > 0 else "Sell" if size < 0 else ""
        return V.bybit_position(
            ts_ms, [{"symbol": market_id, "side": side, "size": abs(size), "entryPrice": entry}]
        )
    if venue == "okx":
        contracts = size / CONTRACT_SIZE["okx"]
        return V.okx_positions(ts_ms, [{"instId": market_id, "pos": contracts, "avgPx": entry}])
    return V.hyperliquid_clearinghouse(WALLET, clearinghouse_state(size, entry, ts_ms))


def serve_private_handshakes(server: LocalVenueServer) -> None:
    """The REST calls a private stream makes first: Binance's listenKey (the one write the venue
    requires), Bybit's key and account-type lookups (documented reply shapes, values chosen)."""
    server.rest["binanceusdm"]["/fapi/v1/listenKey"] = {"listenKey": "harness-listen-key"}
    server.rest["bybit"]["/v5/user/query-api"] = {
        "retCode": 0,
        "retMsg": "",
        "result": {"readOnly": 1, "permissions": {"ContractTrade": []}, "unified": 1, "uta": 1},
    }
    server.rest["bybit"]["/v5/account/info"] = {
        "retCode": 0,
        "retMsg": "",
        "result": {"unifiedMarginStatus": 4},
    }
