"""One ccxt.pro subscription kept alive: its health, silence detection and jittered reconnects.

A :class:`StreamWatcher` calls one ``watch_*`` coroutine in a loop and hands every result to a callback.
Its :class:`StreamHealth` says whether it is connected, when the last message came, how often it
reconnected and the last error (safe to show: :func:`desktop.exchanges.feeds.describe`). Rules:

* A stream that promises a message every ``expected_interval`` seconds and sends nothing for
  :data:`SILENCE_FACTOR` times that is *silent*: its socket is dropped (the venue may be alive but the
  subscription dead, or the socket half-open: ccxt's own keep-alive only notices after minutes) and it
  reconnects. Event-driven streams (positions, balance) have no interval and are not judged by silence.
* After an error the watcher waits a jittered, doubling delay (:func:`reconnect_delay`) so that many
  streams dropped at once do not reconnect in lock step, then subscribes again (ccxt opens a new socket).
* ``on_reconnect`` runs after the first message of every connection but the first one: the owner
  reconciles over REST then.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import ccxt

from desktop.exchanges.feeds import describe

log = logging.getLogger(__name__)

SILENCE_FACTOR = 3.0
"""A stream is silent after this many expected intervals without a message."""
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_CAP_SECONDS = 30.0
TRANSPORT_CHECK_SECONDS = 0.25
"""How often an event-driven stream's socket state is looked at while no message comes."""


def reconnect_delay(
    failures: int,
    rng: random.Random,
    first: float = RECONNECT_FIRST_SECONDS,
    cap: float = RECONNECT_CAP_SECONDS,
) -> float:
    """Seconds before reconnect attempt ``failures`` (>= 1): ``first * 2**(failures-1)`` capped at
    ``cap``, times a uniform factor in [0.5, 1) ("equal jitter": never zero, never in lock step)."""
    base = min(cap, first * 2.0 ** max(0, failures - 1))
    return base * (0.5 + 0.5 * rng.random())


@dataclass(frozen=True, slots=True)
class StreamHealth:
    """Health of one stream. Times are Unix seconds (the watcher's clock); ``expected_interval`` is
    the seconds between messages the venue promises (``None``: event-driven, no promise)."""

    stream_id: str
    label: str
    expected_interval: float | None
    connected: bool = False
    last_message: float | None = None
    reconnects: int = 0
    last_error: str | None = None
    failures: int = 0
    started_at: float = 0.0
    stalled: bool = False
    """Dropped for silence: the venue answers connects but sends nothing (a stale, not a dead, feed)."""

    def age(self, now: float) -> float | None:
        """Seconds since the last message (``None`` before the first)."""
        return None if self.last_message is None else max(0.0, now - self.last_message)

    def silent(self, now: float) -> bool:
        """No message for :data:`SILENCE_FACTOR` expected intervals (never for event-driven streams)."""
        if self.expected_interval is None:
            return False
        reference = self.last_message if self.last_message is not None else self.started_at
        return now - reference > SILENCE_FACTOR * self.expected_interval


