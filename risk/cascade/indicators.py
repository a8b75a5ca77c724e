"""Indicators from 1-minute bars (cascade-indicators.md §2): the rings of past bars and one
:class:`~risk.cascade.readings.Indicators` per bar.

* funding: per 8 h (hourly venues normalised before it gets here), annualised (``* 3 * 365``),
  percentile of the current value in the trailing 90 days of hourly samples.
* open-interest change over 1 h / 4 h / 24 h, coin units, a fraction (over the history available, at
  least a quarter of the window, when the window is not yet full).
* liquidation burst: each side's 1-minute liquidated USD as a multiple of its trailing 7-day per-minute
  mean (floored at ``baseline_floor_usd``).
* depth collapse: the 60-minute median of bid/ask depth within +-1 % and +-2 % divided by the current
  bar's depth (>1 means thinner than usual).
* basis: ``(mark - index) / index``.
* long/short ratio: the value and its percentile vs its trailing 90 days of hourly samples.
  (Percentiles need ``percentile_min_samples`` = 7 days of hourly samples.)
* price move: 15-minute log return, and in sigmas of the trailing 24 h of rolling 5-minute returns
  (``move / (sd5 * sqrt(3))``: the same at 1-minute and 5-minute rows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from risk.cascade.config import DEPTH, CascadeConfig
from risk.cascade.readings import Indicators
from risk.cascade.stats import DepthRing, Ring, percentile_of


@dataclass(frozen=True, slots=True)
class Bar:
    """One minute's inputs after carry-forward (``None`` = missing); liquidations summed in the minute."""

    mark: float | None
    index: float | None
    funding: float | None
    oi: float | None
    ls: float | None
    depth: tuple[float | None, ...]
    liq_long: float
    liq_short: float
    have_liq: bool


class IndicatorState:
    """The trailing history the indicators need (one ring slot per minute unless named)."""

    def __init__(self, config: CascadeConfig) -> None:
        self.config = config
        self.mark = Ring(24 * 60 + 1)
        self.ret = Ring(24 * 60)
        # Rolling 5-minute returns: the same spread whether rows come every minute or every 5 minutes
        # (1-minute returns carry bid/ask bounce that 5-minute closes do not).
        self.ret5 = Ring(24 * 60)
        self.oi = Ring(24 * 60 + 1)
        self.liq_long = Ring(7 * 24 * 60)
        self.liq_short = Ring(7 * 24 * 60)
        self.depth = DepthRing(60)
        self.funding_hourly = Ring(90 * 24)
        self.ls_hourly = Ring(90 * 24)
        self._pct_cache: dict[str, tuple[float, int, float | None]] = {}

    def fill_gap(self, k: int) -> None:
        """Minutes with no rows: zero liquidations, state carried forward (variance-preserving)."""
        self.liq_long.push_repeat(0.0, k)
        self.liq_short.push_repeat(0.0, k)
        last_mark = self.mark.ago(0)
        flat = 0.0 if last_mark == last_mark else math.nan
        # The first 5 carried minutes still span a real move 5 minutes back; later ones are flat.
        first = min(k, 5)
        for _ in range(first):
            self.mark.push(last_mark)
            self._push_ret5(last_mark)
        self.mark.push_repeat(last_mark, k - first)
        self.ret5.push_repeat(flat, k - first)
        self.ret.push_repeat(flat, k)
        self.oi.push_repeat(self.oi.ago(0), k)

    def _push_ret5(self, mark: float) -> None:
        """After the mark ring got this minute: the log return over the last 5 minutes (NaN if unknown)."""
        ref = self.mark.ago(5)
        self.ret5.push(
            math.log(mark / ref) if mark == mark and ref == ref and ref > 0 and mark > 0 else math.nan
        )

    def step(self, minute: int, bar: Bar) -> Indicators:
        """Push one bar and return its indicators (baselines exclude the bar itself)."""
        cfg = self.config
        mark, index, funding, oi, ls = bar.mark, bar.index, bar.funding, bar.oi, bar.ls
        liq_l, liq_s, have_liq = bar.liq_long, bar.liq_short, bar.have_liq

        # Price: returns, sigma, 15-minute move.
        prev_mark = self.mark.ago(0)
        if mark is not None and prev_mark == prev_mark and prev_mark > 0:
            self.ret.push(math.log(mark / prev_mark))
        else:
            self.ret.push(math.nan)
        self.mark.push(mark if mark is not None else math.nan)
        self._push_ret5(mark if mark is not None else math.nan)
        move_15m = move_sigma = None
        if mark is not None:
            ref = self.mark.ago(15)
            if ref == ref and ref > 0:
                move_15m = math.log(mark / ref)
                if self.ret5.n_finite >= 30:
                    sd5 = self.ret5.std()
                    if sd5 > 0:
                        move_sigma = move_15m / (sd5 * math.sqrt(3.0))

        # Open interest changes (coin units).
        self.oi.push(oi if oi is not None else math.nan)
        oi_changes: list[float | None] = []
        for window in (60, 4 * 60, 24 * 60):
            change = None
            if oi is not None and oi > 0:
                ref = self.oi.ago(window)
                if ref != ref:
                    ref, age = self.oi.oldest()
                    if age < window // 4 or ref != ref:
                        ref = math.nan
                if ref == ref and ref > 0:
                    change = oi / ref - 1.0
            oi_changes.append(change)

        # Liquidation burst vs the trailing 7-day per-minute mean (excluding this minute).
        liq_mult_l = liq_mult_s = None
        if have_liq:
            base_l = self.liq_long.total / self.liq_long.n_finite if self.liq_long.n_finite else 0.0
            base_s = self.liq_short.total / self.liq_short.n_finite if self.liq_short.n_finite else 0.0
            liq_mult_l = liq_l / max(base_l, cfg.baseline_floor_usd)
            liq_mult_s = liq_s / max(base_s, cfg.baseline_floor_usd)
        self.liq_long.push(liq_l)
        self.liq_short.push(liq_s)

        # Depth collapse vs the 60-minute median (excluding this minute).
        depth_now = bar.depth
        collapse: list[float | None] = [None] * len(DEPTH)
        if any(d is not None for d in depth_now) and self.depth.count >= 5:
            medians = self.depth.medians().tolist()
            for j, now in enumerate(depth_now):
                med = medians[j]
                if now is not None and med == med:
                    collapse[j] = med / now if now > 0 else math.inf
        self.depth.push([d if d is not None else math.nan for d in depth_now])

        # Funding and long/short: hourly samples for the 90-day percentiles.
        if minute % 60 == 0 or self.funding_hourly.count == 0:
            self.funding_hourly.push(funding if funding is not None else math.nan)
            self.ls_hourly.push(ls if ls is not None else math.nan)
        f_pct = self._percentile("funding", self.funding_hourly, funding)
        ls_pct = self._percentile("long_short", self.ls_hourly, ls)

        basis = (mark - index) / index if mark is not None and index is not None and index > 0 else None
        return Indicators(
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

    def _percentile(self, key: str, ring: Ring, x: float | None) -> float | None:
        """Percentile of x in the ring, recomputed only when x or the ring changed."""
        if x is None or ring.count < self.config.percentile_min_samples:
            return None
        pushes = ring.pushes
        cached = self._pct_cache.get(key)
        if cached is not None and cached[0] == x and cached[1] == pushes:
            return cached[2]
        pct = percentile_of(ring.values(), x)
        self._pct_cache[key] = (x, pushes, pct)
        return pct
