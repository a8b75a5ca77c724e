"""Per-venue margin rules, kept as data: one entry per ccxt exchange id.

Every venue liquidates at the mark price where equity equals the maintenance requirement; they differ
only in the parameters below (sources: ``exchange-margin-rules.md`` §0 and the venue sections).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from risk.results import MARGIN_RATIO_EQUITY_OVER_MM, MARGIN_RATIO_MM_OVER_EQUITY

TierBasis = Literal["notional", "contracts"]


@dataclass(frozen=True, slots=True)
class VenueRules:
    """How one venue turns positions into a maintenance requirement.

    Attributes
    ----------
    venue
        ccxt exchange id.
    fee_in_condition
        The liquidation condition adds a close fee ``taker_fee_rate * notional`` to the maintenance
        margin (OKX, Gate, Bitget). Binance and Hyperliquid do not.
    estimated_close_fee
        Bybit (help centre "Maintenance Margin" 2026-04-16, "Initial Margin Calculation (USDC Perpetual
        & Futures)" 2025-09-02, "Liquidation Price Calculation under Isolated Mode (UTA)" 2026-05-27):
        both initial and maintenance margin include an estimated fee to close the position at its
        bankruptcy price, ``q*E*(1 - s/leverage)*taker`` (linear) or ``(Qty/E)*(1 + s/leverage)*taker``
        (inverse), and margin added after opening counts as ``Extra/(1 - s*taker)`` (linear) or
        ``Extra/(1 + s*taker)`` (inverse) in the isolated liquidation price. Maintenance margin itself
        is taken at the mark (at the liquidation price), as on every other venue.
    tier_basis
        ``"notional"``: tiers by notional (quote for linear, coin for inverse); ``"contracts"``: by
        position size in contracts (OKX ``minSz``/``maxSz``).
    margin_ratio_kind
        Which way the venue's displayed ratio points: ``"mm/equity"`` (>= 1 liquidates) or
        ``"equity/mm"`` (<= 1 liquidates).
    venue_ratio_label
        How the venue names that number, for display.
    """

    venue: str
    fee_in_condition: bool
    estimated_close_fee: bool
    tier_basis: TierBasis
    margin_ratio_kind: str
    venue_ratio_label: str


VENUE_RULES: dict[str, VenueRules] = {
    # Binance FAQ b3c689c1f50a44cabb3a84e663b81d93: MM = N*mmr - cum at the notional at LP; no fee.
    "binanceusdm": VenueRules(
        "binanceusdm", False, False, "notional", MARGIN_RATIO_MM_OVER_EQUITY, "Margin Ratio"
    ),
    # Binance FAQ ceccfcfb4e3a45e3b48b0b1bb1a8ae46: the inverse form with tiers in coin.
    "binancecoinm": VenueRules(
        "binancecoinm", False, False, "notional", MARGIN_RATIO_MM_OVER_EQUITY, "Margin Ratio"
    ),
    # Bybit, current rules (UTA Trading Rules 2026-08-07, "Maintenance Margin" 2026-04-16): MM at the
    # liquidation price for linear and inverse alike, with the estimated close fee in IM and MM. The 2024
    # "MM at entry value" form (19,700 example) is the superseded page; no recorded payload needs it.
    "bybit": VenueRules("bybit", False, True, "notional", MARGIN_RATIO_MM_OVER_EQUITY, "Account MM Rate"),
    # OKX: tiers by contracts, MMR + fee rate in the condition; ratio equity/(MM+fees).
    "okx": VenueRules("okx", True, False, "contracts", MARGIN_RATIO_EQUITY_OVER_MM, "Margin ratio"),
    # Gate: MMR + taker fee in the LP formula; ratio margin balance / MM, <= 100 % liquidates.
    "gate": VenueRules(
        "gate", True, False, "notional", MARGIN_RATIO_EQUITY_OVER_MM, "Maintenance margin ratio"
    ),
    # Bitget: MMR + taker fee in the LP formula; liquidation at "maintenance margin ratio = 100 %".
    "bitget": VenueRules(
        "bitget", True, False, "notional", MARGIN_RATIO_MM_OVER_EQUITY, "Maintenance margin ratio"
    ),
    # Hyperliquid: MM = N*mmr - deduction, mmr = 1/(2*max leverage); no clearance fee.
    "hyperliquid": VenueRules(
        "hyperliquid", False, False, "notional", MARGIN_RATIO_MM_OVER_EQUITY, "Cross margin ratio"
    ),
    # The built-in demo venue follows Binance USD-M.
    "demo": VenueRules("demo", False, False, "notional", MARGIN_RATIO_MM_OVER_EQUITY, "Margin Ratio"),
}


def rules_for(venue: str) -> VenueRules:
    """The rules of ``venue``; ``ValueError`` naming it when unknown."""
    try:
        return VENUE_RULES[venue]
    except KeyError:
        raise ValueError(f"venue: unknown venue {venue!r}; known: {', '.join(VENUE_RULES)}") from None


def bybit_close_fee(
    sign: np.ndarray,
    size: np.ndarray,
    entry: np.ndarray,
    leverage: np.ndarray,
    taker: np.ndarray,
    inverse: np.ndarray,
    collateral: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Bybit's estimated fee to close and the isolated margin its liquidation price counts.

    Parameters (arrays of one shape)
    --------------------------------
    sign
        +1 long, -1 short.
    size, entry
        Base units (linear) or USD face value (inverse); entry price in quote per base unit.
    leverage
        The position's leverage setting; NaN where unknown (no fee is estimated then).
    taker
        Taker fee rate, a fraction; 0 on venues without the estimated fee.
    inverse
        Coin-margined contract.
    collateral
        Isolated position margin as the venue reports it (``positionIM``): initial margin
        ``size*entry/leverage`` (coin: ``size/entry/leverage``) + the fee to close + margin added.

    Returns
    -------
    close_fee, counted
        The fee to close at the bankruptcy price, settle currency: linear ``q*E*(1 - s/lev)*taker``,
        inverse ``(Qty/E)*(1 + s/lev)*taker`` (Bybit "Initial Margin Calculation (USDC Perpetual &
        Futures)", 2025-09-02: 0.5 BTC at 50,000, 10x, 0.055 % -> 12.375 USDC long). And the margin the
        liquidation condition counts: ``IM + fee + Extra/(1 - s*taker)`` (linear) or ``IM + fee +
        Extra/(1 + s*taker)`` (inverse), which with MM + fee on the other side gives the published
        prices (UTA liquidation rules, 2026-08-07 and 2026-05-27). Where the leverage is unknown the fee
        is 0 and ``counted = collateral``.
    """
    known = np.isfinite(leverage) & (leverage > 0.0) & (taker > 0.0)
    lev = np.where(known, leverage, 1.0)
    coin_value = size / entry
    fee = np.where(
        inverse, coin_value * (1.0 + sign / lev) * taker, size * entry * (1.0 - sign / lev) * taker
    )
    fee = np.where(known, fee, 0.0)
    initial = np.where(inverse, coin_value / lev, size * entry / lev)
    extra = collateral - initial - fee
    scale = np.where(inverse, 1.0 + sign * taker, 1.0 - sign * taker)
    counted = np.where(known, initial + fee + extra / scale, collateral)
    return fee, counted
