"""Stress panel readable at 1366x768: each shown chart has a real plot area, its tick labels do not pile
up, it fits the dock; a short dock shows one chart at a time behind an Equity / Margin ratio toggle."""

from __future__ import annotations

import pytest
from demo_window import demo_window
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from desktop.ui.stress_panel import MIN_PLOT_ROOM, StressPanel


def _tick_label_rects(plot, side: str) -> list[QRectF]:
    """Where pyqtgraph would draw ``side``'s tick labels (scene coordinates not needed: one axis)."""
    axis = plot.getAxis(side)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _flags, text in specs[2] if text]


def _shown_plots(panel: StressPanel) -> list:
    return [p for p in (panel.equity_plot, panel.ratio_plot) if p.scene() is not None and p.isVisible()]


def _assert_readable(panel: StressPanel, where: str) -> None:
    view = panel.graphics.viewport().rect()
    shown = _shown_plots(panel)
    assert shown, where
    for plot in shown:
        area = plot.getViewBox().sceneBoundingRect()
        # Before the toggle both charts got ~10 px at 1366x768; 48 px holds three 9 pt tick labels apart.
        assert area.height() >= 48, f"{where}: plot area {area.height():.0f} px high"
        assert area.width() >= MIN_PLOT_ROOM, f"{where}: plot area {area.width():.0f} px wide"
        box = plot.sceneBoundingRect()
        assert box.right() <= view.width() + 1 and box.bottom() <= view.height() + 1, (
            f"{where}: chart {box} overflows the {view.width()}x{view.height()} view"
        )
        for side in ("left", "bottom"):
            rects = _tick_label_rects(plot, side)
            assert len(rects) >= 2, f"{where}: {side} axis has {len(rects)} tick labels"
            for i, a in enumerate(rects):
                for b in rects[i + 1 :]:
                    assert not a.intersects(b), f"{where}: {side} tick labels overlap ({a} and {b})"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_stress_charts_readable_in_the_demo_at_100_s(qtbot, width, height):
    with demo_window(qtbot) as window:
        # As on a 1366 px screen: the cascade dock on the right, the stress dock under the accounts.
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.cascade_dock)
        window.cascade_dock.show()
        window.resize(width, height)
        window._default_dock_sizes()
        qtbot.wait(50)
        window.redraw()
        panel = window.stress
        window.stress.show_accounts(window.snapshot.accounts)
        qtbot.wait(50)
        where = f"{width}x{height}, stress dock {window.stress_dock.width()}x{window.stress_dock.height()}"
        _assert_readable(panel, where)
        if width == 1920:
            assert len(_shown_plots(panel)) == 2 and not panel.chart_choice.isVisible(), where
            return
        assert panel.chart_choice.isVisible() and _shown_plots(panel) == [panel.equity_plot], where
        panel.chart_buttons.button(1).click()
        qtbot.waitUntil(lambda: _shown_plots(panel) == [panel.ratio_plot], timeout=2_000)
        qtbot.wait(50)
        _assert_readable(panel, where + ", margin ratio")


def test_a_roomy_dock_shows_both_charts_again(qtbot):
    panel = StressPanel()
    qtbot.addWidget(panel)
    panel.resize(240, 200)
    panel.show()
    qtbot.waitUntil(lambda: panel.chart_choice.isVisible(), timeout=2_000)
    panel.chart_buttons.button(1).click()
    panel.resize(240, 600)
    qtbot.waitUntil(lambda: not panel.chart_choice.isVisible(), timeout=2_000)
    assert _shown_plots(panel) == [panel.equity_plot, panel.ratio_plot]
    assert panel.equity_plot.titleLabel.text and panel.ratio_plot.titleLabel.text
