"""Streaming statistics over fixed-size ring buffers: O(1) push, running sums, medians, percentiles."""

from __future__ import annotations

import math

import numpy as np

from risk.cascade.config import DEPTH


class Ring:
    """Fixed-size float ring buffer: O(1) push and lookback; running sum, sum of squares and count of
    the finite values held (recomputed exactly once per ``size`` pushes so rounding cannot drift)."""

    __slots__ = ("buf", "count", "head", "n_finite", "pushes", "since_exact", "size", "total", "total_sq")

    def __init__(self, size: int) -> None:
        self.size = size
        self.buf = np.full(size, math.nan)
        self.head = 0  # next write position
        self.count = 0
        self.total = 0.0
        self.total_sq = 0.0
        self.n_finite = 0
        self.since_exact = 0
        self.pushes = 0  # ever pushed; a cache key

    def push(self, x: float) -> None:
        buf, h = self.buf, self.head
        if self.count == self.size:
            old = float(buf[h])
            if old == old:
                self.total -= old
                self.total_sq -= old * old
                self.n_finite -= 1
        else:
            self.count += 1
        buf[h] = x
        if x == x:
            self.total += x
            self.total_sq += x * x
            self.n_finite += 1
        self.head = h + 1 if h + 1 < self.size else 0
        self.pushes += 1
        self.since_exact += 1
        if self.since_exact >= self.size:
            self._exact()

    def _exact(self) -> None:
        vals = self.values()
        finite = vals[np.isfinite(vals)]
        self.total = float(finite.sum())
        self.total_sq = float((finite * finite).sum())
        self.n_finite = int(finite.size)
        self.since_exact = 0

    def push_repeat(self, x: float, k: int) -> None:
        """Push ``x`` k times in O(min(k, size))."""
        if k <= 0:
            return
        k_eff = min(k, self.size)
        if k_eff < 8:
            for _ in range(k_eff):
                self.push(x)
            return
        idx = (self.head + np.arange(k_eff)) % self.size
        self.buf[idx] = x
        self.head = int((self.head + k_eff) % self.size)
        self.count = min(self.size, self.count + k_eff)
        self.pushes += k
        self._exact()

    def ago(self, k: int) -> float:
        """Value pushed k pushes ago (0 = latest); NaN when not held."""
        if k >= self.count:
            return math.nan
        return float(self.buf[(self.head - 1 - k) % self.size])

    def oldest(self) -> tuple[float, int]:
        """Oldest value held and how many pushes ago it was."""
        return self.ago(self.count - 1), self.count - 1

    def values(self) -> np.ndarray:
        """Held values in storage order (order does not matter for sums, medians and percentiles)."""
        return self.buf if self.count == self.size else self.buf[: self.count]

    def mean(self) -> float:
        return self.total / self.n_finite if self.n_finite else math.nan

    def std(self) -> float:
        """Population standard deviation of the finite values."""
        if not self.n_finite:
            return math.nan
        m = self.total / self.n_finite
        return math.sqrt(max(self.total_sq / self.n_finite - m * m, 0.0))


class DepthRing:
    """The last 60 minute bars of the four depth series, one row per bar; medians in one call."""

    __slots__ = ("buf", "count", "head")

    def __init__(self, size: int = 60) -> None:
        self.buf = np.full((size, len(DEPTH)), math.nan)
        self.head = 0
        self.count = 0

    def medians(self) -> np.ndarray:
        """Per-series median of the held bars (NaN where a series has fewer than 5 values)."""
        vals = self.buf[: self.count]
        if self.count >= 5 and not np.isnan(vals).any():
            n = self.count
            if n % 2:
                return np.partition(vals, n // 2, axis=0)[n // 2].copy()
            part = np.partition(vals, (n // 2 - 1, n // 2), axis=0)
            return 0.5 * (part[n // 2 - 1] + part[n // 2])
        out = np.full(len(DEPTH), math.nan)
        for j in range(len(DEPTH)):
            col = vals[:, j]
            col = col[~np.isnan(col)]
            if col.size >= 5:
                out[j] = float(np.median(col))
        return out

    def push(self, row: list[float]) -> None:
        self.buf[self.head] = row
        self.head = (self.head + 1) % self.buf.shape[0]
        self.count = min(self.count + 1, self.buf.shape[0])


def clip01(x: float) -> float:
    return 0.0 if x <= 0.0 else (1.0 if x >= 1.0 else x)


def ramp(x: float, low: float, high: float) -> float:
    return clip01((x - low) / (high - low))


def percentile_of(values: np.ndarray, x: float) -> float | None:
    """Fraction of the finite values below x, ties counted half."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    below = np.count_nonzero(finite < x)
    equal = np.count_nonzero(finite == x)
    return (below + 0.5 * equal) / finite.size
