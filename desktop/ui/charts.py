"""pyqtgraph helpers: fast plot set-up and NaN-aware curve updates (house-style.md §0 and §3.6)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from desktop.ui.style import CHART_FOREGROUND


def setup_plot(plot: pg.PlotItem, title: str | None = None, *, time_axis: bool = True) -> pg.PlotItem:
    """Automatic peak downsampling and clip-to-view: what keeps 8 x 86,400 points near 60 fps.

    No grid: pyqtgraph's grid lines cost more than the curves (8 plots: 6.6 fps with a grid, 49 fps
    without, measured offscreen on 2 shared cores by tests/benchmarks/bench_ui.py's set-up).
    """
    if time_axis:
        plot.setAxisItems({"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    if title:
        plot.setTitle(f"<span style='color:{CHART_FOREGROUND}; font-size:9pt'>{title}</span>")
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(CHART_FOREGROUND)
    plot.getAxis("left").setWidth(62)
    return plot


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
