"""The main window builds, fills its table from a snapshot, sorts by danger and shows stale feeds."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from ui_fixtures import make_row, make_snapshot

from desktop.engine.snapshots import FeedStatus, Severity
from desktop.ui.main_window import DISTANCE_COLUMN, MainWindow
from desktop.ui.positions_model import COLUMNS


def _window(qtbot) -> MainWindow:
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    window.redraw_timer.stop()  # the test drives redraws itself
    return window


def test_window_builds_with_every_part(qtbot):
    window = _window(qtbot)
    window.show()
    assert window.positions_table.model().columnCount() == len(COLUMNS)
    for dock in (window.accounts_dock, window.cascade_dock, window.stress_dock):
        assert dock.isVisible()
    assert window.demo_toolbar is not None and window.demo_toolbar.isVisible()
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Accounts", "&Settings", "&View", "&Help"]


def test_table_fills_from_snapshot_sorted_by_distance(qtbot):
    window = _window(qtbot)
    rows = (
        make_row("BTC/USDT:USDT", 0.30, Severity.OK),
        make_row("ETH/USDT:USDT", 0.04, Severity.CRITICAL),
        make_row("SOL/USDT:USDT", None, Severity.OK, side="short"),
    )
    window.on_snapshot(make_snapshot(rows, wall_time=time.time()))
    window.redraw()
    table = window.positions_table
    proxy = table.model()
    assert proxy.rowCount() == 3
    symbols = [proxy.index(r, 1).data() for r in range(3)]
    assert symbols == ["ETH/USDT:USDT", "BTC/USDT:USDT", "SOL/USDT:USDT"]  # nearest liquidation first
    assert proxy.index(0, DISTANCE_COLUMN).data() == "4.0 %"
    assert proxy.index(2, DISTANCE_COLUMN).data() == "—"
    critical_bg = proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert critical_bg is not None and critical_bg.color().red() > critical_bg.color().green()
    # The first row is selected and drives the detail panel.
    assert window.detail.row is not None and window.detail.row.symbol == "ETH/USDT:USDT"


def test_same_rows_update_in_place_keeping_selection(qtbot):
    window = _window(qtbot)
    rows = (make_row("BTC/USDT:USDT", 0.30, Severity.OK), make_row("ETH/USDT:USDT", 0.15, Severity.INFO))
    window.on_snapshot(make_snapshot(rows, sequence=1, wall_time=time.time()))
    window.redraw()
    window.positions_table.selectRow(1)
    selected = window.selected_row()
    moved = tuple(make_row(r.symbol, (r.distance or 0) - 0.01, r.severity) for r in rows)
    with qtbot.assertNotEmitted(window.positions_model.modelReset):
        window.on_snapshot(make_snapshot(moved, sequence=2, wall_time=time.time()))
        window.redraw()
    assert window.selected_row() is not None and window.selected_row().key == selected.key


def test_older_snapshot_is_ignored(qtbot):
    window = _window(qtbot)
    window.on_snapshot(make_snapshot((make_row("A", 0.3, Severity.OK),), sequence=5))
    window.on_snapshot(make_snapshot((), sequence=4))
    assert window.snapshot is not None and window.snapshot.sequence == 5


def test_keyboard_moves_selection(qtbot):
    window = _window(qtbot)
    window.show()
    rows = tuple(make_row(s, d, Severity.OK) for s, d in (("A", 0.5), ("B", 0.6), ("C", 0.7)))
    window.on_snapshot(make_snapshot(rows, wall_time=time.time()))
    window.redraw()
    window.positions_table.setFocus()
    qtbot.keyClick(window.positions_table, Qt.Key.Key_Down)
    assert window.selected_row() is not None and window.selected_row().symbol == "B"


def test_stale_feed_is_shown_in_status_bar_and_sidebar(qtbot):
    window = _window(qtbot)
    now = time.time()
    stale = FeedStatus("acc-1", "Test account", 1.0, last_update=now - 30.0, started_at=now - 60.0)
    window.on_snapshot(make_snapshot((make_row("A", 0.3, Severity.OK),), feed=stale, wall_time=now))
    window.redraw()
    label = window.feed_bar.labels["acc-1"].text()
    assert "stale" in label and "30 s" in label
    assert "stale" in window.accounts_panel.cards["acc-1"].freshness.text()
    assert "1 feed(s) stale" in window.summary_label.text()


def test_fresh_feed_is_not_stale(qtbot):
    window = _window(qtbot)
    now = time.time()
    fresh = FeedStatus("acc-1", "Test account", 1.0, last_update=now - 0.5, started_at=now - 60.0)
    window.on_snapshot(make_snapshot((make_row("A", 0.3, Severity.OK),), feed=fresh, wall_time=now))
    window.redraw()
    assert "stale" not in window.feed_bar.labels["acc-1"].text()


def test_layout_is_remembered(qtbot):
    window = _window(qtbot)
    window.show()
    window.cascade_dock.hide()
    window.close()
    again = _window(qtbot)
    again.show()
    assert not again.cascade_dock.isVisible()


def test_settings_apply_theme_and_menus(qtbot):
    import dataclasses

    from PySide6.QtWidgets import QApplication

    from desktop.settings import AppConfig
    from desktop.ui.theme import THEME_PROPERTY, apply_theme

    window = _window(qtbot)
    app = QApplication.instance()
    try:
        window.apply_config(dataclasses.replace(AppConfig(), theme="light"))
        assert app.property(THEME_PROPERTY) == "light"
        assert window.theme_actions["light"].isChecked() and not window.theme_actions["dark"].isChecked()
        background = window.cascade.graphics.backgroundBrush().color().name()
        assert background == "#ffffff"
        dialog = window.open_settings()
        qtbot.addWidget(dialog)
        assert dialog.isVisible()
        dialog.reject()
    finally:
        apply_theme(app, "dark")


def test_accounts_menu_opens_the_wizard(qtbot):
    window = _window(qtbot)
    window.show()
    wizard = window.open_account_wizard()
    qtbot.addWidget(wizard)
    assert wizard.isVisible()
    with qtbot.waitSignal(window.account_saved, timeout=1000) as blocker:
        wizard.account_saved.emit("acc-9")
    assert blocker.args == ["acc-9"]
    wizard.reject()
