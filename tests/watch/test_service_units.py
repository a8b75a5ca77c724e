"""The watcher's service definitions in installer/: systemd user unit and launchd agent."""

from __future__ import annotations

import plistlib
import shutil
import subprocess

import pytest

from tests.watch.procs import ROOT

UNIT = ROOT / "installer" / "linux" / "liqguard-watch.service"
AGENT = ROOT / "installer" / "macos" / "org.liqguard.watch.plist"


def test_systemd_unit_runs_the_watcher_and_reloads_with_sighup(tmp_path) -> None:
    text = UNIT.read_text()
    assert "ExecStart=/usr/bin/liqguard watch\n" in text
    assert "ExecReload=/bin/kill -HUP $MAINPID\n" in text
    assert "RestartPreventExitStatus=2 3\n" in text  # the watcher's "no accounts" / "already running"
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # liqguard is not installed on the test machine: point ExecStart at an executable that exists, so
    # verify judges the unit's keys and values (an unknown key or bad value is reported on stderr).
    unit = tmp_path / UNIT.name
    unit.write_text(text.replace("ExecStart=/usr/bin/liqguard", "ExecStart=/bin/true"))
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stdout + result.stderr


def test_launchd_agent_is_a_valid_plist_for_the_watcher() -> None:
    agent = plistlib.loads(AGENT.read_bytes())
    assert agent["Label"] == "org.liqguard.watch"
    assert agent["ProgramArguments"][-1] == "watch"
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] == {"SuccessfulExit": False}
