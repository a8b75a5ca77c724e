"""``--smoke`` starts like a real start (issue #10): settings, saved accounts and history are loaded, a
damaged one is reported (not a crash), and an unexpected Qt warning fails it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtCore import qWarning

from desktop.accounts import AccountsStore
from desktop.qt_warnings import QtWarningGate
from desktop.settings import config_path
from desktop.store import default_db_path


def _smoke() -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke"], capture_output=True, text=True, timeout=180, env=env
    )


def test_smoke_loads_damaged_files_like_a_real_start_and_reports_them() -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_bytes(b'{"schema_version": 1, "snooze_minutes": ' + b"9" * 5000 + b"}")
    AccountsStore().path.write_text('{"schema_version": 1, "accounts": [{"venue": "okx"}]}')
    default_db_path().parent.mkdir(parents=True, exist_ok=True)
    default_db_path().write_bytes(b"not a database " * 100)
    proc = _smoke()
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    probes = json.loads(proc.stdout.strip().splitlines()[-1])
    text = " ".join(probes["problems"])
    assert "settings file" in text and "saved account" in text and "history database" in text, probes
    assert probes["history"] is True  # recovered: a fresh database is in use
    assert list(config_path().parent.glob("config.json.bad-*"))


def test_unexpected_qt_warnings_are_caught_and_expected_ones_are_not(qapp) -> None:
    gate = QtWarningGate().install()
    try:
        qWarning("QLayout: Attempting to add QLayout to MainWindow, which already has a layout")
        qWarning("This plugin does not support propagateSizeHints()")
    finally:
        gate.uninstall()
    assert gate.unexpected == ["QLayout: Attempting to add QLayout to MainWindow, which already has a layout"]
