"""Refresh intervals that keep every venue inside its rate limits, for any number of accounts.

Each venue publishes limits per IP address (shared by all accounts LiqGuard reads from this machine) and
per account/key. One account read costs a known weight (the requests of
:class:`desktop.exchanges.adapters.VenueAdapter`: positions, balance). LiqGuard spends at most
:data:`BUDGET_SHARE` of each limit, leaving the rest to the trader's own apps and bots on the same IP
or key, and never polls faster than :data:`MIN_INTERVAL_SECONDS` (polling faster than 5 s "will get you
blocked", ccxt-notes.md section 7.1).

For ``n`` accounts on one venue: ``interval = max(MIN, max over limits of weight * sharing / (rate * share))``
with ``sharing = n`` for per-IP limits and 1 for per-account limits, and ``rate = limit / window``.
Tier tables (refreshed every 6 h) and the one-off key audit are left out: they are a rounding error.

Sources of the limits and weights (the venues' API docs, 2025–26):

* Binance USD-M: 2,400 request weight per minute per IP; ``GET /fapi/v3/positionRisk`` and
  ``GET /fapi/v3/account`` weight 5 each.
* Binance COIN-M: 2,400 weight per minute per IP; ``/dapi/v1/positionRisk`` weight 1, ``/dapi/v1/account``
  weight 5.
* Bybit v5: 600 requests per 5 s per IP; private position and wallet endpoints 10 requests/s per UID
  (the lowest account tier).
* OKX: ``account/positions`` and ``account/balance`` 10 requests per 2 s per UID each; 20 requests/2 s
  per IP for public data.
* Gate futures: 200 private requests per 10 s per UID.
* Bitget: position endpoints 5 requests/s per UID; 6,000 requests/min per IP.
* Hyperliquid: 1,200 weight per minute per IP; ``clearinghouseState`` weight 2.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

BUDGET_SHARE = 0.25
MIN_INTERVAL_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``limit`` weight units per ``window`` seconds, per IP or per account."""

    limit: float
    window: float
    scope: Literal["ip", "account"]

    @property
    def rate(self) -> float:
        return self.limit / self.window


@dataclass(frozen=True, slots=True)
class VenueBudget:
    venue: str
    read_weight: float
    """Weight of one account read (positions + balance), in the units of ``limits``."""
    limits: tuple[RateLimit, ...]
    source: str


BUDGETS: dict[str, VenueBudget] = {
    "binanceusdm": VenueBudget("binanceusdm", 5 + 5, (RateLimit(2400, 60, "ip"),), "2,400 weight/min per IP"),
    "binancecoinm": VenueBudget(
        "binancecoinm", 1 + 5, (RateLimit(2400, 60, "ip"),), "2,400 weight/min per IP"
    ),
    # three position requests (USDT, USDC, inverse) + one wallet request
    "bybit": VenueBudget(
        "bybit",
        4,
        (RateLimit(600, 5, "ip"), RateLimit(10, 1, "account")),
        "600 req/5 s per IP, 10 req/s per UID",
    ),
    "okx": VenueBudget("okx", 2, (RateLimit(10, 2, "account"),), "10 req/2 s per UID and endpoint"),
    # two position requests (usdt, btc settle) + up to two balance requests
    "gate": VenueBudget("gate", 4, (RateLimit(200, 10, "account"),), "200 private req/10 s per UID"),
    # three position requests (USDT-, USDC-, COIN-FUTURES) + one balance request
    "bitget": VenueBudget(
        "bitget",
        4,
        (RateLimit(5, 1, "account"), RateLimit(6000, 60, "ip")),
        "5 req/s per UID, 6,000/min per IP",
    ),
    # clearinghouseState twice (positions, balance), weight 2 each
    "hyperliquid": VenueBudget("hyperliquid", 2 + 2, (RateLimit(1200, 60, "ip"),), "1,200 weight/min per IP"),
}


def refresh_interval(venue: str, accounts_on_venue: int, *, share: float = BUDGET_SHARE) -> float:
    """Seconds between reads of each of ``accounts_on_venue`` accounts of ``venue``."""
    if accounts_on_venue < 1:
        raise ValueError(f"accounts_on_venue must be >= 1, got {accounts_on_venue!r}")
    if not 0.0 < share <= 1.0:
        raise ValueError(f"share must be in (0, 1], got {share!r}")
    budget = BUDGETS[venue]
    needed = MIN_INTERVAL_SECONDS
    for limit in budget.limits:
        sharing = accounts_on_venue if limit.scope == "ip" else 1
        needed = max(needed, budget.read_weight * sharing / (limit.rate * share))
    return math.ceil(needed * 10.0) / 10.0


def plan(venues: Iterable[str], *, share: float = BUDGET_SHARE) -> dict[str, float]:
    """Interval per venue for a list of accounts' venues (one entry per account)."""
    counts = Counter(venues)
    return {venue: refresh_interval(venue, n, share=share) for venue, n in counts.items()}


def describe_interval(venue: str, accounts_on_venue: int) -> str:
    """A line for the UI: how often the venue's accounts refresh and why."""
    seconds = refresh_interval(venue, accounts_on_venue)
    budget = BUDGETS[venue]
    accounts = f"{accounts_on_venue} account{'s' if accounts_on_venue != 1 else ''}"
    return (
        f"Refreshed every {seconds:g} s ({accounts}; the venue allows {budget.source}, "
        f"LiqGuard uses at most {BUDGET_SHARE:.0%} of it)."
    )
