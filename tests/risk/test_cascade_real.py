"""The cascade monitor on real Binance BTC series (issue #12 "Done when").

Data: ``../shared/data/real/`` (sources in its README: Binance market data committed to public
backtesting repositories; Binance's terms apply, so the files are read in place, not copied into the
repository). The tests skip when the directory is absent.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pytest

from risk.cascade import MINUTE_MS, CascadeEvent, CascadeMonitor

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
MAY_2021 = REAL / "real-2021-05-19-btc-spot-1m.csv.gz"
JUNE_2025 = REAL / "real-2025-06-btc-perp-1m-month.csv.gz"
# 19 May 2021: low 30,101 at 13:05-13:10 UTC (Binance 5-min bar, cascade-indicators.md §5); the data
# README: "fall from ~12:00, low 30,000 at 13:10 UTC". The peak minute is the minute of the low.
MAY_19_PEAK_MS = 1621429800000  # 2021-05-19 13:10:00 UTC


def _load(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        pytest.skip(f"real data not present: {path}")
    with gzip.open(path, "rt") as fh:
        table = np.genfromtxt(io.StringIO(fh.read()), delimiter=",", names=True, dtype=None, encoding=None)
    return {
        "timestamp_ms": table["timestamp"].astype(np.int64),
        "mark_price": table["mark_price"].astype(float),
        "funding_rate": table["funding_rate"].astype(float),
    }


_CACHE: dict[tuple[int, int], tuple[CascadeMonitor, list[CascadeEvent]]] = {}


def _replay(d: dict[str, np.ndarray], every: int = 1) -> tuple[CascadeMonitor, list[CascadeEvent]]:
    key = (id(d), every)
    if key not in _CACHE:
        _CACHE[key] = _run(d, every)
    return _CACHE[key]


def _run(d: dict[str, np.ndarray], every: int) -> tuple[CascadeMonitor, list[CascadeEvent]]:
    """Replay the series; ``every=5`` keeps only rows on 5-minute boundaries (the same closes at 5 min)."""
    keep = (d["timestamp_ms"] // MINUTE_MS) % every == 0
    mon = CascadeMonitor("BTC/USDT:USDT")
    events = mon.update_many(
        d["timestamp_ms"][keep], mark_price=d["mark_price"][keep], funding_rate=d["funding_rate"][keep]
    )
    return mon, events + mon.flush()


def _regime_at(events: list[CascadeEvent], minute: int) -> str:
    return _regimes(events, np.array([minute]))[0]


def _regimes(events: list[CascadeEvent], minutes: np.ndarray) -> np.ndarray:
    """The regime in force at each minute (calm before the first event)."""
    at = np.array([e.timestamp_ms // MINUTE_MS for e in events], dtype=np.int64)
    names = np.array(["calm"] + [e.regime for e in events])
    return names[np.searchsorted(at, minutes, side="right")]


@pytest.fixture(scope="module")
def may() -> dict[str, np.ndarray]:
    return _load(MAY_2021)


@pytest.fixture(scope="module")
def june() -> dict[str, np.ndarray]:
    return _load(JUNE_2025)


def test_firing_never_lasts_more_than_12_hours_without_new_evidence(may, june):
    for d in (may, june):
        for every in (1, 5):
            _, events = _replay(d, every)
            starts = [e.timestamp_ms for e in events if e.regime == "firing"]
            for t in starts:
                end = next(
                    (e.timestamp_ms for e in events if e.timestamp_ms > t and e.regime != "firing"), None
                )
                assert end is not None and end - t <= 12 * 60 * MINUTE_MS, (t, end)


def test_fresh_warning_at_least_10_minutes_before_the_may_19_peak(may):
    for every in (1, 5):
        _, events = _replay(may, every)
        alerts = [
            e
            for e in events
            if e.level in ("warning", "critical") and e.timestamp_ms <= MAY_19_PEAK_MS - 10 * MINUTE_MS
        ]
        last = alerts[-1]
        # Fresh: raised in the last 6 hours, not a state left over from days before.
        assert MAY_19_PEAK_MS - last.timestamp_ms <= 6 * 60 * MINUTE_MS, last
        # And the alert still stands 10 minutes before the peak.
        assert _regime_at(events, MAY_19_PEAK_MS // MINUTE_MS - 10) in ("loaded", "firing")


def test_june_2025_at_most_4_warnings_and_no_critical(june):
    _, events = _replay(june)
    assert sum(e.level == "warning" for e in events) <= 4
    assert not [e for e in events if e.level == "critical"]


def test_funding_settlements_do_not_toggle_the_regime(june, may):
    """The old rules warned at 00:01 / 08:01 / 16:01 (the minute after each settlement)."""
    for d in (june, may):
        _, events = _replay(d)
        at_settlement = [e for e in events if (e.timestamp_ms // MINUTE_MS) % 480 in (0, 1)]
        assert not at_settlement, at_settlement


@pytest.mark.parametrize("name", ["may", "june"])
def test_one_minute_and_five_minute_rows_agree_within_one_bar(name, request):
    d = request.getfixturevalue(name)
    _, one = _replay(d, 1)
    _, five = _replay(d, 5)
    first = int(d["timestamp_ms"][0]) // MINUTE_MS
    last = int(d["timestamp_ms"][-1]) // MINUTE_MS
    minutes = np.arange(first, last + 1)
    ref = _regimes(one, minutes)
    # Within one bar = the 5-minute series has the same regime somewhere within +-5 minutes.
    agree = np.zeros(minutes.size, dtype=bool)
    for k in range(-5, 6):
        agree |= _regimes(five, minutes + k) == ref
    assert np.count_nonzero(~agree) <= 0.005 * minutes.size, np.count_nonzero(~agree)
    assert [e.regime for e in one if e.level != "info"] == [e.regime for e in five if e.level != "info"]
