"""Alerts in the main window: a tier crossing raises one visible alert, a stale feed raises its own."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import time

from PySide6.QtWidgets import QApplication
from ui_fixtures import make_row, make_snapshot

from desktop.engine.alert_center import AlertCenter
from desktop.engine.snapshots import FeedStatus, Severity
from desktop.settings import AppConfig
from desktop.ui.main_window import MainWindow
from desktop.ui.notify import AlertNotifier, RecordingSound
from risk import Account
from risk.position_events import CAUSE_UNKNOWN, LiquidationRecord


def _window_with_alerts(qtbot) -> tuple[MainWindow, AlertCenter, RecordingSound]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.redraw_timer.stop()
    window.show()
    sound = RecordingSound()
    notifier = AlertNotifier(window, popup_channels=[], sound=sound)  # toast only: no OS tray in tests
    notifier.popup_channels = [notifier.toast_channel]
    center = AlertCenter(window, AppConfig(), None, notifier=notifier)
    center.timer.stop()  # the test calls tick() itself
    window.attach_alerts(center)
    return window, center, sound


def _feed(window: MainWindow, snapshot) -> None:
    """Deliver a snapshot as the engine does; alerts are judged on the next turn of the event loop."""
    window.on_snapshot(snapshot)
    QApplication.processEvents()


def _position_alerts(center: AlertCenter) -> list:
    return [
        row
        for row in center.dock.model.rows()
        if row.event.kind in ("distance", "position_margin_ratio") and not row.event.cleared
    ]


def test_crossing_a_tier_raises_one_visible_alert_not_several(qtbot):
    window, center, sound = _window_with_alerts(qtbot)
    now = time.time()
    _feed(window, make_snapshot((make_row("BTC/USDT:USDT", 0.30, Severity.OK),), sequence=1, wall_time=now))
    assert _position_alerts(center) == []  # 30 % from liquidation: nothing to say
    # The mark falls: 12 % from liquidation, past the 20 % tier; then it hovers around 12 %.
    for sequence, distance in enumerate((0.12, 0.121, 0.119, 0.12, 0.118), start=2):
        row = make_row("BTC/USDT:USDT", distance, Severity.INFO)
        _feed(window, make_snapshot((row,), sequence=sequence, wall_time=now))
    raised = _position_alerts(center)
    assert len(raised) == 1
    assert raised[0].event.threshold == 0.20
    toasts = [t for t in center.notifier.toast_area.toasts() if t.isVisible()]
    assert len(toasts) == 1
    assert "BTC/USDT:USDT" in raised[0].event.title + raised[0].event.message
    assert sound.levels == []  # the 20 % tier is "info": no sound


def test_next_tier_raises_a_second_alert(qtbot):
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    for sequence, distance in enumerate((0.30, 0.15, 0.04), start=1):
        _feed(
            window, make_snapshot((make_row("X", distance, Severity.OK),), sequence=sequence, wall_time=now)
        )
    levels = [row.event.level for row in _position_alerts(center)]
    # 20 % -> info, then straight past 10 % and 5 % -> one critical (not one per tier skipped)
    assert sorted(levels) == ["critical", "info"]


def test_stale_feed_raises_its_alert(qtbot):
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    feed = FeedStatus("acc-1", "Test account", 1.0, last_update=now, started_at=now)
    _feed(window, make_snapshot((make_row("X", 0.3, Severity.OK),), sequence=1, feed=feed, wall_time=now))
    assert not [r for r in center.dock.model.rows() if r.event.kind == "stale"]
    center.tick(int((now + 30.0) * 1000))  # 30 s without an update on a 1 s feed
    stale = [r for r in center.dock.model.rows() if r.event.kind == "stale"]
    assert len(stale) == 1 and "Test account" in stale[0].event.title + stale[0].event.message


def test_erroring_feed_raises_disconnected_alert(qtbot):
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    feed = FeedStatus("acc-1", "Test account", 1.0, last_update=now, started_at=now)
    broken = dataclasses.replace(feed, error="ConnectionError: venue down", consecutive_errors=3)
    _feed(window, make_snapshot((make_row("X", 0.3, Severity.OK),), sequence=1, feed=feed, wall_time=now))
    _feed(window, make_snapshot((make_row("X", 0.3, Severity.OK),), sequence=2, feed=broken, wall_time=now))
    kinds = [r.event.kind for r in center.dock.model.rows()]
    assert "disconnected" in kinds


def test_liquidated_position_alert_is_retired(qtbot):
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    _feed(window, make_snapshot((make_row("X", 0.04, Severity.CRITICAL),), sequence=1, wall_time=now))
    assert len(_position_alerts(center)) == 1
    _feed(window, make_snapshot((), sequence=2, wall_time=now))
    cleared = [r for r in center.dock.model.rows() if r.event.cleared]
    assert cleared, "the alert of a position that no longer exists must clear"


def _with_account(snapshot):
    """The snapshot as after a real read (an account object: not a restart with nothing read yet)."""
    account = dataclasses.replace(snapshot.accounts[0], account=Account("binanceusdm", 1_000.0, ()))
    return dataclasses.replace(snapshot, accounts=(account,))


def test_position_gone_without_venue_history_is_cause_unknown(qtbot):
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    row = make_row("BTC/USDT:USDT", 0.04, Severity.CRITICAL)
    _feed(window, _with_account(make_snapshot((row,), sequence=1, wall_time=now)))
    _feed(window, _with_account(make_snapshot((), sequence=2, wall_time=now)))
    closed = [r.event for r in center.dock.model.rows() if r.event.kind == "position_closed"]
    assert len(closed) == 1 and CAUSE_UNKNOWN in closed[0].reasons
    # The critical distance toast of the position and its closure: one toast for the one subject.
    (toast,) = center.notifier.toast_area.toasts()
    assert toast.subject == "acc-1:BTC/USDT:USDT:long" and set(toast.keys()) >= {
        "distance:acc-1:BTC/USDT:USDT:long",
        "position_closed:acc-1:BTC/USDT:USDT:long",
    }


def test_position_liquidated_at_the_venue_raises_a_critical_liquidated_alert(qtbot):
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    record = LiquidationRecord(
        "BTC/USDT:USDT", "long", 2.0, 96.0, round(now * 1000) + 500, realized_pnl=-10.0
    )
    asked = []

    def lookup(account_id, closure):
        asked.append((account_id, closure.symbol, closure.side))
        future = concurrent.futures.Future()
        future.set_result([record])
        return future

    center.closure_lookup = lookup
    row = make_row("BTC/USDT:USDT", 0.3, Severity.OK)
    _feed(window, _with_account(make_snapshot((row,), sequence=1, wall_time=now)))
    _feed(window, _with_account(make_snapshot((), sequence=2, wall_time=now)))
    qtbot.waitUntil(lambda: any(r.event.kind == "liquidated" for r in center.dock.model.rows()), timeout=2000)
    assert asked == [("acc-1", "BTC/USDT:USDT", "long")]
    (event,) = [r.event for r in center.dock.model.rows() if r.event.kind == "liquidated"]
    assert event.level == "critical" and event.requires_ack
    assert event.message == "2 BTC long liquidated at 96.00; realised -10.00 USDT."
    assert center.engine.unacknowledged()[-1].key == event.key
    assert center.account_severities() == {"acc-1": Severity.OK}  # a closure is not a tier in force


def test_badge_shows_the_worst_alert_in_force(qtbot):
    """The snapshot's own severity says "warning"; an alert still in force (hysteresis) is critical."""
    window, center, _sound = _window_with_alerts(qtbot)
    now = time.time()
    _feed(window, make_snapshot((make_row("X", 0.04, Severity.CRITICAL),), sequence=1, wall_time=now))
    _feed(window, make_snapshot((make_row("X", 0.055, Severity.WARNING),), sequence=2, wall_time=now))
    assert center.account_severities() == {"acc-1": Severity.CRITICAL}  # 5.5 % is inside the 1-point band
    window.redraw()
    card = window.accounts_panel.cards["acc-1"]
    assert card.severity == Severity.CRITICAL and "critical" in card.badge.text().lower()


