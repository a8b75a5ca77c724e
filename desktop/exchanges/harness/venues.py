"""What each venue says on its sockets, built from the venues' documented payloads.

Per venue: a :class:`~.server.VenueProtocol` (subscribe and login acknowledgements, application-level
pings) and frame builders for the pushes LiqGuard watches. Shapes and field names follow the venues' API
documentation (links per builder); values are strings where the venue sends strings. :func:`point` aims a
ccxt (or ccxt.pro) exchange object's REST and WebSocket URLs at the harness.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

from desktop.exchanges.harness.server import LocalVenueServer, Socket, VenueProtocol

VENUES = ("binanceusdm", "bybit", "okx", "hyperliquid")
Levels = Sequence[tuple[float, float]]


def _s(value: float | None) -> str:
    return "" if value is None else repr(float(value))


# ---- Binance USD-M -----------------------------------------------------------------------------
class BinanceProtocol(VenueProtocol):
    """Binance USD-M futures streams: ``{"method": "SUBSCRIBE", "params": [...], "id": n}`` is answered
    ``{"result": null, "id": n}``; user data comes on the ``?listenKey=`` socket without subscribing."""

    name = "binanceusdm"

    def on_message(self, socket: Socket, message: Any) -> list[Any]:
        if isinstance(message, dict) and message.get("method") in ("SUBSCRIBE", "UNSUBSCRIBE"):
            params = [str(p) for p in message.get("params") or []]
            if message["method"] == "SUBSCRIBE":
                socket.topics.update(params)
            else:
                socket.topics.difference_update(params)
            return [{"result": None, "id": message.get("id")}]
        return []

    def is_private(self, path: str) -> bool:
        return "listenKey=" in path


def binance_mark(market_id: str, mark: float, index: float, funding: float, ts_ms: int) -> dict[str, Any]:
    """``<symbol>@markPrice@1s`` push (USD-M "Mark Price Stream": e, E, s, p, i, P, r, T)."""
    return {
        "e": "markPriceUpdate",
        "E": ts_ms,
        "s": market_id,
        "p": _s(mark),
        "ap": _s(mark),
        "i": _s(index),
        "P": _s(index),
        "r": _s(funding),
        "T": ts_ms - ts_ms % 28_800_000 + 28_800_000,
    }


def binance_account_update(
    ts_ms: int, balances: Mapping[str, float], positions: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """``ACCOUNT_UPDATE`` user-data push ("Event: Balance and Position Update"). ``positions`` items:
    ``s`` market id, ``pa`` signed amount, ``ep`` entry, ``mt`` cross/isolated, ``iw`` isolated wallet,
    ``up`` unrealised PnL, ``ps`` BOTH."""
    return {
        "e": "ACCOUNT_UPDATE",
        "E": ts_ms,
        "T": ts_ms,
        "a": {
            "m": "ORDER",
            "B": [
                {"a": asset, "wb": _s(wallet), "cw": _s(wallet), "bc": "0"}
                for asset, wallet in balances.items()
            ],
            "P": [
                {
                    "s": p["s"],
                    "pa": _s(p["pa"]),
                    "ep": _s(p["ep"]),
                    "bep": _s(p["ep"]),
                    "cr": "0",
                    "up": _s(p.get("up", 0.0)),
                    "mt": p.get("mt", "cross"),
                    "iw": _s(p.get("iw", 0.0)),
                    "ps": "BOTH",
                }
                for p in positions
            ],
        },
    }


def binance_depth_snapshot(update_id: int, bids: Levels, asks: Levels) -> dict[str, Any]:
    """``GET /fapi/v1/depth`` reply (lastUpdateId, E, T, bids, asks as [price, qty] strings)."""
    return {
        "lastUpdateId": update_id,
        "E": 0,
        "T": 0,
        "bids": [[_s(p), _s(q)] for p, q in bids],
        "asks": [[_s(p), _s(q)] for p, q in asks],
    }


def binance_depth_update(
    market_id: str, first: int, last: int, previous: int, ts_ms: int, bids: Levels, asks: Levels
) -> dict[str, Any]:
    """``<symbol>@depth`` diff push ("Diff. Book Depth Streams": U first id, u last id, pu previous u)."""
    return {
        "e": "depthUpdate",
        "E": ts_ms,
        "T": ts_ms,
        "s": market_id,
        "U": first,
        "u": last,
        "pu": previous,
        "b": [[_s(p), _s(q)] for p, q in bids],
        "a": [[_s(p), _s(q)] for p, q in asks],
    }


# ---- Bybit v5 ----------------------------------------------------------------------------------
class BybitProtocol(VenueProtocol):
    """Bybit v5: ``{"op": "subscribe", "req_id", "args"}`` -> ``{"success": true, "op": "subscribe", ...}``;
    ``{"op": "auth"}`` -> success; ``{"op": "ping"}`` -> ``{"op": "pong"}``."""

    name = "bybit"
    _conn = itertools.count(1)

    def on_message(self, socket: Socket, message: Any) -> list[Any]:
        if not isinstance(message, dict):
            return []
        op = message.get("op")
        base = {"success": True, "ret_msg": "", "conn_id": f"harness-{next(self._conn)}"}
        if op == "subscribe":
            socket.topics.update(str(a) for a in message.get("args") or [])
            return [{**base, "op": "subscribe", "req_id": message.get("req_id")}]
        if op == "unsubscribe":
            socket.topics.difference_update(str(a) for a in message.get("args") or [])
            return [{**base, "op": "unsubscribe", "req_id": message.get("req_id")}]
        if op == "auth":
            return [{**base, "op": "auth", "req_id": message.get("req_id")}]
        if op == "ping":
            return [
                {**base, "op": "pong", "req_id": message.get("req_id"), "args": [str(message.get("req_id"))]}
            ]
        return []


def bybit_ticker(
    market_id: str, mark: float, index: float, funding: float, open_interest: float, ts_ms: int
) -> dict[str, Any]:
    """``tickers.<SYMBOL>`` snapshot push (v5 public "Ticker", linear)."""
    return {
        "topic": f"tickers.{market_id}",
        "type": "snapshot",
        "cs": ts_ms,
        "ts": ts_ms,
        "data": {
            "symbol": market_id,
            "tickDirection": "ZeroPlusTick",
            "price24hPcnt": "0",
            "lastPrice": _s(mark),
            "prevPrice24h": _s(mark),
            "highPrice24h": _s(mark),
            "lowPrice24h": _s(mark),
            "prevPrice1h": _s(mark),
            "markPrice": _s(mark),
            "indexPrice": _s(index),
            "openInterest": _s(open_interest),
            "openInterestValue": _s(open_interest * mark),
            "turnover24h": "0",
            "volume24h": "0",
            "nextFundingTime": str(ts_ms - ts_ms % 28_800_000 + 28_800_000),
            "fundingRate": _s(funding),
            "bid1Price": _s(mark),
            "bid1Size": "1",
            "ask1Price": _s(mark),
            "ask1Size": "1",
        },
    }


def bybit_position(ts_ms: int, positions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``position`` private push (v5 "Position"): items with symbol, side Buy/Sell, size, entryPrice,
    markPrice, tradeMode 0 cross / 1 isolated, positionIM, positionMM, liqPrice, category linear."""
    return {
        "id": f"pos-{ts_ms}",
        "topic": "position",
        "creationTime": ts_ms,
        "data": [
            {
                "category": "linear",
                "symbol": p["symbol"],
                "side": p["side"],
                "size": _s(p["size"]),
                "positionIdx": 0,
                "tradeMode": p.get("tradeMode", 0),
                "positionValue": _s(p["size"] * p["entryPrice"]),
                "riskId": 1,
                "riskLimitValue": "2000000",
                "entryPrice": _s(p["entryPrice"]),
                "markPrice": _s(p.get("markPrice", p["entryPrice"])),
                "leverage": _s(p.get("leverage", 10)),
                "positionBalance": _s(p.get("positionBalance", 0)),
                "autoAddMargin": 0,
                "positionMM": "0",
                "positionIM": "0",
                "liqPrice": _s(p.get("liqPrice")),
                "bustPrice": "",
                "tpslMode": "Full",
                "takeProfit": "0",
                "stopLoss": "0",
                "trailingStop": "0",
                "unrealisedPnl": "0",
                "curRealisedPnl": "0",
                "cumRealisedPnl": "0",
                "sessionAvgPrice": "",
                "createdTime": str(ts_ms),
                "updatedTime": str(ts_ms),
                "positionStatus": "Normal",
                "adlRankIndicator": 2,
                "isReduceOnly": False,
                "seq": ts_ms,
            }
            for p in positions
        ],
    }


