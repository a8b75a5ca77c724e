"""Market paths for the demo venue: one per-second series per scenario, on a compressed timeline.

The demo replays a scenario's market (mark, index, funding, open interest, liquidations by side,
depth +-1 %, long/short ratio) for one base symbol, simulated by the cascade simulator
(``risk.simulate``); the demo venue derives the other symbols from it with a beta (ETH and SOL move
more than BTC in a cascade).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from risk.simulate import simulate

SCENARIOS: dict[str, str] = {
    "oct-10-2025": "Oct 10 2025: crowded longs, tariff shock, $3.2 B liquidated in the peak minute",
    "may-19-2021": "May 19 2021: leverage flush, BTC OI -26 % in a day",
    "calm": "A calm market: nothing should fire",
}
"""Scenario names the demo offers, with a one-line description."""


@dataclass(frozen=True, slots=True)
class MarketPath:
    """Market series of the base symbol, one row per step, all arrays of the same length.

    ``mark``/``index`` in USD; ``funding`` per 8 h (fraction); ``open_interest`` in base units;
    ``liq_long``/``liq_short`` USD liquidated during the step; ``depth_bid``/``depth_ask`` USD resting
    within +-1 %; ``long_short_ratio`` long / short size. ``start`` is the epoch second of row 0,
    ``step_seconds`` the scenario seconds per row, ``history_rows`` the rows behind the clock at start.
    """

    scenario: str
    start: float
    step_seconds: float
    history_rows: int
    mark: np.ndarray
    index: np.ndarray
    funding: np.ndarray
    open_interest: np.ndarray
    liq_long: np.ndarray
    liq_short: np.ndarray
    depth_bid: np.ndarray
    depth_ask: np.ndarray
    long_short_ratio: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.mark)


@dataclass(frozen=True, slots=True)
class DemoWindow:
    """Which part of a scenario the demo plays, in hours from the scenario's start.

    Rows from ``first_hour`` to ``last_hour`` are shown; the clock opens at ``clock_hour``, so the rows
    before it are already on the charts (the build-up).
    """

    first_hour: float
    clock_hour: float
    last_hour: float


DEMO_WINDOWS: dict[str, DemoWindow] = {
    # Oct 10 2025 starts at 12:00 UTC: 18:00-23:30, clock at 20:00; acceleration 20:50, peak 21:15.
    "oct-10-2025": DemoWindow(6.0, 8.0, 11.5),
    # May 19 2021 starts at 00:00 UTC; the simulated low comes at about 13:06.
    "may-19-2021": DemoWindow(10.0, 12.0, 15.5),
    "calm": DemoWindow(8.0, 10.0, 13.5),
}

STEP_SECONDS = 5.0
"""Scenario seconds per simulated step: at 1x the demo plays one step per wall second (5x real time),
at the default 10x the Oct 10 cascade begins about a minute after the window opens."""


def market_path(scenario: str, seed: int = 0) -> MarketPath:
    """The demo window of ``scenario`` from the cascade simulator (``risk.simulate``).

    The whole scenario day is simulated at :data:`STEP_SECONDS` per step (the state at the window's
    start includes the day's build-up), then cut to :data:`DEMO_WINDOWS`.
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario: unknown {scenario!r}; known: {', '.join(SCENARIOS)}")
    window = DEMO_WINDOWS[scenario]
    series = simulate(scenario, seed=seed, time_scale=STEP_SECONDS)
    hours = series.scenario_time_s / 3600.0
    first, clock, last = np.searchsorted(hours, (window.first_hour, window.clock_hour, window.last_hour))
    rows = slice(int(first), int(last))
    return MarketPath(
        scenario=scenario,
        start=float(series.timestamp_ms[first]) / 1000.0,
        step_seconds=STEP_SECONDS,
        history_rows=int(clock - first),
        mark=series.mark[rows].copy(),
        index=series.index[rows].copy(),
        funding=series.funding_rate[rows].copy(),
        open_interest=series.open_interest[rows].copy(),
        liq_long=series.liq_long_usd[rows].copy(),
        liq_short=series.liq_short_usd[rows].copy(),
        depth_bid=series.bid_depth_1pct_usd[rows].copy(),
        depth_ask=series.ask_depth_1pct_usd[rows].copy(),
        long_short_ratio=series.long_short_ratio[rows].copy(),
    )
