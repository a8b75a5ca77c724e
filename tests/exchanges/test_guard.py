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
        return is_get or (venue == "hyperliquid" and name in ("publicPostInfo", "public_post_info"))
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


def test_reading_methods_pass_through_and_stay_bound() -> None:
    exchange = ccxt.okx()
    guard = ReadOnlyExchange(exchange)
    assert guard.fetch_positions.__self__ is exchange
    assert guard.privateGetAccountConfig.__self__ is exchange
    assert guard.id == "okx"
    assert isinstance(guard.has, dict)
    # the permission endpoint of one venue is not allowed on another
    assert callable(ReadOnlyExchange(ccxt.binanceusdm()).sapiGetAccountApiRestrictions)
    with pytest.raises(PermissionError):
        ReadOnlyExchange(ccxt.binance()).sapiGetAccountApiRestrictions  # noqa: B018


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
