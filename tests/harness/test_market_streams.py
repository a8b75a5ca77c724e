"""Public market streams per venue through the harness and the real ccxt.pro stack: every streamed mark
becomes a tick at once; a dropped socket, a silent venue and a malformed frame are survived (reconnect
with backoff, counted, REST reconciliation asked for); REST wins over the streamed state."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from desktop.engine.alert_inputs import feed_observation
from desktop.engine.snapshots import MarketTick
from desktop.exchanges.harness.server import LocalVenueServer
from desktop.exchanges.live_streams import VENUE_STREAMS, StreamingMarketReader
from risk.alerts import AlertEngine, AlertRules
from tests.harness.common import SYMBOLS, T0, mark_frame, pro_exchange

pytestmark = pytest.mark.faults
VENUES = ["binanceusdm", "bybit", "okx", "hyperliquid"]
FAST = 0.25
"""Seconds between mark pushes the tests declare (the silence rule fires after 3 of them)."""


class Sink:
    def __init__(self) -> None:
        self.ticks: list[MarketTick] = []

    def stream_ticks(self, ticks: Any) -> None:
        self.ticks.extend(ticks)

    def stream_account(self, account_id: str, account: Any) -> None:
        pass


async def until(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def reader_for(venue: str, server: LocalVenueServer) -> StreamingMarketReader:
    streams = dataclasses.replace(
        VENUE_STREAMS[venue], mark_interval=FAST, funding_method=None, book_limit=None
    )
    exchange = pro_exchange(venue, server)
    return StreamingMarketReader(
        venue, exchange, [], symbols=lambda: [SYMBOLS[venue]], reconnect_first=0.05, intervals=streams
    )


async def push_until_tick(server: LocalVenueServer, venue: str, sink: Sink, mark: float) -> MarketTick:
    """Push ``mark`` until the reader hands it over (a resubscription may still be on its way)."""
    deadline = time.monotonic() + 8.0
    while time.monotonic() < deadline:
        await asyncio.to_thread(server.publish, venue, mark_frame(venue, mark, T0))
        for _ in range(10):
            await asyncio.sleep(0.02)
            if any(t.mark_price == mark for t in sink.ticks):
                return next(t for t in sink.ticks if t.mark_price == mark)
    raise AssertionError(f"{venue}: mark {mark} never arrived")


def run_with_reader(venue: str, server: LocalVenueServer, body: Callable[..., Any]) -> Any:
    async def scenario() -> Any:
        reader = reader_for(venue, server)
        sink = Sink()
        task = asyncio.ensure_future(reader.run_streams(sink))
        try:
            return await body(reader, sink)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await reader.close()

    return asyncio.run(scenario())


@pytest.mark.parametrize("venue", VENUES)
def test_streamed_mark_is_a_tick_at_once(server: LocalVenueServer, venue: str) -> None:
    async def body(reader: StreamingMarketReader, sink: Sink) -> MarketTick:
        return await push_until_tick(server, venue, sink, 101.5)

    tick = run_with_reader(venue, server, body)
    assert tick.symbol == SYMBOLS[venue] and tick.mark_price == 101.5
    if venue != "okx":  # OKX streams funding on its own channel (not watched here)
        assert tick.funding_rate is not None
    if venue == "hyperliquid":
        assert tick.funding_interval_hours == 1.0 and tick.open_interest == pytest.approx(700.0)
    if venue == "bybit":
        assert tick.open_interest == pytest.approx(50_000.0)


@pytest.mark.parametrize("venue", VENUES)
def test_dropped_socket_reconnects_and_asks_for_rest(server: LocalVenueServer, venue: str) -> None:
    async def body(reader: StreamingMarketReader, sink: Sink) -> Any:
        await push_until_tick(server, venue, sink, 101.0)
        reader._reconcile_asked = False  # the connect reconciliation is done
        connections = server.connections[venue]
        await asyncio.to_thread(server.drop, venue)
        await push_until_tick(server, venue, sink, 102.0)
        return reader.stream_health()[0], reader._reconcile_asked, server.connections[venue] - connections

    health, asked, new_connections = run_with_reader(venue, server, body)
    assert health.connected and health.reconnects == 1 and new_connections >= 1
    assert asked  # REST reconciles after every reconnect


@pytest.mark.parametrize("venue", VENUES)
def test_silent_venue_is_detected_and_reconnected(
    server: LocalVenueServer, venue: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def body(reader: StreamingMarketReader, sink: Sink) -> Any:
        await push_until_tick(server, venue, sink, 101.0)
        server.silence(venue)
        await until(lambda: not reader.stream_health()[0].connected, timeout=5 * FAST * 3)
        feed = reader.stream_feeds()[0]
        silent_for = time.time() - (feed.last_update or 0.0)
        # judged when the rules' jitter allowance (2 s, sized for real intervals) has passed too
        judged_at = round(time.time() * 1000) + AlertRules().stale_jitter_ms
        alerts = AlertEngine().observe([feed_observation(feed)], judged_at)
        server.silence(venue, False)
        await push_until_tick(server, venue, sink, 103.0)
        return feed, silent_for, alerts, reader.stream_health()[0]

    with caplog.at_level(logging.WARNING):
        feed, silent_for, alerts, health = run_with_reader(venue, server, body)
    # judged silent after 3 expected intervals, not before; the venue still answers connects, so the
    # feed is stale (the stale alert), with the reason shown, rather than disconnected
    assert silent_for >= 3 * FAST
    assert feed.connected is True and "no message" in (feed.error or "")
    assert [(a.kind, a.level) for a in alerts] == [("stale", "warning")]
    assert health.connected and health.reconnects >= 1
    assert "reconnecting" in caplog.text


@pytest.mark.parametrize("venue", VENUES)
def test_malformed_frame_is_survived(server: LocalVenueServer, venue: str) -> None:
    async def body(reader: StreamingMarketReader, sink: Sink) -> Any:
        await push_until_tick(server, venue, sink, 101.0)
        await asyncio.to_thread(server.send_raw, venue, '{"broken": ')
        await asyncio.to_thread(server.send_raw, venue, '{"e": "markPriceUpdate", "s": 7}')
        return await push_until_tick(server, venue, sink, 104.0)

    tick = run_with_reader(venue, server, body)
    assert tick.mark_price == 104.0


def test_out_of_order_mark_does_not_replace_a_newer_one(server: LocalVenueServer) -> None:
    """Binance stamps each mark push with its event time (E); a push older than one already applied is
    dropped, so a late packet cannot move the mark backwards."""

    async def body(reader: StreamingMarketReader, sink: Sink) -> list[float]:
        await push_until_tick(server, "binanceusdm", sink, 101.0)
        await asyncio.to_thread(server.publish, "binanceusdm", mark_frame("binanceusdm", 105.0, T0 + 2000))
        await until(lambda: sink.ticks[-1].mark_price == 105.0)
        await asyncio.to_thread(server.publish, "binanceusdm", mark_frame("binanceusdm", 104.0, T0 + 1000))
        await asyncio.to_thread(server.publish, "binanceusdm", mark_frame("binanceusdm", 106.0, T0 + 3000))
        await until(lambda: sink.ticks[-1].mark_price == 106.0)
        return [t.mark_price for t in sink.ticks]

    marks = run_with_reader("binanceusdm", server, body)
    assert 104.0 not in marks and marks[-1] == 106.0
