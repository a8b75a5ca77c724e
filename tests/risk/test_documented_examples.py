"""Every venue formula against the worked examples the venues publish.

Sources are quoted per test; the transcriptions are in shared/docs/exchange-margin-rules.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from risk import Account, Instrument, MarginTier, Position, assess
from risk.tiers import continuous_amounts, hyperliquid_tiers, tiers_from_brackets

INF = math.inf


def one_tier(rate: float, amount: float = 0.0) -> tuple[MarginTier, ...]:
    return (MarginTier(0.0, INF, rate, amount),)


# --- Binance USD-M ------------------------------------------------------------------------------
# Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
# (b3c689c1f50a44cabb3a84e663b81d93), example account as transcribed in freqtrade
# tests/exchange/test_binance.py::test_liquidation_price_binance ("From calc example").
FAQ_WALLET = 1_535_443.01
BTC = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=one_tier(0.025, 16_300.0))
ETH = Instrument("ETH/USDT:USDT", "binanceusdm", tiers=one_tier(0.10, 135_365.0))


def faq_positions(mode: str) -> list[Position]:
    collateral = FAQ_WALLET if mode == "isolated" else None
    return [
        Position(BTC, "long", 109.488, 32_481.98, 31_967.27, mode, collateral=collateral),
        Position(ETH, "long", 3_683.979, 1_456.84, 1_335.18, mode, collateral=collateral),
    ]


def test_binance_faq_cross_liquidation_prices():
    risk = assess(Account("binanceusdm", FAQ_WALLET, faq_positions("cross")))
    # FAQ: BTCUSDT 26,316.89 and ETHUSDT 1,153.26 (rounded to 2 dp by the FAQ).
    assert round(risk.positions[0].liquidation_price, 2) == 26_316.89
    assert round(risk.positions[1].liquidation_price, 2) == 1_153.26


def test_binance_faq_isolated_liquidation_prices():
    risk = assess(Account("binanceusdm", 0.0, faq_positions("isolated")))
    # FAQ: isolated BTCUSDT 18,778.73 and ETHUSDT 1,114.78.
    assert round(risk.positions[0].liquidation_price, 2) == 18_778.73
    assert round(risk.positions[1].liquidation_price, 2) == 1_114.78


def test_binance_faq_account_figures():
    risk = assess(Account("binanceusdm", FAQ_WALLET, faq_positions("cross")))
    # FAQ intermediate values: MM 71,200.81144 (BTC) and 356,512.508 (ETH).
    assert risk.positions[0].maintenance_margin == pytest.approx(71_200.81144, abs=1e-3)
    assert risk.positions[1].maintenance_margin == pytest.approx(356_512.508, abs=1e-3)
    # Derived (exchange-margin-rules.md §2.4): margin balance 1,030,895.5564, ratio 41.49 %.
    assert risk.margin_balance == pytest.approx(1_030_895.5564, abs=1e-3)
    assert risk.margin_ratio == pytest.approx(0.414895, abs=1e-6)
    assert risk.venue_margin_ratio == pytest.approx(risk.margin_ratio)
    # Distances 17.68 % (BTC) and 13.63 % (ETH).
    assert risk.positions[0].distance == pytest.approx(0.1768, abs=5e-5)
    assert risk.positions[1].distance == pytest.approx(0.1363, abs=5e-5)


def test_binance_maintenance_amount_rule():
    # Binance "Leverage & Margin": Level 5 = 250,000 x (1 % - 0.5 %) + 50 = 1,300 USDT, with the
    # BTCUSDT brackets of that time (gist highfestiva/b71e76f5..., 2021): floors 0, 50k, 250k, 1M.
    amounts = continuous_amounts([0, 50_000, 250_000, 1_000_000], [0.004, 0.005, 0.01, 0.025])
    assert amounts[1] == pytest.approx(50.0)
    assert amounts[2] == pytest.approx(1_300.0)
    assert amounts[3] == pytest.approx(16_300.0)


def test_binance_bracket_at_documented_notionals():
    # Same FAQ: a 500,000 USDT BTCUSDT position has cum 1,300; a 264,000 USDT position has MMR 1 %.
    tiers = tiers_from_brackets([0, 50_000, 250_000, 1_000_000], [0.004, 0.005, 0.01, 0.025])
    inst = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=tiers)
    for notional, rate, amount in ((500_000.0, 0.01, 1_300.0), (264_000.0, 0.01, 1_300.0)):
        pos = Position(inst, "long", notional / 50_000.0, 50_000.0, 50_000.0, "cross")
        risk = assess(Account("binanceusdm", 1e9, [pos]))
        assert risk.positions[0].maintenance_margin == pytest.approx(notional * rate - amount)


def test_binance_one_x_long_has_no_liquidation_price():
    # Binance shows "--" when LP < 0: a 1x long (collateral = notional) with cum > 0 never liquidates.
    tiers = tiers_from_brackets([0, 50_000], [0.004, 0.005])
    inst = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=tiers)
    pos = Position(inst, "long", 2.0, 30_000.0, 30_000.0, "isolated", collateral=60_000.0)
    risk = assess(Account("binanceusdm", 0.0, [pos]))
    assert risk.positions[0].liquidation_price is None
    assert risk.positions[0].distance is None


# --- Binance COIN-M -----------------------------------------------------------------------------
def test_binance_coinm_maintenance_example():
    # Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts"
    # (ceccfcfb4e3a45e3b48b0b1bb1a8ae46): 100 BTCUSD contracts (100 USD each) at mark 25,000 ->
    # notional 0.4 BTC, level 1 MMR 0.4 % -> MM = 0.0016 BTC.
    inst = Instrument("BTC/USD:BTC", "binancecoinm", contract_size=100.0, inverse=True, tiers=one_tier(0.004))
    pos = Position(inst, "long", 100, 25_000.0, 25_000.0, "cross")
    risk = assess(Account("binancecoinm", 10.0, [pos], settle_currency="BTC"))
    assert risk.positions[0].notional == pytest.approx(0.4)
    assert risk.positions[0].maintenance_margin == pytest.approx(0.0016)


def test_binance_coinm_maintenance_amount_example():
    # Same FAQ: "BTCUSD Level 5 = 50 BTC x (5 % - 2.5 %) + 0.56 BTC = 1.81 BTC".
    assert pytest.approx(1.81) == 50 * (0.05 - 0.025) + 0.56
    amounts = continuous_amounts([0, 50], [0.025, 0.05])
    assert amounts[1] + 0.56 == pytest.approx(1.81)


def test_binance_coinm_liquidation_matches_the_faq_one_way_formula():
    # One-way COIN-M form (exchange-margin-rules.md §3.1): long LP = F(1+MMR)/(WB + cum + F/EP),
    # short LP = F(1-MMR)/(F/EP - WB - cum), F = contracts x 100 USD. Inputs chosen by hand.
    inst = Instrument("BTC/USD:BTC", "binancecoinm", contract_size=100.0, inverse=True, tiers=one_tier(0.004))
    face, entry, wallet = 500 * 100.0, 30_000.0, 0.5
    long = assess(
        Account("binancecoinm", wallet, [Position(inst, "long", 500, entry, 29_000.0, "cross")], "BTC")
    )
    short = assess(
        Account("binancecoinm", wallet, [Position(inst, "short", 500, entry, 29_000.0, "cross")], "BTC")
    )
    assert long.positions[0].liquidation_price == pytest.approx(
        face * 1.004 / (wallet + face / entry), rel=1e-12
    )
    assert short.positions[0].liquidation_price == pytest.approx(
        face * 0.996 / (face / entry - wallet), rel=1e-12
    )


# --- Bybit --------------------------------------------------------------------------------------
BYBIT_TAKER = 0.00055  # Bybit's published taker rate in the fee examples below (0.055 %)


def bybit_linear(side: str, extra: float, taker: float = BYBIT_TAKER, mark: float = 20_500.0):
    """Bybit's USDT example inputs (help centre "Liquidation Price (USDT Contract)"): 1 BTC at 20,000
    USDT, 50x, MMR 0.5 %; the position margin as Bybit reports it (positionIM) includes the estimated
    fee to close, q*E*(1 - s/lev)*taker, and any margin added after opening."""
    s = 1.0 if side == "long" else -1.0
    fee = 1.0 * 20_000.0 * (1.0 - s / 50.0) * taker
    inst = Instrument("BTC/USDT:USDT", "bybit", tiers=one_tier(0.005), taker_fee_rate=taker)
    pos = Position(inst, side, 1.0, 20_000.0, mark, "isolated", collateral=400.0 + fee + extra, leverage=50)
    return assess(Account("bybit", 0.0, [pos])).positions[0], fee


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("extra", [0.0, 150.0])
def test_bybit_linear_isolated_current_rule(side, extra):
    # Bybit "Trading Rules: Liquidation Process (UTA)", updated 2026-08-07, isolated USDT/USDC (MM at the
    # liquidation price, the close-fee estimate in IM and MM cancels):
    #   long  LP = [E*q - E*q/lev - Extra/(1 - taker) - Deduction] / [q - q*MMR]
    #   short LP = [E*q + E*q/lev + Extra/(1 + taker) + Deduction] / [q + q*MMR]
    # With the 19,700 example's inputs (long, no extra) this is 19,600/0.995 = 19,698.49 (the 2024 page,
    # MM at entry value, gave 19,700).
    q, e, lev, mmr, t = 1.0, 20_000.0, 50.0, 0.005, BYBIT_TAKER
    if side == "long":
        expected = (e * q - e * q / lev - extra / (1.0 - t) - 0.0) / (q - q * mmr)
    else:
        expected = (e * q + e * q / lev + extra / (1.0 + t) + 0.0) / (q + q * mmr)
    risk, _ = bybit_linear(side, extra)
    assert risk.liquidation_price == pytest.approx(expected, rel=1e-12)
    if side == "long" and extra == 0.0:
        assert round(risk.liquidation_price, 2) == 19_698.49


@pytest.mark.parametrize(("side", "fee"), [("long", 12.375), ("short", 15.125)])
def test_bybit_estimated_close_fee_is_in_maintenance_margin(side, fee):
    # Bybit "Initial Margin Calculation (USDC Perpetual & Futures)", 2025-09-02: 0.5 BTC at 50,000, 10x,
    # taker 0.055 % -> estimated fee to close 0.5 x 50,000 x (1 - 1/10) x 0.055 % = 12.375 USDC (long);
    # short: 0.5 x 50,000 x (1 + 1/10) x 0.055 % = 15.125. "Maintenance Margin" (2026-04-16): MM =
    # position value x MMR - deduction + estimated fee to close.
    inst = Instrument("BTC/USDC:USDC", "bybit", tiers=one_tier(0.005), taker_fee_rate=BYBIT_TAKER)
    pos = Position(inst, side, 0.5, 50_000.0, 50_500.0, "cross", leverage=10)
    risk = assess(Account("bybit", 10_000.0, [pos], settle_currency="USDC"))
    assert risk.positions[0].maintenance_margin == pytest.approx(0.5 * 50_500.0 * 0.005 + fee, rel=1e-12)
    # In cross the fee is not matched by margin: it moves the liquidation price. Long, one-way:
    # 10,000 + 0.5 (P - 50,000) = 0.5 P 0.005 + 12.375.
    if side == "long":
        expected = (0.5 * 50_000.0 - 10_000.0 + fee) / (0.5 * (1.0 - 0.005))
        assert risk.positions[0].liquidation_price == pytest.approx(expected, rel=1e-12)


def test_bybit_close_fee_matches_a_recorded_position():
    # Recorded Bybit v5 /position/list (tests/fixtures/ccxt/bybit.fetchPositions.json, LTCUSDT, 2023-11):
    # size 1.2, avgPrice 64.59947917, leverage 6, positionValue 77.519375, positionIM 12.95542633,
    # positionMM 0.81072399, LTC tier-1 MMR 1 %, Bybit linear taker 0.055 %. Both figures carry the same
    # estimated fee to close, q*E*(1 - 1/lev)*taker = 0.0355297: the formula the library uses.
    from risk.venues import bybit_close_fee

    fee, _ = bybit_close_fee(
        *(np.array([v]) for v in (1.0, 1.2, 64.59947917, 6.0, 0.00055)), np.array([False]), np.array([0.0])
    )
    assert pytest.approx(fee[0], abs=1e-6) == 12.95542633 - 77.519375 / 6.0
    assert pytest.approx(fee[0], abs=1e-6) == 0.81072399 - 77.519375 * 0.01


@pytest.mark.parametrize(
    ("side", "expected"),
    [("long", 45_681.818181818184), ("short", 55_277.777777777774)],
)
def test_bybit_inverse_isolated_2026_example(side, expected):
    # Bybit "Liquidation Price Calculation under Isolated Mode (UTA)", 2026 version: 60,000 USD of
    # BTCUSD at 50,000, 10x, MMR 0.5 %, no extra margin -> PV 1.2 BTC, IM 0.12 BTC. Expected values
    # derived with the page's formula (exchange-margin-rules.md §4.2, fee 0).
    inst = Instrument("BTC/USD:BTC", "bybit", contract_size=1.0, inverse=True, tiers=one_tier(0.005))
    pos = Position(inst, side, 60_000, 50_000.0, 50_000.0, "isolated", collateral=0.12, leverage=10)
    risk = assess(Account("bybit", 0.0, [pos], settle_currency="BTC"))
    assert risk.positions[0].liquidation_price == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("side", ["long", "short"])
def test_bybit_inverse_isolated_2026_formula_with_fee_and_extra_margin(side):
    # Same page (2026-05-27), with the taker fee and extra margin the formula names:
    #   long  LP = Qty(MMR + 1) / [Qty/E + Qty/E/lev + Extra/(1 + taker) + Deduction]
    #   short LP = Qty(1 - MMR) / [Qty/E - Qty/E/lev - Extra/(1 - taker) - Deduction]
    # positionIM = Qty/E/lev + estimated fee to close + Extra; the fee cancels against MM's.
    qty, e, lev, mmr, t, extra = 60_000.0, 50_000.0, 10.0, 0.005, BYBIT_TAKER, 0.03
    s = 1.0 if side == "long" else -1.0
    fee = qty / e * (1.0 + s / lev) * t
    inst = Instrument("BTC/USD:BTC", "bybit", inverse=True, tiers=one_tier(mmr), taker_fee_rate=t)
    im = qty / e / lev + fee + extra
    pos = Position(inst, side, qty, e, e, "isolated", collateral=im, leverage=lev)
    risk = assess(Account("bybit", 0.0, [pos], settle_currency="BTC")).positions[0]
    if side == "long":
        expected = qty * (mmr + 1.0) / (qty / e + qty / e / lev + extra / (1.0 + t) + 0.0)
    else:
        expected = qty * (1.0 - mmr) / (qty / e - qty / e / lev - extra / (1.0 - t) - 0.0)
    assert risk.liquidation_price == pytest.approx(expected, rel=1e-12)


# --- OKX, Gate, Bitget (fee in the condition) ------------------------------------------------------
@pytest.mark.parametrize("venue", ["okx", "gate", "bitget"])
@pytest.mark.parametrize("side", ["long", "short"])
def test_fee_venues_linear_isolated_formula(venue, side):
    # OKX/Gate/Bitget linear isolated (exchange-margin-rules.md §1.2 fee form, Gate help 27724,
    # Bitget support 12560603808759): LP = (EP - s*WB/q) / (1 - s*(mmr + fee)).
    mmr, fee, entry, margin = 0.004, 0.0005, 60_000.0, 1_500.0
    contracts, ct_val = 25.0, 0.01  # OKX BTC-USDT-SWAP: 0.01 BTC per contract
    inst = Instrument("BTC/USDT:USDT", venue, contract_size=ct_val, tiers=one_tier(mmr), taker_fee_rate=fee)
    pos = Position(inst, side, contracts, entry, entry, "isolated", collateral=margin)
    risk = assess(Account(venue, 0.0, [pos]))
    s = 1.0 if side == "long" else -1.0
    q = contracts * ct_val
    expected = (entry - s * margin / q) / (1.0 - s * (mmr + fee))
    assert risk.positions[0].liquidation_price == pytest.approx(expected, rel=1e-12)


def test_okx_inverse_isolated_matches_derived_values():
    # OKX coin-margined isolated (exchange-margin-rules.md §5.2), fee 0, Bybit's inputs:
    # F = 60,000, EP = 50,000, margin 0.12 BTC, mmr 0.5 % -> long 45,681.8181..., short 55,277.77...
    inst = Instrument("BTC/USD:BTC", "okx", contract_size=100.0, inverse=True, tiers=one_tier(0.005))
    for side, expected in (("long", 45_681.818181818184), ("short", 55_277.777777777774)):
        pos = Position(inst, side, 600, 50_000.0, 50_000.0, "isolated", collateral=0.12)
        risk = assess(Account("okx", 0.0, [pos], settle_currency="BTC"))
        assert risk.positions[0].liquidation_price == pytest.approx(expected, rel=1e-12)


def test_okx_tiers_are_by_contracts_and_ratio_points_the_other_way():
    # OKX tiers by position size in contracts (minSz/maxSz), margin ratio = equity / (MM + fees).
    tiers = (MarginTier(0, 500, 0.004), MarginTier(500, INF, 0.006))
    inst = Instrument("BTC/USDT:USDT", "okx", contract_size=0.01, tiers=tiers, taker_fee_rate=0.0005)
    small = Position(inst, "long", 400, 60_000.0, 60_000.0, "cross")
    large = Position(inst, "long", 600, 60_000.0, 60_000.0, "cross")
    r_small = assess(Account("okx", 50_000.0, [small]))
    r_large = assess(Account("okx", 50_000.0, [large]))
    assert r_small.positions[0].tier_index == 0
    assert r_large.positions[0].tier_index == 1
    mm = 600 * 0.01 * 60_000 * (0.006 + 0.0005)
    assert r_large.maintenance_margin == pytest.approx(mm)
    assert r_large.venue_margin_ratio_kind == "equity/mm"
    assert r_large.venue_margin_ratio == pytest.approx(50_000.0 / mm)
    assert r_large.margin_ratio == pytest.approx(mm / 50_000.0)


# --- Hyperliquid ----------------------------------------------------------------------------------
def test_hyperliquid_tiers_from_max_leverage():
    # Hyperliquid docs, trading/margin-tiers (exchange-margin-rules.md §8.1): BTC 0-150M 40x,
    # >150M 20x -> mmr 1.25 % and 2.5 %, tier-2 deduction 1,875,000; ETH 25x/15x at 100M ->
    # deduction 1,333,333.33.
    btc = hyperliquid_tiers([(0.0, 40.0), (150e6, 20.0)])
    assert [t.maintenance_rate for t in btc] == pytest.approx([0.0125, 0.025])
    assert btc[1].maintenance_amount == pytest.approx(1_875_000.0)
    eth = hyperliquid_tiers([(0.0, 25.0), (100e6, 15.0)])
    assert eth[1].maintenance_amount == pytest.approx(1_333_333.33, abs=0.01)


@pytest.mark.parametrize("side", ["long", "short"])
def test_hyperliquid_isolated_matches_docs_formula(side):
    # Hyperliquid docs, trading/liquidations: liq = price - side * margin_available / size / (1 - l*side),
    # l = 1/MAINTENANCE_LEVERAGE = 1/(2*max_lev); margin_available = isolated_margin - MM at price.
    max_lev, size, mark, entry, margin = 40.0, 2.0, 100_000.0, 98_000.0, 12_000.0
    inst = Instrument("BTC/USDC:USDC", "hyperliquid", tiers=hyperliquid_tiers([(0.0, max_lev)]))
    pos = Position(inst, side, size, entry, mark, "isolated", collateral=margin)
    risk = assess(Account("hyperliquid", 0.0, [pos], settle_currency="USDC"))
    s = 1.0 if side == "long" else -1.0
    l_rate = 1.0 / (2.0 * max_lev)
    equity = margin + s * size * (mark - entry)  # isolated margin plus the position's PnL
    margin_available = equity - size * mark * l_rate
    expected = mark - s * margin_available / size / (1.0 - l_rate * s)
    assert risk.positions[0].liquidation_price == pytest.approx(expected, rel=1e-12)
