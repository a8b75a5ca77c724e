"""Pooled multi-asset margin (risk.collateral) against the venues' published rules, checked by hand."""

from __future__ import annotations

import math

import pytest

from risk import Account, Instrument, MarginTier, Position, assess
from risk.collateral import CollateralAsset, CollateralTier, collateral_value, marginal_ratio, pool

INF = math.inf
# Bybit "Understanding Collateral Value Ratios in Unified Trading Account" (2025-09-18), example tiers:
# BTC 0-10: 0.98, >10-20: 0.95, >20-30: 0.9, >30-40: 0.85, >40-50: 0.8, >50: 0; USDT >0: 1.
BTC_TIERS = tuple(
    CollateralTier(lo, hi, r)
    for lo, hi, r in (
        (0, 10, 0.98),
        (10, 20, 0.95),
        (20, 30, 0.9),
        (30, 40, 0.85),
        (40, 50, 0.8),
        (50, INF, 0.0),
    )
)


def test_bybit_tiered_collateral_value_ratio():
    # 25 BTC at 60,000: 10 x 0.98 + 10 x 0.95 + 5 x 0.9 = 23.8 BTC counted (derived from the tiers above).
    assert collateral_value(CollateralAsset("BTC", 25.0, 60_000.0, BTC_TIERS)) == pytest.approx(
        23.8 * 60_000.0
    )
    # 60 BTC: every tier up to 50 in full (44.8 BTC), nothing above 50 (ratio 0).
    assert collateral_value(CollateralAsset("BTC", 60.0, 60_000.0, BTC_TIERS)) == pytest.approx(
        44.8 * 60_000.0
    )
    assert marginal_ratio(CollateralAsset("BTC", 25.0, 60_000.0, BTC_TIERS)) == 0.9
    # "The Collateral Value Ratio only applies to assets with a positive balance": a negative balance
    # counts in full.
    assert collateral_value(CollateralAsset("BTC", -0.5, 60_000.0, BTC_TIERS)) == pytest.approx(-30_000.0)
    assert collateral_value(CollateralAsset("USDT", 1_000.0, 1.0)) == 1_000.0


def test_collateral_inputs_are_checked():
    with pytest.raises(ValueError, match="usd_price"):
        CollateralAsset("BTC", 1.0, 0.0)
    with pytest.raises(ValueError, match="must start at 10"):
        CollateralAsset("BTC", 1.0, 1.0, (CollateralTier(0, 10, 1.0), CollateralTier(12, 20, 0.9)))
    with pytest.raises(ValueError, match="no USD price"):
        pool([Account("bybit", 0.0, (), "USDC")], [], {"USDT": 1.0})


def one_tier(rate: float) -> tuple[MarginTier, ...]:
    return (MarginTier(0.0, INF, rate),)


def uta_cross() -> tuple[list[Account], list[CollateralAsset], dict[str, float]]:
    """A Bybit UTA cross account: BTC and USDT as collateral, a USDT and a USDC perp (taker 0, so the
    close-fee term is out of the hand calculation)."""
    btc_usdt = Instrument("BTC/USDT:USDT", "bybit", tiers=one_tier(0.005))
    eth_usdc = Instrument("ETH/USDC:USDC", "bybit", tiers=one_tier(0.01))
    usdt = Account("bybit", 0.0, [Position(btc_usdt, "long", 2.0, 60_000.0, 58_000.0, "cross")], "USDT")
    usdc = Account("bybit", 0.0, [Position(eth_usdc, "short", 10.0, 3_000.0, 3_100.0, "cross")], "USDC")
    assets = [CollateralAsset("BTC", 0.5, 58_000.0, BTC_TIERS), CollateralAsset("USDT", 5_000.0, 0.9995)]
    return [usdt, usdc], assets, {"USDT": 0.9995, "USDC": 1.0}


def test_bybit_uta_cross_is_one_account_margin_rate():
    accounts, assets, prices = uta_cross()
    pooled = pool(accounts, assets, prices)
    # By hand (Bybit glossary: margin balance = wallet (collateral value) + perp UPL; account MM rate =
    # total MM / margin balance):
    collateral = 0.5 * 0.98 * 58_000.0 + 5_000.0 * 0.9995  # 28,420 + 4,997.5
    upl = 2.0 * (58_000.0 - 60_000.0) * 0.9995 + 10.0 * (3_000.0 - 3_100.0) * 1.0  # -3,998 - 1,000
    mm = 2.0 * 58_000.0 * 0.005 * 0.9995 + 10.0 * 3_100.0 * 0.01  # 579.71 + 310
    assert pooled.collateral_value == pytest.approx(collateral)
    assert pooled.unrealized_pnl == pytest.approx(upl)
    assert pooled.maintenance_margin == pytest.approx(mm)
    assert pooled.margin_ratio == pytest.approx(mm / (collateral + upl))
    # Each settle account re-expressed gives the same account figures through the ordinary assess.
    for account in pooled.accounts:
        risk = assess(account)
        price = prices[account.settle_currency]
        assert risk.margin_ratio == pytest.approx(pooled.margin_ratio, rel=1e-12)
        assert risk.maintenance_margin * price == pytest.approx(mm, rel=1e-12)


