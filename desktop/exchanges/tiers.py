"""A cache of margin tiers per (venue, symbol) with an expiry.

Tier tables change rarely but without notice (Binance brackets can be per account), so they are
re-fetched after ``ttl_seconds`` (default 6 h). An expired entry is still returned by :meth:`get_stale`
so a failed refresh degrades to slightly old tiers instead of none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from risk import MarginTier

DEFAULT_TTL_SECONDS = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class TierEntry:
    """Tiers of one instrument, the raw venue tiers they came from, and when they were fetched (Unix s)."""

    tiers: tuple[MarginTier, ...]
    raw: tuple[Mapping[str, Any], ...]
    fetched_at: float


class TierCache:
    """Thread-safe ``(venue, symbol) -> TierEntry`` with expiry; ``clock`` returns Unix seconds."""

    def __init__(self, ttl_seconds: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] | None = None):
        self.ttl_seconds = ttl_seconds
        self._clock = clock or time.time
        self._entries: dict[tuple[str, str], TierEntry] = {}
        self._lock = threading.Lock()

    def get(self, venue: str, symbol: str) -> TierEntry | None:
        """The entry if present and younger than the TTL, else None."""
        entry = self.get_stale(venue, symbol)
        if entry is None or self._clock() - entry.fetched_at >= self.ttl_seconds:
            return None
        return entry

    def get_stale(self, venue: str, symbol: str) -> TierEntry | None:
        """The entry whatever its age (fallback when a refresh fails)."""
        with self._lock:
            return self._entries.get((venue, symbol))

    def missing(self, venue: str, symbols: list[str]) -> list[str]:
        """The symbols whose tiers are absent or expired."""
        return [symbol for symbol in symbols if self.get(venue, symbol) is None]

    def put(self, venue: str, symbol: str, tiers: tuple[MarginTier, ...], raw: tuple[Any, ...] = ()) -> None:
        with self._lock:
            self._entries[(venue, symbol)] = TierEntry(tuple(tiers), tuple(raw), self._clock())
