"""Curves of long series are peak-decimated to the plot width without losing spikes, gaps or the
latest value, and re-decimated for a zoomed view."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from desktop.ui.charts import peak_decimate, set_curve, setup_plot


def _series(n: int = 86_400) -> tuple[np.ndarray, np.ndarray]:
    t = 1_760_000_000.0 + np.arange(n, dtype=float)
    y = np.cumsum(np.random.default_rng(5).normal(size=n))
    return t, y


def test_peak_decimate_keeps_extremes_and_the_last_value():
    t, y = _series(10_007)  # not a multiple of the block: the tail is its own block
    y[4_321] = 1e6  # a one-sample spike must survive
    y[777] = -1e6
    x_out, y_out = peak_decimate(t, y, 100)
    assert len(x_out) <= 2 * 100 + 3
    assert y_out.max() == 1e6 and y_out.min() == -1e6
    assert x_out[0] == t[0] and x_out[-1] == t[-1] and y_out[-1] == y[-1]
    assert np.all(np.diff(x_out) >= 0)
    # Independent check of one block: block size ceil(10_007 / 100) = 101, block 3 is samples 303..403.
    assert y_out[6] == y[303:404].min() and y_out[7] == y[303:404].max()
    assert x_out[6] == t[303] and x_out[7] == t[403]


def test_peak_decimate_ignores_nan_inside_a_block():
    t, y = _series(1_000)
    y[:250] = np.nan  # e.g. the cascade score before its warm-up
    y[600] = np.nan
    _, y_out = peak_decimate(t, y, 10)
    assert np.isnan(y_out[0:4]).all()  # blocks 0 and 1 are all NaN
    assert y_out[12] == np.nanmin(y[600:700]) and y_out[13] == np.nanmax(y[600:700])


def test_set_curve_gives_pyqtgraph_about_two_points_a_pixel(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    plot = setup_plot(widget.addPlot())
    curve = plot.plot()
    widget.show()
    qtbot.waitExposed(widget)
    t, y = _series()
    y[50_000] = np.nan
    set_curve(curve, t, y)
    x_drawn, y_drawn = curve.getData()
    width = int(plot.getViewBox().width())
    assert 0 < len(x_drawn) <= 2 * width + 3
    assert np.isfinite(y_drawn).all()
    assert y_drawn.min() == np.nanmin(y) and y_drawn.max() == np.nanmax(y)
    assert x_drawn[0] == t[0] and x_drawn[-1] == t[-1]

    # Zoomed to the last hour: the curve is re-decimated from the full series for that span.
    plot.setXRange(t[-3_600], t[-1], padding=0)
    x_zoom, y_zoom = curve.getData()
    assert x_zoom[0] >= t[-3_602] and x_zoom[-1] == t[-1]
    assert y_zoom.max() == y[-3_601:].max()
    assert len(x_zoom) <= 2 * width + 3


def test_set_curve_passes_short_series_through_and_drops_nan(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    curve = setup_plot(widget.addPlot(), time_axis=False).plot()
    widget.show()
    x = np.arange(5, dtype=float)
    set_curve(curve, x, np.array([1.0, np.nan, 3.0, np.inf, 5.0]))
    x_drawn, y_drawn = curve.getData()
    np.testing.assert_array_equal(x_drawn, [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(y_drawn, [1.0, 3.0, 5.0])
