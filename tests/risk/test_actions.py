"""Add-margin and cut-size actions, checked against closed-form solutions of the liquidation condition.

One linear position, one Binance-style tier (maintenance rate m = 0.4 %, cum 0, no fee in the condition;
exchange-margin-rules.md §2): equity at price P is C + (P - E) q (C: isolated collateral, or the cross
wallet), maintenance m P q; liquidation where they are equal, P = (E q - C) / (q (1 - m)) for a long.
"""

from __future__ import annotations

import pytest

from risk import Account, Instrument, MarginTier, Position, assess
from risk.actions import distance_action

M_RATE = 0.004
E, MARK, Q, C = 100_000.0, 95_000.0, 2.0, 12_000.0
TARGET = 0.10
BTC = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=(MarginTier(0.0, 1e12, M_RATE, 0.0),))


def account(mode: str) -> Account:
    collateral = C if mode == "isolated" else None
    position = Position(BTC, "long", Q, E, MARK, mode, collateral=collateral)
    return Account("binanceusdm", 0.0 if mode == "isolated" else C, (position,))


def closed_form_margin() -> float:
    # The collateral C* that puts P at MARK (1 - TARGET): C* = E q - P q (1 - m).
    liquidation = MARK * (1 - TARGET)
    return E * Q - liquidation * Q * (1 - M_RATE) - C  # 17,684.00


def test_independent_numbers():
    liquidation = (E * Q - C) / (Q * (1 - M_RATE))
    assert assess(account("isolated")).positions[0].liquidation_price == pytest.approx(liquidation)
    assert closed_form_margin() == pytest.approx(17_684.0)


@pytest.mark.parametrize("mode", ["isolated", "cross"])
def test_add_margin_matches_the_closed_form_rounded_up(mode):
    action = distance_action(account(mode), 0, TARGET)
    assert action.needed and action.distance == pytest.approx(0.00655, abs=1e-5)
    assert action.add_margin == 17_700.0  # 17,684 rounded up to three significant figures
    assert action.settle_currency == "USDT"


def test_cut_matches_the_closed_form_rounded_down():
    # Cross: cutting to q' books (MARK - E)(q - q') into the wallet, so equity W + (MARK - E) q = 2,000
    # stays; liquidation at MARK (1 - TARGET) needs q' = equity / (MARK (1 - (1 - TARGET)(1 - m))).
    equity = C + (MARK - E) * Q
    expected = equity / (MARK * (1 - (1 - TARGET) * (1 - M_RATE)))  # 0.20321 BTC
    action = distance_action(account("cross"), 0, TARGET)
    assert action.cut_to_contracts == pytest.approx(0.203)
    assert action.cut_to_contracts <= expected < action.cut_to_contracts + 0.001


def test_isolated_has_no_cut_answer_and_a_safe_position_needs_nothing():
    assert distance_action(account("isolated"), 0, TARGET).cut_to_contracts is None
    safe = distance_action(account("isolated"), 0, 0.005)
    assert not safe.needed and safe.add_margin == 0.0


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="index"):
        distance_action(account("cross"), 3, TARGET)
    with pytest.raises(ValueError, match="target_distance"):
        distance_action(account("cross"), 0, 1.5)
