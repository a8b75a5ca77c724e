"""A reply that is not a list of positions, or a position that cannot be read, is an error state that
names the problem, never an empty or smaller book (issue #10). Real ccxt parsers, real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import copy
import math
from typing import Any

import pytest

from desktop.exchanges import AccountReader
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.validate import position_problem
from tests.exchanges.local_server import LocalVenue, local_venue, serve_bybit_account
from tests.exchanges.replay import case, swap_market

POSITIONS = "/v5/position/list"
LTCUSDT = swap_market("LTCUSDT", "LTC", "USDT", "USDT", price=0.01, amount=0.1)


def recorded() -> dict[str, Any]:
    return copy.deepcopy(case("bybit.fetchPositions.json", "fetchPositions"))


def with_position(**fields: Any) -> dict[str, Any]:
    body = recorded()
    body["result"]["list"][0].update(fields)
    return body


def read_once(venue: LocalVenue, market: dict[str, Any] = LTCUSDT) -> Any:
    async def scenario() -> Any:
        ex = build_exchange(
            "bybit",
            {"apiKey": "bybit-key-0123", "secret": "bybit-secret-0123456789"},
            timeout_ms=1000,
            options={"enableUnifiedAccount": True, "enableUnifiedMargin": False},
        )
        ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
        ex.set_markets([market])
        try:
            return await AccountReader(ex, read_market=False).read()
        finally:
            await ex.close()

    return asyncio.run(scenario())


NOT_A_LIST = {
    "empty 200": (b"", "empty"),
    "null": (b"null", "null"),
    "retCode 0 without result": ({"retCode": 0, "retMsg": "OK"}, "result.list is missing"),
    "result.list null": ({"retCode": 0, "retMsg": "OK", "result": {"list": None}}, "result.list is missing"),
    "result.list an object": ({"retCode": 0, "result": {"list": {"a": 1}}}, "result.list is a dict"),
    "result a string": ({"retCode": 0, "result": "ok"}, "result.list is missing"),
}


@pytest.mark.parametrize("name", sorted(NOT_A_LIST))
def test_a_reply_without_a_positions_list_is_an_error_not_an_empty_book(name: str) -> None:
    body, words = NOT_A_LIST[name]
    with local_venue() as venue:
        serve_bybit_account(venue)
        venue.routes[POSITIONS] = (200, body, 0.0)
        snapshot = read_once(venue)
    status = snapshot.feeds["positions"]
    assert (status.state, status.kind) == ("error", "bad_response"), status
    assert words in status.message
    assert snapshot.positions == ()


UNREADABLE = {
    "size null": ({"size": None}, "raw size is missing"),  # ccxt would guess it from positionValue
    "size text": ({"size": "lots"}, "'lots'"),  # ccxt's parser raises ValueError itself: also an error
    "size NaN": ({"size": "NaN"}, "'NaN'"),  # ccxt's parser raises ValueError itself: also an error
    "size negative": ({"size": "-1.2"}, "raw size is '-1.2'"),  # ccxt takes abs(); Bybit's is unsigned
    "size 1e308": ({"size": "1e308"}, "notional"),
    "symbol missing": ({"symbol": ""}, "without a symbol"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_position_is_a_problem_and_the_book_is_unknown(name: str) -> None:
    fields, words = UNREADABLE[name]
    with local_venue() as venue:
        serve_bybit_account(venue)
        venue.routes[POSITIONS] = (200, with_position(**fields), 0.0)
        snapshot = read_once(venue)
    status = snapshot.feeds["positions"]
    assert (status.state, status.kind) == ("error", "bad_response"), status
    assert words in status.message, status.message
    assert "1 unreadable" in status.message or name in ("size NaN", "size text")
    assert snapshot.accounts == () or all(a.positions == () for a in snapshot.accounts)


def test_a_market_without_contract_size_is_a_problem_not_size_one() -> None:
    market = {**LTCUSDT, "contractSize": None}
    with local_venue() as venue:
        serve_bybit_account(venue)
        snapshot = read_once(venue, market)
    status = snapshot.feeds["positions"]
    assert status.state == "error" and "contract size is None" in status.message, status


def test_a_closed_position_of_size_zero_is_not_a_problem() -> None:
    with local_venue() as venue:
        serve_bybit_account(venue)
        body = recorded()
        zero = dict(body["result"]["list"][0], size="0", side="", symbol="LTCUSDT", positionIdx="1")
        body["result"]["list"].append(zero)
        venue.routes[POSITIONS] = (200, body, 0.0)
        snapshot = read_once(venue)
    assert snapshot.feeds["positions"].state == "ok"
    assert [p.position.instrument.symbol for p in snapshot.positions] == ["LTC/USDT:USDT"]


def test_position_problem_on_unified_dicts() -> None:
    market = {"contractSize": 1.0, "inverse": False}
    good = {"symbol": "BTC/USDT:USDT", "contracts": 0.5, "markPrice": 100_000.0}
    assert position_problem(good, market) is None
    assert "unknown market" in (position_problem(good, {}) or "")
    assert "not an object" in (position_problem(["x"], market) or "")
    assert "size is inf" in (position_problem({**good, "contracts": math.inf}, market) or "")
    assert "notional" in (position_problem({**good, "contracts": 1e300, "markPrice": 1e300}, market) or "")
