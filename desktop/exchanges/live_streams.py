"""Real accounts over ccxt.pro WebSockets, with REST as the safety net.

Per venue (:class:`StreamingMarketReader`): the mark stream (``watch_mark_price`` on Binance and OKX, the
ticker elsewhere, which carries the mark), funding where the venue streams it separately (OKX
``watch_funding_rate``; Binance's mark push, Bybit's ticker and Hyperliquid's asset context carry it),
open interest where the stream carries it (Bybit, Hyperliquid; REST elsewhere) and the order book
(``watch_order_book``; depth within +-1 % and +-2 % of mid computed from the streamed book). Every
streamed mark is pushed to the engine at once as a :class:`MarketTick` (the engine re-marks the
positions on it).

Per account (:class:`StreamingAccountReader`): ``watch_positions`` and ``watch_balance``. A position
update changes the size and entry of a position the account already holds at once (the engine re-assesses
it); anything else (a new symbol, a balance change) asks for a REST read, which is authoritative.

REST reconciles on connect, after every reconnect and every :data:`RECONCILE_SECONDS`; a difference
between the streamed state and REST is logged and REST wins. While a stream is down the REST poll at the
scheduler's interval takes over (:mod:`desktop.exchanges.scheduler`). Every call goes through the
read-only guard; Binance's private stream needs one write, the listenKey POST, which ccxt makes inside
``watch_positions``/``watch_balance`` (ccxt-notes.md section 7.4).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.accounts import AccountConfig
from desktop.engine.snapshots import FeedStatus, MarketTick
from desktop.exchanges.guard import ReadOnlyExchange
from desktop.exchanges.live import ExchangeAccountReader, ExchangeMarketReader
from desktop.exchanges.normalise import number, positive
from desktop.exchanges.reader import book_depth
from desktop.exchanges.stream_watch import StreamHealth, StreamWatcher
from risk import Account

log = logging.getLogger(__name__)

RECONCILE_SECONDS = 60.0
"""REST reads the streamed state again this often even when every stream is healthy."""
PRIVATE_INTERVAL_SECONDS = RECONCILE_SECONDS
"""Private streams push on change only; they count as current while connected and reconciled."""
MARK_DRIFT_TOLERANCE = 0.005
"""A REST mark more than this fraction away from the streamed one is logged as a difference."""


@dataclass(frozen=True, slots=True)
class VenueStreams:
    """What one venue streams publicly, as data.

    ``mark_method`` is the ccxt.pro call carrying the mark; ``mark_interval`` the seconds between its
    pushes the venue documents (the silence rule uses it); ``funding_method`` a separate funding stream
    (``None``: funding rides on the mark push or comes from REST); ``book_limit`` the depth asked of
    ``watch_order_book`` (``None``: no book stream); ``funding_interval_hours`` the venue's funding period.
    """

    mark_method: str
    mark_interval: float
    source: str
    funding_method: str | None = None
    book_limit: int | None = None
    book_interval: float = 5.0
    funding_interval_hours: float = 8.0


VENUE_STREAMS: dict[str, VenueStreams] = {
    "binanceusdm": VenueStreams(
        "watch_mark_price", 1.0, "<symbol>@markPrice@1s: every 1 s, with index and funding", book_limit=100
    ),
    "binancecoinm": VenueStreams(
        "watch_mark_price", 1.0, "<symbol>@markPrice@1s: every 1 s, with index and funding", book_limit=100
    ),
    "bybit": VenueStreams(
        "watch_ticker", 5.0, "tickers.<SYMBOL>: on change (100 ms), mark, index, funding, OI", book_limit=50
    ),
    "okx": VenueStreams(
        "watch_mark_price",
        10.0,
        "mark-price: every 200 ms on change, at least every 10 s",
        funding_method="watch_funding_rate",
        book_limit=5,
    ),
    "hyperliquid": VenueStreams(
        "watch_ticker",
        5.0,
        "activeAssetCtx: per block, mark, oracle, hourly funding, OI",
        book_limit=20,
        funding_interval_hours=1.0,
    ),
}
"""Venues whose public data LiqGuard streams; the others stay on REST polling."""


class StreamSink(Protocol):
    """Where streamed data goes (the engine, on its loop thread)."""

    def stream_ticks(self, ticks: Sequence[MarketTick]) -> None: ...

    def stream_account(self, account_id: str, account: Account) -> None: ...


def ticker_fields(venue: str, ticker: Mapping[str, Any]) -> dict[str, float | None]:
    """Mark, index, funding (per interval) and open interest (base units) from a streamed ticker/mark.

    ccxt 4.5.90 fills ``markPrice``/``indexPrice`` on Binance, Bybit and OKX; Hyperliquid's asset context
    keeps ``markPx``, ``oraclePx``, ``funding`` and ``openInterest`` in ``info``; Binance's mark push has
    funding as ``r``; Bybit's ticker has ``fundingRate`` and ``openInterest`` in ``info``."""
    info = ticker.get("info") or {}
    out: dict[str, float | None] = {
        "mark_price": positive(ticker.get("markPrice")),
        "index_price": positive(ticker.get("indexPrice")),
    }
    if venue == "hyperliquid":
        out["mark_price"] = out["mark_price"] or positive(info.get("markPx"))
        out["index_price"] = out["index_price"] or positive(info.get("oraclePx"))
        out["funding_rate"] = number(info.get("funding"))
        out["open_interest"] = number(info.get("openInterest"))
    elif venue in ("binanceusdm", "binancecoinm"):
        out["funding_rate"] = number(info.get("r"))
    elif venue == "bybit":
        out["funding_rate"] = number(info.get("fundingRate"))
        out["open_interest"] = number(info.get("openInterest"))
    return {k: v for k, v in out.items() if v is not None}


