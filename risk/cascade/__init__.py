"""Streaming cascade indicators, composite score and regime for one symbol (cascade-indicators.md §2-§6).

Pure: no clock, every update takes its timestamp (epoch milliseconds) as an argument.

Usage::

    mon = CascadeMonitor("BTC/USDT:USDT")
    events = mon.update(ts_ms, mark_price=..., liq_long_usd=..., bid_depth_1pct_usd=...)  # any subset
    events += mon.update_many(ts_array, mark_price=mark_array, ...)   # the same, vectorised
    events += mon.flush()               # close the open minute (end of a replay)
    mon.reading                         # latest CascadeReading: score, components, regime, missing

One module per step:

* :mod:`~risk.cascade.config`: names, weights and thresholds (:class:`CascadeConfig`);
* :mod:`~risk.cascade.stats`: ring buffers, running sums, medians, percentiles;
* :mod:`~risk.cascade.monitor`: rows -> 1-minute bars (the time base), the per-symbol monitor;
* :mod:`~risk.cascade.indicators`: bars -> indicators;
* :mod:`~risk.cascade.components`: indicators -> 0..1 components;
* :mod:`~risk.cascade.score`: components -> the 0-100 score and the loaded / firing sub-scores;
* :mod:`~risk.cascade.regime`: the regime machine (calm / loaded / firing / exhausting);
* :mod:`~risk.cascade.readings`: what is reported (readings, components, events);
* :mod:`~risk.cascade.replay`: a monitor over a whole series;
* :mod:`~risk.cascade.aggregate`: one market per underlying, inputs summed across venues and quotes.

"Loaded" components: funding, OI build-up, long/short skew; "firing" components: liquidation burst,
depth collapse (bid side when price falls, ask side when it rises), basis, move. Alerts are events on
transitions: loaded "warning", firing "critical", exhausting and calm "info", with the reasons (top
contributions, end signals, missing inputs).
"""

from risk.cascade.aggregate import Leg, MarketAggregate, underlying
from risk.cascade.components import falling, score_components
from risk.cascade.config import (
    COMPONENTS,
    FIRING,
    INPUTS,
    LOADED,
    MINUTE_MS,
    REGIME_LEVEL,
    CascadeConfig,
    Level,
    Regime,
)
from risk.cascade.monitor import CascadeBook, CascadeMonitor
from risk.cascade.readings import CascadeEvent, CascadeReading, Component, Indicators
from risk.cascade.replay import SERIES_FIELDS, replay_series

__all__ = [
    "COMPONENTS",
    "FIRING",
    "INPUTS",
    "LOADED",
    "MINUTE_MS",
    "REGIME_LEVEL",
    "SERIES_FIELDS",
    "CascadeBook",
    "CascadeConfig",
    "CascadeEvent",
    "CascadeMonitor",
    "CascadeReading",
    "Component",
    "Indicators",
    "Leg",
    "Level",
    "MarketAggregate",
    "Regime",
    "falling",
    "replay_series",
    "score_components",
    "underlying",
]
