"""The account's own liquidations and ADL through ccxt's real parser, on a recorded payload."""

from __future__ import annotations

import asyncio

import ccxt
import ccxt.async_support as accxt
import pytest

from desktop.exchanges.guard import is_allowed_method
from desktop.exchanges.liquidation_history import fetch_liquidation_records
from tests.exchanges.replay import Replay, swap_market

# Binance USD-M "User's Force Orders" (GET /fapi/v1/forceOrders) reply, the linear example of
# ccxt 4.5.90 binance.parse_liquidation (the Binance API docs' own example), plus the same order as an
# auto-deleveraging close ("adl_autoclose-" client order id, Binance docs: autoCloseType=ADL).
FORCE_ORDERS = [
    {
        "orderId": 6071832819,
        "symbol": "BTCUSDT",
        "status": "FILLED",
        "clientOrderId": "autoclose-1596107620040000020",
        "price": "10871.09",
        "avgPrice": "10913.21000",
        "origQty": "0.001",
        "executedQty": "0.002",
        "cumQuote": "10.91321",
        "timeInForce": "IOC",
        "type": "LIMIT",
        "reduceOnly": False,
        "closePosition": False,
        "side": "SELL",
        "positionSide": "BOTH",
        "stopPrice": "0",
        "workingType": "CONTRACT_PRICE",
        "origType": "LIMIT",
        "time": 1596107620044,
        "updateTime": 1596107620087,
    },
    {
        "orderId": 6071832820,
        "symbol": "BTCUSDT",
        "status": "FILLED",
        "clientOrderId": "adl_autoclose-1596107630040000021",
        "price": "10900.00",
        "avgPrice": "10900.00",
        "origQty": "0.003",
        "executedQty": "0.003",
        "cumQuote": "32.7",
        "side": "BUY",
        "positionSide": "SHORT",
        "type": "LIMIT",
        "time": 1596107630044,
        "updateTime": 1596107630087,
    },
]


def test_guard_allows_the_reading_method():
    assert is_allowed_method("binanceusdm", "fetch_my_liquidations")


def test_binance_force_orders_become_records():
    ex = accxt.binanceusdm({"apiKey": "k", "secret": "s", "enableRateLimit": False})
    ex.set_markets([swap_market("BTCUSDT", "BTC", "USDT", "USDT")])
    ex.fetch = Replay([("/fapi/v1/forceOrders", FORCE_ORDERS)])

    async def run():
        try:
            return await fetch_liquidation_records(ex, "BTC/USDT:USDT", 1596107000000)
        finally:
            await ex.close()

    liquidation, adl = asyncio.run(run())
    assert (liquidation.symbol, liquidation.side, liquidation.kind) == (
        "BTC/USDT:USDT",
        "long",
        "liquidation",
    )
    assert liquidation.contracts == 0.002 and liquidation.price == 10913.21  # executedQty, avgPrice
    assert liquidation.timestamp_ms == 1596107620087 and liquidation.realized_pnl is None
    assert (adl.side, adl.kind, adl.contracts) == ("short", "adl", 0.003)  # hedge-mode positionSide wins


def test_venue_without_history_says_so():
    ex = accxt.okx({"enableRateLimit": False})

    async def run():
        try:
            await fetch_liquidation_records(ex, "BTC/USDT:USDT", None)
        finally:
            await ex.close()

    with pytest.raises(ccxt.NotSupported, match="okx"):
        asyncio.run(run())
