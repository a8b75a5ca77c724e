"""The regime machine: calm / loaded / firing / exhausting. Every transition is reachable from the
inputs present, and none rests on one input alone.

* calm -> loaded ("warning"): the active components (persistence and hysteresis per component,
  :mod:`~risk.cascade.latch`) come from at least ``warning_inputs`` distinct inputs, one of them a
  "loaded" component (funding, OI build-up, long/short). loaded -> calm when that no longer holds.
* any -> firing ("critical"): firing sub-score >= ``firing_enter`` **and** an absolute floor
  (liquidations in the minute >= ``liq_floor_usd`` or a 15-minute move >= ``move_floor``), so
  quiet-tape z-scores cannot fire; on the price floor alone the conditions must hold for
  ``firing_persist_minutes`` (a one-minute wick that a 5-minute close would not show cannot fire).
* firing -> exhausting: the firing evidence has stopped for ``exhaust_minutes``: liquidations back
  under max(``liq_floor_usd``, 5 % of the cascade's peak minute), or, without a liquidation feed, the
  firing indicators quiet (price, volatility, depth recovered); price holding (no new extreme for
  ``hold_minutes``) and depth refilling (collapse ratio < 3), each where its input is present.
  Funding normalising is reported when it holds. Hard limit: firing ends after
  ``firing_evidence_limit_minutes`` (12 h) without new evidence (a firing bar or a new extreme).
* exhausting -> calm (or loaded) after ``exhaust_dwell_minutes`` without firing; exhausting -> firing
  on a second leg (firing conditions with a new extreme price).
* No price for longer than ``gap_minutes``: the regime is held (a gap is not calm) and reported.
"""

from __future__ import annotations

import math

from risk.cascade.components import falling
from risk.cascade.config import COMPONENT_INPUT, LOADED, CascadeConfig, Regime
from risk.cascade.readings import Indicators, fmt_usd
from risk.cascade.score import Score


def warning_met(active: set[str], cfg: CascadeConfig) -> bool:
    """At least ``warning_inputs`` distinct inputs among the active components, one of them "loaded"."""
    inputs = {COMPONENT_INPUT[name] for name in active}
    return len(inputs) >= cfg.warning_inputs and any(name in LOADED for name in active)


class RegimeMachine:
    """The regime and the state of the cascade in progress (direction, extreme, peak minute)."""

    def __init__(self, config: CascadeConfig) -> None:
        self.config = config
        self.regime: Regime = "calm"
        self.since = 0
        self._direction = -1  # -1: long flush (price falling), +1: short squeeze
        self._extreme = math.nan
        self._since_extreme = 0
        self._cascade_peak = 0.0
        self._quiet_minutes = 0
        self._funding_at_fire: float | None = None
        self._evidence_minute = 0
        self._last_minute: int | None = None
        self._fire_since: int | None = None

    def step(
        self, minute: int, ind: Indicators, s: Score, mark: float | None, active: set[str], in_gap: bool
    ) -> tuple[Regime, Regime, list[str], int]:
        """Advance one bar: (new regime, previous, end signals, minutes spent in the previous regime)."""
        cfg = self.config
        firing = s.firing
        liq_total = (ind.liq_long_1m_usd or 0.0) + (ind.liq_short_1m_usd or 0.0)
        liq_floor = liq_total >= cfg.liq_floor_usd
        floor_met = liq_floor or (ind.move_15m is not None and abs(ind.move_15m) >= cfg.move_floor)
        fire_cond = firing is not None and firing >= cfg.firing_enter and floor_met
        # Minutes since the last bar: the counters run on the clock, not on bars (a 5-minute row
        # stands for five minutes).
        step = 1 if self._last_minute is None else min(max(minute - self._last_minute, 1), 5)
        if self._last_minute is not None and minute - self._last_minute - 1 > cfg.gap_minutes:
            step = 1  # after a gap: the missing minutes are unknown, not quiet

        self._last_minute = minute
        if not fire_cond:
            self._fire_since = None
        elif self._fire_since is None:
            self._fire_since = minute - step + 1
        # Persistence is for the price floor (a wick a 5-minute close would not show); a liquidation
        # burst over the absolute floor is itself the evidence and fires at once.
        fire_now = fire_cond and (liq_floor or minute - self._fire_since + 1 >= cfg.firing_persist_minutes)

        prev = self.regime
        new: Regime = prev
        end_signals: list[str] = []
        in_regime = minute - self.since
        warn = warning_met(active, cfg)
        if in_gap:
            pass  # no price: hold whatever regime we were in
        elif prev in ("calm", "loaded"):
            if fire_now:
                new = "firing"
            elif prev == "calm" and warn:
                new = "loaded"
            elif prev == "loaded" and not warn:
                new = "calm"
        elif prev == "firing":
            if fire_cond or self._track_cascade(mark, liq_total, step):
                self._evidence_minute = minute
            end_signals = self._end_signals(ind, liq_total, firing, step)
            stale = minute - self._evidence_minute
            if end_signals:
                new = "exhausting"
            elif stale >= cfg.firing_evidence_limit_minutes:
                new = "exhausting"
                end_signals = [f"no new firing evidence for {stale / 60:.0f} h (hard limit)"]
        else:  # exhausting
            new_extreme = self._track_cascade(mark, liq_total, step)
            # A second leg: firing again with a new extreme (or, without a mark, a burst near the peak).
            second_leg = fire_now and (
                new_extreme if self._extreme == self._extreme else liq_total > 0.5 * self._cascade_peak
            )
            if second_leg:
                new = "firing"
                self._evidence_minute = minute
            elif in_regime >= cfg.exhaust_dwell_minutes and (firing is None or firing < 0.3):
                new = "loaded" if warn else "calm"

        if new == "firing" and prev != "firing":
            self._start_cascade(ind, mark, liq_total)
            self._evidence_minute = minute
        if new != prev:
            self.regime = new
            self.since = minute
        return new, prev, end_signals, in_regime

    def _start_cascade(self, ind: Indicators, mark: float | None, liq_total: float) -> None:
        self._direction = -1 if falling(ind) else 1
        self._extreme = mark if mark is not None else math.nan
        self._since_extreme = 0
        self._cascade_peak = liq_total
        self._quiet_minutes = 0
        self._funding_at_fire = ind.funding_8h

    def _track_cascade(self, mark: float | None, liq_total: float, step: int) -> bool:
        """Follow the cascade's extreme price and peak minute; True on a new extreme."""
        new_extreme = False
        if mark is not None:
            if self._extreme != self._extreme or (mark - self._extreme) * self._direction > 0:
                self._extreme = mark
                self._since_extreme = 0
                new_extreme = True
            else:
                self._since_extreme += step
        self._cascade_peak = max(self._cascade_peak, liq_total)
        return new_extreme

    def _end_signals(self, ind: Indicators, liq_total: float, firing: float | None, step: int) -> list[str]:
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
        self._quiet_minutes = self._quiet_minutes + step if quiet else 0
        if self._quiet_minutes < cfg.exhaust_minutes:
            return []
        signals = [
            f"liquidations back under {fmt_usd(quiet_level)}/min for {self._quiet_minutes} min"
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
