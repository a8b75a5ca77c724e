"""Venue-specific reading rules, one class per venue, all in this file.

Each adapter says which ``fetch_positions``/``fetch_balance`` calls cover an account, how to read the
cross wallet balance and an isolated position's collateral from the raw payload, which margin mode a
position is in, and how to fetch its maintenance tiers. Field names are from ccxt-notes.md section 2.2
and exchange-margin-rules.md; where a field's meaning was not verified against a recorded payload, the
docstring says so.

Units of the tiers (``risk.MarginTier`` notional bounds): quote notional (Binance USD-M, Bybit linear,
Gate, Bitget, Hyperliquid), coin notional (Binance COIN-M, Bybit inverse), **contracts** (OKX).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from desktop.exchanges.normalise import AmountRule, first_number, number, tiers_from_ccxt
from risk import MarginTier
from risk.collateral import CollateralAsset, CollateralTier
from risk.tiers import hyperliquid_tiers

RawTiers = dict[str, tuple[tuple[MarginTier, ...], tuple[Mapping[str, Any], ...]]]
"""symbol -> (tiers, raw venue tiers)."""


def _info(obj: Mapping[str, Any] | None) -> Mapping[str, Any]:
    info = (obj or {}).get("info")
    return info if isinstance(info, Mapping) else {}


CollateralTiers = dict[str, tuple[tuple[CollateralTier, ...], float | None]]
"""currency -> (collateral ratio tiers by quantity, USD index price where the tier endpoint gives it)."""


@dataclass(frozen=True, slots=True)
class MarginModeInfo:
    """How the venue margins the account, as read from its API.

    ``label`` is shown on the account card (``""`` for a plain single-currency account). ``pooled``: the
    settle currencies share multi-asset collateral and are computed with :func:`risk.collateral.pool`.
    ``venue_figures``: the mode cannot be computed from what the API returns; the venue's liquidation
    prices and ``venue_margin_ratio`` (maintenance / margin balance, >= 1 liquidates) are shown instead.
    ``haircut_on_pnl``: the discount applies to each currency's equity, PnL included (OKX).
    """

    label: str = ""
    pooled: bool = False
    venue_figures: bool = False
    venue_margin_ratio: float | None = None
    haircut_on_pnl: bool = False


def _ratio_tiers(
    rows: Sequence[Mapping[str, Any]], low: str, high: str, rate: str
) -> tuple[CollateralTier, ...]:
    """Contiguous tiers from venue rows with a lower bound, an upper bound ("" or 0 = none) and a ratio."""
    parsed = sorted(
        (number(r.get(low)) or 0.0, number(r.get(high)) or math.inf, number(r.get(rate))) for r in rows
    )
    tiers = []
    for lo, hi, ratio in parsed:
        if ratio is None:
            raise ValueError(f"collateral tier without a ratio: {rows!r}"[:200])
        tiers.append(CollateralTier(lo, hi if hi > lo else math.inf, min(max(ratio, 0.0), 1.0)))
    return tuple(tiers)


class VenueAdapter:
    """Defaults shared by all venues; subclasses override what differs."""

    id: ClassVar[str] = ""
    label: ClassVar[str] = ""
    credentials: ClassVar[tuple[str, ...]] = ("apiKey", "secret")
    """ccxt config keys the user supplies; the first non-secret one is shown in the UI."""
    secret_fields: ClassVar[tuple[str, ...]] = ("secret",)
    default_settle: ClassVar[str] = "USDT"
    amount_rule: ClassVar[AmountRule] = "continuous"
    amount_keys: ClassVar[tuple[str, ...]] = ()
    tier_units: ClassVar[str] = "quote notional"
    permissions_verifiable: ClassVar[bool] = False

    # --- requests ---------------------------------------------------------------------------------
    def position_requests(self) -> list[dict[str, Any]]:
        """The ``params`` of each ``fetch_positions(None, params)`` call that together cover the account."""
        return [{}]

    def balance_requests(self, settles: Sequence[str]) -> list[dict[str, Any]]:
        """The ``params`` of each ``fetch_balance(params)`` call needed for the given settle currencies."""
        return [{}]

    async def account_margin_mode(self, exchange: Any, symbols: Sequence[str]) -> str | None:
        """The account-wide margin mode where a venue sets it per account rather than per position."""
        return None

    # --- normalisation ----------------------------------------------------------------------------
    def margin_mode(self, position: Mapping[str, Any], account_mode: str | None = None) -> str:
        mode = position.get("marginMode") or position.get("marginType")
        return "isolated" if str(mode).lower() == "isolated" else "cross"

    adl_keys: ClassVar[tuple[str, ...]] = ()
    """Raw position fields holding the venue's ADL rank (higher = nearer the front of the queue)."""

    def adl_rank(self, position: Mapping[str, Any]) -> int | None:
        """The venue's ADL rank of a position, from its raw payload; ``None`` where it publishes none."""
        value = first_number(_info(position), *self.adl_keys) if self.adl_keys else None
        if value is None or not 0 <= value <= 5:
            return None
        return int(value)

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        """Margin assigned to an isolated position, excluding unrealised PnL (settle currency)."""
        margin = number(position.get("positionMargin"))
        if margin is not None:
            return margin
        collateral = number(position.get("collateral"))
        pnl = number(position.get("unrealizedPnl")) or 0.0
        return None if collateral is None else collateral - pnl

    def wallet_balance(
        self, balances: Sequence[Mapping[str, Any]], settle: str, isolated_collateral: float
    ) -> float | None:
        """Cross wallet balance of ``settle`` excluding unrealised PnL and isolated collateral.

        Default: the unified ``total`` minus isolated collateral (not verified per venue).
        """
        for balance in balances:
            total = number((balance.get("total") or {}).get(settle))
            if total is not None:
                return total - isolated_collateral
        return None

    # --- account-wide margin mode ---------------------------------------------------------------
    def margin_mode_info(
        self,
        balances: Sequence[Mapping[str, Any]],
        account_mode: str | None,
        positions: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
    ) -> MarginModeInfo:
        """The account's margin mode from the balance payload, the account-wide mode and the positions."""
        return MarginModeInfo()

    async def fetch_collateral_tiers(
        self, exchange: Any, balances: Sequence[Mapping[str, Any]]
    ) -> CollateralTiers:
        """Collateral ratio tiers of the pooled account's assets (public endpoint); ``{}`` if none."""
        return {}

    def collateral(
        self, balances: Sequence[Mapping[str, Any]], tiers: CollateralTiers
    ) -> tuple[list[CollateralAsset], dict[str, float]]:
        """The pooled account's collateral assets and the USD price of each currency."""
        return [], {}

    # --- tiers ------------------------------------------------------------------------------------
    async def fetch_tiers(self, exchange: Any, symbols: Sequence[str]) -> RawTiers:
        """Tiers for ``symbols`` through ``exchange`` (a ReadOnlyExchange); one request per symbol."""
        out: RawTiers = {}
        for symbol in symbols:
            unified = await exchange.fetch_market_leverage_tiers(symbol)
            out[symbol] = self._convert(unified)
        return out

    def _convert(
        self, unified: Sequence[Mapping[str, Any]]
    ) -> tuple[tuple[MarginTier, ...], tuple[Any, ...]]:
        tiers = tiers_from_ccxt(unified, self.amount_rule, self.amount_keys)
        return tiers, tuple(_info(t) for t in unified)


