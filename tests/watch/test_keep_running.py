"""The window keeps running in the tray, comes to the front on request, writes the login entry."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.settings import AppConfig
from desktop.watch import autostart
from desktop.watch.config import AlwaysOnConfig
from desktop.watch.qt_tray import WindowKeeper


def test_a_second_start_brings_the_hidden_window_to_the_front(qtbot, shown_window) -> None:
    keeper = WindowKeeper(shown_window, AppConfig())
    shown_window.hide()
    threading.Thread(target=keeper.show_requested.emit).start()  # the instance listener's thread
    qtbot.waitUntil(shown_window.isVisible, timeout=5000)


# faking the tray makes Qt look for the platform's tray window, which offscreen has not
@pytest.mark.qt_log_ignore("^QObject::connect: No such signal QPlatformNativeInterface")
def test_closing_hides_to_the_tray_and_quit_really_closes(qtbot, shown_window, monkeypatch) -> None:
    # The offscreen platform has no system tray; pretend one is there to exercise the close path.
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    config = AppConfig(always_on=AlwaysOnConfig(keep_in_tray=True))
    keeper = WindowKeeper(shown_window, config)
    assert keeper.keep_in_tray and keeper.tray is not None
    shown_window.close()
    assert not shown_window.isVisible()
    keeper.bring_to_front()
    assert shown_window.isVisible()
    quits = []
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.quit", lambda *a: quits.append(True))
    keeper.quit()
    assert not shown_window.isVisible() and quits == [True]


def test_without_a_tray_closing_closes(qtbot, shown_window) -> None:
    keeper = WindowKeeper(shown_window, AppConfig(always_on=AlwaysOnConfig(keep_in_tray=True)))
    if QSystemTrayIcon.isSystemTrayAvailable():
        return  # a real desktop: the tray path is the one above
    assert not keeper.keep_in_tray


def test_start_at_login_setting_writes_and_removes_the_entry(qtbot, shown_window, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    config = AppConfig()
    keeper = WindowKeeper(shown_window, config)
    on = dataclasses.replace(config, always_on=AlwaysOnConfig(start_at_login=True))
    keeper.apply_config(on)
    entry = tmp_path / "autostart" / "org.liqguard.LiqGuard.desktop"
    assert entry.exists() and autostart.is_enabled()
    keeper.apply_config(config)
    assert not entry.exists()
