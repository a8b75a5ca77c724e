"""One monitor per user: a lock file plus a local socket to reach the running one.

The first monitor (window or watcher) takes an exclusive, non-blocking lock on
``<data dir>/monitor.lock`` (``fcntl.flock`` / ``msvcrt.locking``; the OS drops it when the process dies,
so a crash leaves no stale lock) and writes ``monitor.json`` (mode 0600): its kind, pid, and the port
and random token of a listener on 127.0.0.1. A second start reads that file:

* a second window asks the running window to come to the front (``show``) and exits;
* anything else refuses with a message naming the running monitor and how to stop it.

The demo (``--demo``) watches no account and takes no lock. No Qt here: ``on_show`` is called on the
listener thread; the window marshals it to the GUI thread.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from desktop.paths import data_dir

LOCK_FILE = "monitor.lock"
INFO_FILE = "monitor.json"
SHOW = b"show"


@dataclass(frozen=True, slots=True)
class Holder:
    """The running monitor, as it described itself."""

    kind: str
    pid: int
    port: int
    token: str

    def describe(self) -> str:
        what = "the LiqGuard window" if self.kind == "window" else "the LiqGuard watcher"
        return f"{what} (pid {self.pid})"


def _lock(handle: IO[bytes]) -> bool:
    if sys.platform.startswith("win"):
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class InstanceLock:
    """See the module docstring. ``acquire`` returns True when this process is the monitor."""

    def __init__(self, kind: str, directory: Path | None = None, on_show: Callable[[], object] | None = None):
        self.kind = kind
        self.directory = directory or data_dir()
        self._on_show = on_show
        self._handle: IO[bytes] | None = None
        self._server: socket.socket | None = None
        self._token = secrets.token_hex(16)

    def set_on_show(self, on_show: Callable[[], object] | None) -> None:
        """Who is called (on the listener thread) when a second window asks this one to show."""
        self._on_show = on_show

    @property
    def info_path(self) -> Path:
        return self.directory / INFO_FILE

    def acquire(self) -> bool:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / LOCK_FILE, "a+b")  # noqa: SIM115 - held open while we run
        if not _lock(handle):
            handle.close()
            return False
        self._handle = handle
        self._server = socket.create_server(("127.0.0.1", 0))
        port = self._server.getsockname()[1]
        info = {"kind": self.kind, "pid": os.getpid(), "port": port, "token": self._token}
        fd = os.open(self.info_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(info, out)
        threading.Thread(target=self._serve, name="liqguard-instance", daemon=True).start()
        return True

    def _serve(self) -> None:
        server = self._server
        assert server is not None
        while True:
            try:
                conn, _addr = server.accept()
            except OSError:  # closed by release()
                return
            with conn:
                conn.settimeout(2.0)
                try:
                    data = conn.recv(256)
                except OSError:
                    continue
                if data == self._token.encode() + b" " + SHOW and self._on_show is not None:
                    self._on_show()
                    with contextlib.suppress(OSError):
                        conn.sendall(b"ok")

    def holder(self) -> Holder | None:
        """The running monitor's description (None when unreadable)."""
        try:
            data = json.loads(self.info_path.read_text(encoding="utf-8"))
            return Holder(str(data["kind"]), int(data["pid"]), int(data["port"]), str(data["token"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.close()
            self._server = None
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self.info_path.unlink()
            self._handle.close()
            self._handle = None


def ask_to_show(holder: Holder, timeout: float = 3.0) -> bool:
    """Ask the running window to come to the front; True when it answered."""
    try:
        with socket.create_connection(("127.0.0.1", holder.port), timeout=timeout) as conn:
            conn.sendall(holder.token.encode() + b" " + SHOW)
            return conn.recv(16) == b"ok"
    except OSError:
        return False


def refusal(holder: Holder | None) -> str:
    """Why this start is refused, and what to do."""
    who = holder.describe() if holder is not None else "another LiqGuard monitor"
    stop = (
        "Stop it first (systemctl --user stop liqguard-watch, or end that process)"
        if holder is None or holder.kind != "window"
        else "Quit it first (tray icon > Quit)"
    )
    return f"{who} is already monitoring your accounts; only one monitor runs per user. {stop}."
