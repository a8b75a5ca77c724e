"""The monitor's poll-alert-record cycle on a virtual clock, for the fault matrix.

The engine's own parts, driven step by step instead of from its worker thread, so that minutes of venue
backoff take milliseconds: the real account readers (:class:`ExchangeAccountReader` over real ccxt and
HTTP on 127.0.0.1, with the virtual clock), the engine's feed status and backoff
(:func:`desktop.engine.core.backoff_delay`, its error text), the alert inputs
(:func:`desktop.engine.alert_inputs.feed_observation`) and rules (:class:`risk.alerts.AlertEngine`), and
the SQLite history (:class:`desktop.store.HistoryStore`). Network waits (a timeout) are real.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from desktop.engine.alert_inputs import feed_observation
from desktop.engine.core import _error_text, backoff_delay
from desktop.engine.snapshots import FeedStatus
from desktop.store import HistoryStore
from risk import Account
from risk.alerts import AlertEngine, AlertEvent, AlertRules

STALE_MULTIPLE = 2.0
"""The matrix asks for a stale alert within two intervals (plus the rules' jitter allowance)."""
STALE_JITTER_SECONDS = AlertRules().stale_jitter_ms / 1000.0


class VirtualClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Feed:
    reader: Any
    status: FeedStatus
    next_poll: float
    account: Account | None = None
    polls: int = 0


@dataclass
class Monitor:
    clock: VirtualClock
    history: HistoryStore
    feeds: dict[str, Feed] = field(default_factory=dict)
    alerts: AlertEngine = field(
        default_factory=lambda: AlertEngine(AlertRules(stale_multiple=STALE_MULTIPLE))
    )
    events: list[AlertEvent] = field(default_factory=list)

    def add(self, reader: Any) -> None:
        status = FeedStatus(reader.account_id, reader.label, reader.poll_interval, started_at=self.clock())
        self.feeds[reader.account_id] = Feed(reader, status, self.clock())

    async def step(self) -> None:
        """Poll every due feed once, then judge every feed's freshness and record what changed."""
        now = self.clock()
        for feed in self.feeds.values():
            if feed.next_poll > now:
                continue
            feed.polls += 1
            interval = feed.reader.poll_interval
            try:
                account = await feed.reader.read_account()
            except Exception as exc:  # the engine's policy: record, back off, keep going
                errors = feed.status.consecutive_errors + 1
                feed.status = dataclasses.replace(
                    feed.status, error=_error_text(exc), consecutive_errors=errors
                )
                feed.next_poll = now + backoff_delay(interval, errors)
                continue
            feed.account = account
            feed.status = dataclasses.replace(feed.status, last_update=now, error=None, consecutive_errors=0)
            feed.next_poll = now + interval
            self.history.record_points(
                round(now * 1000), feed.reader.account_id, {"wallet": account.wallet_balance}
            )
        now_ms = round(now * 1000)
        for feed in self.feeds.values():
            for event in self.alerts.observe_feed(feed_observation(feed.status), now_ms):
                self.events.append(event)
                self.history.record_alert(event)

    async def run_until(self, until: float, step: float) -> None:
        while self.clock() < until:
            await self.step()
            self.clock.now = min(until, self.clock() + step)
        await self.step()

    def active_feed_alerts(self, feed_id: str) -> list[str]:
        """Kinds of the raised, uncleared feed alerts of ``feed_id`` ("stale", "disconnected")."""
        return sorted(
            e.kind
            for e in self.alerts.active()
            if e.subject == feed_id and e.kind in ("stale", "disconnected")
        )
