"""Engine snapshots → alert observations → AlertCenter, with real risk results (risk.assess)."""

from __future__ import annotations

import dataclasses
import time

import pytest
from ui_fixtures import make_series

from desktop.engine.alert_center import AlertCenter
from desktop.engine.alert_inputs import feed_observation, observations_from_snapshot, position_key, subjects
from desktop.engine.risk_view import RiskThresholds, assess_account
from desktop.engine.snapshots import CascadeView, EngineSnapshot, FeedStatus
from desktop.settings import AppConfig
from desktop.store import HistoryStore
from desktop.ui.notify import AlertNotifier, RecordingSound
from risk import Account, Instrument, MarginTier, Position
from risk.alerts import AccountObservation, FeedObservation, MarketObservation, PositionObservation

NOW_S = time.time()
NOW_MS = round(NOW_S * 1000)
SYMBOL = "BTC/USDT:USDT"
INSTRUMENT = Instrument(SYMBOL, "binanceusdm", tiers=(MarginTier(0.0, 1e9, 0.004),))


def account(*positions: Position, wallet: float = 10_000.0) -> Account:
    return Account("binanceusdm", wallet, list(positions))


def near_isolated_long() -> Position:
    # 20x isolated long, 5,000 USDT collateral on 100,000 notional: liquidation where
    # 5,000 + (P - 100,000) = 0.004 P → P = 95,000 / 0.996 = 95,381.5; distance 4.6185 % of mark.
    return Position(
        INSTRUMENT, "long", 1.0, 100_000.0, 100_000.0, "isolated", collateral=5_000.0, leverage=20
    )


def far_cross_short() -> Position:
    # 0.1 BTC short (10,000 USDT notional) on a 10,000 USDT cross wallet: liquidated near +99 %.
    return Position(INSTRUMENT, "short", 0.1, 100_000.0, 100_000.0, "cross")


def snapshot(
    acc: Account | None,
    *,
    feed: FeedStatus | None = None,
    cascade: CascadeView | None = None,
    sequence: int = 1,
) -> EngineSnapshot:
    feed = feed or FeedStatus("bn-1", "Main", 5.0, last_update=NOW_S, started_at=NOW_S)
    series = dataclasses.replace(make_series(SYMBOL), cascade=cascade)
    markets = {SYMBOL: series}
    accounts = ()
    if acc is not None:
        accounts = (assess_account("bn-1", "Main", acc, feed, markets, RiskThresholds()),)
    return EngineSnapshot(sequence, NOW_S, NOW_S, accounts, markets, (feed,))


def test_observations_from_a_real_assessment():
    snap = snapshot(
        account(near_isolated_long(), far_cross_short()), cascade=CascadeView(72.0, "loaded", ("OI",))
    )
    found = observations_from_snapshot(snap)
    positions = [o for o in found if isinstance(o, PositionObservation)]
    assert [p.key for p in positions] == ["bn-1:BTC/USDT:USDT:long", "bn-1:BTC/USDT:USDT:short"]
    assert positions[0].distance == pytest.approx(1 - 95_000 / 0.996 / 100_000)
    assert positions[0].margin_ratio is not None  # isolated: its own ratio
    assert positions[1].margin_ratio is None  # cross: judged on the account
    (acct,) = [o for o in found if isinstance(o, AccountObservation)]
    assert acct.key == "bn-1" and acct.label == "Main"
    (feed,) = [o for o in found if isinstance(o, FeedObservation)]
    assert feed.last_update_ms == NOW_MS and feed.expected_interval_ms == 5_000 and feed.connected
    (market,) = [o for o in found if isinstance(o, MarketObservation)]
    assert (market.key, market.score, market.regime, market.reasons) == (SYMBOL, 72.0, "loaded", ("OI",))
    assert subjects(found) == {"bn-1", "bn-1:BTC/USDT:USDT:long", "bn-1:BTC/USDT:USDT:short", SYMBOL}
    assert position_key(snap.accounts[0].rows[0]) == "bn-1:BTC/USDT:USDT:long"


def test_feed_with_repeated_errors_counts_as_disconnected():
    flaky = FeedStatus("f", "Feed", 2.0, last_update=NOW_S, error="timeout", consecutive_errors=2)
    down = dataclasses.replace(flaky, consecutive_errors=3)
    assert feed_observation(flaky).connected
    assert not feed_observation(down).connected and feed_observation(down).error == "timeout"
    assert feed_observation(FeedStatus("f", "Feed", 2.0)).last_update_ms is None


