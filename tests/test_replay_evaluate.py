"""``liqguard replay --evaluate``: crashes found in the data, lead and false alarms per variant."""

from __future__ import annotations

import math
from pathlib import Path

from desktop.cli.evaluate import _file_peaks, evaluate_file
from desktop.cli.replay import main

MIN = 60_000
T0 = 1_760_000_000_000 - 1_760_000_000_000 % (60 * MIN)


def _crash_csv(path: Path) -> int:
    """Two days of a gently oscillating BTC at 0.05 %/8h funding (55 % APR), then -12 % in 40 minutes
    and a rebound.
    Returns the minute of the low (epoch ms)."""
    lines = ["timestamp,symbol,mark_price,funding_rate"]
    n = 2 * 24 * 60
    price = 100_000.0
    for m in range(n + 120):
        if n <= m < n + 40:
            price *= math.exp(-0.12 / 40)
        elif m >= n + 40:
            price *= math.exp(0.03 / 80)  # a rebound: the low is one minute
        wiggle = 1 + 0.0005 * math.sin(m / 7)
        lines.append(f"{T0 + m * MIN},BTC/USDT:USDT,{price * wiggle:.2f},0.0005")
    path.write_text("\n".join(lines) + "\n")
    return T0 + (n + 39) * MIN


def test_peaks_are_found_in_the_prices(tmp_path: Path) -> None:
    f = tmp_path / "crash.csv"
    low = _crash_csv(f)
    results = evaluate_file(str(f))
    assert [r.variant for r in results] == ["all", "-funding", "-move"]  # only components present
    (all_,) = [r for r in results if r.variant == "all"]
    assert all_.peaks == (low,) or abs(all_.peaks[0] - low) <= 2 * MIN
    ((fresh, _standing),) = all_.leads_min
    # Funding 55 % APR (active after 60 min) + a falling price -> warning, then firing: before the low.
    assert fresh is not None and fresh >= 10
    assert all_.false_alarms == 0
    assert all_.longest_firing_h <= 12
    (no_move,) = [r for r in results if r.variant == "-move"]
    assert no_move.leads_min == ((None, None),)  # funding alone never warns


def test_file_peaks_quiet_series_has_none() -> None:
    import numpy as np

    ts = T0 + np.arange(600) * MIN
    assert _file_peaks(ts, 100.0 + np.sin(np.arange(600) / 10)) == []


def test_evaluate_cli_prints_the_table(tmp_path: Path, capsys) -> None:
    f = tmp_path / "crash.csv"
    _crash_csv(f)
    assert main(["--evaluate", str(f)]) == 0
    out = capsys.readouterr().out
    assert "Cascade alert evaluation" in out
    assert "crash BTC/USDT:USDT" in out and "-funding" in out
