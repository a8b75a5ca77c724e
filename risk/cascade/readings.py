"""What the monitor reports: indicator values, score components, readings and regime events."""

from __future__ import annotations

from dataclasses import dataclass

from risk.cascade.config import Level, Regime


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
        f"liquidations {fmt_usd(usd)} {side} in 1 min = {mult:.0f}x 7-day normal"
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
    inputs: tuple[str, ...] = ()
    """Distinct inputs behind the score (price, funding, ...); fewer inputs, lower cap."""
    score_cap: float = 100.0
    active: tuple[str, ...] = ()
    """Components active after persistence and hysteresis (what the regime rules read)."""
    gap_minutes: int = 0
    """Minutes without a price row before this bar (0: none; a gap is reported, not read as calm)."""

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


def fmt_usd(x: float) -> str:
    ax = abs(x)
    if ax >= 1e9:
        return f"${x / 1e9:.2f} B"
    if ax >= 1e6:
        return f"${x / 1e6:.1f} M"
    if ax >= 1e3:
        return f"${x / 1e3:.0f} k"
    return f"${x:.0f}"
