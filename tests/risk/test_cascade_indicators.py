"""Cascade indicators on small hand-made series: each expected value is computed by hand in a comment."""

from __future__ import annotations

import math

import numpy as np
import pytest

from risk.cascade import CascadeConfig, CascadeMonitor

MIN = 60_000
T0 = 1_760_000_000_000 - 1_760_000_000_000 % (60 * MIN)  # on an hour boundary


def _feed(mon: CascadeMonitor, rows: list[dict]) -> None:
    for row in rows:
        row = dict(row)
        ts = row.pop("ts")
        mon.update(ts, **row)
    mon.flush()


def test_funding_per_8h_and_annualised_hourly_venue_normalised():
    mon = CascadeMonitor("ETH/USDC:USDC", funding_interval_hours=1.0)
    # Hyperliquid-style hourly 0.00125 %/h = 0.0000125 per hour -> x8 = 0.0001 per 8 h -> x3x365 = 10.95 %.
    _feed(mon, [{"ts": T0, "funding_rate": 0.0000125}])
    ind = mon.reading.indicators
    assert ind.funding_8h == pytest.approx(1e-4)
    assert ind.funding_apr == pytest.approx(0.1095)
    # A per-row interval overrides the default: 0.0003 per 4 h -> 0.0006 per 8 h.
    mon.update(T0 + 2 * MIN, funding_rate=0.0003, funding_interval_hours=4.0)
    mon.flush()
    assert mon.reading.indicators.funding_8h == pytest.approx(6e-4)
    # Baseline 0.01 %/8h scores nothing; 0.05 %/8h = 54.75 % APR is past the 50 % top of the ramp.
    assert "funding" in {c.name for c in mon.reading.components}
    assert next(c for c in mon.reading.components if c.name == "funding").value == 1.0


def test_open_interest_change_in_coin_over_1h_and_partial_4h():
    mon = CascadeMonitor("BTC/USDT:USDT")
    rows = [{"ts": T0 + m * MIN, "open_interest": 1000.0} for m in range(60)]
    rows.append({"ts": T0 + 60 * MIN, "open_interest": 1100.0})
    _feed(mon, rows)
    ind = mon.reading.indicators
    # 1 h: 1100 / 1000 - 1 = 0.10. 4 h: only 60 min of history (>= 240/4), oldest 1000 -> 0.10.
    assert ind.oi_change_1h == pytest.approx(0.10)
    assert ind.oi_change_4h == pytest.approx(0.10)
    # 24 h needs at least 6 h of history.
    assert ind.oi_change_24h is None
    # Component: max(0.10/0.03, 0.10/0.06) clipped to 1.
    comp = next(c for c in mon.reading.components if c.name == "oi_buildup")
    assert comp.value == 1.0


def test_liquidation_burst_multiple_of_the_7_day_minute_mean():
    mon = CascadeMonitor("BTC/USDT:USDT")
    rows = [{"ts": T0 + m * MIN, "liq_long_usd": 1e6, "liq_short_usd": 0.0} for m in range(100)]
    # Minute 100: two rows, 12 M + 8 M = 20 M of longs.
    rows += [
        {"ts": T0 + 100 * MIN, "liq_long_usd": 12e6},
        {"ts": T0 + 100 * MIN + 30_000, "liq_long_usd": 8e6, "liq_short_usd": 0.0},
    ]
    _feed(mon, rows)
    ind = mon.reading.indicators
    # Baseline: mean of the 100 previous minutes = 1 M; 20 M / 1 M = 20x.
    assert ind.liq_long_1m_usd == pytest.approx(20e6)
    assert ind.liq_long_multiple == pytest.approx(20.0)
    # Shorts: 0 / max(0, floor 100 k) = 0.
    assert ind.liq_short_multiple == 0.0
    comp = next(c for c in mon.reading.components if c.name == "liquidations")
    assert comp.value == pytest.approx(math.log(20) / math.log(50))  # 0.7658


def test_liquidations_under_the_absolute_floor_do_not_count():
    mon = CascadeMonitor("BTC/USDT:USDT", config=CascadeConfig(liq_floor_usd=5e6))
    rows = [{"ts": T0 + m * MIN, "liq_long_usd": 0.0} for m in range(30)]
    rows.append({"ts": T0 + 30 * MIN, "liq_long_usd": 4e6})  # 40x the 100 k floor, but < 5 M
    _feed(mon, rows)
    assert mon.reading.indicators.liq_long_multiple == pytest.approx(40.0)
    assert next(c for c in mon.reading.components if c.name == "liquidations").value == 0.0


def test_empty_minutes_count_as_zero_liquidations():
    mon = CascadeMonitor("BTC/USDT:USDT")
    _feed(mon, [{"ts": T0, "liq_long_usd": 1e6}, {"ts": T0 + 10 * MIN, "liq_long_usd": 3e6}])
    # Baseline before minute 10: minute 0 (1 M) + 9 empty minutes = 1 M / 10 = 100 k -> 3 M / 100 k = 30x.
    assert mon.reading.indicators.liq_long_multiple == pytest.approx(30.0)


def test_depth_collapse_vs_60_minute_median_uses_the_minute_minimum():
    mon = CascadeMonitor("BTC/USDT:USDT")
    rows = [{"ts": T0 + m * MIN, "bid_depth_1pct_usd": 100e6 + m * 1e6} for m in range(60)]
    rows += [
        {"ts": T0 + 60 * MIN, "bid_depth_1pct_usd": 4e6},
        {"ts": T0 + 60 * MIN + 30_000, "bid_depth_1pct_usd": 20e6},
    ]
    _feed(mon, rows)
    # Median of 100..159 M = (129 + 130)/2 = 129.5 M; the bar's minimum 4 M -> 32.375x.
    assert mon.reading.indicators.bid_collapse_1pct == pytest.approx(129.5e6 / 4e6)
    assert mon.reading.indicators.ask_collapse_1pct is None


