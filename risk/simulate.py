"""Liquidation-cascade simulator: the engine of the demo venue and of stress tests with feedback.

Deterministic given a seed; no clock, no I/O. One instrument (a linear perpetual quoted in USD), one
simulated step per output row.

API (the demo venue calls this)
-------------------------------
``SCENARIOS``
    Names of the built-in scenarios: ``"oct-10-2025"``, ``"may-19-2021"``, ``"calm"``.
``scenario(name) -> Scenario``
    The parameters of a named scenario (a frozen dataclass; ``dataclasses.replace`` it to vary one).
``simulate(scenario_or_name, seed=0, time_scale=1.0) -> SimulationSeries``
    Runs the whole scenario and returns every series.
``Simulation(scenario_or_name, seed=0, time_scale=1.0)``
    The same, stepped incrementally: ``sim.step(n)`` advances ``n`` steps (fewer at the end) and
    returns the :class:`SimulationSeries` of just those rows; ``sim.series()`` returns every row so
    far; ``sim.done``, ``sim.steps_done``, ``sim.n_steps``; ``sim.snapshot()`` gives the current
    :class:`MarketState` (mark, index, funding, depth, open interest by side);
    ``sim.liquidation_levels()`` gives the live population's liquidation levels (price, coin) by side.
    ``simulate(...)`` equals the concatenation of any sequence of ``step`` calls (same seed).
``calibration(series, scenario) -> list[CalibrationRow]``
    The scenario's published reference figures next to the simulated ones.

Time
----
Every step is ``time_scale`` seconds of *scenario* time: ``time_scale=1`` gives 1-second rows over the
scenario's whole duration (86,400 rows for a day); ``time_scale=60`` runs the same day in 1,440 rows,
so at one row per wall-clock second the build-up and the cascade of ``oct-10-2025`` play in 24 minutes
(``scenario("oct-10-2025").window(8.5 * 3600, 9.75 * 3600)`` at ``time_scale=15`` plays 20:30-21:45, the
acceleration, peak and rebound, in 300 rows: five minutes at one row per second). Rates (opening,
closing, noise, decays) are per scenario second, so totals do not depend much on ``time_scale`` (the
feedback lags one step, so a coarse step changes the path; the calibration holds at ``time_scale=1``);
``SimulationSeries.timestamp_ms`` is scenario time (epoch ms), so indicators
fed from it see realistic windows. Rows are *end-of-step* states; flows (liquidations, opened,
closed) are what happened during the step.

Model
-----
* **Population.** Leveraged long and short positions, each with an entry price, a size (coin) and a
  leverage from the scenario's ladder. A long's liquidation level is ``entry*(1 - 1/L + mmr)``, a
  short's ``entry*(1 + 1/L - mmr)`` (isolated-margin approximation). Levels are kept aggregated on a
  log-price grid of ``GRID_STEP`` (5 bp) buckets; a position is liquidated, whole, in the step in which
  the mark reaches its bucket (longs: mark bucket <= level bucket; shorts: >=), i.e. up to 5 bp early.
  The initial population has entries spread log-normally around the starting price; during the run
  new positions open at the current mark at the scenario's opening rate, spread over the ladder.
* **Open interest** (coin) is the sum of the live leveraged positions, long plus short, each matched
  by an unmodelled counterparty: it changes only by opens, voluntary closes (a fraction of every live
  position, proportionally) and liquidations. ``OI[t] = OI[t-1] + opened - closed - liquidated``
  holds exactly, in coin.
* **Price.** The index (spot) follows a random walk with the scenario's scheduled drifts (news) and
  a share ``beta`` of the perp's price impact (arbitrage). The mark is ``index*(1 + basis)``; the
  basis takes the rest of the impact and decays. Impact is linear in the net market-order flow: flow
  equal to the effective depth moves price by 1 %. The flow is the previous step's liquidations
  (executed as market orders: longs sell, shorts buy) plus scheduled exogenous flow, so liquidations
  feed back into price and into further liquidations.
* **Depth** within +-1 % and +-2 % of mid, bid and ask, thins with stress (an EMA of the one-sided
  flow against the book) and refills slowly; bids thin on selling, asks on buying. The +-2 % band
  thins less. Effective depth for impact adds a resilient deep-book term (the 4 %/10 % bands that
  held on Oct 10 2025) and a cross-venue absorption factor.
* **Funding** (per 8 h) follows the Binance formula ``F = P + clamp(I - P, -0.05 %, +0.05 %)`` with
  ``I = 0.01 %``, where the premium ``P`` is an EMA of crowding (long/short size imbalance), the basis
  and the recent trend, clamped to +-2 %.
* **Long/short ratio** is long size / short size of the live population (a position ratio).

Calibration
-----------
Simulated against published (cascade-indicators.md §2 and §5; sources in ``Scenario.published``;
``tests/risk/test_simulate.py`` recomputes this and requires every ratio within 0.5-2, and the
sign-only funding figures negative). The scenario parameters were fitted to these figures by a random
search; the model is a toy, not a forecast: market-wide liquidation figures are applied to one
BTC-priced instrument.

``oct-10-2025`` (seed 0, ``time_scale=1``)::

    metric                                  published      simulated  sim/pub  unit
    peak 1-min liquidations                  3.21e+09     1.9036e+09     0.59  USD
    peak minute, minutes after 20:50               25         23.167     0.93  min
    liquidations 20:50-21:30                 6.93e+09     8.6609e+09     1.25  USD
    liquidations 13:00-03:00                 9.89e+09     1.3734e+10     1.39  USD
    long share 20:50-21:30                      0.839        0.91772     1.09  fraction
    worst 5-min move                           -0.076      -0.075991     1.00  fraction
    low vs start                             -0.13992       -0.16757     1.20  fraction
    OI (USD) change within 12 h                 -0.22       -0.20243     0.92  fraction
    +-1 % bid depth collapse                      114         147.71     1.30  x
    worst basis                                 -0.05      -0.060882     1.22  fraction
    funding before (14:00)                    0.00037     0.00035749     0.97  per 8 h
    funding 3 h after peak                        < 0    -0.00081014  sign ok  per 8 h

``may-19-2021`` (seed 0, ``time_scale=1``)::

    metric                                  published      simulated  sim/pub  unit
    liquidations 24 h                        3.57e+09     2.1387e+09     0.60  USD
    worst 5-min move                           -0.102      -0.098597     0.97  fraction
    best 10-min rebound after low             0.16739        0.13463     0.80  fraction
    low vs start                             -0.31276       -0.28899     0.92  fraction
    OI (USD) change 24 h                       -0.259        -0.3455     1.33  fraction
    funding 3 h after low                         < 0     -0.0035001  sign ok  per 8 h

Units: prices USD per coin; sizes and OI in coin; ``liq_*_usd`` in USD per step at the step's mark;
depth in USD; funding a fraction per 8 hours (0.0001 = 0.01 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

import numpy as np

GRID_STEP = 5e-4
"""Width of a liquidation-level bucket in log price (5 bp)."""
_GRID_SPAN = 2.0
"""Buckets cover ``initial_price * exp(+-_GRID_SPAN)``; prices outside are clamped to the edge bucket."""
FUNDING_INTEREST = 1e-4
"""Interest component I of the funding formula, per 8 h."""
FUNDING_CLAMP = 5e-4
"""Clamp on ``I - P`` in the funding formula, per 8 h."""
FUNDING_CAP = 0.02
"""Cap on |premium| (per 8 h), like venues' per-symbol caps."""
SCENARIOS: tuple[str, ...] = ("oct-10-2025", "may-19-2021", "calm")


