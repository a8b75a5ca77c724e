"""Know when monitoring stops: the alive record, the heartbeat ping and the down-time report.

* :class:`AliveRecord` — ``<data dir>/monitor-alive.json``: when a monitor last confirmed it was
  watching (epoch seconds, rewritten every minute) and whether it stopped cleanly. At the next start
  :func:`downtime` reads the gap; a gap longer than ``gap_minutes`` is reported by a push
  (:func:`downtime_message`: how long, since when, whether it was a crash, and the alerts in force).
* :class:`Heartbeat` — an optional dead-man switch (healthchecks.io style): an HTTP GET of the user's
  URL every minute from its own thread; when the pings stop (the machine or the watcher died) the
  service warns the trader. A failing ping is reported once per failure streak, never raised.

No Qt here. Times are epoch seconds.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop.paths import data_dir
from desktop.secrets.redact import redact, register_secret
from desktop.settings import atomic_write_text
from risk.alerts import AlertEvent, level_rank

log = logging.getLogger(__name__)

ALIVE_FILE = "monitor-alive.json"
BEAT_SECONDS = 60.0
HEARTBEAT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Alive:
    last_alive: float
    clean: bool


class AliveRecord:
    """See the module docstring."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / ALIVE_FILE

    def read(self) -> Alive | None:
        """What the last monitor wrote (None when nothing usable is there)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Alive(float(data["last_alive"]), bool(data["clean"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def beat(self, now: float, clean: bool = False) -> None:
        try:
            atomic_write_text(self.path, json.dumps({"last_alive": now, "clean": clean, "pid": os.getpid()}))
        except OSError as exc:  # a full disk must not stop the monitor
            log.error("cannot write %s: %s", self.path, exc)


@dataclass(frozen=True, slots=True)
class Downtime:
    since: float
    until: float
    clean: bool

    @property
    def seconds(self) -> float:
        return self.until - self.since


def downtime(previous: Alive | None, now: float, gap_minutes: float) -> Downtime | None:
    """The gap since the last monitor was alive, when longer than ``gap_minutes`` (else None)."""
    if previous is None or now - previous.last_alive <= gap_minutes * 60:
        return None
    return Downtime(previous.last_alive, now, previous.clean)


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{mins} min")
    return " ".join(parts)


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def downtime_message(down: Downtime, active: Sequence[AlertEvent]) -> tuple[str, str]:
    """Title and body of the "while you were not watched" push; ``active``: alerts in force now."""
    how = "after a clean stop" if down.clean else "it stopped without a clean exit (crash, power, sleep?)"
    lines = [
        f"LiqGuard did not monitor for {_duration(down.seconds)}: from {_utc(down.since)} to "
        f"{_utc(down.until)}; {how}."
    ]
    ordered = sorted((e for e in active if not e.cleared), key=lambda e: -level_rank(e.level))
    if ordered:
        counts = {lv: sum(1 for e in ordered if e.level == lv) for lv in ("critical", "warning", "info")}
        lines.append("In force now: " + ", ".join(f"{n} {lv}" for lv, n in counts.items() if n) + ".")
        lines += [f"- [{e.level.upper()}] {e.title}" for e in ordered[:8]]
        if len(ordered) > 8:
            lines.append(f"- ... and {len(ordered) - 8} more")
    else:
        lines.append("Nothing is in an alert state now.")
    title = f"LiqGuard was not monitoring for {_duration(down.seconds)}"
    return title, "\n".join(lines)


class Heartbeat:
    """Ping ``url`` now and every ``interval`` seconds on a daemon thread until :meth:`stop`."""

    def __init__(
        self,
        url: str,
        interval: float = BEAT_SECONDS,
        on_problem: Callable[[str], object] | None = None,
        on_recovered: Callable[[], object] | None = None,
    ) -> None:
        register_secret(url)
        self.url = url
        self.interval = interval
        self._on_problem = on_problem
        self._on_recovered = on_recovered
        self._stop = threading.Event()
        self._failing = False
        self.pings = 0
        self._thread = threading.Thread(target=self._run, name="liqguard-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def ping(self) -> str | None:
        """One ping; the problem in words (redacted) or None when it worked."""
        try:
            request = urllib.request.Request(self.url, headers={"User-Agent": "LiqGuard heartbeat"})
            with urllib.request.urlopen(request, timeout=HEARTBEAT_TIMEOUT) as response:
                response.read(1024)
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return redact(f"{type(exc).__name__}: {reason}")[:200]
        self.pings += 1
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            problem = self.ping()
            if problem and not self._failing:
                self._failing = True
                log.error("heartbeat ping failed: %s", problem)
                if self._on_problem is not None:
                    self._on_problem(f"heartbeat ping failed: {problem}")
            elif problem is None and self._failing:
                self._failing = False
                if self._on_recovered is not None:
                    self._on_recovered()
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(RuntimeError):
            self._thread.join(timeout=HEARTBEAT_TIMEOUT + 1)