class BinanceUsdmAdapter(VenueAdapter):
    """Binance USD-M. Wallet: ``assets[].crossWalletBalance`` of the account endpoint (excludes isolated
    wallets and unrealised PnL); isolated collateral: ``isolatedWallet``; tiers from the signed
    ``/fapi/v1/leverageBracket`` with ``cum`` as maintenance amount."""

    id = "binanceusdm"
    label = "Binance USDⓈ-M futures"
    amount_rule = "raw"
    amount_keys = ("cum",)
    permissions_verifiable = True
    adl_keys = ("adl", "adlQuantile")  # positionRisk v3 "adl": quantile 0-4

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        wallet = first_number(_info(position), "isolatedWallet")
        return wallet if wallet is not None else super().isolated_collateral(position)

    def wallet_balance(
        self, balances: Sequence[Mapping[str, Any]], settle: str, isolated_collateral: float
    ) -> float | None:
        for balance in balances:
            info = _info(balance)
            own = next((a for a in info.get("assets") or [] if a.get("asset") == settle), None)
            own_wallet = first_number(own, "crossWalletBalance", "walletBalance")
            if self._multi_assets(info, own_wallet) and settle in ("USDT", "USDC"):
                return first_number(info, "totalCrossWalletBalance")
            if own_wallet is not None:
                return own_wallet
        return None

    @staticmethod
    def _multi_assets(info: Mapping[str, Any], usdt_wallet: float | None) -> bool:
        """Multi-assets mode pools all assets (valued in USD) as cross collateral. The account payload
        says so in ``multiAssetsMargin``; where the flag is missing, Binance's ``total*`` fields are
        "only for USDT asset" in single-asset mode, so a total that differs from the USDT cross wallet
        means multi-assets mode."""
        flag = info.get("multiAssetsMargin")
        if flag is not None:
            return flag is True or str(flag).lower() == "true"
        total = first_number(info, "totalCrossWalletBalance")
        usdt = next((a for a in info.get("assets") or [] if a.get("asset") == "USDT"), None)
        usdt_cross = first_number(usdt, "crossWalletBalance")
        return total is not None and usdt_cross is not None and abs(total - usdt_cross) > 1e-9

    def margin_mode_info(
        self,
        balances: Sequence[Mapping[str, Any]],
        account_mode: str | None,
        positions: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
    ) -> MarginModeInfo:
        """Portfolio margin (ccxt option ``portfolioMargin``, the papi endpoints) cannot be computed;
        Multi-Assets mode (``multiAssetsMargin``) is pooled over the USD-valued assets."""
        if options.get("portfolioMargin") and not balances:
            return MarginModeInfo("portfolio margin", venue_figures=True)
        for balance in balances:
            info = _info(balance)
            if options.get("portfolioMargin") or first_number(info, "uniMMR") is not None:
                uni = first_number(info, "uniMMR")  # equity / MM; liquidation at 1
                return MarginModeInfo("portfolio margin", venue_figures=True,
                                      venue_margin_ratio=None if not uni else 1.0 / uni)  # fmt: skip
            own = next((a for a in info.get("assets") or [] if a.get("asset") == "USDT"), None)
            if self._multi_assets(info, first_number(own, "crossWalletBalance")):
                return MarginModeInfo("Multi-Assets mode (pooled)", pooled=True)
        return MarginModeInfo()

    async def fetch_collateral_tiers(
        self, exchange: Any, balances: Sequence[Mapping[str, Any]]
    ) -> CollateralTiers:
        """``GET /fapi/v1/assetIndex`` (public): index price and ``bidBuffer`` per asset; a positive
        balance counts at ``index x (1 - bidBuffer)`` (``bidRate``): one tier per asset."""
        rows = await exchange.fapiPublicGetAssetIndex()
        out: CollateralTiers = {}
        for row in rows if isinstance(rows, list) else [rows]:
            symbol = str(row.get("symbol", ""))
            index = number(row.get("index"))
            buffer = number(row.get("bidBuffer"))
            if not symbol.endswith("USD") or index is None or buffer is None:
                continue
            asset = symbol[: -len("USD")]
            out[asset] = ((CollateralTier(0.0, math.inf, min(max(1.0 - buffer, 0.0), 1.0)),), index)
        return out

    def collateral(
        self, balances: Sequence[Mapping[str, Any]], tiers: CollateralTiers
    ) -> tuple[list[CollateralAsset], dict[str, float]]:
        """``assets[].walletBalance`` at the asset index price and its collateral rate; USDT, USDC (and
        other USD stablecoins without an index) at 1."""
        assets: list[CollateralAsset] = []
        prices: dict[str, float] = {"USDT": 1.0, "USDC": 1.0}
        for balance in balances:
            for row in _info(balance).get("assets") or []:
                name = str(row.get("asset"))
                wallet = first_number(row, "crossWalletBalance", "walletBalance")  # isolated wallets apart
                if wallet is None or wallet == 0.0:
                    continue
                asset_tiers, index = tiers.get(name, ((), None))
                price = index if index is not None else prices.get(name)
                if price is None:
                    continue  # no index price: not a collateral asset of Multi-Assets mode
                prices[name] = price
                assets.append(CollateralAsset(name, wallet, price, asset_tiers))
        return assets, prices

    async def fetch_tiers(self, exchange: Any, symbols: Sequence[str]) -> RawTiers:
        try:
            unified = await exchange.fetch_leverage_tiers(list(symbols))
        except Exception:
            cached = self._cached_brackets(exchange, symbols)
            if cached is None:
                raise
            return cached
        return {symbol: self._convert(unified[symbol]) for symbol in symbols if symbol in unified}

    def _cached_brackets(self, exchange: Any, symbols: Sequence[str]) -> RawTiers | None:
        """Fallback: the ``[floor, rate]`` brackets ccxt keeps in ``options['leverageBrackets']`` after
        ``fetch_positions`` (same signed endpoint). Caps are the next floor; ``cum`` follows the
        maintenance-amount rule, which Binance's tables satisfy exactly (exchange-margin-rules.md 2.5)."""
        brackets = (exchange.options or {}).get("leverageBrackets") or {}
        if not all(brackets.get(symbol) for symbol in symbols):
            return None
        out: RawTiers = {}
        for symbol in symbols:
            rows = sorted(((float(floor), float(rate)) for floor, rate in brackets[symbol]))
            unified = [
                {"minNotional": floor, "maxNotional": rows[i + 1][0] if i + 1 < len(rows) else None,
                 "maintenanceMarginRate": rate}
                for i, (floor, rate) in enumerate(rows)
            ]  # fmt: skip
            out[symbol] = (
                tiers_from_ccxt(unified, "continuous"),
                tuple({"bracket": r} for r in brackets[symbol]),
            )
        return out


