"""Funding paid over 24 h: the real ccxt 4.5.90 ``fetch_funding_history`` parsers on payloads in the venues'
documented shapes, the 10-minute cadence, the unknown-on-failure rule, and the live reader end to end.

Payload sources: Binance USD-M ``GET /fapi/v1/income`` response example (developers.binance.com,
"Get Income History", the FUNDING_FEE row quoted in ccxt's ``binance.parse_income``); Bybit
``GET /v5/execution/list`` response wrapper (bybit-exchange.github.io/docs/v5/order/execution) with the
``execType: Funding`` row quoted in ccxt's ``bybit.parse_income``. Amounts and times beyond those rows are
handwritten in the same shape. Expected totals are summed here from the raw strings, not from ccxt.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import ccxt.async_support as accxt
import pytest

from desktop.accounts import AccountConfig
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.funding_paid import FUNDING_PAID_TTL, FundingPaidTracker
from desktop.exchanges.guard import ReadOnlyExchange
from desktop.exchanges.live import build_live_readers
from desktop.secrets import SecretStore
from tests.exchanges.local_server import local_venue
from tests.exchanges.replay import Replay, query, swap_market
from tests.exchanges.test_live_readers import serve

NOW = 1_621_584_000.0 + 8 * 3600  # 8 h after the documented row's funding time
BINANCE_INCOME = [
    # the documented FUNDING_FEE row: received 0.00134317 USDT at 2021-05-21 08:00 UTC
    {"symbol": "ETHUSDT", "incomeType": "FUNDING_FEE", "income": "0.00134317", "asset": "USDT",
     "time": 1621584000000, "info": "FUNDING_FEE", "tranId": "4480321991774044580", "tradeId": ""},
    # paid 1.25 USDT at 00:00 UTC the same day (within the 24 h)
    {"symbol": "BTCUSDT", "incomeType": "FUNDING_FEE", "income": "-1.25000000", "asset": "USDT",
     "time": 1621555200000, "info": "FUNDING_FEE", "tranId": "4480321991774044581", "tradeId": ""},
    # older than 24 h: must not count even if the venue returns it
    {"symbol": "BTCUSDT", "incomeType": "FUNDING_FEE", "income": "-9.00000000", "asset": "USDT",
     "time": 1621497600000, "info": "FUNDING_FEE", "tranId": "4480321991774044582", "tradeId": ""},
]  # fmt: skip


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def binanceusdm(replay: Replay) -> Any:
    ex = accxt.binanceusdm({"apiKey": "k" * 64, "secret": "s" * 64, "enableRateLimit": False})
    ex.set_markets(
        [swap_market("BTCUSDT", "BTC", "USDT", "USDT"), swap_market("ETHUSDT", "ETH", "USDT", "USDT")]
    )
    ex.fetch = replay
    return ex


def test_binance_usdm_income_funding_fee_through_the_real_parser() -> None:
    replay = Replay([("/fapi/v1/income", BINANCE_INCOME)])
    ex = binanceusdm(replay)
    tracker = FundingPaidTracker("binanceusdm", "Binance", clock=lambda: NOW)
    run(tracker.refresh(ReadOnlyExchange(ex)))
    assert replay.paths == ["/fapi/v1/income"]
    sent = query(replay.calls[0][1])
    assert sent["incomeType"] == "FUNDING_FEE"
    assert int(sent["startTime"]) == int((NOW - 86_400) * 1000)
    # Binance's income is the wallet change: + received, - paid; the 9.00 row is older than 24 h
    assert tracker.paid("USDT") == pytest.approx(0.00134317 - 1.25)
    assert tracker.paid("USDC") == 0.0  # read, and nothing booked in USDC


def test_read_at_most_every_ten_minutes_and_a_failure_is_unknown_not_zero() -> None:
    now = [NOW]
    replay = Replay([("/fapi/v1/income", BINANCE_INCOME)])
    ex = ReadOnlyExchange(binanceusdm(replay))
    tracker = FundingPaidTracker("binanceusdm", "Binance", clock=lambda: now[0])
    run(tracker.refresh(ex))
    now[0] += FUNDING_PAID_TTL - 1
    run(tracker.refresh(ex))
    assert len(replay.calls) == 1
    replay.routes = []  # the venue now fails
    now[0] += 1
    run(tracker.refresh(ex))
    assert len(replay.calls) == 2
    assert tracker.paid("USDT") is None


def test_unsupported_venue_is_unknown_without_a_request() -> None:
    tracker = FundingPaidTracker("okx", "OKX", clock=lambda: NOW)
    run(tracker.refresh(object()))  # no fetch_funding_history call on it
    assert tracker.paid("USDT") is None


def bybit_execution_list(now: float) -> dict[str, Any]:
    hour = 3_600_000
    at = int(now * 1000)
    rows = [
        # ccxt's documented Funding row (execFee -0.10232512: a negative fee, i.e. received)
        {"symbol": "LTCUSDT", "orderType": "UNKNOWN", "underlyingPrice": "", "orderLinkId": "",
         "orderId": "a11e5fe2-1dbf-4bab-a9b2-af80a14efc5d", "stopOrderType": "UNKNOWN",
         "execTime": str(at - 2 * hour), "feeCurrency": "", "createType": "", "feeRate": "-0.000761",
         "tradeIv": "", "blockTradeId": "", "markPrice": "136.79", "execPrice": "137.11", "markIv": "",
         "orderQty": "0", "orderPrice": "0", "execValue": "134.3678", "closedSize": "0",
         "execType": "Funding", "seq": "28097658790", "side": "Sell", "indexPrice": "", "leavesQty": "0",
         "isMaker": False, "execFee": "-0.10232512", "execId": "8d1ef156-4ec6-4445-9a6c-1c0c24dbd046",
         "marketUnit": "", "execQty": "0.98"},
        # a paid one: fee 0.5 USDT
        {"symbol": "LTCUSDT", "orderType": "UNKNOWN", "underlyingPrice": "", "orderLinkId": "",
         "orderId": "b11e5fe2-1dbf-4bab-a9b2-af80a14efc5d", "stopOrderType": "UNKNOWN",
         "execTime": str(at - 10 * hour), "feeCurrency": "", "createType": "", "feeRate": "0.0001",
         "tradeIv": "", "blockTradeId": "", "markPrice": "71.10", "execPrice": "71.10", "markIv": "",
         "orderQty": "0", "orderPrice": "0", "execValue": "5000", "closedSize": "0",
         "execType": "Funding", "seq": "28097658791", "side": "Buy", "indexPrice": "", "leavesQty": "0",
         "isMaker": False, "execFee": "0.5", "execId": "9d1ef156-4ec6-4445-9a6c-1c0c24dbd046",
         "marketUnit": "", "execQty": "70.3"},
    ]  # fmt: skip
    return {
        "retCode": 0,
        "retMsg": "OK",
        "result": {"nextPageCursor": "", "category": "linear", "list": rows},
        "retExtInfo": {},
        "time": at,
    }


def live_bybit_reader(venue: Any) -> Any:
    secrets = SecretStore()
    config = AccountConfig("bybit:main", "bybit", "Main")
    secrets.set_many("bybit:main", {"apiKey": "live-key-1", "secret": "live-secret-1"})

    def connect(name: str, credentials: Mapping[str, str]) -> Any:
        options = {"enableUnifiedAccount": True, "enableUnifiedMargin": False}
        ex = build_exchange(name, credentials, timeout_ms=2000, options=options)
        ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
        ex.set_markets([swap_market("LTCUSDT", "LTC", "USDT", "USDT", info={"fundingInterval": 480})])
        return ex

    (reader,), _ = build_live_readers([config], secrets, connect)
    return reader


async def read_once(reader: Any) -> None:
    try:
        await reader.read_account()
    finally:
        await reader.close()


def test_bybit_live_reader_reports_funding_paid_over_24h(memory_keyring) -> None:
    with local_venue() as venue:
        serve(venue)
        venue.routes["/v5/execution/list"] = (200, bybit_execution_list(time.time()), 0.0)
        reader = live_bybit_reader(venue)
        assert reader.funding_paid_24h is None  # nothing read yet
        run(read_once(reader))
    # Bybit's execFee is a fee (+ = paid): received 0.10232512, paid 0.5
    assert reader.funding_paid_24h == pytest.approx(0.10232512 - 0.5)


def test_bybit_funding_read_failure_leaves_the_account_readable(memory_keyring) -> None:
    with local_venue() as venue:
        serve(venue)  # no /v5/execution/list: the venue answers 404
        reader = live_bybit_reader(venue)
        run(read_once(reader))
    assert reader.latest is not None and reader.latest.feeds["positions"].state == "ok"
    assert reader.funding_paid_24h is None
