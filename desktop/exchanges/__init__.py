"""Exchange adapters: the read-only ccxt facade and the readers that normalise payloads into ``risk``.

Public interface (stable):

* ``ReadOnlyExchange(exchange)`` — the guard through which all access to a ccxt exchange goes.
* ``async read_account(exchange) -> risk.Account`` — one configured ``ccxt.async_support`` exchange in,
  one account out (raises ``ExchangeReadError``).
* ``AccountReader(exchange).read() -> AccountSnapshot`` — every settle currency's account, raw venue
  fields, market data and per-feed status; never raises on venue trouble.
"""

from desktop.exchanges.guard import ReadOnlyExchange
from desktop.exchanges.reader import (
    AccountReader,
    AccountSnapshot,
    ExchangeReadError,
    MarketData,
    PositionRecord,
    read_account,
)

__all__ = [
    "AccountReader",
    "AccountSnapshot",
    "ExchangeReadError",
    "MarketData",
    "PositionRecord",
    "ReadOnlyExchange",
    "read_account",
]
