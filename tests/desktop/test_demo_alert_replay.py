"""The demo's Oct 10 cascade replayed to the end through the real window and alert chain.

The demo clock is driven by hand (a fake wall clock; 60 scenario steps per turn, the 60x speed's
steps per wall second) instead of waiting in real time; the engine, readers, alert rules, store,
toasts and table are the real ones. At every turn: at most three toasts visible, one per subject,
and each position toast's value equal to the table's; at the end: a "liquidated" alert for every
position the demo venue liquidated, no market alert at start-up, and market alerts per underlying only.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.app import build_main_window
from desktop.engine import Engine
from desktop.engine.alert_inputs import position_key, underlying
from desktop.exchanges.demo import DemoVenue, demo_readers
from desktop.settings import AppConfig
from desktop.ui.notify import MAX_VISIBLE_TOASTS, Toast
from desktop.ui.positions_model import COLUMNS, ROW_ROLE
from risk.alerts import MARKET_KINDS

STEPS_PER_TURN = 60.0  # 60x: sixty 5 s scenario steps per wall second
DISTANCE = next(i for i, c in enumerate(COLUMNS) if c.header == "Distance")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _table_distances(window) -> dict[str, str]:
    proxy = window.positions_proxy
    found = {}
    for r in range(proxy.rowCount()):
        row = proxy.data(proxy.index(r, 0), ROW_ROLE)
        found[position_key(row)] = proxy.data(proxy.index(r, DISTANCE), Qt.ItemDataRole.DisplayRole)
    return found


@pytest.fixture
def demo(qtbot):
    venue = DemoVenue(speed=60.0, clock=FakeClock())
    accounts, markets = demo_readers(venue)
    for reader in (*accounts, *markets):
        reader.poll_interval = 0.05  # read often: the test waits for reads, not for wall time
    engine = Engine(accounts, markets, demo_status=venue.status, emit_hz=20)
    window = build_main_window(engine, demo=True, config=AppConfig(), store=True, quiet=True)
    window.alert_center.timer.stop()  # feed ages are judged against a wall clock the test does not run
    qtbot.addWidget(window)
    raised = []
    window.alert_center.alerts_raised.connect(raised.extend)
    window.show()
    try:
        engine.start()
        yield venue, engine, window, raised
    finally:  # also when start() timed out on a loaded machine: no engine thread may outlive the test
        engine.stop()
        window.alert_center.close()
        if window.alert_center.store is not None:
            window.alert_center.store.close()


def test_demo_cascade_replay_alerts(qtbot, demo):
    venue, engine, window, raised = demo
    area = window.alert_center.notifier.toast_area
    started = time.monotonic()
    qtbot.waitUntil(lambda: window.positions_proxy.rowCount() == 6, timeout=10_000)
    first_batch = list(raised)
    end_rows = venue.path.rows - 1
    most_visible = 0
    checked_values = 0
    target = float(venue.path.history_rows)
    while target < end_rows:
        target = min(target + STEPS_PER_TURN, end_rows)
        engine.call_soon(lambda: venue.advance_by(STEPS_PER_TURN))
        qtbot.waitUntil(
            lambda t=target: (
                window.snapshot is not None
                and window.snapshot.demo.elapsed_rows >= t
                and all(a.account is not None and a.feed.last_update for a in window.snapshot.accounts)
            ),
            timeout=10_000,
        )
        seen = window.snapshot.sequence
        # Let every account read after the jump reach the window (reads are 0.05 s apart).
        qtbot.waitUntil(lambda s=seen: window.snapshot.sequence >= s + 3, timeout=10_000)
        qtbot.wait(30)
        QApplication.processEvents()
        window.redraw()
        window.alert_center.process_snapshot(window.snapshot)  # the toasts and the table: one snapshot

        toasts = [t for t in area.findChildren(Toast) if t.isVisible()]
        most_visible = max(most_visible, len(toasts))
        assert len(toasts) <= MAX_VISIBLE_TOASTS
        held = area.toasts()
        assert len({t.subject for t in held}) == len(held)  # one toast per subject
        table = _table_distances(window)
        for toast in held:
            if toast.alert.kind == "distance" and toast.subject in table:
                assert toast.value_label.text().startswith(f"distance {table[toast.subject]} · "), (
                    toast.value_label.text(),
                    table[toast.subject],
                )
                checked_values += 1

    liquidated = {e.subject for e in raised if e.kind == "liquidated" and e.level == "critical"}
    expected = {
        f"{account_id}:{record.symbol}:{record.side}"
        for account_id, records in venue.liquidation_records.items()
        for record in records
    }
    assert expected, "the Oct 10 scenario liquidates at least the Hyperliquid BTC long"
    assert expected <= liquidated
    assert all("realised" in e.message for e in raised if e.kind == "liquidated")
    assert not [e for e in first_batch if e.kind in MARKET_KINDS]  # nothing happened yet at start-up
    assert not [e for e in raised if e.kind in MARKET_KINDS and e.startup]
    market_subjects = {e.subject for e in raised if e.kind in MARKET_KINDS}
    assert all(underlying(s) == s for s in market_subjects)  # BTC, not BTC/USDT:USDT and BTC/USDC:USDC
    assert checked_values > 0 and most_visible >= 1
    print(f"replayed {end_rows - venue.path.history_rows} steps in {time.monotonic() - started:.1f} s")