@dataclass(frozen=True, slots=True)
class Phase:
    """A scheduled interval of scenario time (seconds from the scenario start, ``[start_s, end_s)``).

    Attributes
    ----------
    index_move
        Total log return added to the index over the interval (news / spot flow), spread evenly.
    sell_flow_usd
        Exogenous net market **sell** flow on the perp, USD per scenario second (negative = buying).
    open_long, open_short
        New leveraged positions opened, coin per scenario second (replace the base rate while active).
    close_rate
        Fraction of every live position closed voluntarily per scenario second (replaces the base).
    vol_mult
        Multiplier on the noise volatility.
    """

    start_s: float
    end_s: float
    index_move: float = 0.0
    sell_flow_usd: float = 0.0
    open_long: float | None = None
    open_short: float | None = None
    close_rate: float | None = None
    vol_mult: float = 1.0


@dataclass(frozen=True, slots=True)
class Published:
    """A published reference figure a scenario is calibrated to (cascade-indicators.md §2, §5).

    ``value`` is NaN where only the sign is published ("negative after"): the simulated value must
    then be negative.
    """

    metric: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """Parameters of one simulated market. Units: USD, coin, scenario seconds; rates per second.

    ``leverage`` is the ladder ``((L, weight), ...)`` of new positions (weights need not sum to 1);
    ``initial_leverage`` that of the initial population (default: the same). ``long_share`` is the
    long part of the initial OI.
    """

    name: str
    symbol: str = "BTC/USDT:USDT"
    start_ms: int = 0
    duration_s: float = 86_400.0
    start_offset_s: float = 0.0
    initial_price: float = 100_000.0
    initial_oi: float = 100_000.0
    long_share: float = 0.5
    entry_spread: float = 0.03
    entry_bias: float = 0.0
    n_initial_positions: int = 4_000
    leverage: tuple[tuple[float, float], ...] = ((2, 0.2), (5, 0.2), (10, 0.3), (25, 0.2), (50, 0.1))
    initial_leverage: tuple[tuple[float, float], ...] | None = None
    mmr: float = 0.004
    sigma: float = 2.0e-4
    base_open_long: float = 0.0
    base_open_short: float = 0.0
    base_close_rate: float = 0.0
    stress_close_rate: float = 0.0
    phases: tuple[Phase, ...] = ()
    bid_depth_1pct_usd: float = 200e6
    ask_depth_1pct_usd: float = 200e6
    depth_2pct_multiple: float = 1.9
    depth_stress_gain: float = 20.0
    depth_vol_gain: float = 2.0
    min_initial_distance: float = 0.01
    depth_pull_tau_s: float = 5.0
    depth_refill_tau_s: float = 300.0
    stress_tau_s: float = 20.0
    resilient_depth: float = 0.3
    absorption: float = 4.0
    beta: float = 0.6
    basis_tau_s: float = 120.0
    max_impact: float = 0.03
    crowd_premium: float = 0.003
    trend_premium: float = 0.01
    trend_tau_s: float = 4 * 3600.0
    premium_tau_s: float = 4 * 3600.0
    published: tuple[Published, ...] = ()

    def window(self, start_s: float, end_s: float) -> Scenario:
        """This scenario run only over ``[start_s, end_s)`` of scenario time.

        The lead-in still runs (not returned) so the state at ``start_s`` includes the build-up; with the
        same seed and ``time_scale`` (when ``start_s`` is a multiple of it) the rows are exactly those of
        the full run in the window. Use it to play the interesting part of a long scenario in a short demo.
        """
        if not 0.0 <= start_s < end_s <= self.duration_s:
            raise ValueError(
                f"window must satisfy 0 <= start_s < end_s <= duration_s, got {start_s}, {end_s}"
            )
        return replace(self, start_offset_s=start_s, duration_s=end_s)


@dataclass(frozen=True, slots=True)
class SimulationSeries:
    """1-row-per-step output. Arrays all have the same length; see the module docstring for units."""

    symbol: str
    time_scale: float
    funding_interval_hours: float
    timestamp_ms: np.ndarray
    scenario_time_s: np.ndarray
    mark: np.ndarray
    index: np.ndarray
    funding_rate: np.ndarray
    open_interest: np.ndarray
    long_oi: np.ndarray
    short_oi: np.ndarray
    liq_long_usd: np.ndarray
    liq_short_usd: np.ndarray
    liq_long_coin: np.ndarray
    liq_short_coin: np.ndarray
    opened_long_coin: np.ndarray
    opened_short_coin: np.ndarray
    closed_long_coin: np.ndarray
    closed_short_coin: np.ndarray
    bid_depth_1pct_usd: np.ndarray
    ask_depth_1pct_usd: np.ndarray
    bid_depth_2pct_usd: np.ndarray
    ask_depth_2pct_usd: np.ndarray
    long_short_ratio: np.ndarray

    def __len__(self) -> int:
        return int(self.mark.shape[0])

    @property
    def basis(self) -> np.ndarray:
        """``(mark - index)/index``, a fraction."""
        return (self.mark - self.index) / self.index


