"""Per-symbol market history in preallocated ring buffers (loop thread only).

Appending is O(1) and allocates nothing; :meth:`MarketHistory.series` copies the buffers out in time
order into an immutable :class:`~desktop.engine.snapshots.MarketSeries` for the GUI.
"""

from __future__ import annotations

import math

import numpy as np

from desktop.engine.snapshots import CascadeView, MarketSeries, MarketTick

COLUMNS = (
    "times",
    "mark",
    "funding",
    "open_interest",
    "liq_long",
    "liq_short",
    "depth_bid",
    "depth_ask",
    "basis",
    "score",
)


def _value(value: float | None) -> float:
    return math.nan if value is None else float(value)


class MarketHistory:
    """The last ``capacity`` ticks of one symbol.

    Funding is stored per 8 h (a venue with hourly funding is scaled by 8), basis as
    ``(mark - index) / index``.
    """

    def __init__(self, symbol: str, capacity: int = 21_600) -> None:
        if capacity <= 1:
            raise ValueError(f"capacity must be > 1, got {capacity!r}")
        self.symbol = symbol
        self.capacity = capacity
        self._data = np.full((len(COLUMNS), capacity), np.nan)
        self._count = 0
        self._next = 0
        self.cascade: CascadeView | None = None
        self.liquidation_map: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.next_funding_time: float | None = None
        self.funding_interval_hours = 8.0

    def __len__(self) -> int:
        return min(self._count, self.capacity)

    @property
    def last_time(self) -> float | None:
        if not self._count:
            return None
        return float(self._data[0, (self._next - 1) % self.capacity])

    @property
    def last_mark(self) -> float | None:
        if not self._count:
            return None
        return float(self._data[1, (self._next - 1) % self.capacity])

    def append(self, tick: MarketTick, score: float | None = None) -> None:
        """Store one tick; ``score`` is the composite cascade score at that tick, if computed."""
        funding = _value(tick.funding_rate)
        if tick.next_funding_time is not None:
            self.next_funding_time = tick.next_funding_time
        if tick.funding_interval_hours > 0:
            self.funding_interval_hours = tick.funding_interval_hours
        if tick.funding_rate is not None and tick.funding_interval_hours > 0:
            funding = tick.funding_rate * 8.0 / tick.funding_interval_hours
        basis = math.nan
        if tick.index_price:
            basis = (tick.mark_price - tick.index_price) / tick.index_price
        column = self._data[:, self._next]
        column[:] = (
            tick.timestamp,
            tick.mark_price,
            funding,
            _value(tick.open_interest),
            _value(tick.liq_long_usd),
            _value(tick.liq_short_usd),
            _value(tick.bid_depth_1pct_usd),
            _value(tick.ask_depth_1pct_usd),
            basis,
            _value(score),
        )
        self._next = (self._next + 1) % self.capacity
        self._count += 1

    def _ordered(self) -> np.ndarray:
        if self._count < self.capacity:
            return self._data[:, : self._next]
        return np.concatenate((self._data[:, self._next :], self._data[:, : self._next]), axis=1)

    def volatility_24h(self) -> float | None:
        """Realised volatility of the mark scaled to 24 h (fraction), from the stored history."""
        data = self._ordered()
        times, marks = data[0], data[1]
        if len(marks) < 30:
            return None
        returns = np.diff(np.log(marks))
        span = float(times[-1] - times[0])
        if span <= 0:
            return None
        per_second = float(np.var(returns)) * len(returns) / span
        return math.sqrt(per_second * 86_400.0)

    def series(self) -> MarketSeries:
        """An immutable copy of the history, oldest first."""
        data = self._ordered()
        arrays = {name: data[i] for i, name in enumerate(COLUMNS)}
        return MarketSeries.from_arrays(
            self.symbol,
            **arrays,
            cascade=self.cascade,
            liquidation_map=self.liquidation_map,
            volatility_24h=self.volatility_24h(),
            next_funding_time=self.next_funding_time,
            funding_interval_hours=self.funding_interval_hours,
        )
