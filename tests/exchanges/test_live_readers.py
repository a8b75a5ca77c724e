"""Saved accounts as engine readers, against a local venue through the real HTTP stack."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from desktop.accounts import AccountConfig
from desktop.engine.feeds import AccountReader as AccountReaderProtocol
from desktop.engine.feeds import MarketReader as MarketReaderProtocol
from desktop.exchanges import ExchangeReadError
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.live import build_live_readers
from desktop.secrets import SecretStore
from risk import Account
from tests.exchanges.local_server import LocalVenue, local_venue, serve_bybit_account
from tests.exchanges.replay import case, load, swap_market

ORDER_BOOK = {
    # GET /v5/market/orderbook in Bybit's documented shape (handwritten): levels [price, size]
    "retCode": 0, "retMsg": "OK",
    "result": {"s": "LTCUSDT", "b": [["71.09", "100"], ["70.50", "50"], ["69.00", "999"]],
               "a": [["71.11", "80"], ["71.70", "20"], ["73.00", "999"]], "ts": 1699976566190, "u": 1},
    "time": 1699976566190,
}  # fmt: skip


def tickers_for_ltc() -> dict[str, Any]:
    """The recorded Bybit tickers reply (fetchFundingRate case) with its symbol set to LTCUSDT."""
    body = load("bybit.fetchFundingRate.json")["methods"]["fetchFundingRate"][0]["httpResponse"]
    body["result"]["list"][0]["symbol"] = "LTCUSDT"
    return body


def serve(venue: LocalVenue) -> None:
    serve_bybit_account(venue)
    venue.routes["/v5/market/tickers"] = (200, tickers_for_ltc(), 0.0)
    venue.routes["/v5/market/open-interest"] = (
        200,
        case("bybit.fetchOpenInterest.json", "fetchOpenInterest"),
        0,
    )
    venue.routes["/v5/market/orderbook"] = (200, ORDER_BOOK, 0.0)


def test_saved_account_feeds_the_engine_protocols(memory_keyring) -> None:
    secrets = SecretStore()
    config = AccountConfig("bybit:main", "bybit", "Main")
    secrets.set_many("bybit:main", {"apiKey": "live-key-1", "secret": "live-secret-1"})
    made: list[Any] = []

    with local_venue() as venue:
        serve(venue)

        def connect(name: str, credentials: Mapping[str, str]) -> Any:
            options = {"enableUnifiedAccount": True, "enableUnifiedMargin": False}
            ex = build_exchange(name, credentials, timeout_ms=2000, options=options)
            ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
            ex.set_markets([swap_market("LTCUSDT", "LTC", "USDT", "USDT", info={"fundingInterval": 480})])
            made.append((credentials, ex))
            return ex

        accounts, markets = build_live_readers([config], secrets, connect)
        assert [c for c, _ in made] == [{"apiKey": "live-key-1", "secret": "live-secret-1"}, {}]
        (reader,) = accounts
        (market,) = markets
        assert isinstance(reader, AccountReaderProtocol) and isinstance(market, MarketReaderProtocol)
        assert reader.poll_interval == 5.0 and reader.account_id == "bybit:main"

        async def scenario() -> tuple[Account, Any]:
            try:
                account = await reader.read_account()
                return account, await market.read_market()
            finally:
                await reader.close()
                await market.close()

        account, ticks = asyncio.run(scenario())
    assert all(ex.session is None for _, ex in made)
    assert reader.audit is not None and reader.audit.verdict == "read_only"
    assert account.wallet_balance == pytest.approx(3322.25896609)
    assert [p.instrument.symbol for p in account.positions] == ["LTC/USDT:USDT"]
    (tick,) = ticks
    raw_ticker = tickers_for_ltc()["result"]["list"][0]
    assert tick.symbol == "LTC/USDT:USDT"
    assert tick.mark_price == pytest.approx(float(raw_ticker["markPrice"]))
    assert tick.funding_rate == pytest.approx(float(raw_ticker["fundingRate"]))
    # depth within 1 % of mid 71.10: bids >= 70.389 (71.09*100 + 70.50*50), asks <= 71.811
    assert tick.bid_depth_1pct_usd == pytest.approx(71.09 * 100 + 70.50 * 50)
    assert tick.ask_depth_1pct_usd == pytest.approx(71.11 * 80 + 71.70 * 20)
    assert market.reader.feeds["liquidations"].state == "unsupported"


def test_app_monitors_saved_accounts_and_nothing_without_them(qapp, memory_keyring) -> None:
    from desktop.accounts import AccountsStore
    from desktop.app import _live_engine
    from desktop.settings import AppConfig

    assert _live_engine(AppConfig()) is None  # no saved account: the window opens without an engine
    AccountsStore().add(
        AccountConfig("hyperliquid:vault", "hyperliquid", "Vault", {"walletAddress": "0x" + "b" * 40})
    )
    engine = _live_engine(AppConfig())  # built, not started: no request is made
    assert engine is not None
    (reader,) = engine._state.account_readers.values()
    assert (reader.account_id, reader.venue, reader.poll_interval) == (
        "hyperliquid:vault",
        "hyperliquid",
        5.0,
    )
    asyncio.run(reader.close())
    for market in engine._state.market_readers.values():
        asyncio.run(market.close())


def test_a_key_that_can_withdraw_is_refused_before_any_position_read(memory_keyring) -> None:
    secrets = SecretStore()
    secrets.set_many("bybit:main", {"apiKey": "live-key-1", "secret": "live-secret-1"})
    withdraw = {
        "retCode": 0,
        "result": {"readOnly": 0, "permissions": {"Wallet": ["Withdraw"]}, "ips": ["*"]},
    }
    with local_venue() as venue:
        serve_bybit_account(venue)
        venue.routes["/v5/user/query-api"] = (200, withdraw, 0.0)

        def connect(name: str, credentials: Mapping[str, str]) -> Any:
            ex = build_exchange(name, credentials, timeout_ms=2000)
            ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
            return ex

        (reader,), markets = build_live_readers(
            [AccountConfig("bybit:main", "bybit", "Main")], secrets, connect
        )

        async def scenario() -> None:
            try:
                with pytest.raises(ExchangeReadError, match="can withdraw"):
                    await reader.read_account()
            finally:
                await reader.close()
                for market in markets:
                    await market.close()

        asyncio.run(scenario())
        assert venue.count("/v5/position/list") == 0
