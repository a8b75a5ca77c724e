"""The watcher's push channels: every alert through :class:`PushRouter` at once (there is no window to
acknowledge in), channel failures on stderr, "LiqGuard stopped monitoring" on a clean exit."""

from __future__ import annotations

import socket
from collections.abc import Sequence

from desktop.settings import AppConfig
from desktop.watch.channels import SendResult
from desktop.watch.push import ChannelStatus, PushRouter
from desktop.watch.routing import adhoc_channels, configured_channels
from desktop.watch.watcher import Watcher, WatchHook
from risk.alerts import AlertEvent

STOP_FLUSH_SECONDS = 10.0


class PushHook(WatchHook):
    """Routes the watcher's alerts to the push channels (settings + ``--notify``)."""

    def __init__(self, extra_urls: Sequence[str]) -> None:
        self._adhoc = adhoc_channels(extra_urls)  # ValueError: a bad URL is a usage error
        self.router: PushRouter | None = None
        self._watcher: Watcher | None = None
        self._notify_stop = True

    def _channels(self, config: AppConfig) -> list:
        assert self._watcher is not None
        configured, problems = configured_channels(config.always_on)
        for problem in problems:
            self._watcher.say(problem)
        return [*configured, *self._adhoc]

    def on_start(self, watcher: Watcher) -> None:
        self._watcher = watcher
        self._notify_stop = watcher.config.always_on.notify_stop
        self.router = PushRouter(self._channels(watcher.config), on_status=self._status)
        count = len(self.router.channel_ids)
        watcher.say(f"{count} push channel(s)" if count else "no push channels (alerts on stdout only)")

    def _status(self, status: ChannelStatus, result: SendResult) -> None:
        if not result.ok and self._watcher is not None:
            self._watcher.say(f"push channel '{status.label}' failed: {result.error}")

    def on_events(self, events: list[AlertEvent]) -> None:
        if self.router is not None:
            self.router.push(events)

    def on_tick(self) -> None:
        if self.router is not None:
            self.router.tick()

    def on_reload(self, config: AppConfig) -> None:
        self._notify_stop = config.always_on.notify_stop
        if self.router is not None:
            self.router.set_channels(self._channels(config))

    def on_stop(self) -> None:
        router = self.router
        if router is None:
            return
        if self._notify_stop and router.channel_ids:
            router.notice(
                "LiqGuard stopped monitoring",
                f"The watcher on {socket.gethostname()} stopped cleanly. Positions are not watched "
                "until it runs again.",
                "warning",
            )
        if not router.close(STOP_FLUSH_SECONDS) and self._watcher is not None:
            self._watcher.say(f"push messages still unsent after {STOP_FLUSH_SECONDS:g} s were dropped")
