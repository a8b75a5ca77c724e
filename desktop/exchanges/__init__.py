"""Exchange adapters: the read-only ccxt facade and the readers that normalise payloads into ``risk``.

Public interface (stable):

* ``ReadOnlyExchange(exchange)`` — the guard through which all access to a ccxt exchange goes.
* ``async read_account(exchange) -> risk.Account`` — one configured ``ccxt.async_support`` exchange in,
  one account out (raises ``ExchangeReadError``).
* ``AccountReader(exchange).read() -> AccountSnapshot`` — every settle currency's account, raw venue
  fields, market data and per-feed status; never raises on venue trouble.

The names are loaded on first use (PEP 562): importing ccxt costs 1-2 s, and the demo venue
(``desktop.exchanges.demo``) and the app's start-up must not pay it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.exchanges.guard import ReadOnlyExchange
    from desktop.exchanges.reader import (
        AccountReader,
        AccountSnapshot,
        ExchangeReadError,
        MarketData,
        PositionRecord,
        read_account,
    )

_HOMES = {
    "ReadOnlyExchange": "desktop.exchanges.guard",
    "AccountReader": "desktop.exchanges.reader",
    "AccountSnapshot": "desktop.exchanges.reader",
    "ExchangeReadError": "desktop.exchanges.reader",
    "MarketData": "desktop.exchanges.reader",
    "PositionRecord": "desktop.exchanges.reader",
    "read_account": "desktop.exchanges.reader",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AccountReader",
    "AccountSnapshot",
    "ExchangeReadError",
    "MarketData",
    "PositionRecord",
    "ReadOnlyExchange",
    "read_account",
]
