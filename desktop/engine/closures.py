"""Why did a position go away? Ask the venue, off the GUI thread (no Qt here).

:func:`position_closures` compares an account's rows before and after a read and gives a
:class:`risk.position_events.PositionClosure` for every position that disappeared or shrank.
:func:`reader_lookup` returns the function the alert center calls with each closure: it runs the
account reader's ``fetch_liquidations(symbol, since_ms)`` (the venue's liquidation / auto-deleveraging
history: ccxt ``fetch_my_liquidations`` on a real venue, the demo venue's own records in the demo) on the
engine's loop and returns a ``concurrent.futures.Future`` of the records, or ``None`` when the reader has
no such history (the alert then says the cause is unknown).
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from desktop.engine.alert_inputs import position_key, underlying
from desktop.engine.snapshots import PositionRow
from risk.position_events import LiquidationRecord, PositionClosure

ClosureLookup = Callable[[str, PositionClosure], "concurrent.futures.Future[list[LiquidationRecord]] | None"]
"""``(account_id, closure) -> future of the venue's records, or None when it keeps none we can read``."""

REDUCED_TOLERANCE = 1e-9
"""Relative shrink of the contracts below which a position counts as unchanged (float noise)."""


def position_closures(
    before: Sequence[PositionRow], after: Sequence[PositionRow], since_ms: int, data_time_ms: int
) -> list[PositionClosure]:
    """Positions of ``before`` missing from ``after`` or holding fewer contracts there, in ``before``'s
    order. ``since_ms``/``data_time_ms``: data times of the two reads (epoch ms)."""
    now = {row.key: row for row in after}
    found: list[PositionClosure] = []
    for row in before:
        later = now.get(row.key)
        left = 0.0 if later is None else later.contracts
        if left >= row.contracts * (1.0 - REDUCED_TOLERANCE):
            continue
        found.append(
            PositionClosure(
                subject=position_key(row),
                label=f"{row.account_label} {row.symbol} {row.side}",
                symbol=row.symbol,
                side=row.side,
                contracts_before=row.contracts,
                contracts_after=left,
                size_before=row.size,
                size_unit=underlying(row.symbol),
                last_mark=row.mark_price,
                unrealized_pnl=row.unrealized_pnl,
                settle_currency=row.settle_currency,
                since_ms=since_ms,
                data_time_ms=data_time_ms,
            )
        )
    return found


def reader_lookup(
    submit: Callable[[Coroutine[Any, Any, list[LiquidationRecord]]], concurrent.futures.Future[Any]],
    reader_of: Callable[[str], object | None],
) -> ClosureLookup:
    """A :data:`ClosureLookup` over account readers: ``submit`` runs a coroutine on the engine's loop
    (``Engine.submit``), ``reader_of`` finds an account's reader (``Engine.account_reader``). Readers
    without ``fetch_liquidations`` answer ``None``."""

    def lookup(account_id: str, closure: PositionClosure) -> concurrent.futures.Future[Any] | None:
        fetch = getattr(reader_of(account_id), "fetch_liquidations", None)
        if fetch is None:
            return None
        return submit(fetch(closure.symbol, closure.since_ms - 60_000))

    return lookup
