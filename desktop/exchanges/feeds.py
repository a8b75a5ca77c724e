"""Per-feed health: classify ccxt errors, decide retry and backoff, keep a visible status per feed.

A feed is one kind of read for one account ("positions", "balance", "tiers", "mark", ...). A failure
never propagates out of the monitor: it turns into a :class:`FeedStatus` the UI can show, with the time
of the next retry. Reactions follow ccxt-notes.md section 7.3:

=====================  ============  =====================================================
error                   kind          reaction
=====================  ============  =====================================================
RequestTimeout          timeout       retry, backoff from 2 s doubling to 2 min
RateLimitExceeded,      rate_limit    back off from 10 s doubling to 5 min
DDoSProtection
ExchangeNotAvailable,   unavailable   back off from 30 s doubling to 10 min
OnMaintenance
InvalidNonce            clock         resync the time difference, retry after 2 s
other NetworkError      network       retry, backoff from 2 s doubling to 2 min
BadResponse/NullResponse bad_response retry, backoff from 5 s doubling to 2 min
ExchangeError with 5xx  unavailable   treated as transient (Bybit maps some 503s to ExchangeError;
  or its text                           recognised by the status code or its reason phrase)
AuthenticationError,    auth          stop: the key is invalid, revoked or lacks permission
PermissionDenied,
AccountSuspended...
BadSymbol, BadRequest,  config        stop: programming or configuration error
NotSupported...
ExchangeError caused    network       a connection reset mid-body: the cause is kept in the message
  by a transport error
anything else           error         retry, backoff from 10 s doubling to 5 min
=====================  ============  =====================================================

A 429's ``Retry-After`` and a ban's "banned until T" (Binance 418 / -1003) push the next attempt to at
least that time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

import ccxt

from desktop.secrets.redact import redact

FeedState = Literal["idle", "ok", "error", "stopped", "unsupported"]

_BACKOFF: dict[str, tuple[float, float]] = {
    "timeout": (2.0, 120.0),
    "network": (2.0, 120.0),
    "clock": (2.0, 60.0),
    "rate_limit": (10.0, 300.0),
    "unavailable": (30.0, 600.0),
    "bad_response": (5.0, 120.0),
    "error": (10.0, 300.0),
}
"""kind -> (first delay, cap), seconds; delay doubles per consecutive failure."""

_STOP_KINDS = frozenset({"auth", "config"})
_HTTP_5XX = re.compile(
    r"\b5\d\d\b|service unavailable|bad gateway|gateway time-?out|internal server error|maintenance", re.I
)
_URL_QUERY = re.compile(r"\?[^\s\"']*")
_MAX_MESSAGE = 240


_BANNED_UNTIL = re.compile(r"banned until (\d{10,13})", re.I)
"""Binance's 418 / -1003 body: "Way too many requests; IP(...) banned until 1700000000000"."""


def transport_cause(error: BaseException) -> BaseException | None:
    """The transport failure behind a ccxt error, if any: ccxt wraps a connection reset mid-body
    (aiohttp ``ClientPayloadError``, ``ConnectionResetError``, a server disconnect) in a bare
    ``ExchangeError`` whose text is only the URL; the cause is in the exception chain."""
    seen: set[int] = set()
    cause = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) or type(cause).__module__.startswith("aiohttp"):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def banned_until(error: BaseException) -> float | None:
    """Unix seconds until which the venue said the IP is banned (Binance 418 / -1003), or None."""
    match = _BANNED_UNTIL.search(str(error))
    if match is None:
        return None
    value = int(match.group(1))
    return value / 1000.0 if value > 10**11 else float(value)


