"""The read-only guard refuses every ccxt method that is not a read, for all seven venues."""

from __future__ import annotations

import asyncio
import re

import ccxt
import ccxt.async_support as ccxt_async
import ccxt.pro as ccxt_pro
import pytest

from desktop.exchanges import ReadOnlyExchange
from desktop.exchanges.guard import ALLOWED_ENDPOINTS, is_allowed_method
from tests.exchanges.replay import swap_market

VENUES = ("binanceusdm", "binancecoinm", "bybit", "okx", "gate", "bitget", "hyperliquid")

_READ_VERBS = ("fetch_", "watch_", "un_watch_", "load_")
_LOCAL_HELPERS = {
    "set_markets", "market", "market_id", "currency", "close", "is_unified_enabled", "milliseconds",
    "iso8601", "parse8601", "amount_to_precision", "price_to_precision", "check_required_credentials",
}  # fmt: skip


def _reads_by_name(venue: str, name: str) -> bool:
    """The test's own notion of a read: a reading verb, a local helper, a GET endpoint or HL's /info."""
    if name.startswith(_READ_VERBS):
        return not name.startswith(("fetch_deposit_address", "fetch_convert_quote"))
    if name in _LOCAL_HELPERS:
        return True
    if name in ALLOWED_ENDPOINTS.get(venue, ()):
        is_get = "Get" in name or "_get_" in name
        listen_key = venue.startswith("binance") and name.replace("_", "").lower().endswith("postlistenkey")
        hl_info = venue == "hyperliquid" and name in ("publicPostInfo", "public_post_info")
        return is_get or listen_key or hl_info
    return False


MUST_REFUSE = (
    "create_order",
    "create_orders",
    "cancel_order",
    "cancel_all_orders",
    "edit_order",
    "set_leverage",
    "set_margin_mode",
    "set_position_mode",
    "set_margin",
    "add_margin",
    "reduce_margin",
    "transfer",
    "withdraw",
    "close_position",
    "close_all_positions",
    "fetch",
    "fetch2",
    "fetch_deposit_address",
    "request",
    "sign",
)


def _public_methods(exchange: object) -> list[str]:
    names = []
    for name in dir(type(exchange)):
        if name.startswith("_"):
            continue
        try:
            value = getattr(exchange, name)
        except Exception:  # some descriptors raise on a bare instance; they are not reachable anyway
            continue
        if callable(value):
            names.append(name)
    return names


def _instances() -> list[tuple[str, object]]:
    out = []
    for module in (ccxt, ccxt_async, ccxt_pro):
        for venue in VENUES:
            out.append((f"{module.__name__}.{venue}", getattr(module, venue)({"enableRateLimit": False})))
    return out


@pytest.fixture(scope="module")
def instances():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    made = _instances()
    yield made

    async def close_all() -> None:
        for _, exchange in made:
            result = exchange.close()
            if asyncio.iscoroutine(result):
                await result

    loop.run_until_complete(close_all())
    loop.close()
    asyncio.set_event_loop(None)


def test_every_non_reading_method_is_refused(instances) -> None:
    refused_total = 0
    allowed_total = 0
    for label, exchange in instances:
        guard = ReadOnlyExchange(exchange)
        for name in _public_methods(exchange):
            if is_allowed_method(exchange.id, name):
                allowed_total += 1
                assert callable(getattr(guard, name)), (label, name)
                assert _reads_by_name(exchange.id, name), f"{label}.{name} is allowed but is not a read"
            else:
                refused_total += 1
                with pytest.raises(PermissionError, match=re.escape(name)):
                    getattr(guard, name)
        for name in MUST_REFUSE:
            if hasattr(exchange, name):
                with pytest.raises(PermissionError, match=re.escape(name)):
                    getattr(guard, name)
    # 21 classes with thousands of implicit endpoints each: the guard must have refused most of them
    assert refused_total > 50_000
    assert 0 < allowed_total < refused_total / 10


@pytest.mark.parametrize(
    ("venue", "endpoint"),
    [
        ("binanceusdm", "fapiPrivatePostOrder"),
        ("binanceusdm", "fapiPrivatePostLeverage"),
        ("binanceusdm", "sapiPostAssetTransfer"),
        ("binancecoinm", "dapiPrivatePostMarginType"),
        ("bybit", "privatePostV5OrderCreate"),
        ("bybit", "privatePostV5PositionSetLeverage"),
        ("okx", "privatePostTradeOrder"),
        ("okx", "privatePostAccountSetLeverage"),
        ("hyperliquid", "privatePostExchange"),
        ("gate", "privateFuturesPostSettleOrders"),
        ("bitget", "privateMixPostV2MixOrderPlaceOrder"),
    ],
)
def test_trading_endpoints_are_refused(venue: str, endpoint: str) -> None:
    exchange = getattr(ccxt, venue)()
    assert callable(getattr(exchange, endpoint))
    with pytest.raises(PermissionError, match=endpoint):
        getattr(ReadOnlyExchange(exchange), endpoint)


