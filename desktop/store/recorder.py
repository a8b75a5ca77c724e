"""Periodic risk snapshots into the history store, so charts survive a restart.

:class:`SnapshotRecorder` writes, at most once per ``interval_ms``, one point per series of an
:class:`desktop.engine.snapshots.EngineSnapshot`:

* account ``<account_id>``: the :data:`desktop.store.history.ACCOUNT_SERIES` of its risk result;
* position ``<account_id>:<symbol>:<side>`` (the alert key's subject): ``mark_price``,
  ``liquidation_price``, ``distance``, ``margin_ratio``, ``unrealized_pnl``;
* market ``<symbol>``: ``cascade_score`` and ``mark_price``.

Read them back with ``HistoryStore.series(subject, name, since_ms=...)``. Writing 10,000 positions'
points takes ~0.2 s (tests/benchmarks/bench_alerts.py), so the write runs on a background thread of its
own (one writer, its own SQLite connection): :meth:`SnapshotRecorder.maybe_record` only hands over the
immutable snapshot and returns at once. A failed write is logged, never raised.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from desktop.engine.alert_inputs import position_key
from desktop.engine.snapshots import EngineSnapshot
from desktop.store.history import ACCOUNT_SERIES, HistoryStore

log = logging.getLogger(__name__)

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
    """Records snapshots into ``store`` at most once per ``interval_ms`` (default 10 s), in the background."""

    def __init__(self, store: HistoryStore, interval_ms: int = 10_000) -> None:
        if interval_ms <= 0:
            raise ValueError(f"interval_ms must be > 0, got {interval_ms!r}")
        self.store = store
        self.interval_ms = interval_ms
        self._last_ms: int | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liqguard-history")
        self._pending: Future[int] | None = None
        self._lock = threading.Lock()
        self.failures = 0

    def maybe_record(self, snapshot: EngineSnapshot, now_ms: int) -> bool:
        """Queue ``snapshot`` for writing if ``interval_ms`` has passed since the last one; True if queued.

        A snapshot is skipped (False) while the previous write is still running: history is sampled, and
        a slow disk must not build a queue."""
        if self._last_ms is not None and now_ms - self._last_ms < self.interval_ms:
            return False
        with self._lock:
            if self._pending is not None and not self._pending.done():
                return False
            self._last_ms = now_ms
            self._pending = self._executor.submit(self._write, snapshot, now_ms)
        return True

    def _write(self, snapshot: EngineSnapshot, now_ms: int) -> int:
        try:
            return self.store.record_many(snapshot_points(snapshot, now_ms))
        except Exception:
            self.failures += 1
            log.exception("recording a risk snapshot failed")
            return 0

    def flush(self, timeout: float | None = 10.0) -> int:
        """Wait for the write in progress (if any); returns its row count."""
        with self._lock:
            pending = self._pending
        return 0 if pending is None else pending.result(timeout)

    def close(self) -> None:
        """Finish the write in progress and stop the writer thread."""
        self._executor.shutdown(wait=True)
