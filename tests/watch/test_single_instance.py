"""One monitor per user: the lock, the local socket that brings the window to the front, the refusal."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from desktop.paths import data_dir
from desktop.watch.single_instance import InstanceLock, ask_to_show, refusal
from tests.watch.procs import ROOT


def test_second_lock_fails_and_the_first_is_asked_to_show(tmp_path) -> None:
    shown = threading.Event()
    first = InstanceLock("window", tmp_path, on_show=shown.set)
    second = InstanceLock("window", tmp_path)
    assert first.acquire()
    try:
        assert not second.acquire()
        holder = second.holder()
        assert holder is not None and holder.kind == "window" and holder.pid == os.getpid()
        assert oct((tmp_path / "monitor.json").stat().st_mode & 0o777) == "0o600"  # the token is private
        assert ask_to_show(holder)
        assert shown.wait(5)
        wrong = type(holder)(holder.kind, holder.pid, holder.port, "not-the-token")
        shown.clear()
        assert not ask_to_show(wrong, timeout=1)
        assert not shown.is_set()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_a_crashed_monitor_leaves_no_stale_lock(tmp_path) -> None:
    code = (
        "import os, sys; from pathlib import Path; from desktop.watch.single_instance import InstanceLock;"
        f"assert InstanceLock('watcher', Path({str(tmp_path)!r})).acquire(); os._exit(9)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 9
    lock = InstanceLock("window", tmp_path)
    assert lock.acquire()
    lock.release()


def test_watch_refuses_while_the_window_monitors() -> None:
    lock = InstanceLock("window", data_dir())
    assert lock.acquire()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "watch"], cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
        )  # fmt: skip
    finally:
        lock.release()
    assert result.returncode == 3
    assert f"the LiqGuard window (pid {os.getpid()}) is already monitoring your accounts" in result.stderr
    assert "Quit it first" in result.stderr
    assert "Traceback" not in result.stderr


def test_refusal_names_how_to_stop_the_watcher() -> None:
    assert "systemctl --user stop liqguard-watch" in refusal(None)
