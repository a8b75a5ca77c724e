"""``liqguard check [--json] [--demo]``: read every saved account once, print its risk, exit 1 on a warning.

Headless (no Qt): each account is read through the same reader the app uses, assessed with
``risk.assess``/``risk.stress`` and coloured with the user's tiers (settings). Exit codes: 0 all fine or
only "watch"; 1 any position or account at warning or worse, or an account that could not be read;
2 bad arguments; 3 no accounts saved. ``--json`` prints one JSON document (schema below) instead of the
table; ``--demo`` checks the demo venue's accounts at the start of the demo scenario instead.

JSON::

    {"accounts": [{"id", "label", "venue", "settle", "equity", "margin_ratio", "break_move",
                   "severity", "error",
                   "positions": [{"symbol", "side", "margin_mode", "size", "entry", "mark",
                                  "liquidation_price", "venue_liquidation_price", "distance",
                                  "margin_ratio", "severity"}]}],
     "worst": "ok|watch|warning|critical"}

Numbers are plain floats (fractions for distance, margin ratio and break move); ``null`` where none.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.engine.feeds import AccountReader
from desktop.engine.risk_view import RiskThresholds, assess_account, thresholds_from
from desktop.engine.snapshots import AccountSnapshot, FeedStatus, Severity

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
        try:
            account = await reader.read_account()
        except Exception as exc:  # any venue failure becomes that account's error line
            return CheckedAccount(reader.account_id, reader.label, reader.venue, None, _error_text(exc))
        finally:
            with contextlib.suppress(Exception):  # closing must not hide the result
                await reader.close()
        feed = FeedStatus(
            reader.account_id, reader.label, reader.poll_interval, time.time(), started_at=time.time()
        )
        snapshot = assess_account(reader.account_id, reader.label, account, feed, {}, thresholds)
        return CheckedAccount(reader.account_id, reader.label, reader.venue, snapshot, snapshot.feed.error)

    return list(await asyncio.gather(*(one(r) for r in readers)))


def _error_text(exc: BaseException) -> str:
    from desktop.secrets.redact import redact

    text = redact(str(exc).splitlines()[0]) if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:240] if text else type(exc).__name__


def to_json(results: Sequence[CheckedAccount]) -> dict[str, Any]:
    accounts = []
    for result in results:
        entry: dict[str, Any] = {
            "id": result.reader_id,
            "label": result.label,
            "venue": result.venue,
            "severity": SEVERITY_NAMES[result.severity],
            "error": result.error,
            "positions": [],
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
                    "severity": SEVERITY_NAMES[row.severity],
                }
                for row in snapshot.rows
            ]
        accounts.append(entry)
    worst = max((r.severity for r in results), default=Severity.OK)
    return {"accounts": accounts, "worst": SEVERITY_NAMES[Severity(worst)]}


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
            f"margin ratio {_pct(account.get('margin_ratio'))}  "
            f"break move {_pct(account.get('break_move'), True)}"
        )
        positions = sorted(
            account["positions"], key=lambda p: math.inf if p["distance"] is None else p["distance"]
        )
        for p in positions:
            liq = "—" if p["liquidation_price"] is None else f"{p['liquidation_price']:,.2f}"
            lines.append(
                f"  {p['severity']:<8} {p['symbol']:<16} {p['side']:<5} {p['margin_mode']:<8} "
                f"size {p['size']:,.4g}  mark {p['mark']:,.2f}  liq {liq}  distance {_pct(p['distance'])}"
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
