"""Cascade dashboard: funding, open interest, liquidations by side, depth +-1 %, basis and the
composite score with its threshold bands and regime, plus the reasons behind the current score."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.engine.snapshots import CascadeView, MarketSeries
from desktop.ui.charts import per_interval_sums, set_axis_format, set_curve, setup_plot
from desktop.ui.i18n import tr_label
from desktop.ui.style import LONG_COLOR, REGIME_COLORS, SERIES_COLORS, SHORT_COLOR, fmt_pct, fmt_usd_compact
from desktop.ui.theme import chart_colors

SCORE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0.0, 40.0, "#3fb95018"),
    (40.0, 70.0, "#d2992220"),
    (70.0, 100.0, "#f8514922"),
)
"""Threshold bands of the composite score (calm < 40 <= loaded < 70 <= firing), drawn behind it."""


REGIMES: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Regime", "calm"),
    QT_TRANSLATE_NOOP("Regime", "loaded"),
    QT_TRANSLATE_NOOP("Regime", "firing"),
    QT_TRANSLATE_NOOP("Regime", "exhausting"),
)


CHARTS_MIN_HEIGHT = 7 * 80
"""Pixels below which the seven charts scroll rather than shrink (each keeps its title, axis and line)."""


def _scroll(widget: QWidget, *, vertical: bool) -> QScrollArea:
    """``widget`` in a frameless scroll area that scrolls one way only (vertically or sideways)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    off, needed = Qt.ScrollBarPolicy.ScrollBarAlwaysOff, Qt.ScrollBarPolicy.ScrollBarAsNeeded
    area.setHorizontalScrollBarPolicy(off if vertical else needed)
    area.setVerticalScrollBarPolicy(needed if vertical else off)
    return area


