"""The alert rules over engine snapshots without Qt: what :class:`AlertCenter` does for the window, for
the headless watcher (same :class:`risk.alerts.AlertEngine`, same observations from
:mod:`desktop.engine.alert_inputs`).

Single-threaded: call :meth:`AlertLoop.process_snapshot` and :meth:`AlertLoop.tick` from one thread.
Times are epoch milliseconds.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from desktop.engine.alert_inputs import observations_from_snapshot, position_arrays, subjects
from desktop.engine.snapshots import EngineSnapshot
from desktop.store import HistoryStore, StoreError
from risk.alerts import AlertEngine, AlertEvent, AlertRules

log = logging.getLogger(__name__)


class AlertLoop:
    """Judge snapshots with :class:`AlertEngine`; every event is stored (when a store is given) and
    handed to ``on_events``. A failing store is logged once and ignored: warnings must keep flowing."""

    def __init__(
        self,
        rules: AlertRules,
        on_events: Callable[[list[AlertEvent]], object],
        store: HistoryStore | None = None,
    ) -> None:
        self.engine = AlertEngine(rules)
        self._on_events = on_events
        self._store = store
        self._subjects: set[str] = set()
        self._store_failed = False

    def replace_rules(self, rules: AlertRules) -> None:
        if rules != self.engine.rules:
            self.engine.replace_rules(rules)

    def process_snapshot(self, snapshot: EngineSnapshot, now_ms: int) -> list[AlertEvent]:
        """Alerts for everything in ``snapshot`` and clears for what disappeared since the last one."""
        others = observations_from_snapshot(snapshot, positions=False)
        arrays = position_arrays(snapshot)
        current = subjects(others) | set(arrays.keys)
        events: list[AlertEvent] = []
        for gone in sorted(self._subjects - current):
            events += self.engine.retire(gone, now_ms)
        self._subjects = current
        try:
            events += self.engine.observe_positions(
                arrays.keys,
                arrays.distances,
                now_ms,
                margin_ratios=arrays.margin_ratios,
                labels=arrays.labels,
            )
            events += self.engine.observe(others, now_ms)
        except ValueError:
            log.exception("alert observations rejected")  # a bad snapshot must not stop the monitor
        self._handle(events)
        return events

    def tick(self, now_ms: int) -> list[AlertEvent]:
        """Feed ages and snooze expiry (call about once a second)."""
        events = self.engine.tick(now_ms)
        self._handle(events)
        return events

    def _handle(self, events: list[AlertEvent]) -> None:
        if not events:
            return
        store = self._store
        if store is not None and not self._store_failed:
            try:
                for event in events:
                    store.record_alert(event)
            except (StoreError, OSError, sqlite3.Error) as exc:
                self._store_failed = True
                log.error("alert history cannot be saved: %s", exc)
        self._on_events(events)
