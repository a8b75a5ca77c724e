"""Start-up problems reach the window (issue #10): a damaged settings or accounts file shows a banner."""

from __future__ import annotations

import argparse

from PySide6.QtCore import QTimer

from desktop import app as app_module
from desktop.accounts import AccountsStore
from desktop.settings import config_path
from desktop.ui.main_window import MainWindow
from desktop.ui.problem_banner import ProblemBanner


def test_damaged_settings_and_accounts_files_show_in_the_window(qtbot, monkeypatch, memory_keyring) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_bytes(b"\xff\xfe not utf-8")
    AccountsStore().path.write_bytes(b"[" * 100_000)
    shown: list[MainWindow] = []
    real_build = app_module.build_main_window

    def build(*args, **kwargs):
        window = real_build(*args, **kwargs)
        qtbot.addWidget(window)
        shown.append(window)
        return window

    monkeypatch.setattr(app_module, "build_main_window", build)
    app = app_module.create_qapp()
    args = argparse.Namespace(smoke=False, demo=False, screenshot=None, after=0.0)
    QTimer.singleShot(200, app.quit)
    app_module.run_app(args)
    (window,) = shown
    banner = window.findChild(ProblemBanner)
    assert banner is not None and not banner.isHidden()
    text = banner.label.text()
    assert "settings file" in text and "UTF-8" in text
    assert "accounts file" in text and "nested" in text
    assert window.alert_center is not None
    window.engine.stop()
    if window.alert_center.store is not None:
        window.alert_center.store.close()
