"""Is this reply really a list of positions? Is this position readable? (issue #10)

ccxt's parsers are forgiving: an HTTP 200 with an empty body, ``null``, Bybit's ``{"retCode": 0}`` without
a ``result`` or with ``result.list = null`` all parse as "no positions", which a risk monitor would show as
a flat, safe account. And a position whose size is None, text, NaN or negative, or whose symbol is
missing, used to be dropped without a word. Both are errors here:

* :func:`check_positions_reply` raises ``ccxt.BadResponse`` unless the raw body of the positions request
  has the venue's documented shape (the list is present and is a list);
* :func:`position_problem` names what is wrong with one unified position (None when it is readable);
  :func:`is_flat` tells a genuinely closed position (size exactly 0, which venues do return) from an
  unreadable one.

Shapes (the venues' API docs; the recorded payloads in tests/fixtures/ccxt have them):

* Binance USD-M ``GET /fapi/v3/positionRisk``, COIN-M ``GET /dapi/v1/positionRisk``, Gate
  ``GET /futures/{settle}/positions``: a JSON list;
* Bybit ``GET /v5/position/list``: ``{"retCode": 0, "result": {"list": [...]}}``;
* OKX ``GET /api/v5/account/positions``: ``{"code": "0", "data": [...]}``;
* Bitget ``GET /api/v2/mix/position/all-position``: ``{"code": "00000", "data": [...]}``;
* Hyperliquid ``POST /info`` ``clearinghouseState``: ``{"assetPositions": [...], "marginSummary": {...}}``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import ccxt

MAX_NOTIONAL = 1e15
"""A position worth more than this (quote units) is a damaged number, not a position (1e15 USD is ten
times the world's annual GDP); beyond it maintenance margin overflows to inf/NaN."""


def _list_at(body: Any, *path: str) -> Any:
    node = body
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


_SHAPES: dict[str, tuple[tuple[str, ...], str]] = {
    # venue -> (path to the positions list, its name in the message)
    "binanceusdm": ((), "a JSON list"),
    "binancecoinm": ((), "a JSON list"),
    "gate": ((), "a JSON list"),
    "bybit": (("result", "list"), "result.list"),
    "okx": (("data",), "data"),
    "bitget": (("data",), "data"),
    "hyperliquid": (("assetPositions",), "assetPositions"),
}


def check_positions_reply(venue: str, text: Any) -> None:
    """Raise ``ccxt.BadResponse`` unless ``text`` (the raw HTTP body) holds the venue's positions list.

    ``text`` that is not a string (a non-ccxt exchange, or ccxt with ``enableLastHttpResponse`` off) is
    not checked: there is nothing to check it against.
    """
    if not isinstance(text, str):
        return
    if not text.strip():
        raise ccxt.BadResponse(f"{venue} positions: the reply is empty (HTTP 200 without a body)")
    try:
        body = json.loads(text)
    except ValueError:
        snippet = " ".join(text.split())[:60]
        raise ccxt.BadResponse(f"{venue} positions: the reply is not JSON: {snippet!r}") from None
    if body is None:
        raise ccxt.BadResponse(f"{venue} positions: the reply is null")
    path, name = _SHAPES.get(venue, ((), "a JSON list"))
    if venue not in _SHAPES:
        return  # a venue without a documented shape here: ccxt's own checks only
    found = _list_at(body, *path)
    if not isinstance(found, list):
        what = "missing" if found is None else f"a {type(found).__name__}"
        raise ccxt.BadResponse(
            f"{venue} positions: the reply has no positions list ({name} is {what}): "
            f"{' '.join(text.split())[:80]!r}"
        )


_RAW_SIZE: dict[str, tuple[str, bool]] = {
    # venue -> (raw size field, signed?)
    "binanceusdm": ("positionAmt", True),
    "binancecoinm": ("positionAmt", True),
    "bybit": ("size", False),
    "okx": ("pos", True),
    "gate": ("size", True),
    "bitget": ("total", False),
    "hyperliquid": ("szi", True),
}
"""The venue's own size field. Missing, ccxt derives a size from notional / mark (a guess that looks
consistent); negative where the venue documents it unsigned (the side is a separate field), ccxt takes
its absolute value. Both are damaged replies."""


def raw_size_problem(venue: str, position: Mapping[str, Any]) -> str | None:
    """A problem with the raw, venue-reported size that ccxt's parser hides, or None."""
    field, signed = _RAW_SIZE.get(venue, ("", True))
    info = position.get("info")
    if not field or not isinstance(info, Mapping):
        return None
    if venue == "hyperliquid" and isinstance(info.get("position"), Mapping):
        info = info["position"]
    if info.get(field) is None:
        return f"{position.get('symbol')}: raw {field} is missing"
    try:
        value = float(info[field])
    except (TypeError, ValueError):
        return f"{position.get('symbol')}: raw {field} is {info[field]!r}, not a number"
    if not math.isfinite(value) or (value < 0 and not signed):
        return f"{position.get('symbol')}: raw {field} is {info[field]!r}"
    return None


def is_flat(position: Mapping[str, Any]) -> bool:
    """True for a position the venue reports as closed: size exactly 0 (a number or "0")."""
    value = position.get("contracts")
    if isinstance(value, bool):
        return False
    try:
        return float(value) == 0.0
    except (TypeError, ValueError):
        return False


def position_problem(position: Any, market: Mapping[str, Any], venue: str = "") -> str | None:
    """Why ``position`` (ccxt's unified dict) cannot be read, or None when it can.

    ``market`` is the ccxt market of its symbol (empty when unknown). Checked: an object, a symbol, a
    finite positive size, a known market with a contract size, mark and entry prices (when present)
    finite and positive, and a finite notional below :data:`MAX_NOTIONAL`.
    """
    if not isinstance(position, Mapping):
        return f"a position entry is a {type(position).__name__}, not an object"
    symbol = position.get("symbol")
    if not isinstance(symbol, str) or not symbol:
        info = position.get("info")
        hint = ""
        if isinstance(info, Mapping):
            hint = str(info.get("symbol") or info.get("instId") or info.get("coin") or "")[:40]
        return f"a position without a symbol{f' ({hint})' if hint else ''}"
    contracts = position.get("contracts")
    if isinstance(contracts, bool) or not isinstance(contracts, int | float):
        return f"{symbol}: size is {contracts!r}, not a number"
    if not math.isfinite(contracts) or contracts < 0:
        return f"{symbol}: size is {contracts!r}"
    raw = raw_size_problem(venue, position)
    if raw is not None:
        return raw
    if not market:
        return f"{symbol}: unknown market"
    # the market's, not the position's: ccxt derives a position's contractSize from value / (size x
    # mark) when the market has none, which is a guess that makes a wrong size look consistent
    size = market.get("contractSize")
    if isinstance(size, bool) or not isinstance(size, int | float) or not math.isfinite(size) or size <= 0:
        return f"{symbol}: the market's contract size is {size!r}"
    for name in ("markPrice", "entryPrice"):
        price = position.get(name)
        if price is None:
            continue  # a mark may come from the market feed; an entry price is not always reported
        if isinstance(price, bool) or not isinstance(price, int | float):
            return f"{symbol}: {name} is {price!r}, not a number"
        if not math.isfinite(price) or price <= 0:
            return f"{symbol}: {name} is {price!r}"
    prices = [position.get(k) for k in ("markPrice", "entryPrice")]
    price = max((p for p in prices if isinstance(p, int | float) and math.isfinite(p)), default=1.0)
    notional = contracts * size * (1.0 if market.get("inverse") else abs(price))
    if not math.isfinite(notional) or notional > MAX_NOTIONAL:
        return f"{symbol}: size {contracts!r} gives a notional of {notional:.3g}, not a real position"
    return None
