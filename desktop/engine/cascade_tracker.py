"""Cascade indicators for the engine (loop thread): one state per underlying, score, regime, reasons,
liquidation map.

BTC on every venue and quote (BTC/USDT:USDT, BTC/USDC:USDC, BTC/USD:BTC) is one market: every tick
goes to the underlying's :class:`risk.cascade.MarketAggregate` (open interest and liquidations summed,
funding OI-weighted, depth summed, median mark; streaming indicators, composite score 0-100 and regime
on 1-minute bars) and the aggregate's open interest to :class:`risk.liqmap.LiquidationMap` (estimated
resting liquidation levels from open-interest flow). The window gets immutable views of both; every
symbol of the underlying shows the same state, with the per-venue breakdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop.engine.market_history import MarketHistory
from desktop.engine.snapshots import CascadeView, MarketTick, VenueView
from risk.cascade import MarketAggregate, underlying
from risk.liqmap import LiquidationMap

MAP_RANGE = 0.15
"""The side histogram covers the mark +-15 %."""
MAP_BINS = 60


class CascadeTracker:
    """Feeds one underlying's ticks (any venue, any quote) to the market-wide cascade state and the
    liquidation-map estimator."""

    def __init__(self, market: str) -> None:
        self.market = market
        self.aggregate = MarketAggregate(market)
        self.monitor = self.aggregate.monitor
        self.map = LiquidationMap()

    def update(self, tick: MarketTick, venue: str = "") -> float | None:
        """Feed one tick of one leg (``venue`` names the source: the same symbol on two venues is two
        legs); returns the composite score (0..100) of the last closed minute, or ``None``."""
        timestamp_ms = int(tick.timestamp * 1000)
        leg = f"{venue} {tick.symbol}" if venue else tick.symbol
        self.aggregate.update(
            leg,
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
        if self.aggregate.pushed:
            # Once per minute, with the market-wide open interest: the map follows OI flow, and one
            # update per minute keeps the start-up burst of history cheap.
            totals = self.aggregate.last_totals
            oi, mark = totals.get("open_interest"), totals.get("mark_price")
            if oi is not None and mark is not None and oi >= 0:
                ratio = totals.get("long_short_ratio")
                self.map.update(self.aggregate.pushed_ts, mark, oi, long_short_ratio=ratio)
        reading = self.monitor.reading
        return None if reading is None else reading.score

    def venues(self) -> tuple[VenueView, ...]:
        out = []
        for leg in self.aggregate.legs.values():
            bid, ask = leg.depth.get("bid_depth_1pct_usd"), leg.depth.get("ask_depth_1pct_usd")
            depth = None if bid is None and ask is None else (bid or 0.0) + (ask or 0.0)
            out.append(
                VenueView(
                    leg.name,
                    leg.mark,
                    leg.funding_8h,
                    leg.open_interest_usd,
                    leg.liq_long_usd + leg.liq_short_usd,
                    depth,
                )
            )
        return tuple(out)

    def view(self) -> CascadeView | None:
        """Score, regime and reasons of the last closed minute, with the per-venue breakdown."""
        reading = self.monitor.reading
        if reading is None:
            return None
        return CascadeView(
            reading.score,
            reading.regime,
            reading.reasons(4),
            tuple(reading.missing),
            market=self.market,
            venues=self.venues(),
        )

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


def ingest(
    histories: dict[str, MarketHistory],
    trackers: dict[str, CascadeTracker],
    ticks: Sequence[MarketTick],
    capacity: int,
    venue: str = "",
    history: bool = True,
) -> None:
    """Append ticks to the per-symbol histories (each symbol keeps its own price chart) and feed them
    to the per-underlying trackers; every history of a touched underlying gets its state.
    ``history=False`` (a public market reader): the cascade state only, so another venue's tick never
    becomes the mark of a position held elsewhere."""
    by_symbol: dict[str, list[MarketTick]] = {}
    for tick in ticks:
        by_symbol.setdefault(tick.symbol, []).append(tick)
    touched: set[str] = set()
    for symbol, symbol_ticks in by_symbol.items():
        market = underlying(symbol)
        tracker = trackers.get(market)
        if tracker is None:
            tracker = trackers[market] = CascadeTracker(market)
        touched.add(market)
        if not history:
            for tick in symbol_ticks:
                tracker.update(tick, venue)
            continue
        chart = histories.get(symbol)
        if chart is None:
            chart = histories[symbol] = MarketHistory(symbol, capacity)
        for tick in symbol_ticks:
            chart.append(tick, tracker.update(tick, venue))
    if not touched:
        return
    views = {market: trackers[market].view() for market in touched}
    for symbol, chart in histories.items():
        market = underlying(symbol)
        if market in views:
            chart.cascade = views[market]
            chart.liquidation_map = trackers[market].liquidation_map(chart.last_mark)
