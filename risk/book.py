"""Struct-of-arrays view of many accounts' positions, and the per-position margin arithmetic.

The object types in :mod:`risk.types` are convenient for callers; this module turns them into flat
``float64`` arrays once, so every computation after that is vectorised across positions, accounts and
price scenarios.

Legs of the same instrument, side and account that are all in cross mode are merged into one leg
(size-weighted entry), because venues tier and liquidate one position per symbol and side: two halves of
a position must give the same risk as the whole. Results are mapped back to the caller's positions by
``origin`` and ``share``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from risk.tiers import TierMatrix
from risk.types import Account, Instrument
from risk.venues import rules_for

Index = np.ndarray | slice
_ALL = slice(None)


@dataclass(frozen=True, slots=True)
class PositionBook:
    """Merged positions of several accounts as arrays of length ``N`` (accounts: length ``A``).

    Attributes
    ----------
    account
        ``(N,) int``: index of the owning account.
    sign
        ``(N,) float``: +1 long, -1 short.
    size
        ``(N,)``: base units (linear) or USD face value (inverse): contracts * contract_size.
    contracts
        ``(N,)``: contracts (OKX tiers are by contracts).
    entry, mark
        ``(N,)``: quote currency per base unit.
    inverse, isolated, at_entry, contracts_basis
        ``(N,) bool`` flags: inverse contract; isolated margin; maintenance at entry value (Bybit
        isolated linear); tiers by contracts (OKX).
    collateral
        ``(N,)``: isolated margin in settle currency (0 for cross legs).
    fee
        ``(N,)``: close-fee rate in the liquidation condition (0 on venues without one).
    tier_row
        ``(N,) int``: row of the instrument's table in ``tiers``.
    symbol_group
        ``(N,) int``: cross legs of one instrument in one account share a group (hedge mode: long and
        short share one liquidation price); every isolated leg has its own.
    wallet
        ``(A,)``: cross wallet balance of each account.
    margin_ratio_kind
        ``(A,)`` strings, the venue's ratio direction.
    origin, share
        ``(M,)`` for the ``M`` caller positions: merged index of each, and its fraction of the
        merged leg's size.
    venue_liquidation, account_of_origin
        ``(M,)``: the venue-reported liquidation price of each caller position (NaN if none), and
        its account index.
    """

    account: np.ndarray
    sign: np.ndarray
    size: np.ndarray
    contracts: np.ndarray
    entry: np.ndarray
    mark: np.ndarray
    inverse: np.ndarray
    isolated: np.ndarray
    at_entry: np.ndarray
    contracts_basis: np.ndarray
    collateral: np.ndarray
    fee: np.ndarray
    tier_row: np.ndarray
    symbol_group: np.ndarray
    tiers: TierMatrix
    wallet: np.ndarray
    margin_ratio_kind: tuple[str, ...]
    origin: np.ndarray
    share: np.ndarray
    venue_liquidation: np.ndarray
    origin_entry: np.ndarray
    account_of_origin: np.ndarray

    @property
    def n_groups(self) -> int:
        return int(self.symbol_group.max()) + 1 if len(self.symbol_group) else 0

    # -- per-position arithmetic at arbitrary prices -------------------------------------------------
    # ``idx`` selects legs (an index array or a slice); ``price`` has the selected legs' shape.
    def notional(self, price: np.ndarray, idx: Index = _ALL) -> np.ndarray:
        """Settle-currency notional at ``price``: ``q*P`` linear, ``q/P`` coin for inverse."""
        size = self.size[idx]
        return np.where(self.inverse[idx], size / price, size * price)

    def pnl(self, price: np.ndarray, idx: Index = _ALL) -> np.ndarray:
        """Unrealised PnL at ``price`` (settle currency, positive in profit)."""
        signed = self.sign[idx] * self.size[idx]
        entry = self.entry[idx]
        linear = signed * (price - entry)
        inverse = signed * (1.0 / entry - 1.0 / price)
        return np.where(self.inverse[idx], inverse, linear)

    def tier_basis(self, price: np.ndarray, idx: Index = _ALL) -> np.ndarray:
        """The quantity tiers are looked up with: notional at ``price``, or contracts (OKX)."""
        return np.where(self.contracts_basis[idx], self.contracts[idx], self.notional(price, idx))

    def requirement(self, price: np.ndarray, idx: Index = _ALL) -> tuple[np.ndarray, np.ndarray]:
        """Maintenance requirement at ``price`` and the tier index used.

        ``notional*rate - amount`` at the tier of the notional (at entry where the venue says so),
        plus ``fee * notional(price)`` where the venue puts a close fee in the condition.
        """
        mm_price = np.where(self.at_entry[idx], self.entry[idx], price)
        rows = self.tier_row[idx]
        tier = self.tiers.lookup(rows, self.tier_basis(mm_price, idx))
        rate = self.tiers.rates[rows, tier]
        amount = self.tiers.amounts[rows, tier]
        req = self.notional(mm_price, idx) * rate - amount + self.fee[idx] * self.notional(price, idx)
        return req, tier


def _merge_key(account_index: int, inst: Instrument, side: str) -> tuple[int, str, str]:
    return (account_index, inst.symbol, side)


def build_book(accounts: Sequence[Account]) -> PositionBook:
    """Flatten ``accounts`` into a :class:`PositionBook`.

    Raises ``ValueError`` when an account mixes linear and inverse instruments (one account holds one
    settle currency) or an instrument has no tiers.
    """
    tables: list[tuple] = []
    row_of: dict[int, int] = {}
    merged_index: dict[tuple[int, int, str], int] = {}
    cols: dict[str, list] = {
        k: []
        for k in (
            "account",
            "sign",
            "size",
            "contracts",
            "entry_x_size",
            "inv_entry_x_size",
            "mark",
            "inverse",
            "isolated",
            "at_entry",
            "contracts_basis",
            "collateral",
            "fee",
            "tier_row",
            "group_key",
            "venue_liq",
        )
    }
    origin: list[int] = []
    origin_entry: list[float] = []
    origin_size: list[float] = []
    account_of_origin: list[int] = []
    wallets: list[float] = []
    kinds: list[str] = []

    for a_index, account in enumerate(accounts):
        rules = rules_for(account.venue)
        wallets.append(float(account.wallet_balance))
        kinds.append(rules.margin_ratio_kind)
        inverse_flags = {p.instrument.inverse for p in account.positions}
        if len(inverse_flags) > 1:
            raise ValueError(
                f"Account.positions: account at {account.venue} mixes linear and inverse instruments; "
                "split it into one Account per settle currency"
            )
        marks: dict[str, float] = {}
        for position in account.positions:
            inst = position.instrument
            known_mark = marks.setdefault(inst.symbol, position.mark_price)
            if abs(known_mark - position.mark_price) > 1e-12 * known_mark:
                raise ValueError(
                    f"Position.mark_price: {inst.symbol} has two marks in one account "
                    f"({known_mark!r} and {position.mark_price!r})"
                )
            row = row_of.get(id(inst))
            if row is None:
                if not inst.tiers:
                    raise ValueError(
                        f"Instrument.tiers: empty for {inst.symbol} ({inst.venue}); maintenance margin "
                        "needs the venue's tier table"
                    )
                row = len(tables)
                row_of[id(inst)] = row
                tables.append(inst.tiers)
            size = position.contracts * inst.contract_size
            isolated = position.margin_mode == "isolated"
            key = _merge_key(a_index, inst, position.side)
            index = None if isolated else merged_index.get(key)
            if index is not None:
                # Merge a cross leg into the existing one: sizes add, entry is size-weighted so that
                # PnL is exactly the sum of the legs' PnL (harmonic for inverse).
                cols["size"][index] += size
                cols["contracts"][index] += position.contracts
                cols["entry_x_size"][index] += size * position.entry_price
                cols["inv_entry_x_size"][index] += size / position.entry_price
            else:
                index = len(cols["size"])
                if not isolated:
                    merged_index[key] = index
                cols["account"].append(a_index)
                cols["sign"].append(1.0 if position.side == "long" else -1.0)
                cols["size"].append(size)
                cols["contracts"].append(position.contracts)
                cols["entry_x_size"].append(size * position.entry_price)
                cols["inv_entry_x_size"].append(size / position.entry_price)
                cols["mark"].append(position.mark_price)
                cols["inverse"].append(inst.inverse)
                cols["isolated"].append(isolated)
                cols["at_entry"].append(isolated and rules.isolated_linear_mm_at_entry and not inst.inverse)
                cols["contracts_basis"].append(rules.tier_basis == "contracts")
                cols["collateral"].append(float(position.collateral or 0.0) if isolated else 0.0)
                cols["fee"].append(inst.taker_fee_rate if rules.fee_in_condition else 0.0)
                cols["tier_row"].append(row)
                cols["group_key"].append(("iso", index) if isolated else ("x", a_index, inst.symbol))
            origin.append(index)
            origin_entry.append(position.entry_price)
            liq = position.venue_liquidation_price
            cols["venue_liq"].append(np.nan if liq is None else liq)
            origin_size.append(size)
            account_of_origin.append(a_index)

    size_arr = np.asarray(cols["size"], dtype=float)
    inverse_arr = np.asarray(cols["inverse"], dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        linear_entry = np.asarray(cols["entry_x_size"], dtype=float) / size_arr
        inverse_entry = size_arr / np.asarray(cols["inv_entry_x_size"], dtype=float)
    entry = np.where(inverse_arr, inverse_entry, linear_entry)
    group_ids: dict[tuple, int] = {}
    symbol_group = np.asarray(
        [group_ids.setdefault(k, len(group_ids)) for k in cols["group_key"]], dtype=np.intp
    )
    origin_arr = np.asarray(origin, dtype=np.intp)
    share = np.asarray(origin_size, dtype=float) / size_arr[origin_arr] if origin else np.zeros(0)
    return PositionBook(
        account=np.asarray(cols["account"], dtype=np.intp),
        sign=np.asarray(cols["sign"], dtype=float),
        size=size_arr,
        contracts=np.asarray(cols["contracts"], dtype=float),
        entry=entry,
        mark=np.asarray(cols["mark"], dtype=float),
        inverse=inverse_arr,
        isolated=np.asarray(cols["isolated"], dtype=bool),
        at_entry=np.asarray(cols["at_entry"], dtype=bool),
        contracts_basis=np.asarray(cols["contracts_basis"], dtype=bool),
        collateral=np.asarray(cols["collateral"], dtype=float),
        fee=np.asarray(cols["fee"], dtype=float),
        tier_row=np.asarray(cols["tier_row"], dtype=np.intp),
        symbol_group=symbol_group,
        tiers=TierMatrix(tables),
        wallet=np.asarray(wallets, dtype=float),
        margin_ratio_kind=tuple(kinds),
        origin=origin_arr,
        share=share,
        venue_liquidation=np.asarray(cols["venue_liq"], dtype=float),
        account_of_origin=np.asarray(account_of_origin, dtype=np.intp),
        origin_entry=np.asarray(origin_entry, dtype=float),
    )
