"""Slippage of a market order walked through a depth curve."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from risk import DepthCurve, estimate_slippage


def test_walk_golden() -> None:
    # 1 contract at 0.1 %, then 4 spread evenly from 0.1 % to 0.3 %, then 5 from 0.3 % to 0.5 %.
    depth = DepthCurve([0.001, 0.003, 0.005], [1.0, 5.0, 10.0])
    # 3 contracts: 1 at 0.1 %; 2 of the second band's 4 cover 0.1 %..0.2 %, average 0.15 %:
    # (0.001 + 2·0.0015)/3 = 0.0013333.
    assert estimate_slippage(3.0, depth) == (pytest.approx(0.004 / 3.0, rel=1e-14), False)
    # 0.5 contract, all at the first point: 0.1 %.
    assert estimate_slippage(0.5, depth)[0] == pytest.approx(0.001, rel=1e-15)
    # 10 contracts: 1·0.001 + 4·0.002 (band mean) + 5·0.004 (band mean) = 0.029 -> 0.0029.
    assert estimate_slippage(10.0, depth) == (pytest.approx(0.0029, rel=1e-14), False)
    # 12 contracts exhaust the book; the remaining 2 are priced at the farthest point (a lower bound):
    # (0.029 + 2·0.005)/12 = 0.00325.
    assert estimate_slippage(12.0, depth) == (pytest.approx(0.00325, rel=1e-14), True)
    # A band total "100 contracts within 1 %", spread evenly: 50 fill at 0.25 % on average, 100 at 0.5 %.
    band = DepthCurve([0.0, 0.01], [0.0, 100.0])
    assert estimate_slippage(50.0, band)[0] == pytest.approx(0.0025, rel=1e-14)
    assert estimate_slippage(100.0, band)[0] == pytest.approx(0.005, rel=1e-14)


def test_thinning_divides_the_depth() -> None:
    depth = DepthCurve([0.001, 0.003, 0.005], [1.0, 5.0, 10.0])
    # A book thinned 2x holds 0.5, 2.5, 5 contracts: 1.5 contracts fill 0.5 at 0.1 % and 1 of the
    # next band's 2 over 0.1 %..0.2 % (mean 0.15 %) -> (0.0005 + 0.0015)/1.5, like 3 in the full book.
    thinned = estimate_slippage(1.5, depth, thinning=2.0)[0]
    assert thinned == pytest.approx(0.002 / 1.5, rel=1e-14)
    assert thinned == pytest.approx(estimate_slippage(3.0, depth)[0], rel=1e-14)


def test_from_levels_ccxt_bids() -> None:
    # ccxt order-book side [[price, amount, (count)]], best first; mid 100.05.
    bids = [[100.0, 2.0, 3], [99.9, 3.0, 1], [99.5, 5.0, 2], [40.0, 1.0, 1]]
    depth = DepthCurve.from_levels(100.05, bids)
    assert depth.distances == pytest.approx([0.05 / 100.05, 0.15 / 100.05, 0.55 / 100.05, 60.05 / 100.05])
    assert list(depth.cumulative_contracts) == [2.0, 5.0, 10.0, 11.0]
    assert depth.total_contracts == 11.0
    # Asks beyond twice the mid are dropped (no stop fills there).
    asks = DepthCurve.from_levels(100.0, [[100.1, 1.0], [250.0, 5.0]])
    assert list(asks.cumulative_contracts) == [1.0]


def test_curve_copies_and_freezes_its_arrays() -> None:
    distances = np.array([0.001, 0.002])
    cumulative = np.array([1.0, 3.0])
    depth = DepthCurve(distances, cumulative)
    distances[0] = 0.5
    assert depth.distances[0] == 0.001
    with pytest.raises(ValueError, match="read-only"):
        depth.cumulative_contracts[0] = 7.0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: DepthCurve([0.002, 0.001], [1.0, 2.0]), "DepthCurve.distances must be non-decreasing"),
        (
            lambda: DepthCurve([0.001, 0.002], [3.0, 2.0]),
            "DepthCurve.cumulative_contracts must be non-decreasing",
        ),
        (lambda: DepthCurve([0.001], [0.0]), "DepthCurve.cumulative_contracts must end > 0, got 0.0"),
        (lambda: DepthCurve([1.5], [1.0]), "DepthCurve.distances[0] must be < 1, got 1.5"),
        (
            lambda: DepthCurve([0.001, float("nan")], [1.0, 2.0]),
            "DepthCurve.distances[1] must be finite, got nan",
        ),
        (lambda: DepthCurve([0.001, 0.002], [1.0]), "must be 1-D, non-empty and of equal length"),
        (lambda: DepthCurve([], []), "must be 1-D, non-empty and of equal length"),
        (lambda: DepthCurve.from_levels(0.0, [[1.0, 1.0]]), "mid_price must be > 0, got 0.0"),
        (lambda: DepthCurve.from_levels(1.0, [[1.0, -1.0]]), "levels contracts[0] must be >= 0, got -1.0"),
        (lambda: estimate_slippage(-1.0, DepthCurve([0.001], [1.0])), "contracts must be > 0, got -1.0"),
    ],
)
def test_invalid_curves(build, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


curves = st.lists(st.tuples(st.floats(0.0, 0.2), st.floats(0.0, 100.0)), min_size=1, max_size=8).filter(
    lambda levels: sum(size for _, size in levels) > 0
)


@given(curves, st.floats(1e-6, 500.0), st.floats(1e-6, 500.0))
def test_larger_size_never_reduces_slippage(levels, size_a: float, size_b: float) -> None:
    levels = sorted(levels)
    depth = DepthCurve([d for d, _ in levels], np.cumsum([s for _, s in levels]))
    small, large = sorted((size_a, size_b))
    assert estimate_slippage(small, depth)[0] <= estimate_slippage(large, depth)[0] + 1e-15
    # The average fill lies between the nearest and the farthest level.
    slip = estimate_slippage(large, depth)[0]
    assert depth.distances[0] - 1e-15 <= slip <= depth.distances[-1] + 1e-15
