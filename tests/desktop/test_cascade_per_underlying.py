"""The app keeps one cascade state per underlying: BTC on two venues and two quotes is one market."""

from __future__ import annotations

import pytest

from desktop.engine.alert_inputs import observations_from_snapshot
from desktop.engine.cascade_tracker import CascadeTracker, ingest
from desktop.engine.market_history import MarketHistory
from desktop.engine.snapshots import EngineSnapshot, MarketTick
from risk.alerts import MarketObservation

T0 = 1_760_000_000.0


def _ticks(symbol: str, oi: float, liq: float, n: int = 180) -> list[MarketTick]:
    return [
        MarketTick(
            symbol=symbol,
            timestamp=T0 + 60.0 * i,
            mark_price=100_000.0,
            funding_rate=0.0001,
            open_interest=oi,
            liq_long_usd=liq,
            bid_depth_1pct_usd=1e6,
            ask_depth_1pct_usd=1e6,
        )
        for i in range(n)
    ]


def test_two_venues_and_quotes_share_one_state() -> None:
    histories: dict[str, MarketHistory] = {}
    trackers: dict[str, CascadeTracker] = {}
    feeds = [
        ("binanceusdm", _ticks("BTC/USDT:USDT", 10.0, 1000.0)),
        ("bybit", _ticks("BTC/USDT:USDT", 20.0, 2000.0)),
        ("hyperliquid", _ticks("BTC/USDC:USDC", 5.0, 500.0)),
        ("binanceusdm", _ticks("ETH/USDT:USDT", 100.0, 0.0)),
    ]
    for i in range(180):  # the feeds' reads interleave in time, as in the engine
        for venue, ticks in feeds:
            ingest(histories, trackers, ticks[i : i + 1], 1000, venue=venue)
    assert sorted(trackers) == ["BTC", "ETH"]
    assert sorted(histories) == ["BTC/USDC:USDC", "BTC/USDT:USDT", "ETH/USDT:USDT"]  # charts stay per symbol
    btc = trackers["BTC"]
    # Open interest summed across the three legs, in coins (10 + 20 + 5).
    assert btc.monitor.reading.indicators.oi == pytest.approx(35.0)
    view = histories["BTC/USDT:USDT"].cascade
    assert view is not None and view is histories["BTC/USDC:USDC"].cascade
    assert view.market == "BTC"
    assert [v.name for v in view.venues] == [
        "binanceusdm BTC/USDT:USDT",
        "bybit BTC/USDT:USDT",
        "hyperliquid BTC/USDC:USDC",
    ]
    assert [v.open_interest_usd for v in view.venues] == pytest.approx([1e6, 2e6, 0.5e6])
    assert view.venues[1].liquidations_usd == pytest.approx(180 * 2000.0)


def test_alert_subject_is_the_underlying() -> None:
    histories: dict[str, MarketHistory] = {}
    trackers: dict[str, CascadeTracker] = {}
    ingest(histories, trackers, _ticks("BTC/USDT:USDT", 10.0, 0.0, 5), 1000, venue="binanceusdm")
    ingest(histories, trackers, _ticks("BTC/USDC:USDC", 5.0, 0.0, 5), 1000, venue="hyperliquid")
    markets = {symbol: h.series() for symbol, h in histories.items()}
    snap = EngineSnapshot(1, T0, T0, (), markets, ())
    found = [o for o in observations_from_snapshot(snap) if isinstance(o, MarketObservation)]
    assert [(o.key, o.label) for o in found] == [("BTC", "BTC")]


@pytest.mark.gui
def test_dashboard_shows_the_per_venue_breakdown(qtbot) -> None:
    from desktop.ui.cascade_dashboard import CascadeDashboard

    histories: dict[str, MarketHistory] = {}
    trackers: dict[str, CascadeTracker] = {}
    ingest(histories, trackers, _ticks("BTC/USDT:USDT", 10.0, 0.0, 5), 1000, venue="binanceusdm")
    ingest(histories, trackers, _ticks("BTC/USDC:USDC", 5.0, 0.0, 5), 1000, venue="hyperliquid")
    dash = CascadeDashboard()
    qtbot.addWidget(dash)
    dash.show_market({symbol: h.series() for symbol, h in histories.items()})
    text = dash.venues_label.text()
    assert "BTC</b> market-wide, 2 venues" in text
    assert "binanceusdm BTC/USDT:USDT" in text and "hyperliquid BTC/USDC:USDC" in text
    assert "$1.00 M" in text  # binance OI: 10 BTC x 100,000