def test_reading_methods_pass_through_without_a_path_to_the_exchange() -> None:
    exchange = ccxt.okx()
    guard = ReadOnlyExchange(exchange)
    for name in ("fetch_positions", "privateGetAccountConfig", "load_markets", "market"):
        method = getattr(guard, name)
        assert callable(method)
        assert not hasattr(method, "__self__") and not hasattr(method, "__wrapped__"), name
    assert guard.id == "okx"
    assert guard.has["fetchPositions"] is True
    # the permission endpoint of one venue is not allowed on another
    assert callable(ReadOnlyExchange(ccxt.binanceusdm()).sapiGetAccountApiRestrictions)
    with pytest.raises(PermissionError):
        ReadOnlyExchange(ccxt.binance()).sapiGetAccountApiRestrictions  # noqa: B018


def test_async_methods_stay_awaitable() -> None:
    async def scenario() -> None:
        exchange = ccxt_async.bybit()
        try:
            guard = ReadOnlyExchange(exchange)
            assert asyncio.iscoroutinefunction(guard.fetch_positions)
            guard.set_markets([])
            assert guard.markets == {}
        finally:
            await exchange.close()

    asyncio.run(scenario())


def test_urls_options_headers_and_markets_are_read_only_views() -> None:
    exchange = ccxt.okx({"apiKey": "okx-key-0001", "secret": "okx-secret-0001", "password": "pass-0001"})
    exchange.set_markets([swap_market("BTC-USDT-SWAP", "BTC", "USDT", "USDT", contract_size=0.01)])
    guard = ReadOnlyExchange(exchange)
    api = exchange.urls["api"]["rest"]
    for attempt in (
        lambda: guard.urls["api"].__setitem__("rest", "http://evil.example"),
        lambda: guard.options.__setitem__("defaultType", "spot"),
        lambda: guard.headers.__setitem__("X", "1"),
        lambda: guard.markets["BTC/USDT:USDT"].__setitem__("contractSize", 1000),
        lambda: guard.market("BTC/USDT:USDT").__setitem__("contractSize", 1000),
        lambda: guard.markets["BTC/USDT:USDT"]["info"].update({"x": 1}),
    ):
        with pytest.raises((TypeError, AttributeError, PermissionError)):
            attempt()
    assert exchange.urls["api"]["rest"] == api
    assert exchange.markets["BTC/USDT:USDT"]["contractSize"] == 0.01
    copied = guard.urls.copy()  # a plain copy is fine to change: it is not the exchange's
    copied["api"]["rest"] = "http://evil.example"
    assert exchange.urls["api"]["rest"] == api
    assert guard.urls["api"]["rest"] == api


def test_last_request_and_websocket_clients_are_refused() -> None:
    exchange = ccxt.bybit({"apiKey": "bybit-key-0001", "secret": "bybit-secret-0001"})
    exchange.last_request_headers = {"X-BAPI-API-KEY": "bybit-key-0001"}
    guard = ReadOnlyExchange(exchange)
    for name in ("last_request_headers", "last_request_url", "last_request_body", "clients"):
        with pytest.raises(PermissionError, match=name):
            getattr(guard, name)

    async def pro() -> None:
        ws = ccxt_pro.binanceusdm()
        try:
            ws.client("wss://fstream.binance.com/ws")  # a connected client would expose .send
            with pytest.raises(PermissionError):
                ReadOnlyExchange(ws).clients  # noqa: B018
        finally:
            await ws.close()

    asyncio.run(pro())


def test_binance_listen_key_post_is_the_one_write_allowed() -> None:
    for venue, allowed in (
        ("binanceusdm", "fapiPrivatePostListenKey"),
        ("binancecoinm", "dapiPrivatePostListenKey"),
    ):
        guard = ReadOnlyExchange(getattr(ccxt, venue)())
        assert callable(getattr(guard, allowed))
        prefix = allowed.split("Post")[0]
        for refused in (f"{prefix}PutListenKey", f"{prefix}DeleteListenKey", "sapiPostUserDataStream"):
            with pytest.raises(PermissionError):
                getattr(guard, refused)
    assert not is_allowed_method("bybit", "fapiPrivatePostListenKey")
    assert not is_allowed_method("binanceusdm", "dapiPrivatePostListenKey")


def test_credentials_private_state_and_writes_are_refused() -> None:
    exchange = ccxt.bybit({"apiKey": "key-1234", "secret": "secret-5678"})
    guard = ReadOnlyExchange(exchange)
    for name in ("apiKey", "secret", "password", "_exchange", "session"):
        with pytest.raises(PermissionError):
            getattr(guard, name)
    with pytest.raises(PermissionError):
        guard.options = {}
    with pytest.raises(PermissionError):
        del guard.markets
    assert "secret-5678" not in repr(guard)
    # wrapping a guard does not give the inner object back
    assert repr(ReadOnlyExchange(guard)) == "ReadOnlyExchange(bybit)"
