"""Speed of the alert rules and the history store, against plain-Python references in the same run.

Run by hand (not part of the default test run):

    uv run python tests/benchmarks/bench_alerts.py [--quick]

What it measures:

* ``AlertEngine.observe`` (one observation object per position) and ``AlertEngine.observe_positions``
  (arrays) on 10,000 positions per tick (distances on a random walk, about 0.3 % of
  positions crossing a tier per tick), building the observations included, p50 and p99 over the ticks;
  the reference is a bare loop computing each position's raw tier into a dict (no hysteresis, snooze,
  start-up or event text), i.e. the least any rule engine must do.
* ``HistoryStore.record_many`` of one snapshot's points (10,000 positions x 5 series) in one
  transaction, and ``record_alert`` one by one, on a real SQLite file (WAL), against ``sqlite3``
  ``executemany`` of the same rows into a bare table.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.store import HistoryStore  # noqa: E402
from risk.alerts import AlertEngine, PositionObservation  # noqa: E402

T0 = int(time.time() * 1000)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def walk(n: int, ticks: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    start = rng.uniform(0.03, 0.6, n)
    steps = rng.normal(0.0, 0.002, (ticks, n))
    return np.clip(start + np.cumsum(steps, axis=0), -0.05, None)


def bench_engine(n: int, ticks: int) -> dict[str, float]:
    paths = walk(n, ticks)
    keys = [f"acct:SYM{i}/USDT:USDT:long" for i in range(n)]
    engine = AlertEngine()
    engine_ms: list[float] = []
    events = 0
    for t in range(ticks):
        row = paths[t].tolist()
        start = time.perf_counter()
        observations = [PositionObservation(k, d) for k, d in zip(keys, row, strict=True)]
        events += len(engine.observe(observations, T0 + t * 1000))
        engine_ms.append((time.perf_counter() - start) * 1000)

    batch_engine = AlertEngine()
    batch_ms: list[float] = []
    batch_events = 0
    for t in range(ticks):
        start = time.perf_counter()
        batch_events += len(batch_engine.observe_positions(keys, paths[t], T0 + t * 1000))
        batch_ms.append((time.perf_counter() - start) * 1000)
    assert batch_events == events, (batch_events, events)

    tiers = (0.20, 0.10, 0.05)
    reference: dict[str, int] = {}
    reference_ms: list[float] = []
    for t in range(ticks):
        row = paths[t].tolist()
        start = time.perf_counter()
        for k, d in zip(keys, row, strict=True):
            reference[k] = (d <= tiers[0]) + (d <= tiers[1]) + (d <= tiers[2])
        reference_ms.append((time.perf_counter() - start) * 1000)
    steady = engine_ms[1:]  # tick 0 raises every start-up alert
    return {
        "positions": n,
        "ticks": ticks,
        "events": events,
        "startup_tick_ms": engine_ms[0],
        "engine_p50_ms": percentile(steady, 50),
        "engine_p99_ms": percentile(steady, 99),
        "batch_p50_ms": percentile(batch_ms[1:], 50),
        "batch_p99_ms": percentile(batch_ms[1:], 99),
        "reference_p50_ms": percentile(reference_ms[1:], 50),
        "ratio_p50": percentile(steady, 50) / percentile(reference_ms[1:], 50),
        "batch_ratio_p50": percentile(batch_ms[1:], 50) / percentile(reference_ms[1:], 50),
    }


def bench_store(n: int, repeats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "h.sqlite3")
        store_ms: list[float] = []
        for r in range(repeats):
            rows = [(T0 + r, f"p{i}", name, float(i)) for i in range(n) for name in ("a", "b", "c", "d", "e")]
            start = time.perf_counter()
            store.record_many(rows)
            store_ms.append((time.perf_counter() - start) * 1000)
        engine = AlertEngine()
        events = engine.observe([PositionObservation(f"p{i}", 0.04) for i in range(1000)], T0)
        start = time.perf_counter()
        for event in events:
            store.record_alert(event)
        alert_ms = (time.perf_counter() - start) * 1000 / len(events)
        store.close()

        conn = sqlite3.connect(Path(tmp) / "bare.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE points (subject TEXT, series TEXT, timestamp_ms INTEGER, value REAL)")
        bare_ms: list[float] = []
        for r in range(repeats):
            rows = [(f"p{i}", name, T0 + r, float(i)) for i in range(n) for name in ("a", "b", "c", "d", "e")]
            start = time.perf_counter()
            with conn:
                conn.executemany("INSERT INTO points VALUES (?,?,?,?)", rows)
            bare_ms.append((time.perf_counter() - start) * 1000)
        conn.close()
    return {
        "rows_per_snapshot": n * 5,
        "record_many_p50_ms": percentile(store_ms, 50),
        "bare_executemany_p50_ms": percentile(bare_ms, 50),
        "ratio_p50": percentile(store_ms, 50) / percentile(bare_ms, 50),
        "record_alert_ms_each": alert_ms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer ticks and repeats")
    args = parser.parse_args()
    ticks, repeats = (20, 3) if args.quick else (200, 10)
    engine = bench_engine(10_000, ticks)
    print("alert rules, 10,000 positions per tick")
    for key, value in engine.items():
        print(f"  {key:>22}: {value:,.3f}" if isinstance(value, float) else f"  {key:>22}: {value:,}")
    store = bench_store(10_000, repeats)
    print("history store (SQLite WAL)")
    for key, value in store.items():
        print(f"  {key:>22}: {value:,.3f}" if isinstance(value, float) else f"  {key:>22}: {value:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
