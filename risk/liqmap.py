"""Estimated liquidation map from open interest and price (cascade-indicators.md §2.7, method 2).

Nobody publishes where other traders' liquidation prices are; this estimates them, as context ("what
is in the path"), not as a forecast. Assumptions, all stated so the picture is read correctly:

* **Entries come from rising open interest.** When OI (coin units) rises by ``dOI`` between two
  updates, ``dOI`` of new positions is assumed opened at the update's price, split between longs and
  shorts by ``long_share`` (or by the long/short ratio ``r`` given with the update: ``r / (1 + r)``).
  OI that existed before the first update is unknown and not on the map.
* **Leverage follows a fixed ladder** (default 5x 15 %, 10x 30 %, 25x 25 %, 50x 20 %, 100x 10 %, the
  weights of the OI-flow model cited in §2.7). Each rung's liquidation level is isolated-margin style:
  long ``entry * (1 - 1/L + mmr)``, short ``entry * (1 + 1/L - mmr)``; cross margin, added margin and
  partial liquidations are ignored, so real levels are further away for well-collateralised traders.
* **Levels are consumed when price trades through them** (inclusive), using the update's low/high when
  given, else its price: a long level at or above the low is removed (liquidated, or gone).
* **Falling OI closes positions proportionally** across all levels of both sides (nobody knows who
  closed).
* Levels live on a log-price grid of ``bucket`` width (default 10 bp) spanning ``span`` (log) around the
  first price; prices outside are clamped to the edge buckets.

Units: prices in quote currency per coin; sizes in coin; notionals in quote currency (coin * level).
Every update is O(1) amortised (a swept bucket is cleared once; closing uses a scale factor); queries
are O(buckets in range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DEFAULT_LADDER: tuple[tuple[float, float], ...] = ((5, 0.15), (10, 0.30), (25, 0.25), (50, 0.20), (100, 0.10))


@dataclass(frozen=True, slots=True)
class Cluster:
    """A dense group of estimated liquidation levels.

    ``price`` is the notional-weighted level of the group, ``notional`` its quote-currency total,
    ``distance`` the fraction of the reference price to it (positive), ``side`` whose positions
    ("long": below price, liquidated by a fall; "short": above, by a rise).
    """

    price: float
    notional: float
    distance: float
    side: str


def _positive(name: str, value: float) -> float:
    x = float(value)
    if not (math.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return x


class LiquidationMap:
    """Time-evolving estimate of where leveraged positions would be liquidated; see the module docstring."""

    def __init__(
        self,
        leverage: tuple[tuple[float, float], ...] = DEFAULT_LADDER,
        mmr: float = 0.004,
        long_share: float = 0.5,
        bucket: float = 0.001,
        span: float = 1.0,
    ) -> None:
        lev = np.array([lw[0] for lw in leverage], dtype=float)
        w = np.array([lw[1] for lw in leverage], dtype=float)
        if lev.size == 0 or np.any(lev <= 1.0) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError(f"leverage must be ((L > 1, weight >= 0), ...), got {leverage!r}")
        if not 0.0 <= mmr < 0.5:
            raise ValueError(f"mmr must be in [0, 0.5), got {mmr!r}")
        if not 0.0 <= long_share <= 1.0:
            raise ValueError(f"long_share must be in [0, 1], got {long_share!r}")
        self.bucket = _positive("bucket", bucket)
        self.span = _positive("span", span)
        self.long_share = float(long_share)
        self._weights = w / w.sum()
        self._long_log_f = np.log(1.0 - 1.0 / lev + mmr)
        self._short_log_f = np.log(1.0 + 1.0 / lev - mmr)
        self._n = round(2 * self.span / self.bucket) + 1
        self._long = np.zeros(self._n)  # raw coin per bucket (times _scale = live coin)
        self._short = np.zeros(self._n)
        self._scale = 1.0
        self._log_p0: float | None = None
        self._oi: float | None = None
        self._hi_long = -1  # highest possibly non-empty long bucket
        self._lo_short = self._n  # lowest possibly non-empty short bucket
        self.timestamp_ms: int | None = None

    # -- grid ---------------------------------------------------------------------------------------
    def _index(self, price: float) -> int:
        assert self._log_p0 is not None
        j = math.floor((math.log(price) - self._log_p0) / self.bucket) + self._n // 2
        return 0 if j < 0 else (self._n - 1 if j >= self._n else j)

    def _price(self, j: np.ndarray | int) -> np.ndarray:
        """Lower edge of bucket(s) j."""
        assert self._log_p0 is not None
        return np.exp(self._log_p0 + (np.asarray(j) - self._n // 2) * self.bucket)

    # -- updates ------------------------------------------------------------------------------------
    def update(
        self,
        timestamp_ms: int,
        price: float,
        open_interest: float,
        *,
        high: float | None = None,
        low: float | None = None,
        long_short_ratio: float | None = None,
    ) -> None:
        """One bar: sweep levels traded through, then apply the OI change at ``price``."""
        p = _positive("price", price)
        oi = float(open_interest)
        if not (math.isfinite(oi) and oi >= 0):
            raise ValueError(f"open_interest must be a finite number >= 0, got {open_interest!r}")
        lo = _positive("low", low) if low is not None else p
        hi = _positive("high", high) if high is not None else p
        if lo > p or hi < p:
            raise ValueError(f"low <= price <= high must hold, got low={low!r} price={price!r} high={high!r}")
        self.timestamp_ms = int(timestamp_ms)
        if self._log_p0 is None:
            self._log_p0 = math.log(p)
        self._sweep(lo, hi)
        prev = self._oi
        self._oi = oi
        if prev is None:
            return
        d_oi = oi - prev
        if d_oi > 0:
            share = self.long_share
            if long_short_ratio is not None:
                r = _positive("long_short_ratio", long_short_ratio)
                share = r / (1.0 + r)
            self._open(p, d_oi * share, d_oi * (1.0 - share))
        elif d_oi < 0:
            self._close(-d_oi)

    def _sweep(self, low: float, high: float) -> None:
        j = self._index(low)
        if j <= self._hi_long:
            self._long[j : self._hi_long + 1] = 0.0
            self._hi_long = j - 1
        j = self._index(high)
        if j >= self._lo_short:
            self._short[self._lo_short : j + 1] = 0.0
            self._lo_short = j + 1

    def _open(self, price: float, long_coin: float, short_coin: float) -> None:
        x = math.log(price)
        for side_coin, log_f, grid, is_long in (
            (long_coin, self._long_log_f, self._long, True),
            (short_coin, self._short_log_f, self._short, False),
        ):
            if side_coin <= 0:
                continue
            idx = np.floor((x + log_f - self._log_p0) / self.bucket).astype(np.int64) + self._n // 2
            idx = np.clip(idx, 0, self._n - 1)
            np.add.at(grid, idx, side_coin * self._weights / self._scale)
            if is_long:
                self._hi_long = max(self._hi_long, int(idx.max()))
            else:
                self._lo_short = min(self._lo_short, int(idx.min()))

    def _close(self, coin: float) -> None:
        total = self.total_coin()
        if total <= 0:
            return
        self._scale *= max(0.0, 1.0 - coin / total)
        if self._scale < 1e-12:  # renormalise rather than underflow
            self._long *= self._scale
            self._short *= self._scale
            self._scale = 1.0

    # -- queries ------------------------------------------------------------------------------------
    def total_coin(self) -> float:
        """Coin on the map, both sides."""
        return float((self._long.sum() + self._short.sum()) * self._scale)

    def levels(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(price, long_notional, short_notional)`` of every non-empty bucket, price ascending."""
        if self._log_p0 is None:
            empty = np.zeros(0)
            return empty, empty, empty
        nz = np.flatnonzero((self._long > 0) | (self._short > 0))
        price = self._price(nz)
        return price, self._long[nz] * self._scale * price, self._short[nz] * self._scale * price

    def notional_within(self, price: float, pct: float) -> tuple[float, float]:
        """``(long, short)`` estimated notional liquidated by a move of ``pct`` (fraction) down / up
        from ``price``: long levels in ``[price*(1-pct), price]``, short in ``[price, price*(1+pct)]``."""
        p = _positive("price", price)
        f = _positive("pct", pct)
        if self._log_p0 is None:
            return 0.0, 0.0
        a, b = self._index(p * max(1.0 - f, 1e-12)), self._index(p)
        c = self._index(p * (1.0 + f))
        js = np.arange(a, b + 1)
        long_usd = float((self._long[a : b + 1] * self._price(js)).sum() * self._scale)
        js = np.arange(b, c + 1)
        short_usd = float((self._short[b : c + 1] * self._price(js)).sum() * self._scale)
        return long_usd, short_usd

    def nearest_clusters(
        self,
        price: float,
        *,
        window: float = 0.005,
        min_notional: float | None = None,
        max_distance: float = 0.3,
    ) -> tuple[Cluster | None, Cluster | None]:
        """Nearest dense cluster below (long levels) and above (short levels) ``price``.

        Density is the notional in a sliding ``window`` (fraction of price, default 0.5 %). Dense means
        at least ``min_notional``; by default twice the mean windowed density of the non-empty part of
        that side within ``max_distance``. ``None`` where there is none.
        """
        p = _positive("price", price)
        if self._log_p0 is None:
            return None, None
        k = max(1, round(math.log1p(window) / self.bucket))
        centre = self._index(p)
        out: list[Cluster | None] = []
        for side, grid, sign in (("long", self._long, -1), ("short", self._short, 1)):
            far = self._index(p * math.exp(sign * max_distance))
            a, b = (far, centre) if sign < 0 else (centre, far)
            js = np.arange(a, b + 1)
            usd = grid[a : b + 1] * self._price(js) * self._scale
            if usd.size < k or not np.any(usd > 0):
                out.append(None)
                continue
            dens = np.convolve(usd, np.ones(k), mode="same")
            threshold = min_notional if min_notional is not None else 2.0 * float(dens[dens > 0].mean())
            dense = np.flatnonzero(dens >= threshold)
            if dense.size == 0:
                out.append(None)
                continue
            # Nearest dense window to the price; its contents' weighted level.
            i = int(dense.max() if sign < 0 else dense.min())
            lo, hi = max(0, i - k // 2), min(usd.size, i - k // 2 + k)
            seg = usd[lo:hi]
            level = (
                float((self._price(js[lo:hi]) * seg).sum() / seg.sum())
                if seg.sum() > 0
                else float(self._price(js[i]))
            )
            out.append(Cluster(level, float(seg.sum()), abs(level / p - 1.0), side))
        return out[0], out[1]
