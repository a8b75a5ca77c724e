"""Glue for the GUI thread: alert rules → history store → alerts log → notifications.

:class:`AlertCenter` owns one :class:`risk.alerts.AlertEngine` (used only from the GUI thread, fed from
the engine's snapshots), the :class:`desktop.store.HistoryStore` (optional), an
:class:`desktop.ui.notify.AlertNotifier` and an :class:`desktop.ui.alerts_dock.AlertsDock`. Every alert
event is stored, listed and delivered, in that order; acknowledge and snooze requests from toasts,
dialogs and the dock reach the engine, the store and the widgets alike. A 1-second timer re-checks feed
ages and snooze expiry.

Every event carries the data time of the snapshot it judged (``data_time_ms``: the venue's clock, the
scenario's in the demo). After each snapshot the toasts on screen get their subject's current value and
its time (one toast per subject, updated in place), and ``severity_changed`` tells the account cards the
worst alert tier in force per account. Markets are judged per underlying
(:func:`desktop.engine.alert_inputs.by_underlying`); the regime each market was in when the last session
ended is read back from the store, so an unchanged regime raises nothing at start-up. A failing store
is logged and reported once (``store_failed``), never raised: the monitor must keep warning even when
the disk is full.

Main-window wiring::

    center = AlertCenter(window, loaded.config, store)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, center.dock)
    engine.snapshot_ready.connect(center.process_snapshot)
    settings_dialog.config_saved.connect(center.apply_config)
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.engine.alert_inputs import (
    by_underlying,
    live_values,
    observations_from_snapshot,
    position_arrays_of,
    position_flags_of,
    position_key,
    subjects,
)
from desktop.engine.closures import ClosureLookup, position_closures
from desktop.engine.snapshots import EngineSnapshot, PositionRow, Severity
from desktop.settings import AppConfig
from desktop.store import HistoryStore, StoreError
from desktop.store.recorder import SnapshotRecorder
from desktop.ui.alert_text import live_line, row_action_text
from desktop.ui.alerts_dock import AlertsDock
from desktop.ui.notify import AlertNotifier
from risk.alerts import AlertEngine, AlertEvent, Observation, level_rank
from risk.position_events import PositionClosure, closure_event, match_record

POSITION_KINDS = ("distance", "position_margin_ratio")
MAX_ACTIONS_PER_BATCH = 6
"""Position alerts of one batch that get their action computed (most severe first)."""

LEVEL_SEVERITY: dict[str, Severity] = {
    "info": Severity.INFO,
    "warning": Severity.WARNING,
    "critical": Severity.CRITICAL,
}

log = logging.getLogger(__name__)

TICK_MS = 1000


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class AlertCenter(QObject):
    """See the module docstring. Signals: ``alerts_raised(list[AlertEvent])`` after each batch is
    handled; ``store_failed(str)`` the first time the store fails (message for the status bar);
    ``severity_changed(dict)`` with ``{account_id: Severity}`` of the alerts in force whenever it changes."""

    alerts_raised = Signal(list)
    store_failed = Signal(str)
    acknowledged = Signal(str)  # alert key; stops its escalation to push channels (desktop/watch)
    config_applied = Signal(object)  # AppConfig, after apply_config
    severity_changed = Signal(dict)
    _closure_answered = Signal(object, object)
    """(closure, records or exception) from the engine's loop thread; queued to this object's thread."""

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
        self._data_time_ms: int | None = None
        self._account_ids: tuple[str, ...] = ()
        self._severities: dict[str, Severity] = {}
        self.closure_lookup: ClosureLookup | None = None
        """Asks the venue why a position went away (``desktop.engine.closures.reader_lookup``)."""
        self._closure_answered.connect(self._on_closure_answer)
        self.recorder = SnapshotRecorder(store) if store is not None else None
        for source in (self.notifier, self.dock):
            source.acknowledge_requested.connect(self.acknowledge)
            source.snooze_requested.connect(self.snooze)
        self.notifier.toast_area.open_alerts_requested.connect(self._open_log)
        if store is not None:
            self._guard(lambda: self.dock.load_history(store, history_rows))
            regimes = self._guard(store.last_regimes)
            if isinstance(regimes, dict):
                self.engine.remember_regimes(regimes)
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
        return self._handle(events)

    def process_snapshot(self, snapshot: EngineSnapshot, now_ms: int | None = None) -> list[AlertEvent]:
        """Judge an engine snapshot (connect ``Engine.snapshot_ready`` here): alerts for everything in it,
        clears for positions, accounts, feeds and markets that disappeared since the last one, and a risk
        snapshot into the store every 10 s. Positions go through the engine's batch form (numpy)."""
        now = self.clock() if now_ms is None else now_ms
        previous_data_ms = self._data_time_ms
        self._data_time_ms = round(snapshot.market_time * 1000)
        self._account_ids = tuple(account.account_id for account in snapshot.accounts)
        others = by_underlying(observations_from_snapshot(snapshot, positions=False))
        # An account the engine did not re-assess keeps its rows tuple: its positions judge as before
        # (no tier can move without a new value), so only changed accounts' rows go to the rules.
        judge_all = self.engine.snoozing
        judged: dict[str, tuple[tuple[PositionRow, ...], list[str]]] = {}
        changed: list[PositionRow] = []
        closures: list[tuple[str, PositionClosure]] = []
        for account in snapshot.accounts:
            seen = self._judged.get(account.account_id)
            if seen is not None and seen[0] is account.rows:
                judged[account.account_id] = seen
                if judge_all:
                    changed += account.rows
            else:
                if seen is not None and account.account is not None:  # a read, not a restart
                    since = self._data_time_ms if previous_data_ms is None else previous_data_ms
                    closures += [
                        (account.account_id, closure)
                        for closure in position_closures(seen[0], account.rows, since, self._data_time_ms)
                    ]
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
        events = self._handle(self._with_actions(events, snapshot))
        for account_id, closure in closures:  # after the position's own alerts cleared
            self._explain(account_id, closure, now)
        self._show_live(snapshot)
        recorder = self.recorder
        if recorder is not None:
            self._guard(lambda: recorder.maybe_record(snapshot, now))
        return events

    def tick(self, now_ms: int | None = None) -> list[AlertEvent]:
        """Feed ages and snooze expiry (the timer calls this every second)."""
        events = self.engine.tick(self.clock() if now_ms is None else now_ms)
        return self._handle(events)

    def retire(self, subject: str, now_ms: int | None = None) -> list[AlertEvent]:
        """A position/account/feed/market went away: clear its alerts."""
        events = self.engine.retire(subject, self.clock() if now_ms is None else now_ms)
        return self._handle(events)

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
        self._update_severity()

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

    def account_severities(self) -> dict[str, Severity]:
        """Per account of the last snapshot: the worst level among the alerts in force about it and its
        positions (margin ratio, break move, distance; acknowledged or not), ``Severity.OK`` if none."""
        worst = dict.fromkeys(self._account_ids, Severity.OK)
        prefixes = [(account_id, account_id + ":") for account_id in self._account_ids]
        for event in self.engine.active():
            if event.kind in ("stale", "disconnected"):
                continue  # the feed's health has its own indicator on the card
            subject = event.subject
            for account_id, prefix in prefixes:
                if subject == account_id or subject.startswith(prefix):
                    worst[account_id] = max(worst[account_id], LEVEL_SEVERITY[event.level])
                    break
        return worst

    def _update_severity(self) -> None:
        severities = self.account_severities()
        if severities != self._severities:
            self._severities = severities
            self.severity_changed.emit(dict(severities))
            worst = max(severities.values(), default=Severity.OK)
            self.notifier.set_severity(worst.name.lower())

    def _with_actions(self, events: list[AlertEvent], snapshot: EngineSnapshot) -> list[AlertEvent]:
        """Position alerts start with what to do, in numbers (add margin / cut / stop)."""
        raised = [e for e in events if e.kind in POSITION_KINDS and not e.cleared]
        if not raised:
            return events
        # The solver takes tens of ms per position: in a burst only the most severe get their numbers
        # here (the toasts show three); the detail panel computes any selected row's on demand.
        raised.sort(key=lambda e: -level_rank(e.level))
        wanted = {e.subject for e in raised[:MAX_ACTIONS_PER_BATCH]}
        actions: dict[str, str] = {}
        tiers = self.engine.rules.distance_tiers
        for account in snapshot.accounts:
            prefix = account.account_id + ":"
            if not any(subject.startswith(prefix) for subject in wanted):
                continue
            for row in account.rows:
                key = position_key(row)
                if key in wanted:
                    actions[key] = row_action_text(account, row, tiers)
        return [
            dataclasses.replace(e, action=actions[e.subject])
            if e.kind in POSITION_KINDS and not e.cleared and actions.get(e.subject)
            else e
            for e in events
        ]

    def _show_live(self, snapshot: EngineSnapshot) -> None:
        """Each toast shows its subject's value now, with the data time of that value."""
        toasts = self.notifier.toast_area.toasts()
        if not toasts:
            return
        values = live_values(snapshot, {toast.subject for toast in toasts})
        lines: dict[str, str] = {}
        for toast in toasts:
            kind = toast.alert.kind
            value, detail = values.get(toast.subject, {}).get(kind, (None, ""))
            if toast.subject in values and kind in values[toast.subject]:
                lines[toast.subject] = live_line(kind, value, self._data_time_ms, detail)
        self.notifier.toast_area.set_live(lines)

    def _explain(self, account_id: str, closure: PositionClosure, now_ms: int) -> None:
        """Ask the venue why the position went; raise the alert when it answers (or at once if it can't)."""
        future = None
        if self.closure_lookup is not None:
            try:
                future = self.closure_lookup(account_id, closure)
            except Exception:  # a broken lookup must not cost the alert
                log.exception("liquidation history lookup failed")
        if future is None:
            self._raise_closure(closure, None, now_ms)
            return
        future.add_done_callback(
            lambda f: self._closure_answered.emit(closure, f.exception() if f.exception() else f.result())
        )

    def _on_closure_answer(self, closure: PositionClosure, answer: object) -> None:
        if isinstance(answer, BaseException):
            log.warning("liquidation history of %s unavailable: %s", closure.label, answer)
            answer = []
        records = answer if isinstance(answer, list) else []
        self._raise_closure(closure, match_record(closure, records), self.clock())

    def _raise_closure(self, closure: PositionClosure, record: object, now_ms: int) -> None:
        event = closure_event(closure, record, now_ms)  # type: ignore[arg-type]
        self._handle([self.engine.raise_event(event)])

    def _open_log(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def _handle(self, events: list[AlertEvent]) -> list[AlertEvent]:
        if not events:
            return events
        if self._data_time_ms is not None:
            data_ms = self._data_time_ms
            events = [
                e if e.data_time_ms is not None else dataclasses.replace(e, data_time_ms=data_ms)
                for e in events
            ]
        for event in events:
            row_id = 0
            if self.store is not None:
                row_id = self._guard(lambda s=self.store, e=event: s.record_alert(e)) or 0
            self.dock.add_event(event, row_id)
            self.notifier.notify(event)
        self.alerts_raised.emit(events)
        self._update_severity()
        return events

    def _guard(self, action: Callable[[], object]) -> object:
        try:
            return action()
        except (sqlite3.Error, StoreError, OSError) as exc:
            log.error("alert history store failed: %s", exc)
            if not self._store_broken:
                self._store_broken = True
                self.store_failed.emit(f"Alert history cannot be saved: {exc}")
            return None
