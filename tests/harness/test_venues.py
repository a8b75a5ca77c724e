"""The harness speaks each venue well enough for the real ccxt.pro stack: subscribe, parse, private
streams (Binance's listenKey, Bybit/OKX login, Hyperliquid's user subscription)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from desktop.exchanges.harness.server import LocalVenueServer
from tests.harness.common import SYMBOLS, mark_frame, position_frame, pro_exchange

VENUES = ["binanceusdm", "bybit", "okx", "hyperliquid"]
MARK_METHOD = {"binanceusdm": "watch_mark_price", "okx": "watch_mark_price"}
"""Binance and OKX have a mark-price stream; Bybit and Hyperliquid carry the mark in the ticker."""


def push_when_subscribed(server: LocalVenueServer, venue: str, frame: Any, private: bool = False) -> None:
    def run() -> None:
        # a private Binance socket needs no subscription: wait for the connection instead
        server.wait_for(lambda: any(s.venue == venue and (s.topics or private) for s in server.sockets), 5)
        time.sleep(0.05)
        server.publish(venue, frame, private=private)

    threading.Thread(target=run, daemon=True).start()


@pytest.mark.parametrize("venue", VENUES)
def test_public_mark_stream_reaches_ccxt_pro(server: LocalVenueServer, venue: str) -> None:
    async def scenario() -> Any:
        exchange = pro_exchange(venue, server)
        try:
            push_when_subscribed(server, venue, mark_frame(venue, 101.25))
            method = getattr(exchange, MARK_METHOD.get(venue, "watch_ticker"))
            return await asyncio.wait_for(method(SYMBOLS[venue]), 5)
        finally:
            await exchange.close()

    ticker = asyncio.run(scenario())
    assert ticker["symbol"] == SYMBOLS[venue]
    # ccxt 4.5.90 leaves Hyperliquid's markPx in info (its unified markPrice is None)
    mark = ticker["markPrice"] if venue != "hyperliquid" else float(ticker["info"]["markPx"])
    assert mark == pytest.approx(101.25)


@pytest.mark.parametrize("venue", VENUES)
def test_private_position_stream_reaches_ccxt_pro(server: LocalVenueServer, venue: str) -> None:
    async def scenario() -> list[Any]:
        exchange = pro_exchange(venue, server, watchPositions={"fetchPositionsSnapshot": False})
        try:
            private = venue != "hyperliquid"
            push_when_subscribed(server, venue, position_frame(venue, 0.5, 100.0), private=private)
            return await asyncio.wait_for(exchange.watch_positions(), 5)
        finally:
            await exchange.close()

    (position,) = asyncio.run(scenario())
    size = position["contracts"] * (position["contractSize"] or 1.0)
    assert (position["symbol"], position["side"], size, position["entryPrice"]) == (
        SYMBOLS[venue],
        "long",
        pytest.approx(0.5),
        100.0,
    )
    if venue == "binanceusdm":
        assert ("binanceusdm", "POST", "/fapi/v1/listenKey") in server.requests
