"""Names, thresholds and weights of the cascade monitor (cascade-indicators.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
STATE_INPUTS = (
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
DEPTH = STATE_INPUTS[4:8]
COMPONENTS: tuple[str, ...] = (
    "funding",
    "oi_buildup",
    "long_short",
    "liquidations",
    "depth",
    "basis",
    "move",
)
LOADED = ("funding", "oi_buildup", "long_short")
FIRING = ("liquidations", "depth", "basis", "move")
COMPONENT_INPUT: dict[str, str] = {
    "funding": "funding",
    "oi_buildup": "open interest",
    "long_short": "long/short",
    "liquidations": "liquidations",
    "depth": "depth",
    "basis": "index",
    "move": "price",
}
"""The input each component is read from: a score needs several *inputs*, not several views of one."""


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
    firing_persist_minutes: int = 3
    """Firing conditions held this long (clock minutes) before "firing": a one-minute wick that a
    5-minute close would not show cannot fire on its own."""
    exhaust_minutes: int = 5
    hold_minutes: int = 5
    exhaust_dwell_minutes: int = 60
    component_on: float = 0.5
    """A component turns active at this value, held ``component_on_minutes`` (persistence) ..."""
    component_off: float = 0.25
    """... and inactive below this value, held ``component_off_minutes`` (hysteresis)."""
    component_on_minutes: tuple[tuple[str, int], ...] = (
        ("funding", 60),
        ("oi_buildup", 15),
        ("long_short", 15),
        ("liquidations", 1),
        ("depth", 3),
        ("basis", 5),
        ("move", 3),
    )
    component_off_minutes: tuple[tuple[str, int], ...] = (
        ("funding", 9 * 60),
        ("oi_buildup", 60),
        ("long_short", 60),
        ("liquidations", 60),
        ("depth", 15),
        ("basis", 30),
        ("move", 180),
    )
    warning_inputs: int = 2
    """Active components from at least this many distinct inputs (one a "loaded" one) for a warning."""
    score_cap: tuple[tuple[int, float], ...] = ((1, 40.0), (2, 75.0))
    """The score from n distinct inputs is capped: one input alone stays under any warning level."""
    firing_evidence_limit_minutes: int = 12 * 60
    """Firing ends (-> exhausting) after this long without new evidence (a firing bar or a new extreme)."""
    components_off: tuple[str, ...] = ()
    """Components left out (as if their input were missing): for measuring what each one adds."""
    gap_minutes: int = 10
    """No price row for longer than this is reported as a gap (and the regime is held, not read calm)."""
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
