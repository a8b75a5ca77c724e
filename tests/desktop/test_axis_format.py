"""Axis tick labels: thousands separators and units ($, M, %), one number of decimals per axis, never an
exponent or an SI prefix; every value axis of the demo window follows them."""

from __future__ import annotations

import re

import pyqtgraph as pg
import pytest
from demo_window import demo_window

from desktop.ui.charts import NumberAxis, tick_labels

EXPONENT = re.compile(r"\de[+-]?\d", re.IGNORECASE)


@pytest.mark.parametrize(
    ("values", "spacing", "fmt", "expected"),
    [
        ([100_000.0, 150_000.0], 50_000.0, "number", ["100,000", "150,000"]),
        ([1.9e6, 2.0e6, 2.1e6], 1e5, "number", ["1.9M", "2.0M", "2.1M"]),  # was "1.9e+06 2e+06 2.1e+06"
        ([0.0, 5e7, 1e8], 5e7, "number", ["0", "50M", "100M"]),  # was "1e+08"
        ([0.495, 0.5, 0.505], 0.005, "usd_m", ["$495k", "$500k", "$505k"]),  # was "0.50000"
        ([0.0, 1.5e6, 3e6], 1.5e6, "usd", ["$0", "$1.5M", "$3.0M"]),
        ([-1e9, 0.0, 1e9], 1e9, "usd", ["-$1B", "$0", "$1B"]),
        ([-0.01, 0.0, 0.01], 0.01, "percent", ["-0.01 %", "0.00 %", "0.01 %"]),
        ([-50.0, 0.0, 50.0], 50.0, "percent", ["-50 %", "0 %", "50 %"]),
        ([-1e-12, 0.5], 0.5, "number", ["0.0", "0.5"]),  # no "-0.0"
    ],
)
def test_tick_labels(values, spacing, fmt, expected):
    assert tick_labels(values, spacing, fmt) == expected


def test_unknown_format_is_refused(qapp):
    with pytest.raises(ValueError, match="axis format"):
        NumberAxis("left", "bytes")


def test_every_value_axis_of_the_demo_window_has_plain_labels(qtbot):
    with demo_window(qtbot) as window:
        window.cascade.show_market(window.snapshot.markets)
        window.stress.show_accounts(window.snapshot.accounts)
        checked = 0
        for chart in window.findChildren(pg.GraphicsLayoutWidget):
            for item in chart.scene().items():
                if not isinstance(item, pg.PlotItem):
                    continue
                for side in ("left", "bottom"):
                    axis = item.getAxis(side)
                    if isinstance(axis, pg.DateAxisItem) or not axis.style["showValues"]:
                        continue
                    assert isinstance(axis, NumberAxis), (
                        f"{item.titleLabel.text}: {side} axis is {type(axis)}"
                    )
                    low, high = axis.range
                    for spacing, values in axis.tickValues(low, high, 300):
                        labels = axis.tickStrings(values, 1.0, spacing)
                        assert not any(EXPONENT.search(t) for t in labels), labels
                        assert len(set(labels)) == len(labels), f"{item.titleLabel.text}: repeated {labels}"
                    checked += 1
        assert checked >= 10
