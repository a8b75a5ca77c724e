"""One market per underlying: BTC on every venue and quote (BTC/USDT:USDT, BTC/USDC:USDC, BTC/USD:BTC)
is one cascade state, fed with market-wide inputs the way aggregators such as CoinGlass add them up:

* open interest summed across legs (base units, so a coin-margined leg adds as much BTC as a linear
  one; ``open_interest_usd`` = sum of each leg's OI x its mark);
* liquidations summed in USD (a flow: every leg's amount since its previous row is added once);
* funding: the OI-weighted mean of the legs' per-8-hour rates (a plain mean while no leg reports OI);
* depth within +-1 % / +-2 % summed;
* mark and index: the median across legs (one venue's wick is not the market's move);
* long/short ratio: the OI-weighted mean.

A leg's state counts for ``max_age_ms`` after its last row (a venue that stopped sending is dropped
from the sums rather than frozen into them). Pure: every update carries its timestamp.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from risk.cascade.config import DEPTH, MINUTE_MS, CascadeConfig
from risk.cascade.monitor import CascadeMonitor
from risk.cascade.readings import CascadeEvent

_QUOTE_SPLIT = re.compile(r"[/:\-_]")


def underlying(symbol: str) -> str:
    """The base asset of a ccxt symbol: ``BTC/USDT:USDT`` -> ``BTC``, ``BTC/USD:BTC-251226`` -> ``BTC``.
    Hyperliquid's ``kBONK``-style and Binance's ``1000PEPE``-style multipliers are kept (a different
    contract size is a different quantity unit, not a different market name we can safely merge)."""
    base = _QUOTE_SPLIT.split(symbol.strip(), 1)[0]
    return base.upper() if base else symbol


@dataclass(slots=True)
class Leg:
    """The latest state of one venue's market for the underlying (``None`` = not reported)."""

    name: str
    timestamp_ms: int = 0
    mark: float | None = None
    index: float | None = None
    funding_8h: float | None = None
    open_interest: float | None = None
    long_short_ratio: float | None = None
    depth: dict[str, float] = field(default_factory=dict)
    liq_long_usd: float = 0.0
    """Liquidations since the leg's first row (USD), for the per-venue breakdown."""
    liq_short_usd: float = 0.0

    @property
    def open_interest_usd(self) -> float | None:
        if self.open_interest is None or self.mark is None:
            return None
        return self.open_interest * self.mark


