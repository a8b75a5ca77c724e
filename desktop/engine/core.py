"""The monitor engine core: one asyncio loop in a worker thread runs every feed; front ends get snapshots.

No Qt here (an import-linter contract keeps it so): the window (:mod:`desktop.engine.qt_engine`, queued
Qt signals) and the headless watcher are two thin front ends on this one engine.

Threading (house-style.md §7): :class:`AsyncioThread` owns the loop; nothing else touches it. A front
end sends commands with :meth:`MonitorEngine.call_soon` / :meth:`MonitorEngine.submit`; results come back
as immutable :class:`~desktop.engine.snapshots.EngineSnapshot` objects handed to every listener (called
on the loop thread), at most ``emit_hz`` times a second and only when something changed. A reader that
raises puts its feed into an error state and is retried with exponential backoff; the loop never dies.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import gc
import logging
import math
import threading
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from desktop.engine.cascade_tracker import CascadeTracker
from desktop.engine.cascade_tracker import ingest as ingest_market
from desktop.engine.feeds import AccountReader, MarketReader
from desktop.engine.market_history import MarketHistory
from desktop.engine.risk_view import AccountInput, RiskThresholds, assess_accounts, remark
from desktop.engine.snapshots import (
    AccountSnapshot,
    DemoStatus,
    EngineSnapshot,
    FeedStatus,
    MarketTick,
    StopView,
)
from desktop.secrets.redact import redact
from risk import Account, StressResult

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0
GUI_ACK_TIMEOUT_SECONDS = 2.0
FULL_REFRESH_SECONDS = 1.0


class AsyncioThread:
    """Owns one asyncio loop on a daemon thread; nothing else touches the loop."""

    def __init__(self, name: str = "liqguard-io") -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        self._loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run a coroutine on the loop; returns a future the caller must not block the GUI on."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def call_soon(self, fn: Callable[[], object]) -> None:
        self._loop.call_soon_threadsafe(fn)

    def stop(
        self, shutdown: Callable[[], Coroutine[Any, Any, None]] | None = None, timeout: float = 5.0
    ) -> None:
        if not self._thread.is_alive():
            return
        if shutdown is not None:
            try:
                self.submit(shutdown()).result(timeout)
            except TimeoutError:
                # The loop is busy in a long synchronous step (a snapshot build under load): the
                # thread is a daemon, so exiting without waiting loses nothing but the wait.
                log.warning("engine shutdown did not finish within %.0f s; exiting without waiting", timeout)
            except Exception:  # a reader that fails to close must not block the exit
                log.exception("engine shutdown")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()


def backoff_delay(interval: float, consecutive_errors: int) -> float:
    """Seconds to wait before retrying a feed that failed ``consecutive_errors`` times in a row."""
    return min(MAX_BACKOFF_SECONDS, interval * (2.0 ** min(consecutive_errors, 10)))


def _error_text(exc: BaseException) -> str:
    text = redact(str(exc).splitlines()[0]) if str(exc) else ""  # a venue may echo a credential
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


class EngineState:
    """Mutable state of the engine; lives on (and is only touched from) the loop thread."""

    def __init__(
        self, accounts: Sequence[AccountReader], markets: Sequence[MarketReader], now: float
    ) -> None:
        self.account_readers = {r.account_id: r for r in accounts}
        self.market_readers = {r.feed_id: r for r in markets}
        self.accounts: dict[str, Account | None] = {r.account_id: None for r in accounts}
        self.feeds: dict[str, FeedStatus] = {}
        for reader in accounts:
            self.feeds[reader.account_id] = FeedStatus(
                reader.account_id, reader.label, reader.poll_interval, started_at=now
            )
        for reader in markets:
            self.feeds[reader.feed_id] = FeedStatus(
                reader.feed_id, reader.label, reader.poll_interval, started_at=now
            )
        self.histories: dict[str, MarketHistory] = {}
        self.trackers: dict[str, CascadeTracker] = {}
        self.stress: dict[str, StressResult] = {}
        self.stops: dict[tuple[str, str, str], StopView | None] = {}
        self.full_at: dict[str, float] = {}
        """Per account: when its stress, stops and volatility columns were last recomputed."""
        self.remarked: dict[str, tuple[Account, Account]] = {}
        """Per account: (the reader's account, that account at the latest marks)."""
        self.assessed: dict[str, AccountSnapshot] = {}
        self.dirty = True
        self.sequence = 0


SnapshotListener = Callable[[EngineSnapshot], object]
"""Called on the loop thread with each published snapshot; it must return quickly (hand the snapshot
over to its own thread or queue)."""


class MonitorEngine:
    """Schedules the readers on the loop thread and publishes snapshots to its listeners.

    Add listeners with :meth:`add_listener`, then :meth:`start`.
    """

    def __init__(
        self,
        accounts: Sequence[AccountReader],
        markets: Sequence[MarketReader] = (),
        *,
        thresholds: RiskThresholds | None = None,
        emit_hz: float = 10.0,
        history_capacity: int = 21_600,
        clock: Callable[[], float] = time.time,
        demo_status: Callable[[], DemoStatus | None] | None = None,
    ) -> None:
        self._listeners: list[SnapshotListener] = []
        self._clock = clock
        self._thresholds = thresholds or RiskThresholds()
        self._emit_interval = 1.0 / emit_hz
        self._capacity = history_capacity
        self._demo_status = demo_status
        self._state = EngineState(accounts, markets, clock())
        self._thread = AsyncioThread()
        self._tasks: set[asyncio.Task[None]] = set()
        self._account_tasks: dict[str, asyncio.Task[None]] = {}
        self._stream_tasks: dict[str, asyncio.Task[None]] = {}
        self._latest: EngineSnapshot | None = None
        self._gui_busy_since: float | None = None
        self._acknowledged = False
        self._wake: asyncio.Event | None = None
        self._urgent = False
        """A streamed mark is waiting: publish without waiting out the emit interval."""
        self._urgent_flag: asyncio.Event | None = None
        self._latest_lock = threading.Lock()

    # ---- front-end API (any thread) ------------------------------------------------------
    def add_listener(self, listener: SnapshotListener) -> None:
        """Call ``listener`` with every published snapshot (on the loop thread); add before start."""
        self._listeners.append(listener)

    @property
    def thresholds(self) -> RiskThresholds:
        return self._thresholds

    @property
    def latest(self) -> EngineSnapshot | None:
        """The last snapshot built (any thread)."""
        with self._latest_lock:
            return self._latest

    def start(self) -> None:
        self._thread.start()
        self._thread.submit(self._start_tasks()).result(5)

    def stop(self) -> None:
        self._thread.stop(self._shutdown)

    def call_soon(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` on the loop thread (e.g. change the demo speed); marks the state dirty."""

        def run() -> None:
            fn()
            self._state.dirty = True

        self._thread.call_soon(run)

    def restart(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` on the loop thread (e.g. reset the demo venue), then forget all history."""

        def run() -> None:
            fn()
            self._state.histories.clear()
            self._state.trackers.clear()
            self._state.assessed.clear()
            self._state.remarked.clear()
            for account_id in self._state.accounts:
                self._state.accounts[account_id] = None

        self.call_soon(run)

    def set_thresholds(self, thresholds: RiskThresholds) -> None:
        def apply() -> None:
            self._thresholds = thresholds
            self._state.assessed.clear()  # every account is judged again with the new tiers

        self.call_soon(apply)

    def request_snapshot(self) -> concurrent.futures.Future[EngineSnapshot]:
        """Build a snapshot now (for tests and the headless check); resolves on the loop thread."""

        async def build() -> EngineSnapshot:
            return self._publish(force=True)

        return self._thread.submit(build())

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return self._thread.submit(coro)

    def account_reader(self, account_id: str) -> AccountReader | None:
        """The reader of an account, for read-only look-ups run through :meth:`submit` (e.g. its
        liquidation history); ``None`` if the account is not monitored."""
        return self._state.account_readers.get(account_id)

    # ---- loop thread --------------------------------------------------------------------
    def add_account(self, reader: AccountReader) -> None:
        """Start polling another account (e.g. one the wizard just saved); replaces one with its id."""

        async def add() -> None:
            await self._remove(reader.account_id)
            state = self._state
            state.account_readers[reader.account_id] = reader
            state.accounts[reader.account_id] = None
            state.feeds[reader.account_id] = FeedStatus(
                reader.account_id, reader.label, reader.poll_interval, started_at=self._clock()
            )
            self._spawn_account(reader)
            state.dirty = True

        self._thread.submit(add())

    def remove_account(self, account_id: str) -> None:
        """Stop polling an account, close its reader and drop it from the snapshots."""
        self._thread.submit(self._remove(account_id))

    async def _remove(self, account_id: str) -> None:
        state = self._state
        for tasks in (self._account_tasks, self._stream_tasks):
            task = tasks.pop(account_id, None)
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        reader = state.account_readers.pop(account_id, None)
        state.accounts.pop(account_id, None)
        state.feeds.pop(account_id, None)
        state.remarked.pop(account_id, None)
        state.assessed.pop(account_id, None)
        state.stress.pop(account_id, None)
        if reader is not None:
            try:
                await reader.close()
            except Exception:  # a reader that fails to close must not keep the account
                log.exception("closing %s", reader.label)
        state.dirty = True

    async def _start_tasks(self) -> None:
        for reader in self._state.market_readers.values():
            self._spawn(self._poll_forever(reader.feed_id, reader.poll_interval, self._read_market(reader)))
            self._spawn_streams(reader.feed_id, reader)
        for account_reader in self._state.account_readers.values():
            self._spawn_account(account_reader)
        self._spawn(self._publish_forever())

    def _spawn_account(self, reader: AccountReader) -> None:
        poll = self._poll_forever(reader.account_id, reader.poll_interval, self._read_account(reader))
        self._account_tasks[reader.account_id] = self._spawn(poll)
        self._spawn_streams(reader.account_id, reader)

    def _spawn_streams(self, key: str, reader: object) -> None:
        """A streaming reader (``run_streams(sink)``) pushes into :meth:`stream_ticks` and
        :meth:`stream_account` as messages arrive; its poll stays as the REST safety net."""
        run_streams = getattr(reader, "run_streams", None)
        if run_streams is not None:
            self._stream_tasks[key] = self._spawn(run_streams(self))

    # ---- stream sink (loop thread) ------------------------------------------------------
    def stream_ticks(self, ticks: Sequence[MarketTick]) -> None:
        """Streamed market ticks: into the histories now; published at once (no rate limit)."""
        self.ingest_ticks(ticks)
        if ticks:
            self._urgent = True
            if self._urgent_flag is not None:
                self._urgent_flag.set()

    def stream_account(self, account_id: str, account: Account) -> None:
        """A streamed account update (e.g. a position size changed); ignored for removed accounts."""
        if account_id in self._state.account_readers:
            self._state.accounts[account_id] = account
            self._mark_dirty()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _read_market(self, reader: MarketReader) -> Callable[[], Coroutine[Any, Any, None]]:
        async def once() -> None:
            ticks = await reader.read_market()
            self.ingest_ticks(ticks, reader.venue, history=not getattr(reader, "cascade_only", False))

        return once

    def _read_account(self, reader: AccountReader) -> Callable[[], Coroutine[Any, Any, None]]:
        async def once() -> None:
            account = await reader.read_account()
            if not isinstance(account, Account):
                raise TypeError(f"reader returned {type(account).__name__}, not an Account")
            if reader.account_id not in self._state.account_readers:
                return
            self._state.accounts[reader.account_id] = account
            self._mark_dirty()

        return once

    def ingest_ticks(self, ticks: Sequence[MarketTick], venue: str = "", history: bool = True) -> None:
        """Append ticks to the per-symbol histories and the per-underlying cascade state (loop thread);
        ``history=False``: a public market reader's ticks feed the cascade state only."""
        ingest_market(self._state.histories, self._state.trackers, ticks, self._capacity, venue, history)
        if ticks:
            self._mark_dirty()

    async def _poll_forever(
        self, feed_id: str, interval: float, once: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        while True:
            feed = self._state.feeds.get(feed_id)
            if feed is None:  # the feed was removed
                return
            try:
                await once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any reader failure: record, back off, retry
                errors = feed.consecutive_errors + 1
                if feed_id not in self._state.feeds:
                    return
                self._state.feeds[feed_id] = dataclasses.replace(
                    feed, error=_error_text(exc), consecutive_errors=errors
                )
                self._state.dirty = True
                log.warning("feed %s failed (%d in a row): %s", feed_id, errors, _error_text(exc))
                await asyncio.sleep(backoff_delay(interval, errors))
                continue
            if feed_id not in self._state.feeds:
                return
            self._state.feeds[feed_id] = dataclasses.replace(
                feed, last_update=self._clock(), error=None, consecutive_errors=0
            )
            self._state.dirty = True
            await asyncio.sleep(interval)

    def _mark_dirty(self) -> None:
        self._state.dirty = True
        if self._wake is not None:
            self._wake.set()

    async def _publish_forever(self) -> None:
        """Publish as soon as something changed, but at most ``emit_hz`` times a second: a tick after a
        quiet spell is on screen one snapshot-build later, a burst of ticks is coalesced.

        A streamed mark (:meth:`stream_ticks`) is published at once, without the rate limit: the GUI's
        acknowledgement already keeps snapshots from piling up, and waiting out the interval was the
        latency floor. The slow part of a snapshot (the full refresh of a slice of accounts: stress,
        stops) runs after a snapshot is sent, one account at a time, and gives way to a waiting tick.
        """
        self._wake = wake = asyncio.Event()
        published_at = -math.inf
        frozen = False
        while True:
            wait = self._emit_interval - (time.monotonic() - published_at)
            if wait > 0 and not self._urgent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._urgent_event().wait(), timeout=wait)
            wake.clear()
            urgent, self._urgent = self._urgent, False
            started = time.monotonic()
            before = self._latest
            try:
                sent = self._publish(refresh=False) is not before
            except Exception:  # a bug in building one snapshot must not stop the next ones
                log.exception("building the snapshot failed")
                sent = False
            if not sent and urgent and self._state.dirty:
                self._urgent = True  # the GUI was busy: the tick goes out on its acknowledgement, not later
            if sent:
                published_at = started
                if not frozen and all(a is not None for a in self._state.accounts.values()):
                    # Start-up garbage (imports, first reads, the first book) is permanent: keep the
                    # collector from walking it again on every full collection (a pause on the hot path).
                    gc.freeze()
                    frozen = True
                try:
                    await self._refresh_in_slices(wake)
                except Exception:
                    log.exception("refreshing stress and stops failed")
                continue
            # Nothing new, or the GUI is still busy: wait for a tick, its acknowledgement or the interval.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=self._emit_interval)

    def _urgent_event(self) -> asyncio.Event:
        if self._urgent_flag is None:
            self._urgent_flag = asyncio.Event()
        self._urgent_flag.clear()
        return self._urgent_flag

    async def _refresh_in_slices(self, wake: asyncio.Event) -> None:
        """:meth:`_refresh_due`, one account per loop turn, stopping early when a tick is waiting."""
        now = self._clock()
        due = [a for a in self._due_for_refresh(self._live(), now) if a in self._state.assessed]
        for account_id in due:
            await asyncio.sleep(0)  # let a waiting WebSocket message in first
            if wake.is_set() or self._urgent:
                return
            if account_id in self._state.assessed:
                self._refresh_accounts([account_id], now)

    def use_acknowledgements(self) -> None:
        """The receiver calls :meth:`snapshot_consumed` after each snapshot (the main window does)."""
        self._acknowledged = True

    def snapshot_consumed(self) -> None:
        """The GUI has handled the last snapshot (any thread): the next one may be sent.

        Back-pressure: while the GUI is busy, snapshots are not queued behind each other (they would
        pile up without bound when the GUI is slower than the feeds); the newest is sent when it is
        free, or after :data:`GUI_ACK_TIMEOUT_SECONDS` in case an acknowledgement was lost.
        """
        self._gui_busy_since = None
        wake = self._wake
        if wake is not None and self._state.dirty:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nothing waits any more
                self._thread.loop.call_soon_threadsafe(wake.set)

    def _publish(self, force: bool = False, refresh: bool = True) -> EngineSnapshot:
        state = self._state
        if not (state.dirty or force) and self._latest is not None:
            return self._latest
        busy_since = self._gui_busy_since
        if not force and busy_since is not None and time.monotonic() - busy_since < GUI_ACK_TIMEOUT_SECONDS:
            assert self._latest is not None
            return self._latest  # state stays dirty: published as soon as the GUI is free
        state.dirty = False
        snapshot = self.build_snapshot(refresh=refresh)
        with self._latest_lock:
            self._latest = snapshot
        if self._acknowledged and not force:
            self._gui_busy_since = time.monotonic()
        for listener in self._listeners:
            try:
                listener(snapshot)
            except Exception:  # one broken front end must not stop the others or the loop
                log.exception("a snapshot listener failed")
        return snapshot

    def _due_for_refresh(self, live: Sequence[str], now: float) -> list[str]:
        """The slice of accounts whose stress, stops and volatility columns are recomputed next: the
        longest-unrefreshed ones, enough per snapshot for each to come round about once a second."""
        full_at = self._state.full_at
        stale = sorted(
            (a for a in live if now - full_at.get(a, -1e18) >= FULL_REFRESH_SECONDS),
            key=lambda a: full_at.get(a, -1e18),
        )
        return stale[: max(1, math.ceil(len(live) * self._emit_interval / FULL_REFRESH_SECONDS))]

    def _live(self) -> list[str]:
        state = self._state
        return [a for a in state.account_readers if state.accounts[a] is not None]

    def _input_at_marks(self, account_id: str, marks: Mapping[str, float]) -> tuple[AccountInput, bool]:
        """The account at the latest marks, and whether that is the account last assessed."""
        state = self._state
        account = state.accounts[account_id]
        assert account is not None
        base, last = state.remarked.get(account_id, (None, None))
        start = last if base is account and last is not None else account
        current = remark(start, marks)
        state.remarked[account_id] = (account, current)
        reader = state.account_readers[account_id]
        paid = getattr(reader, "funding_paid_24h", None)  # optional reader attribute, float or None
        item = AccountInput(account_id, reader.label, current, state.feeds[account_id], paid)
        return item, current is last

    def _keep_refreshed(self, snapshots: Sequence[AccountSnapshot], now: float | None) -> None:
        """Remember stops and stress of freshly assessed accounts (and when they were fully refreshed)."""
        state = self._state
        for snapshot in snapshots:
            if now is not None:
                state.full_at[snapshot.account_id] = now
            state.stops.update({row.key: row.stop for row in snapshot.rows})
            if snapshot.stress is not None:
                state.stress[snapshot.account_id] = snapshot.stress

    def _refresh_due(self) -> None:
        """Fully refresh the due slice of accounts now; the next snapshot shows them (loop thread)."""
        now = self._clock()
        due = [a for a in self._due_for_refresh(self._live(), now) if a in self._state.assessed]
        if due:
            self._refresh_accounts(due, now)

    def _refresh_accounts(self, due: Sequence[str], now: float) -> None:
        state = self._state
        markets = {symbol: history.series() for symbol, history in state.histories.items()}
        marks = {s: m.last_mark for s, m in markets.items() if m.last_mark is not None}
        inputs = [self._input_at_marks(account_id, marks)[0] for account_id in due]
        snapshots = assess_accounts(inputs, markets, self._thresholds)
        self._keep_refreshed(snapshots, now)
        state.assessed.update((snapshot.account_id, snapshot) for snapshot in snapshots)
        self._mark_dirty()

    def build_snapshot(self, refresh: bool = True) -> EngineSnapshot:
        """Assess every account against the latest marks (loop thread); without ``refresh`` only the
        accounts whose input changed are assessed (the caller refreshes the slow columns later)."""
        state = self._state
        state.sequence += 1
        markets = {symbol: history.series() for symbol, history in state.histories.items()}
        marks = {s: m.last_mark for s, m in markets.items() if m.last_mark is not None}
        now = self._clock()
        # Stress curves, stop suggestions and volatility-based columns move slowly: each account is
        # fully refreshed about once a second, a slice of the accounts per snapshot (so no single
        # snapshot pays for the whole book). Other accounts are assessed again only when their input
        # changed (a new read, or a mark of a symbol they hold); the rest keep their last snapshot
        # with a fresh feed status. A tick for one symbol costs what its accounts cost, not the book.
        live = self._live()
        due = set(self._due_for_refresh(live, now)) if refresh else set()
        due |= {a for a in live if a not in state.assessed}
        full_inputs: list[AccountInput] = []
        fast_inputs: list[AccountInput] = []
        kept: dict[str, AccountSnapshot] = {}
        for account_id in live:
            item, unchanged = self._input_at_marks(account_id, marks)
            previous = state.assessed.get(account_id)
            if account_id in due:
                full_inputs.append(item)
            elif unchanged and previous is not None:
                kept[account_id] = dataclasses.replace(
                    previous, feed=state.feeds[account_id], funding_paid_24h=item.funding_paid_24h
                )
            else:
                fast_inputs.append(item)
        full = assess_accounts(full_inputs, markets, self._thresholds)
        self._keep_refreshed(full, now)
        fast = assess_accounts(
            fast_inputs,
            markets,
            self._thresholds,
            stress_for=frozenset(),
            previous_stress=state.stress,
            previous_stops=state.stops,
        )
        self._keep_refreshed(fast, None)
        assessed = {snapshot.account_id: snapshot for snapshot in (*full, *fast)}
        assessed.update(kept)
        state.assessed = assessed
        accounts = [
            assessed.get(account_id)
            or AccountSnapshot(account_id, reader.label, reader.venue, state.feeds[account_id])
            for account_id, reader in state.account_readers.items()
        ]
        market_times = [h.last_time for h in state.histories.values() if h.last_time is not None]
        return EngineSnapshot(
            sequence=state.sequence,
            wall_time=self._clock(),
            market_time=max(market_times) if market_times else self._clock(),
            accounts=tuple(accounts),
            markets=markets,
            feeds=(*state.feeds.values(), *self._stream_feeds()),
            demo=self._demo_status() if self._demo_status else None,
        )

    def _stream_feeds(self) -> list[FeedStatus]:
        """Per-stream health of the streaming readers (one status per stream)."""
        feeds: list[FeedStatus] = []
        readers = [*self._state.account_readers.values(), *self._state.market_readers.values()]
        for reader in readers:
            stream_feeds = getattr(reader, "stream_feeds", None)
            if stream_feeds is not None:
                try:
                    feeds.extend(stream_feeds())
                except Exception:  # health reporting must never break a snapshot
                    log.exception("stream health of %s", getattr(reader, "label", reader))
        return feeds

    async def _shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        readers: list[AccountReader | MarketReader] = [
            *self._state.account_readers.values(),
            *self._state.market_readers.values(),
        ]
        for reader in readers:
            try:
                await reader.close()
            except Exception:
                log.exception("closing %s", getattr(reader, "label", reader))
