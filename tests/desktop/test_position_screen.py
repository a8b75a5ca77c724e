"""Position-screen fields and flags on the rows the table shows (risk_view, no Qt), numbers by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop.engine.risk_view import AccountInput, RiskThresholds, assess_accounts
from desktop.engine.snapshots import FeedStatus, MarketSeries
from desktop.ui.positions_model import COLUMNS
from risk import Account, Instrument, MarginTier, Position

INST = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=(MarginTier(0.0, math.inf, 0.005),))
NOW = 1_764_720_000.0  # 2025-12-03 00:00 UTC, a funding boundary
RATE_8H = 0.0001


def series(next_funding: float | None) -> MarketSeries:
    times = np.array([NOW - 60.0, NOW - 30.0])
    ones = np.ones(2)
    return MarketSeries.from_arrays(
        "BTC/USDT:USDT", times=times, mark=ones * 60_000.0, funding=ones * RATE_8H, open_interest=ones,
        liq_long=ones, liq_short=ones, depth_bid=ones, depth_ask=ones, basis=ones * 0.0, score=ones,
        next_funding_time=next_funding, funding_interval_hours=8.0,
    )  # fmt: skip


def snapshot(position: Position, next_funding: float | None = NOW + 3_600.0):
    account = Account("binanceusdm", 20_000.0, [position])
    feed = FeedStatus("a", "Binance", 5.0, last_update=NOW, started_at=NOW)
    (result,) = assess_accounts(
        [AccountInput("a", "Binance", account, feed)],
        {"BTC/USDT:USDT": series(next_funding)},
        RiskThresholds(),
    )
    return result


def text(row, header: str) -> str:
    return next(c for c in COLUMNS if c.header == header).text(row)


def test_position_screen_fields():
    # long 1 BTC at 50,000, mark 60,000, 10x cross: notional 60,000, IM 6,000, MM 300, PnL 10,000
    position = Position(INST, "long", 1.0, 50_000.0, 60_000.0, "cross", leverage=10, adl_rank=4)
    account = snapshot(position)
    (row,) = account.rows
    assert row.notional == pytest.approx(60_000.0)
    assert row.initial_margin == pytest.approx(6_000.0)
    assert row.maintenance_margin == pytest.approx(300.0)
    assert row.roe == pytest.approx(10_000.0 / 6_000.0)
    assert row.adl_rank == 4
    # a long pays a positive rate: -60,000 x 0.01 % = -6 per 8 h; next exchange in 1 h minus the 30 s
    # since the last tick; -18 over 24 h
    assert row.funding_8h == pytest.approx(-6.0)
    assert row.next_funding_in == pytest.approx(3_630.0)
    assert row.next_funding_payment == pytest.approx(-6.0)
    assert account.funding_24h == pytest.approx(-18.0)
    assert text(row, "Next funding").startswith("1:00:30")
    assert text(row, "Leverage") == "10x" and text(row, "ADL") == "4"
    # ADL rank 4 on a profitable position: the warning
    assert [f.kind for f in row.flags] == ["adl"]


def test_venue_gap_is_flagged_with_its_cause():
    # cross long, no tier change, no fee: our LP and a venue LP 1 % of the distance away
    position = Position(INST, "long", 1.0, 60_000.0, 60_000.0, "cross", leverage=10)
    (row,) = snapshot(position).rows
    ours = row.liquidation_price
    assert ours is not None
    venue = ours - 0.01 * (60_000.0 - ours) / 0.99  # |ours - venue| = 1 % of |mark - venue|
    (row,) = snapshot(Position(INST, "long", 1.0, 60_000.0, 60_000.0, "cross", leverage=10,
                               venue_liquidation_price=venue)).rows  # fmt: skip
    assert row.venue_gap == pytest.approx(0.01, rel=1e-6)
    (flag,) = row.flags
    assert flag.kind == "venue_gap" and "likely cause: inputs" in flag.message
    assert text(row, "Liq. gap") == "1.0 %"


def test_no_funding_schedule_no_countdown():
    (row,) = snapshot(Position(INST, "short", 1.0, 60_000.0, 60_000.0, "cross"), next_funding=None).rows
    assert row.next_funding_in is None and text(row, "Next funding") == "—"
    assert row.funding_8h == pytest.approx(6.0)  # a short receives
    assert row.initial_margin is None and row.roe is None  # cross without a leverage setting


def test_cross_gap_is_flagged_only_at_the_venues_marks():
    # The engine re-marks positions between reads; a cross liquidation price moves with the other legs'
    # marks, so a gap is only a finding while the legs sit at the marks the venue computed with.
    position = Position(INST, "long", 1.0, 60_000.0, 60_000.0, "cross", leverage=10)
    (row,) = snapshot(position).rows
    venue = row.liquidation_price - 0.02 * (60_000.0 - row.liquidation_price)
    at_venue_marks = Position(INST, "long", 1.0, 60_000.0, 60_000.0, "cross", leverage=10,
                              venue_liquidation_price=venue, venue_mark_price=60_000.0)  # fmt: skip
    assert [f.kind for f in snapshot(at_venue_marks).rows[0].flags] == ["venue_gap"]
    moved = Position(INST, "long", 1.0, 60_000.0, 60_300.0, "cross", leverage=10,
                     venue_liquidation_price=venue, venue_mark_price=60_000.0)  # fmt: skip
    (row,) = snapshot(moved).rows
    assert row.venue_gap is not None and row.flags == ()
