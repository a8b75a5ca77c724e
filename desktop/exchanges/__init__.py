"""Exchange adapters: the read-only ccxt facade and the readers that normalise payloads into ``risk``."""

from desktop.exchanges.guard import ReadOnlyExchange

__all__ = ["ReadOnlyExchange"]
