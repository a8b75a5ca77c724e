"""What a feed does after a venue fault beyond backing off: honour Retry-After, resync the clock.

* A 429 with ``Retry-After`` (seconds, or an HTTP date) asks for a wait at least that long;
  :func:`retry_after_seconds` reads it from the last response's headers (ccxt keeps them in
  ``last_response_headers``; the reader runs one request at a time, so they belong to the failed one).
  "banned until T" (Binance 418 / -1003) is handled by :meth:`FeedStatus.failed` from the message.
* Binance -1021 ("Timestamp for this request is outside of the recvWindow"), Bybit 10002 and OKX 50102
  are ccxt's ``InvalidNonce``: the local clock and the venue's disagree. :func:`resync_clock` calls ccxt's
  ``load_time_difference`` (``GET`` server time; the signers subtract ``options["timeDifference"]``),
  so the retry is signed with the venue's time.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Mapping
from typing import Any

import ccxt

log = logging.getLogger(__name__)
MAX_RETRY_AFTER = 3600.0
"""A Retry-After beyond an hour is not believed (a damaged header must not silence a feed for a day)."""


def retry_after_seconds(exchange: Any, error: BaseException, now: float | None = None) -> float | None:
    """Seconds the venue asked to wait after a rate-limit ``error``, from ``Retry-After``; else None."""
    if not isinstance(error, ccxt.RateLimitExceeded | ccxt.DDoSProtection):
        return None
    try:
        headers = exchange.last_response_headers
    except (AttributeError, PermissionError):
        return None
    if not isinstance(headers, Mapping):
        return None
    value = next((v for k, v in headers.items() if str(k).lower() == "retry-after"), None)
    if value is None:
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds <= 0:  # NaN or in the past
        return None
    return min(seconds, MAX_RETRY_AFTER)


async def resync_clock(exchange: Any) -> str | None:
    """After ``InvalidNonce``: reload the venue's time difference. Returns a problem text or None."""
    try:
        has = exchange.has or {}
        if not has.get("fetchTime"):
            return f"{exchange.id}: the clock cannot be resynchronised (no server time in ccxt)"
        await exchange.load_time_difference()
    except Exception as error:  # the retry will tell whether it helped
        log.warning("%s: clock resync failed: %s", getattr(exchange, "id", "?"), type(error).__name__)
        return f"clock resync failed ({type(error).__name__})"
    return None