def bybit_orderbook(market_id: str, update_id: int, ts_ms: int, bids: Levels, asks: Levels) -> dict[str, Any]:
    """``orderbook.50.<SYMBOL>`` snapshot push (v5 public "Orderbook")."""
    return {
        "topic": f"orderbook.50.{market_id}",
        "type": "snapshot",
        "ts": ts_ms,
        "cts": ts_ms,
        "data": {
            "s": market_id,
            "b": [[_s(p), _s(q)] for p, q in bids],
            "a": [[_s(p), _s(q)] for p, q in asks],
            "u": update_id,
            "seq": update_id,
        },
    }


# ---- OKX v5 ------------------------------------------------------------------------------------
class OkxProtocol(VenueProtocol):
    """OKX v5: subscribe -> ``{"event": "subscribe", "arg": ...}``; login -> ``{"event": "login",
    "code": "0"}``; the text ``ping`` -> ``pong``. Topics are ``channel:instId`` (or the channel)."""

    name = "okx"

    def on_message(self, socket: Socket, message: Any) -> list[Any]:
        if message == "ping":
            return ["pong"]
        if not isinstance(message, dict):
            return []
        op = message.get("op")
        if op == "login":
            return [{"event": "login", "code": "0", "msg": "", "connId": "harness"}]
        if op in ("subscribe", "unsubscribe"):
            replies: list[Any] = []
            for arg in message.get("args") or []:
                topic = okx_topic(arg)
                (socket.topics.add if op == "subscribe" else socket.topics.discard)(topic)
                replies.append({"event": op, "arg": arg, "connId": "harness"})
            return replies
        return []


