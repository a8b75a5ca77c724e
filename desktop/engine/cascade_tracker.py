"""Per-symbol cascade indicators for the engine (loop thread): score, regime, reasons, liquidation map.

Feeds each market tick to :class:`risk.cascade.CascadeMonitor` (streaming indicators, composite score
0-100 and regime, evaluated on 1-minute bars) and to :class:`risk.liqmap.LiquidationMap` (estimated
resting liquidation levels from open-interest flow), and hands the window immutable views of both.
"""

from __future__ import annotations

import math

import numpy as np

from desktop.engine.snapshots import CascadeView, MarketTick
from risk.cascade import CascadeMonitor
from risk.liqmap import LiquidationMap

MAP_RANGE = 0.15
"""The side histogram covers the mark +-15 %."""
MAP_BINS = 60


class CascadeTracker:
    """Feeds one symbol's ticks to the cascade indicators and the liquidation-map estimator."""

    def __init__(self, symbol: str, funding_interval_hours: float = 8.0) -> None:
        self.symbol = symbol
        self.monitor = CascadeMonitor(symbol, funding_interval_hours)
        self.map = LiquidationMap()

    def update(self, tick: MarketTick) -> float | None:
        """Feed one tick; returns the composite score (0..100) of the last closed minute, or ``None``."""
        timestamp_ms = int(tick.timestamp * 1000)
        self.monitor.update(
            timestamp_ms,
            funding_interval_hours=tick.funding_interval_hours,
            mark_price=tick.mark_price,
            index_price=tick.index_price,
            funding_rate=tick.funding_rate,
            open_interest=tick.open_interest,
            liq_long_usd=tick.liq_long_usd,
            liq_short_usd=tick.liq_short_usd,
            bid_depth_1pct_usd=tick.bid_depth_1pct_usd,
            ask_depth_1pct_usd=tick.ask_depth_1pct_usd,
            long_short_ratio=tick.long_short_ratio,
        )
        if tick.open_interest is not None and math.isfinite(tick.open_interest) and tick.open_interest >= 0:
            ratio = tick.long_short_ratio if tick.long_short_ratio and tick.long_short_ratio > 0 else None
            self.map.update(timestamp_ms, tick.mark_price, tick.open_interest, long_short_ratio=ratio)
        reading = self.monitor.reading
        return None if reading is None else reading.score

    def view(self) -> CascadeView | None:
        """Score, regime and reasons of the last closed minute."""
        reading = self.monitor.reading
        if reading is None:
            return None
        return CascadeView(reading.score, reading.regime, reading.reasons(4), tuple(reading.missing))

    def liquidation_map(self, mark: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(bin centres, long USD, short USD) of estimated liquidations within +-15 % of ``mark``."""
        if mark is None or not mark > 0:
            return None
        prices, longs, shorts = self.map.levels()
        if prices.size == 0:
            return None
        edges = np.linspace(mark * (1 - MAP_RANGE), mark * (1 + MAP_RANGE), MAP_BINS + 1)
        long_usd, _ = np.histogram(prices, bins=edges, weights=longs)
        short_usd, _ = np.histogram(prices, bins=edges, weights=shorts)
        return (edges[:-1] + edges[1:]) / 2, long_usd, short_usd
