"""The funding an exchange account actually paid or received over the last 24 h.

Read through ccxt's read-only unified ``fetch_funding_history(None, since)``: Binance USD-M / COIN-M
``GET /fapi|dapi/v1/income?incomeType=FUNDING_FEE`` and Bybit ``GET /v5/execution/list?execType=Funding``
(what ccxt 4.5.90 calls). Amounts are summed per settle currency with one sign convention:
**negative = paid, positive = received**.

The venues do not agree on the sign of ccxt's ``amount``: Binance's ``income`` is the change of the
wallet (negative = paid), Bybit's ``execFee`` is a fee (positive = paid), so Bybit is negated. Venues whose
sign has not been checked against their documentation are left out: their figure is unknown (None), never
a guess and never 0.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desktop.exchanges.feeds import describe
from desktop.exchanges.normalise import number

FUNDING_PAID_TTL = 600.0
"""Seconds between reads of an account's funding history (not every poll: it is a slow, paged call)."""
WINDOW_SECONDS = 86_400.0
SIGN: Mapping[str, float] = {"binanceusdm": 1.0, "binancecoinm": 1.0, "bybit": -1.0}
"""ccxt ``amount`` -> paid/received (+ = received), per venue whose sign is documented."""
PARAMS: Mapping[str, Mapping[str, Any]] = {"bybit": {"paginate": True}}
LIMIT: Mapping[str, int] = {"binanceusdm": 1000, "binancecoinm": 1000}
"""Binance's maximum page (default 100): 24 h of 8-hourly funding is 3 rows per position."""
log = logging.getLogger(__name__)


def funding_totals(entries: Sequence[Mapping[str, Any]], venue: str, since_ms: int) -> dict[str, float]:
    """Sum ccxt funding-history entries at or after ``since_ms`` per currency code (+ = received)."""
    sign = SIGN[venue]
    totals: dict[str, float] = {}
    for entry in entries:
        amount = number(entry.get("amount"))
        timestamp = entry.get("timestamp")
        code = entry.get("code")
        if amount is None or not code or (isinstance(timestamp, int) and timestamp < since_ms):
            continue
        totals[code] = totals.get(code, 0.0) + sign * amount
    return totals


class FundingPaidTracker:
    """The 24 h funding of one account, re-read at most every ``FUNDING_PAID_TTL`` seconds.

    ``totals`` maps settle currency to paid/received (negative = paid); ``None`` = unknown (not read yet,
    the venue is not supported, or the last read failed: logged, never fatal).
    """

    def __init__(self, venue: str, label: str, clock: Callable[[], float] = time.time) -> None:
        self.venue = venue
        self.label = label
        self._clock = clock
        self.totals: dict[str, float] | None = None
        self._read_at: float | None = None

    @property
    def supported(self) -> bool:
        return self.venue in SIGN

    async def refresh(self, exchange: Any) -> None:
        """Read the last 24 h if due; a failure leaves the figure unknown."""
        now = self._clock()
        if not self.supported or (self._read_at is not None and now - self._read_at < FUNDING_PAID_TTL):
            return
        self._read_at = now
        since_ms = int((now - WINDOW_SECONDS) * 1000)
        try:
            entries = await exchange.fetch_funding_history(
                None, since_ms, LIMIT.get(self.venue), dict(PARAMS.get(self.venue, {}))
            )
            self.totals = funding_totals(entries, self.venue, since_ms)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the figure is extra information: unknown, not fatal
            self.totals = None
            log.warning("%s: funding paid over 24 h unknown (%s)", self.label, describe(error))

    def paid(self, settle: str) -> float | None:
        """Paid/received in ``settle`` over the last 24 h (0.0 when the venue listed none)."""
        if self.totals is None:
            return None
        return self.totals.get(settle, 0.0)
