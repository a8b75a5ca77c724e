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


import keyring  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from keyring.errors import PasswordDeleteError  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """Process-local keyring backend for tests (house-style.md section 9); never touches the OS store."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets an empty in-memory keyring; the developer's keychain is never touched."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
    from desktop.secrets.store import reset_session

    reset_session()
