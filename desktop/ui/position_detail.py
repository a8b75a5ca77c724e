"""Position detail: the symbol's price with entry, liquidation and suggested-stop lines, the estimated
market liquidation map as a side histogram, and the stop's reasons in words."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.engine.snapshots import AccountSnapshot, MarketSeries, PositionRow, Severity
from desktop.ui.alert_text import row_action_text
from desktop.ui.charts import set_axis_format, set_curve, setup_plot
from desktop.ui.positions_model import tr_column
from desktop.ui.style import (
    LONG_COLOR,
    SERIES_COLORS,
    SEVERITY_COLORS,
    SHORT_COLOR,
    fmt_money,
    fmt_pct,
    fmt_price,
)

ACTION_REFRESH_SECONDS = 1.0
ENTRY_COLOR = "#8b949e"
LIQ_COLOR = "#f85149"
STOP_COLOR = "#d29922"


def _line(color: str, label: str, style: Qt.PenStyle = Qt.PenStyle.DashLine) -> pg.InfiniteLine:
    line = pg.InfiniteLine(
        angle=0,
        movable=False,
        pen=pg.mkPen(color, width=1.4, style=style),
        label=label,
        labelOpts={"position": 0.04, "color": color, "fill": "#0d1117cc", "anchors": [(0, 1), (0, 1)]},
    )
    line.setVisible(False)
    return line


class PositionDetail(QWidget):
    """Chart and explanation of the position selected in the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = QLabel("")
        self.action.setObjectName("detailAction")
        self.action.setWordWrap(True)
        font = self.action.font()
        font.setBold(True)
        self.action.setFont(font)
        self.action.setVisible(False)
        self._action_key: tuple[object, ...] | None = None
        self._action_at = 0.0
        self.title = QLabel(self.tr("Select a position"))
        self.title.setObjectName("detailTitle")
        self.summary = QLabel("")
        self.summary.setObjectName("dimLabel")
        self.reasons = QLabel("")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.reasons.setMinimumWidth(240)
        self.reasons.setObjectName("reasonsLabel")
        self.graphics = pg.GraphicsLayoutWidget()
        self.price_plot = setup_plot(self.graphics.addPlot(row=0, col=0))
        self.map_plot = setup_plot(
            self.graphics.addPlot(row=0, col=1), self.tr("Est. liquidations"), time_axis=False
        )
        self.graphics.ci.layout.setColumnStretchFactor(0, 5)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        self.map_plot.setYLink(self.price_plot)
        self.map_plot.getAxis("left").setStyle(showValues=False)
        self.map_plot.getAxis("left").setWidth(4)
        self.price_curve = self.price_plot.plot(pen=pg.mkPen(SERIES_COLORS[0]))
        self.entry_line = _line(ENTRY_COLOR, self.tr("entry") + " {value:,.2f}", Qt.PenStyle.DotLine)
        self.liq_line = _line(LIQ_COLOR, self.tr("liquidation") + " {value:,.2f}", Qt.PenStyle.SolidLine)
        self.venue_liq_line = _line("#ff7b72", self.tr("venue liq.") + " {value:,.2f}")
        self.stop_line = _line(STOP_COLOR, self.tr("stop") + " {value:,.2f}")
        for line in (self.entry_line, self.liq_line, self.venue_liq_line, self.stop_line):
            self.price_plot.addItem(line)
        # Longs' levels (below the mark, hit by a fall) red; shorts' (above) green.
        self.map_long_bars = pg.BarGraphItem(
            x0=[], y=[], height=[], width=[], brush=LONG_COLOR + "aa", pen=None
        )
        self.map_short_bars = pg.BarGraphItem(
            x0=[], y=[], height=[], width=[], brush=SHORT_COLOR + "aa", pen=None
        )
        self.map_plot.addItem(self.map_long_bars)
        self.map_plot.addItem(self.map_short_bars)
        set_axis_format(self.map_plot, "bottom", "usd_m")
        self.map_empty = pg.TextItem(self.tr("no map yet"), color="#8b949e", anchor=(0.5, 0.5))
        self.map_plot.addItem(self.map_empty)

        text_panel = QWidget()
        text_panel.setMaximumWidth(320)
        text_column = QVBoxLayout(text_panel)
        text_column.setContentsMargins(0, 0, 0, 0)
        text_column.addWidget(self.action)  # what to do comes first
        text_column.addWidget(self.title)
        text_column.addWidget(self.summary)
        text_column.addWidget(self.reasons, 1)
        body = QHBoxLayout(self)
        body.setContentsMargins(6, 6, 6, 6)
        body.addWidget(text_panel, 1)
        body.addWidget(self.graphics, 3)
        self.row: PositionRow | None = None

    def show_position(self, row: PositionRow | None, series: MarketSeries | None) -> None:
        self.row = row
        if row is None:
            self.title.setText(self.tr("Select a position"))
            self.summary.setText("")
            self.reasons.setText("")
            for line in (self.entry_line, self.liq_line, self.venue_liq_line, self.stop_line):
                line.setVisible(False)
            return
        color = SEVERITY_COLORS[row.severity]
        self.title.setText(
            f"<b>{row.symbol}</b> · <span style='color:{'#3fb950' if row.side == 'long' else '#f85149'}'>"
            f"{tr_column(row.side)}</span> · {row.account_label}"
        )
        self.summary.setText(
            self.tr("mark {0} · liquidation {1} · <span style='color:{2}'>{3} away</span>").format(
                fmt_price(row.mark_price), fmt_price(row.liquidation_price), color, fmt_pct(row.distance)
            )
        )
        self.reasons.setText(self._reasons_html(row))
        self._set_line(self.entry_line, row.entry_price)
        self._set_line(self.liq_line, row.liquidation_price)
        self._set_line(self.venue_liq_line, row.venue_liquidation_price)
        self._set_line(self.stop_line, row.stop.price if row.stop else None)
        if series is not None and len(series.times):
            set_curve(self.price_curve, series.times, series.mark)
            self._show_map(series)
        self._fit_y(row, series)

    def show_action(
        self, account: AccountSnapshot | None, row: PositionRow | None, distance_tiers: tuple[float, ...]
    ) -> None:
        """The action line at the top: "Add 1,240 USDT margin or cut to 1.06 BTC to get back to 10 %
        distance; stop at 112,315 (loosest safe)". Recomputed when the row's distance moves by a tenth
        of a point or after :data:`ACTION_REFRESH_SECONDS` (the solver takes tens of milliseconds)."""
        if account is None or row is None:
            self._action_key = None
            self.action.setVisible(False)
            return
        key = (row.key, None if row.distance is None else round(row.distance, 3), distance_tiers)
        now = time.monotonic()
        if key == self._action_key and now - self._action_at < ACTION_REFRESH_SECONDS:
            return
        self._action_key, self._action_at = key, now
        text = row_action_text(account, row, distance_tiers)
        self.action.setText(text)
        self.action.setStyleSheet(f"color: {SEVERITY_COLORS[row.severity]}" if row.severity else "")
        self.action.setVisible(bool(text))

    @staticmethod
    def _set_line(line: pg.InfiniteLine, value: float | None) -> None:
        line.setVisible(value is not None and value > 0)
        if value is not None and value > 0:
            line.setValue(value)

    def _show_map(self, series: MarketSeries) -> None:
        if series.liquidation_map is None:
            for bars in (self.map_long_bars, self.map_short_bars):
                bars.setOpts(x0=[], y=[], height=[], width=[])
            self.map_empty.setVisible(True)
            self.map_empty.setPos(0.5, float(series.mark[-1]))
            self.map_plot.getAxis("bottom").setStyle(showValues=False)  # no amounts to read yet
            return
        prices, longs, shorts = series.liquidation_map
        step = float(np.median(np.diff(prices))) if len(prices) > 1 else 1.0
        zeros = np.zeros(len(prices))
        self.map_long_bars.setOpts(x0=zeros, y=prices, height=step * 0.9, width=longs / 1e6)
        self.map_short_bars.setOpts(x0=zeros, y=prices, height=step * 0.9, width=shorts / 1e6)
        self.map_empty.setVisible(False)
        self.map_plot.getAxis("bottom").setStyle(showValues=True)

    def _fit_y(self, row: PositionRow, series: MarketSeries | None) -> None:
        values = [row.entry_price, row.mark_price]
        values += [v for v in (row.liquidation_price, row.stop.price if row.stop else None) if v]
        if series is not None and len(series.mark):
            values += [float(np.nanmin(series.mark)), float(np.nanmax(series.mark))]
        low, high = min(values), max(values)
        pad = (high - low) * 0.08 or high * 0.01
        self.price_plot.setYRange(low - pad, high + pad, padding=0)

    @staticmethod
    def _reasons_html(row: PositionRow) -> str:
        parts = []
        translate = QCoreApplication.translate
        if row.liquidation_price is None:
            parts.append(
                translate("PositionDetail", "No liquidation price: the margin covers any price move.")
            )
        if row.venue_liquidation_price and row.liquidation_price:
            gap = (row.liquidation_price - row.venue_liquidation_price) / row.venue_liquidation_price
            venue = fmt_price(row.venue_liquidation_price)
            if row.venue_gap is None:
                parts.append(
                    translate("PositionDetail", "Venue reports {0} ({1} apart).").format(
                        venue, fmt_pct(gap, 2, True)
                    )
                )
            else:
                parts.append(
                    translate("PositionDetail", "Venue reports {0} ({1} apart, {2} of the distance).").format(
                        venue, fmt_pct(gap, 2, True), fmt_pct(row.venue_gap, 1)
                    )
                )
        elif row.liquidation_price:
            parts.append(
                translate("PositionDetail", "The venue reports no liquidation price for this position.")
            )
        warning = SEVERITY_COLORS[Severity.WARNING]
        parts += [f"<b style='color:{warning}'>⚠ {flag.message}</b>" for flag in row.flags]
        screen = [f"{row.leverage:g}x" if row.leverage else ""]
        amounts = (
            (translate("PositionDetail", "notional {0}"), row.notional),
            (translate("PositionDetail", "IM {0}"), row.initial_margin),
            (translate("PositionDetail", "MM {0}"), row.maintenance_margin),
        )
        screen += [
            template.format(fmt_money(value, row.settle_currency).lstrip("+"))
            for template, value in amounts
            if value is not None
        ]
        if row.roe is not None:
            screen.append(translate("PositionDetail", "ROE {0}").format(fmt_pct(row.roe, 1, True)))
        if row.adl_rank is not None:
            screen.append(translate("PositionDetail", "ADL rank {0}").format(row.adl_rank))
        if row.funding_8h is not None:
            screen.append(
                translate("PositionDetail", "funding {0} / 8 h (est.)").format(
                    fmt_money(row.funding_8h, row.settle_currency)
                )
            )
        if any(screen):
            parts.append(" · ".join(x for x in screen if x))
        if row.stop is None:
            parts.append(translate("PositionDetail", "Suggested stop: not available yet."))
        elif row.stop.price is None:
            no_stop = translate("PositionDetail", "No safe stop.")
            parts.append(f"<b>{no_stop}</b> {' '.join(row.stop.reasons)}")
        else:
            items = "".join(f"<li>{reason}</li>" for reason in row.stop.reasons)
            stop = translate("PositionDetail", "Suggested stop {0}").format(fmt_price(row.stop.price))
            bound = translate("PositionDetail", "bound by {0}").format(
                translate("StopRule", row.stop.binding)
            )
            parts.append(
                f"<b style='color:{STOP_COLOR}'>{stop}</b> ({bound})<ul style='margin:2px'>{items}</ul>"
            )
        return "<br>".join(parts)
