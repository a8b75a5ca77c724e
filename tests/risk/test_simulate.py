"""Cascade simulator: determinism, conservation, an independent position-level check, monotonicity
and calibration against the published figures of cascade-indicators.md §5."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

from risk import simulate as sim
from risk.simulate import GRID_STEP, Phase, Simulation, calibration, calibration_table, scenario, simulate


def _short_shock(duration_s: float = 1800.0, flow: float = 30e6, move: float = -0.03) -> sim.Scenario:
    """The calm market with a 5-minute sell-off in the middle: liquidations on both sides, fast."""
    base = scenario("calm")
    return dataclasses.replace(
        base,
        duration_s=duration_s,
        leverage=((5, 0.2), (10, 0.2), (25, 0.2), (50, 0.2), (100, 0.2)),
        initial_leverage=((2, 0.3), (10, 0.3), (25, 0.2), (50, 0.2)),
        base_open_long=2.0,
        base_open_short=2.0,
        phases=(
            Phase(600.0, 900.0, index_move=move, sell_flow_usd=flow, vol_mult=3.0),
            Phase(900.0, 1200.0, index_move=-move / 2, sell_flow_usd=-flow / 4, close_rate=1e-4),
        ),
    )


@pytest.fixture(scope="module")
def oct10() -> sim.SimulationSeries:
    return simulate("oct-10-2025", seed=0)


def test_same_seed_same_series_other_seed_differs():
    a = simulate(_short_shock(), seed=7)
    b = simulate(_short_shock(), seed=7)
    c = simulate(_short_shock(), seed=8)
    for name in ("mark", "liq_long_usd", "open_interest", "bid_depth_1pct_usd", "funding_rate"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.mark, c.mark)


def test_stepping_equals_whole_run():
    whole = simulate(_short_shock(), seed=3)
    s = Simulation(_short_shock(), seed=3)
    parts = [s.step(n) for n in (1, 99, 700, 5000)]
    assert s.done and s.steps_done == len(whole) == 1800
    assert s.step(10).mark.size == 0
    for name in ("mark", "index", "liq_long_coin", "liq_short_coin", "open_interest", "timestamp_ms"):
        np.testing.assert_array_equal(np.concatenate([getattr(p, name) for p in parts]), getattr(whole, name))
    np.testing.assert_array_equal(s.series().mark, whole.mark)


@pytest.mark.parametrize("name", ["calm", "oct-10-2025", "may-19-2021"])
def test_open_interest_changes_only_by_opens_closes_and_liquidations(name):
    s = simulate(name, time_scale=4.0)
    oi = np.concatenate(
        (
            [
                s.long_oi[0]
                + s.liq_long_coin[0]
                + s.closed_long_coin[0]
                - s.opened_long_coin[0]
                + s.short_oi[0]
                + s.liq_short_coin[0]
                + s.closed_short_coin[0]
                - s.opened_short_coin[0]
            ],
            s.open_interest,
        )
    )
    flows = s.opened_long_coin + s.opened_short_coin - s.closed_long_coin - s.closed_short_coin
    flows -= s.liq_long_coin + s.liq_short_coin
    np.testing.assert_allclose(np.diff(oi), flows, rtol=0, atol=1e-9 * oi.max())
    np.testing.assert_allclose(s.open_interest, s.long_oi + s.short_oi, rtol=1e-12)
    # Liquidated notional is the liquidated coin at the step's mark.
    np.testing.assert_allclose(s.liq_long_usd, s.liq_long_coin * s.mark, rtol=1e-12)
    np.testing.assert_allclose(s.liq_short_usd, s.liq_short_coin * s.mark, rtol=1e-12)
    assert np.all(s.liq_long_usd >= 0) and np.all(s.liq_short_usd >= 0)


def test_liquidations_equal_sum_of_liquidated_positions():
    """Independent reference: every position explicitly, fed the simulated mark path.

    Positions: the initial population plus, every step, one cohort per leverage rung opened at the mark
    (level = mark * factor). A long is liquidated in the first step whose mark bucket is at or below
    its level bucket (short: at or above); voluntary closes shrink every live position by the same
    fraction. The sum of the sizes liquidated in each step must equal the simulator's aggregate.
    """
    sc = _short_shock()
    s = Simulation(sc, seed=11)
    (l_lev, l_size), (s_lev, s_size) = s.initial_population()
    out = s.run()
    assert out.liq_long_coin.sum() > 0 and out.liq_short_coin.sum() > 0

    def bucket(p: np.ndarray) -> np.ndarray:
        return np.floor(np.log(np.asarray(p) / sc.initial_price) / GRID_STEP)

    long_f, short_f, w = sim.level_factors(sc.leverage, sc.mmr)
    sides = {
        "long": [
            bucket(l_lev),
            l_size.copy(),
            out.long_oi,
            out.liq_long_coin,
            out.closed_long_coin,
            out.opened_long_coin,
            long_f,
        ],
        "short": [
            bucket(s_lev),
            s_size.copy(),
            out.short_oi,
            out.liq_short_coin,
            out.closed_short_coin,
            out.opened_short_coin,
            short_f,
        ],
    }
    for side, (lev_b, size, oi_after, liq, closed, opened, factors) in sides.items():
        live = np.ones(size.shape, bool)
        for t in range(len(out)):
            jm = bucket(out.mark[t])
            hit = live & ((lev_b >= jm) if side == "long" else (lev_b <= jm))
            assert math.isclose(size[hit].sum(), liq[t], rel_tol=1e-9, abs_tol=1e-9), (side, t)
            live &= ~hit
            before_close = size[live].sum()
            if before_close > 0:
                size[live] *= 1.0 - closed[t] / before_close
            if opened[t] > 0:
                lev_b = np.concatenate((lev_b, bucket(out.mark[t] * factors)))
                size = np.concatenate((size, opened[t] * w))
                live = np.concatenate((live, np.ones(len(w), bool)))
            assert math.isclose(size[live].sum(), oi_after[t], rel_tol=1e-9)


def test_bigger_shock_liquidates_more_and_falls_further():
    totals, lows = [], []
    for scale in (0.25, 0.5, 1.0, 2.0, 4.0):
        s = simulate(_short_shock(flow=30e6 * scale, move=-0.03 * scale), seed=5)
        totals.append(s.liq_long_usd.sum())
        lows.append(s.mark.min())
    # Non-decreasing up to the noise of a different path (0.1 %), and clearly more at the far end.
    assert all(a <= b * 1.001 for a, b in itertools.pairwise(totals)), totals
    assert totals[-1] > 1.2 * totals[0]
    assert all(a > b for a, b in itertools.pairwise(lows)), lows


def test_more_leverage_liquidates_more():
    base = _short_shock()
    low = dataclasses.replace(base, leverage=((3, 1.0),), initial_leverage=((3, 1.0),))
    high = dataclasses.replace(base, leverage=((50, 1.0),), initial_leverage=((50, 1.0),))
    assert simulate(low, seed=2).liq_long_usd.sum() < simulate(base, seed=2).liq_long_usd.sum()
    assert simulate(base, seed=2).liq_long_usd.sum() < simulate(high, seed=2).liq_long_usd.sum()


def test_depth_thins_under_stress_and_refills(oct10):
    st = oct10.scenario_time_s
    before = np.median(oct10.bid_depth_1pct_usd[(st > 7.5 * 3600) & (st <= 8.5 * 3600)])
    cascade = (st > 8.8 * 3600) & (st <= 9.5 * 3600)
    later = (st > 11 * 3600) & (st <= 12 * 3600)
    assert oct10.bid_depth_1pct_usd[cascade].min() < before / 50
    assert np.median(oct10.bid_depth_1pct_usd[later]) > before / 3
    # The +-2 % band thins less than the +-1 % band.
    i = int(np.argmin(oct10.bid_depth_1pct_usd))
    assert (
        oct10.bid_depth_2pct_usd[i] / oct10.bid_depth_2pct_usd[0]
        > oct10.bid_depth_1pct_usd[i] / (oct10.bid_depth_1pct_usd[0])
    )


@pytest.mark.parametrize("name", ["oct-10-2025", "may-19-2021"])
def test_calibrated_to_published_figures(name):
    s = oct10_series = simulate(name, seed=0)
    rows = calibration(oct10_series, name)
    print(f"\n{name}\n{calibration_table(rows)}")
    assert len(rows) == len(scenario(name).published) >= 6
    for r in rows:
        if "sign only" in r.source:
            assert r.simulated < 0, r
        else:
            assert 0.5 <= r.ratio <= 2.0, r
    assert len(s) == 86_400


def test_calm_is_calm():
    s = simulate("calm", seed=0)
    per_min = (s.liq_long_usd + s.liq_short_usd).reshape(-1, 60).sum(axis=1)
    assert per_min.max() < 50e6
    assert s.mark.min() / s.mark[0] > 0.9 and s.mark.max() / s.mark[0] < 1.1
    assert np.all(np.abs(s.funding_rate) < 5e-4)
    assert s.bid_depth_1pct_usd.min() > 0.5 * scenario("calm").bid_depth_1pct_usd


def test_time_scale_compresses_the_day():
    fast = simulate("oct-10-2025", time_scale=60.0)
    assert len(fast) == 1440
    assert fast.timestamp_ms[-1] - fast.timestamp_ms[0] == 1439 * 60_000
    assert fast.scenario_time_s[-1] == 86_400.0
    # The cascade still happens and is mostly longs.
    assert fast.liq_long_usd.sum() > 3e9 and fast.liq_long_usd.sum() > 2 * fast.liq_short_usd.sum()


def test_window_reproduces_the_full_run_in_that_window():
    sc = scenario("oct-10-2025").window(8.5 * 3600, 10 * 3600)
    out = Simulation(sc, time_scale=5.0).run()
    assert len(out) == 1080
    assert out.scenario_time_s[0] == pytest.approx(8.5 * 3600 + 5.0)
    full = simulate("oct-10-2025", time_scale=5.0)
    on = (full.scenario_time_s > 8.5 * 3600) & (full.scenario_time_s <= 10 * 3600)
    for name in ("mark", "liq_long_usd", "open_interest", "bid_depth_1pct_usd", "timestamp_ms"):
        np.testing.assert_allclose(getattr(out, name), getattr(full, name)[on], rtol=1e-9)
    assert out.liq_long_usd.sum() > 3e9


def test_invalid_input_is_named():
    with pytest.raises(ValueError, match="no-such"):
        scenario("no-such")
    with pytest.raises(ValueError, match="time_scale"):
        Simulation("calm", time_scale=0)
    with pytest.raises(ValueError, match="leverage"):
        Simulation(dataclasses.replace(scenario("calm"), leverage=((0.5, 1.0),)))
    with pytest.raises(ValueError, match="window"):
        scenario("calm").window(10.0, 5.0)


def test_snapshot_and_levels_match_the_last_row():
    s = Simulation(_short_shock(), seed=1)
    last = s.step(900)
    snap = s.snapshot()
    assert snap.mark == pytest.approx(last.mark[-1])
    assert snap.timestamp_ms == last.timestamp_ms[-1]
    (lp, lc), (sp, sc_) = s.liquidation_levels()
    assert lc.sum() == pytest.approx(snap.long_oi, rel=1e-9)
    assert sc_.sum() == pytest.approx(snap.short_oi, rel=1e-9)
    assert lp.max() < snap.mark < sp.min()