def test_position_alert_starts_with_the_action_in_numbers(qtbot):
    """The demo's Hyperliquid BTC long opens about 5 % from liquidation: its alert says how much margin
    brings it back to 10 % (the number from risk.actions, itself checked against a closed form)."""
    from desktop.engine.risk_view import AccountInput, RiskThresholds, assess_accounts
    from desktop.engine.snapshots import EngineSnapshot
    from desktop.exchanges.demo import DemoVenue
    from risk.actions import distance_action

    _window, center, _sound = _window_with_alerts(qtbot)
    venue = DemoVenue(clock=lambda: 0.0)
    account = venue.read("demo-hyperliquid")
    now = time.time()
    feed = FeedStatus("demo-hyperliquid", "Hyperliquid", 1.0, last_update=now, started_at=now)
    (snap,) = assess_accounts(
        [AccountInput("demo-hyperliquid", "Hyperliquid", account, feed)], {}, RiskThresholds()
    )
    snapshot = EngineSnapshot(1, now, now, (snap,), {}, (feed,))
    events = center.process_snapshot(snapshot)
    (btc,) = [e for e in events if e.kind == "distance" and "BTC/USDC" in e.subject]
    index = next(i for i, p in enumerate(account.positions) if p.instrument.symbol == "BTC/USDC:USDC")
    margin = distance_action(account, index, 0.10).add_margin
    assert margin and btc.action.startswith(f"Add {margin:,.0f} USDC margin to get back to 10 % distance")
    toast = center.notifier.toast_area.toast_for(btc.subject)
    assert toast.action_label.text() == btc.action
    message = center.dock.model.index(0, 3).data()
    assert any(
        r.event.action and r.event.action in (r.event.action + message) for r in center.dock.model.rows()
    )


def test_detail_panel_starts_with_the_action(qtbot):
    from desktop.engine.risk_view import AccountInput, RiskThresholds, assess_accounts
    from desktop.engine.snapshots import EngineSnapshot
    from desktop.exchanges.demo import DemoVenue

    window, _center, _sound = _window_with_alerts(qtbot)
    venue = DemoVenue(clock=lambda: 0.0)
    account = venue.read("demo-hyperliquid")
    now = time.time()
    feed = FeedStatus("demo-hyperliquid", "Hyperliquid", 1.0, last_update=now, started_at=now)
    (snap,) = assess_accounts(
        [AccountInput("demo-hyperliquid", "Hyperliquid", account, feed)], {}, RiskThresholds()
    )
    _feed(window, EngineSnapshot(1, now, now, (snap,), {}, (feed,)))
    window.redraw()
    window.positions_table.selectRow(0)  # sorted by distance: the BTC long, about 5 % away
    assert window.selected_row().symbol == "BTC/USDC:USDC"
    detail = window.detail
    assert detail.action.isVisibleTo(detail)
    assert detail.action.text().startswith("Add ") and "to get back to 10 % distance" in detail.action.text()
    layout = detail.action.parentWidget().layout()
    assert layout.indexOf(detail.action) < layout.indexOf(detail.title)  # the action comes first