class BinanceCoinmAdapter(BinanceUsdmAdapter):
    """Binance COIN-M: as USD-M, but money is in the margin coin and tiers are coin notional
    (``qtyFloor``/``qtyCap``)."""

    id = "binancecoinm"
    label = "Binance COIN-M futures"
    default_settle = "BTC"
    tier_units = "coin notional"


class BybitAdapter(VenueAdapter):
    """Bybit v5. Positions: USDT linear (default), USDC linear and inverse need separate calls.
    Margin mode: ccxt leaves it None; raw ``tradeMode`` 1 = isolated (classic accounts); a unified
    account's account-wide mode comes from ``/v5/account/info`` (refreshed every 10 min).
    Wallet: ``coin[].walletBalance`` of the settle coin minus isolated collateral; a UTA in cross margin
    is pooled over every collateral coin instead (:meth:`margin_mode_info`). Tiers: public
    ``/v5/market/risk-limit``, deduction from ``mmDeduction`` when present."""

    id = "bybit"
    label = "Bybit"
    amount_rule = "raw"
    amount_keys = ("mmDeduction",)
    permissions_verifiable = True
    adl_keys = ("adlRankIndicator",)  # 0-5

    def position_requests(self) -> list[dict[str, Any]]:
        return [{}, {"settleCoin": "USDC"}, {"subType": "inverse"}]

    async def account_margin_mode(self, exchange: Any, symbols: Sequence[str]) -> str | None:
        """Unified accounts set isolated/cross for the whole account (``/v5/account/info``
        ``marginMode``: ISOLATED_MARGIN, REGULAR_MARGIN, PORTFOLIO_MARGIN)."""
        if not symbols:
            return None
        return (await exchange.fetch_margin_mode(symbols[0])).get("marginMode")

    def margin_mode(self, position: Mapping[str, Any], account_mode: str | None = None) -> str:
        mode = position.get("marginMode")
        if mode:
            return "isolated" if mode == "isolated" else "cross"
        if str(_info(position).get("tradeMode")) == "1" or account_mode == "isolated":
            return "isolated"
        return "cross"  # portfolio margin is read as cross: an approximation of Bybit's PM rules

    @staticmethod
    def _unified(balances: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
        for balance in balances:
            for account in ((_info(balance).get("result") or {}).get("list")) or []:
                return account
        return None

    def margin_mode_info(
        self,
        balances: Sequence[Mapping[str, Any]],
        account_mode: str | None,
        positions: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
    ) -> MarginModeInfo:
        """``/v5/account/info`` PORTFOLIO_MARGIN: venue figures (``accountMMRate``); a UNIFIED account
        in cross (REGULAR_MARGIN, the default) pools every collateral coin (risk.collateral)."""
        account = self._unified(balances) or {}
        if account_mode == "portfolio":
            return MarginModeInfo("portfolio margin", venue_figures=True,
                                  venue_margin_ratio=first_number(account, "accountMMRate"))  # fmt: skip
        if account.get("accountType") == "UNIFIED" and account_mode != "isolated":
            return MarginModeInfo("UTA cross margin (pooled)", pooled=True)
        return MarginModeInfo()

    async def fetch_collateral_tiers(
        self, exchange: Any, balances: Sequence[Mapping[str, Any]]
    ) -> CollateralTiers:
        """``GET /v5/spot-margin-trade/collateral`` (public): per coin ``collateralRatioList`` of
        ``minQty``/``maxQty`` (``""`` = no limit)/``collateralRatio``."""
        reply = await exchange.publicGetV5SpotMarginTradeCollateral({})
        out: CollateralTiers = {}
        for row in (reply.get("result") or {}).get("list") or []:
            rows = row.get("collateralRatioList") or []
            if row.get("currency") and rows:
                out[str(row["currency"])] = (_ratio_tiers(rows, "minQty", "maxQty", "collateralRatio"), None)
        return out

    def collateral(
        self, balances: Sequence[Mapping[str, Any]], tiers: CollateralTiers
    ) -> tuple[list[CollateralAsset], dict[str, float]]:
        """``coin[]``: ``walletBalance`` at ``usdValue / equity`` (the coin's USD index price), coins
        switched on as collateral (``marginCollateral`` and ``collateralSwitch``); USDT and USDC price 1
        when the account holds none. A coin the tier endpoint does not list counts at ratio 1."""
        assets: list[CollateralAsset] = []
        prices: dict[str, float] = {"USDT": 1.0, "USDC": 1.0}
        for coin in (self._unified(balances) or {}).get("coin") or []:
            name = str(coin.get("coin"))
            equity = first_number(coin, "equity")
            usd = first_number(coin, "usdValue")
            if equity and usd:
                prices[name] = usd / equity
            wallet = first_number(coin, "walletBalance")
            switched_off = coin.get("marginCollateral") is False or coin.get("collateralSwitch") is False
            if wallet is None or wallet == 0.0 or (switched_off and wallet > 0.0) or name not in prices:
                continue
            assets.append(CollateralAsset(name, wallet, prices[name], tiers.get(name, ((), None))[0]))
        return assets, prices

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        """``positionIM``: initial margin + estimated fee to close + margin added, as Bybit reports it
        (the form ``risk.venues.bybit_close_fee`` expects); ``positionBalance`` is deprecated on UTA."""
        margin = first_number(_info(position), "positionIM")
        return margin if margin is not None else super().isolated_collateral(position)

    def wallet_balance(
        self, balances: Sequence[Mapping[str, Any]], settle: str, isolated_collateral: float
    ) -> float | None:
        for balance in balances:
            for account in ((_info(balance).get("result") or {}).get("list")) or []:
                for coin in account.get("coin") or []:
                    if coin.get("coin") == settle:
                        wallet = first_number(coin, "walletBalance")
                        return None if wallet is None else wallet - isolated_collateral
        return None


class OkxAdapter(VenueAdapter):
    """OKX (single-currency margin mode). Wallet of a currency: ``eq − isoEq − (upl − isoUpl)`` from
    ``fetch_balance()['info']['data'][0]['details']``: equity minus isolated equity minus cross
    unrealised PnL. Isolated collateral: ``margin``. Tiers: ``/api/v5/public/position-tiers`` in
    **contracts**, no maintenance amount."""

    id = "okx"
    label = "OKX"
    credentials = ("apiKey", "secret", "password")
    secret_fields = ("secret", "password")
    amount_rule = "none"
    tier_units = "contracts"
    permissions_verifiable = True
    adl_keys = ("adl",)  # 1-5 ("" when none)

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        margin = first_number(_info(position), "margin")
        return margin if margin is not None else super().isolated_collateral(position)

    def margin_mode_info(
        self,
        balances: Sequence[Mapping[str, Any]],
        account_mode: str | None,
        positions: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
    ) -> MarginModeInfo:
        """``acctLv`` (account config): 4 portfolio margin (venue figures, ``mgnRatio``), 3 multi-currency
        margin (pooled, discount on equity). Single-currency cross positions in several expiries of one
        underlying share one tier (summed contracts), which the API does not give per position: venue
        figures then."""
        level = str(account_mode or "")
        data = next((d for b in balances for d in _info(b).get("data") or []), {})
        ratio = first_number(data, "mgnRatio")  # adjusted equity / (MM + fees): liquidation at <= 1
        venue_ratio = None if not ratio else 1.0 / ratio
        if level == "4":
            return MarginModeInfo("portfolio margin", venue_figures=True, venue_margin_ratio=venue_ratio)
        if level == "3":
            return MarginModeInfo("multi-currency margin (pooled)", pooled=True, haircut_on_pnl=True)
        expiries: dict[str, set[str]] = {}
        for position in positions:
            info = _info(position)
            if self.margin_mode(position) == "cross" and info.get("instType") == "FUTURES":
                family = str(info.get("instFamily") or info.get("uly") or "")
                expiries.setdefault(family, set()).add(str(info.get("instId")))
        if any(len(ids) > 1 for ids in expiries.values()):
            return MarginModeInfo(
                "cross tiers across expiries", venue_figures=True, venue_margin_ratio=venue_ratio
            )
        return MarginModeInfo()

    async def account_margin_mode(self, exchange: Any, symbols: Sequence[str]) -> str | None:
        """The account level ``acctLv`` of ``/api/v5/account/config`` (1 spot, 2 single-currency margin,
        3 multi-currency margin, 4 portfolio margin); margin modes stay per position."""
        reply = await exchange.privateGetAccountConfig()
        rows = reply.get("data") or []
        return str(rows[0].get("acctLv")) if rows else None

    def margin_mode(self, position: Mapping[str, Any], account_mode: str | None = None) -> str:
        return super().margin_mode(position)

    def collateral(
        self, balances: Sequence[Mapping[str, Any]], tiers: CollateralTiers
    ) -> tuple[list[CollateralAsset], dict[str, float]]:
        """``details[]``: cash (``eq - upl``) at ``eqUsd / eq``; the discount is the venue's own
        ``disEq / eqUsd`` (discounted USD equity over USD equity) as one tier, exact at the current
        balance [tiered discount beyond it: ``/api/v5/public/discount-rate-interest-free-quota``, not
        read]."""
        assets: list[CollateralAsset] = []
        prices: dict[str, float] = {"USDT": 1.0, "USDC": 1.0}
        for balance in balances:
            for account in _info(balance).get("data") or []:
                for detail in account.get("details") or []:
                    name = str(detail.get("ccy"))
                    equity = first_number(detail, "eq")
                    usd = first_number(detail, "eqUsd")
                    if not equity or not usd:
                        continue
                    prices[name] = usd / equity
                    discounted = first_number(detail, "disEq")
                    ratio = 1.0 if discounted is None else min(max(discounted / usd, 0.0), 1.0)
                    cash = equity - (first_number(detail, "upl") or 0.0)
                    tier = (CollateralTier(0.0, math.inf, ratio),)
                    assets.append(CollateralAsset(name, cash, prices[name], tier))
        return assets, prices

    def wallet_balance(
        self, balances: Sequence[Mapping[str, Any]], settle: str, isolated_collateral: float
    ) -> float | None:
        for balance in balances:
            for account in _info(balance).get("data") or []:
                for detail in account.get("details") or []:
                    if detail.get("ccy") != settle:
                        continue
                    equity = first_number(detail, "eq")
                    if equity is None:
                        return None
                    iso_equity = first_number(detail, "isoEq") or 0.0
                    upl = first_number(detail, "upl") or 0.0
                    iso_upl = first_number(detail, "isoUpl") or 0.0
                    return equity - iso_equity - (upl - iso_upl)
        return None


class GateAdapter(VenueAdapter):
    """Gate futures, settled in USDT (and BTC). Wallet: unified ``total`` of the settle currency minus
    isolated collateral [unverified against a recorded payload]. Tiers: ``risk_limit_tiers``; the
    deduction from ``deduction`` when present, else by the continuity rule (tiered since 2025-07-29)."""

    id = "gate"
    label = "Gate"
    amount_rule = "raw"
    amount_keys = ("deduction",)
    adl_keys = ("adl_ranking",)  # 1-5 [unverified against a recorded payload]

    def position_requests(self) -> list[dict[str, Any]]:
        return [{"settle": "usdt"}, {"settle": "btc"}]

    def balance_requests(self, settles: Sequence[str]) -> list[dict[str, Any]]:
        wanted = sorted({s.lower() for s in settles} or {"usdt"})
        return [{"type": "swap", "settle": settle} for settle in wanted]

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        margin = first_number(_info(position), "margin")
        return margin if margin is not None else super().isolated_collateral(position)


class BitgetAdapter(VenueAdapter):
    """Bitget v2 mix. Product types are read separately. Wallet: ``accountEquity − unrealizedPL``
    of the margin coin minus isolated collateral [unverified against a recorded payload]. Tiers: no
    maintenance amount (MM = tier rate x position value, exchange-margin-rules.md section 7)."""

    id = "bitget"
    label = "Bitget"
    credentials = ("apiKey", "secret", "password")
    secret_fields = ("secret", "password")
    amount_rule = "none"
    _PRODUCTS: ClassVar[dict[str, str]] = {"USDT": "USDT-FUTURES", "USDC": "USDC-FUTURES"}

    def position_requests(self) -> list[dict[str, Any]]:
        return [{"productType": p} for p in ("USDT-FUTURES", "USDC-FUTURES", "COIN-FUTURES")]

    def margin_mode_info(
        self,
        balances: Sequence[Mapping[str, Any]],
        account_mode: str | None,
        positions: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any],
    ) -> MarginModeInfo:
        """Cross hedge mode with both sides of one symbol: Bitget counts the maintenance of "the side
        with the larger value" (support 360058821652), a rule its API does not state numerically: venue
        figures then."""
        sides: dict[str, set[str]] = {}
        for position in positions:
            if self.margin_mode(position) == "cross":
                sides.setdefault(str(position.get("symbol")), set()).add(str(position.get("side")))
        if any(len(s) > 1 for s in sides.values()):
            return MarginModeInfo("hedge mode, larger side", venue_figures=True)
        return MarginModeInfo()

    def balance_requests(self, settles: Sequence[str]) -> list[dict[str, Any]]:
        products = sorted({self._PRODUCTS.get(s, "COIN-FUTURES") for s in settles} or {"USDT-FUTURES"})
        return [{"type": "swap", "productType": p} for p in products]

    def wallet_balance(
        self, balances: Sequence[Mapping[str, Any]], settle: str, isolated_collateral: float
    ) -> float | None:
        for balance in balances:
            info = balance.get("info")  # ccxt keeps the response's "data" list here
            rows = info if isinstance(info, list) else (info or {}).get("data") or []
            for row in rows:
                if str(row.get("marginCoin", "")).upper() == settle:
                    equity = first_number(row, "accountEquity")
                    if equity is None:
                        return None
                    return equity - (first_number(row, "unrealizedPL") or 0.0) - isolated_collateral
        return super().wallet_balance(balances, settle, isolated_collateral)


