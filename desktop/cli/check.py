"""``liqguard check [--json] [--demo]``: read every saved account once, print its risk, exit 1 on a warning.

Headless (no Qt): each account is read through the same reader the app uses, assessed with
``risk.assess``/``risk.stress`` and coloured with the user's tiers (settings). ``--json`` prints one JSON
document (schema below) instead of the table; ``--demo`` checks the demo venue's accounts at the start of
the demo scenario instead.

Exit codes:
    0  every position and account is "ok" or "watch"
    1  a position or an account is at "warning" or "critical", or an account could not be read
    2  bad arguments
    3  no accounts saved (add one in the app, or use --demo)

JSON::

    {"checked_at": 1764755000123, "checked_at_iso": "2025-12-03T09:43:20.123Z",
     "accounts": [{"id", "label", "venue", "settle", "equity", "margin_ratio", "break_move",
                   "severity", "error",
                   "data_timestamp", "data_time",       # when this account's data was received
                   "unrealized_pnl",                    # sum over its positions, settle currency
                   "funding_paid_24h",                  # booked over the last 24 h, settle currency
                   "positions": [{"symbol", "side", "margin_mode", "size", "entry", "mark",
                                  "liquidation_price", "venue_liquidation_price", "distance",
                                  "margin_ratio", "unrealized_pnl", "severity",
                                  "stop": {"price", "rule", "reasons"} | null}],
                   "streams": [{"id", "label", "connected", "last_message_age", "reconnects",
                                "last_error"}]}],
     "worst": "ok|watch|warning|critical"}

Numbers are plain floats (fractions for distance, margin ratio and break move; PnL in the settle
currency, positive in profit); ``null`` where none. Timestamps are epoch milliseconds (UTC) with an ISO
8601 twin. ``stop.price`` is the suggested stop-loss trigger price, ``null`` when no stop fits the
position (``reasons`` then say why and what size would fit); ``stop.rule`` is the rule that placed it
(``liquidation_buffer``, ``risk_budget`` or ``noise_floor``); ``stop`` is ``null`` when no suggestion
could be computed.

``funding_paid_24h``: the funding the venue booked over the last 24 h (negative = paid, positive =
received), ``null`` when unknown (the venue is not read for it, or the read failed).

``streams``: for a streamed account, the health of each private stream after a short probe (at most
:data:`STREAM_PROBE_SECONDS`); ``last_message_age`` in seconds (``null`` before the first message).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.engine.feeds import AccountReader
from desktop.engine.risk_view import RiskThresholds, assess_account, thresholds_from
from desktop.engine.snapshots import AccountSnapshot, FeedStatus, Severity, StopView

EXIT_OK = 0
EXIT_WARNING = 1
EXIT_USAGE = 2
EXIT_NO_ACCOUNTS = 3
SEVERITY_NAMES = {
    Severity.OK: "ok",
    Severity.INFO: "watch",
    Severity.WARNING: "warning",
    Severity.CRITICAL: "critical",
}


@dataclass(frozen=True, slots=True)
class CheckedAccount:
    """One account's result: its snapshot, or the error that stopped the read."""

    reader_id: str
    label: str
    venue: str
    snapshot: AccountSnapshot | None
    error: str | None = None
    read_at: float | None = None
    """Wall-clock seconds (epoch) when the account's data was received; None if the read failed."""
    streams: tuple[FeedStatus, ...] = ()

    @property
    def severity(self) -> Severity:
        if self.snapshot is None:
            return Severity.CRITICAL  # an account we cannot see is not a safe account
        return self.snapshot.severity


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


async def check_readers(readers: Sequence[AccountReader], thresholds: RiskThresholds) -> list[CheckedAccount]:
    """Read each account once (concurrently), assess it; a failing account is reported, not raised."""

    async def one(reader: AccountReader) -> CheckedAccount:
        streams: tuple[FeedStatus, ...] = ()
        try:
            account = await reader.read_account()
            streams = await _probe_streams(reader)
        except Exception as exc:  # any venue failure becomes that account's error line
            return CheckedAccount(reader.account_id, reader.label, reader.venue, None, _error_text(exc))
        finally:
            with contextlib.suppress(Exception):  # closing must not hide the result
                await reader.close()
        read_at = time.time()
        feed = FeedStatus(reader.account_id, reader.label, reader.poll_interval, read_at, started_at=read_at)
        snapshot = assess_account(reader.account_id, reader.label, account, feed, {}, thresholds)
        paid = getattr(reader, "funding_paid_24h", None)  # optional reader attribute, float or None
        snapshot = dataclasses.replace(snapshot, funding_paid_24h=paid)
        return CheckedAccount(
            reader.account_id, reader.label, reader.venue, snapshot, snapshot.feed.error, read_at, streams
        )

    return list(await asyncio.gather(*(one(r) for r in readers)))


