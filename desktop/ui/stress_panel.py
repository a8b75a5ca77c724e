"""Stress panel: an account's equity and margin ratio against a uniform price shock, break move marked.

The two charts sit side by side or stacked, whichever leaves each more room in the dock's shape.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.engine.snapshots import AccountSnapshot
from desktop.ui.charts import set_axis_format, set_curve, setup_plot
from desktop.ui.style import LONG_COLOR, SERIES_COLORS, fmt_money, fmt_pct


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
        self.equity_plot = setup_plot(
            self.graphics.addPlot(row=0, col=0), self.tr("Equity vs shock"), time_axis=False
        )
        self.ratio_plot = setup_plot(
            self.graphics.addPlot(row=0, col=1), self.tr("Margin ratio vs shock (%)"), time_axis=False
        )
        self._stacked = False
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
        layout.addWidget(self.graphics, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width, height = self.graphics.width(), self.graphics.height()
        # The plot area left beside the axis (~62 px) and under the title and tick labels (~45 px).
        stacked_room = min(width - 62, height / 2 - 45)
        side_room = min(width / 2 - 62, height - 45)
        # Side by side below ~60 px of plot each, pyqtgraph's minimum sizes overflow the dock.
        self.arrange(stacked=stacked_room > side_room or side_room < 60)
        for plot in (self.equity_plot, self.ratio_plot):
            plot.getAxis("bottom").showLabel(height >= 260)  # the titles already say what x is

    def arrange(self, *, stacked: bool) -> None:
        """Put the margin-ratio chart under the equity chart (``stacked``) or beside it."""
        if stacked == self._stacked:
            return
        self._stacked = stacked
        layout = self.graphics.ci
        layout.removeItem(self.ratio_plot)
        layout.addItem(self.ratio_plot, row=1 if stacked else 0, col=0 if stacked else 1)

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
