"""Running a fresh monitor over a whole series (a simulation or any object with the same arrays)."""

from __future__ import annotations

from risk.cascade.config import CascadeConfig
from risk.cascade.monitor import CascadeMonitor
from risk.cascade.readings import CascadeEvent

SERIES_FIELDS: tuple[tuple[str, str], ...] = (
    ("mark_price", "mark"),
    ("index_price", "index"),
    ("funding_rate", "funding_rate"),
    ("open_interest", "open_interest"),
    ("liq_long_usd", "liq_long_usd"),
    ("liq_short_usd", "liq_short_usd"),
    ("bid_depth_1pct_usd", "bid_depth_1pct_usd"),
    ("ask_depth_1pct_usd", "ask_depth_1pct_usd"),
    ("bid_depth_2pct_usd", "bid_depth_2pct_usd"),
    ("ask_depth_2pct_usd", "ask_depth_2pct_usd"),
    ("long_short_ratio", "long_short_ratio"),
)
"""Monitor input name -> attribute of a :class:`risk.simulate.SimulationSeries`."""


def replay_series(
    series: object, config: CascadeConfig | None = None
) -> tuple[CascadeMonitor, list[CascadeEvent]]:
    """Run a fresh monitor over a whole simulated series (any object with ``symbol``, ``timestamp_ms``,
    ``funding_interval_hours`` and the arrays named in :data:`SERIES_FIELDS`); returns the monitor (for
    its last reading) and every event, the open minute flushed."""
    mon = CascadeMonitor(series.symbol, series.funding_interval_hours, config)  # type: ignore[attr-defined]
    inputs = {name: getattr(series, attr) for name, attr in SERIES_FIELDS if hasattr(series, attr)}
    events = mon.update_many(series.timestamp_ms, **inputs)  # type: ignore[attr-defined]
    return mon, events + mon.flush()