STREAM_PROBE_SECONDS = 3.0
"""How long ``check`` lets a streamed account's private streams connect before reporting them."""


class _Discard:
    def stream_ticks(self, ticks: object) -> None:
        pass

    def stream_account(self, account_id: str, account: object) -> None:
        pass


async def _probe_streams(reader: object, seconds: float = STREAM_PROBE_SECONDS) -> tuple[FeedStatus, ...]:
    """Open a streamed reader's streams until all are connected (or ``seconds`` pass); their health."""
    run_streams = getattr(reader, "run_streams", None)
    if run_streams is None:
        return ()
    task = asyncio.ensure_future(run_streams(_Discard()))
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline and not task.done():
            await asyncio.sleep(0.05)
            feeds = reader.stream_feeds()  # type: ignore[attr-defined]
            if feeds and all(f.connected and not f.error for f in feeds):
                break
        return tuple(reader.stream_feeds())  # type: ignore[attr-defined]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def stream_json(feed: FeedStatus, now: float) -> dict[str, Any]:
    """One stream's health for ``--json``."""
    age = feed.age(now)
    return {
        "id": feed.feed_id,
        "label": feed.label,
        "connected": bool(feed.connected),
        "last_message_age": None if age is None else round(age, 3),
        "reconnects": feed.reconnects,
        "last_error": feed.error,
    }


def _error_text(exc: BaseException) -> str:
    from desktop.secrets.redact import redact

    text = redact(str(exc).splitlines()[0]) if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:240] if text else type(exc).__name__


def _iso(seconds: float) -> str:
    """Epoch seconds as ISO 8601 UTC with milliseconds: '2025-12-03T09:43:20.123Z'."""
    stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def _stop(stop: StopView | None) -> dict[str, Any] | None:
    if stop is None:
        return None
    return {"price": _number(stop.price), "rule": stop.binding, "reasons": list(stop.reasons)}


def to_json(results: Sequence[CheckedAccount], checked_at: float | None = None) -> dict[str, Any]:
    """The JSON document of the module docstring; ``checked_at`` in epoch seconds (default: now)."""
    checked_at = time.time() if checked_at is None else checked_at
    accounts = []
    for result in results:
        entry: dict[str, Any] = {
            "id": result.reader_id,
            "label": result.label,
            "venue": result.venue,
            "severity": SEVERITY_NAMES[result.severity],
            "error": result.error,
            "data_timestamp": None if result.read_at is None else round(result.read_at * 1000),
            "data_time": None if result.read_at is None else _iso(result.read_at),
            "positions": [],
            "streams": [stream_json(feed, time.time()) for feed in result.streams],
        }
        snapshot = result.snapshot
        if snapshot is not None and snapshot.risk is not None and snapshot.account is not None:
            risk = snapshot.risk
            has_cross = risk.maintenance_margin > 0
            entry.update(
                settle=snapshot.account.settle_currency,
                equity=_number(risk.equity),
                margin_ratio=_number(risk.margin_ratio) if has_cross else None,
                break_move=_number(risk.break_move) if has_cross else None,
                unrealized_pnl=_number(sum(row.unrealized_pnl for row in snapshot.rows)),
                funding_paid_24h=_number(snapshot.funding_paid_24h),
            )
            entry["positions"] = [
                {
                    "symbol": row.symbol,
                    "side": row.side,
                    "margin_mode": row.margin_mode,
                    "size": row.size,
                    "entry": row.entry_price,
                    "mark": row.mark_price,
                    "liquidation_price": _number(row.liquidation_price),
                    "venue_liquidation_price": _number(row.venue_liquidation_price),
                    "distance": _number(row.distance),
                    "margin_ratio": _number(row.margin_ratio),
                    "unrealized_pnl": _number(row.unrealized_pnl),
                    "severity": SEVERITY_NAMES[row.severity],
                    "stop": _stop(row.stop),
                }
                for row in snapshot.rows
            ]
        accounts.append(entry)
    worst = max((r.severity for r in results), default=Severity.OK)
    return {
        "checked_at": round(checked_at * 1000),
        "checked_at_iso": _iso(checked_at),
        "accounts": accounts,
        "worst": SEVERITY_NAMES[Severity(worst)],
    }