_ARRAY_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in fields(SimulationSeries)
    if f.name not in ("symbol", "time_scale", "funding_interval_hours")
)


@dataclass(frozen=True, slots=True)
class MarketState:
    """The simulator's state at the end of the last step (units as in the module docstring)."""

    timestamp_ms: int
    mark: float
    index: float
    funding_rate: float
    long_oi: float
    short_oi: float
    bid_depth_1pct_usd: float
    ask_depth_1pct_usd: float
    bid_depth_2pct_usd: float
    ask_depth_2pct_usd: float


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    metric: str
    published: float
    simulated: float
    unit: str
    source: str

    @property
    def ratio(self) -> float:
        return (
            self.simulated / self.published if self.published and math.isfinite(self.published) else math.nan
        )


@dataclass(slots=True)
class _State:
    index: float
    basis: float
    bid_d: float = 1.0
    ask_d: float = 1.0
    stress_bid: float = 0.0
    stress_ask: float = 0.0
    stress_vol: float = 0.0
    premium: float = 0.0
    log_trend: float = 0.0
    scale_long: float = 1.0
    scale_short: float = 1.0
    long_oi: float = 0.0
    short_oi: float = 0.0
    pending_long_usd: float = 0.0
    pending_short_usd: float = 0.0
    hi_long: int = -1
    lo_short: int = 1 << 30
    longs: list[float] = field(default_factory=list)
    shorts: list[float] = field(default_factory=list)


