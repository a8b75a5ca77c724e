"""The regime machine: calm / loaded / firing / exhausting, with hysteresis and end-of-cascade signals.

* calm -> loaded: loaded sub-score >= ``loaded_enter``; loaded -> calm below ``loaded_exit``.
* any -> firing: firing sub-score >= ``firing_enter`` **and** an absolute floor (liquidations in the
  minute >= ``liq_floor_usd`` or a 15-minute move >= ``move_floor``), so quiet-tape z-scores cannot fire.
* firing -> exhausting: liquidations fall back (<= max(``liq_floor_usd``, 5 % of the cascade's peak
  minute) for ``exhaust_minutes`` bars), price holds (no new extreme for ``hold_minutes`` bars) and
  depth refills (collapse ratio < 3), each where its input is present; funding normalising (a long
  flush: <= half its level at the start of the cascade, or <= 0.01 %/8h) is reported when it holds.
* exhausting -> calm (or loaded) after ``exhaust_dwell_minutes`` without firing; exhausting -> firing
  on a second leg (firing conditions with a new extreme price).
"""

from __future__ import annotations

import math

from risk.cascade.components import falling
from risk.cascade.config import CascadeConfig, Regime
from risk.cascade.readings import Indicators, fmt_usd
from risk.cascade.score import Score


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

    def step(
        self, minute: int, ind: Indicators, s: Score, mark: float | None
    ) -> tuple[Regime, Regime, list[str], int]:
        """Advance one bar: (new regime, previous, end signals, minutes spent in the previous regime)."""
        cfg = self.config
        loaded, firing = s.loaded, s.firing
        liq_total = (ind.liq_long_1m_usd or 0.0) + (ind.liq_short_1m_usd or 0.0)
        floor_met = liq_total >= cfg.liq_floor_usd or (
            ind.move_15m is not None and abs(ind.move_15m) >= cfg.move_floor
        )
        fire_now = firing is not None and firing >= cfg.firing_enter and floor_met

        prev = self.regime
        new: Regime = prev
        end_signals: list[str] = []
        in_regime = minute - self.since
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
