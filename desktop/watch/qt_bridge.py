"""The window's side of the push channels: escalation of unacknowledged critical alerts, channel status.

:class:`PushBridge` listens to :class:`desktop.engine.alert_center.AlertCenter` (``alerts_raised``,
``acknowledged``, ``config_applied``), keeps an :class:`~desktop.watch.escalation.Escalator` and a
:class:`~desktop.watch.push.PushRouter`, and checks the escalations once a second.

* Window on screen (the trader may be at the desk): only critical alerts not acknowledged within
  ``escalation_minutes`` are pushed; acknowledging in the window stops the escalation.
* Window hidden to the tray or minimised (nobody is looking): every alert goes to the channels at once,
  as in the headless watcher, under each channel's level, quiet hours and rate limit.

A failing channel is logged and shown as ``channel_failed(str)`` (for the status bar), once per failure
streak of a channel; ``channel_recovered(str)`` when it works again.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.engine.alert_center import AlertCenter
from desktop.secrets.store import SecretStore
from desktop.settings import AppConfig
from desktop.watch.channels import SendResult, heartbeat_url
from desktop.watch.escalation import Escalator
from desktop.watch.push import ChannelStatus, PushRouter
from desktop.watch.routing import configured_channels
from desktop.watch.uptime import BEAT_SECONDS, AliveRecord, Downtime, Heartbeat, downtime, downtime_message
from risk.alerts import AlertEvent

log = logging.getLogger(__name__)

TICK_MS = 1000
SETTLE_SECONDS = 5.0


def _window_on_screen(window: object) -> bool:
    if not isinstance(window, QWidget):
        return True  # no window to judge by: assume the trader sees the app (escalate, do not flood)
    return window.isVisible() and not window.isMinimized()


class PushBridge(QObject):
    """See the module docstring. ``router`` and ``clock`` are for tests (default: the settings' channels
    with URLs from the keychain, wall-clock seconds)."""

    channel_failed = Signal(str)
    channel_recovered = Signal(str)
    _status = Signal(object, object)  # from the push thread, queued to this object's thread
    _heartbeat_problem = Signal(str)  # from the heartbeat thread

    def __init__(
        self,
        center: AlertCenter,
        config: AppConfig,
        *,
        router: PushRouter | None = None,
        secrets: SecretStore | None = None,
        clock: Callable[[], float] = time.time,
        present: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(center)
        self._present = present or (lambda: _window_on_screen(center.parent()))
        self._secrets = secrets
        self._failing: set[str] = set()
        self._record: AliveRecord | None = None
        self._heartbeat: Heartbeat | None = None
        self._down: Downtime | None = None
        self._heartbeat_problem.connect(self.channel_failed)
        self._status.connect(self._on_status)
        self.escalator = Escalator(config.always_on.escalation_minutes * 60, clock)
        self.router = router or PushRouter(clock=clock)
        self.router.set_on_status(self._emit_status)
        if router is None:
            self._use_channels(config)
        self.config = config
        center.alerts_raised.connect(self.on_alerts)
        center.acknowledged.connect(self.escalator.acknowledge)
        center.config_applied.connect(self.apply_config)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def on_alerts(self, events: list[AlertEvent]) -> None:
        """Alerts the window just raised: escalate criticals later, or push all now when away."""
        if self._present():
            self.escalator.add(events)
        else:
            self.router.push(events)

    def _use_channels(self, config: AppConfig) -> None:
        channels, problems = configured_channels(config.always_on, self._secrets)
        for problem in problems:
            log.warning("%s", problem)
            self.channel_failed.emit(problem)
        self.router.set_channels(channels)

    def apply_config(self, config: AppConfig) -> None:
        self.escalator.set_delay(config.always_on.escalation_minutes * 60)
        if config.always_on != self.config.always_on:
            self._use_channels(config)
        self.config = config

    def tick(self) -> int:
        """Push the escalations that are due and the held-back summaries; returns messages queued."""
        queued = 0
        minutes = self.escalator.delay / 60
        for item in self.escalator.due():
            note = f"not acknowledged for {minutes:g} min" + ("; eased since" if item.eased else "")
            queued += self.router.push([item.event], prefix=note)
        return queued + self.router.tick()

    def push_now(self, events: list[AlertEvent], prefix: str = "") -> int:
        return self.router.push(events, prefix)

    def _emit_status(self, status: ChannelStatus, result: SendResult) -> None:
        self._status.emit(status, result)  # push thread -> GUI thread (queued)

    def _on_status(self, status: ChannelStatus, result: SendResult) -> None:
        if result.ok:
            if status.channel_id in self._failing:
                self._failing.discard(status.channel_id)
                self.channel_recovered.emit(
                    self.tr("Push channel '%1' works again.").replace("%1", status.label)
                )
            return
        log.error("push channel %s failed: %s", status.label, result.error)
        if status.channel_id not in self._failing:
            self._failing.add(status.channel_id)
            self.channel_failed.emit(
                self.tr("Push channel '%1' failed: %2")
                .replace("%1", status.label)
                .replace("%2", result.error)
            )

    # ---- know when it stops (the window as the monitor) ------------------------------------------
    def start_uptime(self, center: AlertCenter, record: AliveRecord) -> None:
        """Keep ``record`` alive every minute, ping the heartbeat (if set), and push the down-time
        report a few seconds after start when the record shows a gap."""
        now = time.time()
        self._record = record
        self._down = downtime(record.read(), now, self.config.always_on.gap_minutes)
        record.beat(now)
        self._beat = QTimer(self)
        self._beat.setInterval(int(BEAT_SECONDS * 1000))
        self._beat.timeout.connect(lambda: record.beat(time.time()))
        self._beat.start()
        if self._down is not None:
            QTimer.singleShot(int(SETTLE_SECONDS * 1000), lambda: self._report_down(center))
        url = (
            heartbeat_url(self._secrets or SecretStore()) if self.config.always_on.heartbeat_enabled else None
        )
        if url:
            self._heartbeat = Heartbeat(url, on_problem=self._heartbeat_problem.emit)
            self._heartbeat.start()

    def _report_down(self, center: AlertCenter) -> None:
        down, self._down = self._down, None
        if down is not None:
            title, body = downtime_message(down, center.engine.active())
            self.router.notice(title, body, "warning")

    def close(self, notify_stop: bool = True) -> None:
        """Stop; with channels and ``notify_stop`` (and the setting on), push "stopped monitoring"."""
        self.timer.stop()
        if self._heartbeat is not None:
            self._heartbeat.stop()
        if self._record is not None:
            self._record.beat(time.time(), clean=True)
        if notify_stop and self.config.always_on.notify_stop and self.router.channel_ids:
            self.router.notice(
                "LiqGuard stopped monitoring",
                f"LiqGuard on {socket.gethostname()} was quit. Positions are not watched until it runs "
                "again.",
                "warning",
            )
        self.router.close(timeout=5.0)
