"""Account-wide margin modes read from the venues' APIs: pooled multi-asset margin computed with
``risk.collateral``, and the modes that cannot be computed (portfolio margin, OKX cross tiers across
expiries, Bitget hedge "larger side") labelled and shown with the venue's own figures.

Payloads: the recorded Bybit UNIFIED wallet balance and OKX multi-currency balance (ccxt fixtures, real
accounts), plus handwritten replies in the venues' documented shapes where no recording exists (each
says so).
"""

from __future__ import annotations

from typing import Any

import pytest

import risk
from desktop.exchanges import AccountReader
from desktop.exchanges.adapters import adapter_for
from tests.exchanges import test_readers as readers
from tests.exchanges.replay import case

# GET /v5/spot-margin-trade/collateral in Bybit's documented shape (handwritten ratios: the example
# tiers of "Understanding Collateral Value Ratios in UTA", 2025-09-18, for BTC; USDT and USDC at 1).
BYBIT_COLLATERAL = {
    "retCode": 0, "retMsg": "OK",
    "result": {"list": [
        {"currency": "BTC", "collateralRatioList": [
            {"minQty": "0", "maxQty": "10", "collateralRatio": "0.98"},
            {"minQty": "10", "maxQty": "20", "collateralRatio": "0.95"},
            {"minQty": "20", "maxQty": "", "collateralRatio": "0.9"}]},
        {"currency": "ETH",
         "collateralRatioList": [{"minQty": "0", "maxQty": "", "collateralRatio": "0.95"}]},
        {"currency": "USDT", "collateralRatioList": [{"minQty": "0", "maxQty": "", "collateralRatio": "1"}]},
        {"currency": "USDC", "collateralRatioList": [{"minQty": "0", "maxQty": "", "collateralRatio": "1"}]},
    ]},
}  # fmt: skip


def account_info(mode: str) -> dict[str, Any]:
    """GET /v5/account/info in Bybit's documented shape."""
    result = {"marginMode": mode, "updatedTime": "1697078946000", "unifiedMarginStatus": 4}
    return {"retCode": 0, "retMsg": "OK", "result": result}


def bybit_reader(mode: str) -> AccountReader:
    ex, replay = readers.bybit()
    replay.routes.insert(0, ("/v5/account/info", account_info(mode)))
    replay.routes.insert(0, ("/v5/spot-margin-trade/collateral", BYBIT_COLLATERAL))
    return AccountReader(ex, read_market=False)


def test_bybit_uta_cross_pools_every_collateral_coin() -> None:
    snapshot = readers.run(bybit_reader("REGULAR_MARGIN").read())
    assert snapshot.margin_mode.pooled and snapshot.problems == ()
    account = snapshot.account("USDT")
    assert account is not None and account.margin_mode == "UTA cross margin (pooled)"
    # By hand from the recorded coin[] rows: walletBalance x (usdValue / equity) x collateral ratio.
    wallet = case("bybit.fetchBalance.unified.json", "fetchBalance")["result"]["list"][0]
    ratios = {"BTC": 0.98, "ETH": 0.95}
    expected_usd = 0.0
    usdt_price = 1.0
    for coin in wallet["coin"]:
        quantity, usd, equity = (float(coin[k]) for k in ("walletBalance", "usdValue", "equity"))
        price = usd / equity
        if coin["coin"] == "USDT":
            usdt_price = price
        expected_usd += quantity * price * (ratios.get(coin["coin"], 1.0) if quantity > 0 else 1.0)
    assert account.wallet_balance * usdt_price == pytest.approx(expected_usd, rel=1e-12)
    # Pooled: far more collateral than the USDT coin alone (3,322 USDT), so the price moves away.
    pooled = risk.assess(account).positions[0].liquidation_price
    alone = risk.assess(risk.Account("bybit", 3322.25896609, account.positions, "USDT")).positions[0]
    assert pooled is None or alone.liquidation_price is None or pooled < alone.liquidation_price


def test_bybit_portfolio_margin_shows_the_venue_figures() -> None:
    snapshot = readers.run(bybit_reader("PORTFOLIO_MARGIN").read())
    account = snapshot.account("USDT")
    assert account is not None and account.venue_figures and account.margin_mode == "portfolio margin"
    result = risk.assess(account)
    assert result.venue_figures
    assert result.positions[0].liquidation_price is None  # the venue reported liqPrice ""
    assert result.margin_ratio == 0.0  # the recorded accountMMRate "0"


