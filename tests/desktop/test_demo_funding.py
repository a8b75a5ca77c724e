"""The demo venue books the funding its positions pay at each funding time of the simulated market.

The expected figure is computed here from the scenario path alone (the 8 h path rate scaled to the
market's interval, the mark at the funding time), with the venues' sign rule: a long pays when the rate
is positive, a short receives (Binance "Introduction to Funding Rates", Hyperliquid docs "Funding").
"""

from __future__ import annotations

import asyncio

import pytest

from desktop.exchanges.demo import DemoVenue, demo_readers


def test_hyperliquid_demo_account_pays_hourly_funding_of_its_positions() -> None:
    venue = DemoVenue(clock=lambda: 0.0)
    readers, _ = demo_readers(venue)
    reader = next(r for r in readers if r.account_id == "demo-hyperliquid")
    path = venue.path
    opened = path.start + venue.row * path.step_seconds
    held = asyncio.run(reader.read_account()).positions
    assert reader.funding_paid_24h == 0.0  # no funding time has passed since the clock opened
    # move to 10 s after the next hourly funding time and read there
    boundary = (opened // 3600 + 1) * 3600
    venue.advance_by((boundary + 10 - opened) / path.step_seconds)
    asyncio.run(reader.read_account())
    row = round((boundary - path.start) / path.step_seconds)
    rate = float(path.funding[row]) / 8.0  # hourly market: the 8 h rate x 1 h / 8 h
    expected = 0.0
    for position in held:
        mark = float(venue._prices[position.instrument.symbol][0][row])
        value = position.contracts * position.instrument.contract_size * mark
        expected += -value * rate if position.side == "long" else value * rate
    assert expected != 0.0
    assert reader.funding_paid_24h == pytest.approx(expected, rel=1e-12)


def test_binance_demo_account_has_no_funding_time_in_the_window() -> None:
    # 8-hourly funding at 00:00/08:00/16:00 UTC; the Oct 10 scenario runs 18:00-23:30: nothing booked
    venue = DemoVenue(clock=lambda: 0.0)
    readers, _ = demo_readers(venue)
    reader = next(r for r in readers if r.account_id == "demo-binance")
    venue.advance_by(10_000)
    asyncio.run(reader.read_account())
    assert reader.funding_paid_24h == 0.0
