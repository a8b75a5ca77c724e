"""The demo venue: deterministic scenario clock, ticks for every symbol, demo accounts that fill the table."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import risk
from desktop.engine import Engine
from desktop.engine.feeds import AccountReader, MarketReader
from desktop.exchanges.demo import DEMO_SYMBOLS, DemoVenue, demo_readers
from desktop.ui.main_window import MainWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_speed_scales_simulated_time():
    clock = FakeClock()
    venue = DemoVenue(speed=10.0, clock=clock, history_rows=0)
    venue.new_ticks()
    clock.now += 3.0
    ticks = venue.new_ticks()
    assert len(ticks) == 30 * len(DEMO_SYMBOLS)  # 3 wall seconds at 10x = 30 steps
    venue.set_speed(60.0)
    clock.now += 1.0
    assert len(venue.new_ticks()) == 60 * len(DEMO_SYMBOLS)


def test_ticks_are_ordered_and_complete():
    clock = FakeClock()
    venue = DemoVenue(clock=clock, history_rows=100)
    ticks = venue.new_ticks()
    btc = [t for t in ticks if t.symbol == "BTC/USDT:USDT"]
    assert [t.timestamp for t in btc] == sorted(t.timestamp for t in btc)
    assert len(btc) == 101
    steps = {b.timestamp - a.timestamp for a, b in itertools.pairwise(btc)}
    assert steps == {venue.path.step_seconds}
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
    start_rows = venue.path.history_rows
    accounts, markets = demo_readers(venue)
    engine = Engine(accounts, markets, demo_status=venue.status, emit_hz=20)
    window = MainWindow(engine, demo=True)
    qtbot.addWidget(window)
    engine.start()
    try:
        engine.call_soon(lambda: venue.advance_by(48.0))  # four simulated minutes (5 s steps)
        qtbot.waitUntil(lambda: window.positions_proxy.rowCount() >= 6, timeout=10_000)
        qtbot.waitUntil(
            lambda: (
                window.snapshot is not None
                and len(window.snapshot.markets["BTC/USDT:USDT"].times) > start_rows + 48
            ),
            timeout=10_000,
        )
        snapshot = window.snapshot
        assert snapshot.demo is not None and snapshot.demo.elapsed_rows >= start_rows + 48
        assert {a.venue for a in snapshot.accounts} == {"binanceusdm", "hyperliquid"}
        assert all(not feed.error for feed in snapshot.feeds)
    finally:
        engine.stop()


def test_oct_10_demo_has_a_cascade_and_the_isolated_long_is_liquidated():
    """The demo's story: the Oct 10 window crashes the mark, and the Hyperliquid BTC long dies."""
    venue = DemoVenue(clock=FakeClock())
    path = venue.path
    start = path.mark[path.history_rows]
    assert path.mark.min() < 0.93 * start  # the cascade takes the mark down more than 7 %
    assert path.liq_long.max() > 50 * np.median(path.liq_long)  # a liquidation burst
    account = venue.read("demo-hyperliquid")
    assert any(p.instrument.symbol == "BTC/USDC:USDC" for p in account.positions)
    venue.advance_by(float(np.argmin(path.mark) - path.history_rows + 5))
    account = venue.read("demo-hyperliquid")
    assert not any(p.instrument.symbol == "BTC/USDC:USDC" for p in account.positions)
    assert any("BTC/USDC:USDC" in text for text in venue.liquidations)


def test_cascade_score_and_liquidation_map_come_alive(qtbot):
    """Indicators run on the engine's loop: after the Oct 10 acceleration the regime is not calm."""
    venue = DemoVenue(speed=1.0)
    accounts, markets = demo_readers(venue)
    engine = Engine(accounts, markets, demo_status=venue.status, emit_hz=20)
    engine.start()
    try:
        target = (
            int(np.argmax(venue.path.liq_long)) - venue.path.history_rows + 12
        )  # one minute after the peak
        engine.call_soon(lambda: venue.advance_by(float(target)))
        qtbot.waitUntil(
            lambda: (
                engine.latest is not None
                and "BTC/USDT:USDT" in engine.latest.markets
                and engine.latest.markets["BTC/USDT:USDT"].cascade is not None
                and engine.latest.markets["BTC/USDT:USDT"].cascade.regime in ("firing", "exhausting")
            ),
            timeout=15_000,
        )
        series = engine.latest.markets["BTC/USDT:USDT"]
        assert series.cascade.score > 0 and series.cascade.reasons
        assert series.liquidation_map is not None
        prices, longs, shorts = series.liquidation_map
        assert len(prices) == len(longs) == len(shorts) and (longs.sum() + shorts.sum()) > 0
    finally:
        engine.stop()


def test_demo_venue_reports_its_own_liquidation_prices_in_its_rounding():
    venue = DemoVenue(clock=FakeClock(), history_rows=10)
    venue.new_ticks()
    checked = 0
    for account_id in list(venue.accounts):
        account = venue.read(account_id)
        checked += len(account.positions)
        result = risk.assess(account)
        for position, position_risk in zip(account.positions, result.positions, strict=True):
            reported = position.venue_liquidation_price
            assert reported is not None  # the column is never empty in the demo
            if account.venue == "hyperliquid":
                assert reported == float(f"{reported:.5g}")  # 5 significant figures, as liquidationPx
            else:
                assert reported == round(reported, 8)
            # the venue's figure is the exact one up to its rounding
            assert position_risk.liquidation_price == pytest.approx(reported, rel=1e-4)
            assert position_risk.liquidation_price_gap is not None
    assert checked >= 6
