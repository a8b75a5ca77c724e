"""Regimes and alerts of the cascade monitor on the simulated scenarios and on small synthetic series."""

from __future__ import annotations

import numpy as np
import pytest

from risk.cascade import CascadeConfig, CascadeMonitor, replay_series
from risk.simulate import SimulationSeries, simulate

MIN = 60_000
T0 = 1_760_000_000_000 - 1_760_000_000_000 % (60 * MIN)


def _peak_minute_start_ms(s: SimulationSeries) -> int:
    minutes = s.timestamp_ms // MIN
    liq = s.liq_long_usd + s.liq_short_usd
    uniq, inv = np.unique(minutes, return_inverse=True)
    per_min = np.bincount(inv, weights=liq)
    return int(uniq[int(np.argmax(per_min))] * MIN)


@pytest.fixture(scope="module")
def oct10():
    s = simulate("oct-10-2025")
    return s, *replay_series(s)


def test_oct_10_warns_before_the_peak_minute_and_exhausts_after(oct10):
    s, mon, events = oct10
    peak = _peak_minute_start_ms(s)
    # An event's timestamp is the end of the bar it evaluated: "before the peak minute" = <= its start.
    before = [e for e in events if e.timestamp_ms <= peak and e.level in ("warning", "critical")]
    assert before, [(e.timestamp_ms, e.regime) for e in events]
    assert any(e.regime == "firing" for e in events if e.timestamp_ms <= peak + MIN)
    after = [e for e in events if e.timestamp_ms > peak]
    assert any(e.regime == "exhausting" for e in after)
    # Every alert says why.
    assert all(e.reasons for e in events)
    fired = next(e for e in events if e.regime == "firing" and e.timestamp_ms > peak - 5 * MIN)
    assert any("liquidations" in r for r in fired.reasons)
    ex = next(e for e in after if e.regime == "exhausting")
    assert ex.reasons[0].startswith("liquidations back under")
    assert {e.level for e in events if e.regime == "firing"} == {"critical"}
    assert mon.minutes_evaluated == np.unique(s.timestamp_ms // MIN).size  # 12:00:01 .. 12:00:00 next day


def test_calm_raises_nothing_above_info():
    s = simulate("calm")
    mon, events = replay_series(s)
    assert all(e.level == "info" for e in events), events
    assert mon.regime == "calm"
    assert mon.reading.score < 30


def test_may_19_fires_before_the_low_and_exhausts_after():
    s = simulate("may-19-2021")
    _, events = replay_series(s)
    low_ms = int(s.timestamp_ms[int(np.argmin(s.mark))])
    assert any(e.regime == "firing" and low_ms - 30 * MIN <= e.timestamp_ms <= low_ms for e in events)
    assert any(e.regime == "exhausting" and e.timestamp_ms > low_ms for e in events)


def test_loaded_has_hysteresis():
    """The loaded sub-score alternating 0.53 / 0.64 around the 0.6 entry stays loaded (exit is 0.45)."""
    mon = CascadeMonitor("X")
    events = []
    # Funding 0.04 %/8h = 43.8 % APR -> (0.438 - 0.2)/0.3 = 0.793; L/S 1.3 -> (0.262 - 0.1)/0.4 = 0.406
    # and L/S 1.6 -> (0.470 - 0.1)/0.4 = 0.925. Loaded = (15*0.793 + 10*ls)/25 = 0.638 or 0.846 at 1.6.
    # With L/S 1.1 -> 0 : (15*0.793)/25 = 0.476, between exit 0.45 and entry 0.6.
    for m in range(120):
        ls = 1.6 if m == 0 else (1.1 if m % 2 else 1.3)
        events += mon.update(T0 + m * MIN, funding_rate=0.0004, long_short_ratio=ls)
    events += mon.flush()
    assert [e.regime for e in events] == ["loaded"]
    assert events[0].level == "warning"
    # The last bar (L/S 1.1) sits between the thresholds and the regime holds.
    assert mon.reading.loaded_score == pytest.approx(15 * (0.0004 * 1095 - 0.2) / 0.3 / 25)
    assert mon.regime == "loaded"


def test_firing_needs_the_absolute_floor():
    """A 100x liquidation minute in quiet tape stays under the $5 M floor: no firing."""
    mon = CascadeMonitor("X", config=CascadeConfig(baseline_floor_usd=1e3))
    events = []
    for m in range(200):
        events += mon.update(T0 + m * MIN, mark_price=100.0, liq_long_usd=10e3)
    events += mon.update(T0 + 200 * MIN, mark_price=99.9, liq_long_usd=1e6)
    events += mon.flush()
    assert mon.reading.indicators.liq_long_multiple == pytest.approx(100.0)  # 1 M / mean 10 k
    assert not events


def test_missing_inputs_are_reported_in_the_alert():
    s = simulate("oct-10-2025")
    mon = CascadeMonitor(s.symbol)
    events = mon.update_many(s.timestamp_ms, mark_price=s.mark, liq_long_usd=s.liq_long_usd)
    events += mon.flush()
    firing = [e for e in events if e.regime == "firing"]
    assert firing
    assert any(
        r.startswith("missing: funding, oi_buildup, long_short, depth, basis") for r in firing[0].reasons
    )
