"""Benchmark of the stop suggester and the touch probability (run by hand:
``uv run python tests/benchmarks/bench_stops.py``).

Times ``suggest_stops`` on 10,000 mixed positions against two per-position loops in the same run:
``suggest_stop`` called row by row, and the plain-Python reference of ``tests/risk/stops_reference.py``
(which finds the budget stop and the size that fits by bisection, so it is slower per row than a
closed-form loop would be; it is timed on a sample and scaled). Also times ``touch_probability_array``
on 100,000 positions against a plain loop of ``2·Φ(-z)`` with ``math.erfc``. Prints medians and ratios.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from risk import HORIZON_24H, DepthCurve, suggest_stop, suggest_stops, touch_probability_array
from tests.risk import stops_reference

COUNT = 10_000
SAMPLE = 300


def _inputs(count: int, seed: int = 7) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    side = np.where(rng.random(count) < 0.5, "long", "short")
    sign = np.where(side == "long", 1.0, -1.0)
    mark = rng.uniform(0.5, 70000.0, count)
    distance = rng.uniform(0.005, 0.3, count)
    liquidation = mark * (1.0 - sign * distance)
    curves = [DepthCurve([0.0005, 0.001, 0.003, 0.01], np.cumsum(rng.uniform(1, 50, 4))) for _ in range(8)]
    return {
        "side": side,
        "entry_price": mark * rng.uniform(0.9, 1.1, count),
        "mark_price": mark,
        "liquidation_price": liquidation,
        "contracts": rng.uniform(0.1, 60.0, count),
        "contract_size": np.ones(count),
        "inverse": rng.random(count) < 0.2,
        "equity": rng.uniform(1e3, 1e6, count),
        "taker_fee_rate": 0.0005,
        "mark_last_allowance": 0.005,
        "depth": [curves[i % len(curves)] for i in range(count)],
        "atr": mark * rng.uniform(0.002, 0.03, count),
        "max_loss_fraction": rng.uniform(0.002, 0.05, count),
        "maintenance_rate": 0.004,
    }


def _row(inputs: dict[str, object], index: int) -> dict[str, object]:
    row = {}
    for key, value in inputs.items():
        if isinstance(value, np.ndarray):
            row[key] = value[index].item()
        elif isinstance(value, list):
            row[key] = value[index]
        else:
            row[key] = value
    return row


def _reference_case(row: dict[str, object]) -> stops_reference.Case:
    depth: DepthCurve = row["depth"]  # type: ignore[assignment]
    return stops_reference.Case(
        side=row["side"],
        mark=row["mark_price"],
        liquidation=row["liquidation_price"],
        contracts=row["contracts"],
        contract_size=row["contract_size"],
        inverse=row["inverse"],
        equity=row["equity"],
        fee=row["taker_fee_rate"],
        gap=row["mark_last_allowance"],
        max_loss_fraction=row["max_loss_fraction"],
        atr_reach=2.0 * row["atr"],
        sigma_reach=None,
        levels=tuple(zip(depth.distances.tolist(), depth.cumulative_contracts.tolist(), strict=True)),
        maintenance_rate=row["maintenance_rate"],
    )


def _median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    inputs = _inputs(COUNT)
    batch = suggest_stops(**inputs)
    infeasible = int(np.count_nonzero(~batch.feasible))
    batch_seconds = _median_seconds(lambda: suggest_stops(**inputs), 7)
    rows = [_row(inputs, i) for i in range(SAMPLE)]
    scalar_seconds = _median_seconds(lambda: [suggest_stop(**row) for row in rows], 3) * COUNT / SAMPLE
    cases = [_reference_case(row) for row in rows]

    def reference() -> None:
        for case in cases:
            answer = stops_reference.solve(case)
            if not answer.feasible:
                stops_reference.feasible_size(case)

    reference_seconds = _median_seconds(reference, 3) * COUNT / SAMPLE
    reasons_seconds = _median_seconds(lambda: [batch.suggestion(i) for i in range(SAMPLE)], 3) / SAMPLE
    print(f"positions: {COUNT} ({infeasible} infeasible, each with a search for the size that fits)")
    print(f"suggest_stops (batch):           {batch_seconds * 1e3:9.1f} ms")
    for label, seconds in (
        ("suggest_stop loop", scalar_seconds),
        ("plain-Python reference", reference_seconds),
    ):
        print(f"{label + ' (scaled):':33}{seconds * 1e3:9.1f} ms  ({seconds / batch_seconds:.0f}x the batch)")
    print(f"StopBatch.suggestion (reasons):  {reasons_seconds * 1e6:9.1f} us per row")


def touch_benchmark(count: int = 100_000) -> None:
    rng = np.random.default_rng(11)
    mark = rng.uniform(1.0, 1e5, count)
    liquidation = mark * rng.uniform(0.5, 0.99, count)
    sigma = rng.uniform(0.2, 1.5, count)
    vectorised = _median_seconds(lambda: touch_probability_array(mark, liquidation, sigma, HORIZON_24H), 7)
    pairs = list(zip(mark.tolist(), liquidation.tolist(), sigma.tolist(), strict=True))
    root = math.sqrt(HORIZON_24H)

    def loop() -> list[float]:
        return [math.erfc(math.log(m / q) / (s * root) / math.sqrt(2.0)) for m, q, s in pairs]

    plain = _median_seconds(loop, 3)
    print(f"touch_probability_array, {count} positions: {vectorised * 1e3:.1f} ms")
    print(f"plain loop with math.erfc:                {plain * 1e3:.1f} ms  ({plain / vectorised:.1f}x)")


if __name__ == "__main__":
    main()
    touch_benchmark()