def _pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.1f} %" if signed else f"{value * 100:.1f} %"


def to_text(results: Sequence[CheckedAccount]) -> str:
    """A human table: one block per account, one line per position, nearest liquidation first."""
    data = to_json(results)
    lines: list[str] = []
    for account in data["accounts"]:
        head = f"{account['label']} ({account['venue']}): {account['severity'].upper()}"
        if account["error"]:
            lines.append(f"{head}\n  error: {account['error']}")
            continue
        lines.append(
            f"{head}  equity {account.get('equity') or 0:,.2f} {account.get('settle', '')}  "
            f"unrealised {account.get('unrealized_pnl') or 0:+,.2f}  "
            f"margin ratio {_pct(account.get('margin_ratio'))}  "
            f"break move {_pct(account.get('break_move'), True)}  (data {account['data_time']})"
        )
        positions = sorted(
            account["positions"], key=lambda p: math.inf if p["distance"] is None else p["distance"]
        )
        for p in positions:
            liq = "—" if p["liquidation_price"] is None else f"{p['liquidation_price']:,.2f}"
            stop = p["stop"]
            stop_text = "—" if stop is None else "none fits" if stop["price"] is None else ""
            stop_text = stop_text or f"{stop['price']:,.2f}"
            lines.append(
                f"  {p['severity']:<8} {p['symbol']:<16} {p['side']:<5} {p['margin_mode']:<8} "
                f"size {p['size']:,.4g}  mark {p['mark']:,.2f}  liq {liq}  distance {_pct(p['distance'])}  "
                f"pnl {p['unrealized_pnl'] or 0:+,.2f}  stop {stop_text}"
            )
    lines.append(f"worst: {data['worst']}")
    return "\n".join(lines)


def _demo_readers() -> list[AccountReader]:
    from desktop.exchanges.demo import DemoVenue, demo_readers

    accounts, _markets = demo_readers(DemoVenue())
    return list(accounts)


def _saved_readers() -> tuple[list[AccountReader], str | None]:
    from desktop.accounts import AccountsStore
    from desktop.exchanges.live import build_live_readers
    from desktop.secrets.store import SecretStore

    store = AccountsStore()
    configs = store.load()
    if not configs:
        return [], store.problem
    accounts, markets = build_live_readers(configs, SecretStore())
    for market in markets:  # check reads accounts only; the market readers' exchanges are never used
        _close_quietly(market)
    return list(accounts), store.problem


def _close_quietly(reader: Any) -> None:
    with contextlib.suppress(Exception):
        asyncio.run(reader.close())


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="liqguard check", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--demo", action="store_true", help="check the demo venue's accounts")
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    from desktop.settings import load_config

    loaded = load_config()
    if loaded.message:
        print(f"liqguard: settings: {loaded.message}", file=sys.stderr)
    if args.demo:
        readers = _demo_readers()
    else:
        readers, problem = _saved_readers()
        if problem:
            print(f"liqguard: accounts file: {problem}", file=sys.stderr)
        if not readers:
            print(
                "liqguard: no saved accounts. Add one in the app (Accounts ▸ Add account…), or try --demo.",
                file=sys.stderr,
            )
            return EXIT_NO_ACCOUNTS
    results = asyncio.run(check_readers(readers, thresholds_from(loaded.config)))
    try:
        print(json.dumps(to_json(results), indent=2) if args.json else to_text(results))
    except BrokenPipeError:  # `liqguard check | head`: the reader left, the exit code still counts
        sys.stderr.close()
    worst = max((r.severity for r in results), default=Severity.OK)
    return EXIT_WARNING if worst >= Severity.WARNING else EXIT_OK
