"""Offline ccxt harness (ccxt-notes.md section 4.3): the real ccxt parsers run on recorded payloads.

``Replay`` replaces an exchange's ``fetch(url, method, headers, body)``; everything above it (unified
method, implicit endpoint, ``sign()``) runs for real. Unmatched requests raise, so a test fails loudly if
the code under test starts calling a new endpoint. Nothing here touches the network.
"""

from __future__ import annotations

import copy
import json
import pathlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import ccxt

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ccxt"

Matcher = str | Callable[[str, str, Any], bool]


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def case(name: str, method: str, index: int = 0) -> Any:
    """The recorded ``httpResponse`` of one case of a fixture file."""
    return load(name)["methods"][method][index]["httpResponse"]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def info_type(kind: str) -> Callable[[str, str, Any], bool]:
    """Match a Hyperliquid ``POST /info`` whose body has ``type == kind``."""
    return lambda url, method, body: (
        urlparse(url).path == "/info" and body is not None and json.loads(body).get("type") == kind
    )


class Replay:
    """Async drop-in for ``Exchange.fetch``: (matcher, payload) routes, first match wins."""

    def __init__(self, routes: list[tuple[Matcher, Any]]) -> None:
        self.routes = routes
        self.calls: list[tuple[str, str, Any]] = []

    async def __call__(self, url: str, method: str = "GET", headers: Any = None, body: Any = None) -> Any:
        self.calls.append((method, url, body))
        path = urlparse(url).path
        for matcher, payload in self.routes:
            if matcher(url, method, body) if callable(matcher) else matcher in path:
                return copy.deepcopy(payload)
        raise ccxt.ExchangeError(f"Replay: no recorded response for {method} {url} body={body}")

    @property
    def paths(self) -> list[str]:
        return [urlparse(url).path for _, url, _ in self.calls]


def swap_market(
    market_id: str,
    base: str,
    quote: str,
    settle: str,
    *,
    linear: bool = True,
    contract_size: float = 1.0,
    price: float = 0.1,
    amount: float = 0.001,
    **extra: Any,
) -> dict[str, Any]:
    """A minimal unified swap market; ``Exchange.set_markets()`` fills in the rest."""
    market = {
        "id": market_id,
        "symbol": f"{base}/{quote}:{settle}",
        "base": base,
        "quote": quote,
        "settle": settle,
        "baseId": base,
        "quoteId": quote,
        "settleId": settle,
        "type": "swap",
        "spot": False,
        "margin": False,
        "swap": True,
        "future": False,
        "option": False,
        "contract": True,
        "linear": linear,
        "inverse": not linear,
        "active": True,
        "contractSize": contract_size,
        "precision": {"amount": amount, "price": price, "base": 1e-8, "quote": 1e-8},
    }
    market.update(extra)
    return market