@pytest.fixture
def center(shown_window, tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    notifier = AlertNotifier(shown_window, sound=RecordingSound())
    c = AlertCenter(shown_window, AppConfig(), store, notifier=notifier, clock=lambda: NOW_MS)
    c.timer.stop()
    yield c
    c.close()
    store.close()


def test_snapshot_raises_clears_vanished_positions_and_records_history(center):
    events = center.process_snapshot(snapshot(account(near_isolated_long())), NOW_MS)
    assert [(e.kind, e.level, e.subject) for e in events] == [
        ("distance", "critical", "bn-1:BTC/USDT:USDT:long")
    ]
    assert center.process_snapshot(snapshot(account(near_isolated_long()), sequence=2), NOW_MS + 1000) == []
    # The position was closed: its alert clears; the account and feed stay.
    events = center.process_snapshot(snapshot(account(far_cross_short()), sequence=3), NOW_MS + 2000)
    assert [(e.kind, e.cleared, e.tier) for e in events] == [("distance", True, 0)]
    assert "no longer monitored" in events[0].reasons
    # History: one snapshot recorded (the later ones came within 10 s), alerts stored.
    center.recorder.flush()
    times, distance = center.store.series("bn-1:BTC/USDT:USDT:long", "distance")
    assert times.tolist() == [NOW_MS] and distance[0] == pytest.approx(0.046185, abs=1e-6)
    assert center.store.series(SYMBOL, "mark_price")[0].tolist() == [NOW_MS]
    # The raise, its clear, and the closure itself: no venue history here, so "cause unknown".
    assert center.store.alert_count() == 3
    assert [a.event.kind for a in center.store.recent_alerts()][-1] == "position_closed"
    center.process_snapshot(snapshot(account(far_cross_short()), sequence=4), NOW_MS + 10_000)
    center.recorder.flush()
    assert center.store.series("bn-1", "margin_ratio")[0].tolist() == [NOW_MS, NOW_MS + 10_000]


def test_recorder_runs_off_the_calling_thread_and_skips_while_busy(tmp_path):
    import threading

    from desktop.store.recorder import SnapshotRecorder

    store = HistoryStore(tmp_path / "h.sqlite3")
    gate = threading.Event()
    writer_threads: list[str] = []
    real = store.record_many

    def slow_record(rows):
        writer_threads.append(threading.current_thread().name)
        gate.wait(5)
        return real(rows)

    store.record_many = slow_record  # type: ignore[method-assign]
    recorder = SnapshotRecorder(store, interval_ms=1)
    snap = snapshot(account(near_isolated_long()))
    assert recorder.maybe_record(snap, NOW_MS) is True
    assert recorder.maybe_record(snap, NOW_MS + 10) is False  # previous write still running
    gate.set()
    assert recorder.flush() == 6 + 5 + 1  # account series, position series, market mark (no cascade)
    assert writer_threads == [writer_threads[0]] and writer_threads[0].startswith("liqguard-history")
    assert threading.current_thread().name not in writer_threads
    recorder.close()
    store.close()


def test_recorder_logs_a_failed_write(tmp_path, caplog):
    from desktop.store.recorder import SnapshotRecorder

    store = HistoryStore(tmp_path / "h.sqlite3")
    recorder = SnapshotRecorder(store)
    store.close()
    assert recorder.maybe_record(snapshot(None), NOW_MS)
    assert recorder.flush() == 0 and recorder.failures == 1
    assert "recording a risk snapshot failed" in caplog.text
    recorder.close()


def test_snapshot_of_a_stale_feed_raises_once(center):
    old = FeedStatus("bn-1", "Main", 5.0, last_update=NOW_S - 60, started_at=NOW_S - 120)
    events = center.process_snapshot(snapshot(None, feed=old), NOW_MS)
    assert [(e.kind, e.level) for e in events] == [("stale", "warning")]
    assert center.process_snapshot(snapshot(None, feed=old, sequence=2), NOW_MS + 1000) == []


def test_cascade_regime_from_snapshot(center):
    events = center.process_snapshot(
        snapshot(None, cascade=CascadeView(90.0, "firing", ("liq burst 12x",))), NOW_MS
    )
    assert sorted((e.kind, e.level) for e in events) == [
        ("cascade_score", "critical"),
        ("regime", "critical"),
    ]


def test_position_arrays_match_the_observations():
    import numpy as np

    from desktop.engine.alert_inputs import position_arrays

    snap = snapshot(account(near_isolated_long(), far_cross_short()))
    arrays = position_arrays(snap)
    objects = [o for o in observations_from_snapshot(snap) if isinstance(o, PositionObservation)]
    assert arrays.keys == [o.key for o in objects] and arrays.labels == [o.label for o in objects]
    np.testing.assert_array_equal(arrays.distances, [o.distance for o in objects])
    assert arrays.margin_ratios[0] == objects[0].margin_ratio and np.isnan(arrays.margin_ratios[1])
    assert not any(
        isinstance(o, PositionObservation) for o in observations_from_snapshot(snap, positions=False)
    )
