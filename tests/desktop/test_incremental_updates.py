"""Per-account reuse on the GUI thread: the table and the alert rules skip accounts whose rows tuple the
engine kept, and still show and judge every account that changed."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from ui_fixtures import make_row

from desktop.engine.alert_center import AlertCenter
from desktop.engine.snapshots import AccountSnapshot, EngineSnapshot, FeedStatus, PositionRow, Severity
from desktop.settings import AppConfig
from desktop.ui.notify import AlertNotifier, RecordingSound
from desktop.ui.positions_model import COLUMNS, PositionsTableModel
from risk.alerts import AlertEvent

NOW = 1_760_000_000_000
DISTANCE = [c.header for c in COLUMNS].index("Distance")


def rows_of(account_id: str, *distances: float) -> tuple[PositionRow, ...]:
    return tuple(
        dataclasses.replace(make_row(f"C{i}/USDT:USDT", d, Severity.OK), account_id=account_id)
        for i, d in enumerate(distances)
    )


def test_a_changed_group_updates_only_its_rows_without_a_reset(qtbot):
    model = PositionsTableModel()
    a, b = rows_of("a", 0.30, 0.10), rows_of("b", 0.20, 0.40)
    model.set_groups([a, b])
    model.sort(DISTANCE)  # shown order: a1 (0.10), b0 (0.20), a0 (0.30), b1 (0.40)
    model.set_groups([a, b])
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    moved = rows_of("b", 0.21, 0.41)
    with qtbot.assertNotEmitted(model.modelReset):
        assert model.set_groups([a, moved]) is False
    assert changed == [(1, 3)]  # b's rows sit at 1 and 3; a's rows were not touched
    assert [r.distance for r in model.rows] == [0.10, 0.21, 0.30, 0.41]  # the sorted order is kept


def test_a_group_whose_rows_changed_resets_the_model(qtbot):
    model = PositionsTableModel()
    a, b = rows_of("a", 0.30), rows_of("b", 0.20)
    model.set_groups([a, b])
    with qtbot.waitSignal(model.modelReset):
        assert model.set_groups([a, rows_of("b", 0.20, 0.50)]) is True
    assert len(model.rows) == 3


def snapshot(sequence: int, *accounts: tuple[str, tuple[PositionRow, ...]]) -> EngineSnapshot:
    feed = FeedStatus("feed", "Feed", 1.0, last_update=NOW / 1000, started_at=NOW / 1000)
    views = tuple(AccountSnapshot(name, name, "binanceusdm", feed, rows=rows) for name, rows in accounts)
    return EngineSnapshot(sequence, NOW / 1000, NOW / 1000, views, {}, (feed,))


def distance_events(events: list[AlertEvent]) -> list[tuple[str, bool]]:
    return [(e.subject, e.cleared) for e in events if e.kind == "distance"]


def test_kept_accounts_keep_their_alerts_and_changed_ones_are_judged(shown_window):
    notifier = AlertNotifier(shown_window, sound=RecordingSound())
    center = AlertCenter(shown_window, AppConfig(), notifier=notifier, clock=lambda: NOW)
    shown_window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, center.dock)
    center.timer.stop()
    near, far = rows_of("a", 0.08), rows_of("b", 0.30)
    raised = center.process_snapshot(snapshot(1, ("a", near), ("b", far)))
    assert distance_events(raised) == [("a:C0/USDT:USDT:long", False)]
    # "a" kept (same tuple), "b" moved into the 10 % tier: only b raises, a's alert stays in force.
    events = center.process_snapshot(snapshot(2, ("a", near), ("b", rows_of("b", 0.09))))
    assert distance_events(events) == [("b:C0/USDT:USDT:long", False)]
    # "a" is re-assessed away from liquidation: its alert clears.
    events = center.process_snapshot(snapshot(3, ("a", rows_of("a", 0.30)), ("b", rows_of("b", 0.09))))
    assert distance_events(events) == [("a:C0/USDT:USDT:long", True)]
