"""Positions table layout: key columns visible and unclipped at 1366x768 and 1920x1080 (dark and light) in
the demo at 100 s, other columns from the header menu, the window within the screen, layout remembered."""

from __future__ import annotations

import json

import pytest
from demo_window import demo_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView

from desktop.ui.column_menu import header_layout, restore_header_layout
from desktop.ui.main_window import MainWindow
from desktop.ui.positions_model import COLUMNS, DEFAULT_VISIBLE, column_index
from desktop.ui.theme import apply_theme

SIZES = ((1366, 768), (1920, 1080))


def _visible_headers(header: QHeaderView) -> list[str]:
    shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    return [COLUMNS[i].header for i in sorted(shown, key=header.visualIndex)]


def _assert_key_columns_readable(header: QHeaderView, where: str) -> None:
    """Each key column is shown, lies inside the viewport, and is at least as wide as its header text."""
    viewport = header.viewport().width()
    assert viewport > 0
    for name in DEFAULT_VISIBLE:
        logical = column_index(name)
        text = header.model().headerData(logical, header.orientation())
        assert text, f"{where}: {name} has no header text"
        assert not header.isSectionHidden(logical), f"{where}: {name} hidden"
        left = header.sectionViewportPosition(logical)
        width = header.sectionSize(logical)
        assert left >= 0 and left + width <= viewport, (
            f"{where}: {name} at {left}..{left + width} px, viewport {viewport} px (scrolling needed)"
        )
        needed = header.sectionSizeFromContents(logical).width()
        assert width >= needed, f"{where}: header {text!r} clipped ({width} px < {needed} px)"


@pytest.fixture
def demo_at_100_s(qtbot):
    with demo_window(qtbot) as window:
        try:
            yield window
        finally:
            apply_theme(QApplication.instance(), "dark")


def test_key_columns_visible_and_unclipped_in_the_demo_at_100_s(demo_at_100_s, qtbot, tmp_path):
    window = demo_at_100_s
    header = window.positions_table.horizontalHeader()
    app = QApplication.instance()
    # The test screen is 800 px wide, so opening tabbed the cascade dock under the stress panel; on a
    # 1366 px screen it stays on the right, beside the table: put it back to measure that layout.
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.cascade_dock)
    window.cascade_dock.show()
    for width, height in SIZES:
        for theme in ("dark", "light"):
            apply_theme(app, theme)
            window.resize(width, height)
            window._default_dock_sizes()  # as at start-up on a screen of this size
            qtbot.wait(50)
            window.redraw()
            shot = tmp_path / f"demo-100s-{width}x{height}-{theme}.png"
            assert window.grab().save(str(shot), "PNG") and shot.stat().st_size > 10_000
            where = f"{width}x{height} {theme}"
            assert window.dockWidgetArea(window.cascade_dock) == Qt.DockWidgetArea.RightDockWidgetArea
            assert not window.tabifiedDockWidgets(window.cascade_dock) and window.cascade_dock.isVisible()
            assert window.cascade_dock.width() >= window.cascade.minimumWidth(), where
            assert window.width() == width, f"{where}: window is {window.width()} px wide"
            # toast strip (three toasts and "N more" at 100 s), cards, alerts log: still within the screen
            assert window.alert_center is not None and window.alert_center.notifier.toast_area.toasts()
            assert window.height() == height, f"{where}: window is {window.height()} px high"
            assert _visible_headers(header) == list(DEFAULT_VISIBLE), where
            _assert_key_columns_readable(header, where)
            assert window.positions_table.horizontalScrollBar().maximum() == 0, f"{where}: scrolls"


def test_other_columns_start_hidden_and_come_from_the_header_menu(qtbot):
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    header = window.positions_table.horizontalHeader()
    hidden = [c.header for i, c in enumerate(COLUMNS) if header.isSectionHidden(i)]
    assert set(hidden) == {c.header for c in COLUMNS} - set(DEFAULT_VISIBLE)
    menu = window.column_menu
    menu.sync()
    assert [a.isChecked() for a in menu.column_actions.values()] == [
        c.header in DEFAULT_VISIBLE for c in COLUMNS
    ]
    menu.column_actions["Mark"].setChecked(True)
    assert not header.isSectionHidden(column_index("Mark"))
    menu.column_actions["Stop"].setChecked(False)
    assert header.isSectionHidden(column_index("Stop"))
    menu.reset_action.trigger()
    assert _visible_headers(header) == list(DEFAULT_VISIBLE)


def test_column_layout_survives_restart_and_new_columns_start_hidden(qtbot):
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    window.show()
    header = window.positions_table.horizontalHeader()
    header.setSectionHidden(column_index("Mark"), False)
    header.moveSection(header.visualIndex(column_index("Mark")), 0)
    header.resizeSection(column_index("Symbol"), 201)
    window.central_splitter.setSizes([300, 200])
    sizes = window.central_splitter.sizes()
    window.close()

    again = MainWindow(demo=True)
    qtbot.addWidget(again)
    again.show()
    header = again.positions_table.horizontalHeader()
    assert _visible_headers(header)[0] == "Mark"
    assert header.sectionSize(column_index("Symbol")) == 201
    restored = again.central_splitter.sizes()
    assert restored[0] / sum(restored) == pytest.approx(sizes[0] / sum(sizes), abs=0.02)

    # A layout saved before a column existed: that column starts hidden, the others as saved.
    saved = json.loads(header_layout(header))
    saved["columns"] = [c for c in saved["columns"] if c["name"] != "Size"]
    header.setSectionHidden(column_index("Size"), False)
    assert restore_header_layout(header, json.dumps(saved))
    assert header.isSectionHidden(column_index("Size"))
    assert _visible_headers(header)[0] == "Mark"


def test_window_never_opens_larger_than_the_screen(qtbot):
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    window.show()
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    assert area.contains(frame), f"window {frame} outside the screen's {area}"


@pytest.mark.parametrize(("size", "stacked"), [((240, 500), True), ((700, 220), False)])
def test_stress_charts_follow_the_dock_shape(qtbot, size, stacked):
    from desktop.ui.stress_panel import StressPanel

    panel = StressPanel()
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitUntil(lambda: panel._stacked == stacked, timeout=2_000)
    equity, ratio = panel.equity_plot.sceneBoundingRect(), panel.ratio_plot.sceneBoundingRect()
    if stacked:
        assert ratio.top() >= equity.bottom() - 1
    else:
        assert ratio.left() >= equity.right() - 1
