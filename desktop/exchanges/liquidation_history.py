"""The account's own forced closes (liquidations, auto-deleveraging) from the venue, read-only.

ccxt 4.5.90 reads them with the unified ``fetch_my_liquidations(symbol, since, limit)`` where
``exchange.has["fetchMyLiquidations"]`` is true (Binance USD-M / COIN-M ``GET /fapi|dapi/v1/forceOrders``,
Bybit, Gate, Bitget, Hyperliquid; not OKX). The read-only facade allows it (a ``fetch_`` reader).
:func:`liquidation_records` turns ccxt's unified liquidation structures into
:class:`risk.position_events.LiquidationRecord`:

* ``side`` in the structure is the side of the closing order ("sell" closes a long); a hedge-mode
  ``positionSide`` LONG/SHORT in the raw payload wins where present;
* auto-deleveraging is told apart by Binance's client order id (``adl_autoclose-…``; a liquidation is
  ``autoclose-…``) or an ``autoCloseType`` of "ADL";
* the unified structure has no realised PnL: ``realized_pnl`` stays ``None`` ("not reported").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ccxt

from desktop.exchanges.normalise import number
from risk.position_events import LiquidationRecord


def _position_side(item: Mapping[str, Any]) -> str | None:
    info = item.get("info") or {}
    hedge = str(info.get("positionSide") or "").upper()
    if hedge in ("LONG", "SHORT"):
        return hedge.lower()
    order_side = str(item.get("side") or info.get("side") or "").lower()
    return {"sell": "long", "buy": "short"}.get(order_side)


def _kind(item: Mapping[str, Any]) -> str:
    info = item.get("info") or {}
    client = str(info.get("clientOrderId") or "")
    if client.startswith("adl_") or str(info.get("autoCloseType") or "").upper() == "ADL":
        return "adl"
    return "liquidation"


def liquidation_records(items: Iterable[Mapping[str, Any]]) -> list[LiquidationRecord]:
    """Records from ccxt liquidation structures, oldest first; entries without a symbol, side, size,
    price or time are skipped (a partial record cannot explain a closure)."""
    found: list[LiquidationRecord] = []
    for item in items:
        side = _position_side(item)
        contracts = number(item.get("contracts"))
        price = number(item.get("price"))
        timestamp = item.get("timestamp")
        symbol = item.get("symbol")
        if not (symbol and side and contracts and contracts > 0 and price and price > 0):
            continue
        if not isinstance(timestamp, int):
            continue
        size = number(item.get("baseValue"))
        contract_size = number(item.get("contractSize"))
        if size is None and contract_size is not None:
            size = contracts * contract_size
        found.append(
            LiquidationRecord(
                symbol=str(symbol),
                side=side,
                contracts=contracts,
                price=price,
                timestamp_ms=timestamp,
                kind=_kind(item),
                base_size=size,
            )
        )
    return sorted(found, key=lambda r: r.timestamp_ms)


async def fetch_liquidation_records(
    exchange: Any, symbol: str, since_ms: int | None
) -> list[LiquidationRecord]:
    """The account's forced closes of ``symbol`` since ``since_ms``; raises ``ccxt.NotSupported`` where
    the venue has no such history (the caller then reports the cause as unknown)."""
    if not (exchange.has or {}).get("fetchMyLiquidations"):
        raise ccxt.NotSupported(f"{exchange.id} has no liquidation history in ccxt")
    return liquidation_records(await exchange.fetch_my_liquidations(symbol, since_ms))