def _num(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def _weighted(pairs: list[tuple[float, float | None]]) -> float | None:
    """OI-weighted mean of (value, oi_usd); a plain mean when no weight is known."""
    if not pairs:
        return None
    weights = [w for _, w in pairs if w is not None and w > 0]
    if len(weights) == len(pairs):
        return sum(v * w for v, w in pairs if w is not None) / sum(weights)
    return sum(v for v, _ in pairs) / len(pairs)


class MarketAggregate:
    """Aggregates the legs of one underlying and feeds one :class:`CascadeMonitor` with the totals."""

    def __init__(self, name: str, config: CascadeConfig | None = None, max_age_ms: int = 5 * 60_000) -> None:
        self.name = name
        self.monitor = CascadeMonitor(name, 8.0, config)
        self.legs: dict[str, Leg] = {}
        self.max_age_ms = max_age_ms
        self.last_totals: dict[str, float | None] = {}
        """The market-wide state inputs last handed to the monitor (see :meth:`totals`)."""
        self.pushed = False
        """Whether the latest :meth:`update` handed a minute's state totals to the monitor."""
        self.pushed_ts = 0
        """Epoch ms of the row the last pushed totals stand for."""
        self._open_minute: int | None = None
        self._last_ts = 0

    def update(
        self,
        leg: str,
        timestamp_ms: int,
        *,
        funding_interval_hours: float | None = None,
        **inputs: float | None,
    ) -> list[CascadeEvent]:
        """One row of one leg (the :data:`~risk.cascade.config.INPUTS` names, ``None``/NaN = missing)."""
        ts = int(timestamp_ms)
        events: list[CascadeEvent] = []
        self.pushed = False
        minute = ts // MINUTE_MS
        if self._open_minute is not None and minute > self._open_minute:
            # The state totals (mark, OI, funding...) of the minute being closed, as of its last row:
            # the monitor keeps the last value in a minute, so once per minute is enough.
            events += self._push_state()
        if self._open_minute is None or minute > self._open_minute:
            self._open_minute = minute
        state = self.legs.get(leg)
        if state is None:
            state = self.legs[leg] = Leg(leg)
        state.timestamp_ms = max(state.timestamp_ms, ts)
        mark = _num(inputs.get("mark_price"))
        if mark is not None and mark > 0:
            state.mark = mark
        index = _num(inputs.get("index_price"))
        if index is not None and index > 0:
            state.index = index
        funding = _num(inputs.get("funding_rate"))
        if funding is not None:
            hours = 8.0 if funding_interval_hours is None else float(funding_interval_hours)
            if not (math.isfinite(hours) and hours > 0):
                raise ValueError(f"funding_interval_hours must be > 0, got {funding_interval_hours!r}")
            state.funding_8h = funding * 8.0 / hours
        oi = _num(inputs.get("open_interest"))
        if oi is not None and oi >= 0:
            state.open_interest = oi
        ls = _num(inputs.get("long_short_ratio"))
        if ls is not None and ls > 0:
            state.long_short_ratio = ls
        for name in DEPTH:
            d = _num(inputs.get(name))
            if d is not None and d >= 0:
                state.depth[name] = d
        liq_l = _num(inputs.get("liq_long_usd"))
        liq_s = _num(inputs.get("liq_short_usd"))
        for name, x in (("liq_long_usd", liq_l), ("liq_short_usd", liq_s)):
            if x is not None and x < 0:
                raise ValueError(f"{name} must be >= 0, got {x!r}")
        state.liq_long_usd += liq_l or 0.0
        state.liq_short_usd += liq_s or 0.0
        self._last_ts = max(self._last_ts, ts)
        # Liquidations are a flow: this row's amount is added once; the monitor sums within the minute.
        row: dict[str, float | None] = {"liq_long_usd": liq_l, "liq_short_usd": liq_s}
        if any(inputs.get(name) is not None for name in DEPTH):
            # Depth is the minimum within the minute (a sub-minute collapse counts): the summed book
            # at every row that changes it.
            legs = self.fresh_legs(ts)
            for name in DEPTH:
                values = [leg_state.depth[name] for leg_state in legs if name in leg_state.depth]
                row[name] = sum(values) if values else None
        return events + self.monitor.update(ts, **row)

    def _push_state(self) -> list[CascadeEvent]:
        totals = self.totals(self._last_ts)
        self.last_totals = totals
        self.pushed = True
        self.pushed_ts = self._last_ts
        state = {k: v for k, v in totals.items() if k not in DEPTH}
        return self.monitor.update(self._last_ts, **state)

    def fresh_legs(self, now_ms: int) -> list[Leg]:
        return [leg for leg in self.legs.values() if now_ms - leg.timestamp_ms <= self.max_age_ms]

    def totals(self, now_ms: int) -> dict[str, float | None]:
        """Market-wide state inputs over the fresh legs (see the module docstring)."""
        legs = self.fresh_legs(now_ms)
        if len(legs) == 1:  # the common case: nothing to add up
            leg = legs[0]
            out: dict[str, float | None] = {
                "mark_price": leg.mark,
                "index_price": leg.index,
                "open_interest": leg.open_interest,
                "funding_rate": leg.funding_8h,
                "long_short_ratio": leg.long_short_ratio,
            }
            for name in DEPTH:
                out[name] = leg.depth.get(name)
            return out
        marks = [leg.mark for leg in legs if leg.mark is not None]
        indices = [leg.index for leg in legs if leg.index is not None]
        ois = [leg.open_interest for leg in legs if leg.open_interest is not None]
        weights = [leg.open_interest_usd for leg in legs]
        out = {
            "mark_price": _median(marks),
            "index_price": _median(indices),
            "open_interest": sum(ois) if ois else None,
            "funding_rate": _weighted(
                [
                    (leg.funding_8h, w)
                    for leg, w in zip(legs, weights, strict=True)
                    if leg.funding_8h is not None
                ]
            ),
            "long_short_ratio": _weighted(
                [
                    (leg.long_short_ratio, w)
                    for leg, w in zip(legs, weights, strict=True)
                    if leg.long_short_ratio
                ]
            ),
        }
        for name in DEPTH:
            values = [leg.depth[name] for leg in legs if name in leg.depth]
            out[name] = sum(values) if values else None
        return out

    def flush(self) -> list[CascadeEvent]:
        """Evaluate the open minute (end of a replay)."""
        events = self._push_state() if self._open_minute is not None else []
        return events + self.monitor.flush()
