"""Periodic risk snapshots into the history store, so charts survive a restart.

:class:`SnapshotRecorder` writes, at most once per ``interval_ms``, one point per series of an
:class:`desktop.snapshots.EngineSnapshot`:

* account ``<account_id>``: the :data:`desktop.store.history.ACCOUNT_SERIES` of its risk result;
* position ``<account_id>:<symbol>:<side>`` (the alert key's subject): ``mark_price``,
  ``liquidation_price``, ``distance``, ``margin_ratio``, ``unrealized_pnl``;
* market ``<symbol>``: ``cascade_score`` and ``mark_price``.

Read them back with ``HistoryStore.series(subject, name, since_ms=...)``. Thread-safe like the store:
call it from the engine thread or the GUI thread.
"""

from __future__ import annotations

from desktop.alert_inputs import position_key
from desktop.snapshots import EngineSnapshot
from desktop.store.history import ACCOUNT_SERIES, HistoryStore

POSITION_ROW_SERIES: tuple[str, ...] = (
    "mark_price",
    "liquidation_price",
    "distance",
    "margin_ratio",
    "unrealized_pnl",
)


def snapshot_points(snapshot: EngineSnapshot, timestamp_ms: int) -> list[tuple[int, str, str, float | None]]:
    """``(timestamp_ms, subject, series, value)`` rows for one snapshot."""
    rows: list[tuple[int, str, str, float | None]] = []
    for account in snapshot.accounts:
        if account.risk is not None:
            rows += [(timestamp_ms, account.account_id, n, getattr(account.risk, n)) for n in ACCOUNT_SERIES]
        for row in account.rows:
            key = position_key(row)
            rows += [(timestamp_ms, key, n, getattr(row, n)) for n in POSITION_ROW_SERIES]
    for symbol, series in snapshot.markets.items():
        if series.cascade is not None:
            rows.append((timestamp_ms, symbol, "cascade_score", series.cascade.score))
        rows.append((timestamp_ms, symbol, "mark_price", series.last_mark))
    return rows


class SnapshotRecorder:
    """Records snapshots into ``store`` at most once per ``interval_ms`` (default 10 s)."""

    def __init__(self, store: HistoryStore, interval_ms: int = 10_000) -> None:
        if interval_ms <= 0:
            raise ValueError(f"interval_ms must be > 0, got {interval_ms!r}")
        self.store = store
        self.interval_ms = interval_ms
        self._last_ms: int | None = None

    def maybe_record(self, snapshot: EngineSnapshot, now_ms: int) -> int:
        """Write ``snapshot`` if ``interval_ms`` has passed since the last write; returns rows written."""
        if self._last_ms is not None and now_ms - self._last_ms < self.interval_ms:
            return 0
        self._last_ms = now_ms
        return self.store.record_many(snapshot_points(snapshot, now_ms))
