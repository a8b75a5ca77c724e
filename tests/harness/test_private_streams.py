"""Private position and balance streams of one recorded account per venue, through the harness and the
real ccxt.pro stack: REST on connect, a streamed size change applied at once, REST reconciling (and
winning, the difference logged), a reconnect followed by a REST read."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from desktop.exchanges.harness.server import LocalVenueServer
from desktop.exchanges.live_streams import StreamingAccountReader
from risk import Account
from tests.harness.accounts import account_case, account_exchange, config, position_push, serve_account

pytestmark = pytest.mark.faults
VENUES = ["binanceusdm", "bybit", "okx", "hyperliquid"]


class Sink:
    def __init__(self) -> None:
        self.accounts: list[Account] = []

    def stream_ticks(self, ticks: Any) -> None:
        pass

    def stream_account(self, account_id: str, account: Account) -> None:
        self.accounts.append(account)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def rest_reads(server: LocalVenueServer, venue: str) -> int:
    """REST position reads the harness served."""
    marker = {"binanceusdm": "positionRisk", "bybit": "position/list", "okx": "account/positions"}
    if venue == "hyperliquid":
        return sum(1 for v, m, p in server.requests if v == venue and p == "/info")
    return sum(1 for v, _, p in server.requests if v == venue and marker[venue] in p)


@pytest.mark.parametrize("venue", VENUES)
def test_streamed_position_applies_at_once_and_rest_wins(
    server: LocalVenueServer, venue: str, caplog: pytest.LogCaptureFixture
) -> None:
    case = account_case(venue)
    serve_account(server, case)

    async def scenario() -> tuple[Account, Account, Account, StreamingAccountReader]:
        reader = StreamingAccountReader(
            config(venue), account_exchange(case, server), 5.0, reconnect_first=0.05
        )
        sink = Sink()
        task = asyncio.ensure_future(reader.run_streams(sink))
        try:
            first = await reader.read_account()  # on connect: REST
            await until(reader.streams_healthy)
            held = first.positions[0]
            market = next(m for m in case.markets if m["symbol"] == held.instrument.symbol)
            server.publish(
                venue, position_push(case, market, held.side, held.contracts * 2, 123.0), private=True
            )
            await until(lambda: bool(sink.accounts))
            streamed = sink.accounts[-1]
            again = await reader.read_account()  # a private update asks for REST: REST wins
            return first, streamed, again, reader
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await reader.close()

    with caplog.at_level(logging.WARNING):
        first, streamed, again, reader = asyncio.run(scenario())
    held = first.positions[0]
    moved = next(
        p for p in streamed.positions if (p.instrument.symbol, p.side) == (held.instrument.symbol, held.side)
    )
    assert (moved.contracts, moved.entry_price) == (pytest.approx(held.contracts * 2), 123.0)
    assert moved.collateral == held.collateral and moved.instrument == held.instrument  # REST's, kept
    assert again == first  # the recorded REST state is authoritative
    assert any(held.instrument.symbol in d and "REST wins" in d for d in reader.differences)
    assert "REST wins" in caplog.text
    assert rest_reads(server, venue) >= 2


@pytest.mark.parametrize("venue", VENUES)
def test_reconnect_is_counted_and_reconciled_over_rest(server: LocalVenueServer, venue: str) -> None:
    case = account_case(venue)
    serve_account(server, case)

    async def scenario() -> tuple[int, int, list[Any]]:
        reader = StreamingAccountReader(
            config(venue), account_exchange(case, server), 5.0, reconnect_first=0.05
        )
        task = asyncio.ensure_future(reader.run_streams(Sink()))
        try:
            await reader.read_account()
            await until(reader.streams_healthy)
            before = rest_reads(server, venue)
            await asyncio.to_thread(server.drop, venue)
            await until(lambda: all(h.reconnects >= 1 and h.connected for h in reader.stream_health()))
            await reader.read_account()  # the reconnect asked for a REST read
            return before, rest_reads(server, venue), reader.stream_feeds()
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await reader.close()

    before, after, feeds = asyncio.run(scenario())
    assert after > before
    assert all(f.connected and f.reconnects >= 1 for f in feeds)
