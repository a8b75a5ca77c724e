"""Gate and Bitget readers through the real ccxt parsers on handwritten payloads.

No recorded payloads exist for these venues (see /work/shared/data/README.md), so the bodies below are
written in the shapes of the venues' API documentation examples (Gate APIv4 "List all positions of a
user" / "Query futures account" / "List risk limit tiers"; Bitget v2 mix "Get All Positions" / "Get
Account List" / "Get Position Tier"). They check that the adapters' requests and field mapping work with
ccxt 4.5.90, not the venues' numbers; no liquidation price is compared.
"""

from __future__ import annotations

import asyncio
from typing import Any

import ccxt.async_support as accxt
import pytest

from desktop.exchanges import AccountReader
from tests.exchanges.replay import Replay, swap_market

GATE_POSITIONS = [
    {"user": 10000, "contract": "BTC_USDT", "size": -9440, "leverage": "0", "risk_limit": "100",
     "leverage_max": "100", "maintenance_rate": "0.005", "value": "3568.62", "margin": "4.431548146258",
     "entry_price": "3779.55", "liq_price": "99999999", "mark_price": "3780.32",
     "unrealised_pnl": "-0.000507486844", "realised_pnl": "0.045543982432", "adl_ranking": 5,
     "pending_orders": 16, "mode": "single", "update_time": 1684994406, "cross_leverage_limit": "0"}
]  # fmt: skip
GATE_ACCOUNT = {
    "user": 1666, "currency": "USDT", "total": "9707.803567115145", "unrealised_pnl": "3371.248828",
    "position_margin": "38.712189181", "order_margin": "0", "available": "9669.091377934145", "point": "0",
    "bonus": "0", "in_dual_mode": False,
}  # fmt: skip
GATE_TIERS = [
    {"tier": 1, "risk_limit": "500000", "initial_rate": "0.01", "maintenance_rate": "0.005",
     "leverage_max": "100", "deduction": "0"},
    {"tier": 2, "risk_limit": "1000000", "initial_rate": "0.02", "maintenance_rate": "0.01",
     "leverage_max": "50", "deduction": "2500"},
]  # fmt: skip

BITGET_POSITIONS = {
    "code": "00000", "msg": "success", "requestTime": 1700000000000,
    "data": [{"marginCoin": "USDT", "symbol": "BTCUSDT", "holdSide": "long", "openDelegateSize": "0",
              "marginSize": "2.12", "available": "0.001", "locked": "0", "total": "0.001", "leverage": "20",
              "achievedProfits": "0", "openPriceAvg": "42417.3", "marginMode": "isolated",
              "posMode": "hedge_mode", "unrealizedPL": "-0.0066", "liquidationPrice": "40410.94",
              "keepMarginRate": "0.004", "markPrice": "42410.7", "marginRatio": "0.0112",
              "cTime": "1700000000000", "uTime": "1700000000000"}],
}  # fmt: skip
BITGET_EMPTY = {"code": "00000", "msg": "success", "requestTime": 1700000000000, "data": []}
BITGET_ACCOUNTS = {
    "code": "00000", "msg": "success", "requestTime": 1700000000000,
    "data": [{"marginCoin": "USDT", "locked": "0", "available": "10.9", "crossedMaxAvailable": "10.9",
              "isolatedMaxAvailable": "10.9", "maxTransferOut": "10.9", "accountEquity": "12.05",
              "usdtEquity": "12.05", "crossedRiskRate": "0", "unrealizedPL": "-0.0066", "coupon": "0",
              "crossedUnrealizedPL": "0", "isolatedUnrealizedPL": "-0.0066"}],
}  # fmt: skip
BITGET_TIERS = {
    "code": "00000", "msg": "success",
    "data": [{"symbol": "BTCUSDT", "level": "1", "startUnit": "0", "endUnit": "150000", "leverage": "125",
              "keepMarginRate": "0.004"},
             {"symbol": "BTCUSDT", "level": "2", "startUnit": "150000", "endUnit": "300000",
              "leverage": "100", "keepMarginRate": "0.005"}],
}  # fmt: skip


def read(ex: Any) -> Any:
    return asyncio.run(AccountReader(ex, read_market=False).read())


def test_gate_cross_short_in_contracts_with_tier_deduction() -> None:
    ex = accxt.gate({"apiKey": "k", "secret": "s", "enableRateLimit": False})
    ex.set_markets([swap_market("BTC_USDT", "BTC", "USDT", "USDT", contract_size=0.0001)])
    replay = Replay(
        [
            ("/futures/usdt/positions", GATE_POSITIONS),
            ("/futures/btc/positions", []),
            ("/futures/usdt/accounts", GATE_ACCOUNT),
            ("risk_limit_tiers", GATE_TIERS),
        ]
    )
    ex.fetch = replay
    snapshot = read(ex)
    (account,) = snapshot.accounts
    (position,) = account.positions
    assert (position.side, position.contracts, position.margin_mode) == (
        "short",
        9440.0,
        "cross",
    )  # leverage 0
    assert position.instrument.contract_size == 0.0001
    assert account.wallet_balance == pytest.approx(9707.803567115145)  # "total", no isolated positions
    assert position.instrument.tiers[1].maintenance_amount == 2500.0  # raw "deduction"
    assert any("/futures/usdt/positions" in url for _, url, _ in replay.calls)


def test_bitget_isolated_long_and_wallet_without_unrealised_pnl() -> None:
    ex = accxt.bitget({"apiKey": "k", "secret": "s", "password": "p", "enableRateLimit": False})
    ex.set_markets([swap_market("BTCUSDT", "BTC", "USDT", "USDT")])
    usdt_only = lambda url, method, body: "all-position" in url and "productType=USDT-FUTURES" in url  # noqa: E731
    ex.fetch = Replay(
        [
            (usdt_only, BITGET_POSITIONS),
            ("all-position", BITGET_EMPTY),
            ("/mix/account/accounts", BITGET_ACCOUNTS),
            ("query-position-lever", BITGET_TIERS),
        ]
    )
    snapshot = read(ex)
    (account,) = snapshot.accounts
    (position,) = account.positions
    assert (position.side, position.margin_mode, position.collateral) == ("long", "isolated", 2.12)
    assert position.venue_liquidation_price == 40410.94
    # accountEquity 12.05 minus unrealizedPL (-0.0066) minus the isolated margin 2.12
    assert account.wallet_balance == pytest.approx(12.05 + 0.0066 - 2.12)
    assert [t.maintenance_amount for t in position.instrument.tiers] == [0.0, 0.0]