def book_depths(book: Mapping[str, Any], market: Mapping[str, Any]) -> dict[str, float]:
    """Resting notional within +-1 % and +-2 % of mid (quote currency; USD for inverse contracts)."""
    depths: dict[str, float] = {}
    for band, name in ((0.01, "1pct"), (0.02, "2pct")):
        depth = book_depth(book, market, band)
        if not depth:
            return {}
        depths[f"bid_depth_{name}_usd"] = depth["bid_depth"]
        depths[f"ask_depth_{name}_usd"] = depth["ask_depth"]
    return depths


def stream_feed(health: StreamHealth, fallback_interval: float) -> FeedStatus:
    """A stream's health as the engine's per-feed status (shown in the status bar, judged by alerts)."""
    return FeedStatus(
        feed_id=health.stream_id,
        label=health.label,
        expected_interval=health.expected_interval or fallback_interval,
        last_update=health.last_message,
        error=None if health.connected else health.last_error,
        consecutive_errors=health.failures,
        started_at=health.started_at,
        # a silent stream keeps reconnecting to a venue that answers: stale (by age), not disconnected
        connected=health.connected
        or health.stalled
        or (health.last_message is None and health.failures == 0),
        reconnects=health.reconnects,
    )


class StreamingMarketReader(ExchangeMarketReader):
    """A venue's public data streamed; its REST read (the engine's poll) is the safety net."""

    def __init__(
        self,
        venue: str,
        exchange: Any,
        accounts: Sequence[Any],
        *,
        clock: Callable[[], float] = time.time,
        symbols: Callable[[], Sequence[str]] | None = None,
        reconnect_first: float = 0.5,
        intervals: VenueStreams | None = None,
    ) -> None:
        """``exchange`` is a ccxt.pro object (its REST methods serve the fallback); ``symbols`` overrides
        the symbols to watch (default: those the venue's accounts hold)."""
        super().__init__(venue, exchange, accounts, clock=clock, streaming=True)
        self.rest_interval = self.poll_interval
        self.poll_interval = 1.0  # the poll only checks whether REST is due; it rarely calls the venue
        self.streams = intervals or VENUE_STREAMS[venue]
        self._guard = ReadOnlyExchange(exchange)
        self._symbols_override = symbols
        self._reconnect_first = reconnect_first
        self._state: dict[str, dict[str, float]] = {}
        self._watchers: dict[str, StreamWatcher] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._sink: StreamSink | None = None
        self._rest_at = -math.inf
        self._reconcile_asked = True
        self.differences: list[str] = []
        """Stream/REST differences found by reconciliations (newest last, at most 100)."""

    def symbols(self) -> list[str]:
        if self._symbols_override is not None:
            return sorted(self._symbols_override())
        return super().symbols()

    # ---- streams -------------------------------------------------------------------------------
    async def run_streams(self, sink: StreamSink) -> None:
        """Keep one watcher per (stream, symbol) for the held symbols, until cancelled."""
        self._sink = sink
        try:
            while True:
                await self._ensure_watchers()
                await asyncio.sleep(1.0)
        finally:
            for task in self._tasks.values():
                task.cancel()
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def _ensure_watchers(self) -> None:
        symbols = self.symbols()
        if not symbols:
            return
        await self._guard.load_markets()
        if self.stream is not None:
            self.stream.watch(symbols)
        for symbol in symbols:
            streams = self.streams
            self._watch(f"mark:{symbol}", "mark", symbol, streams.mark_method, streams.mark_interval)
            if self.streams.funding_method:
                self._watch(f"funding:{symbol}", "funding", symbol, self.streams.funding_method, None)
            if self.streams.book_limit:
                self._watch(f"book:{symbol}", "book", symbol, "watch_order_book", self.streams.book_interval)

    def _watch(self, key: str, kind: str, symbol: str, method: str, interval: float | None) -> None:
        if key in self._tasks and not self._tasks[key].done():
            return
        call = getattr(self._guard, method)
        args: tuple[Any, ...] = (symbol, self.streams.book_limit) if kind == "book" else (symbol,)
        watcher = StreamWatcher(
            f"{self.venue}:{kind}:{symbol}",
            f"{self.venue} {kind} {symbol}",
            self._exchange,
            lambda: call(*args),
            lambda message: self._on_message(kind, symbol, message),
            expected_interval=interval,
            on_reconnect=self.request_reconcile,
            clock=self._clock,
            reconnect_first=self._reconnect_first,
        )
        self._watchers[key] = watcher
        self._tasks[key] = asyncio.ensure_future(watcher.run())

    def _on_message(self, kind: str, symbol: str, message: Mapping[str, Any]) -> None:
        state = self._state.setdefault(symbol, {})
        if kind == "mark":
            message = self._newest(symbol, message)
            fields = ticker_fields(self.venue, message)
            if "mark_price" not in fields:
                raise ValueError(f"{symbol}: the {self.streams.mark_method} push has no mark price")
            stamp = number(message.get("timestamp"))
            if stamp is not None and stamp < state.get("venue_ms", -math.inf):
                # an update older than one already applied (out of order): the newer mark stands
                log.debug(
                    "%s %s: mark of %d ms after one of %d ms ignored",
                    self.venue,
                    symbol,
                    stamp,
                    state["venue_ms"],
                )
                return
            if stamp is not None:
                state["venue_ms"] = stamp
            oi = fields.pop("open_interest", None)
            market = self.reader.market_of(symbol)
            if oi is not None and not market.get("inverse"):
                # contracts x contract size is base units (the venue's amount on Bybit and Hyperliquid)
                fields["open_interest"] = oi * float(market.get("contractSize") or 1.0)
            state.update(fields)
            tick = self._tick(symbol)
            if tick is not None and self._sink is not None:
                ticks = self._with_liquidations([tick]) if self.stream is not None else [tick]
                self._sink.stream_ticks([t for t in ticks if t is not None])
        elif kind == "funding":
            rate = number(message.get("fundingRate"))
            if rate is not None:
                state["funding_rate"] = rate
        else:
            state.update(book_depths(message, self.reader.market_of(symbol)))

    def _newest(self, symbol: str, message: Mapping[str, Any]) -> Mapping[str, Any]:
        """ccxt's cached ticker when it is newer than the one the watch returned: pushes that arrive in a
        burst, before the next watch call is waiting, only update the cache (they would otherwise wait
        for the next push)."""
        cached = (self._guard.tickers or {}).get(symbol)
        if cached is None or cached is message:
            return message
        new, old = number(cached.get("timestamp")), number(message.get("timestamp"))
        return cached if new is None or old is None or new > old else message

    def _tick(self, symbol: str) -> MarketTick | None:
        state = self._state.get(symbol) or {}
        mark = state.get("mark_price")
        if mark is None:
            return None
        return MarketTick(
            symbol=symbol,
            timestamp=self._clock(),
            mark_price=mark,
            index_price=state.get("index_price"),
            funding_rate=state.get("funding_rate"),
            funding_interval_hours=self.streams.funding_interval_hours,
            open_interest=state.get("open_interest"),
            bid_depth_1pct_usd=state.get("bid_depth_1pct_usd"),
            ask_depth_1pct_usd=state.get("ask_depth_1pct_usd"),
            bid_depth_2pct_usd=state.get("bid_depth_2pct_usd"),
            ask_depth_2pct_usd=state.get("ask_depth_2pct_usd"),
        )

    def stream_health(self) -> list[StreamHealth]:
        return [w.health for w in self._watchers.values()]

    def stream_feeds(self) -> list[FeedStatus]:
        return [stream_feed(h, self.streams.mark_interval) for h in self.stream_health()]

    def marks_healthy(self) -> bool:
        """Every mark stream connected and not silent."""
        now = self._clock()
        marks = [w.health for k, w in self._watchers.items() if k.startswith("mark:")]
        held = set(self.symbols())
        watched = {k.split(":", 1)[1] for k in self._watchers if k.startswith("mark:")}
        return bool(marks) and held <= watched and all(h.connected and not h.silent(now) for h in marks)

    def request_reconcile(self) -> None:
        self._reconcile_asked = True

    # ---- REST safety net (the engine's poll) ----------------------------------------------------
    async def read_market(self) -> Sequence[MarketTick]:
        """REST when due: on connect, after a reconnect, every RECONCILE_SECONDS, and at the REST
        interval while a mark stream is down. Returns the REST ticks (REST wins), else nothing."""
        now = self._clock()
        healthy = self.marks_healthy()
        interval = RECONCILE_SECONDS if healthy else self.rest_interval
        if not (self._reconcile_asked or now - self._rest_at >= interval):
            return []
        self._reconcile_asked = False
        self._rest_at = now
        ticks = await super().read_market()
        self._reconcile(ticks)
        return ticks

    def _reconcile(self, ticks: Sequence[MarketTick]) -> None:
        for tick in ticks:
            state = self._state.setdefault(tick.symbol, {})
            streamed = state.get("mark_price")
            if streamed is not None and abs(tick.mark_price / streamed - 1.0) > MARK_DRIFT_TOLERANCE:
                text = f"{tick.symbol}: streamed mark {streamed:g}, REST {tick.mark_price:g}; REST wins"
                log.warning("%s %s", self.venue, text)
                self.differences = [*self.differences[-99:], text]
            fields = {
                "mark_price": tick.mark_price,
                "index_price": tick.index_price,
                "funding_rate": tick.funding_rate,
                "open_interest": tick.open_interest,
                "bid_depth_1pct_usd": tick.bid_depth_1pct_usd,
                "ask_depth_1pct_usd": tick.ask_depth_1pct_usd,
            }
            state.update({k: v for k, v in fields.items() if v is not None})


