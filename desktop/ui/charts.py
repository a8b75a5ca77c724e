"""pyqtgraph helpers: fast plot set-up and NaN-aware curve updates (house-style.md §0 and §3.6)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg

from desktop.ui.theme import chart_colors

AXIS_FORMATS: tuple[str, ...] = ("number", "percent", "usd", "usd_m")
"""Tick label formats of :class:`NumberAxis`: plain numbers with thousands separators (compact from a
million: "2.1M"), percentages (values already in %, "0.05 %"), US dollars ("$1.5M", "$250k") and US
dollars given in millions ("$1.5M" for 1.5)."""
_COMPACT = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def _decimals(spacing: float) -> int:
    """Decimals that tell ticks ``spacing`` apart (0 for whole spacings)."""
    if not (spacing > 0 and math.isfinite(spacing)):
        return 0
    for decimals in range(8):  # the fewest that write the spacing exactly: 1.5 -> 1, 0.25 -> 2
        scaled = spacing * 10.0**decimals
        if abs(scaled - round(scaled)) <= 1e-6 * max(1.0, scaled):
            return decimals
    return 8


def tick_labels(values: list[float], spacing: float, fmt: str = "number") -> list[str]:
    """Tick labels in format ``fmt`` (see :data:`AXIS_FORMATS`): thousands separators, the same decimals
    for every tick of an axis, never an exponent; "-0" shows as "0"."""
    if fmt not in AXIS_FORMATS:
        raise ValueError(f"axis format must be one of {', '.join(AXIS_FORMATS)}, got {fmt!r}")
    if fmt == "usd_m":
        values, spacing, fmt = [v * 1e6 for v in values], spacing * 1e6, "usd"
    largest = max((abs(v) for v in values), default=0.0)
    scale, suffix = 1.0, ""
    threshold = 1e3 if fmt == "usd" else 1e6
    for limit, name in _COMPACT:
        if largest >= limit and limit >= threshold:
            scale, suffix = limit, name
            break
    decimals = _decimals(spacing / scale)
    labels = []
    for value in values:
        scaled = value / scale
        if abs(scaled) < 0.5 * 10.0**-decimals:
            scaled = 0.0
        # Zero needs no unit prefix: "0" reads better than "0.0M" beside "1.5M".
        text = "0" if scaled == 0.0 and suffix else f"{abs(scaled):,.{decimals}f}{suffix}"
        sign = "-" if scaled < 0 else ""
        if fmt == "usd":
            labels.append(f"{sign}${text}")
        elif fmt == "percent":
            labels.append(f"{sign}{text} %")
        else:
            labels.append(f"{sign}{text}")
    return labels


class NumberAxis(pg.AxisItem):
    """An axis whose tick labels follow :func:`tick_labels` (no SI prefix, no "1e+08")."""

    def __init__(self, orientation: str, fmt: str = "number", **kwargs: object) -> None:
        tick_labels([], 1.0, fmt)  # refuses an unknown format before any Qt object exists
        super().__init__(orientation, **kwargs)
        self.fmt = fmt
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return tick_labels([v * scale for v in values], spacing * scale, self.fmt)


def set_axis_format(plot: pg.PlotItem, side: str, fmt: str) -> NumberAxis:
    """Give ``plot``'s ``side`` axis ("left" or "bottom") tick labels in format ``fmt``."""
    old = plot.getAxis(side)
    axis = NumberAxis(side, fmt)
    label = old.labelText
    plot.setAxisItems({side: axis})
    if label:
        axis.setLabel(label)
    _style_axis(plot, axis, side, chart_colors()["foreground"])
    return axis


def _style_axis(plot: pg.PlotItem, axis: pg.AxisItem, side: str, color: str) -> None:
    axis.setTextPen(color)
    if side == "left":
        axis.setWidth(_LEFT_AXIS_WIDTH)


_LEFT_AXIS_WIDTH = 62


def setup_plot(plot: pg.PlotItem, title: str | None = None, *, time_axis: bool = True) -> pg.PlotItem:
    """Automatic peak downsampling and clip-to-view: what keeps 8 x 86,400 points near 60 fps.

    The left axis (and the bottom one without ``time_axis``) gets :class:`NumberAxis` labels;
    :func:`set_axis_format` picks another format. No grid: pyqtgraph's grid lines cost more than the
    curves (8 plots: 6.6 fps with a grid, 49 fps without, measured offscreen on 2 shared cores by
    tests/benchmarks/bench_ui.py's set-up).
    """
    axes: dict[str, pg.AxisItem] = {"left": NumberAxis("left")}
    axes["bottom"] = pg.DateAxisItem(utcOffset=0) if time_axis else NumberAxis("bottom")
    plot.setAxisItems(axes)
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot._liqguard_title = title or ""
    restyle_plot(plot)
    return plot


def restyle_plot(plot: pg.PlotItem, colors: Mapping[str, str] | None = None) -> None:
    """Colour ``plot``'s title and axis labels for the current theme (or ``colors``)."""
    foreground = (colors or chart_colors())["foreground"]
    title = getattr(plot, "_liqguard_title", "")
    if title:
        plot.setTitle(f"<span style='color:{foreground}; font-size:9pt'>{title}</span>")
    for side in ("left", "bottom"):
        _style_axis(plot, plot.getAxis(side), side, foreground)