def okx_topic(arg: Mapping[str, Any]) -> str:
    channel = str(arg.get("channel"))
    return f"{channel}:{arg['instId']}" if arg.get("instId") else channel


def okx_mark(inst_id: str, mark: float, ts_ms: int) -> dict[str, Any]:
    """``mark-price`` push (v5 public "Mark price channel")."""
    return {
        "arg": {"channel": "mark-price", "instId": inst_id},
        "data": [{"instType": "SWAP", "instId": inst_id, "markPx": _s(mark), "ts": str(ts_ms)}],
    }


def okx_funding(inst_id: str, funding: float, ts_ms: int) -> dict[str, Any]:
    """``funding-rate`` push (v5 public "Funding rate channel")."""
    next_time = ts_ms - ts_ms % 28_800_000 + 28_800_000
    return {
        "arg": {"channel": "funding-rate", "instId": inst_id},
        "data": [
            {
                "instType": "SWAP",
                "instId": inst_id,
                "fundingRate": _s(funding),
                "fundingTime": str(next_time),
                "nextFundingRate": "",
                "nextFundingTime": str(next_time + 28_800_000),
                "method": "current_period",
                "premium": "0",
                "settState": "settled",
                "settFundingRate": _s(funding),
                "impactValue": "",
                "interestRate": "0",
                "minFundingRate": "-0.0075",
                "maxFundingRate": "0.0075",
                "sign": "",
                "ts": str(ts_ms),
            }
        ],
    }


