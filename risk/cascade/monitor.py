"""One symbol's streaming cascade monitor: rows folded into 1-minute bars, then indicators, score, regime.

Time base: rows are folded into **1-minute bars** (minute = ``timestamp_ms // 60_000``): liquidations
are summed, mark/index/funding/OI/long-short are the last value in the minute, depth is the minimum in
the minute (a sub-minute collapse must not be averaged away). A bar is evaluated when the first row of a
later minute arrives (or on :meth:`CascadeMonitor.flush`); a row older than the open minute is folded
into the open minute. Minutes without rows count as zero liquidations, and state inputs (mark, OI,
depth, ...) carry their last value forward for at most their ``max_age`` (``CascadeConfig``); older is
"missing". Per row the work is O(1); per minute a fixed amount, so updates are O(1) amortised.
``update`` and ``update_many`` give identical results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from risk.cascade.components import score_components
from risk.cascade.config import DEPTH, INPUTS, MINUTE_MS, REGIME_LEVEL, STATE_INPUTS, CascadeConfig, Regime
from risk.cascade.indicators import Bar, IndicatorState
from risk.cascade.latch import ComponentLatches
from risk.cascade.readings import CascadeEvent, CascadeReading
from risk.cascade.regime import RegimeMachine
from risk.cascade.score import composite


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
        self._ind = IndicatorState(cfg)
        self._machine = RegimeMachine(cfg)
        self._latches = ComponentLatches(cfg)
        self._price_seen: int | None = None  # last minute with a price row
        self._gap = 0  # minutes without a price row before the bar being evaluated
        self.gaps: list[tuple[int, int]] = []
        """(start epoch ms, minutes) of every stretch without a price row longer than ``gap_minutes``."""
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
            elif name in DEPTH:
                prev = acc.get(name)
                acc[name] = x if prev is None or x < prev else prev
            elif name in STATE_INPUTS:
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
            elif name in DEPTH:
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
        state_pos = [(i, name) for i, name in enumerate(names) if name in STATE_INPUTS]
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
                if name in DEPTH:
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

    def _fill_gap(self, k: int) -> None:
        self._ind.fill_gap(k)

    def _evaluate(self, minute: int) -> list[CascadeEvent]:
        ts_end = (minute + 1) * MINUTE_MS
        mark = self._state("mark_price", minute)
        bar = Bar(
            mark=mark,
            index=self._state("index_price", minute),
            funding=self._state("funding_rate", minute),
            oi=self._state("open_interest", minute),
            ls=self._state("long_short_ratio", minute),
            depth=tuple(self._state(name, minute) for name in DEPTH),
            liq_long=self._acc_liq_long,
            liq_short=self._acc_liq_short,
            have_liq=self._liq_seen,
        )
        gap = 0
        if "mark_price" in self._acc:
            if self._price_seen is not None and minute - self._price_seen - 1 > self.config.gap_minutes:
                gap = minute - self._price_seen - 1
                self.gaps.append(((self._price_seen + 1) * MINUTE_MS, gap))
            self._price_seen = minute
        ind = self._ind.step(minute, bar)
        comps = score_components(ind, self.config)
        for name in self.config.components_off:
            comps.pop(name, None)
        s = composite(comps, self._weights, self.config.score_cap)
        span = 1 if self._last_closed is None else min(max(minute - self._last_closed, 1), 5)
        active = self._latches.update(minute, {name: v for name, (v, _) in comps.items()}, span)
        new, prev, end_signals, in_regime = self._machine.step(
            minute, ind, s, mark, active, in_gap=mark is None and self._price_seen is not None
        )
        reading = CascadeReading(
            timestamp_ms=ts_end,
            symbol=self.symbol,
            score=s.score,
            regime=new,
            components=s.components,
            missing=s.missing,
            indicators=ind,
            loaded_score=s.loaded,
            firing_score=s.firing,
            inputs=s.inputs,
            score_cap=s.cap,
            active=tuple(sorted(active)),
            gap_minutes=gap,
        )
        self.reading = reading
        self.minutes_evaluated += 1
        if self.max_score_timestamp_ms is None or s.score > self.max_score:
            self.max_score, self.max_score_timestamp_ms = s.score, ts_end
        if new == prev:
            return []
        reasons = list(end_signals) if new == "exhausting" else list(reading.reasons())
        if new == "calm":
            reasons.insert(0, f"no cascade conditions for {in_regime} min")
        if s.cap < 100.0:
            n = len(s.inputs)
            reasons.append(
                f"score from {n} input{'s' if n != 1 else ''} ({', '.join(s.inputs)}): capped at {s.cap:.0f}"
            )
        if gap:
            reasons.append(f"gap: no price for {gap} min before this bar")
        if s.missing:
            reasons.append("missing: " + ", ".join(s.missing))
        return [CascadeEvent(ts_end, self.symbol, new, prev, s.score, REGIME_LEVEL[new], tuple(reasons))]

    @property
    def regime(self) -> Regime:
        return self._machine.regime


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
