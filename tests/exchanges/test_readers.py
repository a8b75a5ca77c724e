"""Readers on recorded payloads: the real ccxt 4.5.90 parsers, only ``fetch`` replaced.

Expected numbers are read from the raw venue payload in the fixture (the ``httpResponse``), not from
what ccxt derived, so a parser drift or a normalisation bug fails the test.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

import ccxt.async_support as accxt
import pytest

from desktop.exchanges import AccountReader, ExchangeReadError, read_account
from risk import Account
from tests.exchanges.replay import Replay, case, info_type, load, query, swap_market

BTCUSDT = swap_market("BTCUSDT", "BTC", "USDT", "USDT", taker=0.0005)
BTCUSD_PERP = swap_market("BTCUSD_PERP", "BTC", "USD", "BTC", linear=False, contract_size=100.0)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# --- Binance USD-M ----------------------------------------------------------------------------------
def binance_brackets() -> list[dict[str, Any]]:
    return load("binanceusdm.leverageBracket.json")["response"]


USDT_USD = 0.54230362 / 0.54238506
USDC_USD = (25.72610060 - 3.72964781 * USDT_USD) / 22.0
BINANCE_ASSET_INDEX = [
    {"symbol": name, "time": 1722161166529, "index": f"{price:.8f}", "bidBuffer": "0.00000000",
     "askBuffer": "0.00000000", "bidRate": f"{price:.8f}", "askRate": f"{price:.8f}",
     "autoExchangeBidBuffer": "0.00000000", "autoExchangeAskBuffer": "0.00000000",
     "autoExchangeBidRate": f"{price:.8f}", "autoExchangeAskRate": f"{price:.8f}"}
    for name, price in (("USDTUSD", USDT_USD), ("USDCUSD", USDC_USD))
]  # fmt: skip


def binanceusdm(position_case: int = 0) -> tuple[Any, Replay]:
    ex = accxt.binanceusdm({"apiKey": "k" * 64, "secret": "s" * 64, "enableRateLimit": False})
    ex.set_markets([BTCUSDT])
    replay = Replay(
        [
            ("/fapi/v1/leverageBracket", binance_brackets()),
            # Multi-Assets mode: the account below pools USDT 3.72964781 + USDC 22 into
            # totalWalletBalance 25.72610060 USD, so the venue valued them at their USD index prices, not
            # at 1. /fapi/v1/assetIndex in Binance's documented shape, with the prices the recording
            # implies: USDT from
            # totalUnrealizedProfit / USDT unrealizedProfit = 0.54230362 / 0.54238506, USDC from the wallet
            # identity (25.72610060 - 3.72964781 x USDT) / 22.
            ("/fapi/v1/assetIndex", BINANCE_ASSET_INDEX),
            ("/fapi/v3/positionRisk", case("binance.fetchPositions.json", "fetchPositions", position_case)),
            # the account endpoint of the same account, recorded next to the positions (case 2)
            ("/account", case("binance.fetchPositions.json", "fetchPositions", 2)),
        ]
    )
    ex.fetch = replay
    return ex, replay


def test_binanceusdm_read_account_from_recorded_payloads() -> None:
    ex, replay = binanceusdm()
    account = run(read_account(ex))
    raw = case("binance.fetchPositions.json", "fetchPositions", 0)[0]
    assert isinstance(account, Account)
    assert account.venue == "binanceusdm" and account.settle_currency == "USDT"
    # multi-assets account (USDT 3.7296 + USDC 22): the pooled cross wallet, 25.7261006 USD in USDT
    assert account.wallet_balance * USDT_USD == pytest.approx(25.7261006, rel=1e-8)
    assert account.margin_mode == "Multi-Assets mode (pooled)" and not account.venue_figures
    (position,) = account.positions
    assert position.side == "long" and position.margin_mode == "cross"
    assert position.contracts == pytest.approx(float(raw["positionAmt"]))
    assert position.entry_price == pytest.approx(float(raw["entryPrice"]))
    assert position.mark_price == pytest.approx(float(raw["markPrice"]))
    assert position.venue_liquidation_price == pytest.approx(float(raw["liquidationPrice"]))
    tiers = position.instrument.tiers
    assert len(tiers) == 12
    assert (tiers[1].notional_floor, tiers[1].maintenance_rate, tiers[1].maintenance_amount) == (
        300000.0,
        0.005,
        300.0,
    )
    assert math.isinf(tiers[-1].notional_cap) or tiers[-1].notional_cap == 1.8e9
    assert sorted(set(replay.paths)) == [
        "/fapi/v1/assetIndex",
        "/fapi/v1/leverageBracket",
        "/fapi/v3/account",
        "/fapi/v3/positionRisk",
    ]


def test_binanceusdm_reader_keeps_raw_fields_and_flags_feeds() -> None:
    ex, _ = binanceusdm()
    snapshot = run(AccountReader(ex, read_market=False).read())
    assert snapshot.feeds["positions"].state == "ok"
    assert snapshot.feeds["balance"].state == "ok"
    assert snapshot.feeds["tiers"].state == "ok"
    (record,) = snapshot.positions
    assert record.raw["info"]["breakEvenPrice"] == "67479.62295"
    assert record.venue_liquidation_price == pytest.approx(64846.9875379)


def coinm_brackets(floors_and_rates: list[list[str]]) -> list[dict[str, Any]]:
    """``GET /dapi/v2/leverageBracket`` in Binance's documented shape, built from the brackets ccxt
    recorded in the fixture (``options.leverageBrackets``: coin floor, rate); caps are the next floor and
    ``cum`` follows the maintenance-amount rule (exchange-margin-rules.md section 1.4)."""
    brackets, cum, previous_rate = [], 0.0, 0.0
    for index, (floor, rate) in enumerate(floors_and_rates):
        floor_f, rate_f = float(floor), float(rate)
        cum += floor_f * (rate_f - previous_rate)
        cap = float(floors_and_rates[index + 1][0]) if index + 1 < len(floors_and_rates) else 3000.0
        brackets.append(
            {"bracket": index + 1, "initialLeverage": 125, "qtyCap": cap, "qtyFloor": floor_f,
             "maintMarginRatio": rate_f, "cum": round(cum, 8)}
        )  # fmt: skip
        previous_rate = rate_f
    return [{"symbol": "BTCUSD_PERP", "brackets": brackets}]


def test_binancecoinm_inverse_position_units() -> None:
    ex = accxt.binancecoinm({"apiKey": "k" * 64, "secret": "s" * 64, "enableRateLimit": False})
    ex.set_markets([BTCUSD_PERP])
    brackets = load("binance.fetchPositions.json")["options"]["leverageBrackets"]
    ex.options["leverageBrackets"] = {"BTC/USD:BTC": brackets["BTC/USD:BTC"]}
    ex.fetch = Replay(
        [
            ("/dapi/v1/positionRisk", case("binance.fetchPositions.json", "fetchPositions", 3)),
            ("/dapi/v2/leverageBracket", coinm_brackets(brackets["BTC/USD:BTC"])),
        ]
    )
    snapshot = run(AccountReader(ex, read_market=False).read())
    (record,) = snapshot.positions  # the zero-size BCHUSD_241227 row is dropped
    raw = case("binance.fetchPositions.json", "fetchPositions", 3)[0]
    position = record.position
    assert record.settle == "BTC"
    assert position.side == "short" and position.instrument.inverse
    assert position.contracts == pytest.approx(abs(float(raw["positionAmt"])))
    assert position.instrument.contract_size == 100.0
    assert position.leverage == 20.0
    assert position.venue_liquidation_price == pytest.approx(float(raw["liquidationPrice"]))
    tiers = position.instrument.tiers  # coin notional
    assert [t.notional_floor for t in tiers[:3]] == [0.0, 5.0, 10.0]
    assert tiers[2].maintenance_amount == pytest.approx(5 * 0.001 + 10 * 0.005)
    assert snapshot.feeds["tiers"].state == "ok"
    # no COIN-M balance was recorded: the balance feed shows the error, nothing crashes
    assert snapshot.feeds["balance"].state == "error"
    assert "no recorded response" in snapshot.feeds["balance"].message
    assert snapshot.accounts == ()
    with pytest.raises(ExchangeReadError, match="balance"):
        run(read_account(ex))


# --- Bybit ------------------------------------------------------------------------------------------
LTCUSDT = swap_market("LTCUSDT", "LTC", "USDT", "USDT", price=0.01, amount=0.1)

BYBIT_RISK_LIMIT = {
    # GET /v5/market/risk-limit in Bybit's documented shape (handwritten). Tier 1's id and cap are the
    # position's own riskId 71 / riskLimitValue 200000; the rates are illustrative, mmDeduction "" as
    # Bybit returns for linear contracts, so the deduction comes from the continuity rule.
    "retCode": 0,
    "retMsg": "OK",
    "result": {
        "category": "linear",
        "list": [
            {"id": 71, "symbol": "LTCUSDT", "riskLimitValue": "200000", "maintenanceMargin": "0.01",
             "initialMargin": "0.02", "isLowestRisk": 1, "maxLeverage": "50.00", "mmDeduction": ""},
            {"id": 72, "symbol": "LTCUSDT", "riskLimitValue": "400000", "maintenanceMargin": "0.015",
             "initialMargin": "0.025", "isLowestRisk": 0, "maxLeverage": "40.00", "mmDeduction": ""},
        ],
    },
    "retExtInfo": {},
    "time": 1699976566190,
}  # fmt: skip


def bybit() -> tuple[Any, Replay]:
    ex = accxt.bybit(
        {
            "apiKey": "k",
            "secret": "s",
            "enableRateLimit": False,
            "options": {"enableUnifiedAccount": True, "enableUnifiedMargin": False},
        }
    )
    ex.set_markets([LTCUSDT])
    positions = case("bybit.fetchPositions.json", "fetchPositions")
    empty = {"retCode": "0", "retMsg": "OK", "result": {"list": [], "category": "linear"}, "time": "1"}
    replay = Replay(
        [
            (lambda url, m, b: "/v5/position/list" in url and "settleCoin=USDT" in url, positions),
            ("/v5/position/list", empty),
            ("/v5/account/wallet-balance", case("bybit.fetchBalance.unified.json", "fetchBalance")),
            ("/v5/market/risk-limit", BYBIT_RISK_LIMIT),
        ]
    )
    ex.fetch = replay
    return ex, replay


def test_bybit_read_account_from_recorded_payloads() -> None:
    ex, replay = bybit()
    account = run(read_account(ex))
    raw = case("bybit.fetchPositions.json", "fetchPositions")["result"]["list"][0]
    assert account.venue == "bybit" and account.settle_currency == "USDT"
    assert account.wallet_balance == pytest.approx(3322.25896609)  # coin USDT walletBalance
    (position,) = account.positions
    assert position.side == "long" and position.margin_mode == "cross"  # tradeMode "0"
    assert position.contracts == pytest.approx(float(raw["size"]))
    assert position.entry_price == pytest.approx(float(raw["avgPrice"]))
    assert position.mark_price == pytest.approx(float(raw["markPrice"]))
    assert position.leverage == pytest.approx(6.0)
    assert position.venue_liquidation_price is None  # liqPrice "" on a UTA cross position
    tier1, tier2 = position.instrument.tiers
    assert (tier1.notional_cap, tier2.maintenance_rate) == (200000.0, 0.015)
    assert tier2.maintenance_amount == pytest.approx(200000 * (0.015 - 0.01))
    # three position requests (USDT linear, USDC linear, inverse), one balance, one tier table
    position_calls = [url for _, url, _ in replay.calls if "/v5/position/list" in url]
    assert len(position_calls) == 3
    assert {query(u).get("settleCoin") for u in position_calls} >= {"USDT", "USDC"}


# --- OKX --------------------------------------------------------------------------------------------
OKX_MARKETS = [
    # ctVal 0.001 makes the recorded payload consistent with itself: notionalUsd = pos * ctVal * markPx
    swap_market(
        "LTC-USDT-SWAP",
        "LTC",
        "USDT",
        "USDT",
        contract_size=0.001,
        taker=0.0005,
        info={"instId": "LTC-USDT-SWAP", "instFamily": "LTC-USDT"},
    ),
    swap_market(
        "BTC-USD-SWAP",
        "BTC",
        "USD",
        "BTC",
        linear=False,
        contract_size=100.0,
        taker=0.0005,
        info={"instId": "BTC-USD-SWAP", "instFamily": "BTC-USD"},
    ),
]
OKX_BTC_USD_TIERS = {
    # GET /api/v5/public/position-tiers in OKX's documented shape (handwritten). Tier 1's mmr 0.004 is
    # the recorded isolated position's own ratio mmr / (pos * ctVal / markPx) =
    # 0.0000043300962256 / (100 / 92376.7) = 0.0040000; sizes are contracts.
    "code": "0",
    "msg": "",
    "data": [
        {"instFamily": "BTC-USD", "instId": "", "tier": "1", "minSz": "1", "maxSz": "10000",
         "mmr": "0.004", "imr": "0.008", "maxLever": "125", "uly": "BTC-USD"},
        {"instFamily": "BTC-USD", "instId": "", "tier": "2", "minSz": "10001", "maxSz": "20000",
         "mmr": "0.005", "imr": "0.01", "maxLever": "100", "uly": "BTC-USD"},
    ],
}  # fmt: skip


OKX_LTC_USDT_TIERS = [
    {"instFamily": "LTC-USDT", "tier": "1", "minSz": "1", "maxSz": "5000", "mmr": "0.01", "imr": "0.02",
     "maxLever": "50"}
]  # handwritten, illustrative  # fmt: skip


def okx_positions() -> dict[str, Any]:
    rows = [case("okx.fetchPosition.json", "fetchPosition", i)["data"][0] for i in range(3)]
    return {"code": "0", "msg": "", "data": rows}


def okx() -> tuple[Any, Replay]:
    ex = accxt.okx({"apiKey": "k", "secret": "s", "password": "p", "enableRateLimit": False})
    ex.set_markets(OKX_MARKETS)
    replay = Replay(
        [
            ("/api/v5/account/positions", okx_positions()),
            # account/config recorded with the same fixture set (acctLv 1: single-currency per position)
            ("/api/v5/account/config", case("okx.fetchPositions.json", "fetchAccounts")),
            ("/api/v5/account/balance", case("okx.fetchBalance.trading.trimmed.json", "fetchBalance")),
            (
                lambda url, m, b: "position-tiers" in url and query(url)["instFamily"] == "BTC-USD",
                OKX_BTC_USD_TIERS,
            ),
            ("/api/v5/public/position-tiers", {"code": "0", "msg": "", "data": OKX_LTC_USDT_TIERS}),
        ]
    )
    ex.fetch = replay
    return ex, replay


def test_okx_reader_cross_and_isolated_inverse_and_linear() -> None:
    ex, _ = okx()
    snapshot = run(AccountReader(ex, read_market=False).read())
    assert snapshot.feeds["positions"].state == "ok", snapshot.feeds
    assert snapshot.feeds["balance"].state == "ok", snapshot.feeds
    btc = snapshot.account("BTC")
    usdt = snapshot.account("USDT")
    assert btc is not None and usdt is not None
    # BTC detail: eq 1.06126645222, isoEq 0, upl 0, isoUpl 0
    assert btc.wallet_balance == pytest.approx(1.06126645222)
    assert usdt.wallet_balance == pytest.approx(0.000258796)
    modes = sorted((p.margin_mode, p.venue_liquidation_price) for p in btc.positions)
    assert modes == [
        ("cross", pytest.approx(89.11497615226264)),
        ("isolated", pytest.approx(69536.6125000014)),
    ]
    isolated = next(p for p in btc.positions if p.margin_mode == "isolated")
    assert isolated.collateral == pytest.approx(0.0003611412062116)  # raw "margin"
    assert isolated.instrument.inverse and isolated.instrument.contract_size == 100.0
    assert isolated.instrument.tiers[0].notional_cap == 10000.0  # contracts
    assert isolated.instrument.tiers[0].maintenance_amount == 0.0
    (ltc,) = usdt.positions
    assert ltc.venue_liquidation_price is None  # liqPx ""


# --- Hyperliquid ------------------------------------------------------------------------------------
def hl_market(index: int, coin: str, max_leverage: int, table: int) -> dict[str, Any]:
    return swap_market(
        str(index), coin, "USDC", "USDC", baseId=str(index),
        info={"name": coin, "szDecimals": "2", "maxLeverage": str(max_leverage), "marginTableId": table},
    )  # fmt: skip


HL_MARKETS = [hl_market(1, "ETH", 50, 50), hl_market(5, "SOL", 50, 50), hl_market(150, "HYPE", 10, 10)]
HL_META = {
    # POST /info {"type": "meta"} in Hyperliquid's documented shape (handwritten): table 50 is the one
    # tier "0 USDC: 50x" the recorded positions show as maxLeverage 50; table 10 (< 50) is implicit.
    "universe": [{"name": "ETH", "szDecimals": 4, "maxLeverage": 50, "marginTableId": 50}],
    "marginTables": [[50, {"description": "", "marginTiers": [{"lowerBound": "0.0", "maxLeverage": 50}]}]],
}


def hyperliquid(case_index: int) -> tuple[Any, Replay]:
    ex = accxt.hyperliquid({"walletAddress": "0x" + "1" * 40, "enableRateLimit": False})
    ex.set_markets(HL_MARKETS)
    state = case("hyperliquid.fetchPositions.json", "fetchPositions", case_index)
    replay = Replay(
        [
            (info_type("clearinghouseState"), state),
            (info_type("meta"), HL_META),
            (info_type("userAbstraction"), "default"),  # documented values: unifiedAccount | default | ...
        ]
    )
    ex.fetch = replay
    return ex, replay


def test_hyperliquid_cross_account_by_address() -> None:
    ex, replay = hyperliquid(2)
    account = run(read_account(ex))
    state = case("hyperliquid.fetchPositions.json", "fetchPositions", 2)
    assert account.venue == "hyperliquid" and account.settle_currency == "USDC"
    # crossMarginSummary.accountValue minus the cross positions' unrealised PnL (0.4 + 2059.2)
    assert account.wallet_balance == pytest.approx(11524.216934 - 0.4 - 2059.2)
    sol, eth = sorted(account.positions, key=lambda p: p.instrument.symbol, reverse=True)
    assert (sol.side, sol.contracts, sol.entry_price) == ("short", 0.5, 138.76)
    assert sol.mark_price == pytest.approx(68.98 / 0.5)  # positionValue / |szi|
    assert sol.venue_liquidation_price == pytest.approx(22881.19788911)
    assert eth.venue_liquidation_price is None  # liquidationPx null
    assert sol.instrument.tiers[0].maintenance_rate == pytest.approx(0.01)  # 1 / (2 * 50)
    assert state["crossMaintenanceMarginUsed"] == "38.8818"
    bodies = [json.loads(b) for _, _, b in replay.calls]
    assert {b["type"] for b in bodies} == {"clearinghouseState", "userAbstraction", "meta"}
    assert all(b.get("user") == "0x" + "1" * 40 for b in bodies if b["type"] != "meta")  # address, no key


def test_hyperliquid_isolated_collateral_and_single_tier_table() -> None:
    ex, _ = hyperliquid(3)
    snapshot = run(AccountReader(ex, read_market=False).read())
    (record,) = snapshot.positions
    position = record.position
    assert position.margin_mode == "isolated"
    assert position.collateral == pytest.approx(18.564417 + 0.6071)  # marginUsed - unrealizedPnl
    (tier,) = position.instrument.tiers
    assert tier.max_leverage == 10 and tier.maintenance_rate == pytest.approx(0.05)
    assert snapshot.account("USDC").wallet_balance == pytest.approx(57.6421)  # no cross positions


def test_binance_tiers_fall_back_to_the_brackets_ccxt_cached() -> None:
    """A caller that presets ``options['leverageBrackets']`` (ccxt-notes.md 4.3) and serves no bracket
    endpoint still gets tiers: caps from the next floor, cum from the maintenance-amount rule."""
    ex = accxt.binanceusdm({"apiKey": "k" * 64, "secret": "s" * 64, "enableRateLimit": False})
    ex.set_markets([BTCUSDT])
    brackets = load("binance.fetchPositions.json")["options"]["leverageBrackets"]
    ex.options["leverageBrackets"] = {"BTC/USDT:USDT": brackets["BTC/USDT:USDT"]}
    ex.fetch = Replay(
        [
            ("/fapi/v3/positionRisk", case("binance.fetchPositions.json", "fetchPositions", 0)),
            ("/account", case("binance.fetchPositions.json", "fetchPositions", 2)),
        ]
    )
    (position,) = run(read_account(ex)).positions
    tiers = position.instrument.tiers
    # recorded brackets: [0, 0.004], [50000, 0.005], [250000, 0.01], ...
    assert [(t.notional_floor, t.maintenance_rate) for t in tiers[:3]] == [
        (0, 0.004),
        (50000, 0.005),
        (250000, 0.01),
    ]
    assert tiers[1].maintenance_amount == pytest.approx(50000 * 0.001)  # 50, Binance's cum for bracket 2
    assert tiers[2].maintenance_amount == pytest.approx(50 + 250000 * 0.005)  # 1300, as in the 2021 table
    assert math.isinf(tiers[-1].notional_cap)


def test_hyperliquid_tiers_without_meta_use_the_market_max_leverage() -> None:
    ex = accxt.hyperliquid({"walletAddress": "0x" + "1" * 40, "enableRateLimit": False})
    ex.set_markets(HL_MARKETS)
    state = case("hyperliquid.fetchPositions.json", "fetchPositions", 3)
    ex.fetch = Replay([(info_type("clearinghouseState"), state)])  # no meta, no userAbstraction
    (position,) = run(read_account(ex)).positions
    (tier,) = position.instrument.tiers
    assert tier.max_leverage == 10 and tier.maintenance_rate == pytest.approx(0.05)


def test_bybit_unified_account_in_isolated_mode() -> None:
    """A unified account set to isolated margin (``/v5/account/info`` in Bybit's documented shape)."""
    ex, replay = bybit()
    account_info = {
        "retCode": 0, "retMsg": "OK",
        "result": {"marginMode": "ISOLATED_MARGIN", "updatedTime": "1697078946000", "unifiedMarginStatus": 4,
                   "dcpStatus": "OFF", "timeWindow": 10, "smpGroup": 0, "isMasterTrader": False,
                   "spotHedgingStatus": "OFF"},
    }  # fmt: skip
    replay.routes.insert(0, ("/v5/account/info", account_info))
    snapshot = run(AccountReader(ex, read_market=False).read())
    raw = case("bybit.fetchPositions.json", "fetchPositions")["result"]["list"][0]
    (position,) = snapshot.account("USDT").positions
    assert position.margin_mode == "isolated"
    # position margin as Bybit reports it: positionIM (IM + estimated fee to close + added margin)
    assert position.collateral == pytest.approx(float(raw["positionIM"]))
    # the USDT wallet excludes the isolated position's margin
    assert snapshot.account("USDT").wallet_balance == pytest.approx(3322.25896609 - float(raw["positionIM"]))
    assert snapshot.problems == ()


def test_bybit_account_mode_failure_is_reported_not_fatal() -> None:
    ex, _ = bybit()  # no /v5/account/info route
    snapshot = run(AccountReader(ex, read_market=False).read())
    assert snapshot.feeds["positions"].state == "ok"
    assert snapshot.account("USDT").positions[0].margin_mode == "cross"
    assert any("account margin mode unknown" in p for p in snapshot.problems)
