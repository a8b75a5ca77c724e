"""Public liquidation streams over WebSockets (ccxt.pro ``watch_liquidations``).

Only Binance (USD-M, COIN-M), Bybit and OKX publish public liquidations that ccxt.pro can stream
(ccxt-notes.md section 1.4); the other venues have no public liquidation feed. One task per symbol
buffers normalised :class:`LiquidationEvent` objects; :meth:`LiquidationStream.drain` hands them over.
A failing watcher becomes a feed status with backoff (``desktop.exchanges.feeds``); it never stops the
loop. Side semantics differ per venue (cascade-indicators.md section 3) and are normalised here to the
side of the position that was liquidated.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from desktop.exchanges.feeds import FeedStatus
from desktop.exchanges.guard import ReadOnlyExchange
from desktop.exchanges.normalise import number, positive

STREAMING_VENUES = frozenset({"binanceusdm", "binancecoinm", "bybit", "okx"})


@dataclass(frozen=True, slots=True)
class LiquidationEvent:
    """One public liquidation. ``notional`` in quote currency (linear) or USD (inverse);
    ``timestamp`` in Unix milliseconds; ``liquidated`` is the side of the position that was closed."""

    symbol: str
    liquidated: Literal["long", "short"]
    price: float
    notional: float
    timestamp: int


def liquidated_side(venue: str, liquidation: Mapping[str, Any]) -> Literal["long", "short"] | None:
    """The liquidated position's side from a ccxt liquidation.

    Binance and OKX report the side of the liquidation *order* (``sell`` closes a long); Bybit's
    ``allLiquidation`` reports the *position* side (``Buy`` = a long was liquidated). OKX also carries
    ``posSide`` in ``info``, which wins when present.
    """
    info = liquidation.get("info") or {}
    pos_side = str(info.get("posSide", "")).lower() if isinstance(info, Mapping) else ""
    if venue == "okx" and pos_side in ("long", "short"):
        return pos_side  # type: ignore[return-value]
    side = str(liquidation.get("side") or "").lower()
    if side not in ("buy", "sell"):
        return None
    if venue == "bybit":
        return "long" if side == "buy" else "short"
    return "long" if side == "sell" else "short"


def to_event(
    venue: str, liquidation: Mapping[str, Any], market: Mapping[str, Any]
) -> LiquidationEvent | None:
    """Normalise a ccxt liquidation; None when a field needed for the notional is missing."""
    side = liquidated_side(venue, liquidation)
    price = positive(liquidation.get("price"))
    contracts = positive(liquidation.get("contracts"))
    if side is None or price is None or contracts is None:
        return None
    size = positive(market.get("contractSize")) or 1.0
    notional = contracts * size if market.get("inverse") else contracts * size * price
    timestamp = int(number(liquidation.get("timestamp")) or 0)
    return LiquidationEvent(str(liquidation.get("symbol")), side, price, notional, timestamp)


class LiquidationStream:
    """Watches public liquidations of ``symbols`` on a ccxt.pro exchange; call :meth:`start` on the loop."""

    def __init__(self, exchange: Any, clock: Callable[[], float] = time.time) -> None:
        self.exchange = ReadOnlyExchange(exchange)
        self.venue = self.exchange.id
        self.status = FeedStatus("liquidation_stream")
        self._clock = clock
        self._events: list[LiquidationEvent] = []
        self._tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def supported(self) -> bool:
        has = self.exchange.has or {}
        return self.venue in STREAMING_VENUES and bool(has.get("watchLiquidations"))

    def watch(self, symbols: Sequence[str]) -> None:
        """Make sure each of ``symbols`` has a watcher task (idempotent; call on the loop thread)."""
        if not self.supported:
            self.status = self.status.unsupported(f"{self.venue} has no public liquidation stream")
            return
        for symbol in symbols:
            if symbol not in self._tasks or self._tasks[symbol].done():
                self._tasks[symbol] = asyncio.ensure_future(self._watch_forever(symbol))

    async def _watch_forever(self, symbol: str) -> None:
        while True:
            try:
                batch = await self.exchange.watch_liquidations(symbol)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a dropped socket or a venue error: back off, keep going
                self.status = self.status.failed(error, self._clock())
                if self.status.state == "stopped":
                    return
                await asyncio.sleep(max(0.0, (self.status.retry_at or self._clock()) - self._clock()))
                continue
            self.status = self.status.succeeded(self._clock())
            market = (self.exchange.markets or {}).get(symbol) or {}
            for liquidation in batch:
                event = to_event(self.venue, liquidation, market)
                if event is not None:
                    self._events.append(event)

    def drain(self) -> list[LiquidationEvent]:
        """The events received since the previous call, oldest first."""
        events, self._events = self._events, []
        return events

    async def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()
