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

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from desktop.exchanges.normalise import AmountRule, first_number, number, tiers_from_ccxt
from risk import MarginTier
from risk.tiers import hyperliquid_tiers

RawTiers = dict[str, tuple[tuple[MarginTier, ...], tuple[Mapping[str, Any], ...]]]
"""symbol -> (tiers, raw venue tiers)."""


def _info(obj: Mapping[str, Any] | None) -> Mapping[str, Any]:
    info = (obj or {}).get("info")
    return info if isinstance(info, Mapping) else {}


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
    Wallet: ``coin[].walletBalance`` of the settle coin minus isolated collateral (UTA pools all coins
    as cross collateral in USD; LiqGuard's per-coin account is an approximation there). Tiers: public
    ``/v5/market/risk-limit``, deduction from ``mmDeduction`` when present."""

    id = "bybit"
    label = "Bybit"
    amount_rule = "raw"
    amount_keys = ("mmDeduction",)
    permissions_verifiable = True

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

    def isolated_collateral(self, position: Mapping[str, Any]) -> float | None:
        margin = first_number(_info(position), "margin")
        return margin if margin is not None else super().isolated_collateral(position)

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