def test_bybit_without_collateral_ratios_falls_back_to_venue_figures() -> None:
    ex, replay = readers.bybit()
    replay.routes.insert(0, ("/v5/account/info", account_info("REGULAR_MARGIN")))
    snapshot = readers.run(AccountReader(ex, read_market=False).read())
    assert any("collateral ratios unavailable" in p for p in snapshot.problems)
    account = snapshot.account("USDT")
    assert account is not None and account.venue_figures


def okx_reader(level: str) -> AccountReader:
    ex, replay = readers.okx()
    config = case("okx.fetchPositions.json", "fetchAccounts")
    config["data"][0]["acctLv"] = level  # the recorded config is acctLv 1; the balance is multi-currency
    replay.routes.insert(0, ("/api/v5/account/config", config))
    # the recorded BTC-USD cross and isolated rows were taken at different marks (92057.4, 92376.7): one
    # account cannot hold both, so the cross one is left out
    rows = readers.okx_positions()
    rows["data"] = [
        r for r in rows["data"] if not (r["instId"].startswith("BTC") and r["mgnMode"] == "cross")
    ]
    replay.routes.insert(0, ("/api/v5/account/positions", rows))
    return AccountReader(ex, read_market=False)


def test_okx_multi_currency_margin_is_pooled_with_the_venue_discounts() -> None:
    snapshot = readers.run(okx_reader("3").read())
    assert snapshot.margin_mode.pooled and snapshot.margin_mode.haircut_on_pnl
    btc = snapshot.account("BTC")
    assert btc is not None and btc.margin_mode == "multi-currency margin (pooled)"
    # The recorded balance (BTC and USDT rows): collateral = the venue's own discounted equity, disEq.
    details = case("okx.fetchBalance.trading.trimmed.json", "fetchBalance")["data"][0]["details"]
    dis_eq = sum(float(d["disEq"]) for d in details)
    btc_usd = next(float(d["eqUsd"]) / float(d["eq"]) for d in details if d["ccy"] == "BTC")
    assert btc.wallet_balance * btc_usd == pytest.approx(dis_eq, rel=1e-9)


def test_okx_portfolio_margin_uses_mgn_ratio() -> None:
    snapshot = readers.run(okx_reader("4").read())
    btc = snapshot.account("BTC")
    assert btc is not None and btc.venue_figures and btc.margin_mode == "portfolio margin"
    result = risk.assess(btc)
    venue = {p.venue_liquidation_price for p in btc.positions}
    assert {p.liquidation_price for p in result.positions} == venue


def test_okx_cross_futures_of_one_underlying_in_several_expiries() -> None:
    adapter = adapter_for("okx")
    rows = [
        {"symbol": s, "marginMode": "cross", "side": "long",
         "info": {"instType": "FUTURES", "instFamily": "BTC-USD", "instId": i, "mgnMode": "cross"}}
        for s, i in (("BTC/USD:BTC-260327", "BTC-USD-260327"), ("BTC/USD:BTC-260626", "BTC-USD-260626"))
    ]  # fmt: skip
    info = adapter.margin_mode_info([], "2", rows, {})
    assert info.venue_figures and info.label == "cross tiers across expiries"
    assert not adapter.margin_mode_info([], "2", rows[:1], {}).venue_figures


def test_bitget_hedge_mode_both_sides_is_the_larger_side_rule() -> None:
    adapter = adapter_for("bitget")
    rows = [{"symbol": "BTC/USDT:USDT", "marginMode": "cross", "side": side} for side in ("long", "short")]
    info = adapter.margin_mode_info([], None, rows, {})
    assert info.venue_figures and info.label == "hedge mode, larger side"
    assert not adapter.margin_mode_info([], None, rows[:1], {}).venue_figures


def test_binance_portfolio_margin_option() -> None:
    info = adapter_for("binanceusdm").margin_mode_info([], None, [], {"portfolioMargin": True})
    assert info.venue_figures and info.label == "portfolio margin" and info.venue_margin_ratio is None


def test_adl_rank_is_read_from_the_recorded_positions() -> None:
    # Binance positionRisk v3 "adl": "2"; Bybit "adlRankIndicator": "2"; OKX "adl" per position.
    binance = readers.run(readers.read_account(readers.binanceusdm()[0]))
    assert binance.positions[0].adl_rank == 2
    bybit = readers.run(readers.read_account(readers.bybit()[0]))
    assert bybit.positions[0].adl_rank == 2
    okx = readers.run(AccountReader(readers.okx()[0], read_market=False).read())
    raw = {r.raw["info"]["instId"] + r.raw["info"]["mgnMode"]: r for r in okx.positions}
    for record in okx.positions:
        value = record.raw["info"].get("adl")
        expected = int(value) if value not in (None, "") and 0 <= int(value) <= 5 else None
        assert record.position.adl_rank == expected
    assert raw