class StreamingAccountReader(ExchangeAccountReader):
    """A saved account read over REST (authoritative) and kept current between reads by its private
    position and balance streams."""

    def __init__(
        self,
        config: AccountConfig,
        exchange: Any,
        poll_interval: float,
        *,
        clock: Callable[[], float] = time.time,
        reconnect_first: float = 0.5,
    ) -> None:
        """``exchange`` is a ccxt.pro object: REST and private streams share its rate limiter."""
        super().__init__(config, exchange, poll_interval, clock=clock)
        self._guard = ReadOnlyExchange(exchange)
        self._reconnect_first = reconnect_first
        self._account: Account | None = None
        self._rest_at = -math.inf
        self._reconcile_asked = True
        self._sink: StreamSink | None = None
        self._watchers: list[StreamWatcher] = []
        self.differences: list[str] = []
        """Stream/REST differences found by reconciliations (newest last, at most 100)."""

    async def run_streams(self, sink: StreamSink) -> None:
        if not callable(getattr(self._exchange, "watch_positions", None)):
            return  # not a ccxt.pro object: REST polling only
        self._sink = sink
        self._watchers = [
            self._watcher("positions", self._guard.watch_positions, self._on_positions),
            self._watcher("balance", self._guard.watch_balance, self._on_balance),
        ]
        tasks = [asyncio.ensure_future(w.run()) for w in self._watchers]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _watcher(
        self, kind: str, call: Callable[[], Any], on_message: Callable[[Any], None]
    ) -> StreamWatcher:
        return StreamWatcher(
            f"{self.account_id}:{kind}",
            f"{self.label} {kind} stream",
            self._exchange,
            call,
            on_message,
            expected_interval=None,
            on_reconnect=self.request_reconcile,
            clock=self._clock,
            reconnect_first=self._reconnect_first,
        )

    def request_reconcile(self) -> None:
        self._reconcile_asked = True

    def streams_healthy(self) -> bool:
        return bool(self._watchers) and all(w.health.connected for w in self._watchers)

    def stream_health(self) -> list[StreamHealth]:
        return [w.health for w in self._watchers]

    def stream_feeds(self) -> list[FeedStatus]:
        now = self._clock()
        feeds = []
        for health in self.stream_health():
            feed = stream_feed(health, PRIVATE_INTERVAL_SECONDS)
            if health.connected:
                # an event-driven stream is current while connected and reconciled
                last = max(health.last_message or 0.0, self._rest_at if math.isfinite(self._rest_at) else 0.0)
                feed = dataclasses.replace(feed, last_update=min(now, last) or None)
            feeds.append(feed)
        return feeds

    def _on_positions(self, positions: Sequence[Mapping[str, Any]]) -> None:
        """Apply sizes and entries of held positions at once; anything else waits for REST."""
        account = self._account
        if account is None:
            self.request_reconcile()
            return
        updated = list(account.positions)
        for raw in positions:
            symbol, side, mode = raw.get("symbol"), raw.get("side"), raw.get("marginMode")
            contracts = number(raw.get("contracts")) or 0.0
            # OKX can hold one symbol and side in cross and isolated at once: the mode tells them apart
            match = [
                i
                for i, p in enumerate(updated)
                if p.instrument.symbol == symbol and p.side == side and mode in (None, p.margin_mode)
            ]
            if not match:
                if contracts > 0:
                    self.request_reconcile()  # a new position: tiers, mode and collateral come by REST
                continue
            i = match[0]
            if contracts <= 0:
                updated.pop(i)
                continue
            entry = positive(raw.get("entryPrice")) or updated[i].entry_price
            updated[i] = dataclasses.replace(updated[i], contracts=contracts, entry_price=entry)
        self.request_reconcile()  # REST confirms (and wins) at the next poll
        self._publish(dataclasses.replace(account, positions=tuple(updated)))

    def _on_balance(self, _balance: Mapping[str, Any]) -> None:
        # Balance pushes differ per venue from the REST payloads the wallet rules read: REST decides.
        self.request_reconcile()

    def _publish(self, account: Account) -> None:
        self._account = account
        if self._sink is not None:
            self._sink.stream_account(self.account_id, account)

    async def read_account(self) -> Account:
        """REST when due (connect, reconnect, a private update, every RECONCILE_SECONDS, or the REST
        interval while a private stream is down); otherwise the streamed account."""
        now = self._clock()
        due = self._reconcile_asked or not self.streams_healthy() or now - self._rest_at >= RECONCILE_SECONDS
        if self._account is not None and not due:
            return self._account
        self._reconcile_asked = False
        account = await super().read_account()
        self._rest_at = now
        self._compare(account)
        self._account = account  # REST wins
        return account

    def _compare(self, rest: Account) -> None:
        streamed = self._account
        if streamed is None:
            return
        mine = {(p.instrument.symbol, p.side, p.margin_mode): p.contracts for p in streamed.positions}
        theirs = {(p.instrument.symbol, p.side, p.margin_mode): p.contracts for p in rest.positions}
        for key in sorted(set(mine) | set(theirs)):
            a, b = mine.get(key), theirs.get(key)
            if a is None or b is None or not math.isclose(a, b, rel_tol=1e-9):
                text = f"{key[0]} {key[1]} {key[2]}: streamed {a}, REST {b}; REST wins"
                log.warning("%s %s", self.label, text)
                self.differences = [*self.differences[-99:], text]
