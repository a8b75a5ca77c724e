"""Key-permission audit through the real ccxt implicit endpoints on recorded/documented payloads."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import ccxt.async_support as accxt
import pytest

from desktop.exchanges.audit import audit_key
from tests.exchanges.replay import Replay, load

# Binance "API Key Permission (USER_DATA)" example body (developers.binance.com/docs/wallet/account/
# api-key-permission), with the flags varied per test.
BINANCE_READ_ONLY = {
    "ipRestrict": False, "createTime": 1698645219000, "enableReading": True, "enableWithdrawals": False,
    "enableInternalTransfer": False, "enableMargin": False, "enableFutures": False,
    "permitsUniversalTransfer": False, "enableVanillaOptions": False, "enableFixApiTrade": False,
    "enableFixReadOnly": True, "enableSpotAndMarginTrading": False, "enablePortfolioMarginTrading": False,
}  # fmt: skip

# Bybit "Get API Key Information" example body (bybit-exchange.github.io/docs/v5/user/apikey-info).
BYBIT_QUERY_API = {
    "retCode": 0, "retMsg": "",
    "result": {
        "id": "13770661", "note": "readonly", "apiKey": "XXXXXXXXXXXXXXXXXX", "readOnly": 1, "secret": "",
        "permissions": {"ContractTrade": [], "Spot": [], "Wallet": [], "Options": [], "Derivatives": [],
                        "CopyTrading": [], "BlockTrade": [], "Exchange": [], "NFT": [], "Affiliate": []},
        "ips": ["*"], "type": 1, "deadlineDay": 66, "expiredAt": "2026-12-01T00:00:00Z",
        "createdAt": "2026-09-02T00:00:00Z", "unified": 0, "uta": 1, "userID": 24617703,
    },
    "retExtInfo": {}, "time": 1697525990798,
}  # fmt: skip

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC).timestamp()


def audit(exchange: Any, routes: list[tuple[str, Any]]) -> Any:
    exchange.fetch = Replay(routes)
    return asyncio.run(audit_key(exchange, NOW))


def binance(**flags: bool) -> Any:
    ex = accxt.binanceusdm({"apiKey": "k" * 64, "secret": "s" * 64, "enableRateLimit": False})
    return audit(ex, [("/sapi/v1/account/apiRestrictions", {**BINANCE_READ_ONLY, **flags})])


def test_binance_read_only_key_passes() -> None:
    result = binance()
    assert (result.verdict, result.accepted, result.steps) == ("read_only", True, ())


def test_binance_withdrawal_key_is_refused() -> None:
    result = binance(enableWithdrawals=True, enableFutures=True)
    assert result.verdict == "withdraw" and not result.accepted
    assert "withdraw" in result.message


@pytest.mark.parametrize("flag", ["enableFutures", "enableSpotAndMarginTrading", "permitsUniversalTransfer"])
def test_binance_trade_or_transfer_key_gets_a_warning_with_steps(flag: str) -> None:
    result = binance(**{flag: True})
    assert result.verdict == "trade" and result.accepted
    assert any("Enable Reading" in step for step in result.steps)


def test_bybit_read_only_key_and_its_expiry_alert() -> None:
    ex = accxt.bybit({"apiKey": "k", "secret": "s", "enableRateLimit": False})
    result = audit(ex, [("/v5/user/query-api", BYBIT_QUERY_API)])
    assert result.verdict == "read_only"
    assert "apiKey" not in result.details and "secret" not in result.details
    assert result.days_to_expiry(NOW) == pytest.approx(5.0)
    assert result.expiry_alert(NOW - 10 * 86_400.0) is None  # 15 days ahead: quiet
    assert "5.0 days" in result.expiry_alert(NOW)
    assert "expired" in result.expiry_alert(NOW + 6 * 86_400.0)
    assert result.ip_restricted is False


def test_bybit_read_write_key_with_withdrawal_is_refused() -> None:
    body = {**BYBIT_QUERY_API, "result": {**BYBIT_QUERY_API["result"], "readOnly": 0}}
    body["result"]["permissions"] = {**body["result"]["permissions"], "ContractTrade": ["Order", "Position"],
                                     "Wallet": ["AccountTransfer", "Withdraw"]}  # fmt: skip
    ex = accxt.bybit({"apiKey": "k", "secret": "s", "enableRateLimit": False})
    result = audit(ex, [("/v5/user/query-api", body)])
    assert (result.verdict, result.can_trade, result.can_transfer) == ("withdraw", True, True)


def test_okx_recorded_config_is_refused_because_it_can_withdraw() -> None:
    recorded = load("okx.fetchPositions.json")["methods"]["fetchAccounts"][0]["httpResponse"]
    ex = accxt.okx({"apiKey": "k", "secret": "s", "password": "p", "enableRateLimit": False})
    result = audit(ex, [("/api/v5/account/config", recorded)])
    assert result.details["perm"] == "read_only,withdraw,trade"
    assert result.verdict == "withdraw" and not result.accepted


def test_okx_trade_key_warns_and_read_only_passes() -> None:
    for perm, verdict in (("read_only,trade", "trade"), ("read_only", "read_only")):
        ex = accxt.okx({"apiKey": "k", "secret": "s", "password": "p", "enableRateLimit": False})
        result = audit(ex, [("/api/v5/account/config", {"code": "0", "data": [{"perm": perm}], "msg": ""})])
        assert result.verdict == verdict


def test_venues_without_a_permission_endpoint_and_hyperliquid() -> None:
    for venue in ("gate", "bitget"):
        result = asyncio.run(audit_key(getattr(accxt, venue)({"enableRateLimit": False}), NOW))
        assert result.verdict == "unverifiable" and "not verifiable" in result.message
    result = asyncio.run(audit_key(accxt.hyperliquid({"walletAddress": "0x" + "1" * 40}), NOW))
    assert result.verdict == "no_key"


def test_failed_check_is_reported_not_raised() -> None:
    ex = accxt.bybit({"apiKey": "k", "secret": "s", "enableRateLimit": False})
    result = audit(ex, [("/v5/user/query-api", {"retCode": 10003, "retMsg": "API key is invalid."})])
    assert result.verdict == "error" and "unexpected reply" in result.message
    for venue, path, body in (
        ("binanceusdm", "/sapi/v1/account/apiRestrictions", {"code": -2015, "msg": "Invalid API-key"}),
        ("okx", "/api/v5/account/config", {"code": "50111", "data": [], "msg": "Invalid OK-ACCESS-KEY"}),
    ):
        ex = getattr(accxt, venue)({"apiKey": "k", "secret": "s", "password": "p", "enableRateLimit": False})
        assert audit(ex, [(path, body)]).verdict == "error"


def test_revoked_key_through_the_http_stack_is_an_error_verdict() -> None:
    from desktop.exchanges.factory import build_exchange
    from tests.exchanges.local_server import local_venue

    async def scenario(base: str) -> Any:
        ex = build_exchange("bybit", {"apiKey": "k", "secret": "s"}, timeout_ms=500)
        ex.urls["api"] = {key: base for key in ex.urls["api"]}
        try:
            return await audit_key(ex, NOW)
        finally:
            await ex.close()

    with local_venue() as venue:
        venue.routes["/v5/user/query-api"] = (200, {"retCode": 10003, "retMsg": "API key is invalid."}, 0.0)
        result = asyncio.run(scenario(venue.base))
    assert result.verdict == "error" and "AuthenticationError" in result.message
