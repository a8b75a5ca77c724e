"""Venue trouble through the real HTTP stack (aiohttp, sign, handle_errors) against 127.0.0.1.

Timeouts, 429, 5xx, malformed JSON and a revoked key each end in a visible per-feed state with the right
retry policy; nothing raises out of the reader, and the async exchange is always closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import desktop.exchanges.factory as factory
from desktop.exchanges import AccountReader
from desktop.exchanges.factory import build_exchange, open_exchange
from tests.exchanges.local_server import LocalVenue, local_venue, serve_bybit_account
from tests.exchanges.replay import case, swap_market

POSITIONS = "/v5/position/list"
WALLET = "/v5/account/wallet-balance"
RISK_LIMIT = "/v5/market/risk-limit"
SECRET = "bybit-secret-value-0123456789"
LTCUSDT = swap_market("LTCUSDT", "LTC", "USDT", "USDT", price=0.01, amount=0.1)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def bybit_on(venue: LocalVenue) -> Any:
    ex = build_exchange(
        "bybit",
        {"apiKey": "bybit-key-0123", "secret": SECRET},
        timeout_ms=300,
        options={"enableUnifiedAccount": True, "enableUnifiedMargin": False},
    )
    ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
    ex.set_markets([LTCUSDT])
    return ex


def serve_recorded(venue: LocalVenue) -> None:
    serve_bybit_account(venue)


async def read_twice(venue: LocalVenue, clock: Clock, advance: float) -> tuple[Any, Any, Any]:
    ex = bybit_on(venue)
    try:
        reader = AccountReader(ex, clock=clock, read_market=False)
        first = await reader.read()
        clock.now += advance
        second = await reader.read()
        return first, second, ex
    finally:
        await ex.close()


FAILURES = [
    ("timeout", (200, case("bybit.fetchPositions.json", "fetchPositions"), 1.0), "timeout", 2.0),
    ("429", (429, {"retCode": 10006, "retMsg": "Too many visits!"}, 0.0), "rate_limit", 10.0),
    ("503", (503, {"message": "Service Unavailable"}, 0.0), "unavailable", 30.0),
    ("malformed", (200, b"<html>upstream error</html>{", 0.0), "bad_response", 5.0),
]


@pytest.mark.parametrize(("label", "route", "kind", "first_delay"), FAILURES, ids=[f[0] for f in FAILURES])
def test_transient_failure_is_a_feed_state_with_backoff_then_recovers(
    label: str, route: tuple[int, Any, float], kind: str, first_delay: float
) -> None:
    clock = Clock()
    with local_venue() as venue:
        serve_recorded(venue)
        venue.routes[POSITIONS] = route
        ex = bybit_on(venue)

        async def scenario() -> None:
            try:
                reader = AccountReader(ex, clock=clock, read_market=False)
                snapshot = await reader.read()
                status = snapshot.feeds["positions"]
                assert (status.state, status.kind) == ("error", kind), status
                assert status.retry_at == pytest.approx(clock.now + first_delay)
                assert SECRET not in status.message and "signature" not in status.message.lower()
                assert snapshot.feeds["balance"].state == "ok"  # one bad feed does not sink the others
                calls = venue.count(POSITIONS)
                await reader.read()  # still backing off: no request
                assert venue.count(POSITIONS) == calls
                serve_recorded(venue)
                clock.now += first_delay
                recovered = await reader.read()
                assert recovered.feeds["positions"].state == "ok"
                assert [p.instrument.symbol for p in recovered.accounts[0].positions] == ["LTC/USDT:USDT"]
            finally:
                await ex.close()

        asyncio.run(scenario())
        assert ex.session is None  # aiohttp session closed


def test_backoff_doubles_on_repeated_failures() -> None:
    clock = Clock()
    with local_venue() as venue:
        serve_recorded(venue)
        venue.routes[POSITIONS] = (429, {"retCode": 10006, "retMsg": "Too many visits!"}, 0.0)
        ex = bybit_on(venue)

        async def scenario() -> list[float]:
            try:
                reader = AccountReader(ex, clock=clock, read_market=False)
                delays = []
                for _ in range(3):
                    status = (await reader.read()).feeds["positions"]
                    delays.append(status.retry_at - clock.now)
                    clock.now = status.retry_at
                return delays
            finally:
                await ex.close()

        assert asyncio.run(scenario()) == [10.0, 20.0, 40.0]


def test_revoked_key_stops_the_feed_without_retrying() -> None:
    clock = Clock()
    with local_venue() as venue:
        serve_recorded(venue)
        revoked = {"retCode": 10003, "retMsg": "API key is invalid.", "result": {}, "time": 1}
        venue.routes[POSITIONS] = (200, revoked, 0.0)
        venue.routes[WALLET] = (200, revoked, 0.0)
        first, second, ex = asyncio.run(read_twice(venue, clock, advance=86_400.0))
        assert ex.session is None
    for feed in ("positions", "balance"):
        status = first.feeds[feed]
        assert (status.state, status.kind, status.retry_at) == ("stopped", "auth", None)
        assert "AuthenticationError" in status.message
    assert venue.count(POSITIONS) == 1  # a day later: still no retry with a revoked key
    assert second.feeds["positions"].state == "stopped"
    assert first.accounts == ()


def test_open_exchange_closes_even_when_the_body_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    real = factory.build_exchange

    def recording(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(factory, "build_exchange", recording)

    async def scenario() -> None:
        with local_venue() as venue:
            venue.routes[POSITIONS] = (200, case("bybit.fetchPositions.json", "fetchPositions"), 0.0)
            async with open_exchange("bybit", {"apiKey": "k", "secret": "s"}, timeout_ms=300) as ex:
                # configured on the real object: the guard's urls are a read-only view
                made[0].urls["api"] = {key: venue.base for key in made[0].urls["api"]}
                ex.set_markets([LTCUSDT])
                await ex.fetch_positions(["LTC/USDT:USDT"], {"category": "linear"})
                raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        asyncio.run(scenario())
    assert made and made[0].session is None
