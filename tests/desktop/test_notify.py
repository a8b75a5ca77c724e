"""Alert delivery chain: tray where available, toast always, modal for critical, sound with fallback."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon

from desktop.ui import notify
from desktop.ui.notify import (
    AlertNotifier,
    AlertSound,
    DeliveryError,
    RecordingSound,
    Toast,
    TrayChannel,
)
from risk.alerts import AlertEngine, AlertEvent, FeedObservation, MarketObservation, PositionObservation

T0 = 1_764_000_000_000


class RecordingChannel:
    """A popup channel that records what it was given (optionally failing or unavailable)."""

    def __init__(self, name: str, *, available: bool = True, fail: bool = False) -> None:
        self.name = name
        self._available = available
        self._fail = fail
        self.events: list[AlertEvent] = []

    def available(self) -> bool:
        return self._available

    def deliver(self, event: AlertEvent) -> None:
        if self._fail:
            raise DeliveryError(f"{self.name} broke")
        self.events.append(event)


@pytest.fixture
def window(shown_window):
    return shown_window


def alert(distance: float, label: str = "BTC long") -> AlertEvent:
    (event,) = AlertEngine().observe_position(PositionObservation("p", distance, label=label), T0)
    return event


def test_offscreen_has_no_tray_so_the_toast_shows(window):
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen (house-style §8)
    notifier = AlertNotifier(window, sound=RecordingSound())
    used = notifier.notify(alert(0.09))
    assert used == ["toast", "sound:recorded"]
    (toast,) = notifier.toast_area.toasts()
    assert toast.isVisible() and notifier.toast_area.isVisible()
    assert "9.0 %" in toast.title_label.text()
    assert toast.property("level") == "warning"


def test_tray_is_used_when_available_and_critical_also_toasts(window):
    tray = RecordingChannel("tray")
    notifier = AlertNotifier(window, popup_channels=[tray], sound=RecordingSound())
    assert notifier.notify(alert(0.09)) == ["tray", "sound:recorded"]  # warning: tray only
    assert notifier.toast_area.toasts() == []
    used = notifier.notify(alert(0.03))  # critical: tray and a sticky toast
    assert used == ["tray", "toast", "sound:recorded"]
    assert len(tray.events) == 2
    assert [t.sticky for t in notifier.toast_area.toasts()] == [True]


def test_failing_channel_falls_through_to_the_next_and_is_reported(window, qtbot, caplog):
    broken = RecordingChannel("tray", fail=True)
    notifier = AlertNotifier(window, popup_channels=[broken, notifier_toast := RecordingChannel("backup")])
    notifier.sound = RecordingSound()
    failures: list[tuple[str, str]] = []
    notifier.channel_failed.connect(lambda name, error: failures.append((name, error)))
    with caplog.at_level(logging.WARNING, logger="desktop.ui.notify"):
        used = notifier.notify(alert(0.09))
    assert used == ["backup", "sound:recorded"]
    assert failures == [("tray", "tray broke")]
    assert "tray failed" in caplog.text and len(notifier_toast.events) == 1


def test_every_popup_failing_still_ends_in_a_toast(window):
    notifier = AlertNotifier(
        window,
        popup_channels=[RecordingChannel("a", fail=True), RecordingChannel("b", available=False)],
        sound=RecordingSound(),
    )
    assert notifier.notify(alert(0.09))[0] == "toast"
    assert len(notifier.toast_area.toasts()) == 1


def test_info_is_toast_only_and_silent_and_a_clear_closes_the_toast(window):
    tray = RecordingChannel("tray")
    sound = RecordingSound()
    notifier = AlertNotifier(window, popup_channels=[tray], sound=sound)
    engine = AlertEngine()
    (info,) = engine.observe_position(PositionObservation("p", 0.15), T0)
    assert notifier.notify(info) == ["toast"] and sound.levels == [] and tray.events == []
    (cleared,) = engine.observe_position(PositionObservation("p", 0.5), T0 + 1)
    assert notifier.notify(cleared) == []  # logged, not popped up
    assert notifier.toast_area.toasts() == []  # the out-of-date toast went


def test_a_clear_keeps_a_critical_toast_waiting_for_acknowledgement(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    engine = AlertEngine()
    (critical,) = engine.observe_position(PositionObservation("p", 0.03), T0)
    notifier.notify(critical)
    (cleared,) = engine.observe_position(PositionObservation("p", 0.5), T0 + 1)
    notifier.notify(cleared)
    (toast,) = notifier.toast_area.toasts()
    assert toast.alert.key == "distance:p" and toast.sticky
    assert "Eased since" in toast.message_label.text()


def test_sound_off_plays_nothing(window):
    sound = RecordingSound()
    notifier = AlertNotifier(window, sound=sound, sound_enabled=False)
    assert notifier.notify(alert(0.03)) == ["toast"]
    assert sound.levels == []


def test_critical_modal_opens_without_blocking_and_acknowledges(window, qtbot):
    notifier = AlertNotifier(window, critical_modal=True, sound=RecordingSound())
    acked: list[str] = []
    notifier.acknowledge_requested.connect(acked.append)
    used = notifier.notify(alert(0.03))  # returns: open() does not block
    assert "modal" in used
    (dialog,) = notifier.modal_channel.dialogs
    assert isinstance(dialog, QDialog) and dialog.isVisible() and dialog.isModal()
    ack_button = next(b for b in dialog.findChildren(notify.QPushButton) if b.text() == "Acknowledge")
    ack_button.click()
    assert acked == ["distance:p"]
    qtbot.waitUntil(lambda: notifier.modal_channel.dialogs == [])


def test_toast_buttons_emit_ack_and_snooze_and_close_it_at_once(window, qtbot):
    notifier = AlertNotifier(window, sound=RecordingSound())
    acked: list[str] = []
    snoozed: list[str] = []
    notifier.acknowledge_requested.connect(acked.append)
    notifier.snooze_requested.connect(snoozed.append)
    notifier.notify(alert(0.03))
    (toast,) = notifier.toast_area.toasts()
    assert toast.ack_button.isVisibleTo(toast) and not toast.dismiss_button.isVisibleTo(toast)
    toast.snooze_button.click()
    assert snoozed == ["distance:p"] and notifier.toast_area.toasts() == []  # gone at once, even critical
    notifier.notify(alert(0.03))
    (toast,) = notifier.toast_area.toasts()
    toast.ack_button.click()
    assert acked == ["distance:p"]
    assert notifier.toast_area.toasts() == []
    qtbot.waitUntil(lambda: not notifier.toast_area.isVisible())


def test_non_sticky_toast_times_out(window, qtbot, monkeypatch):
    monkeypatch.setitem(notify.TOAST_TIMEOUT_MS, "warning", 50)
    notifier = AlertNotifier(window, sound=RecordingSound())
    notifier.notify(alert(0.09))
    qtbot.waitUntil(lambda: notifier.toast_area.toasts() == [], timeout=2000)


def test_one_toast_per_subject_updated_in_place(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    engine = AlertEngine()
    notifier.notify(alert(0.19))
    notifier.notify(alert(0.09))  # same key: replaces
    (toast,) = notifier.toast_area.toasts()
    assert toast.alert.tier == 2
    # An isolated position's margin-ratio alert is about the same subject: the same toast, not a second.
    for event in engine.observe_position(PositionObservation("p", 0.03, margin_ratio=0.95), T0):
        notifier.notify(event)
    assert notifier.toast_area.toasts() == [toast]
    assert set(toast.keys()) == {"distance:p", "position_margin_ratio:p"} and toast.sticky
    notifier.toast_area.set_live({"p": "distance 0.8 % · 21:17:25 UTC"})
    assert toast.value_label.text() == "distance 0.8 % · 21:17:25 UTC"


def test_at_most_three_visible_the_rest_collapsed(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    engine = AlertEngine()
    for i in range(5):
        notifier.notify(engine.observe_feed(FeedObservation(f"f{i}", T0, 1000), T0 + 10_000)[0])
    notifier.notify(engine.observe_position(PositionObservation("crit", 0.03), T0 + 10_000)[0])
    area = notifier.toast_area
    assert len(area.toasts()) == 6
    visible = area.visible_toasts()
    assert len(visible) == notify.MAX_VISIBLE_TOASTS == 3
    assert visible[0].subject == "crit"  # waiting for acknowledgement: always on screen
    assert area.more_button.isVisible() and area.more_button.text().startswith("3 more")
    opened: list[bool] = []
    area.open_alerts_requested.connect(lambda: opened.append(True))
    area.more_button.click()
    assert opened == [True]


def test_clear_of_a_warning_removes_it_from_its_toast(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    engine = AlertEngine()
    (warning,) = engine.observe_position(PositionObservation("p", 0.09), T0)
    notifier.notify(warning)
    (cleared,) = engine.observe_position(PositionObservation("p", 0.5), T0 + 1)
    notifier.notify(cleared)
    assert notifier.toast_area.toasts() == []


def test_strip_lays_toasts_side_by_side(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    notifier.toast_area.use_as_strip()
    engine = AlertEngine()
    for i in range(2):
        notifier.notify(engine.observe_position(PositionObservation(f"p{i}", 0.03), T0)[0])
    notifier.toast_area.show()  # the strip's owner shows it (the main window's toolbar row)
    notifier.toast_area.layout().activate()
    first, second = notifier.toast_area.toasts()
    assert first.y() == second.y() and first.x() != second.x()


def test_toast_area_sits_inside_the_window_top_right(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    notifier.notify(alert(0.09))
    area = notifier.toast_area
    assert area.parentWidget() is window
    assert area.geometry().right() <= window.width() and area.y() >= 0
    assert area.x() > window.width() // 3
    window.resize(1000, 700)
    assert area.geometry().right() == 1000 - 12 - 1


def test_toast_without_window_is_a_top_level_tool(qtbot):
    notifier = AlertNotifier(None, sound=RecordingSound())
    notifier.notify(alert(0.09))
    qtbot.addWidget(notifier.toast_area)
    assert notifier.toast_area.isWindow() and notifier.toast_area.isVisible()


def test_tray_channel_follows_qt_availability():
    channel = TrayChannel()
    expected = QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()
    assert channel.available() is expected


def test_sound_falls_back_to_beep_without_qtmultimedia(monkeypatch, caplog):
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import now raises ImportError
    sound = AlertSound()
    with caplog.at_level(logging.WARNING, logger="desktop.ui.notify"):
        assert sound.play("critical") == "beep"
        assert sound.play("warning") == "beep"
    assert beeps == [1, 1]
    assert "QtMultimedia unavailable" in (sound.fallback_reason or "")
    assert caplog.text.count("using the system beep") == 1  # logged once, not per alert


def test_sound_without_audio_output_beeps(monkeypatch):
    pytest.importorskip("PySide6.QtMultimedia", exc_type=ImportError)
    from PySide6.QtMultimedia import QMediaDevices

    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    monkeypatch.setattr(QMediaDevices, "audioOutputs", staticmethod(lambda: []))
    sound = AlertSound()
    assert sound.play("warning") == "beep" and beeps == [1]
    assert sound.fallback_reason == "no audio output device"


def test_shipped_sound_files_are_short_wavs():
    import wave

    from desktop.resources import resources_path

    for name in notify.SOUND_FILES.values():
        with wave.open(str(resources_path("sounds", name))) as wav:
            seconds = wav.getnframes() / wav.getframerate()
            assert wav.getsampwidth() == 2 and wav.getnchannels() == 1 and 0.2 < seconds < 1.0


def test_toast_shows_reasons_in_tooltip(qtbot):
    toast = Toast(alert(0.09))
    qtbot.addWidget(toast)
    assert "distance to liquidation 9.0 %" in toast.message_label.toolTip()


def test_critical_dialogs_one_per_key_and_at_most_three(window, qtbot):
    notifier = AlertNotifier(window, critical_modal=True, sound=RecordingSound())
    engine = AlertEngine()
    for i in range(5):
        notifier.notify(engine.observe_position(PositionObservation(f"p{i}", 0.03), T0)[0])
    assert len(notifier.modal_channel.dialogs) == notify.MAX_DIALOGS
    keys = [d.alert.key for d in notifier.modal_channel.dialogs]
    assert keys == ["distance:p2", "distance:p3", "distance:p4"]
    engine.observe_position(PositionObservation("p4", 0.5), T0 + 1)
    notifier.notify(engine.observe_position(PositionObservation("p4", 0.03), T0 + 2)[0])
    assert [d.alert.key for d in notifier.modal_channel.dialogs].count("distance:p4") == 1


def test_sound_is_preloaded_after_start_not_on_the_first_alert(window, qtbot, monkeypatch):
    monkeypatch.setattr(notify, "PRELOAD_DELAY_MS", 10)
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # keep the test independent of audio
    notifier = AlertNotifier(window)
    assert notifier.sound._effects is None
    qtbot.waitUntil(lambda: notifier.sound._effects is not None, timeout=2000)
    assert "QtMultimedia unavailable" in (notifier.sound.fallback_reason or "")


def test_tray_icon_carries_the_worst_level(qtbot):
    from PySide6.QtGui import QColor, QIcon, QPixmap

    base = QPixmap(64, 64)
    base.fill(QColor("#000000"))
    icon = QIcon(base)
    assert notify.severity_icon(icon, "ok") is icon
    marked = notify.severity_icon(icon, "critical").pixmap(64, 64).toImage()
    assert marked.pixelColor(49, 49).name() == notify.SEVERITY_DOT["critical"]


def test_pressing_own_book_alerts_come_before_eased_and_market_ones(window):
    notifier = AlertNotifier(window, sound=RecordingSound())
    engine = AlertEngine()
    engine.observe_market(MarketObservation("BTC", 10, "calm"), T0)
    for event in engine.observe_market(MarketObservation("BTC", 90, "firing"), T0 + 1):
        notifier.notify(event)
    for event in engine.observe_market(MarketObservation("BTC", 60, "exhausting"), T0 + 2):
        notifier.notify(event)  # eased: still waiting for acknowledgement, but no longer pressing
    for i in range(3):
        notifier.notify(engine.observe_feed(FeedObservation(f"f{i}", T0, 1000), T0 + 10_000)[0])
    notifier.notify(engine.observe_position(PositionObservation("p", 0.03), T0 + 3)[0])
    visible = [t.subject for t in notifier.toast_area.visible_toasts()]
    assert visible[0] == "p" and "BTC" not in visible


def test_strip_toast_of_a_liquidated_position_shows_what_happened_not_a_stale_value(window):
    """In the strip a toast hides its message line (title and value say it) except for a position that
    is gone: there the message (size, price, realised loss) is the news and its last value misleads."""
    import dataclasses

    notifier = AlertNotifier(window, sound=RecordingSound())
    notifier.toast_area.use_as_strip()
    tiered = alert(0.03)
    notifier.notify(tiered)
    (toast,) = notifier.toast_area.toasts()
    notifier.toast_area.show()
    assert toast.value_label.isVisible() and not toast.message_label.isVisible()
    assert tiered.message in toast.toolTip()
    gone = dataclasses.replace(
        tiered,
        kind="liquidated",
        level="critical",
        message="2 BTC long liquidated at 96.00; realised -10.00 USDT.",
    )
    toast.update_event(gone)
    toast.set_live("margin ratio 379.3 % · 21:14:25 UTC")
    assert toast.alert.kind == "liquidated"
    assert toast.message_label.isVisible() and "realised -10.00 USDT" in toast.message_label.text()
    assert not toast.value_label.isVisible()
