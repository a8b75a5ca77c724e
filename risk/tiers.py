"""Maintenance-margin tier tables: construction helpers and vectorised lookup.

The tier rule shared by Binance ("maintenance amount", ``cum``), Bybit ("MM deduction") and
Hyperliquid ("maintenance deduction") is ``amount_k = amount_{k-1} + floor_k * (rate_k - rate_{k-1})``
with ``amount_0 = 0``; it makes maintenance margin a continuous function of the notional
(exchange-margin-rules.md §1.4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from risk.types import Instrument, MarginTier


def continuous_amounts(floors: Sequence[float], rates: Sequence[float]) -> list[float]:
    """Maintenance amounts that make the table continuous, by the tier rule above."""
    if len(floors) != len(rates):
        raise ValueError(f"floors and rates must have the same length, got {len(floors)} and {len(rates)}")
    amounts: list[float] = []
    for index, (floor, rate) in enumerate(zip(floors, rates, strict=True)):
        if index == 0:
            amounts.append(0.0)
        else:
            amounts.append(amounts[-1] + floor * (rate - rates[index - 1]))
    return amounts


def tiers_from_brackets(
    floors: Sequence[float],
    rates: Sequence[float],
    amounts: Sequence[float] | None = None,
    max_leverages: Sequence[float | None] | None = None,
) -> tuple[MarginTier, ...]:
    """Build a contiguous tier table from the floors of each tier; the last cap is infinite.

    ``amounts`` default to the continuous tier rule.
    """
    if not floors:
        raise ValueError("floors: empty tier table")
    amounts_list = list(amounts) if amounts is not None else continuous_amounts(floors, rates)
    leverages = list(max_leverages) if max_leverages is not None else [None] * len(floors)
    caps = [*list(floors[1:]), math.inf]
    return tuple(
        MarginTier(float(f), float(c), float(r), float(a), lev)
        for f, c, r, a, lev in zip(floors, caps, rates, amounts_list, leverages, strict=True)
    )


def hyperliquid_tiers(lower_bounds_and_max_leverage: Sequence[tuple[float, float]]) -> tuple[MarginTier, ...]:
    """Hyperliquid margin table from ``(lower bound in USDC, max leverage)`` pairs.

    Maintenance rate is half the initial margin at max leverage, ``1/(2*max_leverage)``, with
    deductions by the tier rule (Hyperliquid docs, trading/margin-tiers; exchange-margin-rules.md §8.1).
    """
    pairs = sorted((float(b), float(lev)) for b, lev in lower_bounds_and_max_leverage)
    if not pairs:
        raise ValueError("hyperliquid margin table has no tiers")
    floors = [b for b, _ in pairs]
    leverages = [lev for _, lev in pairs]
    for lev in leverages:
        if not math.isfinite(lev) or lev <= 0:
            raise ValueError(f"max_leverage must be > 0, got {lev!r}")
    rates = [1.0 / (2.0 * lev) for lev in leverages]
    return tiers_from_brackets(floors, rates, None, leverages)


class TierMatrix:
    """Several tier tables stacked into padded ``(T, K)`` arrays for vectorised lookup.

    Rows are padded with ``floor = +inf`` so a lookup never selects a padding column.
    """

    __slots__ = ("amounts", "floors", "rates")

    def __init__(self, tables: Sequence[tuple[MarginTier, ...]]) -> None:
        width = max((len(t) for t in tables), default=1) or 1
        count = max(len(tables), 1)
        self.floors = np.full((count, width), np.inf)
        self.rates = np.zeros((count, width))
        self.amounts = np.zeros((count, width))
        for row, table in enumerate(tables):
            for col, tier in enumerate(table):
                self.floors[row, col] = tier.notional_floor
                self.rates[row, col] = tier.maintenance_rate
                self.amounts[row, col] = tier.maintenance_amount

    def lookup(self, rows: np.ndarray, basis: np.ndarray) -> np.ndarray:
        """Tier index of each ``basis`` value in table ``rows``.

        Values beyond the last cap stay in the last tier (venues refuse such positions; the last
        tier is the most conservative answer); values below 0 fall in the first.
        """
        above = self.floors[rows] <= basis[:, None]
        return np.maximum(above.sum(axis=1) - 1, 0)


def tier_matrix_for(instruments: Sequence[Instrument]) -> TierMatrix:
    """A :class:`TierMatrix` with one row per instrument, in order."""
    return TierMatrix([inst.tiers for inst in instruments])