class CascadeDashboard(QWidget):
    """Charts of one symbol's market; pick the symbol in the combo box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.symbol_box = QComboBox()
        self.symbol_box.setToolTip(self.tr("Symbol whose market is shown"))
        # Sized by a fixed character count, not by the longest symbol: with "77 FIRING" beside it a
        # content-sized box widened the dock, and the window, 3 px past a 1366 px screen.
        self.symbol_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.symbol_box.setMinimumContentsLength(9)
        self.score_label = QLabel("—")
        self.score_label.setObjectName("scoreLabel")
        self.regime_label = QLabel(self.tr("no cascade score yet"))
        self.regime_label.setObjectName("regimeLabel")
        self.reasons_label = QLabel("")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setObjectName("reasonsLabel")
        self.reasons_label.setTextFormat(Qt.TextFormat.RichText)
        self.venues_label = QLabel("")
        self.venues_label.setObjectName("venuesLabel")
        self.venues_label.setTextFormat(Qt.TextFormat.RichText)
        self.venues_label.setToolTip(
            self.tr(
                "One cascade state per underlying: open interest and liquidations summed across venues "
                "and quotes, funding weighted by open interest, depth summed"
            )
        )
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Market")))
        header.addWidget(self.symbol_box, 1)
        header.addSpacing(12)
        header.addWidget(self.score_label)
        header.addWidget(self.regime_label)
        # The per-venue table is wider than the dock at 1366 px: it scrolls sideways, not clipped.
        self.venues_scroll = _scroll(self.venues_label, vertical=False)
        self.venues_scroll.hide()
        self.graphics = pg.GraphicsLayoutWidget()
        # Seven plots squeezed into a short dock overlap their axis labels: below this height the
        # charts scroll instead (a 1366x768 screen with toasts leaves the dock ~200 px).
        self.graphics.setMinimumHeight(CHARTS_MIN_HEIGHT)
        self.charts_scroll = _scroll(self.graphics, vertical=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.reasons_label)
        layout.addWidget(self.venues_scroll)
        layout.addWidget(self.charts_scroll, 1)
        self._build_plots()
        self._last_sequence = -1

    def _build_plots(self) -> None:
        g = self.graphics
        self.price_plot = setup_plot(g.addPlot(row=0, col=0), self.tr("Mark"))
        self.funding_plot = setup_plot(g.addPlot(row=1, col=0), self.tr("Funding (per 8 h)"))
        self.oi_plot = setup_plot(g.addPlot(row=2, col=0), self.tr("Open interest (coins)"))
        self.liq_plot = setup_plot(
            g.addPlot(row=3, col=0), self.tr("Liquidations per minute: longs ▲ red, shorts ▼ green")
        )
        self.depth_plot = setup_plot(
            g.addPlot(row=4, col=0), self.tr("Depth ±1 % ($ M): bids green, asks red")
        )
        self.basis_plot = setup_plot(g.addPlot(row=5, col=0), self.tr("Basis (mark vs index)"))
        self.score_plot = setup_plot(g.addPlot(row=6, col=0), self.tr("Cascade score"))
        plots = (
            self.price_plot,
            self.funding_plot,
            self.oi_plot,
            self.liq_plot,
            self.depth_plot,
            self.basis_plot,
        )
        # Not X-linked: linking switches off the leader's x auto-range; every plot shows the same span.
        for plot in (*plots, self.score_plot):
            plot.enableAutoRange(x=True)
            plot.setMouseEnabled(x=False, y=False)
        self.price_curve = self.price_plot.plot(pen=pg.mkPen(SERIES_COLORS[0]))
        self.funding_curve = self.funding_plot.plot(pen=pg.mkPen(SERIES_COLORS[1]))
        self.oi_curve = self.oi_plot.plot(pen=pg.mkPen(SERIES_COLORS[2]))
        # Bars, not a stepMode curve: pyqtgraph's clip-to-view breaks stepMode's len(x) = len(y) + 1.
        self.liq_long_bars = pg.BarGraphItem(x0=[], height=[], width=[], brush=LONG_COLOR + "cc", pen=None)
        self.liq_short_bars = pg.BarGraphItem(x0=[], height=[], width=[], brush=SHORT_COLOR + "cc", pen=None)
        self.liq_plot.addItem(self.liq_long_bars)
        self.liq_plot.addItem(self.liq_short_bars)
        self.depth_bid_curve = self.depth_plot.plot(pen=pg.mkPen(SHORT_COLOR))
        self.depth_ask_curve = self.depth_plot.plot(pen=pg.mkPen(LONG_COLOR))
        self.basis_curve = self.basis_plot.plot(pen=pg.mkPen(SERIES_COLORS[5]))
        self.basis_plot.addItem(pg.InfiniteLine(angle=0, pos=0, pen=pg.mkPen("#30363d")))
        for low, high, color in SCORE_BANDS:
            band = pg.LinearRegionItem(values=(low, high), orientation="horizontal", movable=False)
            band.setBrush(pg.mkBrush(color))
            for line in band.lines:
                line.setPen(pg.mkPen(None))
            self.score_plot.addItem(band)
        self.score_plot.setYRange(0, 100, padding=0.02)
        self.score_curve = self.score_plot.plot(pen=pg.mkPen(chart_colors()["score"], width=1.6))
        for plot in (self.price_plot, self.funding_plot, self.oi_plot, self.liq_plot, self.depth_plot):
            plot.getAxis("bottom").setStyle(showValues=False)
        for plot, fmt in (
            (self.funding_plot, "percent"),
            (self.liq_plot, "usd"),
            (self.depth_plot, "usd_m"),
            (self.basis_plot, "percent"),
        ):
            set_axis_format(plot, "left", fmt)

    def select_symbol(self, symbol: str) -> None:
        """Show ``symbol`` (e.g. the selected position's), if the dashboard has it."""
        index = self.symbol_box.findText(symbol)
        if index >= 0:
            self.symbol_box.setCurrentIndex(index)

    def set_symbols(self, symbols: list[str]) -> None:
        current = self.symbol_box.currentText()
        if [self.symbol_box.itemText(i) for i in range(self.symbol_box.count())] == symbols:
            return
        self.symbol_box.blockSignals(True)
        self.symbol_box.clear()
        self.symbol_box.addItems(symbols)
        if current in symbols:
            self.symbol_box.setCurrentText(current)
        self.symbol_box.blockSignals(False)

    def show_market(self, markets: dict[str, MarketSeries]) -> None:
        """Redraw from the latest series of the chosen symbol."""
        self.set_symbols(sorted(markets))
        series = markets.get(self.symbol_box.currentText())
        if series is None or len(series.times) == 0:
            return
        t = series.times
        set_curve(self.price_curve, t, series.mark)
        set_curve(self.funding_curve, t, series.funding * 100.0)
        set_curve(self.oi_curve, t, series.open_interest)
        edges, longs = per_interval_sums(t, series.liq_long)
        _, shorts = per_interval_sums(t, series.liq_short)
        widths = np.diff(edges)
        self.liq_long_bars.setOpts(x0=edges[:-1], height=longs, width=widths)
        self.liq_short_bars.setOpts(x0=edges[:-1], height=-shorts, width=widths)
        set_curve(self.depth_bid_curve, t, series.depth_bid / 1e6)
        set_curve(self.depth_ask_curve, t, series.depth_ask / 1e6)
        set_curve(self.basis_curve, t, series.basis * 100.0)
        set_curve(self.score_curve, t, series.score)
        self._show_cascade(series)

    def _show_cascade(self, series: MarketSeries) -> None:
        cascade = series.cascade
        if cascade is None:
            last_liq = float(np.nansum(series.liq_long[-60:]) + np.nansum(series.liq_short[-60:]))
            self.score_label.setText("—")
            self.regime_label.setText(self.tr("cascade score: not available"))
            self.reasons_label.setText(
                self.tr("Funding {0} per 8 h · basis {1} · liquidated in the last minute {2}").format(
                    fmt_pct(series.funding[-1], 3), fmt_pct(series.basis[-1], 2), fmt_usd_compact(last_liq)
                )
            )
            return
        color = REGIME_COLORS.get(cascade.regime, "#e6edf3")
        self.score_label.setText(f"<b style='font-size:18pt; color:{color}'>{cascade.score:.0f}</b>")
        regime = QCoreApplication.translate("Regime", cascade.regime).upper()
        self.regime_label.setText(f"<b style='color:{color}'>{regime}</b>")
        reasons = "".join(f"<li>{reason}</li>" for reason in cascade.reasons[:4])
        without = self.tr("without: {0}").format(", ".join(cascade.missing))
        missing = f"<br><i>{without}</i>" if cascade.missing else ""
        self.reasons_label.setText(f"<ul style='margin:0'>{reasons}</ul>{missing}")
        table = venue_table(cascade)
        if table != self.venues_label.text():
            self.venues_label.setText(table)
            bar = self.venues_scroll.horizontalScrollBar().sizeHint().height()
            self.venues_scroll.setFixedHeight(self.venues_label.sizeHint().height() + bar)
            self.venues_scroll.setVisible(bool(table))


def venue_table(cascade: CascadeView) -> str:
    """The per-venue breakdown of an underlying's market-wide state, as a small HTML table."""
    if not cascade.venues:
        return ""

    def cell(x: float | None, fmt: Callable[[float], str]) -> str:
        return "—" if x is None else fmt(x)

    def leg_name(name: str) -> str:
        venue, _, symbol = name.partition(" ")  # "binanceusdm BTC/USDT:USDT"; the demo's id is translated
        return f"{tr_label(venue)} {symbol}".strip()

    rows = "".join(
        f"<tr><td>{leg_name(v.name)}</td><td align='right'>{cell(v.mark, lambda x: f'{x:,.2f}')}</td>"
        f"<td align='right'>{cell(v.funding_8h, lambda x: fmt_pct(x, 4))}</td>"
        f"<td align='right'>{cell(v.open_interest_usd, fmt_usd_compact)}</td>"
        f"<td align='right'>{fmt_usd_compact(v.liquidations_usd)}</td>"
        f"<td align='right'>{cell(v.depth_usd, fmt_usd_compact)}</td></tr>"
        for v in cascade.venues
    )
    translate = QCoreApplication.translate
    market = cascade.market or translate("CascadeDashboard", "market")  # lupdate skips f-string parts
    market = f"<b>{market}</b>"
    n = len(cascade.venues)
    # two messages, not a %n plural: lupdate extracts plurals only from tr(), and this is a function
    if n == 1:
        title = translate("CascadeDashboard", "%1 market-wide, 1 venue").replace("%1", market)
    else:
        title = translate("CascadeDashboard", "%1 market-wide, %2 venues").replace("%1", market)
        title = title.replace("%2", str(n))
    names = (
        translate("CascadeDashboard", "mark"),
        translate("CascadeDashboard", "funding/8h"),
        translate("CascadeDashboard", "OI"),
        translate("CascadeDashboard", "liq."),
        translate("CascadeDashboard", "depth ±1 %"),
    )
    venue = translate("CascadeDashboard", "venue")
    head = f"<tr><th align='left'>{venue}</th>" + "".join(f"<th>{name}</th>" for name in names)
    head += "</tr>"
    return f"{title}<table cellspacing='4' style='font-size:9pt'>{head}{rows}</table>"
