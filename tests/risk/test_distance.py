"""Distance to liquidation: fraction of mark, sigma and ATR units, touch probability, normal CDF."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from risk import (
    HORIZON_24H,
    HOURS_PER_YEAR,
    atr_distance,
    atr_distance_array,
    liquidation_distance,
    liquidation_distance_array,
    sigma_distance,
    sigma_distance_array,
    touch_probability,
    touch_probability_array,
)
from risk.normal import normal_cdf

# --- normal CDF -------------------------------------------------------------------------------------


def test_normal_cdf_matches_the_c_library_erfc() -> None:
    # Independent reference: Φ(x) = erfc(-x/√2)/2 with the C library's erfc (math.erfc).
    x = np.linspace(-37.0, 10.0, 20001)
    reference = np.array([0.5 * math.erfc(-value / math.sqrt(2.0)) for value in x])
    got = normal_cdf(x)
    assert np.max(np.abs(got - reference)) < 1e-14
    lower = x < 0.0
    assert np.max(np.abs(got[lower] - reference[lower]) / reference[lower]) < 2e-8


def test_normal_cdf_known_values_and_limits() -> None:
    # Φ(-1) = 0.158655253931457 and Φ(1.959963984540054) = 0.975 (standard normal tables).
    got = normal_cdf(np.array([0.0, -1.0, 1.959963984540054, np.inf, -np.inf, np.nan, -40.0]))
    assert got[0] == 0.5
    assert got[1] == pytest.approx(0.158655253931457, abs=1e-15)
    assert got[2] == pytest.approx(0.975, abs=1e-15)
    assert got[3] == 1.0 and got[4] == 0.0 and math.isnan(got[5]) and got[6] == 0.0


# --- distance as a fraction of the mark -------------------------------------------------------------


def test_liquidation_distance_binance_faq_cross_example() -> None:
    # exchange-margin-rules.md §2.4 (Binance FAQ cross account): BTC mark 31,967.27, liquidation
    # 26,316.893264518854 -> 17.68 %; ETH mark 1,335.18, liquidation 1,153.256464239104 -> 13.63 %.
    btc = liquidation_distance("long", 31967.27, 26316.893264518854)
    eth = liquidation_distance("long", 1335.18, 1153.256464239104)
    assert btc == pytest.approx((31967.27 - 26316.893264518854) / 31967.27, rel=1e-15)
    assert round(btc * 100, 2) == 17.68
    assert round(eth * 100, 2) == 13.63


def test_liquidation_distance_short_and_past_and_none() -> None:
    # Short at 20,000 with liquidation 21,000: (21,000 - 20,000)/20,000 = 0.05.
    assert liquidation_distance("short", 20000.0, 21000.0) == pytest.approx(0.05, rel=1e-15)
    # A long marked below its liquidation price is past it: negative distance.
    assert liquidation_distance("long", 17000.0, 18000.0) == pytest.approx(-1000.0 / 17000.0, rel=1e-15)
    assert liquidation_distance("long", 20000.0, None) is None


def test_liquidation_distance_array_with_none_rows_and_broadcast() -> None:
    sides = ["long", "short", "long"]
    got = liquidation_distance_array(sides, [100.0, 100.0, 50.0], [90.0, 125.0, None])
    assert got[:2] == pytest.approx([0.10, 0.25], rel=1e-15)
    assert math.isnan(got[2])
    # One side and one mark broadcast against many liquidation prices.
    many = liquidation_distance_array("short", 200.0, np.array([210.0, 220.0, 300.0]))
    assert many == pytest.approx([0.05, 0.10, 0.50], rel=1e-15)


# --- sigma and ATR units ----------------------------------------------------------------------------


def test_sigma_distance_golden() -> None:
    # ln(20000/18000) = 0.105360516; 0.6·sqrt(1/365) = 0.031405520; ratio 3.354850.
    z = sigma_distance("long", 20000.0, 18000.0, 0.6, 1.0 / 365.0)
    assert z == pytest.approx(math.log(20000.0 / 18000.0) / (0.6 * math.sqrt(1.0 / 365.0)), rel=1e-14)
    assert z == pytest.approx(3.354850, abs=1e-6)
    # An hourly sigma with a horizon in hours gives the same number (only sigma·sqrt(h) matters).
    hourly = 0.6 / math.sqrt(HOURS_PER_YEAR)
    assert sigma_distance("long", 20000.0, 18000.0, hourly, 24.0) == pytest.approx(z, rel=1e-12)
    # Short: ln(21000/20000)/(0.8·sqrt(0.25)) = 0.048790164/0.4 = 0.121975.
    assert sigma_distance("short", 20000.0, 21000.0, 0.8, 0.25) == pytest.approx(0.1219754, abs=1e-7)
    assert sigma_distance("short", 20000.0, None, 0.8, 0.25) is None


def test_sigma_distance_with_zero_volatility() -> None:
    got = sigma_distance_array(["long", "long", "long"], 100.0, [90.0, 100.0, 110.0], 0.0, 1.0)
    assert got[0] == math.inf and got[1] == 0.0 and got[2] == -math.inf


def test_atr_distance_golden() -> None:
    # (20,000 - 18,000)/250 = 8 ATRs; short (21,000 - 20,000)/250 = 4 ATRs.
    assert atr_distance("long", 20000.0, 18000.0, 250.0) == pytest.approx(8.0, rel=1e-15)
    assert atr_distance_array(["short"], [20000.0], [21000.0], [250.0]) == pytest.approx([4.0], rel=1e-15)
    assert atr_distance("long", 20000.0, None, 250.0) is None


# --- touch probability ------------------------------------------------------------------------------


def test_touch_probability_one_sigma_golden() -> None:
    # Barrier exactly one horizon-sigma away in log: a = 0.1, v = 0.2·sqrt(0.25) = 0.1, so
    # P = 2·Φ(-1) = P(|Z| > 1) = 0.3173105078629141 (the two-sided one-sigma tail).
    mark = 100.0
    barrier = mark * math.exp(-0.1)
    assert touch_probability(mark, barrier, 0.2, 0.25) == pytest.approx(0.3173105078629141, abs=1e-14)
    # The same log distance above the mark (a short's barrier) gives the same probability.
    assert touch_probability(mark, mark * math.exp(0.1), 0.2, 0.25) == pytest.approx(
        0.3173105078629141, abs=1e-14
    )


def test_touch_probability_24h_example() -> None:
    # mark 20,000, liquidation 18,000, sigma 60 %/yr, 24 h: z = 3.354850 (above); 2·Φ(-3.354850).
    expected = math.erfc(3.3548497088312823 / math.sqrt(2.0))
    assert touch_probability(20000.0, 18000.0, 0.6, HORIZON_24H) == pytest.approx(expected, rel=1e-10)
    assert expected == pytest.approx(0.000794081, rel=1e-6)


def test_touch_probability_at_and_past_the_barrier_is_one() -> None:
    assert touch_probability(100.0, 100.0, 0.5, 0.1) == 1.0
    assert touch_probability(100.0, 105.0, 0.5, 0.1, side="long") == 1.0  # long already past it
    assert touch_probability(100.0, 95.0, 0.5, 0.1, side="short") == 1.0  # short already past it
    assert touch_probability(100.0, 100.0, 0.0, 0.0) == 1.0


def test_touch_probability_vanishes_with_horizon_or_volatility() -> None:
    assert touch_probability(100.0, 90.0, 0.5, 0.0) == 0.0
    assert touch_probability(100.0, 90.0, 0.0, 1.0) == 0.0
    assert touch_probability(100.0, 90.0, 0.5, 1e-9) < 1e-300
    assert touch_probability(100.0, 90.0, 0.5, 1e-6) < touch_probability(100.0, 90.0, 0.5, 1e-4)


def test_touch_probability_none_without_liquidation_price() -> None:
    assert touch_probability(100.0, None, 0.5, 0.1) is None
    assert math.isnan(touch_probability_array([100.0, 100.0], [None, 90.0], 0.5, 0.1)[0])


def test_martingale_limits() -> None:
    # A price martingale M with M_0 = 100 that stops at 125 or is driven to 0 (GBM tends to 0 a.s.):
    # optional stopping gives P(ever touch 125) = 100/125 = 0.8.
    assert touch_probability(100.0, 125.0, 0.8, 1e6, martingale=True) == pytest.approx(0.8, abs=1e-12)
    # The log price drifts down, so a lower barrier is touched almost surely in the long run.
    assert touch_probability(100.0, 80.0, 0.8, 1e6, martingale=True) == pytest.approx(1.0, abs=1e-12)
    # With the downward log drift a long's barrier is more likely, a short's less, than without it.
    assert touch_probability(100.0, 80.0, 0.8, 0.25, martingale=True) > touch_probability(
        100.0, 80.0, 0.8, 0.25
    )
    assert touch_probability(100.0, 125.0, 0.8, 0.25, martingale=True) < touch_probability(
        100.0, 125.0, 0.8, 0.25
    )


def _monte_carlo_touch(log_barrier: float, vol: float, log_drift: float, paths: int, steps: int) -> float:
    """P(min or max of a Brownian log path reaches log_barrier within T = 1), simulated.

    Independent of the closed form: Euler steps of the log price, with the exact Brownian-bridge
    probability of crossing between two monitored points, exp(-2·d0·d1/(vol²·dt)), which removes the
    discrete-monitoring bias (the bridge does not depend on the drift).
    """
    rng = np.random.default_rng(20261126)
    dt = 1.0 / steps
    increments = log_drift * dt + vol * math.sqrt(dt) * rng.standard_normal((paths, steps))
    path = np.concatenate([np.zeros((paths, 1)), np.cumsum(increments, axis=1)], axis=1)
    gap = (path - log_barrier) * (1.0 if log_barrier < 0 else -1.0)  # > 0 on the safe side
    crossed = np.any(gap <= 0.0, axis=1)
    start, end = np.maximum(gap[:, :-1], 0.0), np.maximum(gap[:, 1:], 0.0)
    survive = np.prod(1.0 - np.exp(-2.0 * start * end / (vol * vol * dt)), axis=1)
    return float(np.mean(np.where(crossed, 1.0, 1.0 - survive)))


@pytest.mark.parametrize(
    ("barrier_ratio", "martingale"),
    [(0.85, False), (1.2, False), (0.85, True), (1.2, True)],
)
def test_touch_probability_against_monte_carlo(barrier_ratio: float, martingale: bool) -> None:
    sigma, horizon = 0.3, 1.0
    drift = -0.5 * sigma * sigma if martingale else 0.0
    simulated = _monte_carlo_touch(math.log(barrier_ratio), sigma, drift, paths=20000, steps=100)
    closed_form = touch_probability(100.0, 100.0 * barrier_ratio, sigma, horizon, martingale=martingale)
    # Standard error <= sqrt(0.25/20000) = 0.0035; the bridge estimator has less variance than that.
    assert closed_form == pytest.approx(simulated, abs=0.012)


def test_array_matches_scalar_and_does_not_mutate() -> None:
    marks = np.array([100.0, 100.0, 50.0, 10.0])
    liquidations = np.array([90.0, 120.0, 49.0, 9.0])
    sigmas = np.array([0.5, 0.9, 1.2, 0.1])
    horizons = np.array([HORIZON_24H, 0.1, 0.01, 1.0])
    sides = np.array(["long", "short", "long", "long"])
    copies = [a.copy() for a in (marks, liquidations, sigmas, horizons, sides)]
    for martingale in (False, True):
        batch = touch_probability_array(
            marks, liquidations, sigmas, horizons, sides=sides, martingale=martingale
        )
        one_by_one = [
            touch_probability(m, q, s, h, side=str(d), martingale=martingale)
            for m, q, s, h, d in zip(marks, liquidations, sigmas, horizons, sides, strict=True)
        ]
        assert batch == pytest.approx(one_by_one, rel=1e-15)
    for original, copy in zip((marks, liquidations, sigmas, horizons, sides), copies, strict=True):
        assert np.array_equal(original, copy)


# --- invariants -------------------------------------------------------------------------------------

prices = st.floats(min_value=1e-3, max_value=1e6)
log_gaps = st.floats(min_value=1e-4, max_value=2.0)
sigmas = st.floats(min_value=1e-3, max_value=5.0)
horizons = st.floats(min_value=1e-6, max_value=10.0)


@given(prices, log_gaps, sigmas, horizons, horizons, st.booleans(), st.booleans())
def test_touch_probability_monotone_in_horizon(
    mark: float, gap: float, sigma: float, h1: float, h2: float, above: bool, martingale: bool
) -> None:
    barrier = mark * math.exp(gap if above else -gap)
    short, long = sorted((h1, h2))
    p_short = touch_probability(mark, barrier, sigma, short, martingale=martingale)
    p_long = touch_probability(mark, barrier, sigma, long, martingale=martingale)
    assert 0.0 <= p_short <= p_long + 1e-12 <= 1.0 + 1e-12


@given(prices, log_gaps, sigmas, sigmas, horizons, st.booleans())
def test_touch_probability_monotone_in_sigma(
    mark: float, gap: float, s1: float, s2: float, horizon: float, above: bool
) -> None:
    # Zero log drift only: with the martingale's -σ²/2 drift a short's probability is not monotone in σ.
    barrier = mark * math.exp(gap if above else -gap)
    low, high = sorted((s1, s2))
    assert (
        touch_probability(mark, barrier, low, horizon)
        <= touch_probability(mark, barrier, high, horizon) + 1e-12
    )


@given(prices, log_gaps, log_gaps, sigmas, horizons, st.booleans(), st.booleans())
def test_touch_probability_falls_with_distance(
    mark: float, g1: float, g2: float, sigma: float, horizon: float, above: bool, martingale: bool
) -> None:
    near, far = sorted((g1, g2))
    direction = 1.0 if above else -1.0
    p_near = touch_probability(mark, mark * math.exp(direction * near), sigma, horizon, martingale=martingale)
    p_far = touch_probability(mark, mark * math.exp(direction * far), sigma, horizon, martingale=martingale)
    assert p_far <= p_near + 1e-12


@given(prices, log_gaps, sigmas, horizons)
def test_driftless_log_probability_is_symmetric(
    mark: float, gap: float, sigma: float, horizon: float
) -> None:
    below = touch_probability(mark, mark * math.exp(-gap), sigma, horizon)
    above = touch_probability(mark, mark * math.exp(gap), sigma, horizon)
    # Equal up to the normal CDF's relative accuracy in the tail (< 1e-8, risk/normal.py): rounding of
    # the two log distances can put them on either side of its rational/continued-fraction switch.
    assert below == pytest.approx(above, rel=2e-8, abs=1e-300)


@given(st.sampled_from(["long", "short"]), prices, prices)
def test_distance_sign_says_safe_or_past(side: str, mark: float, liquidation: float) -> None:
    distance = liquidation_distance(side, mark, liquidation)
    safe = liquidation < mark if side == "long" else liquidation > mark
    assert (distance > 0) == safe or liquidation == mark


# --- invalid input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: liquidation_distance(["long"], 100.0, 90.0), "side must be 'long' or 'short', got ['long']"),
        (lambda: liquidation_distance("buy", 100.0, 90.0), "side must be 'long' or 'short', got 'buy'"),
        (lambda: liquidation_distance("long", float("nan"), 90.0), "mark_price must be finite, got nan"),
        (lambda: liquidation_distance("long", -1.0, 90.0), "mark_price must be > 0, got -1.0"),
        (lambda: liquidation_distance("long", 100.0, 0.0), "liquidation_price must be > 0, got 0.0"),
        (
            lambda: liquidation_distance("long", 100.0, "x"),
            "liquidation_price must be a number or None, got 'x'",
        ),
        (
            lambda: liquidation_distance("long", [1.0, 2.0], 90.0),
            "mark_price must be a number, got [1.0, 2.0]",
        ),
        (lambda: sigma_distance("long", 100.0, 90.0, -0.1, 1.0), "sigma_annual must be >= 0, got -0.1"),
        (lambda: sigma_distance("long", 100.0, 90.0, 0.1, math.inf), "horizon_years must be finite, got inf"),
        (lambda: atr_distance("long", 100.0, 90.0, 0.0), "atr must be > 0, got 0.0"),
        (lambda: touch_probability(100.0, 90.0, float("nan"), 1.0), "sigma_annual must be finite, got nan"),
        (lambda: touch_probability(100.0, 90.0, 0.5, -1.0), "horizon_years must be >= 0, got -1.0"),
        (lambda: touch_probability(100.0, 90.0, 0.5, 1.0, side="flat"), "side must be 'long' or 'short'"),
        (
            lambda: touch_probability_array([100.0, 100.0], [90.0, float("nan")], 0.5, 1.0),
            "liquidation_price[1] must be finite, got nan",
        ),
        (
            lambda: liquidation_distance_array(["long", "sell"], 100.0, 90.0),
            "side[1] must be 'long' or 'short', got 'sell'",
        ),
    ],
)
def test_invalid_input_names_field_and_value(call, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
