"""Estimated liquidation map: hand-computed levels, consumption by price, proportional closes."""

from __future__ import annotations

import pytest

from risk.liqmap import LiquidationMap

T = 1_760_000_000_000


def _map_with_100_new_coin() -> LiquidationMap:
    m = LiquidationMap()  # ladder 5x 15 %, 10x 30 %, 25x 25 %, 50x 20 %, 100x 10 %; mmr 0.4 %
    m.update(T, 100.0, 1000.0)  # the first OI is unknown history: nothing on the map
    m.update(T + 60_000, 100.0, 1100.0)  # +100 coin at 100: 50 long, 50 short
    return m


def test_new_open_interest_spread_over_the_ladder():
    m = _map_with_100_new_coin()
    assert m.total_coin() == pytest.approx(100.0)
    long_usd, short_usd = m.notional_within(100.0, 0.10)
    # Long levels 100*(1 - 1/L + 0.004): 10x 90.4, 25x 96.4, 50x 98.4, 100x 99.4 (5x 80.4 is outside);
    # coin 50 * (0.30, 0.25, 0.20, 0.10) = 15, 12.5, 10, 5 ->
    # 15*90.4 + 12.5*96.4 + 10*98.4 + 5*99.4 = 1356 + 1205 + 984 + 497 = 4042.
    assert long_usd == pytest.approx(4042.0, rel=1e-3)  # levels sit on a 10 bp grid
    # Short levels 100*(1 + 1/L - 0.004): 109.6, 103.6, 101.6, 100.6 ->
    # 15*109.6 + 12.5*103.6 + 10*101.6 + 5*100.6 = 1644 + 1295 + 1016 + 503 = 4458.
    assert short_usd == pytest.approx(4458.0, rel=1e-3)
    # Within 1 %: only the 100x levels (99.4 and 100.6): 497 and 503.
    assert m.notional_within(100.0, 0.01) == pytest.approx((497.0, 503.0), rel=1e-3)


def test_levels_traded_through_are_removed():
    m = _map_with_100_new_coin()
    m.update(T + 120_000, 99.0, 1100.0, low=97.0, high=99.5)
    # The low 97 takes the 98.4 and 99.4 long levels: 1356 + 1205 left within 10 % of 100.
    long_usd, short_usd = m.notional_within(100.0, 0.10)
    assert long_usd == pytest.approx(1356.0 + 1205.0, rel=1e-3)
    assert short_usd == pytest.approx(4458.0, rel=1e-3)  # the high 99.5 reached no short level
    assert m.total_coin() == pytest.approx(85.0)
    # A later rise through 101.6 takes the 100x and 50x shorts.
    m.update(T + 180_000, 101.0, 1100.0, high=101.7)
    assert m.notional_within(100.0, 0.10)[1] == pytest.approx(1644.0 + 1295.0, rel=1e-3)


def test_falling_open_interest_closes_proportionally():
    m = _map_with_100_new_coin()
    m.update(T + 120_000, 100.0, 1050.0)  # -50 of the 100 coin on the map -> half of every level
    assert m.total_coin() == pytest.approx(50.0)
    assert m.notional_within(100.0, 0.10) == pytest.approx((2021.0, 2229.0), rel=1e-3)


def test_long_short_ratio_splits_new_positions():
    m = LiquidationMap()
    m.update(T, 100.0, 0.0)
    m.update(T + 60_000, 100.0, 100.0, long_short_ratio=3.0)  # 3/(1+3) = 75 % longs
    price, long_usd, short_usd = m.levels()
    assert (long_usd / price).sum() == pytest.approx(75.0)
    assert (short_usd / price).sum() == pytest.approx(25.0)


def test_nearest_dense_clusters_above_and_below():
    m = LiquidationMap(leverage=((10, 1.0),), mmr=0.0)
    m.update(T, 100.0, 0.0)
    m.update(T + 1, 100.0, 1000.0)  # 500 long at 90, 500 short at 110
    m.update(T + 2, 95.0, 1010.0)  # 5 long at 85.5, 5 short at 104.5: thin, nearer
    below, above = m.nearest_clusters(97.0, min_notional=10_000.0)
    assert below is not None and above is not None
    assert below.side == "long" and below.price == pytest.approx(90.0, rel=2e-3)
    assert below.notional == pytest.approx(500 * 90.0, rel=2e-3)
    assert below.distance == pytest.approx(1 - 90.0 / 97.0, rel=1e-2)
    assert above.side == "short" and above.price == pytest.approx(110.0, rel=2e-3)
    # With a low bar the thin, nearer short level at 104.5 is the nearest cluster above.
    _, near_above = m.nearest_clusters(97.0, min_notional=100.0)
    assert near_above.price == pytest.approx(104.5, rel=2e-3)
    assert m.nearest_clusters(97.0, min_notional=1e9) == (None, None)


def test_invalid_input_is_named():
    m = LiquidationMap()
    with pytest.raises(ValueError, match="price"):
        m.update(T, -1.0, 10.0)
    with pytest.raises(ValueError, match="open_interest"):
        m.update(T, 100.0, float("nan"))
    with pytest.raises(ValueError, match="low <= price <= high"):
        m.update(T, 100.0, 10.0, low=101.0)
    with pytest.raises(ValueError, match="leverage"):
        LiquidationMap(leverage=((1.0, 1.0),))
