"""Bybit Unified Trading Account replies in Bybit's documented shapes (v5 API docs), for the agreement tests.

No recording of a UTA isolated position with a liquidation price, or of a UTA cross account with its
positions next to its wallet, is available; these payloads are handwritten in the documented shapes. The
venue-reported figures in them (``liqPrice``, ``positionIM``) are computed here from Bybit's published
formulas, independently of ``risk`` (help centre "Trading Rules: Liquidation Process (UTA)", 2026-08-07;
"Initial Margin Calculation (USDC Perpetual & Futures)", 2025-09-02), and rounded to the contract's tick
as Bybit prints them. The wallet is the recorded UNIFIED wallet balance (ccxt fixture, a real account).
"""

from __future__ import annotations

from typing import Any

import ccxt.async_support as accxt

from tests.exchanges.replay import Replay, case, swap_market

BTCUSDT = swap_market("BTCUSDT", "BTC", "USDT", "USDT", price=0.1, amount=0.001, taker=0.00055)
TAKER = 0.00055
MMR = 0.005

# one position: long 2 BTC at 60,000, 10x, 100 USDT added after opening, mark 58,000 (large enough for
# a cross liquidation price against the recorded ~90k USD of collateral)
SIZE, ENTRY, LEVERAGE, EXTRA, MARK = 2.0, 60_000.0, 10.0, 100.0, 58_000.0
CLOSE_FEE = SIZE * ENTRY * (1.0 - 1.0 / LEVERAGE) * TAKER  # 59.4: fee to close at the bankruptcy price
POSITION_IM = SIZE * ENTRY / LEVERAGE + CLOSE_FEE + EXTRA  # positionIM as Bybit reports it: 12,159.4
# long LP = [E*q - E*q/lev - Extra/(1 - taker) - Deduction] / [q - q*MMR], printed at the 0.1 tick
LIQ_PRICE = round(
    (ENTRY * SIZE - ENTRY * SIZE / LEVERAGE - EXTRA / (1.0 - TAKER) - 0.0) / (SIZE * (1 - MMR)), 1
)

RISK_LIMIT = {
    "retCode": 0, "retMsg": "OK",
    "result": {"category": "linear", "list": [
        {"id": 1, "symbol": "BTCUSDT", "riskLimitValue": "2000000", "maintenanceMargin": "0.005",
         "initialMargin": "0.01", "isLowestRisk": 1, "maxLeverage": "100.00", "mmDeduction": ""}]},
    "retExtInfo": {}, "time": 1764720000000,
}  # fmt: skip

COLLATERAL = {
    # GET /v5/spot-margin-trade/collateral; ratios: the example tiers of "Understanding Collateral Value
    # Ratios in UTA" (2025-09-18) for BTC, round illustrative ones for the others
    "retCode": 0, "retMsg": "OK",
    "result": {"list": [
        {"currency": "BTC", "collateralRatioList": [
            {"minQty": "0", "maxQty": "10", "collateralRatio": "0.98"},
            {"minQty": "10", "maxQty": "", "collateralRatio": "0.95"}]},
        {"currency": "ETH",
         "collateralRatioList": [{"minQty": "0", "maxQty": "", "collateralRatio": "0.95"}]},
        {"currency": "USDT", "collateralRatioList": [{"minQty": "0", "maxQty": "", "collateralRatio": "1"}]},
        {"currency": "USDC", "collateralRatioList": [{"minQty": "0", "maxQty": "", "collateralRatio": "1"}]},
    ]},
}  # fmt: skip


def position_list(trade_mode: int, liq_price: str) -> dict[str, Any]:
    """GET /v5/position/list with the one BTCUSDT position."""
    row = {
        "positionIdx": 0, "riskId": 1, "riskLimitValue": "2000000", "symbol": "BTCUSDT", "side": "Buy",
        "size": f"{SIZE}", "avgPrice": f"{ENTRY}", "positionValue": f"{SIZE * ENTRY}",
        "tradeMode": trade_mode,
        "autoAddMargin": 0, "positionStatus": "Normal", "leverage": f"{LEVERAGE:g}", "markPrice": f"{MARK}",
        "liqPrice": liq_price, "bustPrice": "", "positionIM": f"{POSITION_IM:.8f}",
        "positionMM": f"{SIZE * MARK * MMR + CLOSE_FEE:.8f}", "positionBalance": "", "tpslMode": "Full",
        "unrealisedPnl": f"{SIZE * (MARK - ENTRY)}", "curRealisedPnl": "0", "cumRealisedPnl": "0",
        "adlRankIndicator": 2, "isReduceOnly": False, "createdTime": "1764720000000",
        "updatedTime": "1764720000000", "seq": 1,
    }  # fmt: skip
    result = {"list": [row], "category": "linear", "nextPageCursor": ""}
    return {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": 1764720000000}


def account_info(mode: str) -> dict[str, Any]:
    """GET /v5/account/info."""
    result = {"marginMode": mode, "updatedTime": "1764720000000", "unifiedMarginStatus": 5}
    return {"retCode": 0, "retMsg": "OK", "result": result}


def bybit_uta(mode: str) -> Any:
    """A ccxt bybit exchange replaying a UTA account in ``mode`` (ISOLATED_MARGIN or REGULAR_MARGIN)."""
    ex = accxt.bybit(
        {"apiKey": "k", "secret": "s", "enableRateLimit": False,
         "options": {"enableUnifiedAccount": True, "enableUnifiedMargin": False}}
    )  # fmt: skip
    ex.set_markets([BTCUSDT])
    isolated = mode == "ISOLATED_MARGIN"
    positions = position_list(1 if isolated else 0, f"{LIQ_PRICE:.1f}" if isolated else "")
    empty = {"retCode": 0, "retMsg": "OK", "result": {"list": [], "category": "linear"}, "time": 1}
    ex.fetch = Replay(
        [
            ("/v5/account/info", account_info(mode)),
            ("/v5/spot-margin-trade/collateral", COLLATERAL),
            (lambda url, m, b: "/v5/position/list" in url and "settleCoin=USDT" in url, positions),
            ("/v5/position/list", empty),
            ("/v5/account/wallet-balance", case("bybit.fetchBalance.unified.json", "fetchBalance")),
            ("/v5/market/risk-limit", RISK_LIMIT),
        ]
    )
    return ex
