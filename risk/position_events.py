"""Positions that went away: liquidated, auto-deleveraged, or closed for an unknown reason (pure).

When a position disappears from an account, or shrinks, between two reads, the caller builds a
:class:`PositionClosure` (what was held before and after), looks for the venue's own record of a forced
close (:class:`LiquidationRecord`, e.g. from ccxt ``fetch_my_liquidations``) and calls
:func:`closure_event`: a matching record gives a critical "liquidated" alert with size, price and
realised loss; without one the alert says "position closed or reduced, cause unknown" (a warning: the
trader may have closed it).

Units: sizes in contracts and base units as in :class:`risk.Position`; prices in quote currency per base
unit; money (realised PnL, negative = loss) in the settle currency; times in epoch milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from risk.alerts import AlertEvent, alert_key

CAUSE_UNKNOWN = "position closed or reduced, cause unknown"


@dataclass(frozen=True, slots=True)
class LiquidationRecord:
    """The venue's record of a forced close of (part of) a position.

    ``kind`` is "liquidation" or "adl" (auto-deleveraging); ``contracts`` > 0 closed at ``price``;
    ``realized_pnl`` the loss booked by it (negative), ``None`` when the venue does not say.
    """

    symbol: str
    side: str
    contracts: float
    price: float
    timestamp_ms: int
    kind: str = "liquidation"
    realized_pnl: float | None = None
    base_size: float | None = None
    """Base units closed (``contracts * contract_size``), ``None`` if unknown."""

    def __post_init__(self) -> None:
        if self.side not in ("long", "short"):
            raise ValueError(f"LiquidationRecord.side must be 'long' or 'short', got {self.side!r}")
        if self.kind not in ("liquidation", "adl"):
            raise ValueError(f"LiquidationRecord.kind must be 'liquidation' or 'adl', got {self.kind!r}")
        for name in ("contracts", "price"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"LiquidationRecord.{name} must be a finite number > 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class PositionClosure:
    """A position that disappeared (``contracts_after == 0``) or shrank between two reads.

    ``subject`` is the alert subject of the position (the same key its distance alerts use); ``label``
    its display name; ``size_unit`` the base currency; ``last_mark`` and ``unrealized_pnl`` what the
    last read before the change showed; ``since_ms`` the data time of that read (a venue record at or
    after it can explain the change); ``data_time_ms`` the data time of the read that showed the change.
    """

    subject: str
    label: str
    symbol: str
    side: str
    contracts_before: float
    contracts_after: float
    size_before: float
    size_unit: str
    last_mark: float
    unrealized_pnl: float
    settle_currency: str
    since_ms: int
    data_time_ms: int

    @property
    def closed_fraction(self) -> float:
        if self.contracts_before <= 0:
            return 0.0
        return min(1.0, max(0.0, 1.0 - self.contracts_after / self.contracts_before))


def match_record(closure: PositionClosure, records: Iterable[LiquidationRecord]) -> LiquidationRecord | None:
    """The newest record of the closure's symbol and side at or after ``closure.since_ms`` (a margin of
    one minute before it allows for clocks that differ between the account read and the venue's
    liquidation engine), ``None`` if none."""
    earliest = closure.since_ms - 60_000
    found = [
        r
        for r in records
        if r.symbol == closure.symbol and r.side == closure.side and r.timestamp_ms >= earliest
    ]
    return max(found, key=lambda r: r.timestamp_ms) if found else None


def _num(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f}"


def _size(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def closure_event(
    closure: PositionClosure, record: LiquidationRecord | None, now_ms: int, *, action: str = ""
) -> AlertEvent:
    """The alert about ``closure``: "liquidated" (critical, needs acknowledgement) when ``record`` is
    the venue's forced close, otherwise "position_closed" (warning, cause unknown). English text; the UI
    may re-word it from ``kind``, ``detail`` and ``value`` (the realised PnL, or ``None``)."""
    closed_size = closure.size_before * closure.closed_fraction
    unit = closure.size_unit
    whole = closure.contracts_after <= 0
    if record is not None:
        adl = record.kind == "adl"
        verb = "auto-deleveraged" if adl else "liquidated"
        size = record.base_size if record.base_size is not None else closed_size
        pnl = record.realized_pnl
        pnl_text = "not reported" if pnl is None else f"{_num(pnl)} {closure.settle_currency}"
        title = f"{closure.label}: {verb}" + ("" if whole else " (partly)")
        message = f"{_size(size)} {unit} {closure.side} {verb} at {_num(record.price)}; realised {pnl_text}."
        reasons = (
            f"the venue reports a {'auto-deleveraging' if adl else 'liquidation'} of {_size(size)} {unit}",
            f"{_size(closure.contracts_after)} contracts left" if not whole else "nothing left",
        )
        return AlertEvent(
            key=alert_key("liquidated", closure.subject),
            kind="liquidated",
            level="critical",
            tier=1,
            title=title,
            message=message,
            reasons=reasons,
            timestamp_ms=now_ms,
            subject=closure.subject,
            value=pnl,
            threshold=None,
            tier_count=1,
            requires_ack=True,
            label=closure.label,
            detail="adl" if adl else "liquidation",
            data_time_ms=record.timestamp_ms,
            action=action,
        )
    what = "closed" if whole else f"reduced to {_size(closure.size_before - closed_size)} {unit}"
    title = f"{closure.label}: {what}"
    message = (
        f"{CAUSE_UNKNOWN[0].upper()}{CAUSE_UNKNOWN[1:]}: {_size(closed_size)} {unit} gone; last mark "
        f"{_num(closure.last_mark)}, unrealised {_num(closure.unrealized_pnl)} {closure.settle_currency} "
        "before."
    )
    return AlertEvent(
        key=alert_key("position_closed", closure.subject),
        kind="position_closed",
        level="warning",
        tier=1,
        title=title,
        message=message,
        reasons=(CAUSE_UNKNOWN, "the venue gave no liquidation or auto-deleveraging record for it"),
        timestamp_ms=now_ms,
        subject=closure.subject,
        value=closure.unrealized_pnl,
        threshold=None,
        tier_count=1,
        requires_ack=False,
        label=closure.label,
        detail="unknown",
        data_time_ms=closure.data_time_ms,
        action=action,
    )


__all__ = ["CAUSE_UNKNOWN", "LiquidationRecord", "PositionClosure", "closure_event", "match_record"]
