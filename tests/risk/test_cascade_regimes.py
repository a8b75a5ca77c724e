"""Regimes and alerts of the cascade monitor on the simulated scenarios and on small synthetic series."""

from __future__ import annotations

import numpy as np
import pytest

from risk.cascade import SERIES_FIELDS, CascadeConfig, CascadeMonitor, replay_series
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


def test_loaded_has_persistence_and_hysteresis():
    """Funding (on after 60 min) and long/short (on after 15 min at >= 0.5) make two inputs: loaded.
    L/S then alternates 0.925 / 0.406: above the 0.25 off level, so it stays on (hysteresis); at L/S
    1.1 (value 0) for 60 minutes it turns off and the warning ends."""
    mon = CascadeMonitor("X")
    events = []
    # Funding 0.04 %/8h = 43.8 % APR -> (0.438 - 0.2)/0.3 = 0.793; L/S 1.6 -> (ln 1.6 - 0.1)/0.4 = 0.925,
    # L/S 1.3 -> (ln 1.3 - 0.1)/0.4 = 0.406, L/S 1.1 -> ln 1.1 = 0.095 < 0.1 -> 0.
    for m in range(300):
        ls = 1.6 if m < 60 else (1.6 if m % 2 else 1.3)
        if m >= 200:
            ls = 1.1
        events += mon.update(T0 + m * MIN, funding_rate=0.0004, long_short_ratio=ls)
    events += mon.flush()
    assert [e.regime for e in events] == ["loaded", "calm"]
    assert events[0].level == "warning"
    # Funding turns on after 60 minutes (the later of the two): minute 59's bar ends at T0 + 60 min.
    assert events[0].timestamp_ms == T0 + 60 * MIN
    # L/S below the off level from minute 200: off after 60 minutes (minute 259, bar end 260).
    assert events[1].timestamp_ms == T0 + 260 * MIN


def test_one_input_alone_cannot_warn():
    """Funding alone at 108 % APR (the May 2021 level) scored 96 and warned at the first row: now the
    score from one input is capped at 40 and the regime stays calm."""
    mon = CascadeMonitor("X")
    events = []
    for m in range(24 * 60):
        events += mon.update(T0 + m * MIN, funding_rate=0.000987)
    events += mon.flush()
    assert events == []
    assert mon.reading.score == pytest.approx(40.0)
    assert mon.reading.inputs == ("funding",)


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


def test_one_second_and_one_minute_rows_give_the_same_regimes():
    """The Oct 10 simulation at 1-second rows and folded into 1-minute rows (last state value, summed
    liquidations, minimum depth: what a 1-minute recorder keeps) raise the same alerts, same minutes."""
    s = simulate("oct-10-2025")
    inputs = {name: getattr(s, attr) for name, attr in SERIES_FIELDS}
    fine = CascadeMonitor(s.symbol)
    e1 = fine.update_many(s.timestamp_ms, **inputs) + fine.flush()
    minutes = s.timestamp_ms // MIN
    starts = np.concatenate(([0], np.flatnonzero(np.diff(minutes)) + 1))
    ends = np.concatenate((starts[1:] - 1, [minutes.size - 1]))
    folded = {}
    for name, values in inputs.items():
        if name.startswith("liq_"):
            folded[name] = np.add.reduceat(values, starts)
        elif "depth" in name:
            folded[name] = np.fmin.reduceat(values, starts)
        else:
            folded[name] = values[ends]
    coarse = CascadeMonitor(s.symbol)
    e2 = coarse.update_many(s.timestamp_ms[ends], **folded) + coarse.flush()
    assert [(e.timestamp_ms, e.regime) for e in e1] == [(e.timestamp_ms, e.regime) for e in e2]
    assert any(e.regime == "firing" for e in e1)


def test_a_gap_is_reported_and_not_read_as_calm():
    """Firing on an 8 % fall, then 45 minutes without rows: the gap is listed, the regime is still
    firing after it, and the empty minutes do not count as quiet minutes towards exhaustion."""
    mon = CascadeMonitor("BTC/USDT:USDT")
    events = []
    n = 2 * 24 * 60
    price = 100_000.0
    for m in range(n):
        events += mon.update(
            T0 + m * MIN, mark_price=price * (1 + 0.0005 * np.sin(m / 7)), funding_rate=0.0005
        )
    for m in range(n, n + 20):
        price *= np.exp(-0.08 / 20)
        events += mon.update(T0 + m * MIN, mark_price=price, funding_rate=0.0005)
    assert mon.regime == "firing"
    for m in range(n + 65, n + 68):
        events += mon.update(T0 + m * MIN, mark_price=price, funding_rate=0.0005)
    events += mon.flush()
    assert mon.gaps == [(T0 + (n + 20) * MIN, 45)]
    assert mon.regime == "firing"  # 4 bars after the gap: not yet 5 quiet minutes
