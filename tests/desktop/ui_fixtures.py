"""Snapshots built by hand for widget tests (no engine, no thread)."""

from __future__ import annotations

import numpy as np

from desktop.engine.snapshots import (
    AccountSnapshot,
    EngineSnapshot,
    FeedStatus,
    MarketSeries,
    PositionRow,
    Severity,
)


def make_row(symbol: str, distance: float | None, severity: Severity, *, side: str = "long") -> PositionRow:
    mark = 100.0
    liq = None if distance is None else mark * (1 - distance)
    return PositionRow(
        account_id="acc-1",
        account_label="Test account",
        venue="binanceusdm",
        symbol=symbol,
        side=side,
        margin_mode="cross",
        contracts=2.0,
        size=2.0,
        entry_price=95.0,
        mark_price=mark,
        liquidation_price=liq,
        venue_liquidation_price=None,
        distance=distance,
        sigma_distance=None,
        touch_probability=None,
        margin_ratio=0.25,
        stop=None,
        unrealized_pnl=10.0,
        settle_currency="USDT",
        leverage=10.0,
        severity=severity,
    )


def make_series(symbol: str, n: int = 120) -> MarketSeries:
    t = 1_760_000_000.0 + np.arange(n, dtype=float)
    ones = np.ones(n)
    return MarketSeries.from_arrays(
        symbol,
        times=t,
        mark=100.0 + np.sin(t / 10.0),
        funding=ones * 0.0001,
        open_interest=ones * 1000.0,
        liq_long=ones * 5.0,
        liq_short=ones * 2.0,
        depth_bid=ones * 1e6,
        depth_ask=ones * 1e6,
        basis=ones * 0.0,
        score=np.full(n, np.nan),
    )


def make_snapshot(
    rows: tuple[PositionRow, ...],
    *,
    sequence: int = 1,
    feed: FeedStatus | None = None,
    wall_time: float = 1_000.0,
) -> EngineSnapshot:
    feed = feed or FeedStatus("acc-1", "Test account", 1.0, last_update=wall_time, started_at=wall_time)
    account = AccountSnapshot("acc-1", "Test account", "binanceusdm", feed, rows=rows)
    markets = {row.symbol: make_series(row.symbol) for row in rows}
    return EngineSnapshot(sequence, wall_time, wall_time, (account,), markets, (feed,))
