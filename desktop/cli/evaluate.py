"""``liqguard replay --evaluate FILE... [--scenario NAME...]``: how early and how often the cascade
alerts fire, with every component and with each one left out.

Crashes are found in the data, not named by hand:

* a simulated scenario: the minute with the most liquidations (the peak minute);
* a file: every fall (or rise) of >= ``CRASH_MOVE`` (5 %) in 60 minutes of the mark; episodes closer
  than 12 h are one; the peak minute is the minute of the episode's extreme price.

Per case: **lead** = peak minute - the last warning or critical alert raised in the ``FRESH_HOURS``
before it (minutes, larger is earlier; negative = the first alert came after the peak; "-" = none),
and in brackets how long the chain of alerts standing at the peak had stood; **false alarms** =
warning/critical alerts with no crash peak in the ``FRESH_HOURS`` after them nor in the 12 h before
them; **alerts / 30 d** = warning and critical alerts per 30 days of data; **longest firing** in
hours. The ablation rows repeat the measurement with one component left out (as if its input were
missing), which is how a component earns its place.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

import numpy as np

from desktop.cli.replay import run_file
from desktop.cli.replay_csv import read_replay_csv
from risk.cascade import COMPONENTS, MINUTE_MS, CascadeConfig, CascadeEvent, replay_series, underlying
from risk.simulate import simulate

CRASH_MOVE = 0.05
"""A 60-minute move of the mark at least this large (log) is a crash in a file."""
FRESH_HOURS = 6
EPISODE_GAP_MIN = 12 * 60


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: str
    variant: str
    peaks: tuple[int, ...]
    """Peak minutes (epoch ms of the minute's start)."""
    leads_min: tuple[tuple[float | None, float | None], ...]
    """Per peak: (fresh lead, standing lead) in minutes (see :func:`_lead`)."""
    false_alarms: int
    alerts_per_30d: float
    criticals: int
    longest_firing_h: float


def _file_peaks(ts: np.ndarray, mark: np.ndarray) -> list[int]:
    """Peak minutes of the crashes in a price series (see the module docstring)."""
    minutes = ts // MINUTE_MS
    order = np.argsort(minutes, kind="stable")
    minutes, mark = minutes[order], mark[order]
    ok = np.isfinite(mark) & (mark > 0)
    minutes, logp = minutes[ok], np.log(mark[ok])
    # The mark 60 minutes earlier (the last row at or before t - 60 min).
    j = np.searchsorted(minutes, minutes - 60, side="right") - 1
    valid = j >= 0
    move = np.full(minutes.shape, 0.0)
    move[valid] = logp[valid] - logp[j[valid]]
    hits = np.flatnonzero(np.abs(move) >= CRASH_MOVE)
    peaks: list[int] = []
    start = 0
    while start < hits.size:
        end = start
        while end + 1 < hits.size and minutes[hits[end + 1]] - minutes[hits[end]] <= EPISODE_GAP_MIN:
            end += 1
        lo, hi = hits[start], hits[end]
        window = slice(max(lo - 60, 0), hi + 1)
        down = move[hits[start : end + 1]].min() <= -CRASH_MOVE
        seg = logp[window]
        k = int(np.argmin(seg) if down else np.argmax(seg))
        peaks.append(int(minutes[window][k]) * MINUTE_MS)
        start = end + 1
    return peaks


def _lead(
    events: list[CascadeEvent], alerts: list[CascadeEvent], peak: int
) -> tuple[float | None, float | None]:
    """(fresh, standing) lead in minutes for one peak: fresh = from the last warning/critical alert
    raised in the ``FRESH_HOURS`` before the peak (else the first one within an hour after it, a
    negative lead); standing = from the start of the chain of non-calm regimes in force at the peak."""
    fresh_ms = FRESH_HOURS * 60 * MINUTE_MS
    recent = [e for e in alerts if peak - fresh_ms <= e.timestamp_ms <= peak]
    if recent:
        fresh: float | None = (peak - recent[-1].timestamp_ms) / MINUTE_MS
    else:
        after = [e for e in alerts if peak < e.timestamp_ms <= peak + 60 * MINUTE_MS]
        fresh = (peak - after[0].timestamp_ms) / MINUTE_MS if after else None
    start = None
    for e in reversed([e for e in events if e.timestamp_ms <= peak]):
        if e.regime == "calm":
            break
        if e.level in ("warning", "critical"):
            start = e.timestamp_ms
    standing = None if start is None else (peak - start) / MINUTE_MS
    return fresh, standing


def _score(events: list[CascadeEvent], peaks: list[int], first_ms: int, last_ms: int) -> tuple:
    alerts = [e for e in events if e.level in ("warning", "critical")]
    fresh = FRESH_HOURS * 60 * MINUTE_MS
    leads = tuple(_lead(events, alerts, peak) for peak in peaks)
    # An alert near no crash (none in the 6 h after it, none in the 12 h before it: aftershocks of a
    # crash are not false alarms) is a false alarm.
    false_alarms = sum(
        not any(-12 * 60 * MINUTE_MS <= p - e.timestamp_ms <= fresh for p in peaks) for e in alerts
    )
    days = max((last_ms - first_ms) / 86_400_000, 1 / 24)
    longest = 0.0
    for i, e in enumerate(events):
        if e.regime == "firing":
            end = next((x.timestamp_ms for x in events[i + 1 :] if x.regime != "firing"), last_ms)
            longest = max(longest, (end - e.timestamp_ms) / 3_600_000)
    criticals = sum(e.level == "critical" for e in events)
    return leads, false_alarms, len(alerts) * 30 / days, criticals, longest


def _variants() -> list[tuple[str, CascadeConfig]]:
    return [("all", CascadeConfig())] + [(f"-{c}", CascadeConfig(components_off=(c,))) for c in COMPONENTS]


def _present(monitors: list) -> set[str]:
    """Components some monitor scored at its last reading (leaving out an absent one changes nothing)."""
    present: set[str] = set()
    for mon in monitors:
        if mon.reading is not None:
            present |= {c.name for c in mon.reading.components}
    return present


def evaluate_file(path: str) -> list[CaseResult]:
    base = run_file(path, False)
    present = _present([s.monitor for s in base.symbols])
    out = []
    for variant, cfg in _variants():
        if variant != "all" and variant[1:] not in present:
            continue
        res = base if variant == "all" else run_file(path, False, cfg)
        for s in res.symbols:
            events = [e for e in res.events if e.symbol == s.symbol]
            ts, mark = _marks(path, s.symbol)
            peaks = _file_peaks(ts, mark)
            leads, fa, per30, crit, longest = _score(events, peaks, s.first_ms, s.last_ms)
            out.append(
                CaseResult(
                    f"{_short(path)} {s.symbol}", variant, tuple(peaks), leads, fa, per30, crit, longest
                )
            )
    return out


_MARK_CACHE: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}


