"""Invalid input raises ValueError naming the field and the value; edge cases have a defined answer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from risk import Account, Instrument, MarginTier, Position, assess, stress

TIERS = (MarginTier(0.0, math.inf, 0.005),)
BTC = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=TIERS)


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"contracts": -1.0}, "Position.contracts", "-1.0"),
        ({"contracts": 0.0}, "Position.contracts", "0.0"),
        ({"mark_price": float("nan")}, "Position.mark_price", "nan"),
        ({"entry_price": 0.0}, "Position.entry_price", "0.0"),
        ({"mark_price": float("inf")}, "Position.mark_price", "inf"),
        ({"side": "buy"}, "Position.side", "'buy'"),
        ({"margin_mode": "portfolio"}, "Position.margin_mode", "'portfolio'"),
    ],
)
def test_position_rejects_bad_fields(kwargs, field, value):
    base = {
        "instrument": BTC,
        "side": "long",
        "contracts": 1.0,
        "entry_price": 100.0,
        "mark_price": 100.0,
        "margin_mode": "cross",
    }
    with pytest.raises(ValueError) as info:
        Position(**{**base, **kwargs})
    assert field in str(info.value)
    assert value in str(info.value)


def test_isolated_needs_collateral():
    with pytest.raises(ValueError, match=r"Position.collateral is required"):
        Position(BTC, "long", 1.0, 100.0, 100.0, "isolated")


def test_unknown_venue_is_named():
    with pytest.raises(ValueError, match=r"Instrument.venue: unknown venue 'ftx'"):
        Instrument("BTC/USDT:USDT", "ftx", tiers=TIERS)
    with pytest.raises(ValueError, match=r"Account.venue: unknown venue 'mtgox'"):
        Account("mtgox", 0.0, [])


def test_account_rejects_positions_of_another_venue():
    pos = Position(BTC, "long", 1.0, 100.0, 100.0, "cross")
    with pytest.raises(ValueError, match=r"Account.positions\[0\].instrument.venue is 'binanceusdm'"):
        Account("bybit", 1000.0, [pos])


def test_wallet_must_be_finite():
    with pytest.raises(ValueError, match=r"Account.wallet_balance must be finite, got nan"):
        Account("binanceusdm", float("nan"), [])


def test_absurd_sizes_and_balances_are_refused_not_overflowed():
    # 1e300 contracts (a corrupted payload) would overflow maintenance margin into NaN (issue 10)
    with pytest.raises(ValueError, match=r"Position.contracts x price is 1e\+302 quote for BTC/USDT:USDT"):
        Position(BTC, "long", 1e300, 100.0, 100.0, "cross")
    inverse = Instrument("BTC/USD:BTC", "binancecoinm", contract_size=100.0, inverse=True, tiers=TIERS)
    with pytest.raises(ValueError, match=r"Position.contracts x price is 1e\+302 coin"):
        Position(inverse, "long", 1.0, 1e-300, 1.0, "cross")
    with pytest.raises(ValueError, match=r"Account.wallet_balance must be within \+-1e\+15, got 1e\+300"):
        Account("binanceusdm", 1e300, [])
    # the largest real books stay far below the bound: 1e12 USDT of notional is accepted
    assert Position(BTC, "long", 1e7, 100_000.0, 100_000.0, "cross").contracts == 1e7


def test_tiers_must_be_contiguous():
    with pytest.raises(ValueError, match=r"Instrument.tiers\[1\].notional_floor must equal the previous cap"):
        Instrument(
            "BTC/USDT:USDT",
            "binanceusdm",
            tiers=(MarginTier(0, 100, 0.01), MarginTier(200, math.inf, 0.02)),
        )
    with pytest.raises(ValueError, match=r"MarginTier.maintenance_rate must be < 1, got 1.5"):
        MarginTier(0, 100, 1.5)


def test_instrument_without_tiers_is_refused_when_assessed():
    bare = Instrument("ETH/USDT:USDT", "binanceusdm")
    pos = Position(bare, "long", 1.0, 100.0, 100.0, "cross")
    with pytest.raises(ValueError, match=r"Instrument.tiers: empty for ETH/USDT:USDT \(binanceusdm\)"):
        assess(Account("binanceusdm", 100.0, [pos]))


def test_mixed_linear_and_inverse_account_is_refused():
    inverse = Instrument("BTC/USD:BTC", "binancecoinm", contract_size=100, inverse=True, tiers=TIERS)
    linear = Instrument("ETH/USDT:USDT", "binancecoinm", tiers=TIERS)
    positions = [
        Position(inverse, "long", 1.0, 100.0, 100.0, "cross"),
        Position(linear, "long", 1.0, 100.0, 100.0, "cross"),
    ]
    with pytest.raises(ValueError, match="mixes linear and inverse"):
        assess(Account("binancecoinm", 1.0, positions))


@pytest.mark.parametrize(
    ("shocks", "message"),
    [
        (np.array([0.0, np.nan]), "shocks must be finite, got nan"),
        (np.array([-1.0, 0.0]), "shocks must be > -1"),
        (np.zeros((2, 2)), "shocks must be a 1-D array"),
    ],
)
def test_stress_rejects_bad_shocks(shocks, message):
    account = Account("binanceusdm", 100.0, [Position(BTC, "long", 1.0, 100.0, 100.0, "cross")])
    with pytest.raises(ValueError, match=message):
        stress(account, shocks)


def test_empty_account_has_zero_ratio_and_no_break_move():
    risk = assess(Account("binanceusdm", 1_000.0, []))
    assert risk.positions == []
    assert risk.margin_ratio == 0.0
    assert risk.break_move is None
    assert risk.equity == 1_000.0


def test_bankrupt_cross_account_has_infinite_ratio_and_zero_break_move():
    # Wallet 100, long 10 at entry 100 marked at 80: margin balance 100 - 200 < 0.
    pos = Position(BTC, "long", 10.0, 100.0, 80.0, "cross")
    risk = assess(Account("binanceusdm", 100.0, [pos]))
    assert math.isinf(risk.margin_ratio)
    assert risk.break_move == 0.0
    assert risk.positions[0].distance < 0  # past its liquidation price


def test_venue_reported_liquidation_price_is_compared():
    # Long 1 at 100, wallet 10, MMR 0.5 %: LP = (10 - 100)/(0.005 - 1) = 90.452261... (Binance form).
    pos = Position(BTC, "long", 1.0, 100.0, 100.0, "cross", venue_liquidation_price=90.0)
    risk = assess(Account("binanceusdm", 10.0, [pos])).positions[0]
    assert risk.liquidation_price == pytest.approx(90 / 0.995, rel=1e-12)
    assert risk.venue_liquidation_price == 90.0
    assert risk.liquidation_price_gap == pytest.approx((90 / 0.995 - 90) / 90, rel=1e-9)