def okx_positions(ts_ms: int, positions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``positions`` private push (v5 "Positions channel"; items as in GET /api/v5/account/positions)."""
    return {
        "arg": {"channel": "positions", "instType": "ANY", "uid": "harness"},
        "data": [
            {
                "instType": "SWAP",
                "instId": p["instId"],
                "mgnMode": p.get("mgnMode", "cross"),
                "posSide": "net",
                "pos": _s(p["pos"]),
                "ccy": "USDT",
                "posCcy": "",
                "avgPx": _s(p["avgPx"]),
                "markPx": _s(p.get("markPx")),
                "lever": _s(p.get("lever", 10)),
                "liqPx": _s(p.get("liqPx")),
                "margin": _s(p.get("margin")),
                "imr": "",
                "mmr": "0",
                "mgnRatio": "",
                "upl": "0",
                "notionalUsd": "",
                "adl": "1",
                "uTime": str(ts_ms),
                "cTime": str(ts_ms),
                "pTime": str(ts_ms),
                "posId": p.get("posId", "1"),
            }
            for p in positions
        ],
    }


def okx_books5(inst_id: str, ts_ms: int, bids: Levels, asks: Levels) -> dict[str, Any]:
    """``books5`` push (v5 public "Order book channel", 5 levels, always a full snapshot)."""
    return {
        "arg": {"channel": "books5", "instId": inst_id},
        "data": [
            {
                "asks": [[_s(p), _s(q), "0", "1"] for p, q in asks],
                "bids": [[_s(p), _s(q), "0", "1"] for p, q in bids],
                "instId": inst_id,
                "ts": str(ts_ms),
                "seqId": ts_ms,
            }
        ],
    }


# ---- Hyperliquid -------------------------------------------------------------------------------
class HyperliquidProtocol(VenueProtocol):
    """Hyperliquid: ``{"method": "subscribe", "subscription": {...}}`` ->
    ``{"channel": "subscriptionResponse", "data": <the request>}``; ``{"method": "ping"}`` ->
    ``{"channel": "pong"}``. Topics are ``type:coin`` (or ``type``). One socket carries everything."""

    name = "hyperliquid"
    one_socket = True

    def on_message(self, socket: Socket, message: Any) -> list[Any]:
        if not isinstance(message, dict):
            return []
        method = message.get("method")
        if method == "ping":
            return [{"channel": "pong"}]
        if method in ("subscribe", "unsubscribe"):
            sub = message.get("subscription") or {}
            topic = hyperliquid_topic(sub)
            (socket.topics.add if method == "subscribe" else socket.topics.discard)(topic)
            return [{"channel": "subscriptionResponse", "data": message}]
        return []


def hyperliquid_topic(subscription: Mapping[str, Any]) -> str:
    kind = str(subscription.get("type"))
    return f"{kind}:{subscription['coin']}" if subscription.get("coin") else kind


def hyperliquid_asset_ctx(
    coin: str, mark: float, oracle: float, funding: float, open_interest: float
) -> dict[str, Any]:
    """``activeAssetCtx`` push (WebSocket "Subscriptions": markPx, oraclePx, funding per hour, OI)."""
    return {
        "channel": "activeAssetCtx",
        "data": {
            "coin": coin,
            "ctx": {
                "dayNtlVlm": "0",
                "prevDayPx": _s(mark),
                "markPx": _s(mark),
                "midPx": _s(mark),
                "oraclePx": _s(oracle),
                "funding": _s(funding),
                "openInterest": _s(open_interest),
                "premium": "0",
                "impactPxs": [_s(mark), _s(mark)],
                "dayBaseVlm": "0",
            },
        },
    }


def hyperliquid_clearinghouse(user: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """``clearinghouseState`` push: the same state as ``POST /info {"type": "clearinghouseState"}``."""
    return {
        "channel": "clearinghouseState",
        "data": {"dex": "", "user": user, "clearinghouseState": dict(state)},
    }


def hyperliquid_l2book(coin: str, ts_ms: int, bids: Levels, asks: Levels) -> dict[str, Any]:
    """``l2Book`` push (levels: [bids, asks], each ``{"px", "sz", "n"}``)."""
    side = lambda levels: [{"px": _s(p), "sz": _s(q), "n": 1} for p, q in levels]  # noqa: E731
    return {"channel": "l2Book", "data": {"coin": coin, "time": ts_ms, "levels": [side(bids), side(asks)]}}


PROTOCOLS: dict[str, type[VenueProtocol]] = {
    "binanceusdm": BinanceProtocol,
    "bybit": BybitProtocol,
    "okx": OkxProtocol,
    "hyperliquid": HyperliquidProtocol,
}


def harness(venues: Sequence[str] = VENUES) -> LocalVenueServer:
    """A (not yet started) server speaking ``venues``."""
    return LocalVenueServer({v: PROTOCOLS[v]() for v in venues})


def point(exchange: Any, server: LocalVenueServer, venue: str | None = None) -> Any:
    """Aim ``exchange``'s REST and WebSocket URLs at ``server`` (call before any request)."""
    venue = venue or str(exchange.id)
    http, ws = server.http_base(venue), server.ws_base(venue)
    api = exchange.urls["api"]
    if venue == "binanceusdm":
        rest = {k: http + urlparse(v).path for k, v in api.items() if isinstance(v, str)}
        exchange.urls["api"] = {**rest, "ws": {"linear": ws + "/ws", "inverse": ws + "/ws"}}
    elif venue == "bybit":
        rest = {k: http for k, v in api.items() if isinstance(v, str)}
        private = ws + "/v5/private"
        exchange.urls["api"] = {
            **rest,
            "ws": {
                "public": {
                    "linear": ws + "/v5/public/linear",
                    "inverse": ws + "/v5/public/inverse",
                    "spot": ws + "/v5/public/spot",
                    "option": ws + "/v5/public/option",
                },
                "private": {
                    "contract": private,
                    "spot": {"unified": private, "nonUnified": private},
                    "usdc": private,
                    "trade": ws + "/v5/trade",
                },
            },
        }
    elif venue == "okx":
        exchange.urls["api"] = {"rest": http, "ws": ws + "/ws/v5"}
    elif venue == "hyperliquid":
        exchange.urls["api"] = {"public": http, "private": http, "ws": {"public": ws + "/ws"}}
    else:
        raise ValueError(f"the harness does not speak {venue!r}")
    return exchange
