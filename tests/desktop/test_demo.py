"""The demo venue: deterministic scenario clock, ticks for every symbol, demo accounts that fill the table."""

from __future__ import annotations

import pytest

from desktop.engine import Engine
from desktop.exchanges.demo import DEMO_SYMBOLS, DemoVenue, demo_readers
from desktop.feeds import AccountReader, MarketReader
from desktop.ui.main_window import MainWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_speed_scales_simulated_time():
    clock = FakeClock()
    venue = DemoVenue(speed=10.0, clock=clock, history_seconds=0)
    venue.new_ticks()
    clock.now += 3.0
    ticks = venue.new_ticks()
    assert len(ticks) == 30 * len(DEMO_SYMBOLS)  # 3 wall seconds at 10x = 30 scenario seconds
    venue.set_speed(60.0)
    clock.now += 1.0
    assert len(venue.new_ticks()) == 60 * len(DEMO_SYMBOLS)


def test_ticks_are_ordered_and_complete():
    clock = FakeClock()
    venue = DemoVenue(clock=clock, history_seconds=100)
    ticks = venue.new_ticks()
    btc = [t for t in ticks if t.symbol == "BTC/USDT:USDT"]
    assert [t.timestamp for t in btc] == sorted(t.timestamp for t in btc)
    assert len(btc) == 101
    assert all(t.funding_rate is not None and t.bid_depth_1pct_usd for t in btc)


def test_unknown_scenario_and_bad_speed_are_refused():
    venue = DemoVenue(clock=FakeClock())
    with pytest.raises(ValueError, match="scenario"):
        venue.reset("nope")
    with pytest.raises(ValueError, match="speed"):
        venue.set_speed(0)


def test_readers_implement_the_interface():
    accounts, markets = demo_readers(DemoVenue(clock=FakeClock()))
    assert len(accounts) >= 2 and all(isinstance(r, AccountReader) for r in accounts)
    assert all(isinstance(r, MarketReader) for r in markets)
    venues = {r.venue for r in accounts}
    assert {"binanceusdm", "hyperliquid"} <= venues


def test_demo_runs_minutes_and_shows_positions(qtbot):
    venue = DemoVenue(speed=60.0)
    accounts, markets = demo_readers(venue)
    engine = Engine(accounts, markets, demo_status=venue.status, emit_hz=20)
    window = MainWindow(engine, demo=True)
    qtbot.addWidget(window)
    engine.start()
    try:
        engine.call_soon(lambda: venue.advance_by(240.0))  # four simulated minutes
        qtbot.waitUntil(lambda: window.positions_proxy.rowCount() >= 6, timeout=10_000)
        qtbot.waitUntil(
            lambda: (
                window.snapshot is not None
                and len(window.snapshot.markets["BTC/USDT:USDT"].times) > 900 + 240
            ),
            timeout=10_000,
        )
        snapshot = window.snapshot
        assert snapshot.demo is not None and snapshot.demo.elapsed_seconds >= 900 + 240
        assert {a.venue for a in snapshot.accounts} == {"binanceusdm", "hyperliquid"}
        assert all(not feed.error for feed in snapshot.feeds)
    finally:
        engine.stop()
