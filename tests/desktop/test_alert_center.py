"""Alerts end to end in the GUI: rules → store → alerts dock → toast; acknowledge, snooze, restart."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from desktop.engine.alert_center import AlertCenter
from desktop.settings import AppConfig
from desktop.store import HistoryStore
from desktop.ui.alerts_dock import ALERT_ROLE, COLUMNS, AlertsDock
from desktop.ui.notify import AlertNotifier, RecordingSound
from risk.alerts import AccountObservation, FeedObservation, PositionObservation

NOW = time.time_ns() // 1_000_000


class Clock:
    def __init__(self, start: int) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def window(shown_window):
    return shown_window


def make_center(window, store=None, config=None, clock=None) -> AlertCenter:
    config = config or AppConfig()
    notifier = AlertNotifier(window, sound=RecordingSound())
    center = AlertCenter(window, config, store, notifier=notifier, clock=clock or Clock(NOW))
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, center.dock)
    center.timer.stop()  # tests drive tick() themselves
    return center


def column_text(dock: AlertsDock, column: str) -> list[str]:
    model = dock.proxy
    return [model.index(r, COLUMNS.index(column)).data() for r in range(model.rowCount())]


def pos(distance: float) -> PositionObservation:
    return PositionObservation("bn:BTC:long", distance, label="BTC long")


def test_crossing_a_tier_raises_one_alert_not_several(window, tmp_path):
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        center = make_center(window, store)
        for i, d in enumerate([0.3, 0.095, 0.098, 0.093, 0.1, 0.097]):
            center.process([pos(d)], NOW + i * 1000)
        assert center.dock.model.rowCount() == 1
        assert len(center.notifier.toast_area.toasts()) == 1
        assert store.alert_count() == 1
        assert center.notifier.sound.levels == ["warning"]
        assert "9.5 %" in column_text(center.dock, "title")[0]


def test_snooze_silences_it(window):
    clock = Clock(NOW)
    center = make_center(window, config=AppConfig(snooze_minutes=10), clock=clock)
    center.process([pos(0.09)], NOW)
    until = center.snooze("distance:bn:BTC:long")
    assert until == NOW + 10 * 60_000
    assert "Snoozed until" in column_text(center.dock, "status")[0]
    for i, d in enumerate([0.5, 0.09, 0.5, 0.08]):  # clears and re-crosses while snoozed
        center.process([pos(d)], NOW + 1000 + i)
    assert center.dock.model.rowCount() == 1
    assert center.notifier.sound.levels == ["warning"]
    # After the snooze, the alert still in force is raised again.
    assert len(center.tick(until)) == 1 and center.dock.model.rowCount() == 2


def test_stale_feed_raises_its_alert(window):
    center = make_center(window)
    feed = FeedObservation("bn:positions", NOW, 5_000, label="Binance positions")
    assert center.process([feed], NOW + 1_000) == []
    assert center.tick(NOW + 10_000) == []
    (event,) = center.tick(NOW + 18_000)  # 3 x 5 s + the 2 s jitter allowance
    assert event.kind == "stale" and event.level == "warning"
    assert column_text(center.dock, "title") == ["Binance positions: data is stale"]
    (toast,) = center.notifier.toast_area.toasts()
    assert toast.alert.key == "stale:bn:positions"


def test_toast_appears_when_the_tray_is_unavailable(window):
    center = make_center(window)
    center.process([AccountObservation("bn", margin_ratio=0.95)], NOW)
    (toast,) = center.notifier.toast_area.toasts()
    assert toast.isVisible() and toast.sticky  # critical: stays until acknowledged


def test_acknowledge_from_the_dock_updates_engine_store_toast(window, tmp_path, qtbot):
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        center = make_center(window, store)
        center.process([pos(0.03)], NOW)
        assert len(center.engine.unacknowledged()) == 1
        dock = center.dock
        assert column_text(dock, "status") == ["Needs acknowledgement"]
        dock.table.selectRow(0)
        assert dock.ack_button.isEnabled()
        dock.ack_button.click()
        assert center.engine.unacknowledged() == []
        assert store.unacknowledged_alerts() == []
        assert column_text(dock, "status")[0].startswith("Acknowledged")
        assert center.notifier.toast_area.toasts() == []
        assert not dock.ack_button.isEnabled()


def test_dock_lists_stored_alerts_after_a_restart(window, qtbot, tmp_path):
    path = tmp_path / "history.sqlite3"
    first_store = HistoryStore(path)
    center = make_center(window, first_store)
    center.process([pos(0.09)], NOW)
    center.process([pos(0.03), AccountObservation("bn", 0.75)], NOW + 1000)
    first_titles = column_text(center.dock, "title")
    assert len(first_titles) == 3
    first_store.close()

    restarted = QMainWindow()
    qtbot.addWidget(restarted)
    with HistoryStore(path) as second_store:  # a new store object on the same file
        again = make_center(restarted, second_store)
        assert column_text(again.dock, "title") == first_titles  # newest first, same rows
        row = again.dock.proxy.index(0, 0).data(ALERT_ROLE)
        assert row.id > 0 and row.event.timestamp_ms == NOW + 1000
        assert "Needs acknowledgement" in column_text(again.dock, "status")


def test_level_filter(window):
    center = make_center(window)
    center.process([pos(0.19)], NOW)  # info
    center.process([pos(0.09)], NOW + 1)  # warning
    center.process([pos(0.03)], NOW + 2)  # critical
    dock = center.dock
    assert dock.proxy.rowCount() == 3
    dock.filter_box.setCurrentIndex(1)
    assert dock.proxy.rowCount() == 2
    dock.filter_box.setCurrentIndex(2)
    assert dock.proxy.rowCount() == 1
    dock.filter_box.setCurrentIndex(3)
    assert dock.proxy.rowCount() == 1
    assert "to acknowledge" in dock.count_label.text()


def test_model_is_bounded(window):
    dock = AlertsDock(window, max_rows=3)
    center = AlertCenter(
        window, AppConfig(), notifier=AlertNotifier(window, sound=RecordingSound()), dock=dock
    )
    center.timer.stop()
    for i in range(5):
        center.process([PositionObservation(f"p{i}", 0.09)], NOW + i)
    assert dock.model.rowCount() == 3
    assert dock.model.rows()[0].event.subject == "p4"


def test_bad_observation_is_logged_not_raised(window, caplog):
    center = make_center(window)
    assert center.process(["not an observation"], NOW) == []  # type: ignore[list-item]
    assert "alert observations rejected" in caplog.text


def test_broken_store_is_reported_once_and_alerts_still_show(window, tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    center = make_center(window, store)
    messages: list[str] = []
    center.store_failed.connect(messages.append)
    store.close()  # every store call now fails
    center.process([pos(0.09)], NOW)
    center.process([pos(0.03)], NOW + 1)
    assert len(messages) == 1 and "cannot be saved" in messages[0]
    assert center.dock.model.rowCount() == 2


def test_apply_config_changes_thresholds_and_sound(window):
    center = make_center(window)
    center.process([pos(0.15)], NOW)
    assert [r.event.tier for r in center.dock.model.rows()] == [1]  # 20 % tier of the defaults
    center.apply_config(AppConfig(distance_tiers=(0.5, 0.3, 0.2), sound_enabled=False))
    events = center.process([pos(0.15)], NOW + 1)
    assert [(e.tier, e.level, e.startup) for e in events] == [(3, "critical", True)]
    assert center.notifier.sound.levels == []  # info is silent, and sound is now off
    assert center.notifier.sound_enabled is False


def test_snoozing_an_alert_from_an_earlier_session_silences_its_tier(window, qtbot, tmp_path):
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as store:
        make_center(window, store).process([pos(0.09)], NOW)
    restarted = QMainWindow()
    qtbot.addWidget(restarted)
    with HistoryStore(path) as store:
        center = make_center(restarted, store)  # a fresh engine: it has never seen this key
        center.snooze("distance:bn:BTC:long")
        assert center.process([pos(0.09)], NOW + 1000) == []  # the snoozed tier stays quiet
        assert [e.tier for e in center.process([pos(0.03)], NOW + 2000)] == [3]  # a worse one breaks through


def test_regime_unchanged_since_the_last_session_raises_nothing(window, tmp_path):
    from risk.alerts import MarketObservation

    with HistoryStore(tmp_path / "h.db") as store:
        first = make_center(window, store)
        first.process([MarketObservation("BTC", 20, "calm")], NOW)
        (event,) = [
            e for e in first.process([MarketObservation("BTC", 90, "firing")], NOW + 1) if e.kind == "regime"
        ]
        assert event.level == "critical"
        assert store.last_regimes() == {"BTC": "firing"}
        first.close()
        second = make_center(window, store)  # the next session
        assert second.process([MarketObservation("BTC", 90, "firing")], NOW + 60_000) == []
        events = second.process([MarketObservation("ETH", 40, "loaded")], NOW + 60_000)
        assert events == []  # no last session for ETH, and "loaded" is not critical: not news at start-up
        second.close()
