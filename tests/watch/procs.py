"""Run ``liqguard watch`` as a real process for tests: read its lines as they come, stop it, kill it
when a test fails (no process outlives its test)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class WatchProcess:
    """``python -m desktop watch ARGS`` with stdout and stderr read line by line on threads."""

    def __init__(self, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        full_env = dict(os.environ)
        # No OS keychain in a child of the test run; channels come from --notify.
        full_env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "desktop", "watch", *args],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._lines: queue.Queue[tuple[str, str]] = queue.Queue()
        for name, stream in (("out", self.proc.stdout), ("err", self.proc.stderr)):
            threading.Thread(target=self._pump, args=(name, stream), daemon=True).start()

    def _pump(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            (self.stdout if name == "out" else self.stderr).append(line.rstrip("\n"))
            self._lines.put((name, line))

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            if self.proc.poll() is not None and predicate() is False:
                time.sleep(0.1)
                return predicate()
            time.sleep(0.05)
        return predicate()

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def output(self) -> str:
        return "\n".join(["--- stdout", *self.stdout, "--- stderr", *self.stderr])