def set_curve(curve: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
    """Replace a curve's data, peak-decimated in numpy to the visible width; NaN/inf points are dropped.

    Long series (more points than twice the plot's width in pixels) are cut to the visible x span
    (the whole series while x auto-ranges; ``x`` ascending) and reduced to one (min, max) pair per
    pixel column, so pyqtgraph's own clip, downsample, finite check and auto-range see ~2 points a
    pixel instead of 86,400: what the eye sees is the same, the redraw several times cheaper. The
    full series is kept and re-decimated when the view is zoomed, panned or resized.
    """
    source = _DecimatedSource.of(curve)
    source.x = np.asarray(x, dtype=np.float64)
    source.y = np.asarray(y, dtype=np.float64)
    source.render()


class _DecimatedSource:
    """The full series behind one curve, re-rendered for the view's current x span and width."""

    def __init__(self, curve: pg.PlotDataItem) -> None:
        self.curve = curve
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.view: pg.ViewBox | None = None
        self._rendering = False

    @classmethod
    def of(cls, curve: pg.PlotDataItem) -> _DecimatedSource:
        source = getattr(curve, "_liqguard_source", None)
        if source is None:
            source = cls(curve)
            curve._liqguard_source = source
        view = curve.getViewBox()
        if view is not None and view is not source.view:
            source.view = view
            view.sigXRangeChanged.connect(source.on_view_changed)
            view.sigResized.connect(source.on_view_changed)
        return source

    def on_view_changed(self, *_args: object) -> None:
        # Only a zoom/pan/resize of a long series needs new points; auto-range follows the data.
        if not self._rendering and self.view is not None and len(self.x) > 2 * max(int(self.view.width()), 1):
            self.render()

    def render(self) -> None:
        x, y, view = self.x, self.y, self.view
        width = int(view.width()) if view is not None else 0
        if view is not None and width > 0 and len(x) > 2 * width:
            x, y = _visible(view, x, y)
            if len(x) > 2 * width:
                x, y = peak_decimate(x, y, width)
        if not (np.isfinite(y).all() and np.isfinite(x).all()):
            keep = np.isfinite(y) & np.isfinite(x)
            x, y = x[keep], y[keep]
        self._rendering = True
        try:
            self.curve.setData(x, y, skipFiniteCheck=True)
        finally:
            self._rendering = False


def _visible(view: pg.ViewBox, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The part of ascending ``x`` (plus one point either side) inside the view's x range."""
    if view.autoRangeEnabled()[0]:
        return x, y
    left, right = view.viewRange()[0]
    start = max(int(np.searchsorted(x, left)) - 1, 0)
    stop = int(np.searchsorted(x, right, side="right")) + 1
    return x[start:stop], y[start:stop]


def peak_decimate(x: np.ndarray, y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Reduce ``y`` to the (min, max) of about ``columns`` consecutive blocks, plus the last point.

    Keeps every spike (what pyqtgraph's ``mode='peak'`` does) with one reshape and two reductions;
    each block's min sits at its first x and its max at its last x, and the series still ends on its
    latest value. NaN inside a block is ignored; an all-NaN block gives NaN (dropped by the caller).
    """
    n = len(y)
    block = -(-n // columns)
    full = n // block * block
    blocks = y[:full].reshape(-1, block)
    lows, highs = blocks.min(axis=1), blocks.max(axis=1)
    if not (np.isfinite(lows).all() and np.isfinite(highs).all()):
        clean = np.where(np.isfinite(blocks), blocks, np.nan)
        lows, highs = np.fmin.reduce(clean, axis=1), np.fmax.reduce(clean, axis=1)
    starts = np.arange(0, n, block)
    ends = np.minimum(starts + block - 1, n - 1)
    if full < n:
        tail = y[full:]
        tail = tail[np.isfinite(tail)]
        low, high = (tail.min(), tail.max()) if len(tail) else (np.nan, np.nan)
        lows, highs = np.r_[lows, low], np.r_[highs, high]
    out_x = np.empty((len(starts) * 2 + 1,))
    out_y = np.empty_like(out_x)
    out_x[0:-1:2], out_x[1:-1:2], out_x[-1] = x[starts], x[ends], x[-1]
    out_y[0:-1:2], out_y[1:-1:2], out_y[-1] = lows, highs, y[-1]
    return out_x, out_y


def per_interval_sums(
    times: np.ndarray, values: np.ndarray, seconds: float = 60.0
) -> tuple[np.ndarray, np.ndarray]:
    """Sum ``values`` over consecutive ``seconds``-long bins; returns (bin edges, sums).

    Edges have one more element than sums (pyqtgraph ``stepMode='center'``). NaN counts as 0.
    """
    if len(times) == 0:
        return np.zeros(1), np.zeros(0)
    bins = np.floor(times / seconds).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
    sums = np.add.reduceat(np.nan_to_num(values), starts)
    edges = np.r_[bins[starts], bins[starts[-1]] + 1].astype(np.float64) * seconds
    return edges, sums