def _marks(path: str, symbol: str) -> tuple[np.ndarray, np.ndarray]:
    key = (path, symbol)
    if key not in _MARK_CACHE:
        data = read_replay_csv(path)
        legs = [r for r in data.symbols if r.symbol == symbol or underlying(r.symbol) == symbol]
        ts = np.concatenate([r.timestamp_ms for r in legs])
        mark = np.concatenate([r.columns["mark_price"] for r in legs])
        _MARK_CACHE[key] = (ts, mark)
    return _MARK_CACHE[key]


def evaluate_scenario(name: str) -> list[CaseResult]:
    series = simulate(name)
    minutes = series.timestamp_ms // MINUTE_MS
    liq = series.liq_long_usd + series.liq_short_usd
    uniq, inv = np.unique(minutes, return_inverse=True)
    per_min = np.bincount(inv, weights=liq)
    # A cascade's peak minute: the most liquidated minute, when it passes 10x the $5 M firing floor.
    peaks = [int(uniq[int(np.argmax(per_min))]) * MINUTE_MS] if per_min.max() >= 5e7 else []
    base_mon, _ = replay_series(series)
    present = _present([base_mon])
    out = []
    for variant, cfg in _variants():
        if variant != "all" and variant[1:] not in present:
            continue
        _, events = replay_series(series, cfg)
        first, last = int(series.timestamp_ms[0]), int(series.timestamp_ms[-1])
        leads, fa, per30, crit, longest = _score(events, peaks, first, last)
        out.append(CaseResult(f"scenario {name}", variant, tuple(peaks), leads, fa, per30, crit, longest))
    return out


def _short(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.removesuffix(".gz").removesuffix(".csv")


def _fmt_lead(lead: tuple[float | None, float | None]) -> str:
    fresh, standing = lead
    f = "-" if fresh is None else f"{fresh:+.0f}"
    return f if standing is None or standing == fresh else f"{f}({standing:.0f})"


def print_table(results: list[CaseResult], stream: TextIO | None = None) -> None:
    w = (stream or sys.stdout).write
    w(
        "Cascade alert evaluation. lead = minutes from the last warning/critical alert raised in the 6 h "
        "before each peak minute\n(negative: after it; in brackets: since the alert chain standing at the "
        "peak began, when earlier)\n"
    )
    w(
        f"{'case':52} {'variant':14} {'peaks':>5} {'lead (min)':>20} {'false':>5} {'alerts/30d':>10} "
        f"{'critical':>8} {'max firing h':>12}\n"
    )
    for r in results:
        leads = ",".join(_fmt_lead(x) for x in r.leads_min) or "-"
        w(
            f"{r.case[:52]:52} {r.variant:14} {len(r.peaks):5d} {leads:>20} {r.false_alarms:5d} "
            f"{r.alerts_per_30d:10.1f} {r.criticals:8d} {r.longest_firing_h:12.1f}\n"
        )
    w("\nPeak minutes (UTC):\n")
    seen: set[str] = set()
    for r in results:
        if r.case in seen:
            continue
        seen.add(r.case)
        when = ", ".join(datetime.fromtimestamp(p / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M") for p in r.peaks)
        w(f"  {r.case}: {when or 'none'}\n")
