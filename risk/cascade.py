"""Streaming cascade indicators, composite score and regime for one symbol (cascade-indicators.md §2-§6).

Pure: no clock, every update takes its timestamp (epoch milliseconds) as an argument.

Usage::

    mon = CascadeMonitor("BTC/USDT:USDT")
    events = mon.update(ts_ms, mark_price=..., liq_long_usd=..., bid_depth_1pct_usd=...)  # any subset
    events += mon.update_many(ts_array, mark_price=mark_array, ...)   # the same, vectorised
    events += mon.flush()               # close the open minute (end of a replay)
    mon.reading                         # latest CascadeReading: score, components, regime, missing

Time base
---------
Rows are folded into **1-minute bars** (minute = ``timestamp_ms // 60_000``): liquidations are summed,
mark/index/funding/OI/long-short are the last value in the minute, depth is the minimum in the minute
(a sub-minute collapse must not be averaged away). A bar is evaluated when the first row of a later
minute arrives (or on :meth:`CascadeMonitor.flush`); a row older than the open minute is folded into
the open minute. Minutes without rows count as zero liquidations, and state inputs (mark, OI, depth,
...) carry their last value forward for at most their ``max_age`` (``CascadeConfig``); older is
"missing". Per row the work is O(1); per minute a fixed amount (medians and percentiles over
fixed-size ring buffers: 60 depth bars, 2,160 hourly funding and long/short samples), so updates are
O(1) amortised. ``update`` and ``update_many`` give identical results.

Indicators (``Indicators``, ``None`` where an input is missing)
----------------------------------------------------------------
* funding: per 8 h (``rate * 8 / interval_hours``, hourly venues normalised), annualised
  (``* 3 * 365``), percentile of the current value in the trailing 90 days of hourly samples.
* open-interest change over 1 h / 4 h / 24 h, coin units, a fraction (over the history available, at
  least a quarter of the window, when the window is not yet full).
* liquidation burst: each side's 1-minute liquidated USD as a multiple of its trailing 7-day per-minute
  mean (floored at ``baseline_floor_usd``); a burst needs ``liq_floor_usd`` in the minute.
* depth collapse: the 60-minute median of bid/ask depth within +-1 % and +-2 % divided by the current
  bar's depth (>1 means thinner than usual).
* basis: ``(mark - index) / index``.
* long/short ratio: the value and its percentile vs its trailing 90 days of hourly samples.
  (Percentiles need ``percentile_min_samples`` = 7 days of hourly samples; until then the funding and
  long/short components use fixed levels only: |APR| 20-50 %, |ln ratio| 0.1-0.5.)
* price move: 15-minute log return, and in sigmas of the trailing 24 h of 1-minute returns.

Score and regime
----------------
Each component is scored 0..1 (thresholds in :class:`CascadeConfig`); the composite is
``100 * sum(w_i c_i) / sum(w_i)`` over the components whose inputs are present (the reading lists the
missing ones). "Loaded" components: funding, OI build-up, long/short skew; "firing" components:
liquidation burst, depth collapse (bid side when price falls, ask side when it rises), basis, move.
Regimes, with hysteresis (enter and exit thresholds differ; minimum dwell times):

* calm -> loaded: loaded sub-score >= ``loaded_enter``; loaded -> calm below ``loaded_exit``.
* any -> firing: firing sub-score >= ``firing_enter`` **and** an absolute floor (liquidations in the
  minute >= ``liq_floor_usd`` or a 15-minute move >= ``move_floor``), so quiet-tape z-scores cannot fire.
* firing -> exhausting: liquidations fall back (<= max(``liq_floor_usd``, 5 % of the cascade's peak
  minute) for ``exhaust_minutes`` bars), price holds (no new extreme for ``hold_minutes`` bars) and
  depth refills (collapse ratio < 3), each where its input is present; funding normalising (a long
  flush: <= half its level at the start of the cascade, or <= 0.01 %/8h) is reported when it holds.
* exhausting -> calm (or loaded) after ``exhaust_dwell_minutes`` without firing; exhausting -> firing
  on a second leg (firing conditions with a new extreme price).

Component details (``Component.detail``, the alert reasons) are put into words only when read.

Alerts are events on transitions: loaded "warning", firing "critical", exhausting and calm "info",
with the reasons (top contributions, end signals, missing inputs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Regime = Literal["calm", "loaded", "firing", "exhausting"]
Level = Literal["info", "warning", "critical"]
REGIME_LEVEL: dict[str, Level] = {
    "calm": "info",
    "loaded": "warning",
    "firing": "critical",
    "exhausting": "info",
}

MINUTE_MS = 60_000
INPUTS: tuple[str, ...] = (
    "mark_price",
    "index_price",
    "funding_rate",
    "open_interest",
    "liq_long_usd",
    "liq_short_usd",
    "bid_depth_1pct_usd",
    "ask_depth_1pct_usd",
    "bid_depth_2pct_usd",
    "ask_depth_2pct_usd",
    "long_short_ratio",
)
"""Keyword inputs of :meth:`CascadeMonitor.update` (``funding_interval_hours`` is separate)."""
_STATE_INPUTS = (
    "mark_price",
    "index_price",
    "funding_rate",
    "open_interest",
    "bid_depth_1pct_usd",
    "ask_depth_1pct_usd",
    "bid_depth_2pct_usd",
    "ask_depth_2pct_usd",
    "long_short_ratio",
)
_DEPTH = _STATE_INPUTS[4:8]
COMPONENTS: tuple[str, ...] = (
    "funding",
    "oi_buildup",
    "long_short",
    "liquidations",
    "depth",
    "basis",
    "move",
)
_LOADED = ("funding", "oi_buildup", "long_short")
_FIRING = ("liquidations", "depth", "basis", "move")


@dataclass(frozen=True, slots=True)
class CascadeConfig:
    """Thresholds (cascade-indicators.md §4 "starting points, to be tuned on replay").

    Money in USD, moves and rates as fractions, times in minutes unless named otherwise.
    """

    weights: tuple[tuple[str, float], ...] = (
        ("funding", 15.0),
        ("oi_buildup", 15.0),
        ("long_short", 10.0),
        ("liquidations", 20.0),
        ("depth", 15.0),
        ("basis", 10.0),
        ("move", 15.0),
    )
    funding_apr_low: float = 0.20
    """|APR| at which the funding component starts (baseline 0.01 %/8h = 10.95 % APR scores 0)."""
    funding_apr_high: float = 0.50
    percentile_min_samples: int = 168
    """Hourly samples (7 days) before a percentile is trusted over the fixed levels."""
    oi_build_1h: float = 0.03
    oi_build_4h: float = 0.06
    oi_build_24h: float = 0.12
    ls_log_low: float = 0.1
    ls_log_high: float = 0.5
    liq_floor_usd: float = 5e6
    """Absolute floor: 1-minute liquidations below it never count as a burst (§2.3, §4)."""
    baseline_floor_usd: float = 1e5
    """Floor of the 7-day per-minute baseline (a new or very quiet symbol)."""
    liq_multiple_high: float = 50.0
    depth_ratio_high: float = 20.0
    basis_low: float = 0.002
    basis_high: float = 0.02
    move_sigma_low: float = 3.0
    move_sigma_high: float = 10.0
    move_floor: float = 0.03
    """Absolute floor: a 15-minute move of 300 bp (§4)."""
    loaded_enter: float = 0.6
    loaded_exit: float = 0.45
    firing_enter: float = 0.4
    exhaust_minutes: int = 5
    hold_minutes: int = 5
    exhaust_dwell_minutes: int = 60
    max_age_minutes: tuple[tuple[str, int], ...] = (
        ("mark_price", 5),
        ("index_price", 5),
        ("funding_rate", 9 * 60),
        ("open_interest", 120),
        ("bid_depth_1pct_usd", 5),
        ("ask_depth_1pct_usd", 5),
        ("bid_depth_2pct_usd", 5),
        ("ask_depth_2pct_usd", 5),
        ("long_short_ratio", 120),
    )


@dataclass(frozen=True, slots=True)
class Indicators:
    """Indicator values at the end of one minute bar; ``None`` where the input is missing."""

    funding_8h: float | None = None
    funding_apr: float | None = None
    funding_percentile: float | None = None
    oi: float | None = None
    oi_change_1h: float | None = None
    oi_change_4h: float | None = None
    oi_change_24h: float | None = None
    liq_long_1m_usd: float | None = None
    liq_short_1m_usd: float | None = None
    liq_long_multiple: float | None = None
    liq_short_multiple: float | None = None
    bid_collapse_1pct: float | None = None
    ask_collapse_1pct: float | None = None
    bid_collapse_2pct: float | None = None
    ask_collapse_2pct: float | None = None
    basis: float | None = None
    long_short_ratio: float | None = None
    long_short_percentile: float | None = None
    move_15m: float | None = None
    move_sigma: float | None = None


def _describe_funding(f8: float, apr: float, pct: float | None) -> str:
    p = "" if pct is None else f", p{pct * 100:.0f}"
    return f"funding {f8 * 100:.4f} %/8h ({apr * 100:.0f} % APR{p})"


def _describe_move(move: float, sigma: float | None) -> str:
    s = "" if sigma is None else f" ({sigma:+.1f} sigma)"
    return f"price {move * 100:+.1f} % in 15 min{s}"


_DESCRIBE = {
    "funding": _describe_funding,
    "oi_buildup": lambda ch, label: f"open interest {ch * 100:+.1f} % in {label} (coin)",
    "long_short": lambda r: f"long/short ratio {r:.2f}",
    "liquidations": lambda usd, side, mult: (
        f"liquidations {_fmt_usd(usd)} {side} in 1 min = {mult:.0f}x 7-day normal"
    ),
    "depth": lambda side, band, ratio: f"{side} depth +-{band} % {ratio:.1f}x below its 60-min median",
    "basis": lambda b: f"basis {b * 100:+.2f} % (mark vs index)",
    "move": _describe_move,
}


@dataclass(frozen=True, slots=True)
class Component:
    """One component of the score: ``value`` 0..1, ``points`` its share of the 0-100 score, ``facts``
    the numbers behind it (``detail`` puts them in words, only when asked: most minutes nobody reads
    them)."""

    name: str
    value: float
    weight: float
    points: float
    facts: tuple

    @property
    def detail(self) -> str:
        return _DESCRIBE[self.name](*self.facts)


@dataclass(frozen=True, slots=True)
class CascadeReading:
    """State after the last evaluated minute bar (``timestamp_ms`` = the bar's end)."""

    timestamp_ms: int
    symbol: str
    score: float
    regime: Regime
    components: tuple[Component, ...]
    missing: tuple[str, ...]
    indicators: Indicators
    loaded_score: float | None
    firing_score: float | None

    def reasons(self, top: int = 3) -> tuple[str, ...]:
        """The ``top`` largest contributions, as text."""
        ranked = sorted((c for c in self.components if c.points > 0.05), key=lambda c: -c.points)
        return tuple(f"{c.detail} (+{c.points:.0f})" for c in ranked[:top])


@dataclass(frozen=True, slots=True)
class CascadeEvent:
    """A regime transition."""

    timestamp_ms: int
    symbol: str
    regime: Regime
    previous: Regime
    score: float
    level: Level
    reasons: tuple[str, ...]


class _Ring:
    """Fixed-size float ring buffer: O(1) push and lookback; running sum, sum of squares and count of
    the finite values held (recomputed exactly once per ``size`` pushes so rounding cannot drift)."""

    __slots__ = ("buf", "count", "head", "n_finite", "pushes", "since_exact", "size", "total", "total_sq")

    def __init__(self, size: int) -> None:
        self.size = size
        self.buf = np.full(size, math.nan)
        self.head = 0  # next write position
        self.count = 0
        self.total = 0.0
        self.total_sq = 0.0
        self.n_finite = 0
        self.since_exact = 0
        self.pushes = 0  # ever pushed; a cache key

    def push(self, x: float) -> None:
        buf, h = self.buf, self.head
        if self.count == self.size:
            old = float(buf[h])
            if old == old:
                self.total -= old
                self.total_sq -= old * old
                self.n_finite -= 1
        else:
            self.count += 1
        buf[h] = x
        if x == x:
            self.total += x
            self.total_sq += x * x
            self.n_finite += 1
        self.head = h + 1 if h + 1 < self.size else 0
        self.pushes += 1
        self.since_exact += 1
        if self.since_exact >= self.size:
            self._exact()

    def _exact(self) -> None:
        vals = self.values()
        finite = vals[np.isfinite(vals)]
        self.total = float(finite.sum())
        self.total_sq = float((finite * finite).sum())
        self.n_finite = int(finite.size)
        self.since_exact = 0

    def push_repeat(self, x: float, k: int) -> None:
        """Push ``x`` k times in O(min(k, size))."""
        if k <= 0:
            return
        k_eff = min(k, self.size)
        if k_eff < 8:
            for _ in range(k_eff):
                self.push(x)
            return
        idx = (self.head + np.arange(k_eff)) % self.size
        self.buf[idx] = x
        self.head = int((self.head + k_eff) % self.size)
        self.count = min(self.size, self.count + k_eff)
        self.pushes += k
        self._exact()

    def ago(self, k: int) -> float:
        """Value pushed k pushes ago (0 = latest); NaN when not held."""
        if k >= self.count:
            return math.nan
        return float(self.buf[(self.head - 1 - k) % self.size])

    def oldest(self) -> tuple[float, int]:
        """Oldest value held and how many pushes ago it was."""
        return self.ago(self.count - 1), self.count - 1

    def values(self) -> np.ndarray:
        """Held values in storage order (order does not matter for sums, medians and percentiles)."""
        return self.buf if self.count == self.size else self.buf[: self.count]

    def mean(self) -> float:
        return self.total / self.n_finite if self.n_finite else math.nan

    def std(self) -> float:
        """Population standard deviation of the finite values."""
        if not self.n_finite:
            return math.nan
        m = self.total / self.n_finite
        return math.sqrt(max(self.total_sq / self.n_finite - m * m, 0.0))


class _DepthRing:
    """The last 60 minute bars of the four depth series, one row per bar; medians in one call."""

    __slots__ = ("buf", "count", "head")

    def __init__(self, size: int = 60) -> None:
        self.buf = np.full((size, len(_DEPTH)), math.nan)
        self.head = 0
        self.count = 0

    def medians(self) -> np.ndarray:
        """Per-series median of the held bars (NaN where a series has fewer than 5 values)."""
        vals = self.buf[: self.count]
        if self.count >= 5 and not np.isnan(vals).any():
            n = self.count
            if n % 2:
                return np.partition(vals, n // 2, axis=0)[n // 2].copy()
            part = np.partition(vals, (n // 2 - 1, n // 2), axis=0)
            return 0.5 * (part[n // 2 - 1] + part[n // 2])
        out = np.full(len(_DEPTH), math.nan)
        for j in range(len(_DEPTH)):
            col = vals[:, j]
            col = col[~np.isnan(col)]
            if col.size >= 5:
                out[j] = float(np.median(col))
        return out

    def push(self, row: list[float]) -> None:
        self.buf[self.head] = row
        self.head = (self.head + 1) % self.buf.shape[0]
        self.count = min(self.count + 1, self.buf.shape[0])


def _clip01(x: float) -> float:
    return 0.0 if x <= 0.0 else (1.0 if x >= 1.0 else x)


def _ramp(x: float, low: float, high: float) -> float:
    return _clip01((x - low) / (high - low))


def _percentile_of(values: np.ndarray, x: float) -> float | None:
    """Fraction of the finite values below x, ties counted half."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    below = np.count_nonzero(finite < x)
    equal = np.count_nonzero(finite == x)
    return (below + 0.5 * equal) / finite.size


def _fmt_usd(x: float) -> str:
    ax = abs(x)
    if ax >= 1e9:
        return f"${x / 1e9:.2f} B"
    if ax >= 1e6:
        return f"${x / 1e6:.1f} M"
    if ax >= 1e3:
        return f"${x / 1e3:.0f} k"
    return f"${x:.0f}"


class CascadeMonitor:
    """Streaming indicators, score and regime for one symbol; see the module docstring."""

    def __init__(
        self, symbol: str, funding_interval_hours: float = 8.0, config: CascadeConfig | None = None
    ) -> None:
        if not isinstance(symbol, str) or not symbol:
            raise ValueError(f"symbol must be a non-empty string, got {symbol!r}")
        self.symbol = symbol
        self.config = cfg = config or CascadeConfig()
        self.funding_interval_hours = self._interval(funding_interval_hours)
        self._weights = dict(cfg.weights)
        self._max_age = dict(cfg.max_age_minutes)
        # Open-minute accumulator.
        self._minute: int | None = None
        self._acc_liq_long = 0.0
        self._acc_liq_short = 0.0
        self._liq_seen = False  # a liquidation input (even 0) has been given
        self._acc: dict[str, float] = {}
        # Last known state values and the minute they were seen.
        self._last: dict[str, float] = {}
        self._seen: dict[str, int] = {}
        self._last_closed: int | None = None
        # Rings (one slot per minute unless named).
        self._mark = _Ring(24 * 60 + 1)
        self._ret = _Ring(24 * 60)
        self._oi = _Ring(24 * 60 + 1)
        self._liq_long = _Ring(7 * 24 * 60)
        self._liq_short = _Ring(7 * 24 * 60)
        self._depth = _DepthRing(60)
        self._pct_cache: dict[str, tuple[float, int, float | None]] = {}
        self._funding_hourly = _Ring(90 * 24)
        self._ls_hourly = _Ring(90 * 24)
        # Regime state.
        self._regime: Regime = "calm"
        self._regime_since = 0
        self._direction = -1  # -1: long flush (price falling), +1: short squeeze
        self._extreme = math.nan
        self._since_extreme = 0
        self._cascade_peak = 0.0
        self._quiet_minutes = 0
        self._funding_at_fire: float | None = None
        self.reading: CascadeReading | None = None
        self.minutes_evaluated = 0
        self.max_score = 0.0
        self.max_score_timestamp_ms: int | None = None

    # -- input -------------------------------------------------------------------------------------
    @staticmethod
    def _interval(hours: float) -> float:
        h = float(hours)
        if not (math.isfinite(h) and h > 0):
            raise ValueError(f"funding_interval_hours must be > 0, got {hours!r}")
        return h

    def update(
        self,
        timestamp_ms: int,
        *,
        funding_interval_hours: float | None = None,
        **inputs: float | None,
    ) -> list[CascadeEvent]:
        """Add one row (any subset of :data:`INPUTS`; ``None``/NaN = missing). Returns the events of
        any minute bars this row closes. Liquidations are USD since the previous row, >= 0."""
        ts = int(timestamp_ms)
        minute = ts // MINUTE_MS
        events: list[CascadeEvent] = []
        if self._minute is None:
            self._minute = minute
        elif minute > self._minute:
            events = self._close(minute)
        acc = self._acc
        for name, value in inputs.items():
            if value is None:
                continue
            x = float(value)
            if x != x:
                continue
            if name == "liq_long_usd" or name == "liq_short_usd":
                if x < 0:
                    raise ValueError(f"{name} must be >= 0, got {value!r}")
                self._liq_seen = True
                if name == "liq_long_usd":
                    self._acc_liq_long += x
                else:
                    self._acc_liq_short += x
            elif name in _DEPTH:
                prev = acc.get(name)
                acc[name] = x if prev is None or x < prev else prev
            elif name in _STATE_INPUTS:
                if name == "funding_rate":
                    interval = (
                        self.funding_interval_hours
                        if funding_interval_hours is None
                        else self._interval(funding_interval_hours)
                    )
                    x = x * 8.0 / interval
                acc[name] = x
            else:
                raise ValueError(f"unknown input {name!r}; expected one of {', '.join(INPUTS)}")
        return events

    def update_many(
        self,
        timestamp_ms: np.ndarray,
        *,
        funding_interval_hours: np.ndarray | float | None = None,
        **inputs: np.ndarray,
    ) -> list[CascadeEvent]:
        """Vectorised :meth:`update` over rows in time order (same results). Arrays of equal length;
        NaN = missing."""
        ts = np.asarray(timestamp_ms, dtype=np.int64)
        n = ts.shape[0]
        if n == 0:
            return []
        if np.any(np.diff(ts) < 0):
            i = int(np.flatnonzero(np.diff(ts) < 0)[0]) + 1
            raise ValueError(f"timestamp_ms must be non-decreasing, row {i} goes back to {int(ts[i])}")
        cols: dict[str, np.ndarray] = {}
        for name, arr in inputs.items():
            if name not in INPUTS:
                raise ValueError(f"unknown input {name!r}; expected one of {', '.join(INPUTS)}")
            if arr is None:
                continue
            a = np.asarray(arr, dtype=np.float64)
            if a.shape != (n,):
                raise ValueError(f"{name} must have shape ({n},), got {a.shape}")
            cols[name] = a
        for name in ("liq_long_usd", "liq_short_usd"):
            if name in cols and np.any(cols[name] < 0):
                i = int(np.flatnonzero(cols[name] < 0)[0])
                raise ValueError(f"{name}[{i}] must be >= 0, got {cols[name][i]!r}")
        if "funding_rate" in cols:
            if funding_interval_hours is None:
                interval = np.full(n, self.funding_interval_hours)
            else:
                interval = np.broadcast_to(np.asarray(funding_interval_hours, dtype=np.float64), (n,))
                bad = ~(np.isfinite(interval) & (interval > 0))
                if np.any(bad):
                    i = int(np.flatnonzero(bad)[0])
                    raise ValueError(f"funding_interval_hours[{i}] must be > 0, got {interval[i]!r}")
            cols["funding_rate"] = cols["funding_rate"] * 8.0 / interval

        minutes = ts // MINUTE_MS
        starts = np.concatenate(([0], np.flatnonzero(np.diff(minutes)) + 1))
        group_minutes = minutes[starts]
        idx = np.arange(n)
        agg: dict[str, np.ndarray] = {}
        liq_seen = np.zeros(starts.shape[0], dtype=bool)
        for name, a in cols.items():
            valid = ~np.isnan(a)
            if name in ("liq_long_usd", "liq_short_usd"):
                agg[name] = np.add.reduceat(np.where(valid, a, 0.0), starts)
                liq_seen |= np.logical_or.reduceat(valid, starts)
            elif name in _DEPTH:
                agg[name] = np.fmin.reduceat(a, starts)
            else:
                last = np.maximum.reduceat(np.where(valid, idx, -1), starts)
                agg[name] = np.where(last >= 0, a[np.maximum(last, 0)], np.nan)
        events: list[CascadeEvent] = []
        names = list(agg)
        columns = [agg[name].tolist() for name in names]
        liq_l = agg.pop("liq_long_usd", None)
        liq_s = agg.pop("liq_short_usd", None)
        liq_l_list = liq_l.tolist() if liq_l is not None else None
        liq_s_list = liq_s.tolist() if liq_s is not None else None
        first_liq = int(np.argmax(liq_seen)) if liq_seen.any() else -1
        state_pos = [(i, name) for i, name in enumerate(names) if name in _STATE_INPUTS]
        for g, minute in enumerate(group_minutes.tolist()):
            if self._minute is None:
                self._minute = minute
            elif minute > self._minute:
                events.extend(self._close(minute))
            if g == first_liq:
                self._liq_seen = True
            if liq_l_list is not None:
                self._acc_liq_long += liq_l_list[g]
            if liq_s_list is not None:
                self._acc_liq_short += liq_s_list[g]
            acc = self._acc
            for i, name in state_pos:
                x = columns[i][g]
                if x != x:
                    continue
                if name in _DEPTH:
                    prev = acc.get(name)
                    acc[name] = x if prev is None or x < prev else prev
                else:
                    acc[name] = x
        return events

    def flush(self) -> list[CascadeEvent]:
        """Evaluate the open minute bar now (end of a replay)."""
        if self._minute is None:
            return []
        return self._close(self._minute + 1)

    # -- evaluation ----------------------------------------------------------------------------------
    def _close(self, next_minute: int) -> list[CascadeEvent]:
        """Evaluate the open minute, fill any empty minutes before ``next_minute``, open it."""
        minute = self._minute
        assert minute is not None
        gap = 0 if self._last_closed is None else minute - self._last_closed - 1
        if gap > 0:
            self._fill_gap(gap)
        events = self._evaluate(minute)
        self._last_closed = minute
        self._acc = {}
        self._acc_liq_long = 0.0
        self._acc_liq_short = 0.0
        self._minute = next_minute
        return events

    def _fill_gap(self, k: int) -> None:
        """Minutes with no rows: zero liquidations, state carried forward (variance-preserving)."""
        self._liq_long.push_repeat(0.0, k)
        self._liq_short.push_repeat(0.0, k)
        last_mark = self._mark.ago(0)
        self._mark.push_repeat(last_mark, k)
        self._ret.push_repeat(0.0 if last_mark == last_mark else math.nan, k)
        self._oi.push_repeat(self._oi.ago(0), k)

    def _state(self, name: str, minute: int) -> float | None:
        x = self._acc.get(name)
        if x is not None:
            self._last[name] = x
            self._seen[name] = minute
            return x
        seen = self._seen.get(name)
        if seen is not None and minute - seen <= self._max_age[name]:
            return self._last[name]
        return None

    def _evaluate(self, minute: int) -> list[CascadeEvent]:
        cfg = self.config
        ts_end = (minute + 1) * MINUTE_MS
        mark = self._state("mark_price", minute)
        index = self._state("index_price", minute)
        funding = self._state("funding_rate", minute)
        oi = self._state("open_interest", minute)
        ls = self._state("long_short_ratio", minute)
        depth_now = [self._state(name, minute) for name in _DEPTH]
        liq_l, liq_s = self._acc_liq_long, self._acc_liq_short
        have_liq = self._liq_seen

        # Price: returns, sigma, 15-minute move.
        prev_mark = self._mark.ago(0)
        if mark is not None and prev_mark == prev_mark and prev_mark > 0:
            self._ret.push(math.log(mark / prev_mark))
        else:
            self._ret.push(math.nan)
        self._mark.push(mark if mark is not None else math.nan)
        move_15m = move_sigma = None
        if mark is not None:
            ref = self._mark.ago(15)
            if ref == ref and ref > 0:
                move_15m = math.log(mark / ref)
                if self._ret.n_finite >= 30:
                    sd = self._ret.std()
                    if sd > 0:
                        move_sigma = move_15m / (sd * math.sqrt(15.0))

        # Open interest changes (coin units).
        self._oi.push(oi if oi is not None else math.nan)
        oi_changes: list[float | None] = []
        for window in (60, 4 * 60, 24 * 60):
            change = None
            if oi is not None and oi > 0:
                ref = self._oi.ago(window)
                if ref != ref:
                    ref, age = self._oi.oldest()
                    if age < window // 4 or ref != ref:
                        ref = math.nan
                if ref == ref and ref > 0:
                    change = oi / ref - 1.0
            oi_changes.append(change)

        # Liquidation burst vs the trailing 7-day per-minute mean (excluding this minute).
        liq_mult_l = liq_mult_s = None
        if have_liq:
            base_l = self._liq_long.total / self._liq_long.n_finite if self._liq_long.n_finite else 0.0
            base_s = self._liq_short.total / self._liq_short.n_finite if self._liq_short.n_finite else 0.0
            liq_mult_l = liq_l / max(base_l, cfg.baseline_floor_usd)
            liq_mult_s = liq_s / max(base_s, cfg.baseline_floor_usd)
        self._liq_long.push(liq_l)
        self._liq_short.push(liq_s)

        # Depth collapse vs the 60-minute median (excluding this minute).
        collapse: list[float | None] = [None] * len(_DEPTH)
        if any(d is not None for d in depth_now) and self._depth.count >= 5:
            medians = self._depth.medians().tolist()
            for j, now in enumerate(depth_now):
                med = medians[j]
                if now is not None and med == med:
                    collapse[j] = med / now if now > 0 else math.inf
        self._depth.push([d if d is not None else math.nan for d in depth_now])

        # Funding and long/short: hourly samples for the 90-day percentiles.
        if minute % 60 == 0 or self._funding_hourly.count == 0:
            self._funding_hourly.push(funding if funding is not None else math.nan)
            self._ls_hourly.push(ls if ls is not None else math.nan)
        f_pct = self._percentile("funding", self._funding_hourly, funding)
        ls_pct = self._percentile("long_short", self._ls_hourly, ls)

        basis = (mark - index) / index if mark is not None and index is not None and index > 0 else None
        ind = Indicators(
            funding_8h=funding,
            funding_apr=funding * 3 * 365 if funding is not None else None,
            funding_percentile=f_pct,
            oi=oi,
            oi_change_1h=oi_changes[0],
            oi_change_4h=oi_changes[1],
            oi_change_24h=oi_changes[2],
            liq_long_1m_usd=liq_l if have_liq else None,
            liq_short_1m_usd=liq_s if have_liq else None,
            liq_long_multiple=liq_mult_l,
            liq_short_multiple=liq_mult_s,
            bid_collapse_1pct=collapse[0],
            ask_collapse_1pct=collapse[1],
            bid_collapse_2pct=collapse[2],
            ask_collapse_2pct=collapse[3],
            basis=basis,
            long_short_ratio=ls,
            long_short_percentile=ls_pct,
            move_15m=move_15m,
            move_sigma=move_sigma,
        )
        return self._score_and_regime(ts_end, minute, ind, mark)

    def _percentile(self, key: str, ring: _Ring, x: float | None) -> float | None:
        """Percentile of x in the ring, recomputed only when x or the ring changed."""
        if x is None or ring.count < self.config.percentile_min_samples:
            return None
        pushes = ring.pushes
        cached = self._pct_cache.get(key)
        if cached is not None and cached[0] == x and cached[1] == pushes:
            return cached[2]
        pct = _percentile_of(ring.values(), x)
        self._pct_cache[key] = (x, pushes, pct)
        return pct

    def _components(self, ind: Indicators) -> dict[str, tuple[float, str]]:
        """0..1 value and a description per present component."""
        cfg = self.config
        out: dict[str, tuple[float, tuple]] = {}
        if ind.funding_8h is not None:
            apr = ind.funding_apr or 0.0
            c = _ramp(abs(apr), cfg.funding_apr_low, cfg.funding_apr_high)
            if ind.funding_percentile is not None:
                c = max(c, _ramp(abs(ind.funding_percentile - 0.5) * 2.0, 0.6, 1.0))
            out["funding"] = (c, (ind.funding_8h, apr, ind.funding_percentile))
        changes = (
            (ind.oi_change_1h, cfg.oi_build_1h, "1h"),
            (ind.oi_change_4h, cfg.oi_build_4h, "4h"),
            (ind.oi_change_24h, cfg.oi_build_24h, "24h"),
        )
        present = [(ch / scale, ch, label) for ch, scale, label in changes if ch is not None]
        if present:
            c_raw, ch, label = max(present)
            out["oi_buildup"] = (_clip01(c_raw), (ch, label))
        if ind.long_short_ratio is not None and ind.long_short_ratio > 0:
            r = ind.long_short_ratio
            c = _ramp(abs(math.log(r)), cfg.ls_log_low, cfg.ls_log_high)
            if ind.long_short_percentile is not None:
                c = max(c, _ramp(abs(ind.long_short_percentile - 0.5) * 2.0, 0.6, 1.0))
            out["long_short"] = (c, (r,))
        if ind.liq_long_multiple is not None and ind.liq_short_multiple is not None:
            l_usd, s_usd = ind.liq_long_1m_usd or 0.0, ind.liq_short_1m_usd or 0.0
            side, usd, mult = ("longs", l_usd, ind.liq_long_multiple)
            if s_usd > l_usd:
                side, usd, mult = ("shorts", s_usd, ind.liq_short_multiple)
            c = 0.0
            if usd >= cfg.liq_floor_usd and mult > 1.0:
                c = _clip01(math.log(mult) / math.log(cfg.liq_multiple_high))
            out["liquidations"] = (c, (usd, side, mult))
        side_ratios = (
            (ind.bid_collapse_1pct, "bid", "1"),
            (ind.bid_collapse_2pct, "bid", "2"),
            (ind.ask_collapse_1pct, "ask", "1"),
            (ind.ask_collapse_2pct, "ask", "2"),
        )
        want = "bid" if self._falling(ind) else "ask"
        for ratio, side, band in side_ratios:
            if ratio is not None and side == want:
                c = _clip01(math.log(ratio) / math.log(cfg.depth_ratio_high)) if ratio > 1 else 0.0
                out["depth"] = (c, (side, band, ratio))
                break
        if ind.basis is not None:
            out["basis"] = (_ramp(abs(ind.basis), cfg.basis_low, cfg.basis_high), (ind.basis,))
        if ind.move_15m is not None:
            c = _ramp(abs(ind.move_15m), 0.0, cfg.move_floor)
            if ind.move_sigma is not None:
                c = min(c, _ramp(abs(ind.move_sigma), cfg.move_sigma_low, cfg.move_sigma_high))
            out["move"] = (c, (ind.move_15m, ind.move_sigma))
        return out

    def _falling(self, ind: Indicators) -> bool:
        if ind.move_15m is not None and abs(ind.move_15m) > 1e-4:
            return ind.move_15m < 0
        if ind.liq_long_1m_usd is not None and ind.liq_short_1m_usd is not None:
            return ind.liq_long_1m_usd >= ind.liq_short_1m_usd
        return True

    def _score_and_regime(
        self, ts_end: int, minute: int, ind: Indicators, mark: float | None
    ) -> list[CascadeEvent]:
        cfg = self.config
        comps = self._components(ind)
        total_w = sum(self._weights[name] for name in comps)
        components = []
        score = 0.0
        for name in COMPONENTS:
            if name in comps:
                c, facts = comps[name]
                w = self._weights[name]
                pts = 100.0 * w * c / total_w if total_w > 0 else 0.0
                score += pts
                components.append(Component(name, c, w, pts, facts))
        missing = tuple(name for name in COMPONENTS if name not in comps)

        def sub(names: tuple[str, ...]) -> float | None:
            w = sum(self._weights[n] for n in names if n in comps)
            if w <= 0:
                return None
            return sum(self._weights[n] * comps[n][0] for n in names if n in comps) / w

        loaded, firing = sub(_LOADED), sub(_FIRING)
        liq_total = (ind.liq_long_1m_usd or 0.0) + (ind.liq_short_1m_usd or 0.0)
        floor_met = liq_total >= cfg.liq_floor_usd or (
            ind.move_15m is not None and abs(ind.move_15m) >= cfg.move_floor
        )
        fire_now = firing is not None and firing >= cfg.firing_enter and floor_met

        prev = self._regime
        new: Regime = prev
        end_signals: list[str] = []
        in_regime = minute - self._regime_since
        if prev in ("calm", "loaded"):
            if fire_now:
                new = "firing"
            elif prev == "calm" and loaded is not None and loaded >= cfg.loaded_enter:
                new = "loaded"
            elif prev == "loaded" and (loaded is None or loaded < cfg.loaded_exit):
                new = "calm"
        elif prev == "firing":
            self._track_cascade(mark, liq_total)
            end_signals = self._end_signals(ind, liq_total, firing)
            if end_signals and end_signals[0].startswith("liquidations"):
                new = "exhausting"
        else:  # exhausting
            self._track_cascade(mark, liq_total)
            # A second leg: firing again with a new extreme (or, without a mark, a burst near the peak).
            second_leg = fire_now and (
                self._since_extreme == 0
                if self._extreme == self._extreme
                else liq_total > 0.5 * self._cascade_peak
            )
            if second_leg:
                new = "firing"
            elif in_regime >= cfg.exhaust_dwell_minutes and (firing is None or firing < 0.3):
                new = "loaded" if loaded is not None and loaded >= cfg.loaded_enter else "calm"

        if new == "firing" and prev != "firing":
            self._start_cascade(ind, mark, liq_total)
        reading = CascadeReading(
            timestamp_ms=ts_end,
            symbol=self.symbol,
            score=score,
            regime=new,
            components=tuple(components),
            missing=missing,
            indicators=ind,
            loaded_score=loaded,
            firing_score=firing,
        )
        self.reading = reading
        self.minutes_evaluated += 1
        if self.max_score_timestamp_ms is None or score > self.max_score:
            self.max_score, self.max_score_timestamp_ms = score, ts_end
        if new == prev:
            return []
        self._regime = new
        self._regime_since = minute
        reasons = list(end_signals) if new == "exhausting" else list(reading.reasons())
        if new == "calm":
            reasons.insert(0, f"no cascade conditions for {in_regime} min")
        if missing:
            reasons.append("missing: " + ", ".join(missing))
        return [CascadeEvent(ts_end, self.symbol, new, prev, score, REGIME_LEVEL[new], tuple(reasons))]

    def _start_cascade(self, ind: Indicators, mark: float | None, liq_total: float) -> None:
        self._direction = -1 if self._falling(ind) else 1
        self._extreme = mark if mark is not None else math.nan
        self._since_extreme = 0
        self._cascade_peak = liq_total
        self._quiet_minutes = 0
        self._funding_at_fire = ind.funding_8h

    def _track_cascade(self, mark: float | None, liq_total: float) -> None:
        if mark is not None:
            if self._extreme != self._extreme or (mark - self._extreme) * self._direction > 0:
                self._extreme = mark
                self._since_extreme = 0
            else:
                self._since_extreme += 1
        self._cascade_peak = max(self._cascade_peak, liq_total)

    def _end_signals(self, ind: Indicators, liq_total: float, firing: float | None) -> list[str]:
        """The end-of-cascade signals met now, or [] while the cascade goes on.

        Required: liquidations back under ``max(liq_floor_usd, 5 % of the peak minute)`` for
        ``exhaust_minutes`` bars (without a liquidation feed: the firing indicators quiet), price holding
        (no new extreme for ``hold_minutes``; when the mark is known) and depth refilling (collapse ratio
        under 3; when depth is known). Funding normalising is reported when it holds, not required:
        after a long flush it is negative almost at once.
        """
        cfg = self.config
        have_liq = ind.liq_long_1m_usd is not None
        quiet_level = max(cfg.liq_floor_usd, 0.05 * self._cascade_peak)
        quiet = liq_total <= quiet_level if have_liq else (firing is None or firing < 0.25)
        self._quiet_minutes = self._quiet_minutes + 1 if quiet else 0
        if self._quiet_minutes < cfg.exhaust_minutes:
            return []
        signals = [
            f"liquidations back under {_fmt_usd(quiet_level)}/min for {self._quiet_minutes} min"
            if have_liq
            else f"firing indicators quiet for {self._quiet_minutes} min"
        ]
        if self._extreme == self._extreme:
            if self._since_extreme < cfg.hold_minutes:
                return []
            word = "low" if self._direction < 0 else "high"
            signals.append(f"price holding: no new {word} for {self._since_extreme} min")
        ratio = ind.bid_collapse_1pct if self._direction < 0 else ind.ask_collapse_1pct
        if ratio is not None:
            if ratio >= 3.0:
                return []
            signals.append(f"depth refilling ({ratio:.1f}x under its 60-min median)")
        if ind.funding_8h is not None and self._funding_at_fire is not None:
            f0 = self._funding_at_fire
            if (self._direction < 0 and ind.funding_8h <= max(0.5 * f0, 1e-4)) or (
                self._direction > 0 and ind.funding_8h >= min(0.5 * f0, 1e-4)
            ):
                signals.append(f"funding normalised to {ind.funding_8h * 100:.4f} %/8h")
        return signals

    @property
    def regime(self) -> Regime:
        return self._regime


@dataclass(slots=True)
class CascadeBook:
    """One :class:`CascadeMonitor` per symbol, created on first use."""

    config: CascadeConfig = field(default_factory=CascadeConfig)
    monitors: dict[str, CascadeMonitor] = field(default_factory=dict)

    def monitor(self, symbol: str, funding_interval_hours: float = 8.0) -> CascadeMonitor:
        mon = self.monitors.get(symbol)
        if mon is None:
            mon = self.monitors[symbol] = CascadeMonitor(symbol, funding_interval_hours, self.config)
        return mon


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
