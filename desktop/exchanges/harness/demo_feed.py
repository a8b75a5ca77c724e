"""The demo venue served by the local harness, so ``liqguard --demo --via-harness`` reads it through the
real ccxt.pro stack (WebSocket marks and private streams, REST reconciliation) like a real account.

:class:`HarnessDemo` owns a :class:`~desktop.exchanges.demo.DemoVenue` (guarded by a lock: the harness
thread, the pusher thread and the GUI's toolbar all touch it) and serves its two accounts in the venues'
own formats: the Binance USD-M account as ``GET /fapi/v3/positionRisk``, ``/fapi/v3/account``,
``/fapi/v1/leverageBracket`` and ``ACCOUNT_UPDATE`` pushes; the Hyperliquid account as ``POST /info``
(``clearinghouseState``, ``meta``) and ``clearinghouseState`` pushes. Every ``push_interval`` seconds the
newest demo tick of each symbol is pushed as a mark (Binance ``markPriceUpdate``, Hyperliquid
``activeAssetCtx``) plus a Hyperliquid ``l2Book``; open interest and depth of Binance come over REST.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from desktop.accounts import AccountConfig
from desktop.engine.snapshots import DemoStatus, MarketTick
from desktop.exchanges.demo import DEMO_SYMBOLS, DemoVenue, demo_accounts
from desktop.exchanges.harness import venues as V
from desktop.exchanges.harness.server import LocalVenueServer
from risk import Account, Position

T = TypeVar("T")
WALLET = "0x00000000000000000000000000000000000000de"
"""The demo Hyperliquid account's (made-up) address."""
HL_INDEX = {"BTC": 0, "ETH": 1, "SOL": 5}
"""Hyperliquid asset indexes of the demo coins (their order in Hyperliquid's perp universe)."""
BINANCE_READ_ONLY = {
    # GET /sapi/v1/account/apiRestrictions, Binance's documented example with reading only
    "ipRestrict": False,
    "createTime": 1698645219000,
    "enableReading": True,
    "enableWithdrawals": False,
    "enableInternalTransfer": False,
    "enableMargin": False,
    "enableFutures": False,
    "permitsUniversalTransfer": False,
    "enableVanillaOptions": False,
    "enableFixApiTrade": False,
    "enableFixReadOnly": True,
    "enableSpotAndMarginTrading": False,
    "enablePortfolioMarginTrading": False,
}


def _base(symbol: str) -> str:
    return symbol.split("/")[0]


def market(venue: str, symbol: str, max_leverage: float = 50.0) -> dict[str, Any]:
    """A unified swap market of the demo venue (``set_markets`` fills the rest)."""
    base, rest = symbol.split("/")
    quote, settle = rest.split(":")
    market_id = f"{base}{quote}" if venue == "binanceusdm" else str(HL_INDEX[base])
    info = {"name": base, "maxLeverage": str(int(max_leverage)), "marginTableId": int(max_leverage)}
    return {
        "id": market_id,
        "lowercaseId": market_id.lower(),
        "symbol": symbol,
        "base": base,
        "quote": quote,
        "settle": settle,
        "baseId": market_id if venue == "hyperliquid" else base,
        "quoteId": quote,
        "settleId": settle,
        "baseName": base,
        "type": "swap",
        "spot": False,
        "margin": False,
        "swap": True,
        "future": False,
        "option": False,
        "contract": True,
        "linear": True,
        "inverse": False,
        "active": True,
        "contractSize": 1.0,
        "taker": 0.0005 if venue == "binanceusdm" else 0.00045,
        "precision": {"amount": 0.001, "price": 0.01},
        "info": info if venue == "hyperliquid" else {},
    }


def _s(value: float) -> str:
    return repr(float(value))


