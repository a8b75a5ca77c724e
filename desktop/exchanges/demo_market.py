"""Market paths for the demo venue: one per-second series per scenario, on a compressed timeline.

The demo replays a scenario's market (mark, index, funding, open interest, liquidations by side,
depth +-1 %, long/short ratio) for one base symbol, and derives the other symbols from it with a beta
(ETH and SOL move more than BTC in a cascade). The paths come from the cascade simulator
(``risk.simulate``) when it is available; :func:`scripted_path` is a deterministic stand-in with the
same shape (build-up, trigger, cascade, exhaustion) so the demo works either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCENARIOS: dict[str, str] = {
    "oct-10-2025": "Oct 10 2025: crowded longs, tariff shock, $3.2 B liquidated in the peak minute",
    "may-19-2021": "May 19 2021: leverage flush, BTC OI -26 % in a day",
    "calm": "A calm market: nothing should fire",
}
"""Scenario names the demo offers, with a one-line description."""


@dataclass(frozen=True, slots=True)
class MarketPath:
    """Per-second market series of the base symbol, all arrays of length ``seconds``.

    ``mark``/``index`` in USD; ``funding`` per 8 h (fraction); ``open_interest`` in base units;
    ``liq_long``/``liq_short`` USD liquidated in that second; ``depth_bid``/``depth_ask`` USD resting
    within +-1 %; ``long_short_ratio`` accounts long / short. ``start`` is the epoch second of index 0.
    """

    scenario: str
    start: float
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
    def seconds(self) -> int:
        return len(self.mark)


def _smoothstep(t: np.ndarray, start: float, end: float) -> np.ndarray:
    x = np.clip((t - start) / (end - start), 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _bump(t: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((t - centre) / width) ** 2)


# Shape of each scenario on the compressed timeline (seconds): when the trigger hits, how far the
# cascade takes the price, the depth collapse factor and the peak liquidation rate. Published
# reference values are in docs/cascade-indicators.md (Oct 10 2025: bid depth +-1 % 244 M -> 2.14 M,
# perps ~5 % under spot, $3.21 B in the peak minute, BTC OI -22 %).
_SHAPES: dict[str, dict[str, float]] = {
    "oct-10-2025": dict(
        start_price=121_800.0,
        drift=0.012,
        trigger=1500.0,
        trigger_drop=0.025,
        cascade_start=1800.0,
        cascade_end=2300.0,
        cascade_drop=0.13,
        rebound=0.06,
        depth=244e6,
        depth_collapse=110.0,
        basis_low=-0.05,
        peak_liq_per_s=53e6,
        oi=95_000.0,
        oi_build=0.06,
        oi_drop=0.22,
        funding_before=0.00037,
        funding_after=-0.0001,
        ls_before=2.2,
    ),
    "may-19-2021": dict(
        start_price=43_000.0,
        drift=-0.01,
        trigger=1200.0,
        trigger_drop=0.04,
        cascade_start=1500.0,
        cascade_end=2200.0,
        cascade_drop=0.22,
        rebound=0.12,
        depth=60e6,
        depth_collapse=25.0,
        basis_low=-0.035,
        peak_liq_per_s=15e6,
        oi=120_000.0,
        oi_build=0.03,
        oi_drop=0.26,
        funding_before=0.0003,
        funding_after=-0.0002,
        ls_before=1.9,
    ),
    "calm": dict(
        start_price=97_000.0,
        drift=0.002,
        trigger=1e9,
        trigger_drop=0.0,
        cascade_start=1e9,
        cascade_end=1e9 + 1,
        cascade_drop=0.0,
        rebound=0.0,
        depth=220e6,
        depth_collapse=1.0,
        basis_low=0.0,
        peak_liq_per_s=0.0,
        oi=90_000.0,
        oi_build=0.01,
        oi_drop=0.0,
        funding_before=0.0001,
        funding_after=0.0001,
        ls_before=1.2,
    ),
}

SCRIPTED_SECONDS = 3600


def scripted_path(scenario: str, start: float = 1_760_107_800.0, seed: int = 7) -> MarketPath:
    """A deterministic one-hour path with the scenario's shape, vectorised.

    ``start`` defaults to 2025-10-10 14:50 UTC (the Oct 10 trigger came at 14:57 UTC); the demo
    compresses the day's phases into the hour: build-up, trigger, cascade, exhaustion.
    """
    if scenario not in _SHAPES:
        raise ValueError(f"scenario: unknown {scenario!r}; known: {', '.join(_SHAPES)}")
    s = _SHAPES[scenario]
    rng = np.random.default_rng(seed)
    t = np.arange(SCRIPTED_SECONDS, dtype=np.float64)
    cascade = _smoothstep(t, s["cascade_start"], s["cascade_end"])
    trigger = _smoothstep(t, s["trigger"], s["trigger"] + 60.0)
    rebound = _smoothstep(t, s["cascade_end"], s["cascade_end"] + 900.0)
    stress = np.clip(
        _bump(t, (s["cascade_start"] + s["cascade_end"]) / 2, 260.0) * (s["cascade_drop"] > 0), 0, 1
    )
    noise_scale = 0.00011 * (1.0 + 6.0 * stress)
    log_noise = np.cumsum(rng.normal(0.0, 1.0, t.size) * noise_scale)
    drift = s["drift"] * np.clip(t / s["trigger"], 0.0, 1.0) if s["trigger"] < 1e9 else s["drift"] * t / t[-1]
    log_move = drift - s["trigger_drop"] * trigger - s["cascade_drop"] * cascade + s["rebound"] * rebound
    index = s["start_price"] * np.exp(log_move + log_noise)
    basis = s["basis_low"] * stress + rng.normal(0.0, 0.00002, t.size)
    mark = index * (1.0 + basis)

    depth_factor = 1.0 + (s["depth_collapse"] - 1.0) * stress + 2.0 * trigger * (1 - cascade)
    depth_noise = np.exp(rng.normal(0.0, 0.05, t.size))
    depth_bid = s["depth"] / depth_factor * depth_noise
    depth_ask = s["depth"] * 0.9 / np.sqrt(depth_factor) * depth_noise[::-1]

    base_liq = rng.exponential(800.0, t.size)  # a quiet market still liquidates someone each second
    burst = s["peak_liq_per_s"] * stress**2 * rng.lognormal(0.0, 0.5, t.size)
    trigger_liq = s["peak_liq_per_s"] * 0.05 * _bump(t, s["trigger"] + 30, 40) * (s["trigger"] < 1e9)
    liq_long = base_liq + burst + trigger_liq
    liq_short = rng.exponential(500.0, t.size) + 0.08 * burst * rebound + 0.02 * burst

    build = _smoothstep(t, 0.0, s["trigger"] if s["trigger"] < 1e9 else t[-1])
    open_interest = s["oi"] * (1 + s["oi_build"] * build) * (1 - s["oi_drop"] * cascade)
    funding = s["funding_before"] * (0.7 + 0.3 * build) * (1 - cascade) + s["funding_after"] * cascade
    funding = funding + rng.normal(0, 0.000004, t.size)
    long_short = 1.0 + (s["ls_before"] - 1.0) * (0.8 + 0.2 * build) * (1 - 0.7 * cascade)
    return MarketPath(
        scenario=scenario,
        start=start,
        mark=mark,
        index=index,
        funding=funding,
        open_interest=open_interest,
        liq_long=liq_long,
        liq_short=liq_short,
        depth_bid=depth_bid,
        depth_ask=depth_ask,
        long_short_ratio=long_short,
    )


def market_path(scenario: str) -> MarketPath:
    """The scenario's path: from the cascade simulator when it is installed, else scripted."""
    return scripted_path(scenario)
