"""A damaged history database (issue #10) is recovered through :meth:`HistoryStore.open`, never a crash;
damaged alert rows are skipped, never empty the alerts panel."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from desktop.store import HistoryStore, StoreError
from tests.desktop.test_store import event

NOW = time.time_ns() // 1_000_000


def _make(path: Path, script: str, version: int) -> None:
    conn = sqlite3.connect(path)
    if script:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


DAMAGED = {
    "version 2 without tables": ("", 2),
    "negative version": ("", -1),
    "version 2, points missing": ("CREATE TABLE alerts (id INTEGER PRIMARY KEY, key TEXT);", 2),
    "a v1 file of another shape": ("CREATE TABLE alerts (id INTEGER PRIMARY KEY, note TEXT);", 1),
    "version 1 whose alerts lack columns": (
        "CREATE TABLE alerts (id INTEGER PRIMARY KEY, key TEXT);"
        "CREATE TABLE points (subject TEXT, series TEXT, timestamp_ms INTEGER, value REAL);",
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_schema_is_refused_by_the_constructor_and_recovered_by_open(tmp_path, name) -> None:
    path = tmp_path / "history.sqlite3"
    _make(path, *DAMAGED[name])
    with pytest.raises(StoreError):
        HistoryStore(path)
    store, message = HistoryStore.open(path)
    with store:
        assert message is not None and "kept as" in message
        store.record_alert(event(NOW))
        assert store.alert_count() == 1 and len(store.recent_alerts()) == 1
    assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) == 1


def test_unreadable_alert_rows_are_skipped_not_fatal(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.record_alert(event(NOW, key="good:1"))
        store.record_alert(event(NOW + 1, key="bad-level"))
        store.record_alert(event(NOW + 2, key="bad-reasons"))
        store.record_alert(event(NOW + 3, key="good:2", level="warning"))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alerts SET level = 'apocalyptic' WHERE key = 'bad-level'")
    conn.execute("UPDATE alerts SET reasons = '{not json' WHERE key = 'bad-reasons'")
    conn.commit()
    conn.close()
    with HistoryStore(path) as store:
        assert [a.event.key for a in store.recent_alerts()] == ["good:1", "good:2"]
        assert [a.event.key for a in store.unacknowledged_alerts()] == ["good:1"]
        assert store.skipped_rows == 4  # both bad rows are critical, so each query skipped both


def test_a_damaged_history_is_reported_in_the_window_and_recording_goes_on(qtbot, isolated_settings) -> None:
    from desktop.app import build_main_window
    from desktop.store import default_db_path
    from desktop.ui.problem_banner import ProblemBanner

    default_db_path().parent.mkdir(parents=True, exist_ok=True)
    _make(default_db_path(), "", -5)
    window = build_main_window(store=True, quiet=True)
    qtbot.addWidget(window)
    banner = window.findChild(ProblemBanner)
    assert banner is not None and "history database" in banner.label.text()
    assert window.alert_center is not None and window.alert_center.store is not None
    window.alert_center.store.close()
