"""History store on a real SQLite file: alerts, series, retention, schema version, threads, recovery."""

from __future__ import annotations

import sqlite3
import threading
import time

import numpy as np
import pytest

from desktop.store import SCHEMA_VERSION, HistoryStore, Retention, StoreError, default_db_path
from risk.alerts import AlertEngine, AlertEvent, PositionObservation
from risk.results import AccountRisk, PositionRisk

NOW = time.time_ns() // 1_000_000  # retention is judged against the wall clock, so use recent times


def event(ts: int = NOW, key: str = "distance:p", level: str = "critical", **kw) -> AlertEvent:
    base = dict(
        key=key,
        kind="distance",
        level=level,
        tier=3,
        title="BTC long: distance 4.0 %",
        message="Distance to liquidation 4.0 % is at or below the 5.0 % tier (3 of 3).",
        reasons=("distance 4.0 % at or below 5.0 %", "已经处于危险"),
        timestamp_ms=ts,
        subject="p",
        value=0.04,
        threshold=0.05,
        tier_count=3,
        requires_ack=level == "critical",
    )
    base.update(kw)
    return AlertEvent(**base)


def test_default_path_is_under_the_isolated_data_dir(isolated_settings):
    assert default_db_path() == isolated_settings / "data" / "history.sqlite3"
    with HistoryStore() as store:
        assert store.path.exists() and store.schema_version() == SCHEMA_VERSION


def test_wal_mode(tmp_path):
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_alerts_round_trip_and_survive_reopen(tmp_path):
    path = tmp_path / "h.sqlite3"
    engine = AlertEngine()
    events = engine.observe_position(PositionObservation("p", 0.04, label="BTC long"), NOW)
    events += engine.observe_position(PositionObservation("p", 0.5, label="BTC long"), NOW + 1000)
    with HistoryStore(path) as store:
        ids = [store.record_alert(e) for e in events]
        assert ids == sorted(ids) and len(set(ids)) == 2
    with HistoryStore(path) as reopened:
        stored = reopened.recent_alerts()
    assert [s.event for s in stored] == events  # every field, including reasons and NaN-free floats


def test_recent_alerts_limit_and_since(tmp_path):
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        for i in range(10):
            store.record_alert(event(NOW + i, title=f"t{i}"))
        assert [s.event.title for s in store.recent_alerts(limit=3)] == ["t7", "t8", "t9"]
        assert [s.event.title for s in store.recent_alerts(since_ms=NOW + 8)] == ["t8", "t9"]


def test_acknowledge_and_snooze_are_stored(tmp_path):
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as store:
        store.record_alert(event(NOW, key="distance:a"))
        store.record_alert(event(NOW + 1, key="distance:b"))
        store.record_alert(event(NOW + 2, key="distance:c", level="warning"))
        assert store.acknowledge("distance:a", NOW + 5) == 1
        assert store.acknowledge("distance:a", NOW + 6) == 0  # already acknowledged
        assert store.mark_snoozed("distance:c", NOW + 60_000) == 1
    with HistoryStore(path) as store:
        assert [s.event.key for s in store.unacknowledged_alerts()] == ["distance:b"]
        rows = {s.event.key: s for s in store.recent_alerts()}
        assert rows["distance:a"].acknowledged_ms == NOW + 5
        assert rows["distance:c"].snoozed_until_ms == NOW + 60_000


def test_series_round_trip_with_none_and_inf(tmp_path):
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as store:
        store.record_points(NOW, "acct", {"margin_ratio": 0.5, "break_move": None})
        store.record_points(NOW + 1000, "acct", {"margin_ratio": float("inf"), "break_move": -0.2})
        store.record_points(NOW + 500, "other", {"margin_ratio": 0.1})
    with HistoryStore(path) as store:
        t, v = store.series("acct", "margin_ratio")
        np.testing.assert_array_equal(t, [NOW, NOW + 1000])
        np.testing.assert_array_equal(v, [0.5, np.inf])
        t, v = store.series("acct", "break_move", since_ms=NOW)
        assert np.isnan(v[0]) and v[1] == -0.2
        assert store.series("acct", "margin_ratio", until_ms=NOW)[0].tolist() == [NOW]
        assert store.subjects() == ["acct", "other"]
        assert store.subjects("break_move") == ["acct"]


