"""Suggested stop-loss: golden cases derived by hand, invariants, batch, invalid input."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from risk import DepthCurve, StopSuggestion, suggest_stop, suggest_stops
from tests.risk import stops_reference

# --- golden cases -----------------------------------------------------------------------------------


def test_linear_long_liquidation_buffer_binds() -> None:
    # Long 2 BTC (contract size 1) marked at 20,000, liquidation 18,000, taker fee 0.05 %, mark/last
    # allowance 0.5 %. Book: 1 contract at 0.1 %, 4 more spread evenly to 0.2 % -> 2 contracts fill 1 at
    # 0.1 % and 1 over 0.1 %..0.125 % (mean 0.1125 %): slippage (0.001 + 0.001125)/2 = 0.10625 %.
    # Buffer b = 0.0005 + 0.0010625 + 0.005 = 0.0065625.
    # Liquidation stop S = 18,000/(1 - 0.0065625) = 18,118.905316137152.
    # Noise: 2 x ATR 200 below the mark = 19,600 > S, so the stop fits; no budget -> liquidation binds.
    # Fill X = S·(1 - 0.0010625) = 18,099.653979238756; loss from the mark = 2·(20,000 - X) + 0.0005·2·X
    # = 3,800.69204 + 18.09965 = 3,818.79170; PnL vs entry 19,000 = 2·(X - 19,000) - 18.09965 = -1,818.79170.
    result = suggest_stop(
        side="long",
        entry_price=19000.0,
        mark_price=20000.0,
        liquidation_price=18000.0,
        contracts=2.0,
        equity=10000.0,
        taker_fee_rate=0.0005,
        mark_last_allowance=0.005,
        depth=DepthCurve([0.001, 0.002], [1.0, 5.0]),
        atr=200.0,
        settle_currency="USDT",
    )
    assert result.feasible and result.binding == "liquidation_buffer"
    assert result.stop_price == pytest.approx(18118.905316137152, rel=1e-12)
    assert result.slippage == pytest.approx(0.0010625, rel=1e-12)
    assert result.buffer_fraction == pytest.approx(0.0065625, rel=1e-12)
    assert result.noise_floor == pytest.approx(19600.0, rel=1e-15)
    assert result.budget_stop is None
    assert result.fee_cost == pytest.approx(18.099653979238756, rel=1e-12)
    assert result.slippage_cost == pytest.approx(2 * 18118.905316137152 * 0.0010625, rel=1e-12)
    assert result.loss_at_stop == pytest.approx(3818.79170, abs=1e-5)
    assert result.loss_fraction_of_equity == pytest.approx(0.381879170, abs=1e-9)
    assert result.pnl_at_stop == pytest.approx(-1818.79170, abs=1e-5)
    # Closing now: slippage 2·20,000·0.0010625 = 42.5 + fee 0.0005·2·19,978.75 = 19.97875 -> 62.47875.
    assert result.exit_cost_now == pytest.approx(62.47875, rel=1e-12)
    assert result.reasons[0] == "Stop at 18,118.91, set by the liquidation buffer."
    assert result.reasons[1] == (
        "Stop 0.66 % above liquidation at 18,000.00 covers 0.05 % fees + 0.11 % slippage for "
        "2 contracts + 0.50 % mark/last gap."
    )


def test_linear_short_risk_budget_binds() -> None:
    # Short 10 ETH marked at 2,000 (entry 2,100), liquidation 2,400, fee 0.06 %, no depth, budget 5 % of
    # 20,000 = 1,000. Budget stop: 10·(S·1.0006) - 10·2,000 = 1,000 -> S = 2,100/1.0006 = 2,098.740755546672.
    # Liquidation stop 2,400/1.0006 = 2,398.560863481911 is looser, so the budget binds.
    # Noise: 2 sigma, sigma 30 %/yr over 24 h: 2,000·exp(2·0.3·sqrt(1/365)) = 2,063.807578733 < S: fits.
    # PnL vs entry: 10·(2,100 - S) - 0.0006·10·S = 10·2,100 - 10·S·1.0006 = 0 (the stop gives back
    # exactly the 1,000 of open profit).
    result = suggest_stop(
        side="short",
        entry_price=2100.0,
        mark_price=2000.0,
        liquidation_price=2400.0,
        contracts=10.0,
        equity=20000.0,
        taker_fee_rate=0.0006,
        sigma_annual=0.3,
        horizon_years=1.0 / 365.0,
        max_loss_fraction=0.05,
    )
    assert result.feasible and result.binding == "risk_budget"
    assert result.stop_price == pytest.approx(2098.740755546672, rel=1e-12)
    assert result.liquidation_stop == pytest.approx(2398.560863481911, rel=1e-12)
    assert result.noise_floor == pytest.approx(2000.0 * math.exp(0.6 / math.sqrt(365.0)), rel=1e-12)
    assert result.loss_at_stop == pytest.approx(1000.0, rel=1e-12)
    assert result.pnl_at_stop == pytest.approx(0.0, abs=1e-9)
    assert not result.depth_known
    assert "No order-book depth given: slippage is not included." in result.reasons


def test_inverse_long_risk_budget_binds() -> None:
    # Binance COIN-M style: 50 contracts of 100 USD = 5,000 USD face, long, mark 40,000, entry 42,000,
    # liquidation 30,000, equity 1 BTC, budget 2 % = 0.02 BTC, fee 0.05 %, no depth.
    # Loss from the mark in coin: 5,000·(1.0005/S - 1/40,000) = 0.02
    # -> S = 1.0005/(0.02/5,000 + 1/40,000) = 1.0005/0.000029 = 34,500 exactly.
    # Liquidation stop 30,000/0.9995 = 30,015.0075 is farther, so the budget binds; noise 40,000 - 1,600.
    # PnL vs entry: 5,000·(1/42,000 - 1/34,500) - 0.0005·5,000/34,500 = -0.0258799 - 0.0000725 = -0.0259524.
    result = suggest_stop(
        side="long",
        entry_price=42000.0,
        mark_price=40000.0,
        liquidation_price=30000.0,
        contracts=50.0,
        contract_size=100.0,
        inverse=True,
        equity=1.0,
        taker_fee_rate=0.0005,
        atr=800.0,
        max_loss_fraction=0.02,
        settle_currency="BTC",
    )
    assert result.feasible and result.binding == "risk_budget"
    assert result.stop_price == pytest.approx(34500.0, rel=1e-12)
    assert result.liquidation_stop == pytest.approx(30015.007503751876, rel=1e-12)
    assert result.loss_at_stop == pytest.approx(0.02, rel=1e-12)
    assert result.fee_cost == pytest.approx(0.0005 * 5000.0 / 34500.0, rel=1e-12)
    assert result.pnl_at_stop == pytest.approx(-0.025952380952380952, rel=1e-9)
    assert "you lose 0.02 BTC from here (2.00 % of equity" in result.reasons[2]
    # Margin equity implied by liquidation at 30,000: 5,000·(1/30,000 - 1/40,000) = 0.0416667 BTC against
    # a notional of 5,000/40,000 = 0.125 BTC: 3x effective leverage.
    assert result.effective_leverage == pytest.approx(3.0, rel=1e-12)
    assert result.feasible_leverage is None


def test_inverse_short_budget_larger_than_any_loss() -> None:
    # An inverse short of 1,000 USD at mark 50,000 can lose at most 1,000/50,000 = 0.02 BTC (price to
    # infinity); a budget of 5 % of 1 BTC = 0.05 BTC never binds: budget_stop None.
    # Liquidation stop: 60,000/(1 + 0.0005) = 59,970.01499.
    result = suggest_stop(
        side="short",
        entry_price=50000.0,
        mark_price=50000.0,
        liquidation_price=60000.0,
        contracts=10.0,
        contract_size=100.0,
        inverse=True,
        equity=1.0,
        taker_fee_rate=0.0005,
        max_loss_fraction=0.05,
    )
    assert result.budget_stop is None
    assert result.binding == "liquidation_buffer"
    assert result.stop_price == pytest.approx(60000.0 / 1.0005, rel=1e-12)
    assert "is more than this position can lose" in " ".join(result.reasons)


def test_too_close_to_liquidation_gives_the_size_that_fits() -> None:
    # Long 10 at mark 100 (linear), liquidation 95, maintenance rate 1 %, fee 0.1 %, ATR 3 (noise 94).
    # Liquidation stop 95/0.999 = 95.0951 sits inside the noise: infeasible.
    # Size that fits: margin equity per unit implied by L: c = P - L·(1 - mmr) = 100 - 94.05 = 5.95.
    # Cutting to a fraction t keeps the equity 59.5, so L' = (100 - 5.95/t)/0.99; the stop fits when
    # L'/0.999 <= 94, i.e. 100 - 5.95/t <= 94·0.999·0.99 = 92.966940 -> t <= 5.95/7.033060 = 0.8460044.
    result = suggest_stop(
        side="long",
        entry_price=100.0,
        mark_price=100.0,
        liquidation_price=95.0,
        contracts=10.0,
        equity=1000.0,
        taker_fee_rate=0.001,
        atr=3.0,
        maintenance_rate=0.01,
    )
    assert not result.feasible and result.stop_price is None
    assert result.binding == "liquidation_buffer"
    assert result.feasible_size == pytest.approx(10.0 * 5.95 / (100.0 - 94.0 * 0.999 * 0.99), rel=1e-9)
    assert result.reasons[0] == (
        "No stop fits: the liquidation buffer needs a stop at or above 95.0951, but normal noise reaches "
        "down to 94."
    )
    # Effective leverage: notional 1,000 over margin equity 59.5 = 16.8x; at the size that fits, 14.2x.
    assert result.effective_leverage == pytest.approx(1000.0 / 59.5, rel=1e-12)
    assert result.feasible_leverage == pytest.approx(result.feasible_size * 100.0 / 59.5, rel=1e-12)
    assert result.reasons[1] == (
        "A stop fits at 8.46004 contracts or less (now 10 contracts), i.e. 14.2× effective leverage or "
        "less (now 16.8×): reduce the position or add margin."
    )
    # Independent check of the model at that size: an isolated long with equity 59.5 and q' contracts
    # has 59.5 + q'·(L' - 100) = 0.01·q'·L'; the stop suggested for (q', L') just fits.
    q = result.feasible_size * (1 - 1e-9)
    liquidation = (100.0 * q - 59.5) / (q * 0.99)
    fits = suggest_stop(
        side="long",
        entry_price=100.0,
        mark_price=100.0,
        liquidation_price=liquidation,
        contracts=q,
        equity=1000.0,
        taker_fee_rate=0.001,
        atr=3.0,
    )
    assert fits.feasible and fits.stop_price == pytest.approx(94.0, rel=1e-6)


def test_budget_spent_by_exit_costs_alone() -> None:
    # Long 12 at 61,000 (732,000 notional) with equity 100,000 and a 1 % budget (1,000): closing at the
    # mark already costs fee 0.05 % + slippage 0.17 % = 1,576.24 > 1,000, so the budget stop is above the
    # mark. The size that fits is one whose loss down to the noise floor (60,400) fits in 1,000.
    depth = DepthCurve([0.0005, 0.001, 0.003, 0.006], [2.0, 5.0, 10.0, 20.0])
    args = {
        "side": "long",
        "entry_price": 60000.0,
        "mark_price": 61000.0,
        "liquidation_price": 55000.0,
        "equity": 100000.0,
        "taker_fee_rate": 0.0005,
        "depth": depth,
        "mark_last_allowance": 0.005,
        "atr": 300.0,
        "max_loss_fraction": 0.01,
        "settle_currency": "USDT",
    }
    result = suggest_stop(contracts=12.0, **args)
    assert not result.feasible and result.binding == "risk_budget"
    assert result.budget_stop > 61000.0
    # Exit now, walk of 12: 2 at 0.05 %; 3 over 0.05..0.1 % (mean 0.075 %); 5 over 0.1..0.3 % (mean
    # 0.2 %); 2 of 10 over 0.3..0.6 %, reaching 0.36 % (mean 0.33 %):
    # (0.001 + 0.00225 + 0.01 + 0.0066)/12 = 0.01985/12.
    slip = 0.01985 / 12.0
    assert result.slippage == pytest.approx(slip, rel=1e-12)
    assert result.exit_cost_now == pytest.approx(
        12 * 61000 * slip + 0.0005 * 12 * 61000 * (1 - slip), rel=1e-12
    )
    cost = 12 * 61000 * slip + 0.0005 * 12 * 61000 * (1 - slip)
    assert result.reasons[0].startswith(f"No stop fits: closing now already costs {cost:,.2f} USDT")
    # At the size returned, the loss down to the noise floor is the budget.
    size = result.feasible_size
    smaller = suggest_stop(contracts=size * (1 - 1e-9), **args)
    assert smaller.feasible and smaller.binding == "risk_budget"
    assert smaller.budget_stop == pytest.approx(60400.0, rel=1e-6)
    assert not suggest_stop(contracts=size * (1 + 1e-6), **args).feasible


def test_no_liquidation_price_and_no_budget_stops_at_the_noise_floor() -> None:
    result = suggest_stop(
        side="short",
        entry_price=100.0,
        mark_price=100.0,
        liquidation_price=None,
        contracts=1.0,
        equity=1000.0,
        taker_fee_rate=0.0005,
        atr=2.5,
        atr_multiple=3.0,
    )
    # 100 + 3·2.5 = 107.5.
    assert result.feasible and result.binding == "noise_floor" and result.stop_price == pytest.approx(107.5)
    assert result.liquidation_stop is None


def test_nothing_calls_for_a_stop() -> None:
    result = suggest_stop(
        side="long",
        entry_price=100.0,
        mark_price=100.0,
        liquidation_price=None,
        contracts=1.0,
        equity=1000.0,
        taker_fee_rate=0.0005,
    )
    assert result.feasible and result.stop_price is None and result.binding is None
    assert result.reasons[0].startswith("No stop suggested")


def test_wider_of_atr_and_sigma_is_the_noise_floor() -> None:
    common = {
        "side": "long",
        "entry_price": 100.0,
        "mark_price": 100.0,
        "liquidation_price": None,
        "contracts": 1.0,
        "equity": 1000.0,
        "taker_fee_rate": 0.0,
    }
    # ATR: 100 - 2·1 = 98; sigma: 100·exp(-2·0.5·sqrt(0.01)) = 100·exp(-0.1) = 90.48: sigma is wider.
    both = suggest_stop(atr=1.0, sigma_annual=0.5, horizon_years=0.01, **common)
    assert both.noise_floor == pytest.approx(100.0 * math.exp(-0.1), rel=1e-14)
    assert suggest_stop(atr=1.0, **common).noise_floor == pytest.approx(98.0)


def test_exit_costs_of_a_long_reaching_the_whole_price() -> None:
    # Fee + mark/last allowance of 100 %: no long stop can cover that before liquidation.
    result = suggest_stop(
        side="long",
        entry_price=100.0,
        mark_price=100.0,
        liquidation_price=80.0,
        contracts=1.0,
        equity=1000.0,
        taker_fee_rate=0.5,
        mark_last_allowance=0.5,
    )
    assert not result.feasible and result.liquidation_stop == math.inf
    assert "leave no room to stop out before liquidation" in " ".join(result.reasons)


def test_past_liquidation_no_size_helps() -> None:
    result = suggest_stop(
        side="short",
        entry_price=100.0,
        mark_price=101.0,
        liquidation_price=100.5,
        contracts=1.0,
        equity=1000.0,
        taker_fee_rate=0.0005,
    )
    assert not result.feasible and result.feasible_size is None
    assert "too close to liquidation" in result.reasons[0]
    assert "No smaller size makes room for a stop" in result.reasons[1]


# --- batch ------------------------------------------------------------------------------------------


def _batch_inputs() -> dict[str, object]:
    return {
        "side": np.array(["long", "short", "long", "short", "long"]),
        "entry_price": np.array([19000.0, 2100.0, 42000.0, 50000.0, 100.0]),
        "mark_price": np.array([20000.0, 2000.0, 40000.0, 50000.0, 100.0]),
        "liquidation_price": [18000.0, 2400.0, 30000.0, None, 95.0],
        "contracts": np.array([2.0, 10.0, 50.0, 10.0, 10.0]),
        "contract_size": np.array([1.0, 1.0, 100.0, 100.0, 1.0]),
        "inverse": np.array([False, False, True, True, False]),
        "equity": np.array([10000.0, 20000.0, 1.0, 1.0, 1000.0]),
        "taker_fee_rate": 0.0005,
        "mark_last_allowance": np.array([0.005, 0.0, 0.0, 0.01, 0.0]),
        "depth": [DepthCurve([0.001, 0.002], [1.0, 5.0]), None, None, DepthCurve([0.01], [3.0]), None],
        "atr": [200.0, None, 800.0, 1000.0, 3.0],
        "sigma_annual": [None, 0.3, None, None, 0.5],
        "horizon_years": [None, 1.0 / 365.0, None, None, 0.01],
        "max_loss_fraction": [None, 0.05, 0.02, 0.5, None],
        "maintenance_rate": 0.01,
        "settle_currency": ["USDT", "USDT", "BTC", "BTC", "USDT"],
    }


def test_batch_matches_one_by_one_and_does_not_mutate() -> None:
    inputs = _batch_inputs()
    snapshot = {
        k: (v.copy() if isinstance(v, np.ndarray) else list(v) if isinstance(v, list) else v)
        for k, v in inputs.items()
    }
    batch = suggest_stops(**inputs)
    assert len(batch) == 5
    for index in range(5):
        one = suggest_stop(**{k: _pick(v, index) for k, v in inputs.items()})
        assert batch.suggestion(index) == one
    for key, value in inputs.items():
        before = snapshot[key]
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, before)
        else:
            assert value == before


def _pick(value: object, index: int) -> object:
    if isinstance(value, np.ndarray):
        item = value[index]
        return item.item() if hasattr(item, "item") else item
    if isinstance(value, list):
        return value[index]
    return value


def test_batch_binding_codes() -> None:
    # Rows 0-2 and 4 are the golden cases above; row 3 is an inverse short without a liquidation price
    # whose 0.5 BTC budget exceeds the most it can lose (1,000/50,000 = 0.02 BTC): the noise floor
    # 50,000 + 2·1,000 places the stop.
    batch = suggest_stops(**_batch_inputs())
    assert [batch.suggestion(i).binding for i in range(5)] == [
        "liquidation_buffer",
        "risk_budget",
        "risk_budget",
        "noise_floor",
        "liquidation_buffer",
    ]
    assert list(batch.binding) == [1, 2, 2, 3, 1]
    assert batch.stop_price[3] == pytest.approx(52000.0)
    assert list(batch.feasible) == [True, True, True, True, False]


# --- invariants -------------------------------------------------------------------------------------

marks = st.floats(1.0, 1e5)
fractions_to_liq = st.floats(0.005, 0.6)
sizes = st.floats(1e-3, 1e3)
fees = st.floats(1e-4, 0.002)
gaps = st.floats(0.0, 0.05)
budgets = st.one_of(st.none(), st.floats(1e-4, 0.5))
atrs = st.one_of(st.none(), st.floats(1e-4, 0.2))
depths = st.one_of(
    st.none(),
    st.lists(st.tuples(st.floats(0.0, 0.05), st.floats(0.0, 200.0)), min_size=1, max_size=5).filter(
        lambda levels: sum(s for _, s in levels) > 0
    ),
)


def _curve(levels: list[tuple[float, float]] | None) -> DepthCurve | None:
    if levels is None:
        return None
    levels = sorted(levels)
    return DepthCurve([d for d, _ in levels], np.cumsum([s for _, s in levels]))


def _suggest(
    side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse
) -> StopSuggestion:
    liquidation = mark * (1 - to_liq) if side == "long" else mark * (1 + to_liq)
    return suggest_stop(
        side=side,
        entry_price=mark,
        mark_price=mark,
        liquidation_price=liquidation,
        contracts=size,
        equity=equity,
        taker_fee_rate=fee,
        mark_last_allowance=gap,
        max_loss_fraction=budget,
        atr=None if atr_fraction is None else atr_fraction * mark,
        depth=_curve(levels),
        inverse=inverse,
    )


common = (
    st.sampled_from(["long", "short"]),
    marks,
    fractions_to_liq,
    sizes,
    st.floats(1.0, 1e7),
    fees,
    gaps,
    budgets,
    atrs,
    depths,
    st.booleans(),
)


@given(*common)
def test_feasible_stop_lies_between_liquidation_and_mark(
    side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse
) -> None:
    result = _suggest(side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse)
    liquidation = mark * (1 - to_liq) if side == "long" else mark * (1 + to_liq)
    if result.feasible:
        assert result.stop_price is not None  # a liquidation price always calls for a stop
        low, high = sorted((liquidation, mark))
        assert low < result.stop_price < high
        if result.noise_floor is not None:
            assert (result.stop_price <= result.noise_floor) == (side == "long") or math.isclose(
                result.stop_price, result.noise_floor
            )
        if budget is not None:
            assert result.loss_at_stop <= budget * equity * (1 + 1e-9)
    else:
        assert result.stop_price is None and result.binding in ("liquidation_buffer", "risk_budget")
        if result.feasible_size is not None:
            assert 0 < result.feasible_size < size


@given(*common, st.floats(1.0, 100.0))
def test_more_equity_never_tightens_the_budget_stop(
    side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse, factor
) -> None:
    assume(budget is not None)
    poorer = _suggest(side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse)
    richer = _suggest(
        side, mark, to_liq, size, equity * factor, fee, gap, budget, atr_fraction, levels, inverse
    )
    if poorer.budget_stop is None:
        assert richer.budget_stop is None
    elif richer.budget_stop is not None:
        # A long's budget stop moves down (away from the mark), a short's up, or stays.
        sign = 1.0 if side == "long" else -1.0
        assert sign * (richer.budget_stop - poorer.budget_stop) <= 1e-12 * poorer.budget_stop


@given(*common, st.floats(1.0, 10.0))
def test_larger_size_never_reduces_slippage_or_loosens_the_budget(
    side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse, factor
) -> None:
    small = _suggest(side, mark, to_liq, size, equity, fee, gap, budget, atr_fraction, levels, inverse)
    large = _suggest(
        side, mark, to_liq, size * factor, equity, fee, gap, budget, atr_fraction, levels, inverse
    )
    assert large.slippage >= small.slippage - 1e-15
    assert large.buffer_fraction >= small.buffer_fraction - 1e-15
    if small.feasible is False:
        assert large.feasible is False


# --- invalid input ----------------------------------------------------------------------------------

_GOOD = {
    "side": "long",
    "entry_price": 100.0,
    "mark_price": 100.0,
    "liquidation_price": 90.0,
    "contracts": 1.0,
    "equity": 1000.0,
    "taker_fee_rate": 0.0005,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"side": "buy"}, "side must be 'long' or 'short', got 'buy'"),
        ({"side": ["long"]}, "side must be 'long' or 'short', got ['long']"),
        ({"mark_price": float("nan")}, "mark_price must be finite, got nan"),
        ({"entry_price": -5.0}, "entry_price must be > 0, got -5.0"),
        ({"liquidation_price": 0.0}, "liquidation_price must be > 0, got 0.0"),
        ({"contracts": 0.0}, "contracts must be > 0, got 0.0"),
        ({"contracts": "1"}, "contracts must be a number, got '1'"),
        ({"equity": -1.0}, "equity must be > 0, got -1.0"),
        ({"taker_fee_rate": 1.0}, "taker_fee_rate must be < 1, got 1.0"),
        ({"mark_last_allowance": -0.01}, "mark_last_allowance must be >= 0, got -0.01"),
        ({"atr": 0.0}, "atr must be > 0, got 0.0"),
        ({"sigma_annual": 0.5}, "horizon_years is required where sigma_annual is given, got None"),
        ({"max_loss_fraction": float("inf")}, "max_loss_fraction must be finite, got inf"),
        ({"depth": [[0.001, 1.0]]}, "depth must be a DepthCurve or None, got [[0.001, 1.0]]"),
        ({"inverse": "yes"}, "inverse must be True or False, got 'yes'"),
    ],
)
def test_invalid_input_names_field_and_value(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        suggest_stop(**{**_GOOD, **change})


def test_batch_errors_name_the_position() -> None:
    with pytest.raises(ValueError, match=re.escape("mark_price[2] must be > 0, got -3.0")):
        suggest_stops(**{**_GOOD, "mark_price": [100.0, 100.0, -3.0]})
    with pytest.raises(ValueError, match=re.escape("side[1] must be 'long' or 'short', got 'sell'")):
        suggest_stops(**{**_GOOD, "side": ["long", "sell"]})
    with pytest.raises(ValueError, match="inputs must have one length"):
        suggest_stops(**{**_GOOD, "mark_price": [100.0, 100.0], "contracts": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=re.escape("inverse[1] must be True or False, got 'yes'")):
        suggest_stops(**{**_GOOD, "inverse": [False, "yes"]})
    with pytest.raises(
        ValueError, match=re.escape("horizon_years[1] is required where sigma_annual is given")
    ):
        suggest_stops(**{**_GOOD, "sigma_annual": 0.5, "horizon_years": [0.1, None]})
    with pytest.raises(ValueError, match="inputs must have one length"):
        suggest_stops(**{**_GOOD, "atr": [1.0, 2.0], "atr_multiple": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=re.escape("depth[1] must be a DepthCurve or None, got 3")):
        suggest_stops(**{**_GOOD, "mark_price": [100.0, 100.0], "depth": [None, 3]})


# --- against the plain-Python reference -------------------------------------------------------------

reference_cases = st.builds(
    stops_reference.Case,
    side=st.sampled_from(["long", "short"]),
    mark=st.floats(0.01, 1e5),
    liquidation=st.none(),  # set from a distance below
    contracts=st.floats(1e-2, 1e3),
    contract_size=st.sampled_from([1.0, 0.01, 100.0]),
    inverse=st.booleans(),
    equity=st.floats(1e-2, 1e7),
    fee=st.floats(0.0, 0.002),
    gap=st.floats(0.0, 0.05),
    max_loss_fraction=st.one_of(st.none(), st.floats(1e-4, 0.5)),
    atr_reach=st.none(),
    sigma_reach=st.one_of(st.none(), st.floats(1e-3, 0.5)),
    levels=st.lists(st.tuples(st.floats(0.0, 0.05), st.floats(0.0, 100.0)), max_size=4)
    .filter(lambda levels: not levels or sum(s for _, s in levels) > 0)
    .map(
        lambda levels: tuple(
            zip(sorted(d for d, _ in levels), np.cumsum([s for _, s in levels]).tolist(), strict=True)
        )
    ),
    maintenance_rate=st.floats(0.0, 0.05),
)


@given(
    reference_cases, st.one_of(st.none(), st.floats(0.003, 0.6)), st.one_of(st.none(), st.floats(1e-3, 0.2))
)
def test_matches_the_plain_python_reference(case, to_liquidation, atr_fraction) -> None:
    from dataclasses import replace

    liquidation = None
    if to_liquidation is not None:
        liquidation = case.mark * (1 - to_liquidation if case.side == "long" else 1 + to_liquidation)
    case = replace(
        case,
        liquidation=liquidation,
        atr_reach=None if atr_fraction is None else 2 * atr_fraction * case.mark,
    )
    expected = stops_reference.solve(case)
    event(f"feasible={expected.feasible} binding={expected.binding} inverse={case.inverse}")
    got = suggest_stop(
        side=case.side,
        entry_price=case.mark,
        mark_price=case.mark,
        liquidation_price=case.liquidation,
        contracts=case.contracts,
        contract_size=case.contract_size,
        inverse=case.inverse,
        equity=case.equity,
        taker_fee_rate=case.fee,
        mark_last_allowance=case.gap,
        max_loss_fraction=case.max_loss_fraction,
        atr=None if atr_fraction is None else atr_fraction * case.mark,
        sigma_annual=None if case.sigma_reach is None else case.sigma_reach / 2.0,
        horizon_years=None if case.sigma_reach is None else 1.0,
        depth=DepthCurve(*zip(*case.levels, strict=True)) if case.levels else None,
        maintenance_rate=case.maintenance_rate,
    )
    for name in ("liquidation_stop", "budget_stop", "noise_floor"):
        want, have = getattr(expected, name), getattr(got, name)
        assert (want is None) == (have is None), name
        if want is not None:
            assert have == pytest.approx(want, rel=1e-9), name
    assert got.slippage == pytest.approx(expected.slippage, rel=1e-12, abs=1e-15)
    limits = [v for v in (expected.liquidation_stop, expected.budget_stop) if v is not None]
    near_tie = any(
        math.isclose(a, b, rel_tol=1e-8) for a in limits for b in (case.mark, expected.noise_floor or -1.0)
    )
    assume(not near_tie)
    assert got.feasible == expected.feasible
    assert got.binding == expected.binding
    if expected.stop is None:
        assert got.stop_price is None
    else:
        assert got.stop_price == pytest.approx(expected.stop, rel=1e-9)
        assert got.loss_at_stop == pytest.approx(expected.loss, rel=1e-6, abs=1e-9 * case.equity)
    if not got.feasible:
        want_size = stops_reference.feasible_size(case)
        if want_size is None or got.feasible_size is None:
            assert want_size is None and got.feasible_size is None
        else:
            assert got.feasible_size == pytest.approx(want_size, rel=1e-6)


def test_reasons_for_a_short_with_a_thin_book() -> None:
    # Asks 3 contracts at 0.025 %, 5 at 0.05 %, 10 at 0.15 % from mid 2,000 (18 in all), thinned 3x:
    # 6 contracts in all, so 30 contracts exhaust the book. Closing now costs more than the 2 % budget.
    depth = DepthCurve.from_levels(2000.0, [[2000.5, 3.0], [2001.0, 5.0], [2003.0, 10.0]])
    result = suggest_stop(
        side="short",
        entry_price=1900.0,
        mark_price=2000.0,
        liquidation_price=2150.0,
        contracts=30.0,
        equity=5000.0,
        taker_fee_rate=0.0005,
        depth=depth,
        depth_thinning=3.0,
        mark_last_allowance=0.01,
        max_loss_fraction=0.02,
        settle_currency="USDT",
    )
    assert not result.feasible and result.binding == "risk_budget" and result.depth_exhausted
    # Walk of 90 contracts (30 x 3) in the full book: 3 at 0.025 %, 5 over 0.025..0.05 % (mean 0.0375 %),
    # 10 over 0.05..0.15 % (mean 0.1 %), the other 72 at 0.15 %:
    # (0.00075 + 0.001875 + 0.01 + 0.108)/90.
    assert result.slippage == pytest.approx((0.00075 + 0.001875 + 0.01 + 0.108) / 90.0, rel=1e-12)
    # Margin equity per unit implied by liquidation at 2,150 (maintenance rate 0): 2,150 - 2,000 = 150,
    # so the effective leverage is 2,000/150 = 13.3x.
    assert result.effective_leverage == pytest.approx(2000.0 / 150.0, rel=1e-12)
    assert result.feasible_leverage == pytest.approx(2000.0 / 150.0 * result.feasible_size / 30.0, rel=1e-12)
    assert "(now 30 contracts), i.e. " in result.reasons[1]
    assert result.reasons[1].endswith("effective leverage or less (now 13.3×): reduce the position.")
    assert result.reasons[-1] == (
        "The book given holds only 6 contracts once thinned 3× within 0.15 %: the slippage of 0.13 % is a "
        "lower bound."
    )
    assert "must be at or below 2,124.84" in result.reasons[2]


def test_funding_moves_the_guarded_liquidation_price() -> None:
    # Linear long 10 at 100, liquidation 90, maintenance 0: margin equity 10·(100 - 90) = 100.
    # Funding 0.1 % per interval for 3 intervals on a 1,000 notional: longs pay 3, margin 97, so
    # liquidation moves to 100 - 97/10 = 90.3 and the stop to 90.3/(1 - 0.001) = 90.39039.
    args = {
        "side": "long",
        "entry_price": 100.0,
        "mark_price": 100.0,
        "liquidation_price": 90.0,
        "contracts": 10.0,
        "equity": 1000.0,
        "taker_fee_rate": 0.001,
        "funding_intervals": 3.0,
        "settle_currency": "USDT",
    }
    paying = suggest_stop(funding_rate=0.001, **args)
    assert paying.liquidation_after_funding == pytest.approx(90.3, rel=1e-12)
    assert paying.stop_price == pytest.approx(90.3 / 0.999, rel=1e-12)
    assert "Paying 3.00 USDT funding over 3 intervals moves liquidation from 90 to 90.3." in paying.reasons
    receiving = suggest_stop(funding_rate=-0.001, **args)
    assert receiving.liquidation_after_funding == pytest.approx(89.7, rel=1e-12)
    assert suggest_stop(**args).liquidation_after_funding == 90.0


def test_funding_on_an_inverse_short() -> None:
    # Inverse short, 1,000 USD face at mark 50,000, liquidation 60,000, maintenance 0: margin equity
    # 1,000·(1/50,000 - 1/60,000) = 0.00333333 BTC. Funding +0.05 % x 3 intervals: shorts receive
    # 0.0005·3·(1,000/50,000) = 0.00003 BTC. The moved liquidation price L' solves
    # margin + 1,000·(1/L' - 1/50,000) = 0 (equity exhausted) with margin 0.00336333 BTC.
    result = suggest_stop(
        side="short",
        entry_price=50000.0,
        mark_price=50000.0,
        liquidation_price=60000.0,
        contracts=10.0,
        contract_size=100.0,
        inverse=True,
        equity=1.0,
        taker_fee_rate=0.0,
        funding_rate=0.0005,
        funding_intervals=3.0,
    )
    moved = result.liquidation_after_funding
    margin = 1000.0 * (1 / 50000.0 - 1 / 60000.0) + 0.00003
    assert margin + 1000.0 * (1.0 / moved - 1.0 / 50000.0) == pytest.approx(0.0, abs=1e-15)
    assert moved > 60000.0


def test_noise_reaching_zero_is_said_plainly() -> None:
    # 2 x ATR 60 below a mark of 100 is -20: no long stop lies outside the noise. Halving the size to
    # 0.5 (margin equity 50 kept) puts liquidation at 100 - 50/0.5 = 0: no liquidation price left.
    result = suggest_stop(
        side="long",
        entry_price=100.0,
        mark_price=100.0,
        liquidation_price=50.0,
        contracts=1.0,
        equity=1000.0,
        taker_fee_rate=0.001,
        atr=60.0,
    )
    assert not result.feasible
    assert result.reasons[0].endswith("but normal noise reaches down to zero.")
    assert "Normal noise (2 × ATR (60)) reaches down to zero." in result.reasons
    assert result.feasible_size == pytest.approx(0.5, rel=1e-9)
