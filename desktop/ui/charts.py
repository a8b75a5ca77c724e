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
    """Replace a curve's data; the finite check is skipped when the data has no NaN/inf."""
    finite = bool(np.isfinite(y).all()) and bool(np.isfinite(x).all())
    if finite:
        curve.setData(x, y, skipFiniteCheck=True)
    else:
        keep = np.isfinite(y) & np.isfinite(x)
        curve.setData(x[keep], y[keep], skipFiniteCheck=True)


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
