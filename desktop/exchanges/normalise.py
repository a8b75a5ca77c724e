"""Venue-independent conversion of ccxt structures into ``risk`` types.

ccxt returns numbers as floats (or None) in unified fields and as strings in ``info`` (the raw venue
payload). Everything here is tolerant of None/""/"0" and never invents a number: a value that is not
there stays None and the caller decides (usually: record a feed error and skip the position).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from risk import MarginTier

AmountRule = Literal["raw", "continuous", "none"]
"""How a venue's tier maintenance amount is obtained.

``raw``: from a field of the raw tier (Binance ``cum``, Bybit ``mmDeduction``, Gate ``deduction``), falling
back to ``continuous`` when the field is missing. ``continuous``: derived with the rule
``amount_k = amount_{k-1} + floor_k * (rate_k - rate_{k-1})`` (exchange-margin-rules.md section 1.4).
``none``: the venue has no maintenance amount (OKX, Bitget: MM = notional * rate).
"""


def number(value: Any) -> float | None:
    """A finite float from a ccxt/raw value, or None for None, "", non-numbers and NaN/inf."""
    if value is None or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def positive(value: Any) -> float | None:
    """Like :func:`number` but None unless > 0 (liquidation prices: "0"/""/null mean none)."""
    result = number(value)
    return result if result is not None and result > 0.0 else None


def first_number(mapping: Mapping[str, Any] | None, *keys: str) -> float | None:
    """The first key of ``mapping`` that holds a finite number."""
    if not mapping:
        return None
    for key in keys:
        result = number(mapping.get(key))
        if result is not None:
            return result
    return None


def tiers_from_ccxt(
    unified: Sequence[Mapping[str, Any]],
    amount_rule: AmountRule,
    amount_keys: Sequence[str] = (),
) -> tuple[MarginTier, ...]:
    """Turn ccxt ``LeverageTier`` dicts into contiguous :class:`risk.MarginTier` objects.

    Units are the venue's (quote notional, coin notional for inverse, contracts for OKX): see the
    adapter. Floors are made contiguous (tier k starts at the cap of tier k-1, tier 1 at 0) because
    venues report e.g. OKX ``minSz`` 1 for the first tier; a missing last cap becomes ``inf``.
    Raises ``ValueError`` if a tier has no maintenance rate or caps do not increase.
    """
    ordered = sorted(unified, key=lambda t: number(t.get("minNotional")) or 0.0)
    tiers: list[MarginTier] = []
    floor = 0.0
    previous_rate = 0.0
    previous_amount = 0.0
    for index, tier in enumerate(ordered):
        rate = number(tier.get("maintenanceMarginRate"))
        if rate is None:
            raise ValueError(f"tier {index + 1}: maintenanceMarginRate missing in {dict(tier)!r}")
        cap = number(tier.get("maxNotional"))
        if cap is None or (index == len(ordered) - 1 and cap <= floor):
            cap = math.inf
        info = tier.get("info") if isinstance(tier.get("info"), Mapping) else {}
        amount: float | None = None
        if amount_rule == "raw":
            amount = first_number(info, *amount_keys)
        if amount is None and amount_rule != "none":
            amount = previous_amount + floor * (rate - previous_rate) if index else 0.0
        tiers.append(
            MarginTier(
                notional_floor=floor,
                notional_cap=cap,
                maintenance_rate=rate,
                maintenance_amount=amount or 0.0,
                max_leverage=positive(tier.get("maxLeverage")),
            )
        )
        previous_rate, previous_amount, floor = rate, amount or 0.0, cap
        if math.isinf(cap):
            break
    return tuple(tiers)