def test_bybit_uta_cross_liquidation_price_liquidates_the_pool():
    accounts, assets, prices = uta_cross()
    pooled = pool(accounts, assets, prices)
    liq = assess(pooled.accounts[0]).positions[0].liquidation_price
    # Independent check: with BTC/USDT at liq and everything else held, pooled equity = pooled MM.
    collateral = 0.5 * 0.98 * 58_000.0 + 5_000.0 * 0.9995
    equity = collateral + 2.0 * (liq - 60_000.0) * 0.9995 + 10.0 * (3_000.0 - 3_100.0)
    requirement = 2.0 * liq * 0.005 * 0.9995 + 10.0 * 3_100.0 * 0.01
    assert equity == pytest.approx(requirement, rel=1e-9)
    # Closed form of the same equation: long, one tier.
    expected = (2.0 * 60_000.0 * 0.9995 - collateral + 1_000.0 + 310.0) / (2.0 * 0.9995 * (1.0 - 0.005))
    assert liq == pytest.approx(expected, rel=1e-12)
    # Per-currency (the old approximation) would have given a very different price: no BTC, no USDC leg.
    alone = assess(Account("bybit", 5_000.0, accounts[0].positions, "USDT")).positions[0].liquidation_price
    assert abs(alone - liq) / liq > 0.1


def test_binance_multi_assets_collateral_rate():
    # Binance USD-M Multi-Assets mode: each asset at index price x its collateral rate (one tier), USDT
    # and USDC at 1; margin ratio = total MM / margin balance. Rates here: BTC 0.95 (a hand-picked rate).
    inst = Instrument("ETH/USDT:USDT", "binanceusdm", tiers=one_tier(0.005))
    usdt = Account("binanceusdm", 0.0, [Position(inst, "short", 20.0, 3_000.0, 3_050.0, "cross")], "USDT")
    assets = [
        CollateralAsset("BTC", 0.2, 60_000.0, (CollateralTier(0, INF, 0.95),)),
        CollateralAsset("USDT", 500.0, 1.0),
    ]
    pooled = pool([usdt], assets, {"USDT": 1.0})
    balance = 0.2 * 60_000.0 * 0.95 + 500.0 - 20.0 * 50.0
    assert pooled.margin_balance == pytest.approx(balance)
    liq = assess(pooled.accounts[0]).positions[0].liquidation_price
    # short, one tier: 11,900 + 20 (3,000 - P) = 20 P 0.005 -> P = (11,900 + 60,000) / (20 x 1.005)
    assert liq == pytest.approx((0.2 * 60_000.0 * 0.95 + 500.0 + 60_000.0) / (20.0 * 1.005), rel=1e-12)


def test_okx_multi_currency_discounts_equity_and_points_the_other_way():
    # OKX multi-currency margin: adjusted equity = sum(equity x price x discount rate); the ratio OKX
    # shows is adjEq / (MM + fees), <= 100 % liquidates. A BTC-settled inverse position's PnL is part of
    # the BTC equity, so it is discounted with it (haircut_on_pnl).
    btc_tiers = (CollateralTier(0, 5, 1.0), CollateralTier(5, INF, 0.95))
    inst = Instrument("BTC/USD:BTC", "okx", contract_size=100.0, inverse=True, tiers=one_tier(0.004))
    btc = Account("okx", 0.0, [Position(inst, "long", 1_000, 60_000.0, 58_000.0, "cross")], "BTC")
    assets = [CollateralAsset("BTC", 6.0, 58_000.0, btc_tiers)]
    pooled = pool([btc], assets, {"BTC": 58_000.0}, haircut_on_pnl=True)
    pnl_btc = 100_000.0 * (1 / 60_000.0 - 1 / 58_000.0)
    assert pooled.unrealized_pnl == pytest.approx(pnl_btc * 58_000.0 * 0.95)
    assert pooled.collateral_value == pytest.approx((5.0 + 0.95) * 58_000.0)
    risk = assess(pooled.accounts[0])
    assert risk.venue_margin_ratio_kind == "equity/mm"


def test_modes_that_cannot_be_computed_show_the_venue_figures():
    # Portfolio margin (any venue) is stress-test based: assess reports the venue's liquidation price,
    # its distance and the venue's account ratio rather than a number of its own.
    inst = Instrument("BTC/USDT:USDT", "bybit", tiers=one_tier(0.005))
    pos = Position(inst, "long", 1.0, 60_000.0, 58_000.0, "cross", venue_liquidation_price=41_000.0)
    account = Account("bybit", 10_000.0, [pos], margin_mode="portfolio margin", venue_figures=True,
                      venue_margin_ratio=0.12)  # fmt: skip
    risk = assess(account)
    assert risk.venue_figures and risk.margin_mode == "portfolio margin"
    assert risk.positions[0].liquidation_price == 41_000.0
    assert risk.positions[0].distance == pytest.approx((58_000.0 - 41_000.0) / 58_000.0)
    assert risk.positions[0].liquidation_price_gap is None
    assert risk.margin_ratio == 0.12 and risk.positions[0].margin_ratio == 0.12
    computed = assess(Account("bybit", 10_000.0, [pos]))
    assert computed.positions[0].liquidation_price != pytest.approx(41_000.0)
