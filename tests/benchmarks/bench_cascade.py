"""Speed of the cascade replay, the simulator and the liquidation map, with plain-Python references.

Run by hand (not part of the default test run):

    uv run python tests/benchmarks/bench_cascade.py [--quick]

Targets (issue 3): replay of 1,000,000 rows <= 2 s; a 24-hour scenario at 1-second steps simulated
<= 2 s. Each figure is the best of ``--repeat`` runs (the machine is shared); the load average is printed.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.cli.replay import main as replay_main  # noqa: E402
from desktop.cli.replay_csv import read_replay_csv  # noqa: E402
from risk.cascade import INPUTS, CascadeMonitor  # noqa: E402
from risk.liqmap import LiquidationMap  # noqa: E402
from risk.simulate import GRID_STEP, Simulation, level_factors, scenario, simulate  # noqa: E402

T0 = 1_760_000_000_000


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def rows(n: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """n 1-second rows with every input present (liquidations in 2 % of the seconds)."""
    rng = np.random.default_rng(0)
    ts = T0 + np.arange(n, dtype=np.int64) * 1000
    mark = 100_000 * np.exp(np.cumsum(rng.normal(0, 1e-4, n)))
    cols = {
        "mark_price": mark,
        "index_price": mark * (1 - 1e-4),
        "funding_rate": np.full(n, 1e-4),
        "open_interest": 1e5 * np.exp(np.cumsum(rng.normal(0, 1e-5, n))),
        "liq_long_usd": np.where(rng.random(n) < 0.02, rng.lognormal(10, 2, n), 0.0),
        "liq_short_usd": np.where(rng.random(n) < 0.02, rng.lognormal(10, 2, n), 0.0),
        "bid_depth_1pct_usd": 2.4e8 * (1 + 0.05 * rng.standard_normal(n)),
        "ask_depth_1pct_usd": 2.3e8 * (1 + 0.05 * rng.standard_normal(n)),
        "bid_depth_2pct_usd": 4.6e8 * (1 + 0.05 * rng.standard_normal(n)),
        "ask_depth_2pct_usd": 4.4e8 * (1 + 0.05 * rng.standard_normal(n)),
        "long_short_ratio": np.full(n, 1.5),
    }
    assert set(cols) == set(INPUTS)
    return ts, cols


def write_csv(path: Path, ts: np.ndarray, cols: dict[str, np.ndarray]) -> None:
    names = list(cols)
    table = np.column_stack([cols[name] for name in names])
    body = io.StringIO()
    np.savetxt(body, table, delimiter=",", fmt="%.10g")
    lines = body.getvalue().splitlines()
    with open(path, "w") as f:
        f.write("timestamp,symbol," + ",".join(names) + "\n")
        for t, line in zip(ts.tolist(), lines, strict=True):
            f.write(f"{t},BTC/USDT:USDT,{line}\n")


def bench_replay(n: int, repeat: int) -> None:
    ts, cols = rows(n)

    def engine() -> None:
        mon = CascadeMonitor("BTC/USDT:USDT")
        mon.update_many(ts, **cols)
        mon.flush()

    t_engine = best(engine, repeat)
    # Plain-Python reference: the same monitor fed one row at a time (per-row update()).
    k = min(n, 200_000)
    lists = {name: arr[:k].tolist() for name, arr in cols.items()}
    ts_list = ts[:k].tolist()

    def per_row() -> None:
        mon = CascadeMonitor("BTC/USDT:USDT")
        for i, t in enumerate(ts_list):
            mon.update(t, **{name: values[i] for name, values in lists.items()})
        mon.flush()

    t_rows = best(per_row, 1) * n / k
    print(f"replay engine, {n:,} rows x {len(cols)} inputs (update_many): {t_engine:.3f} s")
    print(
        f"  plain per-row update() reference: {t_rows:.2f} s (measured on {k:,} rows)"
        f" -> {t_rows / t_engine:.1f}x"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "replay.csv"
        write_csv(path, ts, cols)
        size_mb = path.stat().st_size / 1e6
        t_parse = best(lambda: read_replay_csv(path), repeat)
        assert read_replay_csv(path).parsed_in_bulk

        def cli() -> None:
            with redirect_stdout(io.StringIO()):
                assert replay_main([str(path), "--json"]) == 0

        t_cli = best(cli, repeat)
        print(f"replay CSV parse ({size_mb:.0f} MB, numpy bulk path): {t_parse:.3f} s")
        print(f"liqguard replay FILE --json end to end (parse + engine + JSON): {t_cli:.3f} s")


def naive_liquidations(sim: Simulation, mark: np.ndarray, opened: np.ndarray) -> float:
    """Reference: every long position checked every step against the mark (numpy per step)."""
    sc = sim.scenario
    (levels, sizes), _ = sim.initial_population()
    long_f, _, w = level_factors(sc.leverage, sc.mmr)
    buckets = list(np.floor(np.log(levels / sc.initial_price) / GRID_STEP))
    size_list = list(sizes)
    lev_b = np.array(buckets)
    size = np.array(size_list)
    live = np.ones(size.shape, bool)
    total = 0.0
    for t in range(mark.shape[0]):
        jm = math.floor(math.log(mark[t] / sc.initial_price) / GRID_STEP)
        hit = live & (lev_b >= jm)
        total += float(size[hit].sum())
        live &= ~hit
        if opened[t] > 0:
            lev_b = np.concatenate((lev_b, np.floor(np.log(mark[t] * long_f / sc.initial_price) / GRID_STEP)))
            size = np.concatenate((size, opened[t] * w))
            live = np.concatenate((live, np.ones(len(w), bool)))
    return total


def bench_simulate(repeat: int) -> None:
    t_day = best(lambda: simulate("oct-10-2025"), repeat)
    print(f"simulate oct-10-2025, 24 h at 1-second steps (86,400 steps): {t_day:.3f} s")
    t_calm = best(lambda: simulate("calm"), repeat)
    print(f"simulate calm, 24 h at 1-second steps: {t_calm:.3f} s")

    def stepped() -> None:
        sim = Simulation("oct-10-2025")
        while not sim.done:
            sim.step(1)

    t_step = best(stepped, 1)
    print(f"  the same day stepped one second at a time (step(1) x 86,400, the demo's way): {t_step:.3f} s")
    t_fast = best(lambda: simulate("oct-10-2025", time_scale=60.0), repeat)
    print(f"  time_scale=60 (1,440 steps): {t_fast * 1000:.1f} ms")

    # Reference for the liquidation sweep: one hour (3,600 steps) with every position checked each step.
    sim = Simulation(scenario("calm"))
    hour = sim.step(3600)
    t0 = time.perf_counter()
    naive_liquidations(Simulation(scenario("calm")), hour.mark, hour.opened_long_coin)
    t_naive_hour = time.perf_counter() - t0
    t_naive_day = t_naive_hour * 24
    print(
        f"  per-position reference (each live position checked each step, numpy per step): "
        f"{t_naive_hour:.2f} s per hour of calm -> ~{t_naive_day:.0f} s per day (extrapolated; it grows with "
        f"the population) -> {t_naive_day / t_calm:.0f}x the bucketed sweep"
    )


def bench_liqmap(n: int) -> None:
    rng = np.random.default_rng(1)
    price = 100_000 * np.exp(np.cumsum(rng.normal(0, 5e-4, n)))
    oi = 1e5 * np.exp(np.cumsum(rng.normal(0, 1e-3, n)))
    m = LiquidationMap()
    t = time.perf_counter()
    for i in range(n):
        m.update(T0 + i * 60_000, float(price[i]), float(oi[i]))
    el = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(1000):
        m.notional_within(float(price[-1]), 0.02)
    q = time.perf_counter() - t
    print(
        f"liquidation map: {el / n * 1e6:.1f} us per update ({n:,} 1-minute bars);"
        f" notional_within: {q * 1e3:.0f} us"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100,000 rows instead of 1,000,000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = 100_000 if args.quick else 1_000_000
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}, load average (1 min): {load:.1f}")
    bench_replay(n, args.repeat)
    bench_simulate(args.repeat)
    bench_liqmap(10_000)


if __name__ == "__main__":
    main()
