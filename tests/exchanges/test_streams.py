"""Public liquidation streams with ccxt.pro, offline: frames injected into the real ws client
(ccxt-notes.md section 4.6). Frame shapes are the venues' documented ones."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import ccxt.pro as ccxtpro
import pytest

from desktop.exchanges.streams import LiquidationStream, liquidated_side
from tests.exchanges.replay import swap_market


class FakeWsConnection:
    closed = False

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send_str(self, message: str) -> None:
        self.sent.append(json.loads(message))

    async def close(self, code: int = 1000) -> None:
        return None


def mock_transport(exchange: Any, url: str) -> Any:
    client = exchange.client(url)
    client.connecting = True
    client.connection = FakeWsConnection()
    client.isConnected = True
    if not client.connected.done():
        client.connected.resolve(url)
    return client


def bybit_liquidation(symbol: str, side: str, size: str, price: str, ts: int) -> dict[str, Any]:
    # Bybit v5 public "allLiquidation.<SYMBOL>" push
    # (bybit-exchange.github.io/docs/v5/websocket/public/all-liquidation)
    return {"topic": f"allLiquidation.{symbol}", "type": "snapshot", "ts": ts,
            "data": [{"T": ts, "s": symbol, "S": side, "v": size, "p": price}]}  # fmt: skip


def test_bybit_stream_normalises_side_and_notional() -> None:
    async def scenario() -> tuple[list[Any], list[Any], Any]:
        ex = ccxtpro.bybit({"enableRateLimit": False})
        ex.set_markets(
            [swap_market("ROSEUSDT", "ROSE", "USDT", "USDT"), swap_market("BTCUSDT", "BTC", "USDT", "USDT")]
        )
        client = mock_transport(ex, ex.implode_hostname(ex.urls["api"]["ws"]["public"]["linear"]))
        stream = LiquidationStream(ex)
        try:
            stream.watch(["ROSE/USDT:USDT", "BTC/USDT:USDT"])
            for _ in range(5):
                await asyncio.sleep(0)
            ex.handle_message(
                client, bybit_liquidation("ROSEUSDT", "Sell", "20000", "0.04499", 1739502302929)
            )
            ex.handle_message(client, bybit_liquidation("BTCUSDT", "Buy", "0.5", "97000", 1739502303000))
            for _ in range(5):
                await asyncio.sleep(0)
            first = stream.drain()
            second = stream.drain()
            return first, second, client.connection.sent
        finally:
            await stream.stop()
            await ex.close()

    events, again, sent = asyncio.run(scenario())
    assert again == []
    by_symbol = {e.symbol: e for e in events}
    rose, btc = by_symbol["ROSE/USDT:USDT"], by_symbol["BTC/USDT:USDT"]
    assert (rose.liquidated, rose.notional, rose.timestamp) == (
        "short",
        pytest.approx(20000 * 0.04499),
        1739502302929,
    )
    assert (btc.liquidated, btc.notional) == (
        "long",
        pytest.approx(0.5 * 97000),
    )  # Bybit "Buy" = long position
    topics = {arg for frame in sent for arg in frame.get("args", [])}
    assert {"allLiquidation.ROSEUSDT", "allLiquidation.BTCUSDT"} <= topics


def test_side_conventions_per_venue() -> None:
    assert (
        liquidated_side("binanceusdm", {"side": "sell"}) == "long"
    )  # forceOrder: a SELL order closes a long
    assert liquidated_side("bybit", {"side": "sell"}) == "short"
    assert liquidated_side("okx", {"side": "buy", "info": {"posSide": "long"}}) == "long"
    assert liquidated_side("okx", {"side": "buy", "info": {}}) == "short"
    assert liquidated_side("bybit", {"side": None}) is None


def test_venues_without_a_public_stream_say_so() -> None:
    async def scenario() -> str:
        ex = ccxtpro.hyperliquid({"enableRateLimit": False})
        try:
            stream = LiquidationStream(ex)
            stream.watch(["BTC/USDC:USDC"])
            return stream.status.state
        finally:
            await ex.close()

    assert asyncio.run(scenario()) == "unsupported"


def test_market_reader_folds_streamed_liquidations_into_ticks() -> None:
    from types import SimpleNamespace

    from desktop.exchanges.live import ExchangeMarketReader
    from tests.exchanges.local_server import local_venue
    from tests.exchanges.test_live_readers import ORDER_BOOK, tickers_for_ltc

    holder = SimpleNamespace(reader=SimpleNamespace(held_symbols=["LTC/USDT:USDT"]))  # an account holding LTC

    async def scenario(base: str) -> tuple[Any, Any]:
        ex = ccxtpro.bybit({"enableRateLimit": False, "timeout": 2000})
        ex.urls["api"] = {**ex.urls["api"], **{k: base for k, v in ex.urls["api"].items() if k != "ws"}}
        ex.set_markets([swap_market("LTCUSDT", "LTC", "USDT", "USDT")])
        client = mock_transport(ex, ex.implode_hostname(ex.urls["api"]["ws"]["public"]["linear"]))
        market = ExchangeMarketReader("bybit", ex, [holder], streaming=True)  # type: ignore[list-item]
        try:
            first = await market.read_market()  # starts the watcher; nothing liquidated yet
            for _ in range(5):
                await asyncio.sleep(0)
            ex.handle_message(client, bybit_liquidation("LTCUSDT", "Buy", "10", "71.0", 1739502302929))
            for _ in range(5):  # a real socket yields to the loop between frames
                await asyncio.sleep(0)
            ex.handle_message(client, bybit_liquidation("LTCUSDT", "Sell", "4", "71.5", 1739502302930))
            for _ in range(5):
                await asyncio.sleep(0)
            second = await market.read_market()
            return first, second
        finally:
            await market.close()

    with local_venue() as venue:
        venue.routes["/v5/market/tickers"] = (200, tickers_for_ltc(), 0.0)
        venue.routes["/v5/market/orderbook"] = (200, ORDER_BOOK, 0.0)
        venue.routes["/v5/market/open-interest"] = (200, {"retCode": 0, "result": {"list": []}}, 0.0)
        (first,), (second,) = asyncio.run(scenario(venue.base))
    assert first.liq_long_usd is None  # the stream was not running yet
    assert second.liq_long_usd == pytest.approx(10 * 71.0)  # "Buy": a long position was liquidated
    assert second.liq_short_usd == pytest.approx(4 * 71.5)
