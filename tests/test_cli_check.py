"""``liqguard check``: every saved account read once, risk printed, exit 1 on a warning."""

from __future__ import annotations

import asyncio
import json

import pytest

import desktop.exchanges.live
from desktop.accounts import AccountConfig, AccountsStore
from desktop.cli.check import EXIT_NO_ACCOUNTS, EXIT_OK, EXIT_WARNING, check_readers, main, to_json
from desktop.engine.risk_view import RiskThresholds
from tests.exchanges.test_readers import hyperliquid


def test_demo_check_prints_every_account_and_exits_1_on_the_near_liquidation(capsys):
    assert main(["--demo"]) == EXIT_WARNING  # the Hyperliquid BTC long opens ~5 % from liquidation
    out = capsys.readouterr().out
    assert "Binance USD-M · cross" in out and "Hyperliquid · isolated" in out
    assert "worst: critical" in out


def test_demo_check_json_schema(capsys):
    assert main(["--demo", "--json"]) == EXIT_WARNING
    data = json.loads(capsys.readouterr().out)
    assert data["worst"] == "critical"
    assert {a["venue"] for a in data["accounts"]} == {"binanceusdm", "hyperliquid"}
    btc = next(p for a in data["accounts"] for p in a["positions"] if p["symbol"] == "BTC/USDC:USDC")
    assert btc["severity"] == "critical" and 0 < btc["distance"] <= 0.05
    # distance is (mark - liq) / mark for a long
    assert btc["distance"] == pytest.approx((btc["mark"] - btc["liquidation_price"]) / btc["mark"])


def test_no_saved_accounts_says_so(capsys):
    assert main([]) == EXIT_NO_ACCOUNTS
    assert "no saved accounts" in capsys.readouterr().err


def test_bad_option_is_a_usage_error(capsys):
    assert main(["--nope"]) == 2


def test_saved_hyperliquid_account_is_read_through_ccxt(monkeypatch, capsys):
    """A saved account (address only) read by the real ccxt parser on a recorded payload."""
    exchange, replay = hyperliquid(2)
    monkeypatch.setattr(desktop.exchanges.live, "build_exchange", lambda venue, credentials, **_: exchange)
    AccountsStore().add(
        AccountConfig("hl-main", "hyperliquid", "HL main", public={"walletAddress": "0x" + "1" * 40})
    )
    code = main(["--json"])
    data = json.loads(capsys.readouterr().out)
    (account,) = data["accounts"]
    assert account["error"] is None and account["venue"] == "hyperliquid"
    symbols = {p["symbol"] for p in account["positions"]}
    assert len(symbols) == 2
    assert code in (EXIT_OK, EXIT_WARNING)
    assert (code == EXIT_WARNING) == (data["worst"] in ("warning", "critical"))
    assert replay.calls  # it went through the (replayed) venue API


class BrokenReader:
    account_id = "broken"
    label = "Broken venue"
    venue = "binanceusdm"
    poll_interval = 5.0

    async def read_account(self):
        raise ConnectionError("timed out\nwith details")

    async def close(self) -> None:
        return None


def test_unreadable_account_is_reported_and_counts_as_critical():
    import asyncio

    results = asyncio.run(check_readers([BrokenReader()], RiskThresholds()))
    data = to_json(results)
    assert data["accounts"][0]["error"] == "ConnectionError: timed out"
    assert data["worst"] == "critical"


def test_demo_check_json_has_data_time_pnl_and_suggested_stop(capsys):
    import time

    before = time.time() * 1000
    assert main(["--demo", "--json"]) == EXIT_WARNING
    data = json.loads(capsys.readouterr().out)
    assert before <= data["checked_at"] <= time.time() * 1000
    assert data["checked_at_iso"].endswith("Z")
    for account in data["accounts"]:
        assert before <= account["data_timestamp"] <= data["checked_at"]
        assert account["unrealized_pnl"] == pytest.approx(
            sum(p["unrealized_pnl"] for p in account["positions"])
        )
        for p in account["positions"]:
            # Linear contracts: PnL = (mark - entry) x size, sign by side (Binance / Hyperliquid docs).
            sign = 1.0 if p["side"] == "long" else -1.0
            assert p["unrealized_pnl"] == pytest.approx(sign * (p["mark"] - p["entry"]) * p["size"], rel=1e-6)
            stop = p["stop"]
            assert stop is not None and stop["rule"] and stop["reasons"]
            if stop["price"] is not None:  # a stop triggers between the mark and the liquidation price
                low, high = sorted((p["mark"], p["liquidation_price"]))
                assert low < stop["price"] < high


def test_check_json_has_funding_paid_24h_per_account(capsys):
    assert main(["--demo", "--json"]) == EXIT_WARNING
    data = json.loads(capsys.readouterr().out)
    # the demo clock opens between funding times: read, and nothing booked yet (0, not unknown)
    assert [a["funding_paid_24h"] for a in data["accounts"]] == [0.0, 0.0]
    broken = to_json(asyncio.run(check_readers([BrokenReader()], RiskThresholds())))["accounts"][0]
    assert "funding_paid_24h" not in broken  # an unreadable account has no figures at all
