"""Properties of assess/stress that must hold for any input (hypothesis), and agreement with the
independent plain-Python implementation in ``reference_impl``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from risk import Account, Instrument, Position, assess, stress
from risk.tiers import tiers_from_brackets
from tests.risk import reference_impl as ref

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _binance_tiers(symbol: str):
    # Binance USD-M brackets snapshot (October 2025), copied from shared/data/binance_leverage_tiers.json
    # (freqtrade, GPL-3.0, used as test data only); see tests/fixtures/README.md.
    rows = json.loads((FIXTURES / "binance_tiers_sample.json").read_text())[symbol]
    return tiers_from_brackets(
        [r["minNotional"] for r in rows],
        [r["maintenanceMarginRate"] for r in rows],
        [float(r["info"]["cum"]) for r in rows],
        [r["maxLeverage"] for r in rows],
    )


BTC = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=_binance_tiers("BTC/USDT:USDT"))
ETH = Instrument("ETH/USDT:USDT", "binanceusdm", tiers=_binance_tiers("ETH/USDT:USDT"))
SOL = Instrument("SOL/USDT:USDT", "binanceusdm", tiers=_binance_tiers("SOL/USDT:USDT"))
DOGE = Instrument("DOGE/USDT:USDT", "binanceusdm", tiers=_binance_tiers("DOGE/USDT:USDT"))
INSTRUMENTS = {"BTC": (BTC, 90_000.0), "ETH": (ETH, 3_000.0), "SOL": (SOL, 150.0)}

sides = st.sampled_from(["long", "short"])


@st.composite
def cross_positions(draw, min_size=1, max_size=5):
    count = draw(st.integers(min_size, max_size))
    # One mark per instrument, as on a venue; entries differ per position.
    marks = {name: price * draw(st.floats(0.9, 1.1)) for name, (_, price) in INSTRUMENTS.items()}
    positions = []
    for _ in range(count):
        name = draw(st.sampled_from(sorted(INSTRUMENTS)))
        inst, price = INSTRUMENTS[name]
        notional = draw(st.floats(1_000.0, 20_000_000.0))
        entry = price * draw(st.floats(0.8, 1.2))
        mark = marks[name]
        positions.append(Position(inst, draw(sides), notional / entry, entry, mark, "cross"))
    return positions


@settings(max_examples=40, deadline=None)
@given(
    side=sides,
    notional=st.floats(1_000.0, 50_000_000.0),
    leverage=st.floats(1.5, 50.0),
    extra=st.floats(0.0, 1.0),
)
def test_more_collateral_moves_liquidation_away_from_mark(side, notional, leverage, extra):
    price = 90_000.0
    collateral = notional / leverage
    base = Position(BTC, side, notional / price, price, price, "isolated", collateral=collateral)
    more = Position(
        BTC, side, notional / price, price, price, "isolated", collateral=collateral * (1 + extra) + 1
    )
    lp_base = assess(Account("binanceusdm", 0.0, [base])).positions[0].liquidation_price
    lp_more = assess(Account("binanceusdm", 0.0, [more])).positions[0].liquidation_price
    assume(lp_base is not None)
    if side == "long":
        assert lp_more is None or lp_more < lp_base
    else:
        assert lp_more is not None and lp_more > lp_base


@settings(max_examples=40, deadline=None)
@given(side=sides, notional=st.floats(1_000.0, 50_000_000.0), leverage=st.floats(1.01, 100.0))
def test_long_liq_below_entry_and_short_above_while_margin_exceeds_maintenance(side, notional, leverage):
    price = 3_000.0
    pos = Position(ETH, side, notional / price, price, price, "isolated", collateral=notional / leverage)
    risk = assess(Account("binanceusdm", 0.0, [pos])).positions[0]
    assume(risk.margin_ratio < 1.0)  # the margin exceeds the maintenance requirement
    if side == "long":
        assert risk.liquidation_price is None or risk.liquidation_price < price
    else:
        assert risk.liquidation_price is not None and risk.liquidation_price > price


@pytest.mark.parametrize("inst", [BTC, ETH, SOL], ids=lambda i: i.symbol)
def test_maintenance_is_continuous_across_tier_bounds(inst):
    # The real Binance table satisfies cum_k = cum_{k-1} + floor_k (mmr_k - mmr_{k-1}); MM just below
    # and at each bound must agree to rounding.
    for tier in inst.tiers[1:]:
        bound = tier.notional_floor
        below = Position(inst, "long", (bound * (1 - 1e-12)) / 100.0, 100.0, 100.0, "cross")
        at = Position(inst, "long", bound / 100.0, 100.0, 100.0, "cross")
        mm_below = assess(Account("binanceusdm", 1e12, [below])).maintenance_margin
        mm_at = assess(Account("binanceusdm", 1e12, [at])).maintenance_margin
        assert mm_at == pytest.approx(mm_below, rel=1e-9)


@settings(max_examples=20, deadline=None)
@given(positions=cross_positions(2, 5), wallet=st.floats(1e5, 1e8), seed=st.randoms())
def test_results_do_not_depend_on_position_order(positions, wallet, seed):
    shuffled = list(positions)
    seed.shuffle(shuffled)
    a = assess(Account("binanceusdm", wallet, positions))
    b = assess(Account("binanceusdm", wallet, shuffled))
    by_id_a = {id(p): r for p, r in zip(positions, a.positions, strict=True)}
    by_id_b = {id(p): r for p, r in zip(shuffled, b.positions, strict=True)}
    assert a.margin_ratio == pytest.approx(b.margin_ratio, rel=1e-12)
    for key, ra in by_id_a.items():
        rb = by_id_b[key]
        if ra.liquidation_price is None:
            assert rb.liquidation_price is None
        else:
            assert rb.liquidation_price == pytest.approx(ra.liquidation_price, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(positions=cross_positions(1, 4), wallet=st.floats(1e5, 1e8), fraction=st.floats(0.1, 0.9))
def test_cross_position_split_in_two_gives_the_same_account_risk(positions, wallet, fraction):
    first, rest = positions[0], positions[1:]
    halves = [
        Position(
            first.instrument,
            first.side,
            first.contracts * fraction,
            first.entry_price,
            first.mark_price,
            "cross",
        ),
        Position(
            first.instrument,
            first.side,
            first.contracts * (1 - fraction),
            first.entry_price,
            first.mark_price,
            "cross",
        ),
    ]
    whole = assess(Account("binanceusdm", wallet, positions))
    split = assess(Account("binanceusdm", wallet, halves + rest))
    assert split.maintenance_margin == pytest.approx(whole.maintenance_margin, rel=1e-9)
    assert split.margin_ratio == pytest.approx(whole.margin_ratio, rel=1e-9)
    lp_whole = whole.positions[0].liquidation_price
    for half in split.positions[:2]:
        if lp_whole is None:
            assert half.liquidation_price is None
        else:
            assert half.liquidation_price == pytest.approx(lp_whole, rel=1e-9)
    assert sum(h.maintenance_margin for h in split.positions[:2]) == pytest.approx(
        whole.positions[0].maintenance_margin, rel=1e-9
    )
    if whole.break_move is None:
        assert split.break_move is None
    else:
        assert split.break_move == pytest.approx(whole.break_move, rel=1e-7, abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(positions=cross_positions(1, 4), wallet=st.floats(5e4, 5e7))
def test_cross_liquidation_prices_agree_with_bisection_reference(positions, wallet):
    account = Account("binanceusdm", wallet, positions)
    risk = assess(account)
    assume(risk.margin_ratio < 1.0)
    for position, computed in zip(positions, risk.positions, strict=True):
        expected = ref.liquidation_price(account, position)
        if expected is None:
            assert computed.liquidation_price is None
        else:
            assert computed.liquidation_price == pytest.approx(expected, rel=1e-7)


@settings(max_examples=20, deadline=None)
@given(positions=cross_positions(1, 4), wallet=st.floats(5e4, 5e7))
def test_break_move_is_where_the_cross_ratio_reaches_one(positions, wallet):
    account = Account("binanceusdm", wallet, positions)
    risk = assess(account)
    assume(risk.margin_ratio < 0.999)
    move = risk.break_move
    if move is None:
        for shock in np.linspace(-0.99, 10.0, 300):
            assert ref.cross_margin_ratio(account, float(shock)) < 1.0
        return
    assert ref.cross_margin_ratio(account, move * (1 + 1e-6) + math.copysign(1e-9, move)) >= 1.0 - 1e-6
    # every smaller move in either direction keeps the account alive
    for shock in np.linspace(max(-abs(move), -0.99), abs(move), 201)[1:-1] * (1 - 1e-6):
        assert ref.cross_margin_ratio(account, float(shock)) < 1.0


@settings(max_examples=15, deadline=None)
@given(positions=cross_positions(1, 5), wallet=st.floats(5e4, 5e7), iso_collateral=st.floats(1e3, 1e6))
def test_stress_matches_the_per_shock_reference(positions, wallet, iso_collateral):
    iso = Position(DOGE, "long", 1_000_000.0, 0.15, 0.148, "isolated", collateral=iso_collateral / 10)
    account = Account("binanceusdm", wallet, [*positions, iso])
    shocks = np.linspace(-0.6, 0.6, 41)
    result = stress(account, shocks)
    for i, shock in enumerate(shocks):
        expected_ratio = ref.cross_margin_ratio(account, float(shock))
        if math.isinf(expected_ratio):
            assert math.isinf(result.margin_ratio[i])
        else:
            assert result.margin_ratio[i] == pytest.approx(expected_ratio, rel=1e-9)
        equity = (
            wallet
            + iso_collateral / 10
            + sum(ref.pnl(p, p.mark_price * (1 + shock)) for p in account.positions)
        )
        assert result.equity[i] == pytest.approx(equity, rel=1e-9, abs=1e-6)
        iso_price = iso.mark_price * (1 + shock)
        assert result.liquidated[i, -1] == (ref.isolated_gap(iso, iso_price) <= 0.0) or math.isclose(
            ref.isolated_gap(iso, iso_price), 0.0, abs_tol=1e-6
        )
        assert all(result.liquidated[i, :-1] == (expected_ratio >= 1.0))


def test_stress_does_not_mutate_shocks_and_keeps_their_order():
    shocks = np.array([0.3, -0.2, 0.0, -0.5, 0.1])
    shocks.setflags(write=False)
    pos = Position(BTC, "long", 10.0, 90_000.0, 90_000.0, "cross")
    account = Account("binanceusdm", 200_000.0, [pos])
    result = stress(account, shocks)
    expected = [ref.cross_margin_ratio(account, float(s)) for s in shocks]
    np.testing.assert_allclose(result.margin_ratio, expected, rtol=1e-12)
    assert result.liquidated.shape == (5, 1)