def test_risk_snapshots(tmp_path):
    position = PositionRisk(
        liquidation_price=None,
        maintenance_margin=1.0,
        distance=None,
        notional=100.0,
        unrealized_pnl=-2.5,
        margin_balance=50.0,
        margin_ratio=0.02,
        venue_margin_ratio=0.02,
        tier_index=0,
    )
    account = AccountRisk(
        positions=[position],
        maintenance_margin=1.0,
        margin_balance=50.0,
        margin_ratio=0.02,
        venue_margin_ratio=0.02,
        venue_margin_ratio_kind="mm/equity",
        equity=50.0,
        unrealized_pnl=-2.5,
        break_move=-0.35,
    )
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        assert store.record_account_risk(NOW, "acct", account) == 6
        assert store.record_position_risk(NOW, "acct:BTC", position) == 5
        assert store.series("acct", "break_move")[1].tolist() == [-0.35]
        assert np.isnan(store.series("acct:BTC", "liquidation_price")[1][0])


def test_retention_by_age_and_by_rows(tmp_path):
    day = 86_400_000
    retention = Retention(
        alerts_max_age_ms=2 * day, alerts_max_rows=3, points_max_age_ms=day, points_max_rows=4
    )
    with HistoryStore(tmp_path / "h.sqlite3", retention) as store:
        store.record_alert(event(NOW - 3 * day, title="old"))
        for i in range(4):
            store.record_alert(event(NOW - i, title=f"new{i}"))
        store.record_many(
            [(NOW - 2 * day, "s", "x", 1.0)] + [(NOW - i, "s", "x", float(i)) for i in range(6)]
        )
        assert store.prune(NOW) == (2, 3)  # 1 too old + 1 over the cap; 1 too old + 2 over the cap
        assert [s.event.title for s in store.recent_alerts()] == ["new2", "new1", "new0"]
        assert store.series("s", "x")[1].tolist() == [3.0, 2.0, 1.0, 0.0]


def test_automatic_prune_every_n_writes(tmp_path):
    retention = Retention(points_max_rows=10, prune_every=20)
    with HistoryStore(tmp_path / "h.sqlite3", retention) as store:
        for i in range(19):
            store.record_points(NOW + i, "s", {"x": float(i)})
        assert store.point_count() == 19
        store.record_points(NOW + 19, "s", {"x": 19.0})
        assert store.point_count() == 10
        assert store.series("s", "x")[1][0] == 10.0  # oldest went first


def test_bad_retention_names_the_field():
    with pytest.raises(ValueError, match="points_max_rows"):
        Retention(points_max_rows=0)


def test_writes_from_several_threads_while_reading(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(50):
                store.record_points(NOW + i, f"s{n}", {"x": float(i), "y": float(-i)})
                store.record_alert(event(NOW + i, key=f"k{n}"))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    reads = 0
    while any(t.is_alive() for t in threads):
        store.recent_alerts(limit=10)
        reads += 1
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.point_count() == 4 * 50 * 2 and store.alert_count() == 4 * 50
    assert reads > 0
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.recent_alerts()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "h.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer LiqGuard"):
        HistoryStore.open(path)
    assert path.exists()  # not moved aside: a newer version's data is not corrupt


def test_corrupt_file_is_kept_aside_and_a_new_one_started(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database, just text " * 200)
    with pytest.raises(StoreError, match="not usable"):
        HistoryStore(path)
    store, message = HistoryStore.open(path)
    with store:
        assert message is not None and "kept as" in message
        assert store.alert_count() == 0
    kept = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")


def test_version_1_database_is_migrated_keeping_its_alerts(tmp_path):
    from desktop.store.history import _SCHEMA

    path = tmp_path / "h.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(_SCHEMA[1])
    conn.execute(
        "INSERT INTO alerts (key, kind, level, tier, tier_count, title, message, reasons, timestamp_ms, "
        "cleared, subject, value, threshold, requires_ack, startup) "
        "VALUES ('distance:p','distance','warning',2,3,'t','m','[\"r\"]',?,0,'p',0.09,0.1,0,0)",
        (NOW,),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with HistoryStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 2
        (row,) = store.recent_alerts()
        assert (row.event.key, row.event.reasons, row.event.label, row.event.detail) == (
            "distance:p",
            ("r",),
            "",
            "",
        )
        store.record_alert(event(NOW + 1, label="BTC long", detail="x"))
        assert store.recent_alerts()[-1].event.label == "BTC long"
