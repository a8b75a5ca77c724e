"""Escalation, quiet hours and rate limits in the window: real AlertCenter, PushBridge with its QTimer,
apprise's json:// plugin, a local receiver (pytest-qt)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from desktop.engine.alert_center import AlertCenter
from desktop.settings import AppConfig
from desktop.ui.notify import AlertNotifier, RecordingSound
from desktop.watch.config import AlwaysOnConfig, ChannelConfig
from desktop.watch.escalation import Escalator
from desktop.watch.push import PushRouter
from desktop.watch.qt_bridge import PushBridge
from risk.alerts import PositionObservation
from tests.watch.helpers import Clock, event
from tests.watch.receiver import Receiver

KEY = "distance:bn:BTC:long"


def pos(distance: float, key: str = "bn:BTC:long") -> PositionObservation:
    return PositionObservation(key, distance, label=f"{key} ")


@pytest.fixture
def rx():
    with Receiver() as receiver:
        yield receiver


def make(window, rx: Receiver, clock: Clock, minute: list[int] | None = None, **channel: object):
    config = AppConfig(always_on=AlwaysOnConfig(escalation_minutes=2))
    notifier = AlertNotifier(window, sound=RecordingSound())
    center = AlertCenter(window, config, None, notifier=notifier, clock=clock.ms)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, center.dock)
    router = PushRouter(
        [(ChannelConfig("rx", "phone", **channel), rx.url)],  # type: ignore[arg-type]
        clock=clock,
        minutes=lambda _t: (minute or [12 * 60])[0],
    )
    bridge = PushBridge(center, config, router=router, clock=clock)
    return center, bridge


def test_an_unacknowledged_critical_is_pushed_after_two_minutes(qtbot, shown_window, rx) -> None:
    clock = Clock()
    center, bridge = make(shown_window, rx, clock)
    center.process([pos(0.04)], clock.ms())  # 4 % from liquidation: critical (5 % tier)
    assert bridge.escalator.pending == [KEY]
    clock.now += 119
    qtbot.wait(1300)  # the bridge's 1-second timer runs: not yet due
    assert rx.received() == []
    clock.now += 1
    qtbot.waitUntil(lambda: len(rx.received()) == 1, timeout=10_000)
    (post,) = rx.received()
    assert post["type"] == "failure"
    assert post["title"].endswith("(not acknowledged for 2 min)")
    assert "distance to liquidation 4.0 % at or below 5.0 %" in post["message"]
    clock.now += 600
    qtbot.wait(1300)
    assert len(rx.received()) == 1  # escalated once
    bridge.close()


def test_acknowledging_in_the_window_stops_the_escalation(qtbot, shown_window, rx) -> None:
    clock = Clock()
    center, bridge = make(shown_window, rx, clock)
    center.process([pos(0.04)], clock.ms())
    clock.now += 60
    center.dock.acknowledge_requested.emit(KEY)  # what the dock's Acknowledge button sends
    assert bridge.escalator.pending == []
    clock.now += 600
    qtbot.wait(1300)
    assert rx.received() == []
    bridge.close()


def test_away_from_the_window_alerts_are_pushed_at_once(qtbot, shown_window, rx) -> None:
    clock = Clock()
    center, bridge = make(shown_window, rx, clock)
    shown_window.hide()  # closed to the tray
    center.process([pos(0.09)], clock.ms())  # warning
    qtbot.waitUntil(lambda: len(rx.received()) == 1, timeout=10_000)
    assert rx.received()[0]["type"] == "warning"
    bridge.close()


def test_quiet_hours_in_the_window_hold_warnings_and_the_timer_sends_the_summary(
    qtbot, shown_window, rx
) -> None:
    clock, minute = Clock(), [23 * 60]
    center, bridge = make(shown_window, rx, clock, minute, quiet_start="22:00", quiet_end="07:00")
    shown_window.hide()
    center.process([pos(0.09, "a")], clock.ms())  # warning, quiet hours: held
    center.process([pos(0.04, "b")], clock.ms())  # critical: through at once, with the summary
    qtbot.waitUntil(lambda: len(rx.received()) == 1, timeout=10_000)
    first = rx.received()[0]
    assert first["type"] == "failure"
    assert "Held back (quiet hours): 1 alerts (1 warning)" in first["message"]
    center.process([pos(0.09, "c")], clock.ms())
    qtbot.wait(1300)
    assert len(rx.received()) == 1
    minute[0] = 7 * 60 + 1  # quiet hours end: the bridge's timer sends what was held
    qtbot.waitUntil(lambda: len(rx.received()) == 2, timeout=10_000)
    assert "Held back (quiet hours): 1 alerts (1 warning)" in rx.received()[1]["message"]
    bridge.close()


def test_rate_limit_in_the_window_holds_back_and_summarises(qtbot, shown_window, rx) -> None:
    clock = Clock()
    center, bridge = make(shown_window, rx, clock, rate_limit_per_hour=2)
    shown_window.hide()
    for i in range(4):
        center.process([pos(0.09, f"p{i}")], clock.ms())
        clock.now += 10
    qtbot.waitUntil(lambda: len(rx.received()) == 2, timeout=10_000)
    qtbot.wait(1300)
    assert len(rx.received()) == 2  # two warnings held back
    clock.now += 3600
    qtbot.waitUntil(lambda: len(rx.received()) == 3, timeout=10_000)
    summary = rx.received()[2]
    assert summary["title"] == "LiqGuard: 2 alerts held back"
    assert "Held back (rate limit): 2 alerts (2 warning)" in summary["message"]
    bridge.close()


def test_a_failing_channel_shows_in_the_window(qtbot, shown_window) -> None:
    clock = Clock()
    with Receiver(status=500) as bad:
        center, bridge = make(shown_window, bad, clock)
        shown_window.hide()
        with qtbot.waitSignal(bridge.channel_failed, timeout=15_000) as signal:
            center.process([pos(0.04)], clock.ms())
        bridge.close()
    assert signal.args[0].startswith("Push channel 'phone' failed:")


def test_escalator_keeps_the_first_deadline_and_notes_an_eased_alert() -> None:
    clock = Clock()
    escalator = Escalator(120, clock)
    escalator.add([event("critical", "a")])
    clock.now += 100
    raised_again = dataclasses.replace(event("critical", "a"), message="again")
    escalator.add([raised_again])
    escalator.add([dataclasses.replace(event("info", "a"), cleared=True)])
    clock.now += 20
    (due,) = escalator.due()
    assert due.event.message == "again" and due.eased
    assert escalator.due() == []


def test_quitting_the_window_pushes_stopped_monitoring_and_a_gap_is_reported(
    qtbot, shown_window, rx, tmp_path
) -> None:
    import json
    import time

    from desktop.watch.uptime import AliveRecord

    clock = Clock()
    center, bridge = make(shown_window, rx, clock)
    record = AliveRecord(tmp_path / "alive.json")
    record.path.write_text(json.dumps({"last_alive": time.time() - 7200, "clean": True}))
    center.process([pos(0.04)], clock.ms())
    bridge.start_uptime(center, record)
    qtbot.waitUntil(lambda: len(rx.received()) == 1, timeout=15_000)
    report = rx.received()[0]
    assert report["title"] == "LiqGuard was not monitoring for 2 h 0 min"
    assert "after a clean stop" in report["message"] and "In force now: 1 critical." in report["message"]
    bridge.close(notify_stop=True)
    assert rx.received()[-1]["title"] == "LiqGuard stopped monitoring"
    assert record.read() is not None and record.read().clean
