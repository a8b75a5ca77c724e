"""The watcher's "know when it stops": alive record every minute, the heartbeat ping, and at start a
push about the down-time when the record shows a gap (see :mod:`desktop.watch.uptime`)."""

from __future__ import annotations

import os
import time

from desktop.paths import data_dir
from desktop.secrets.store import SecretStore
from desktop.watch.channels import heartbeat_url
from desktop.watch.uptime import BEAT_SECONDS, AliveRecord, Downtime, Heartbeat, downtime, downtime_message
from desktop.watch.watch_push import PushHook
from desktop.watch.watcher import Watcher, WatchHook

HEARTBEAT_ENV = "LIQGUARD_HEARTBEAT_URL"
SETTLE_SECONDS = 5.0
"""After start, wait this long before the down-time report, so it lists the alerts in force now."""


class UptimeHook(WatchHook):
    """See the module docstring. ``heartbeat``: a URL from the command line (else the environment, else
    the keychain when the setting is on)."""

    def __init__(self, push: PushHook, heartbeat: str | None = None) -> None:
        self._push = push
        self._heartbeat_url = heartbeat or os.environ.get(HEARTBEAT_ENV) or None
        self._watcher: Watcher | None = None
        self._record: AliveRecord | None = None
        self._down: Downtime | None = None
        self._started = 0.0
        self._beat_at = 0.0
        self.heartbeat: Heartbeat | None = None

    def on_start(self, watcher: Watcher) -> None:
        self._watcher = watcher
        # the demo keeps its own record: trying it must not hide (or fake) a gap of the real monitor
        name = "demo-alive.json" if watcher.options.demo else "monitor-alive.json"
        self._record = AliveRecord(data_dir() / name)
        now = time.time()
        self._down = downtime(self._record.read(), now, watcher.config.always_on.gap_minutes)
        self._record.beat(now)
        self._started = self._beat_at = time.monotonic()
        url = self._heartbeat_url
        if url is None and watcher.config.always_on.heartbeat_enabled:
            url = heartbeat_url(SecretStore())
            if url is None:
                watcher.say("heartbeat is on but its URL is not in the keychain; set it in Settings")
        if url:
            self.heartbeat = Heartbeat(
                url, on_problem=watcher.say, on_recovered=lambda: watcher.say("heartbeat ping works again")
            )
            self.heartbeat.start()

    def on_tick(self) -> None:
        watcher, record = self._watcher, self._record
        if watcher is None or record is None:
            return
        if time.monotonic() - self._beat_at >= BEAT_SECONDS:
            self._beat_at = time.monotonic()
            record.beat(time.time())
        if self._down is not None and time.monotonic() - self._started >= SETTLE_SECONDS:
            down, self._down = self._down, None
            active = watcher.loop.engine.active() if watcher.loop is not None else []
            title, body = downtime_message(down, active)
            watcher.say(title)
            if self._push.router is not None:
                self._push.router.notice(title, body, "warning")

    def on_stop(self) -> None:
        if self._record is not None:
            self._record.beat(time.time(), clean=True)
        if self.heartbeat is not None:
            self.heartbeat.stop()
