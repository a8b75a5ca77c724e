"""Liquidation / ADL / unknown-cause alerts about positions that went away."""

from __future__ import annotations

import pytest

from risk.position_events import (
    CAUSE_UNKNOWN,
    LiquidationRecord,
    PositionClosure,
    closure_event,
    match_record,
)

T0 = 1_760_130_000_000


def closure(after: float = 0.0) -> PositionClosure:
    return PositionClosure(
        subject="hl:BTC/USDC:USDC:long",
        label="Hyperliquid BTC/USDC:USDC long",
        symbol="BTC/USDC:USDC",
        side="long",
        contracts_before=2.0,
        contracts_after=after,
        size_before=2.0,
        size_unit="BTC",
        last_mark=113_000.0,
        unrealized_pnl=-9_000.0,
        settle_currency="USDC",
        since_ms=T0,
        data_time_ms=T0 + 5_000,
    )


def record(ts: int, side: str = "long", kind: str = "liquidation", symbol: str = "BTC/USDC:USDC"):
    return LiquidationRecord(symbol, side, 2.0, 112_315.5, ts, kind, realized_pnl=-14_500.0, base_size=2.0)


def test_a_venue_record_gives_a_critical_liquidated_alert_with_size_price_and_loss():
    event = closure_event(closure(), record(T0 + 3_000), T0 + 9_000)
    assert (event.kind, event.level, event.requires_ack) == ("liquidated", "critical", True)
    assert event.title == "Hyperliquid BTC/USDC:USDC long: liquidated"
    assert event.message == "2 BTC long liquidated at 112,315.50; realised -14,500.00 USDC."
    assert event.value == -14_500.0 and event.data_time_ms == T0 + 3_000 and event.timestamp_ms == T0 + 9_000


def test_adl_and_partial_closes_are_named():
    event = closure_event(closure(after=0.5), record(T0, kind="adl"), T0)
    assert event.title.endswith("auto-deleveraged (partly)") and event.detail == "adl"


def test_without_a_record_the_cause_is_unknown():
    event = closure_event(closure(after=0.5), None, T0 + 9_000)
    assert (event.kind, event.level, event.requires_ack) == ("position_closed", "warning", False)
    assert event.title == "Hyperliquid BTC/USDC:USDC long: reduced to 0.5 BTC"
    assert CAUSE_UNKNOWN in event.reasons and "1.5 BTC gone" in event.message


def test_match_takes_the_newest_record_of_the_symbol_and_side_near_the_change():
    records = [
        record(T0 - 120_000),  # before the previous read: another episode
        record(T0 + 1_000, side="short"),
        record(T0 + 2_000, symbol="ETH/USDC:USDC"),
        record(T0 + 3_000),
        record(T0 + 1_500),
    ]
    assert match_record(closure(), records) == records[3]
    assert match_record(closure(), records[:3]) is None


def test_bad_record_is_refused_by_name():
    with pytest.raises(ValueError, match=r"LiquidationRecord\.price"):
        LiquidationRecord("X", "long", 1.0, float("nan"), T0)