class HarnessDemo:
    """The demo venue on a :class:`LocalVenueServer` (Binance USD-M and Hyperliquid)."""

    def __init__(
        self,
        venue: DemoVenue | None = None,
        server: LocalVenueServer | None = None,
        push_interval: float = 0.25,
    ) -> None:
        self.venue = venue or DemoVenue()
        self.server = server or V.harness(("binanceusdm", "hyperliquid"))
        self.push_interval = push_interval
        self._lock = threading.RLock()
        self._latest: dict[str, MarketTick] = {}
        self._sent_accounts: dict[str, Account] = {}
        self._stop = threading.Event()
        self._pusher = threading.Thread(target=self._push_forever, name="liqguard-demo-harness", daemon=True)
        self.pushes = 0

    # ---- control (any thread) --------------------------------------------------------------------
    def call(self, fn: Callable[[DemoVenue], T]) -> T:
        """Run ``fn(venue)`` under the demo's lock (speed and scenario changes from the toolbar)."""
        with self._lock:
            return fn(self.venue)

    def status(self) -> DemoStatus:
        return self.call(lambda v: v.status())

    def start(self) -> HarnessDemo:
        if not self.server.port:
            self.server.start()
        self._serve_rest()
        with self._lock:
            self._advance()
        self._pusher.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._pusher.is_alive():
            self._pusher.join(5)
        self.server.stop()

    # ---- pushing ------------------------------------------------------------------------------
    def _advance(self) -> None:
        for tick in self.venue.new_ticks():
            self._latest[tick.symbol] = tick

    def _push_forever(self) -> None:
        while not self._stop.wait(self.push_interval):
            try:
                self.push_once()
            except Exception:  # the server is stopping: the next round (or the stop) decides
                if self._stop.is_set():
                    return

    def push_once(self) -> None:
        """Advance the demo clock and push the newest marks, books and changed accounts."""
        with self._lock:
            self._advance()
            latest = dict(self._latest)
            accounts = {spec.account_id: self.venue.read(spec.account_id) for spec in demo_accounts()}
        now_ms = int(time.time() * 1000)
        for symbol, tick in latest.items():
            base = _base(symbol)
            index = tick.index_price or tick.mark_price
            funding = tick.funding_rate or 0.0
            if symbol.endswith(":USDT"):
                self.server.publish(
                    "binanceusdm", V.binance_mark(f"{base}USDT", tick.mark_price, index, funding, now_ms)
                )
            else:
                oi = tick.open_interest or 0.0
                self.server.publish(
                    "hyperliquid", V.hyperliquid_asset_ctx(base, tick.mark_price, index, funding, oi)
                )
                self.server.publish("hyperliquid", V.hyperliquid_l2book(base, now_ms, *self._book(tick)))
        for account_id, account in accounts.items():
            if self._sent_accounts.get(account_id) is not None and _same_book(
                self._sent_accounts[account_id], account
            ):
                continue
            self._sent_accounts[account_id] = account
            if account.venue == "binanceusdm":
                positions = [
                    {"s": f"{_base(p.instrument.symbol)}USDT", "pa": _signed(p), "ep": p.entry_price}
                    for p in account.positions
                ]
                frame = V.binance_account_update(now_ms, {"USDT": account.wallet_balance}, positions)
                self.server.publish("binanceusdm", frame, private=True)
            else:
                self.server.publish(
                    "hyperliquid", V.hyperliquid_clearinghouse(WALLET, self._clearinghouse(account))
                )
        self.pushes += 1

    @staticmethod
    def _book(tick: MarketTick) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        """Two levels per side inside 1 % of the mark holding the demo's depth (USD -> coins)."""
        mark = tick.mark_price
        bid_usd = tick.bid_depth_1pct_usd or 0.0
        ask_usd = tick.ask_depth_1pct_usd or 0.0
        bids = [(mark * 0.9995, bid_usd / 2 / (mark * 0.9995)), (mark * 0.995, bid_usd / 2 / (mark * 0.995))]
        asks = [(mark * 1.0005, ask_usd / 2 / (mark * 1.0005)), (mark * 1.005, ask_usd / 2 / (mark * 1.005))]
        return bids, asks

    # ---- REST ---------------------------------------------------------------------------------
    def _account(self, venue: str) -> Account:
        spec = next(s for s in demo_accounts() if s.venue == venue)
        with self._lock:
            return self.venue.read(spec.account_id)

    def _serve_rest(self) -> None:
        bn = self.server.rest["binanceusdm"]
        bn["/sapi/v1/account/apiRestrictions"] = BINANCE_READ_ONLY
        bn["/fapi/v1/listenKey"] = {"listenKey": "demo-listen-key"}
        bn["/fapi/v3/positionRisk"] = lambda *_: self._position_risk()
        bn["/fapi/v3/account"] = lambda *_: self._binance_account()
        bn["/fapi/v2/account"] = lambda *_: self._binance_account()
        bn["/fapi/v1/leverageBracket"] = lambda *_: self._brackets()
        bn["/fapi/v1/premiumIndex"] = lambda *_: self._premium_index()
        bn["/fapi/v1/openInterest"] = lambda method, path, query, body: self._open_interest(query)
        bn["/fapi/v1/depth"] = lambda method, path, query, body: self._depth(query)
        self.server.rest["hyperliquid"]["/info"] = lambda method, path, query, body: self._info(body)

    def _position_risk(self) -> list[dict[str, Any]]:
        account = self._account("binanceusdm")
        return [
            {
                "symbol": f"{_base(p.instrument.symbol)}USDT",
                "positionSide": "BOTH",
                "positionAmt": _s(_signed(p)),
                "entryPrice": _s(p.entry_price),
                "breakEvenPrice": _s(p.entry_price),
                "markPrice": _s(p.mark_price),
                "unRealizedProfit": _s(_pnl(p)),
                "liquidationPrice": "0",
                "isolatedMargin": "0",
                "notional": _s(_signed(p) * p.mark_price),
                "marginAsset": "USDT",
                "isolatedWallet": "0",
                "initialMargin": "0",
                "maintMargin": "0",
                "positionInitialMargin": "0",
                "openOrderInitialMargin": "0",
                "adl": "1",
                "bidNotional": "0",
                "askNotional": "0",
                "updateTime": str(int(time.time() * 1000)),
            }
            for p in account.positions
        ]

    def _binance_account(self) -> dict[str, Any]:
        account = self._account("binanceusdm")
        wallet = _s(account.wallet_balance)
        pnl = _s(sum(_pnl(p) for p in account.positions))
        asset = {
            "asset": "USDT",
            "walletBalance": wallet,
            "unrealizedProfit": pnl,
            "marginBalance": wallet,
            "maintMargin": "0",
            "initialMargin": "0",
            "positionInitialMargin": "0",
            "openOrderInitialMargin": "0",
            "crossWalletBalance": wallet,
            "crossUnPnl": pnl,
            "availableBalance": wallet,
            "maxWithdrawAmount": wallet,
            "updateTime": 0,
        }
        return {
            "totalWalletBalance": wallet,
            "totalCrossWalletBalance": wallet,
            "totalUnrealizedProfit": pnl,
            "multiAssetsMargin": False,
            "assets": [asset],
            "positions": [],
        }

    def _brackets(self) -> list[dict[str, Any]]:
        out = []
        for spec in demo_accounts():
            if spec.venue != "binanceusdm":
                continue
            for position in spec.positions:
                tiers = position.instrument.tiers
                brackets = [
                    {
                        "bracket": i + 1,
                        "initialLeverage": t.max_leverage,
                        "notionalCap": t.notional_cap,
                        "notionalFloor": t.notional_floor,
                        "maintMarginRatio": t.maintenance_rate,
                        "cum": t.maintenance_amount,
                    }
                    for i, t in enumerate(tiers)
                ]
                out.append({"symbol": f"{_base(position.instrument.symbol)}USDT", "brackets": brackets})
        return out

    def _usdt_ticks(self) -> dict[str, MarketTick]:
        with self._lock:
            return {f"{_base(s)}USDT": t for s, t in self._latest.items() if s.endswith(":USDT")}

    def _premium_index(self) -> list[dict[str, Any]]:
        now = int(time.time() * 1000)
        return [
            {
                "symbol": market_id,
                "markPrice": _s(t.mark_price),
                "indexPrice": _s(t.index_price or t.mark_price),
                "estimatedSettlePrice": _s(t.mark_price),
                "lastFundingRate": _s(t.funding_rate or 0.0),
                "interestRate": "0.0001",
                "nextFundingTime": now - now % 28_800_000 + 28_800_000,
                "time": now,
            }
            for market_id, t in self._usdt_ticks().items()
        ]

    def _open_interest(self, query: Mapping[str, str]) -> Any:
        tick = self._usdt_ticks().get(str(query.get("symbol")))
        if tick is None:
            return 400, {"code": -1121, "msg": "Invalid symbol."}
        oi = tick.open_interest or 0.0
        return {"symbol": query.get("symbol"), "openInterest": _s(oi), "time": int(time.time() * 1000)}

    def _depth(self, query: Mapping[str, str]) -> Any:
        tick = self._usdt_ticks().get(str(query.get("symbol")))
        if tick is None:
            return 400, {"code": -1121, "msg": "Invalid symbol."}
        bids, asks = self._book(tick)
        return V.binance_depth_snapshot(1, bids, asks)

    def _info(self, body: bytes) -> Any:
        import json

        request = json.loads(body or b"{}")
        kind = request.get("type")
        if kind == "clearinghouseState":
            return self._clearinghouse(self._account("hyperliquid"))
        if kind == "meta":
            return self._meta()
        if kind == "userAbstraction":
            return "default"
        return 400, {"error": f"the demo harness does not serve /info type {kind!r}"}

    def _meta(self) -> dict[str, Any]:
        universe, tables = [], []
        for spec in demo_accounts():
            if spec.venue != "hyperliquid":
                continue
            for position in spec.positions:
                tiers = position.instrument.tiers
                table_id = 100 + len(tables)
                universe.append(
                    {
                        "name": _base(position.instrument.symbol),
                        "szDecimals": 3,
                        "maxLeverage": int(tiers[0].max_leverage),
                        "marginTableId": table_id,
                    }
                )
                margin_tiers = [
                    {"lowerBound": _s(t.notional_floor), "maxLeverage": int(t.max_leverage)} for t in tiers
                ]
                tables.append([table_id, {"description": "demo", "marginTiers": margin_tiers}])
        return {"universe": universe, "marginTables": tables}

    def _clearinghouse(self, account: Account) -> dict[str, Any]:
        positions = []
        cross_pnl = 0.0
        for p in account.positions:
            pnl = _pnl(p)
            isolated = p.margin_mode == "isolated"
            if not isolated:
                cross_pnl += pnl
            used = (
                (p.collateral or 0.0) + pnl
                if isolated
                else abs(p.contracts) * p.mark_price / (p.leverage or 10)
            )
            leverage = {"type": "isolated" if isolated else "cross", "value": int(p.leverage or 10)}
            positions.append(
                {
                    "type": "oneWay",
                    "position": {
                        "coin": _base(p.instrument.symbol),
                        "szi": _s(_signed(p)),
                        "entryPx": _s(p.entry_price),
                        "positionValue": _s(abs(p.contracts) * p.mark_price),
                        "unrealizedPnl": _s(pnl),
                        "returnOnEquity": "0",
                        "liquidationPx": None,
                        "leverage": leverage,
                        "marginUsed": _s(used),
                        "maxLeverage": int(p.instrument.tiers[0].max_leverage) if p.instrument.tiers else 50,
                        "cumFunding": {"allTime": "0", "sinceOpen": "0", "sinceChange": "0"},
                    },
                }
            )
        value = _s(account.wallet_balance + cross_pnl)
        summary = {"accountValue": value, "totalNtlPos": "0", "totalRawUsd": value, "totalMarginUsed": "0"}
        return {
            "marginSummary": summary,
            "crossMarginSummary": summary,
            "crossMaintenanceMarginUsed": "0",
            "withdrawable": value,
            "assetPositions": positions,
            "time": int(time.time() * 1000),
        }

    # ---- the app's side -------------------------------------------------------------------------
    def readers(self, reconnect_first: float = 0.5) -> tuple[list[Any], list[Any]]:
        """Streaming account and market readers of both demo accounts, aimed at the harness."""
        import ccxt.pro as ccxtpro

        from desktop.exchanges.live import STREAM_OPTIONS
        from desktop.exchanges.live_streams import (
            VENUE_STREAMS,
            StreamingAccountReader,
            StreamingMarketReader,
        )

        accounts: list[StreamingAccountReader] = []
        markets: list[StreamingMarketReader] = []
        for spec in demo_accounts():
            credentials = (
                {"walletAddress": WALLET}
                if spec.venue == "hyperliquid"
                else {"apiKey": "demo-key", "secret": "demo-secret"}
            )

            def exchange(venue: str = spec.venue, creds: Mapping[str, str] = credentials) -> Any:
                ex = getattr(ccxtpro, venue)({**creds, "timeout": 5000, "options": STREAM_OPTIONS})
                V.point(ex, self.server)
                ex.set_markets(
                    [market(venue, s.symbol) for s in DEMO_SYMBOLS if _venue_of(s.symbol) == venue]
                )
                return ex

            config = AccountConfig(spec.account_id, spec.venue, spec.label)
            accounts.append(StreamingAccountReader(config, exchange(), 5.0, reconnect_first=reconnect_first))
            streams = VENUE_STREAMS[spec.venue]
            if spec.venue == "binanceusdm":
                streams = dataclasses.replace(streams, book_limit=None)  # depth comes by REST in the demo
            markets.append(
                StreamingMarketReader(
                    spec.venue, exchange(), [accounts[-1]], reconnect_first=reconnect_first, intervals=streams
                )
            )
        return list(accounts), list(markets)


def _venue_of(symbol: str) -> str:
    return "binanceusdm" if symbol.endswith(":USDT") else "hyperliquid"


def _signed(position: Position) -> float:
    return position.contracts if position.side == "long" else -position.contracts


def _pnl(position: Position) -> float:
    return (
        _signed(position) * (position.mark_price - position.entry_price) * position.instrument.contract_size
    )


def _book_key(account: Account) -> tuple[Any, ...]:
    return (
        account.wallet_balance,
        tuple((p.instrument.symbol, p.side, p.contracts, p.entry_price) for p in account.positions),
    )


def _same_book(a: Account, b: Account) -> bool:
    """Same positions (size, side, entry) and wallet: nothing for a private push to say."""
    return _book_key(a) == _book_key(b)


__all__ = ["HarnessDemo", "market"]