def test_basis_and_long_short_ratio():
    mon = CascadeMonitor("BTC/USDT:USDT")
    _feed(mon, [{"ts": T0, "mark_price": 95.0, "index_price": 100.0, "long_short_ratio": 1.5}])
    ind = mon.reading.indicators
    assert ind.basis == pytest.approx(-0.05)  # (95 - 100) / 100
    assert ind.long_short_ratio == 1.5
    # Component: (|ln 1.5| - 0.1) / (0.5 - 0.1) = (0.405465 - 0.1) / 0.4 = 0.76366.
    comp = next(c for c in mon.reading.components if c.name == "long_short")
    assert comp.value == pytest.approx((math.log(1.5) - 0.1) / 0.4)
    # Basis -5 % is past the 2 % top of its ramp.
    assert next(c for c in mon.reading.components if c.name == "basis").value == 1.0


def test_funding_percentile_vs_hourly_history():
    mon = CascadeMonitor("BTC/USDT:USDT")
    rows = [{"ts": T0 + h * 60 * MIN, "funding_rate": (h + 1) * 1e-6} for h in range(200)]
    _feed(mon, rows)
    # 200 hourly samples 1..200 (x1e-6), current = 200: (199 below + 0.5 tie) / 200 = 0.9975.
    assert mon.reading.indicators.funding_percentile == pytest.approx(0.9975)


def test_price_move_in_sigma():
    mon = CascadeMonitor("BTC/USDT:USDT")
    a = 0.001
    prices = [100.0 * math.exp(a * (k % 2)) for k in range(60)] + [100.0 * math.exp(-0.02)]
    _feed(mon, [{"ts": T0 + k * MIN, "mark_price": p} for k, p in enumerate(prices)])
    logp = np.log(prices)
    # Sigma is measured on rolling 5-minute returns (1-minute and 5-minute rows then agree): a
    # 15-minute move is sqrt(3) 5-minute steps.
    rets5 = logp[5:] - logp[:-5]
    move = logp[-1] - logp[-16]
    assert mon.reading.indicators.move_15m == pytest.approx(move)
    assert mon.reading.indicators.move_sigma == pytest.approx(move / (rets5.std() * math.sqrt(3)))


def test_score_uses_present_components_and_names_the_missing():
    mon = CascadeMonitor("BTC/USDT:USDT")
    _feed(mon, [{"ts": T0, "mark_price": 95.0, "index_price": 100.0, "long_short_ratio": 1.5}])
    r = mon.reading
    assert set(r.missing) == {"funding", "oi_buildup", "liquidations", "depth", "move"}
    # Present: long_short (weight 10, value 0.76366) and basis (weight 10, value 1).
    expected = 100 * (10 * (math.log(1.5) - 0.1) / 0.4 + 10 * 1.0) / 20
    assert expected == pytest.approx(88.18, abs=0.01)
    # Two inputs (long/short, index) cap the score at 75: renormalised weights over few inputs
    # would otherwise read as a full-strength cascade.
    assert r.inputs == ("long/short", "index")
    assert r.score_cap == 75.0
    assert r.score == pytest.approx(75.0)
    assert sum(c.points for c in r.components) == pytest.approx(r.score)


def test_update_and_update_many_agree():
    rng = np.random.default_rng(4)
    n = 3 * 3600
    ts = T0 + np.arange(n) * 1000 + 250
    mark = 100 * np.exp(np.cumsum(rng.normal(0, 5e-4, n)))
    liq = np.where(rng.random(n) < 0.01, rng.lognormal(13, 2, n), 0.0)
    depth = 1e8 * (1 + 0.1 * rng.standard_normal(n))
    oi = 1e5 * np.exp(np.cumsum(rng.normal(0, 1e-4, n)))
    funding = np.where(np.arange(n) % 600 == 0, 1e-4 + 1e-5 * rng.standard_normal(n), np.nan)
    cols = {
        "mark_price": mark,
        "liq_long_usd": liq,
        "liq_short_usd": liq[::-1].copy(),
        "bid_depth_1pct_usd": depth,
        "open_interest": oi,
        "funding_rate": funding,
    }
    a = CascadeMonitor("X")
    ev_a = []
    for i in range(n):
        ev_a += a.update(int(ts[i]), **{k: float(v[i]) for k, v in cols.items()})
    ev_a += a.flush()
    b = CascadeMonitor("X")
    ev_b = b.update_many(ts[: n // 3], **{k: v[: n // 3] for k, v in cols.items()})
    ev_b += b.update_many(ts[n // 3 :], **{k: v[n // 3 :] for k, v in cols.items()})
    ev_b += b.flush()
    assert ev_a == ev_b
    assert a.reading == b.reading
    assert a.minutes_evaluated == b.minutes_evaluated == 180


def test_invalid_input_is_named():
    mon = CascadeMonitor("BTC/USDT:USDT")
    with pytest.raises(ValueError, match="liq_long_usd"):
        mon.update(T0, liq_long_usd=-1.0)
    with pytest.raises(ValueError, match="unknown input 'price'"):
        mon.update(T0, price=1.0)
    with pytest.raises(ValueError, match="funding_interval_hours"):
        mon.update(T0, funding_rate=1e-4, funding_interval_hours=0)
    with pytest.raises(ValueError, match="row 2"):
        mon.update_many(np.array([T0, T0 + 5, T0 + 1]), mark_price=np.ones(3))
    with pytest.raises(ValueError, match="symbol"):
        CascadeMonitor("")
