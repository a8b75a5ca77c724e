"""``liqguard watch``: the real process on the demo venue (no Qt, one line per alert, SIGHUP, SIGTERM)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from desktop.watch.watcher import alert_line
from risk.alerts import AlertEvent
from tests.watch.procs import ROOT, WatchProcess
from tests.watch.receiver import Receiver

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


def test_alert_line_carries_level_text_and_reasons() -> None:
    event = AlertEvent(
        "distance:a:BTC:long", "distance", "critical", 3, "BTC long: distance 4.9 %", "Distance 4.9 %.",
        ("distance to liquidation 4.9 % at or below 5.0 %", "reason two"), 1_760_130_000_000,
    )  # fmt: skip
    assert alert_line(event) == (
        "2025-10-10T21:00:00Z CRITICAL BTC long: distance 4.9 % | Distance 4.9 %. | "
        "distance to liquidation 4.9 % at or below 5.0 %; reason two"
    )


def test_watch_demo_prints_alert_lines_reports_a_failing_channel_and_stops_cleanly_on_sigterm() -> None:
    with Receiver(status=500) as failing:
        watch = WatchProcess(["--demo", "--notify", failing.url, "--exit-after", "60"])
        try:
            # The demo opens with the Hyperliquid BTC long 4.9 % from liquidation: a critical at start-up.
            critical = lambda: any(" CRITICAL " in line for line in watch.stdout)  # noqa: E731
            assert watch.wait_for(critical, 30), watch.output()
            failed = lambda: any("push channel '--notify #1' failed" in line for line in watch.stderr)  # noqa: E731
            assert watch.wait_for(failed, 30), watch.output()
            assert watch.proc.poll() is None  # a failing channel does not stop the monitor
            assert watch.stop() == 0, watch.output()
        finally:
            watch.kill()
    assert all(line[:4].isdigit() for line in watch.stdout), "stdout holds alert lines only"
    line = next(line for line in watch.stderr if "failed" in line)
    assert "500" in line  # apprise's words: "Internal server error., error=500."
    assert any("stopping" in line for line in watch.stderr)


def test_watch_reloads_settings_on_sighup(isolated_settings) -> None:
    watch = WatchProcess(["--demo", "--exit-after", "60"])
    try:
        assert watch.wait_for(lambda: any("20.0 % tier" in line for line in watch.stdout), 30), watch.output()
        config = isolated_settings / "config" / "config.json"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(json.dumps({"schema_version": 1, "distance_tiers": [0.6, 0.5, 0.4]}))
        watch.signal(signal.SIGHUP)
        # New tiers restart the tier state: the same positions are judged again against 60 / 50 / 40 %.
        assert watch.wait_for(lambda: any("40.0 % tier" in line for line in watch.stdout), 20), watch.output()
        assert any("settings reloaded" in line for line in watch.stderr)
        assert watch.stop() == 0
    finally:
        watch.kill()


def test_watch_without_accounts_says_so_with_exit_code_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "watch"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "no saved accounts" in result.stderr
    assert "Traceback" not in result.stderr


def test_watcher_imports_no_qt() -> None:
    code = (
        "import sys; from desktop.watch.watcher import main; rc = main(['--demo', '--exit-after', '2']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')));"
        "sys.exit(rc)"
    )
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
