"""Stress panel: an account's equity and margin ratio against a uniform price shock, break move marked.

The two charts sit side by side or stacked, whichever leaves each more room in the dock's shape; in a
dock too small for two readable charts (a 1366x768 screen) one is shown at a time, picked by a toggle.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.snapshots import AccountSnapshot
from desktop.ui.charts import restyle_plot, set_axis_format, set_curve, setup_plot
from desktop.ui.style import LONG_COLOR, SERIES_COLORS, fmt_money, fmt_pct

MIN_PLOT_ROOM = 80
"""Pixels of plot area (height and width) below which a chart's tick labels pile up ("-200,000" drawn
over itself): under it in both arrangements, one chart is shown at a time."""
NARROW_AXIS = 300
"""Pixels of plot width below which the shock axis is labelled every 25 % instead of pyqtgraph's pick."""


class StressPanel(QWidget):
    """Pick an account; see what a -50 %..+50 % move of every mark does to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account_box = QComboBox()
        # Long account labels must not widen the dock (it would push the positions table off screen).
        self.account_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.account_box.setMinimumContentsLength(12)
        self.caption = QLabel("")
        self.caption.setObjectName("dimLabel")
        self.caption.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Account")))
        header.addWidget(self.account_box, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self._equity_title = self.tr("Equity vs shock")
        self._ratio_title = self.tr("Margin ratio vs shock (%)")
        graphics = self.graphics
        self.equity_plot = setup_plot(graphics.addPlot(row=0, col=0), self._equity_title, time_axis=False)
        self.ratio_plot = setup_plot(graphics.addPlot(row=0, col=1), self._ratio_title, time_axis=False)
        self._stacked = False
        self._single = False
        self.chart_buttons = QButtonGroup(self)
        choice = QHBoxLayout()
        choice.setSpacing(0)
        for index, text in enumerate((self.tr("Equity"), self.tr("Margin ratio"))):
            button = QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.chart_buttons.addButton(button, index)
            choice.addWidget(button)
        choice.addStretch(1)
        self.chart_choice = QWidget()
        self.chart_choice.setLayout(choice)
        choice.setContentsMargins(0, 0, 0, 0)
        self.chart_choice.setVisible(False)
        self.chart_buttons.idToggled.connect(self._chart_chosen)
        set_axis_format(self.ratio_plot, "left", "percent")
        self.ratio_plot.setYRange(0, 120)  # % like the rest of the app; 100 % liquidates
        for plot in (self.equity_plot, self.ratio_plot):
            plot.getAxis("bottom").setLabel(self.tr("shock of every mark (%)"))
            set_axis_format(plot, "bottom", "percent")
            plot.addItem(pg.InfiniteLine(angle=90, pos=0, pen=pg.mkPen("#30363d")))
        self.ratio_plot.addItem(pg.InfiniteLine(angle=0, pos=100.0, pen=pg.mkPen(LONG_COLOR, width=1)))
        self.equity_curve = self.equity_plot.plot(pen=pg.mkPen(SERIES_COLORS[0], width=1.6))
        self.ratio_curve = self.ratio_plot.plot(pen=pg.mkPen(SERIES_COLORS[2], width=1.6))
        self.break_lines = [
            pg.InfiniteLine(
                angle=90,
                pen=pg.mkPen(LONG_COLOR, width=1.4),
                label=self.tr("break") + " {value:.1f} %",
                labelOpts={"position": 0.9, "color": LONG_COLOR},
            )
            for _ in range(2)
        ]
        for line in self.break_lines:
            line.setVisible(False)
        self.equity_plot.addItem(self.break_lines[0])
        self.ratio_plot.addItem(self.break_lines[1])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.caption)
        layout.addWidget(self.chart_choice)
        layout.addWidget(self.graphics, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width, height = self.graphics.width(), self.graphics.height()
        if self.chart_choice.isVisible():  # judge the room the charts would have without the toggle
            height += self.chart_choice.height() + self.layout().spacing()
        # The plot area left beside the axis (~62 px) and under the title and tick labels (~45 px).
        stacked_room = min(width - 62, height / 2 - 45)
        side_room = min(width / 2 - 62, height - 45)
        self.show_single(max(stacked_room, side_room) < MIN_PLOT_ROOM)
        # Side by side below ~60 px of plot each, pyqtgraph's minimum sizes overflow the dock.
        self.arrange(stacked=stacked_room > side_room or side_room < 60)
        one_column = self._single or self._stacked
        # pyqtgraph's own spacing for -50..+50 % keeps only "0 %" on a narrow axis (its 20 % labels
        # would touch): a fixed 25 % gives three labels that fit.
        narrow = (width if one_column else width / 2) - 62 < NARROW_AXIS
        for plot in (self.equity_plot, self.ratio_plot):
            axis = plot.getAxis("bottom")
            axis.showLabel(height >= 260)  # the titles already say what x is
            axis.setTickSpacing(levels=[(25.0, 0.0)] if narrow else None)

    def arrange(self, *, stacked: bool) -> None:
        """Put the margin-ratio chart under the equity chart (``stacked``) or beside it."""
        if stacked == self._stacked:
            return
        self._stacked = stacked
        self._place()

    def show_single(self, single: bool) -> None:
        """Show one chart at a time, picked by the Equity / Margin ratio toggle (``single``), or both."""
        if single == self._single:
            return
        self._single = single
        self.chart_choice.setVisible(single)
        # The toggle names the chart, so its title would only take rows from a plot that has few.
        for plot, title in ((self.equity_plot, self._equity_title), (self.ratio_plot, self._ratio_title)):
            plot._liqguard_title = "" if single else title
            if single:
                plot.setTitle(None)
                plot.titleLabel.setText("")  # hidden, yet its text's width would still widen the chart
        self._place()

    def _chart_chosen(self, _index: int, checked: bool) -> None:
        if checked and self._single:
            self._place()

    def _place(self) -> None:
        layout = self.graphics.ci
        for plot in (self.equity_plot, self.ratio_plot):
            if plot in layout.items:
                layout.removeItem(plot)
        if self._single:
            shown = self.ratio_plot if self.chart_buttons.checkedId() == 1 else self.equity_plot
            layout.addItem(shown, row=0, col=0)
            # A plot out of the scene missed any theme change made meanwhile.
            restyle_plot(shown)
            return
        layout.addItem(self.equity_plot, row=0, col=0)
        stacked = self._stacked
        layout.addItem(self.ratio_plot, row=1 if stacked else 0, col=0 if stacked else 1)
        for plot in (self.equity_plot, self.ratio_plot):
            restyle_plot(plot)

    def show_accounts(self, accounts: tuple[AccountSnapshot, ...]) -> None:
        labels = [a.label for a in accounts]
        if [self.account_box.itemText(i) for i in range(self.account_box.count())] != labels:
            current = self.account_box.currentText()
            self.account_box.blockSignals(True)
            self.account_box.clear()
            self.account_box.addItems(labels)
            if current in labels:
                self.account_box.setCurrentText(current)
            self.account_box.blockSignals(False)
        chosen = next((a for a in accounts if a.label == self.account_box.currentText()), None)
        if chosen is None or chosen.stress is None:
            self.caption.setText(self.tr("stress: not available"))
            return
        stress = chosen.stress
        shocks = stress.shocks * 100.0
        set_curve(self.equity_curve, shocks, stress.equity)
        ratio = np.clip(stress.margin_ratio, 0.0, 1.5) * 100.0
        set_curve(self.ratio_curve, shocks, ratio)
        move = chosen.break_move
        for line in self.break_lines:
            line.setVisible(move is not None)
            if move is not None:
                line.setValue(move * 100.0)
        settle = chosen.account.settle_currency if chosen.account else ""
        equity = fmt_money(float(stress.equity[len(shocks) // 2]), settle, signed=False)
        move_text = fmt_pct(move, signed=True)
        self.caption.setText(self.tr("break move {0} · equity now {1}").format(move_text, equity))
