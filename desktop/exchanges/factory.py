"""Creating and always closing ccxt async exchange objects.

One exchange instance per (venue, account), shared by every call for that account, so ccxt's rate limiter
sees all of its requests (ccxt-notes.md section 7.1). ``open_exchange`` is the only place that creates
one and guarantees ``await exchange.close()`` (aiohttp sessions, websockets) whatever happens.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from desktop.exchanges.adapters import adapter_for
from desktop.exchanges.guard import ReadOnlyExchange
from desktop.secrets.redact import register_secret

DEFAULT_TIMEOUT_MS = 10_000


def build_exchange(
    venue: str,
    credentials: Mapping[str, str],
    *,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    streaming: bool = False,
    options: Mapping[str, Any] | None = None,
) -> Any:
    """A new ccxt async (or, with ``streaming``, ccxt.pro) exchange for ``venue``; the caller closes it.

    ``credentials`` holds the ccxt config keys of the venue's adapter (``apiKey``, ``secret``,
    ``password``; Hyperliquid ``walletAddress``); unknown keys are refused so a typo cannot silently
    drop a secret into the wrong field. Every credential value except the public wallet address is
    registered for redaction, so a venue echoing it in an error never shows it.
    """
    adapter = adapter_for(venue)
    unknown = set(credentials) - set(adapter.credentials)
    if unknown:
        raise ValueError(f"{venue}: unexpected credential fields {sorted(unknown)}")
    for field, value in credentials.items():
        if field != "walletAddress":  # a venue may echo a key or secret in an error: hide it everywhere
            register_secret(value)
    # ccxt.pro imports every exchange eagerly (~0.5 s), so it is imported only when streaming is asked for
    module = importlib.import_module("ccxt.pro" if streaming else "ccxt.async_support")
    config: dict[str, Any] = {"enableRateLimit": True, "timeout": int(timeout_ms), **credentials}
    if options:
        config["options"] = dict(options)
    return getattr(module, adapter.id)(config)


@asynccontextmanager
async def open_exchange(
    venue: str, credentials: Mapping[str, str], **kwargs: Any
) -> AsyncIterator[ReadOnlyExchange]:
    """``async with open_exchange(...) as exchange``: a read-only exchange, closed on exit."""
    exchange = build_exchange(venue, credentials, **kwargs)
    try:
        yield ReadOnlyExchange(exchange)
    finally:
        await exchange.close()
