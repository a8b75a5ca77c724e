"""Glue for the GUI thread: alert rules → history store → alerts log → notifications.

:class:`AlertCenter` owns one :class:`risk.alerts.AlertEngine` (used only from the GUI thread, fed from
the engine's snapshots), the :class:`desktop.store.HistoryStore` (optional), an
:class:`desktop.ui.notify.AlertNotifier` and an :class:`desktop.ui.alerts_dock.AlertsDock`. Every alert
event is stored, listed and delivered, in that order; acknowledge and snooze requests from toasts,
dialogs and the dock reach the engine, the store and the widgets alike. A 1-second timer re-checks feed
ages and snooze expiry. A failing store is logged and reported once (``store_failed``), never raised: the
monitor must keep warning even when the disk is full.

Main-window wiring::

    center = AlertCenter(window, loaded.config, store)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, center.dock)
    engine.snapshot_ready.connect(center.process_snapshot)
    settings_dialog.config_saved.connect(center.apply_config)
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.engine.alert_inputs import (
    observations_from_snapshot,
    position_arrays_of,
    position_flags_of,
    position_key,
    subjects,
)
from desktop.engine.snapshots import EngineSnapshot, PositionRow
from desktop.settings import AppConfig
from desktop.store import HistoryStore, StoreError
from desktop.store.recorder import SnapshotRecorder
from desktop.ui.alerts_dock import AlertsDock
from desktop.ui.notify import AlertNotifier
from risk.alerts import AlertEngine, AlertEvent, Observation

log = logging.getLogger(__name__)

TICK_MS = 1000


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class AlertCenter(QObject):
    """See the module docstring. Signals: ``alerts_raised(list[AlertEvent])`` after each batch is
    handled; ``store_failed(str)`` the first time the store fails (message for the status bar)."""

    alerts_raised = Signal(list)
    store_failed = Signal(str)
    acknowledged = Signal(str)  # alert key; stops its escalation to push channels (desktop/watch)
    config_applied = Signal(object)  # AppConfig, after apply_config

    def __init__(
        self,
        window: QWidget | None,
        config: AppConfig,
        store: HistoryStore | None = None,
        *,
        notifier: AlertNotifier | None = None,
        dock: AlertsDock | None = None,
        clock: Callable[[], int] = wall_clock_ms,
        history_rows: int = 1000,
    ) -> None:
        super().__init__(window)
        self.config = config
        self.store = store
        self.clock = clock
        self.engine = AlertEngine(config.to_rules())
        self.notifier = notifier or AlertNotifier(
            window, sound_enabled=config.sound_enabled, critical_modal=config.critical_modal
        )
        self.dock = dock or AlertsDock(window)
        self._store_broken = False
        self._subjects: set[str] = set()
        self._judged: dict[str, tuple[tuple[PositionRow, ...], list[str]]] = {}
        """Per account: the rows last judged (the snapshot's own tuple) and their position keys."""
        self.recorder = SnapshotRecorder(store) if store is not None else None
        for source in (self.notifier, self.dock):
            source.acknowledge_requested.connect(self.acknowledge)
            source.snooze_requested.connect(self.snooze)
        if store is not None:
            self._guard(lambda: self.dock.load_history(store, history_rows))
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # -- inputs ---------------------------------------------------------------------------------------

    def process(self, observations: Iterable[Observation], now_ms: int | None = None) -> list[AlertEvent]:
        """Judge a batch of observations; stores, lists and delivers the resulting events."""
        now = self.clock() if now_ms is None else now_ms
        try:
            events = self.engine.observe(list(observations), now)
        except ValueError:
            log.exception("alert observations rejected")  # a bad observation must not stop the monitor
            return []
        self._handle(events)
        return events

    def process_snapshot(self, snapshot: EngineSnapshot, now_ms: int | None = None) -> list[AlertEvent]:
        """Judge an engine snapshot (connect ``Engine.snapshot_ready`` here): alerts for everything in it,
        clears for positions, accounts, feeds and markets that disappeared since the last one, and a risk
        snapshot into the store every 10 s. Positions go through the engine's batch form (numpy)."""
        now = self.clock() if now_ms is None else now_ms
        others = observations_from_snapshot(snapshot, positions=False)
        # An account the engine did not re-assess keeps its rows tuple: its positions judge as before
        # (no tier can move without a new value), so only changed accounts' rows go to the rules.
        judge_all = self.engine.snoozing
        judged: dict[str, tuple[tuple[PositionRow, ...], list[str]]] = {}
        changed: list[PositionRow] = []
        for account in snapshot.accounts:
            seen = self._judged.get(account.account_id)
            if seen is not None and seen[0] is account.rows:
                judged[account.account_id] = seen
                if judge_all:
                    changed += account.rows
            else:
                judged[account.account_id] = (account.rows, [position_key(row) for row in account.rows])
                changed += account.rows
        arrays = position_arrays_of(changed)
        current = subjects(others).union(*(keys for _, keys in judged.values()))
        events: list[AlertEvent] = []
        for gone in sorted(self._subjects - current):
            events += self.engine.retire(gone, now)
        self._subjects = current
        try:
            events += self.engine.observe_positions(
                arrays.keys, arrays.distances, now, margin_ratios=arrays.margin_ratios, labels=arrays.labels
            )
            events += self.engine.observe(others, now)
            events += self.engine.observe_position_flags(position_flags_of(changed), now)  # venue gap, ADL
            self._judged = judged
        except ValueError:
            log.exception("alert observations rejected")  # a bad snapshot must not stop the monitor
            self._judged = {}  # judge every row again next time
        self._handle(events)
        recorder = self.recorder
        if recorder is not None:
            self._guard(lambda: recorder.maybe_record(snapshot, now))
        return events

    def tick(self, now_ms: int | None = None) -> list[AlertEvent]:
        """Feed ages and snooze expiry (the timer calls this every second)."""
        events = self.engine.tick(self.clock() if now_ms is None else now_ms)
        self._handle(events)
        return events

    def retire(self, subject: str, now_ms: int | None = None) -> list[AlertEvent]:
        """A position/account/feed/market went away: clear its alerts."""
        events = self.engine.retire(subject, self.clock() if now_ms is None else now_ms)
        self._handle(events)
        return events

    # -- user actions ---------------------------------------------------------------------------------

    def acknowledge(self, key: str) -> None:
        now = self.clock()
        self.engine.acknowledge(key)
        store = self.store
        if store is not None:
            self._guard(lambda: store.acknowledge(key, now))
        self.dock.mark_acknowledged(key, now)
        self.notifier.remove_key(key)
        self.acknowledged.emit(key)

    def snooze(self, key: str) -> int:
        """Snooze ``key`` for the configured length; returns the end time (epoch ms)."""
        shown = [r.event.tier for r in self.dock.model.rows() if r.event.key == key and not r.event.cleared]
        until = self.engine.snooze(key, self.clock(), tier=shown[0] if shown else 0)
        store = self.store
        if store is not None:
            self._guard(lambda: store.mark_snoozed(key, until))
        self.dock.mark_snoozed(key, until)
        return until

    def close(self) -> None:
        """Stop the timer and finish the history write in progress (call before closing the store)."""
        self.timer.stop()
        if self.recorder is not None:
            self.recorder.close()

    def apply_config(self, config: AppConfig) -> None:
        """Use changed settings (thresholds re-judge everything as at start-up)."""
        if config.to_rules() != self.engine.rules:
            self.engine.replace_rules(config.to_rules())
            self._judged.clear()  # tier state restarts: every position is judged again
        self.notifier.set_options(sound_enabled=config.sound_enabled, critical_modal=config.critical_modal)
        self.config = config
        self.config_applied.emit(config)

    # -- internals ------------------------------------------------------------------------------------

    def _handle(self, events: list[AlertEvent]) -> None:
        if not events:
            return
        for event in events:
            row_id = 0
            if self.store is not None:
                row_id = self._guard(lambda s=self.store, e=event: s.record_alert(e)) or 0
            self.dock.add_event(event, row_id)
            self.notifier.notify(event)
        self.alerts_raised.emit(events)

    def _guard(self, action: Callable[[], object]) -> object:
        try:
            return action()
        except (sqlite3.Error, StoreError, OSError) as exc:
            log.error("alert history store failed: %s", exc)
            if not self._store_broken:
                self._store_broken = True
                self.store_failed.emit(f"Alert history cannot be saved: {exc}")
            return None
