"""Pooled multi-asset margin: collateral valued with tiered haircuts, and one margin rate per account.

Venues that pool several assets as cross collateral (Bybit Unified Trading Account in cross margin,
Binance USD-M Multi-Assets mode, OKX multi-currency margin) value every asset in USD, discounted by a
ratio that falls with the quantity held, and liquidate the whole account on one ratio:

* Bybit ("Understanding Collateral Value Ratios in Unified Trading Account", 2025-09-18): margin
  balance = sum(asset x USD index price x collateral value ratio) + perp & futures UPL; tiers by
  quantity (BTC 0-10: 0.98, 10-20: 0.95, ...); a negative balance counts at ratio 1. Account MM rate =
  total MM / margin balance, >= 100 % liquidates ("Key Terms and Formulas in UTA", 2026-03-13).
* Binance Multi-Assets mode: each asset's wallet balance valued at its index price times the asset's
  collateral rate; margin ratio = total MM / margin balance.
* OKX multi-currency margin: adjusted equity = sum(currency equity x USD price x discount rate), tiered
  by amount; margin ratio = adjusted equity / (MM + liquidation fees), <= 100 % liquidates.

Money here is USD unless a name says otherwise; quantities are in the asset's own unit. Pure numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from risk.assess import assess_many
from risk.types import Account


@dataclass(frozen=True, slots=True)
class CollateralTier:
    """The collateral (value) ratio of quantities in ``[quantity_floor, quantity_cap)`` of one asset."""

    quantity_floor: float
    quantity_cap: float
    ratio: float

    def __post_init__(self) -> None:
        if not (0.0 <= self.quantity_floor < self.quantity_cap):
            raise ValueError(
                f"CollateralTier: need 0 <= floor < cap, got [{self.quantity_floor!r}, {self.quantity_cap!r})"
            )
        if not (0.0 <= self.ratio <= 1.0):
            raise ValueError(f"CollateralTier.ratio must be within [0, 1], got {self.ratio!r}")


@dataclass(frozen=True, slots=True)
class CollateralAsset:
    """One asset of a pooled account.

    Parameters
    ----------
    currency
        ``"USDT"``, ``"BTC"``...
    quantity
        Balance in the asset's unit (wallet balance; OKX: the currency's equity); may be negative
        (a borrowed or lost balance).
    usd_price
        USD index price of one unit, > 0.
    tiers
        Collateral ratio by quantity, ascending and contiguous from 0; empty means ratio 1.
    """

    currency: str
    quantity: float
    usd_price: float
    tiers: tuple[CollateralTier, ...] = ()

    def __post_init__(self) -> None:
        if not math.isfinite(self.quantity):
            raise ValueError(
                f"CollateralAsset.quantity ({self.currency}) must be finite, got {self.quantity!r}"
            )
        if not (math.isfinite(self.usd_price) and self.usd_price > 0.0):
            raise ValueError(
                f"CollateralAsset.usd_price ({self.currency}) must be > 0, got {self.usd_price!r}"
            )
        previous = 0.0
        for index, tier in enumerate(self.tiers):
            if not math.isclose(tier.quantity_floor, previous, rel_tol=1e-12, abs_tol=1e-12):
                raise ValueError(
                    f"CollateralAsset.tiers[{index}] ({self.currency}) must start at {previous}, "
                    f"got {tier.quantity_floor!r}"
                )
            previous = tier.quantity_cap


def collateral_value(asset: CollateralAsset) -> float:
    """USD value of ``asset`` as collateral: each tier's slice of the quantity at that tier's ratio.

    A negative quantity counts in full (ratio 1, Bybit's rule); quantities beyond the last cap count
    at the last tier's ratio.
    """
    if asset.quantity <= 0.0 or not asset.tiers:
        return asset.quantity * asset.usd_price
    counted = 0.0
    for tier in asset.tiers:
        if asset.quantity <= tier.quantity_floor:
            break
        top = min(asset.quantity, tier.quantity_cap)
        counted += (top - tier.quantity_floor) * tier.ratio
    last = asset.tiers[-1]
    if asset.quantity > last.quantity_cap:
        counted += (asset.quantity - last.quantity_cap) * last.ratio
    return counted * asset.usd_price


def marginal_ratio(asset: CollateralAsset) -> float:
    """The collateral ratio of the last unit held (the rate at which a small PnL in this asset counts)."""
    if asset.quantity <= 0.0 or not asset.tiers:
        return 1.0
    for tier in asset.tiers:
        if asset.quantity < tier.quantity_cap:
            return tier.ratio
    return asset.tiers[-1].ratio


@dataclass(frozen=True, slots=True)
class PooledMargin:
    """One pooled account, in USD.

    Attributes
    ----------
    collateral_value
        Sum of the assets' collateral values (haircuts applied).
    unrealized_pnl
        Cross positions of every settle currency, valued at the settle currency's USD price.
    maintenance_margin
        Cross maintenance of every settle currency in USD (Bybit: with its estimated close fee).
    margin_balance
        ``collateral_value + unrealized_pnl``.
    margin_ratio
        ``maintenance_margin / margin_balance`` (>= 1 liquidates; inf when the balance is <= 0).
    accounts
        The input accounts, each re-expressed so that :func:`risk.assess` of it gives the pooled
        answer: ``wallet_balance`` is the pooled collateral in that settle currency and
        ``pooled_maintenance``/``pooled_pnl`` carry the other settle currencies' positions at their
        marks. A cross liquidation price from such an account is the price of that instrument at which
        the pooled account is liquidated, every other instrument and every collateral price held.
    """

    collateral_value: float
    unrealized_pnl: float
    maintenance_margin: float
    margin_balance: float
    margin_ratio: float
    accounts: tuple[Account, ...]


def pool(
    accounts: Sequence[Account],
    assets: Sequence[CollateralAsset],
    usd_price: Mapping[str, float],
    *,
    haircut_on_pnl: bool = False,
) -> PooledMargin:
    """Pool ``accounts`` (one per settle currency, cross positions) over the collateral ``assets``.

    Parameters
    ----------
    accounts
        The pooled account's positions split by settle currency (their ``wallet_balance`` is ignored:
        the collateral is ``assets``). Isolated positions keep their own margin and are not pooled.
    assets
        Every collateral asset with its quantity, USD price and ratio tiers.
    usd_price
        USD price of each settle currency (``"USDT"``, ``"USDC"``, ``"BTC"``...).
    haircut_on_pnl
        OKX applies the discount to each currency's equity (cash + UPL): a settle currency's PnL then
        counts at that currency's marginal ratio. Bybit and Binance count PnL in full.

    Raises
    ------
    ValueError
        A settle currency without a USD price, or an account whose settle currency appears twice.
    """
    settles = [a.settle_currency for a in accounts]
    if len(set(settles)) != len(settles):
        raise ValueError(f"pool: one account per settle currency, got {settles}")
    for settle in settles:
        price = usd_price.get(settle)
        if price is None or not (math.isfinite(price) and price > 0.0):
            raise ValueError(f"pool: no USD price for settle currency {settle!r}")
    by_currency = {a.currency: a for a in assets}
    collateral = sum(collateral_value(a) for a in assets)
    weight = {
        s: (marginal_ratio(by_currency[s]) if haircut_on_pnl and s in by_currency else 1.0) for s in settles
    }
    # Each settle account alone, its wallet set to 0: its cross PnL and MM at the current marks.
    bare = [replace(a, wallet_balance=0.0, pooled_maintenance=0.0, pooled_pnl=0.0) for a in accounts]
    risks = assess_many(bare) if bare else []
    pnl_usd = []
    mm_usd = []
    for account, result in zip(accounts, risks, strict=True):
        price = usd_price[account.settle_currency]
        pnl_usd.append(result.margin_balance * price * weight[account.settle_currency])
        mm_usd.append(result.maintenance_margin * price)
    total_pnl = sum(pnl_usd)
    total_mm = sum(mm_usd)
    balance = collateral + total_pnl
    ratio = math.inf if balance <= 0.0 and total_mm > 0.0 else (total_mm / balance if total_mm > 0 else 0.0)
    pooled: list[Account] = []
    for index, account in enumerate(accounts):
        # This account's own PnL counts in full in its copy: exact while its settle currency's own
        # ratio is 1 (USDT/USDC within their first tier), which is where USD-margined books live.
        price = usd_price[account.settle_currency]
        pooled.append(
            replace(
                account,
                wallet_balance=collateral / price,
                pooled_maintenance=(total_mm - mm_usd[index]) / price,
                pooled_pnl=(total_pnl - pnl_usd[index]) / price,
            )
        )
    return PooledMargin(collateral, total_pnl, total_mm, balance, ratio, tuple(pooled))