class HyperliquidAdapter(VenueAdapter):
    """Hyperliquid perps, read by wallet address (no key). Wallet: ``crossMarginSummary.accountValue``
    minus the unrealised PnL of cross positions. Isolated collateral: ``marginUsed − unrealizedPnl``.
    Tiers: the ``meta`` margin tables (table id < 50 means one tier with max leverage = id), maintenance
    rate ``1/(2 max leverage)`` with the deduction rule (exchange-margin-rules.md section 8.1)."""

    id = "hyperliquid"
    label = "Hyperliquid"
    credentials = ("walletAddress",)
    secret_fields = ()
    default_settle = "USDC"

    def balance_requests(self, settles: Sequence[str]) -> list[dict[str, Any]]:
        return [{"type": "swap"}]

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        used = first_number(_info(position).get("position") or {}, "marginUsed")
        if used is None:
            return super().isolated_collateral(position)
        return used - (number(position.get("unrealizedPnl")) or 0.0)

    def wallet_balance(
        self, balances: Sequence[Mapping[str, Any]], settle: str, isolated_collateral: float
    ) -> float | None:
        for balance in balances:
            state = _info(balance)
            value = first_number(state.get("crossMarginSummary") or {}, "accountValue")
            if value is None:
                continue
            cross_pnl = 0.0
            for entry in state.get("assetPositions") or []:
                position = entry.get("position") or {}
                if (position.get("leverage") or {}).get("type") == "cross":
                    cross_pnl += first_number(position, "unrealizedPnl") or 0.0
            return value - cross_pnl
        return None

    async def fetch_tiers(self, exchange: Any, symbols: Sequence[str]) -> RawTiers:
        try:
            meta = await exchange.publicPostInfo({"type": "meta"})
        except Exception:
            # without the margin tables, each market's own max leverage gives its first tier, which is the
            # only one below 20M-150M USDC notional (exchange-margin-rules.md section 8.1)
            meta = None
            if not all(
                (exchange.markets or {}).get(s, {}).get("info", {}).get("maxLeverage") for s in symbols
            ):
                raise
        tables = {int(entry[0]): entry[1] for entry in (meta or {}).get("marginTables") or []}
        out: RawTiers = {}
        for symbol in symbols:
            market = exchange.markets[symbol]
            info = market.get("info") or {}
            table_id = int(number(info.get("marginTableId")) or 0)
            table = tables.get(table_id)
            if table is not None:
                pairs = [(lb["lowerBound"], lb["maxLeverage"]) for lb in table.get("marginTiers") or []]
                raw: tuple[Any, ...] = (table,)
            else:
                leverage = table_id if 0 < table_id < 50 and meta else number(info.get("maxLeverage"))
                if leverage is None:
                    raise ValueError(f"hyperliquid {symbol}: no margin table {table_id} and no maxLeverage")
                pairs = [(0.0, leverage)]
                raw = ({"marginTableId": table_id, "maxLeverage": leverage, "fromMeta": meta is not None},)
            out[symbol] = (hyperliquid_tiers(pairs), raw)
        return out


ADAPTERS: dict[str, VenueAdapter] = {
    adapter.id: adapter
    for adapter in (
        BinanceUsdmAdapter(),
        BinanceCoinmAdapter(),
        BybitAdapter(),
        OkxAdapter(),
        GateAdapter(),
        BitgetAdapter(),
        HyperliquidAdapter(),
    )
}
"""ccxt exchange id -> adapter for the seven supported venues."""


def adapter_for(exchange_id: str) -> VenueAdapter:
    """The adapter of a ccxt exchange id (``gateio`` is ccxt's alias of ``gate``)."""
    key = "gate" if exchange_id == "gateio" else exchange_id
    try:
        return ADAPTERS[key]
    except KeyError:
        raise ValueError(f"unsupported venue {exchange_id!r}; supported: {', '.join(ADAPTERS)}") from None