def classify(error: BaseException) -> str:
    """The error kind of an exception raised by a ccxt call (see the module table)."""
    if isinstance(error, ccxt.RequestTimeout):
        return "timeout"
    if isinstance(error, ccxt.RateLimitExceeded | ccxt.DDoSProtection):
        return "rate_limit"
    if isinstance(error, ccxt.ExchangeNotAvailable):  # includes OnMaintenance
        return "unavailable"
    if isinstance(error, ccxt.InvalidNonce):
        return "clock"
    if isinstance(error, ccxt.NetworkError):
        return "network"
    if isinstance(error, ccxt.BadResponse | ccxt.NullResponse):
        return "bad_response"
    if isinstance(error, ccxt.AuthenticationError | ccxt.AccountSuspended):
        return "auth"
    if isinstance(error, ccxt.BadRequest | ccxt.NotSupported):
        return "config"
    if isinstance(error, ccxt.ExchangeError) and _HTTP_5XX.search(str(error)):
        return "unavailable"
    if transport_cause(error) is not None:
        return "network"  # a reset mid-body: transient, like any other network failure
    if isinstance(error, ValueError | KeyError | TypeError | IndexError):
        return "bad_response"  # a payload our normalisation could not read
    return "error"


def describe(error: BaseException) -> str:
    """A short user-facing message: class name and the venue's text, without query strings or secrets;
    a transport failure behind the error (a connection reset mid-body) is named with its cause."""
    text = _URL_QUERY.sub("?…", str(error))
    name = type(error).__name__
    cause = transport_cause(error)
    if cause is not None:  # the cause first: the URL after it is what a long message loses
        name = f"{name} (cause: {type(cause).__name__}: {' '.join(str(cause).split())})"
    text = redact(" ".join(f"{name}: {text}".split()) if text else name)
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1] + "…"
    return text


def backoff_seconds(kind: str, failures: int) -> float | None:
    """Delay before the next attempt after ``failures`` consecutive failures; None means do not retry."""
    if kind in _STOP_KINDS:
        return None
    first, cap = _BACKOFF.get(kind, _BACKOFF["error"])
    return min(cap, first * 2.0 ** max(0, failures - 1))


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """Health of one feed of one account. Times are Unix seconds (the caller's clock).

    ``state``: ``idle`` (never run), ``ok``, ``error`` (will retry at ``retry_at``), ``stopped`` (will not
    retry until the user acts: bad key, missing permission, configuration), ``unsupported`` (the venue
    has no such feed). ``message`` is safe to show: no secret, no signed query string.
    """

    name: str
    state: FeedState = "idle"
    kind: str | None = None
    message: str = ""
    failures: int = 0
    last_ok: float | None = None
    retry_at: float | None = None

    def due(self, now: float) -> bool:
        """Whether the feed may be polled at ``now`` (not stopped, unsupported or backing off)."""
        if self.state in ("stopped", "unsupported"):
            return False
        return self.retry_at is None or now >= self.retry_at

    def succeeded(self, now: float) -> FeedStatus:
        return replace(self, state="ok", kind=None, message="", failures=0, last_ok=now, retry_at=None)

    def failed(self, error: BaseException, now: float, retry_after: float | None = None) -> FeedStatus:
        """The status after ``error`` at ``now``. The next attempt waits the backoff, or longer when the
        venue said so: ``retry_after`` seconds (a 429's Retry-After header) or a ban's end time
        ("banned until T", Binance 418 / -1003)."""
        kind = classify(error)
        failures = self.failures + 1
        delay = backoff_seconds(kind, failures)
        retry_at = None if delay is None else now + delay
        if retry_at is not None:
            if retry_after is not None and retry_after > 0:
                retry_at = max(retry_at, now + retry_after)
            until = banned_until(error)
            if until is not None:
                retry_at = max(retry_at, until)
        return replace(
            self,
            state="stopped" if delay is None else "error",
            kind=kind,
            message=describe(error),
            failures=failures,
            retry_at=retry_at,
        )

    def unsupported(self, reason: str) -> FeedStatus:
        return replace(self, state="unsupported", kind=None, message=reason, retry_at=None)
