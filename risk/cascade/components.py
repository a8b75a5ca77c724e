"""Each indicator scored 0..1 (thresholds in :class:`~risk.cascade.config.CascadeConfig`)."""

from __future__ import annotations

import math

from risk.cascade.config import CascadeConfig
from risk.cascade.readings import Indicators
from risk.cascade.stats import clip01, ramp


def falling(ind: Indicators) -> bool:
    """Whether the market moves down (a long flush): by the 15-minute move, else by the liquidated side."""
    if ind.move_15m is not None and abs(ind.move_15m) > 1e-4:
        return ind.move_15m < 0
    if ind.liq_long_1m_usd is not None and ind.liq_short_1m_usd is not None:
        return ind.liq_long_1m_usd >= ind.liq_short_1m_usd
    return True


def score_components(ind: Indicators, cfg: CascadeConfig) -> dict[str, tuple[float, tuple]]:
    """0..1 value and the facts behind it, per component whose input is present."""
    out: dict[str, tuple[float, tuple]] = {}
    if ind.funding_8h is not None:
        apr = ind.funding_apr or 0.0
        c = ramp(abs(apr), cfg.funding_apr_low, cfg.funding_apr_high)
        if ind.funding_percentile is not None:
            c = max(c, ramp(abs(ind.funding_percentile - 0.5) * 2.0, 0.6, 1.0))
        out["funding"] = (c, (ind.funding_8h, apr, ind.funding_percentile))
    changes = (
        (ind.oi_change_1h, cfg.oi_build_1h, "1h"),
        (ind.oi_change_4h, cfg.oi_build_4h, "4h"),
        (ind.oi_change_24h, cfg.oi_build_24h, "24h"),
    )
    present = [(ch / scale, ch, label) for ch, scale, label in changes if ch is not None]
    if present:
        c_raw, ch, label = max(present)
        out["oi_buildup"] = (clip01(c_raw), (ch, label))
    if ind.long_short_ratio is not None and ind.long_short_ratio > 0:
        r = ind.long_short_ratio
        c = ramp(abs(math.log(r)), cfg.ls_log_low, cfg.ls_log_high)
        if ind.long_short_percentile is not None:
            c = max(c, ramp(abs(ind.long_short_percentile - 0.5) * 2.0, 0.6, 1.0))
        out["long_short"] = (c, (r,))
    if ind.liq_long_multiple is not None and ind.liq_short_multiple is not None:
        l_usd, s_usd = ind.liq_long_1m_usd or 0.0, ind.liq_short_1m_usd or 0.0
        side, usd, mult = ("longs", l_usd, ind.liq_long_multiple)
        if s_usd > l_usd:
            side, usd, mult = ("shorts", s_usd, ind.liq_short_multiple)
        c = 0.0
        if usd >= cfg.liq_floor_usd and mult > 1.0:
            c = clip01(math.log(mult) / math.log(cfg.liq_multiple_high))
        out["liquidations"] = (c, (usd, side, mult))
    side_ratios = (
        (ind.bid_collapse_1pct, "bid", "1"),
        (ind.bid_collapse_2pct, "bid", "2"),
        (ind.ask_collapse_1pct, "ask", "1"),
        (ind.ask_collapse_2pct, "ask", "2"),
    )
    want = "bid" if falling(ind) else "ask"
    for ratio, side, band in side_ratios:
        if ratio is not None and side == want:
            c = clip01(math.log(ratio) / math.log(cfg.depth_ratio_high)) if ratio > 1 else 0.0
            out["depth"] = (c, (side, band, ratio))
            break
    if ind.basis is not None:
        out["basis"] = (ramp(abs(ind.basis), cfg.basis_low, cfg.basis_high), (ind.basis,))
    if ind.move_15m is not None:
        c = ramp(abs(ind.move_15m), 0.0, cfg.move_floor)
        if ind.move_sigma is not None:
            c = min(c, ramp(abs(ind.move_sigma), cfg.move_sigma_low, cfg.move_sigma_high))
        out["move"] = (c, (ind.move_15m, ind.move_sigma))
    return out