def level_factors(
    ladder: tuple[tuple[float, float], ...], mmr: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(long_factor, short_factor, weight)`` per ladder rung ``(L, weight)``: level = entry * factor.

    Long ``1 - 1/L + mmr`` (clamped to a tiny positive number so unlevered longs never reach a level),
    short ``1 + 1/L - mmr``; weights normalised to sum to 1.
    """
    lev = np.array([lw[0] for lw in ladder], dtype=float)
    w = np.array([lw[1] for lw in ladder], dtype=float)
    if lev.size == 0 or np.any(lev < 1.0) or np.any(w < 0.0) or w.sum() <= 0.0:
        raise ValueError(f"leverage ladder must have L >= 1 and non-negative weights, got {ladder!r}")
    long_f = np.maximum(1.0 - 1.0 / lev + mmr, 1e-9)
    short_f = 1.0 + 1.0 / lev - mmr
    return long_f, short_f, w / w.sum()


class Simulation:
    """Incremental run of one scenario; see the module docstring."""

    def __init__(self, scenario_or_name: Scenario | str, seed: int = 0, time_scale: float = 1.0) -> None:
        sc = scenario(scenario_or_name) if isinstance(scenario_or_name, str) else scenario_or_name
        if not (isinstance(time_scale, int | float) and math.isfinite(time_scale) and time_scale > 0):
            raise ValueError(f"time_scale must be a positive number, got {time_scale!r}")
        self.scenario = sc
        self.seed = int(seed)
        self.time_scale = float(time_scale)
        self._rng = np.random.default_rng(self.seed)
        self._p0 = sc.initial_price
        self._n_buckets = int(2 * _GRID_SPAN / GRID_STEP) + 1
        self._offset = self._n_buckets // 2
        self._long_f, self._short_f, self._w = level_factors(sc.leverage, sc.mmr)
        self._long_lf = (np.log(self._long_f) / GRID_STEP).tolist()
        self._short_lf = (np.log(self._short_f) / GRID_STEP).tolist()
        self._wl = self._w.tolist()
        self._state = self._initial_state()
        # The lead-in before start_offset_s runs at the same step (so a window reproduces the rows of the
        # full run with the same seed) and is not returned.
        if sc.start_offset_s > 0:
            lead_steps = max(1, round(sc.start_offset_s / self.time_scale))
            self._dt = sc.start_offset_s / lead_steps
            self._prepare(0.0, lead_steps, self._dt)
            self._buf = self._alloc(lead_steps)
            self._t = 0
            self._run(lead_steps)
        self._dt = self.time_scale
        self.n_steps = math.floor((sc.duration_s - sc.start_offset_s) / self._dt + 1e-9)
        if self.n_steps <= 0:
            raise ValueError(f"duration_s must exceed start_offset_s by one step, got {sc.duration_s}")
        self._prepare(sc.start_offset_s, self.n_steps, self._dt)
        self._buf = self._alloc(self.n_steps)
        self._t = 0

    # -- set-up -------------------------------------------------------------------------------------
    def _bucket(self, price: np.ndarray) -> np.ndarray:
        x = np.floor(np.log(price / self._p0) / GRID_STEP).astype(np.int64) + self._offset
        return np.clip(x, 0, self._n_buckets - 1)

    def _initial_state(self) -> _State:
        sc = self.scenario
        rng = self._rng
        n = max(2, int(sc.n_initial_positions))
        longs = np.zeros(self._n_buckets)
        shorts = np.zeros(self._n_buckets)
        sides = []
        long_f, short_f, w = level_factors(sc.initial_leverage or sc.leverage, sc.mmr)
        for share, factors, is_long in ((sc.long_share, long_f, True), (1 - sc.long_share, short_f, False)):
            k = n // 2
            entries = sc.initial_price * np.exp(
                sc.entry_bias * (1 if is_long else -1) + sc.entry_spread * rng.standard_normal(k)
            )
            rung = rng.choice(len(w), size=k, p=w)
            sizes = rng.lognormal(0.0, 1.0, size=k)
            levels = entries * factors[rung]
            # A position whose level the current price has already reached would have been liquidated.
            gap = math.exp(max(sc.min_initial_distance, GRID_STEP))
            alive = levels < sc.initial_price / gap if is_long else levels > sc.initial_price * gap
            entries, levels, sizes = entries[alive], levels[alive], sizes[alive]
            sizes = sizes * (sc.initial_oi * share / sizes.sum())
            target = longs if is_long else shorts
            np.add.at(target, self._bucket(levels), sizes)
            sides.append((levels, sizes))
        self._initial_levels = tuple(sides)
        st = _State(index=sc.initial_price, basis=0.0)
        st.longs = longs.tolist()
        st.shorts = shorts.tolist()
        nz_l = np.nonzero(longs)[0]
        nz_s = np.nonzero(shorts)[0]
        st.hi_long = int(nz_l[-1]) if nz_l.size else -1
        st.lo_short = int(nz_s[0]) if nz_s.size else self._n_buckets
        st.long_oi = float(longs.sum())
        st.short_oi = float(shorts.sum())
        st.log_trend = math.log(sc.initial_price)
        imb = (st.long_oi - st.short_oi) / max(st.long_oi + st.short_oi, 1e-12)
        st.premium = sc.crowd_premium * imb
        return st

    def _prepare(self, t0_s: float, n: int, dt: float) -> None:
        """Per-step schedule (vectorised): drift, exogenous flow, open/close rates, noise."""
        sc = self.scenario
        mid = t0_s + (np.arange(n) + 0.5) * dt
        drift = np.zeros(n)
        flow = np.zeros(n)
        open_l = np.full(n, sc.base_open_long)
        open_s = np.full(n, sc.base_open_short)
        close = np.full(n, sc.base_close_rate)
        vol = np.ones(n)
        for ph in sc.phases:
            if ph.end_s <= ph.start_s:
                raise ValueError(f"phase end_s must exceed start_s, got {ph.start_s}..{ph.end_s}")
            on = (mid >= ph.start_s) & (mid < ph.end_s)
            drift[on] += ph.index_move * dt / (ph.end_s - ph.start_s)
            flow[on] += ph.sell_flow_usd
            if ph.open_long is not None:
                open_l[on] = ph.open_long
            if ph.open_short is not None:
                open_s[on] = ph.open_short
            if ph.close_rate is not None:
                close[on] = ph.close_rate
            vol[on] *= ph.vol_mult
        noise = self._rng.standard_normal(n) * (sc.sigma * math.sqrt(dt)) * vol
        self._t0_s = t0_s
        self._sched = (
            (drift + noise).tolist(),
            (flow * dt).tolist(),
            (open_l * dt).tolist(),
            (open_s * dt).tolist(),
            (1.0 - np.exp(-close * dt)).tolist(),
        )

    def _alloc(self, n: int) -> dict[str, np.ndarray]:
        buf = {name: np.zeros(n) for name in _ARRAY_FIELDS}
        buf["timestamp_ms"] = np.zeros(n, dtype=np.int64)
        return buf

    # -- running ------------------------------------------------------------------------------------
    @property
    def steps_done(self) -> int:
        return self._t

    @property
    def done(self) -> bool:
        return self._t >= self.n_steps

    def step(self, n: int = 1) -> SimulationSeries:
        """Advance ``n`` steps (fewer at the end of the scenario); return just the new rows."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        start = self._t
        self._run(min(n, self.n_steps - self._t))
        return self._series(start, self._t)

    def run(self) -> SimulationSeries:
        """Run to the end; return every row."""
        self._run(self.n_steps - self._t)
        return self.series()

    def series(self) -> SimulationSeries:
        """Every row so far."""
        return self._series(0, self._t)

    def _series(self, a: int, b: int) -> SimulationSeries:
        return SimulationSeries(
            symbol=self.scenario.symbol,
            time_scale=self.time_scale,
            funding_interval_hours=8.0,
            **{name: arr[a:b].copy() for name, arr in self._buf.items()},
        )

    def snapshot(self) -> MarketState:
        """State after the last step (the initial state before any step)."""
        st = self._state
        sc = self.scenario
        mark = st.index * (1.0 + st.basis)
        funding = st.premium + min(max(FUNDING_INTEREST - st.premium, -FUNDING_CLAMP), FUNDING_CLAMP)
        d2 = sc.depth_2pct_multiple
        return MarketState(
            timestamp_ms=int(sc.start_ms + (self._t0_s + self._t * self._dt) * 1000.0),
            mark=mark,
            index=st.index,
            funding_rate=funding,
            long_oi=st.long_oi,
            short_oi=st.short_oi,
            bid_depth_1pct_usd=sc.bid_depth_1pct_usd * st.bid_d,
            ask_depth_1pct_usd=sc.ask_depth_1pct_usd * st.ask_d,
            bid_depth_2pct_usd=sc.bid_depth_1pct_usd * d2 * st.bid_d**0.6,
            ask_depth_2pct_usd=sc.ask_depth_1pct_usd * d2 * st.ask_d**0.6,
        )

    def initial_population(self) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """The population at the start: ``((long_levels, long_coin), (short_levels, short_coin))``."""
        (ll, lc), (sl, sc_) = self._initial_levels
        return (ll.copy(), lc.copy()), (sl.copy(), sc_.copy())

    def liquidation_levels(self) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Live population by side: ``((long_prices, long_coin), (short_prices, short_coin))``.

        Prices are bucket lower edges (USD), sizes in coin; only non-empty buckets.
        """
        st = self._state
        out = []
        for raw, scale in ((st.longs, st.scale_long), (st.shorts, st.scale_short)):
            arr = np.asarray(raw) * scale
            nz = np.nonzero(arr > 0)[0]
            prices = self._p0 * np.exp((nz - self._offset) * GRID_STEP)
            out.append((prices, arr[nz]))
        return out[0], out[1]

    def _run(self, n: int) -> None:
        """The sequential core: plain Python over scalars (numpy per-element calls would be slower)."""
        if n <= 0:
            return
        sc = self.scenario
        st = self._state
        dt = self._dt
        t0 = self._t
        drift_l, flow_l, open_l, open_s, close_l = self._sched
        buf = self._buf
        out = {name: buf[name] for name in _ARRAY_FIELDS}

        log = math.log
        exp = math.exp
        floor = math.floor
        inv_w = 1.0 / GRID_STEP
        log_p0 = log(self._p0)
        off = self._offset
        nb1 = self._n_buckets - 1
        longs, shorts = st.longs, st.shorts
        long_lf, short_lf, wl = self._long_lf, self._short_lf, self._wl
        n_rungs = len(wl)
        base_bid, base_ask = sc.bid_depth_1pct_usd, sc.ask_depth_1pct_usd
        d2m = sc.depth_2pct_multiple
        deep = sc.resilient_depth
        absorb = sc.absorption
        beta = sc.beta
        max_imp = sc.max_impact
        gain = sc.depth_stress_gain
        vol_gain = sc.depth_vol_gain
        inv_var = 1.0 / (sc.sigma * sc.sigma * dt)
        k_stress = 1.0 - exp(-dt / sc.stress_tau_s)
        k_pull = 1.0 - exp(-dt / sc.depth_pull_tau_s)
        k_refill = 1.0 - exp(-dt / sc.depth_refill_tau_s)
        basis_keep = exp(-dt / sc.basis_tau_s)
        k_trend = 1.0 - exp(-dt / sc.trend_tau_s)
        k_prem = 1.0 - exp(-dt / sc.premium_tau_s)
        crowd, trend_c = sc.crowd_premium, sc.trend_premium
        stress_close = sc.stress_close_rate
        start_ms = sc.start_ms
        t0_s = self._t0_s

        index, basis = st.index, st.basis
        bid_d, ask_d = st.bid_d, st.ask_d
        s_bid, s_ask, s_vol = st.stress_bid, st.stress_ask, st.stress_vol
        mark = index * (1.0 + basis)
        premium, log_trend = st.premium, st.log_trend
        scale_l, scale_s = st.scale_long, st.scale_short
        long_oi, short_oi = st.long_oi, st.short_oi
        pend_l, pend_s = st.pending_long_usd, st.pending_short_usd
        hi_long, lo_short = st.hi_long, st.lo_short

        o_ts, o_st = out["timestamp_ms"], out["scenario_time_s"]
        o_mark, o_index, o_fund = out["mark"], out["index"], out["funding_rate"]
        o_oi, o_loi, o_soi = out["open_interest"], out["long_oi"], out["short_oi"]
        o_ll, o_ls, o_llc, o_lsc = (
            out["liq_long_usd"],
            out["liq_short_usd"],
            out["liq_long_coin"],
            out["liq_short_coin"],
        )
        o_ol, o_os, o_cl, o_cs = (
            out["opened_long_coin"],
            out["opened_short_coin"],
            out["closed_long_coin"],
            out["closed_short_coin"],
        )
        o_b1, o_a1, o_b2, o_a2 = (
            out["bid_depth_1pct_usd"],
            out["ask_depth_1pct_usd"],
            out["bid_depth_2pct_usd"],
            out["ask_depth_2pct_usd"],
        )
        o_lsr = out["long_short_ratio"]

        for t in range(t0, t0 + n):
            # Market orders this step: last step's liquidations plus the scheduled exogenous flow.
            net_sell = pend_l - pend_s + flow_l[t]
            if net_sell >= 0.0:
                eff = base_bid * (bid_d + deep) * absorb
                s_in_bid, s_in_ask = net_sell / (base_bid * dt), 0.0
            else:
                eff = base_ask * (ask_d + deep) * absorb
                s_in_bid, s_in_ask = 0.0, -net_sell / (base_ask * dt)
            impact = -0.01 * net_sell / eff
            if impact > max_imp:
                impact = max_imp
            elif impact < -max_imp:
                impact = -max_imp
            index *= exp(drift_l[t] + beta * impact)
            basis = basis * basis_keep + (1.0 - beta) * impact
            new_mark = index * (1.0 + basis)
            # Quotes are pulled when price moves faster than normal: an EMA of the squared move in
            # units of the scenario's per-step variance, beyond 4 (normal noise averages 1).
            z2 = (log(new_mark / mark)) ** 2 * inv_var
            mark = new_mark

            # Liquidations: every bucket the mark has reached is swept whole.
            x = (log(mark) - log_p0) * inv_w
            jm = floor(x) + off
            if jm < 0:
                jm = 0
            elif jm > nb1:
                jm = nb1
            liq_lc = 0.0
            if jm <= hi_long:
                seg = longs[jm : hi_long + 1]
                raw = sum(seg)
                if raw > 0.0:
                    longs[jm : hi_long + 1] = [0.0] * len(seg)
                    liq_lc = raw * scale_l
                hi_long = jm - 1
            liq_sc = 0.0
            if jm >= lo_short:
                seg = shorts[lo_short : jm + 1]
                raw = sum(seg)
                if raw > 0.0:
                    shorts[lo_short : jm + 1] = [0.0] * len(seg)
                    liq_sc = raw * scale_s
                lo_short = jm + 1
            long_oi -= liq_lc
            short_oi -= liq_sc
            if long_oi < 0.0:
                long_oi = 0.0
            if short_oi < 0.0:
                short_oi = 0.0
            pend_l = liq_lc * mark
            pend_s = liq_sc * mark

            # Order books: stress is an EMA of one-sided flow per second against the book.
            s_bid += (s_in_bid - s_bid) * k_stress
            s_ask += (s_in_ask - s_ask) * k_stress
            s_vol += (z2 - s_vol) * k_stress
            excess_vol = vol_gain * (s_vol - 4.0) if s_vol > 4.0 else 0.0
            target = 1.0 / (1.0 + gain * s_bid + excess_vol)
            bid_d += (target - bid_d) * (k_pull if target < bid_d else k_refill)
            target = 1.0 / (1.0 + gain * s_ask + excess_vol)
            ask_d += (target - ask_d) * (k_pull if target < ask_d else k_refill)

            # Voluntary closes: proportional to every live position (scale factor), more under stress.
            c = close_l[t] + stress_close * dt * (s_bid + s_ask)
            if c > 0.5:
                c = 0.5
            closed_l = long_oi * c
            closed_s = short_oi * c
            long_oi -= closed_l
            short_oi -= closed_s
            scale_l *= 1.0 - c
            scale_s *= 1.0 - c

            # New positions at the mark, spread over the leverage ladder.
            ol = open_l[t]
            os_ = open_s[t]
            if ol > 0.0:
                raw = ol / scale_l
                for i in range(n_rungs):
                    j = floor(x + long_lf[i]) + off
                    if j < 0:
                        j = 0
                    longs[j] += raw * wl[i]
                    if j > hi_long:
                        hi_long = j
                long_oi += ol
            if os_ > 0.0:
                raw = os_ / scale_s
                for i in range(n_rungs):
                    j = floor(x + short_lf[i]) + off
                    if j > nb1:
                        j = nb1
                    shorts[j] += raw * wl[i]
                    if j < lo_short:
                        lo_short = j
                short_oi += os_

            # Funding: premium EMA of crowding, basis and trend; Binance-style interest clamp.
            oi = long_oi + short_oi
            lx = log(index)
            log_trend += (lx - log_trend) * k_trend
            p_target = basis + trend_c * (lx - log_trend)
            if oi > 0.0:
                p_target += crowd * (long_oi - short_oi) / oi
            premium += (p_target - premium) * k_prem
            if premium > 0.02:
                premium = 0.02
            elif premium < -0.02:
                premium = -0.02
            gap = FUNDING_INTEREST - premium
            if gap > FUNDING_CLAMP:
                gap = FUNDING_CLAMP
            elif gap < -FUNDING_CLAMP:
                gap = -FUNDING_CLAMP

            ts = t0_s + (t + 1) * dt
            o_ts[t] = int(start_ms + ts * 1000.0)
            o_st[t] = ts
            o_mark[t] = mark
            o_index[t] = index
            o_fund[t] = premium + gap
            o_oi[t] = oi
            o_loi[t] = long_oi
            o_soi[t] = short_oi
            o_ll[t] = pend_l
            o_ls[t] = pend_s
            o_llc[t] = liq_lc
            o_lsc[t] = liq_sc
            o_ol[t] = ol
            o_os[t] = os_
            o_cl[t] = closed_l
            o_cs[t] = closed_s
            o_b1[t] = base_bid * bid_d
            o_a1[t] = base_ask * ask_d
            o_b2[t] = base_bid * d2m * bid_d**0.6
            o_a2[t] = base_ask * d2m * ask_d**0.6
            o_lsr[t] = long_oi / short_oi if short_oi > 0.0 else math.inf

        st.index, st.basis = index, basis
        st.bid_d, st.ask_d = bid_d, ask_d
        st.stress_bid, st.stress_ask, st.stress_vol = s_bid, s_ask, s_vol
        st.premium, st.log_trend = premium, log_trend
        st.scale_long, st.scale_short = scale_l, scale_s
        st.long_oi, st.short_oi = long_oi, short_oi
        st.pending_long_usd, st.pending_short_usd = pend_l, pend_s
        st.hi_long, st.lo_short = hi_long, lo_short
        self._t = t0 + n


def simulate(scenario_or_name: Scenario | str, seed: int = 0, time_scale: float = 1.0) -> SimulationSeries:
    """Run a whole scenario; see the module docstring."""
    return Simulation(scenario_or_name, seed=seed, time_scale=time_scale).run()


# -- named scenarios ----------------------------------------------------------------------------------
def _hm(hours: int, minutes: int = 0, start_hour: int = 0) -> float:
    """Seconds from a scenario start at ``start_hour`` UTC to ``hours:minutes`` UTC the same day."""
    return (hours - start_hour) * 3600.0 + minutes * 60.0


def _oct_10_2025(
    absorption: float = 6.56,
    resilient_depth: float = 0.832,
    bleed_open_long: float = 3.6,
    accel_move: float = -0.0294,
    accel_flow: float = 3430000.0,
    peak_move: float = -0.00059,
    peak_flow: float = 47600000.0,
    crash_open_short: float = 25.3,
    rebound_move: float = 0.0197,
    depth_stress_gain: float = 37.9,
    depth_vol_gain: float = 5.63,
    crowd_premium: float = 0.00391,
    trend_premium: float = 0.043,
    after_close_rate: float = 2.66e-06,
    beta: float = 0.0548,
    basis_tau_s: float = 196.0,
) -> Scenario:
    """Oct 10 2025, 12:00 UTC + 24 h (cascade-indicators.md §5, §5.1): tariff headline 14:57, slow
    bleed, acceleration 20:50, peak minute 21:15, ADL bursts to 21:27, rebound, depressed OI after.

    Liquidation figures published for the whole market (Amberdata) are applied to one aggregate
    BTC-priced instrument whose open interest is BTC's ($49.5 B, Glassnode); the +-1 % bid book is
    BTC's on Binance ($244 M). See :func:`calibration` for simulated vs published.
    """

    def at(h: int, m: int = 0) -> float:
        return _hm(h, m, start_hour=12)

    p0 = 121_500.0
    return Scenario(
        name="oct-10-2025",
        start_ms=1_760_097_600_000,
        duration_s=86_400.0,
        initial_price=p0,
        initial_oi=49.5e9 / p0,
        long_share=0.6,
        entry_spread=0.04,
        entry_bias=-0.02,
        leverage=((10, 0.15), (20, 0.3), (25, 0.2), (50, 0.2), (100, 0.15)),
        initial_leverage=((1, 0.3), (2, 0.25), (3, 0.2), (5, 0.15), (10, 0.1)),
        absorption=absorption,
        resilient_depth=resilient_depth,
        beta=beta,
        basis_tau_s=basis_tau_s,
        depth_stress_gain=depth_stress_gain,
        depth_vol_gain=depth_vol_gain,
        crowd_premium=crowd_premium,
        trend_premium=trend_premium,
        sigma=1.6e-4,
        base_open_long=1.0,
        base_open_short=0.6,
        base_close_rate=2.5e-6,
        stress_close_rate=2e-7,
        bid_depth_1pct_usd=244e6,
        ask_depth_1pct_usd=230e6,
        phases=(
            Phase(at(14, 27), at(14, 57), open_short=6.0),
            Phase(at(14, 57), at(15, 10), index_move=-0.025, sell_flow_usd=2e6, vol_mult=2.0),
            Phase(at(15, 10), at(20, 50), index_move=-0.02, open_long=bleed_open_long, vol_mult=1.3),
            Phase(at(20, 50), at(21, 13), index_move=accel_move, sell_flow_usd=accel_flow, vol_mult=2.0),
            Phase(
                at(21, 13),
                at(21, 19),
                index_move=peak_move,
                sell_flow_usd=peak_flow,
                vol_mult=3.0,
                open_short=crash_open_short,
            ),
            Phase(at(21, 19), at(21, 27), index_move=rebound_move, sell_flow_usd=-10e6, vol_mult=4.0),
            Phase(at(21, 27), at(22, 30), index_move=0.02, sell_flow_usd=-2e6, open_long=0.3, vol_mult=2.0),
            Phase(
                at(22, 30),
                at(36, 0),
                open_long=0.4,
                open_short=0.5,
                close_rate=after_close_rate,
                vol_mult=1.6,
            ),
        ),
        published=(
            Published("peak 1-min liquidations", 3.21e9, "USD", "Amberdata: $3.21 B in the 21:15 minute"),
            Published("peak minute, minutes after 20:50", 25.0, "min", "Amberdata: peak minute 21:15"),
            Published("liquidations 20:50-21:30", 6.93e9, "USD", "Amberdata: $6.93 B in 40 min from 20:50"),
            Published("liquidations 13:00-03:00", 9.89e9, "USD", "Amberdata: $9.89 B in 14 h"),
            Published("long share 20:50-21:30", 0.839, "fraction", "Amberdata: 83.9 % longs"),
            Published("worst 5-min move", -0.076, "fraction", "Binance BTC 5-min 21:15 O 112,209 L 103,800"),
            Published("low vs start", 104_500.0 / p0 - 1.0, "fraction", "BTC $121-122 k -> low $102-107 k"),
            Published(
                "OI (USD) change within 12 h", -0.22, "fraction", "Glassnode: BTC OI $49.5 B -> $38.8 B"
            ),
            Published("+-1 % bid depth collapse", 114.0, "x", "min66633 DEPTH_FINDINGS: $244 M -> $2.14 M"),
            Published("worst basis", -0.05, "fraction", "BTCUSDT perp ~5 % under spot"),
            Published("funding before (14:00)", 0.00037, "per 8 h", "~40 % APR before (CoinDesk)"),
            Published("funding 3 h after peak", math.nan, "per 8 h", "negative after; sign only"),
        ),
    )


def _may_19_2021(
    absorption: float = 55.2,
    resilient_depth: float = 1.21,
    beta: float = 0.078,
    bleed_open_long: float = 0.134,
    crash1_flow: float = 345000.0,
    crash1_move: float = -0.0347,
    crash2_flow: float = 36100000.0,
    crash2_move: float = -0.0843,
    rebound_move: float = 0.17,
    depth_stress_gain: float = 29.0,
    crowd_premium: float = 0.00607,
    trend_premium: float = 0.05,
    after_close_rate: float = 8.83e-07,
) -> Scenario:
    """May 19 2021, 00:00 UTC + 24 h (cascade-indicators.md §5): BTC $43.8 k -> $30.1 k at 13:05,
    Binance 5-min bars 12:50 -7.6 %, 13:05 -10.2 %, then +7.1 % and +9.0 %; BTC liquidations
    $3.57 B in 24 h; BTC futures OI -25.9 % (USD); funding high before, negative after.
    """
    p0 = 43_800.0
    return Scenario(
        name="may-19-2021",
        start_ms=1_621_382_400_000,
        duration_s=86_400.0,
        initial_price=p0,
        initial_oi=17.4e9 / p0,
        long_share=0.58,
        entry_spread=0.06,
        entry_bias=0.0,
        leverage=((2, 0.15), (5, 0.2), (10, 0.25), (20, 0.2), (50, 0.12), (100, 0.08)),
        initial_leverage=((1, 0.4), (2, 0.3), (3, 0.1), (5, 0.1), (10, 0.1)),
        sigma=2.5e-4,
        base_open_long=0.4,
        base_open_short=0.3,
        base_close_rate=3e-6,
        stress_close_rate=2e-7,
        bid_depth_1pct_usd=60e6,
        ask_depth_1pct_usd=55e6,
        absorption=absorption,
        resilient_depth=resilient_depth,
        beta=beta,
        depth_stress_gain=depth_stress_gain,
        crowd_premium=crowd_premium,
        trend_premium=trend_premium,
        trend_tau_s=12 * 3600.0,
        phases=(
            Phase(_hm(0), _hm(7), index_move=-0.05, vol_mult=1.2),
            Phase(
                _hm(7),
                _hm(12),
                index_move=-0.12,
                sell_flow_usd=0.5e6,
                open_long=bleed_open_long,
                vol_mult=1.5,
            ),
            Phase(_hm(12), _hm(12, 45), index_move=-0.04, open_long=bleed_open_long, vol_mult=2.0),
            Phase(_hm(12, 45), _hm(12, 55), index_move=crash1_move, sell_flow_usd=crash1_flow, vol_mult=3.0),
            Phase(_hm(12, 55), _hm(13, 0), index_move=0.01, vol_mult=3.0),
            Phase(_hm(13, 0), _hm(13, 6), index_move=crash2_move, sell_flow_usd=crash2_flow, vol_mult=3.0),
            Phase(_hm(13, 6), _hm(13, 20), index_move=rebound_move, sell_flow_usd=-6e6, vol_mult=3.0),
            Phase(
                _hm(13, 20),
                _hm(24),
                index_move=0.03,
                open_long=0.2,
                close_rate=after_close_rate,
                vol_mult=1.8,
            ),
        ),
        published=(
            Published("liquidations 24 h", 3.57e9, "USD", "BTC $3.57 B / 24 h (cryptonews.com.au)"),
            Published("worst 5-min move", -0.102, "fraction", "Binance 5-min 13:05 -10.2 % (HMM audit doc)"),
            Published(
                "best 10-min rebound after low", 1.071 * 1.090 - 1.0, "fraction", "13:10 +7.1 %, 13:15 +9.0 %"
            ),
            Published("low vs start", 30_101.0 / p0 - 1.0, "fraction", "$43.8 k -> 30,101"),
            Published("OI (USD) change 24 h", -0.259, "fraction", "BTC futures OI -25.9 % to $12.9 B"),
            Published("funding 3 h after low", math.nan, "per 8 h", "negative after; sign only"),
        ),
    )


def _calm() -> Scenario:
    """A quiet day: balanced positioning, baseline funding, no shock."""
    return Scenario(
        name="calm",
        start_ms=1_761_955_200_000,
        duration_s=86_400.0,
        initial_price=100_000.0,
        initial_oi=100_000.0,
        long_share=0.5,
        leverage=((2, 0.3), (5, 0.3), (10, 0.3), (20, 0.1)),
        initial_leverage=((1, 0.3), (2, 0.3), (5, 0.2), (10, 0.15), (20, 0.05)),
        min_initial_distance=0.02,
        sigma=1.0e-4,
        base_open_long=0.25,
        base_open_short=0.25,
        base_close_rate=5e-6,  # opens 0.5 coin/s = closes at 100,000 coin: OI stays put
        crowd_premium=0.002,
    )


_BUILDERS = {"oct-10-2025": _oct_10_2025, "may-19-2021": _may_19_2021, "calm": _calm}


def scenario(name: str) -> Scenario:
    """The named scenario's parameters; ``ValueError`` naming the unknown name otherwise."""
    try:
        return _BUILDERS[name]()
    except KeyError:
        raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, got {name!r}") from None


# -- calibration ---------------------------------------------------------------------------------------
def _window_sum(series: SimulationSeries, values: np.ndarray, a_s: float, b_s: float) -> float:
    on = (series.scenario_time_s > a_s) & (series.scenario_time_s <= b_s)
    return float(values[on].sum())


def _rolling_sum_max(series: SimulationSeries, values: np.ndarray, window_s: float) -> float:
    csum = np.concatenate(([0.0], np.cumsum(values)))
    k = max(1, round(window_s / series.time_scale))
    return float((csum[k:] - csum[:-k]).max()) if len(values) >= k else float(csum[-1])


def _peak_window_start(series: SimulationSeries, values: np.ndarray, window_s: float) -> float:
    """Scenario time (s) at which the ``window_s`` window with the largest sum starts."""
    csum = np.concatenate(([0.0], np.cumsum(values)))
    k = max(1, round(window_s / series.time_scale))
    i = int(np.argmax(csum[k:] - csum[:-k])) if len(values) >= k else 0
    return float(series.scenario_time_s[i] - series.time_scale)


def _worst_move(series: SimulationSeries, window_s: float, sign: int) -> float:
    """Most negative (sign -1) or positive (+1) move from a row to any later row within ``window_s``."""
    k = max(1, round(window_s / series.time_scale))
    m = series.mark
    best = 0.0
    for lag in range(1, k + 1):
        r = m[lag:] / m[:-lag] - 1.0
        if r.size:
            best = min(best, float(r.min())) if sign < 0 else max(best, float(r.max()))
    return best


def _simulated_metric(series: SimulationSeries, sc: Scenario, metric: str) -> float:
    st = series.scenario_time_s
    liq = series.liq_long_usd + series.liq_short_usd
    oi_usd = series.open_interest * series.mark
    oi0_usd = sc.initial_oi * sc.initial_price
    hour = 3600.0
    peak_t = float(st[int(np.argmax(liq))]) if len(liq) else 0.0
    if sc.name == "oct-10-2025":
        a, b = _hm(20, 50, 12), _hm(21, 30, 12)
        table = {
            "peak 1-min liquidations": lambda: _rolling_sum_max(series, liq, 60.0),
            "peak minute, minutes after 20:50": lambda: (_peak_window_start(series, liq, 60.0) - a) / 60.0,
            "liquidations 20:50-21:30": lambda: _window_sum(series, liq, a, b),
            "liquidations 13:00-03:00": lambda: _window_sum(series, liq, _hm(13, 0, 12), _hm(27, 0, 12)),
            "long share 20:50-21:30": lambda: (
                _window_sum(series, series.liq_long_usd, a, b) / max(_window_sum(series, liq, a, b), 1e-9)
            ),
            "low vs start": lambda: float(series.mark.min()) / sc.initial_price - 1.0,
            "OI (USD) change within 12 h": lambda: (
                float(oi_usd[st <= _hm(14, 57, 12) + 12 * hour].min()) / oi0_usd - 1
            ),
            "+-1 % bid depth collapse": lambda: (
                float(np.median(series.bid_depth_1pct_usd[(st > a - hour) & (st <= a)]))
                / float(series.bid_depth_1pct_usd.min())
            ),
            "funding before (14:00)": lambda: float(series.funding_rate[np.searchsorted(st, _hm(14, 0, 12))]),
        }
    elif sc.name == "may-19-2021":
        low_t = float(st[int(np.argmin(series.mark))])
        table = {
            "liquidations 24 h": lambda: float(liq.sum()),
            "best 10-min rebound after low": lambda: float(
                series.mark[(st >= low_t) & (st <= low_t + 600)].max() / series.mark.min() - 1.0
            ),
            "low vs start": lambda: float(series.mark.min()) / sc.initial_price - 1.0,
            "OI (USD) change 24 h": lambda: float(oi_usd[-1]) / oi0_usd - 1.0,
            "funding 3 h after low": lambda: float(
                series.funding_rate[min(len(st) - 1, int(np.searchsorted(st, low_t + 3 * hour)))]
            ),
        }
    else:
        table = {}
    table["worst 5-min move"] = lambda: _worst_move(series, 300.0, -1)
    table["worst basis"] = lambda: float(series.basis.min())
    table["funding 3 h after peak"] = lambda: float(
        series.funding_rate[min(len(st) - 1, int(np.searchsorted(st, peak_t + 3 * hour)))]
    )
    return table[metric]()


def calibration(series: SimulationSeries, sc: Scenario | str) -> list[CalibrationRow]:
    """Each published figure of the scenario beside the simulated one (same definition of window).

    ``series`` must be a full run of ``sc`` (any ``time_scale``; ``start_offset_s`` 0).
    """
    sc = scenario(sc) if isinstance(sc, str) else sc
    return [
        CalibrationRow(p.metric, p.value, _simulated_metric(series, sc, p.metric), p.unit, p.source)
        for p in sc.published
    ]


def calibration_table(rows: list[CalibrationRow]) -> str:
    """Plain-text table of :func:`calibration` rows."""
    lines = [f"{'metric':34} {'published':>14} {'simulated':>14} {'sim/pub':>8}  unit"]
    for r in rows:
        pub = f"{r.published:14.5g}" if math.isfinite(r.published) else f"{'< 0':>14}"
        ratio = (
            f"{r.ratio:8.2f}" if math.isfinite(r.ratio) else f"{'sign ok' if r.simulated < 0 else 'WRONG':>8}"
        )
        lines.append(f"{r.metric:34} {pub} {r.simulated:14.5g} {ratio}  {r.unit}")
    return "\n".join(lines)
