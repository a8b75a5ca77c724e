"""``liqguard replay``: run the cascade indicators and regimes over a recorded or simulated series.

    liqguard replay FILE.csv [--json] [--skip-bad]
    liqguard replay --scenario NAME [--json] [--seed N] [--time-scale X]

Prints the timeline of regime changes and alerts (time, symbol, regime, level, score, top reasons) and a
summary; ``--json`` prints ``{"events": [...], "summary": {...}}`` instead (schema in the README).
Exit codes: 0 done, 2 bad arguments or a malformed/unreadable file (the message names line and column).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

import numpy as np

from desktop.cli.replay_csv import ReplayFormatError, SymbolRows, read_replay_csv
from risk.cascade import (
    CascadeConfig,
    CascadeEvent,
    CascadeMonitor,
    MarketAggregate,
    replay_series,
    underlying,
)
from risk.simulate import SCENARIOS, calibration, scenario, simulate

EXIT_OK = 0
EXIT_BAD_INPUT = 2


@dataclass(slots=True)
class SymbolSummary:
    symbol: str
    rows: int
    first_ms: int
    last_ms: int
    monitor: CascadeMonitor
    legs: list[str] = field(default_factory=list)
    """The venue/symbol legs aggregated into this market (empty: one symbol, not aggregated)."""


@dataclass(slots=True)
class ReplayOutcome:
    source: str
    events: list[CascadeEvent]
    symbols: list[SymbolSummary]
    rows: int
    skipped: int = 0
    skipped_examples: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    calibration: list[dict] = field(default_factory=list)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="liqguard replay",
        description="Run LiqGuard's cascade indicators and alert rules over a recorded or simulated series.",
    )
    p.add_argument("file", nargs="*", help="CSV file (columns: see README 'Replay'; .csv.gz too)")
    p.add_argument(
        "--evaluate",
        action="store_true",
        help="print the lead / false-alarm table for the FILEs (and --scenario, or every scenario "
        "when no file is given), with each component left out in turn",
    )
    p.add_argument(
        "--scenario", choices=SCENARIOS, help="replay a built-in simulated scenario instead of a file"
    )
    p.add_argument("--json", action="store_true", help="print JSON: {events: [...], summary: {...}}")
    p.add_argument(
        "--skip-bad", action="store_true", help="skip malformed rows (counted) instead of stopping"
    )
    p.add_argument("--seed", type=int, default=0, help="simulator seed for --scenario (default 0)")
    p.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="scenario seconds per simulated row for --scenario (default 1)",
    )
    return p


def _replay_rows(
    rows: SymbolRows, config: CascadeConfig | None = None
) -> tuple[CascadeMonitor, list[CascadeEvent]]:
    mon = CascadeMonitor(rows.symbol, config=config)
    cols = dict(rows.columns)
    interval = cols.pop("funding_interval_hours", None)
    if interval is not None:
        interval = np.where(np.isnan(interval), 8.0, interval)
    events = mon.update_many(rows.timestamp_ms, funding_interval_hours=interval, **cols)
    return mon, events + mon.flush()


def _leg_name(rows: SymbolRows) -> str:
    return f"{rows.venue} {rows.symbol}" if rows.venue else rows.symbol


def _replay_legs(
    name: str, legs: list[SymbolRows], config: CascadeConfig | None = None
) -> tuple[CascadeMonitor, list[CascadeEvent]]:
    """Several venues / quotes of one underlying: rows merged in time order into one market-wide
    monitor (:class:`risk.cascade.MarketAggregate`: OI and liquidations summed, funding OI-weighted)."""
    agg = MarketAggregate(name, config)
    ts = np.concatenate([rows.timestamp_ms for rows in legs])
    which = np.concatenate([np.full(len(rows), i) for i, rows in enumerate(legs)])
    pos = np.concatenate([np.arange(len(rows)) for rows in legs])
    events: list[CascadeEvent] = []
    names = [_leg_name(rows) for rows in legs]
    lists = [{k: v.tolist() for k, v in rows.columns.items()} for rows in legs]
    for k in np.argsort(ts, kind="stable").tolist():
        i, j = int(which[k]), int(pos[k])
        cols = lists[i]
        interval = cols.get("funding_interval_hours")
        hours = interval[j] if interval is not None and interval[j] == interval[j] else None
        inputs = {c: v[j] for c, v in cols.items() if c != "funding_interval_hours"}
        events += agg.update(names[i], int(ts[k]), funding_interval_hours=hours, **inputs)
    return agg.monitor, events + agg.flush()


def run_file(path: str, skip_bad: bool, config: CascadeConfig | None = None) -> ReplayOutcome:
    data = read_replay_csv(path, skip_bad=skip_bad)
    events: list[CascadeEvent] = []
    summaries = []
    markets: dict[str, list[SymbolRows]] = {}
    for rows in data.symbols:
        markets.setdefault(underlying(rows.symbol), []).append(rows)
    for name, legs in markets.items():
        first = min(int(rows.timestamp_ms[0]) for rows in legs)
        last = max(int(rows.timestamp_ms[-1]) for rows in legs)
        if len(legs) == 1:
            mon, ev = _replay_rows(legs[0], config)
            summaries.append(SymbolSummary(legs[0].symbol, len(legs[0]), first, last, mon))
        else:
            mon, ev = _replay_legs(name, legs, config)
            n = sum(len(rows) for rows in legs)
            summaries.append(SymbolSummary(name, n, first, last, mon, [_leg_name(r) for r in legs]))
        events += ev
    events.sort(key=lambda e: e.timestamp_ms)  # stable: per-symbol order kept on ties
    return ReplayOutcome(
        path, events, summaries, data.rows, data.skipped, data.skipped_examples, data.ignored_columns
    )


def run_scenario(name: str, seed: int, time_scale: float) -> ReplayOutcome:
    series = simulate(name, seed=seed, time_scale=time_scale)
    mon, events = replay_series(series)
    rows = len(series)
    summary = SymbolSummary(
        series.symbol, rows, int(series.timestamp_ms[0]), int(series.timestamp_ms[-1]), mon
    )
    cal = []
    if time_scale == 1.0:
        cal = [
            {
                "metric": r.metric,
                "published": _finite_or_none(r.published),
                "simulated": r.simulated,
                "unit": r.unit,
            }
            for r in calibration(series, scenario(name))
        ]
    return ReplayOutcome(f"scenario {name} (seed {seed})", events, [summary], rows, calibration=cal)


def _finite_or_none(x: float) -> float | None:
    return x if np.isfinite(x) else None


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def summary_dict(out: ReplayOutcome) -> dict:
    levels = {"info": 0, "warning": 0, "critical": 0}
    for e in out.events:
        levels[e.level] += 1
    symbols = {}
    for s in out.symbols:
        mon = s.monitor
        reading = mon.reading
        symbols[s.symbol] = {
            "rows": s.rows,
            "first_timestamp": s.first_ms,
            "last_timestamp": s.last_ms,
            "minutes_evaluated": mon.minutes_evaluated,
            "final_regime": mon.regime,
            "final_score": round(reading.score, 2) if reading else None,
            "max_score": round(mon.max_score, 2) if reading else None,
            "max_score_timestamp": mon.max_score_timestamp_ms if reading else None,
            "missing": list(reading.missing) if reading else [],
            "legs": s.legs,
            "gaps": [{"start": start, "minutes": minutes} for start, minutes in mon.gaps],
        }
    result = {
        "source": out.source,
        "rows": out.rows,
        "rows_skipped": out.skipped,
        "skipped_examples": out.skipped_examples,
        "ignored_columns": out.ignored_columns,
        "events": len(out.events),
        "events_by_level": levels,
        "symbols": symbols,
    }
    if out.calibration:
        result["calibration"] = out.calibration
    return result


def event_dict(e: CascadeEvent) -> dict:
    return {
        "timestamp": e.timestamp_ms,
        "symbol": e.symbol,
        "regime": e.regime,
        "previous": e.previous,
        "score": round(e.score, 2),
        "level": e.level,
        "reasons": list(e.reasons),
    }


def print_human(out: ReplayOutcome, stream: TextIO | None = None) -> None:
    w = (stream or sys.stdout).write
    w(f"LiqGuard replay: {out.source}: {out.rows} rows, {len(out.symbols)} symbol(s)")
    if out.skipped:
        w(f", {out.skipped} malformed row(s) skipped")
    w("\n")
    for ex in out.skipped_examples:
        w(f"  skipped {ex}\n")
    if out.ignored_columns:
        w(f"  ignored columns: {', '.join(out.ignored_columns)}\n")
    for s in out.symbols:
        w(f"  {s.symbol}: {_iso(s.first_ms)} .. {_iso(s.last_ms)}, {s.rows} rows\n")
        if s.legs:
            w(f"    one market across {len(s.legs)} venue/quote legs: {', '.join(s.legs)}\n")
        for start, minutes in s.monitor.gaps:
            w(f"    gap: no price for {minutes} min from {_iso(start)} (regime held, not read as calm)\n")
    w("\n")
    if not out.events:
        w("No regime change: nothing to alert.\n")
    for e in out.events:
        w(
            f"{_iso(e.timestamp_ms)}  {e.symbol}  {e.previous} -> {e.regime}  {e.level.upper():8}  "
            f"score {e.score:3.0f}\n"
        )
        for reason in e.reasons:
            w(f"      {reason}\n")
    d = summary_dict(out)
    lv = d["events_by_level"]
    counts = f"{lv['critical']} critical, {lv['warning']} warning, {lv['info']} info"
    w(f"\nSummary: {d['events']} event(s): {counts}.\n")
    for sym, info in d["symbols"].items():
        if info["max_score"] is None:
            w(f"  {sym}: no complete minute to evaluate\n")
            continue
        w(
            f"  {sym}: max score {info['max_score']:.0f} at {_iso(info['max_score_timestamp'])}; "
            f"final regime {info['final_regime']} (score {info['final_score']:.0f})"
        )
        w(f"; missing: {', '.join(info['missing'])}\n" if info["missing"] else "\n")
    if out.calibration:
        w("\nCalibration (published vs simulated):\n")
        for row in out.calibration:
            pub = "< 0" if row["published"] is None else f"{row['published']:.4g}"
            w(f"  {row['metric']:34} {pub:>12} {row['simulated']:12.4g}  {row['unit']}\n")


def _evaluate(files: list[str], scenario_name: str | None) -> int:
    from desktop.cli.evaluate import evaluate_file, evaluate_scenario, print_table

    results = []
    try:
        for path in files:
            results += evaluate_file(path)
    except ReplayFormatError as exc:
        print(f"liqguard replay: {path}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"liqguard replay: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    names = [scenario_name] if scenario_name else ([] if files else list(SCENARIOS))
    for name in names:
        results += evaluate_scenario(name)
    print_table(results)
    return EXIT_OK


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return int(exc.code or 0) if exc.code != 2 else EXIT_BAD_INPUT
    if args.evaluate:
        return _evaluate(args.file, args.scenario)
    if len(args.file) > 1:
        print("liqguard replay: give one FILE.csv (several only with --evaluate)", file=sys.stderr)
        return EXIT_BAD_INPUT
    args.file = args.file[0] if args.file else None
    if (args.file is None) == (args.scenario is None):
        print("liqguard replay: give either FILE.csv or --scenario NAME (not both)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.file is None and args.skip_bad:
        print("liqguard replay: --skip-bad applies to a file, not to --scenario", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if args.scenario:
            out = run_scenario(args.scenario, args.seed, args.time_scale)
        else:
            out = run_file(args.file, args.skip_bad)
    except ReplayFormatError as exc:
        hint = " (use --skip-bad to skip malformed rows)" if exc.skippable and not args.skip_bad else ""
        print(f"liqguard replay: {args.file}: {exc}{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"liqguard replay: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:  # e.g. an invalid --time-scale
        print(f"liqguard replay: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        json.dump({"events": [event_dict(e) for e in out.events], "summary": summary_dict(out)}, sys.stdout)
        sys.stdout.write("\n")
    else:
        print_human(out)
    return EXIT_OK