class StreamWatcher:
    """Keeps one subscription alive; run :meth:`run` as a task on the loop that owns ``exchange``.

    ``exchange`` is the raw ccxt.pro object (the watcher closes its sockets when a stream goes silent);
    ``watch`` is the guarded call, e.g. ``lambda: guard.watch_mark_price(symbol)``.
    """

    def __init__(
        self,
        stream_id: str,
        label: str,
        exchange: Any,
        watch: Callable[[], Awaitable[Any]],
        on_message: Callable[[Any], None],
        *,
        expected_interval: float | None,
        on_reconnect: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        reconnect_first: float = RECONNECT_FIRST_SECONDS,
    ) -> None:
        self._exchange = exchange
        self._watch = watch
        self._on_message = on_message
        self._on_reconnect = on_reconnect
        self._clock = clock
        self._rng = rng or random.Random()
        self._reconnect_first = reconnect_first
        self._had_connection = False
        self._attempt_at = clock()
        self.health = StreamHealth(stream_id, label, expected_interval, started_at=clock())

    def _silence_limit(self) -> float | None:
        interval = self.health.expected_interval
        return None if interval is None else SILENCE_FACTOR * interval

    async def run(self) -> None:
        """Watch until cancelled; never raises anything else."""
        while True:
            task = asyncio.ensure_future(self._watch())
            try:
                result = await self._wait(task)
            except asyncio.CancelledError:
                task.cancel()
                raise
            except Exception as error:  # a dropped socket, a venue error, a malformed frame
                await self._failed(error)
                continue
            self._received(result)

    async def _wait(self, task: asyncio.Future[Any]) -> Any:
        """The watch result; a silent stream has its socket dropped, which fails ``task``."""
        limit = self._silence_limit()
        while True:
            if limit is None:
                # event-driven: no message may come for hours; the socket's state tells the health
                done, _ = await asyncio.wait({task}, timeout=TRANSPORT_CHECK_SECONDS)
                if done:
                    return task.result()
                if self._transport_up():
                    self._mark_connected()
                continue
            # a new attempt gets a full silence limit of its own, whatever the old socket's age
            reference = max(self.health.last_message or 0.0, self._attempt_at)
            remaining = reference + limit - self._clock()
            if remaining > 0:
                done, _ = await asyncio.wait({task}, timeout=remaining)
                if done:
                    return task.result()
                continue
            age = self._clock() - reference
            reason = (
                f"{self.health.label}: no message for {age:.1f} s "
                f"(expected every {self.health.expected_interval:g} s)"
            )
            log.warning("%s; reconnecting", reason)
            self.health = replace(self.health, stalled=True)
            self.drop_silent_sockets(reason)
            # the rejected watch ends the task; if ccxt had no socket for it, stop waiting here
            await asyncio.wait({task}, timeout=1.0)
            if not task.done():
                task.cancel()
                raise ccxt.RequestTimeout(reason)
            return task.result()

    def drop_silent_sockets(self, reason: str) -> None:
        """Fail every socket of the exchange that has been quiet for the silence limit (ccxt then
        rejects their pending watches and opens a new socket on the next watch)."""
        limit = self._silence_limit() or 0.0
        now_ms = self._clock() * 1000.0
        clients = list((getattr(self._exchange, "clients", None) or {}).values())
        quiet = [
            c
            for c in clients
            if getattr(c, "last_message_at", None) is None
            or now_ms - float(c.last_message_at) >= limit * 1000.0 * 0.9
        ]
        # pongs keep a socket "talking" while its subscription is dead: then every socket goes
        for client in quiet or clients:
            client.on_error(ccxt.RequestTimeout(reason))

    def _transport_up(self) -> bool:
        """Some socket of the exchange is open and was not failed (ccxt keeps one per URL)."""
        for client in list((getattr(self._exchange, "clients", None) or {}).values()):
            connected = getattr(client, "connected", None)
            if connected is None or not connected.done() or connected.cancelled():
                continue
            if connected.exception() is None and not client.error and not client.closed():
                return True
        return False

    def _mark_connected(self, message_at: float | None = None) -> bool:
        """Record a working connection; True when it is a reconnection."""
        reconnected = self._had_connection and not self.health.connected
        self._had_connection = True
        self.health = replace(
            self.health,
            connected=True,
            stalled=False,
            last_message=message_at if message_at is not None else self.health.last_message,
            failures=0 if message_at is not None or reconnected else self.health.failures,
            last_error=None,
            reconnects=self.health.reconnects + (1 if reconnected else 0),
        )
        if reconnected and self._on_reconnect is not None:
            self._on_reconnect()
        return reconnected

    def _received(self, result: Any) -> None:
        self._mark_connected(self._clock())
        self.health = replace(self.health, failures=0)
        try:
            self._on_message(result)
        except Exception as error:  # a payload our normalisation cannot read: visible, never fatal
            log.warning("%s: could not use a message: %s", self.health.label, describe(error))
            self.health = replace(self.health, last_error=describe(error))

    async def _failed(self, error: BaseException) -> None:
        failures = self.health.failures + 1
        was_connected = self.health.connected
        self.health = replace(
            self.health,
            connected=False,
            failures=failures,
            last_error=describe(error),
        )
        if was_connected:
            log.warning("%s disconnected: %s", self.health.label, describe(error))
        if isinstance(error, ccxt.AuthenticationError | ccxt.NotSupported):
            # a bad key or an unsupported stream will not heal by retrying fast
            await asyncio.sleep(RECONNECT_CAP_SECONDS)
            self._attempt_at = self._clock()
            return
        await asyncio.sleep(reconnect_delay(failures, self._rng, self._reconnect_first))
        self._attempt_at = self._clock()
