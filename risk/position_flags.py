"""Per-position warnings that are rules on a few numbers: the computed liquidation price disagreeing with
the venue's, and a profitable position near the front of the auto-deleveraging queue. Pure functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

VENUE_GAP_LIMIT = 0.005
"""A computed liquidation price further from the venue's than this share of the distance (mark to the
venue's price) is a finding worth a warning."""

ADL_ALERT_RANK = 4
"""ADL ranks (venue scale: Binance quantile 0-4, Bybit ``adlRankIndicator`` 0-5, OKX ``adl`` 1-5; higher
is nearer the front of the queue) from which a profitable position is warned."""


@dataclass(frozen=True, slots=True)
class PositionFlag:
    """A warning about one position: ``kind`` (``"venue_gap"``, ``"adl"``), ``level`` (``"warning"``),
    a short ``title`` and the ``message`` in words."""

    kind: str
    level: str
    title: str
    message: str


def venue_gap_share(mark: float, computed: float | None, venue: float | None) -> float | None:
    """``|computed - venue| / |mark - venue|``: the disagreement as a share of the distance to the venue's
    liquidation price; ``None`` when either price is missing or the mark sits on the venue's price."""
    if computed is None or venue is None or not (venue > 0.0) or not math.isfinite(computed):
        return None
    distance = abs(mark - venue)
    if distance == 0.0:
        return None
    return abs(computed - venue) / distance


def likely_gap_cause(*, margin_mode: str, fee_terms: bool, tier_changes: bool) -> str:
    """The likeliest reason our liquidation price and the venue's differ, in words.

    ``margin_mode``: the account's mode label (pooled collateral is valued with prices and ratios read
    at another moment than the position); ``tier_changes``: the maintenance tier at our liquidation price
    differs from the one at the mark (a venue that keeps the current tier lands elsewhere);
    ``fee_terms``: a close-fee estimate is in the venue's condition (OKX, Gate, Bitget, Bybit).
    """
    if margin_mode:
        return f"mode ({margin_mode}: collateral prices and ratios)"
    if tier_changes:
        return "tier (the maintenance tier changes between the mark and the liquidation price)"
    if fee_terms:
        return "fee (the venue's close-fee estimate)"
    return "inputs (wallet, mark or tiers read at different moments)"


def venue_gap_flag(
    mark: float, computed: float | None, venue: float | None, cause: str, limit: float = VENUE_GAP_LIMIT
) -> PositionFlag | None:
    """The warning "our figure and the venue's differ" when the gap exceeds ``limit`` of the distance."""
    share = venue_gap_share(mark, computed, venue)
    if share is None or share <= limit:
        return None
    message = (
        f"our figure and the venue's differ: liquidation {computed:,.6g} vs the venue's {venue:,.6g}, "
        f"{share:.1%} of the distance; likely cause: {cause}"
    )
    return PositionFlag("venue_gap", "warning", "our figure and the venue's differ", message)


def adl_flag(rank: int | None, unrealized_pnl: float, threshold: int = ADL_ALERT_RANK) -> PositionFlag | None:
    """The warning "your profit may be auto-deleveraged" for a profitable position at ADL rank >= 4."""
    if rank is None or rank < threshold or not unrealized_pnl > 0.0:
        return None
    message = (
        f"your profit may be auto-deleveraged: ADL rank {rank} puts this profitable position near the front "
        "of the queue the venue closes against liquidated traders when its insurance fund falls short"
    )
    return PositionFlag("adl", "warning", "your profit may be auto-deleveraged", message)
