"""The reader interface every data source implements: the demo venue and real exchange accounts.

The engine polls readers on its asyncio loop (never on the GUI thread). A reader may raise any
exception; the engine turns it into a per-feed error state and retries with backoff, so a reader
does not need to catch network errors itself. Readers must not keep references to what they return
mutable: the engine hands results to other threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from desktop.engine.snapshots import MarketTick
from risk import Account


@runtime_checkable
class AccountReader(Protocol):
    """Reads one margin account (positions and balance) from one venue.

    ``account_id`` is stable across runs (used for saved settings and history), ``label`` is what the
    sidebar shows, ``poll_interval`` the seconds between reads that respect the venue's rate limits.
    """

    account_id: str
    label: str
    venue: str
    poll_interval: float

    async def read_account(self) -> Account:
        """The account now; marks inside may be refreshed by the engine from the market feed."""
        ...

    async def close(self) -> None:
        """Release connections; called once when the engine stops."""
        ...


@runtime_checkable
class MarketReader(Protocol):
    """Reads market data (marks, funding, OI, liquidations, depth) for some symbols of one venue.

    ``read_market`` returns every tick since the previous call, oldest first (a streaming reader
    buffers between calls; a polling one returns one tick per symbol).
    """

    feed_id: str
    label: str
    venue: str
    poll_interval: float

    async def read_market(self) -> Sequence[MarketTick]:
        """New ticks since the previous call, oldest first."""
        ...

    async def close(self) -> None:
        """Release connections; called once when the engine stops."""
        ...
