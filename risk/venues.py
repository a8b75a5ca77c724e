"""Per-venue margin rules, kept as data: one entry per ccxt exchange id.

Every venue liquidates at the mark price where equity equals the maintenance requirement; they differ
only in the parameters below (sources: ``exchange-margin-rules.md`` §0 and the venue sections).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    isolated_linear_mm_at_entry
        Isolated linear positions have their maintenance margin evaluated at the entry value, not at
        the mark (Bybit "Liquidation Price (USDT Contract)", 19,700 example).
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
    isolated_linear_mm_at_entry: bool
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
    # Bybit: isolated linear MM at entry value (2024 doc); inverse per the 2026 doc (MM at LP).
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
