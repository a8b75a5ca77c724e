"""Test set-up shared by every test; must run before any Qt import."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """No test reads or writes the developer's real settings, data or QSettings (house-style §11).

    Redirects ``desktop.settings`` (LIQGUARD_CONFIG_DIR), ``desktop.store`` (LIQGUARD_DATA_DIR),
    ``platformdirs`` and QSettings' IniFormat user scope into a fresh temporary folder; yields it.
    """
    root = tmp_path_factory.mktemp("isolated")
    monkeypatch.setenv("LIQGUARD_CONFIG_DIR", str(root / "config"))
    monkeypatch.setenv("LIQGUARD_DATA_DIR", str(root / "data"))
    for name in ("user_config_dir", "user_data_dir", "user_state_dir", "user_cache_dir", "user_log_dir"):
        monkeypatch.setattr(f"platformdirs.{name}", lambda *a, _n=name, **k: str(root / _n))
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("LiqGuardTests")
    QCoreApplication.setApplicationName("liqguard-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "qsettings"))
    yield root


@pytest.fixture
def shown_window(qtbot):
    """A shown, empty 800 x 600 QMainWindow to host docks, toasts and dialogs under test."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    window.resize(800, 600)
    qtbot.addWidget(window)
    window.show()
    return window
