"""Route alerts to push channels: per-channel minimum level, quiet hours, rate limit, held-back summary.

:class:`PushRouter` decides per channel what goes out now and what is held back, composes one message
per channel per batch, and hands it to one background sender thread (apprise is blocking network I/O;
the engine and the GUI never wait for it). Every send's outcome is reported to ``on_status`` (called on
the sender thread) and kept in :meth:`PushRouter.status`, so a failing channel is visible.

Rules per channel (:class:`desktop.watch.config.ChannelConfig`):

* below ``min_level``: not sent (clears are "info");
* quiet hours (local time, may wrap midnight): only critical alerts go out; the rest is held back;
* rate limit: at most ``rate_limit_per_hour`` messages in any rolling hour; beyond it non-critical
  alerts are held back. Critical alerts are never held (they still count);
* held-back alerts are summarised (count per level and the first titles) in the next message, or on
  their own by :meth:`PushRouter.tick` as soon as the channel may send again.

Notices (``notice``: stopped monitoring, down-time summary, test) bypass level and quiet hours but are
counted by the rate limit. Times are epoch seconds from the ``clock``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop.watch.channels import SendResult, send
from desktop.watch.config import ChannelConfig
from risk.alerts import AlertEvent, level_rank

log = logging.getLogger(__name__)

HOUR = 3600.0
MAX_LISTED = 5
"""Alerts listed by title in one message / summary; the rest are counted."""


def local_minutes(epoch_seconds: float) -> int:
    """Minutes after local midnight (the machine's time zone) at ``epoch_seconds``."""
    t = time.localtime(epoch_seconds)
    return t.tm_hour * 60 + t.tm_min


def in_quiet_hours(quiet: tuple[int, int] | None, minute: int) -> bool:
    """Whether ``minute`` (after local midnight) is within ``quiet`` = (start, end), end exclusive;
    a window with start > end wraps midnight; start == end means none."""
    if quiet is None:
        return False
    start, end = quiet
    if start == end:
        return False
    return start <= minute < end if start < end else minute >= start or minute < end


@dataclass(frozen=True, slots=True)
class PushMessage:
    title: str
    body: str
    level: str


@dataclass
class ChannelStatus:
    """What the window's status line and the watcher's stderr show about one channel."""

    channel_id: str
    label: str
    sent: int = 0
    failed: int = 0
    last_error: str = ""
    last_ok: float | None = None
    last_failure: float | None = None

    @property
    def failing(self) -> bool:
        return self.last_failure is not None and (self.last_ok is None or self.last_failure > self.last_ok)


@dataclass
class _Channel:
    config: ChannelConfig
    url: str
    sent_at: deque[float] = field(default_factory=deque)
    held: list[AlertEvent] = field(default_factory=list)
    held_why: set[str] = field(default_factory=set)


StatusCallback = Callable[[ChannelStatus, SendResult], object]


def _level_word(level: str) -> str:
    return level.upper()


def describe_event(event: AlertEvent) -> str:
    """One alert as the in-app text: title, message and the reasons (the numbers of the action)."""
    lines = [f"[{_level_word(event.level)}] {event.title}", event.message]
    lines += [f"- {reason}" for reason in event.reasons]
    return "\n".join(line for line in lines if line)


def compose(
    events: Sequence[AlertEvent], held: Sequence[AlertEvent] = (), held_why: str = "", prefix: str = ""
) -> PushMessage:
    """One message for a batch of alerts (worst first) plus a summary of held-back ones."""
    ordered = sorted(events, key=lambda e: (-level_rank(e.level), e.timestamp_ms))
    worst = (
        ordered[0].level if ordered else (max((e.level for e in held), key=level_rank) if held else "info")
    )
    if len(ordered) == 1:
        title = f"LiqGuard {_level_word(worst)}: {ordered[0].title}"
    elif ordered:
        title = f"LiqGuard {_level_word(worst)}: {len(ordered)} alerts"
    else:
        title = f"LiqGuard: {len(held)} alerts held back"
    if prefix:
        title = f"{title} ({prefix})"
    parts = [describe_event(e) for e in ordered[:MAX_LISTED]]
    if len(ordered) > MAX_LISTED:
        parts.append(f"... and {len(ordered) - MAX_LISTED} more alerts")
    if held:
        parts.append(held_summary(held, held_why))
    return PushMessage(title, "\n\n".join(parts), worst)


def held_summary(held: Sequence[AlertEvent], why: str) -> str:
    counts = {level: sum(1 for e in held if e.level == level) for level in ("critical", "warning", "info")}
    count_text = ", ".join(f"{n} {level}" for level, n in counts.items() if n)
    titles = [f"- {e.title}" for e in held[-MAX_LISTED:]]
    more = len(held) - len(titles)
    lines = [f"Held back ({why}): {len(held)} alerts ({count_text})", *titles]
    if more > 0:
        lines.append(f"- ... and {more} earlier")
    return "\n".join(lines)


class PushRouter:
    """See the module docstring. ``channels``: (settings, URL) pairs."""

    def __init__(
        self,
        channels: Sequence[tuple[ChannelConfig, str]] = (),
        *,
        clock: Callable[[], float] = time.time,
        minutes: Callable[[float], int] = local_minutes,
        sender: Callable[[str, str, str, str], SendResult] = send,
        on_status: StatusCallback | None = None,
    ) -> None:
        self._clock = clock
        self._minutes = minutes
        self._sender = sender
        self._on_status = on_status
        self._lock = threading.Lock()
        self._channels: dict[str, _Channel] = {}
        self._status: dict[str, ChannelStatus] = {}
        self._queue: queue.Queue[tuple[str, str, PushMessage] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="liqguard-push", daemon=True)
        self._thread.start()
        self.set_channels(channels)

    # ---- configuration ------------------------------------------------------------------------
    def set_channels(self, channels: Sequence[tuple[ChannelConfig, str]]) -> None:
        """Use these channels (enabled ones only); a channel that stays keeps its history."""
        with self._lock:
            kept = {}
            for config, url in channels:
                if not config.enabled:
                    continue
                old = self._channels.get(config.channel_id)
                channel = _Channel(config, url)
                if old is not None:
                    channel.sent_at, channel.held, channel.held_why = old.sent_at, old.held, old.held_why
                kept[config.channel_id] = channel
                self._status.setdefault(config.channel_id, ChannelStatus(config.channel_id, config.name))
                self._status[config.channel_id].label = config.name
            self._channels = kept

    def set_on_status(self, on_status: StatusCallback | None) -> None:
        """Who hears of each send's outcome (called on the sender thread)."""
        self._on_status = on_status

    @property
    def channel_ids(self) -> list[str]:
        with self._lock:
            return list(self._channels)

    def status(self) -> list[ChannelStatus]:
        with self._lock:
            return [self._status[c] for c in self._channels]

    # ---- routing ------------------------------------------------------------------------------
    def push(self, events: Sequence[AlertEvent], prefix: str = "") -> int:
        """Route a batch of alerts to every channel; returns the number of messages queued."""
        now = self._clock()
        queued = 0
        with self._lock:
            for channel in self._channels.values():
                message = self._route(channel, events, now, prefix)
                if message is not None:
                    self._enqueue(channel, message, now)
                    queued += 1
        return queued

    def _route(
        self, channel: _Channel, events: Sequence[AlertEvent], now: float, prefix: str
    ) -> PushMessage | None:
        config = channel.config
        wanted = [e for e in events if level_rank(e.level) >= level_rank(config.min_level)]
        if not wanted:
            return None
        self._expire(channel, now)
        quiet = in_quiet_hours(config.quiet_hours, self._minutes(now))
        limited = len(channel.sent_at) >= config.rate_limit_per_hour
        if quiet or limited:
            urgent = [e for e in wanted if e.level == "critical"]
            held = [e for e in wanted if e.level != "critical"]
            if held:
                channel.held += held
                channel.held_why.add("quiet hours" if quiet else "rate limit")
            if not urgent:
                return None
            wanted = urgent
        return self._with_held(channel, wanted, prefix)

    def _with_held(self, channel: _Channel, events: Sequence[AlertEvent], prefix: str) -> PushMessage:
        held, why = channel.held, " and ".join(sorted(channel.held_why))
        channel.held, channel.held_why = [], set()
        return compose(events, held, why, prefix)

    def tick(self) -> int:
        """Send the summary of held-back alerts on every channel that may send again; returns how many."""
        now = self._clock()
        queued = 0
        with self._lock:
            for channel in self._channels.values():
                if not channel.held:
                    continue
                self._expire(channel, now)
                if in_quiet_hours(channel.config.quiet_hours, self._minutes(now)):
                    continue
                if len(channel.sent_at) >= channel.config.rate_limit_per_hour:
                    continue
                self._enqueue(channel, self._with_held(channel, (), ""), now)
                queued += 1
        return queued

    def notice(self, title: str, body: str, level: str = "warning") -> int:
        """A message about LiqGuard itself (stopped, down-time, test) to every channel."""
        now = self._clock()
        with self._lock:
            for channel in self._channels.values():
                self._expire(channel, now)
                self._enqueue(channel, PushMessage(title, body, level), now)
            return len(self._channels)

    def _expire(self, channel: _Channel, now: float) -> None:
        while channel.sent_at and channel.sent_at[0] <= now - HOUR:
            channel.sent_at.popleft()

    def _enqueue(self, channel: _Channel, message: PushMessage, now: float) -> None:
        channel.sent_at.append(now)
        self._queue.put((channel.config.channel_id, channel.url, message))

    # ---- sending (background thread) ----------------------------------------------------------
    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                channel_id, url, message = item
                try:
                    result = self._sender(url, message.title, message.body, message.level)
                except Exception as exc:  # the sender must never kill the thread
                    result = SendResult(False, f"{type(exc).__name__}")
                self._record(channel_id, result)
            finally:
                self._queue.task_done()

    def _record(self, channel_id: str, result: SendResult) -> None:
        now = self._clock()
        with self._lock:
            status = self._status.setdefault(channel_id, ChannelStatus(channel_id, channel_id))
            if result.ok:
                status.sent += 1
                status.last_ok = now
            else:
                status.failed += 1
                status.last_failure = now
                status.last_error = result.error
        if not result.ok:
            log.info("push channel %s failed: %s", status.label, result.error)
        if self._on_status is not None:
            try:
                self._on_status(status, result)
            except Exception:
                log.exception("push status callback failed")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued message was tried (True) or ``timeout`` seconds passed (False)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self, timeout: float = 10.0) -> bool:
        """Try what is queued (up to ``timeout`` s), then stop the sender thread."""
        done = self.flush(timeout)
        self._queue.put(None)
        self._thread.join(timeout=1.0 if done else 0.1)
        return done
