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
from risk.types import Account
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


def build_book(accounts: Sequence[Account]) -> PositionBook:
    """Flatten ``accounts`` into a :class:`PositionBook`.

    Raises ``ValueError`` when an account mixes linear and inverse instruments (one account holds one
    settle currency) or an instrument has no tiers.
    """
    tables: list[tuple] = []
    row_of: dict[int, int] = {}
    merged_index: dict[tuple[int, str, str], int] = {}
    # One list per column; appended in a single pass (this loop is the object -> array boundary).
    account_col: list[int] = []
    sign_col: list[float] = []
    size_col: list[float] = []
    contracts_col: list[float] = []
    entry_x_size: list[float] = []
    inv_entry_x_size: list[float] = []
    mark_col: list[float] = []
    inverse_col: list[bool] = []
    isolated_col: list[bool] = []
    at_entry_col: list[bool] = []
    contracts_basis_col: list[bool] = []
    collateral_col: list[float] = []
    fee_col: list[float] = []
    row_col: list[int] = []
    group_key: list[tuple] = []
    venue_liq: list[float] = []
    origin: list[int] = []
    origin_entry: list[float] = []
    origin_size: list[float] = []
    account_of_origin: list[int] = []
    wallets: list[float] = []
    kinds: list[str] = []
    nan = float("nan")

    for a_index, account in enumerate(accounts):
        rules = rules_for(account.venue)
        wallets.append(float(account.wallet_balance))
        kinds.append(rules.margin_ratio_kind)
        contracts_basis = rules.tier_basis == "contracts"
        mm_at_entry = rules.isolated_linear_mm_at_entry
        fee_in_condition = rules.fee_in_condition
        marks: dict[str, float] = {}
        inverse_seen: set[bool] = set()
        for position in account.positions:
            inst = position.instrument
            symbol = inst.symbol
            mark = position.mark_price
            known_mark = marks.setdefault(symbol, mark)
            if known_mark != mark and abs(known_mark - mark) > 1e-12 * known_mark:
                raise ValueError(
                    f"Position.mark_price: {symbol} has two marks in one account "
                    f"({known_mark!r} and {mark!r})"
                )
            inverse = inst.inverse
            inverse_seen.add(inverse)
            row = row_of.get(id(inst))
            if row is None:
                if not inst.tiers:
                    raise ValueError(
                        f"Instrument.tiers: empty for {symbol} ({inst.venue}); maintenance margin "
                        "needs the venue's tier table"
                    )
                row = len(tables)
                row_of[id(inst)] = row
                tables.append(inst.tiers)
            contracts = position.contracts
            entry = position.entry_price
            size = contracts * inst.contract_size
            isolated = position.margin_mode == "isolated"
            index = None
            if not isolated:
                key = (a_index, symbol, position.side)
                index = merged_index.get(key)
                if index is None:
                    merged_index[key] = len(size_col)
            if index is not None:
                # Merge a cross leg into the existing one: sizes add, entry is size-weighted so that
                # PnL is exactly the sum of the legs' PnL (harmonic for inverse).
                size_col[index] += size
                contracts_col[index] += contracts
                entry_x_size[index] += size * entry
                inv_entry_x_size[index] += size / entry
            else:
                index = len(size_col)
                account_col.append(a_index)
                sign_col.append(1.0 if position.side == "long" else -1.0)
                size_col.append(size)
                contracts_col.append(contracts)
                entry_x_size.append(size * entry)
                inv_entry_x_size.append(size / entry)
                mark_col.append(mark)
                inverse_col.append(inverse)
                isolated_col.append(isolated)
                at_entry_col.append(isolated and mm_at_entry and not inverse)
                contracts_basis_col.append(contracts_basis)
                collateral_col.append(float(position.collateral or 0.0) if isolated else 0.0)
                fee_col.append(inst.taker_fee_rate if fee_in_condition else 0.0)
                row_col.append(row)
                group_key.append(("iso", index) if isolated else ("x", a_index, symbol))
            origin.append(index)
            origin_entry.append(entry)
            origin_size.append(size)
            account_of_origin.append(a_index)
            liq = position.venue_liquidation_price
            venue_liq.append(nan if liq is None else liq)
        if len(inverse_seen) > 1:
            raise ValueError(
                f"Account.positions: account at {account.venue} mixes linear and inverse instruments; "
                "split it into one Account per settle currency"
            )

    size_arr = np.asarray(size_col, dtype=float)
    inverse_arr = np.asarray(inverse_col, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        linear_entry = np.asarray(entry_x_size, dtype=float) / size_arr
        inverse_entry = size_arr / np.asarray(inv_entry_x_size, dtype=float)
    entry = np.where(inverse_arr, inverse_entry, linear_entry)
    group_ids: dict[tuple, int] = {}
    symbol_group = np.asarray([group_ids.setdefault(k, len(group_ids)) for k in group_key], dtype=np.intp)
    origin_arr = np.asarray(origin, dtype=np.intp)
    share = np.asarray(origin_size, dtype=float) / size_arr[origin_arr] if origin else np.zeros(0)
    return PositionBook(
        account=np.asarray(account_col, dtype=np.intp),
        sign=np.asarray(sign_col, dtype=float),
        size=size_arr,
        contracts=np.asarray(contracts_col, dtype=float),
        entry=entry,
        mark=np.asarray(mark_col, dtype=float),
        inverse=inverse_arr,
        isolated=np.asarray(isolated_col, dtype=bool),
        at_entry=np.asarray(at_entry_col, dtype=bool),
        contracts_basis=np.asarray(contracts_basis_col, dtype=bool),
        collateral=np.asarray(collateral_col, dtype=float),
        fee=np.asarray(fee_col, dtype=float),
        tier_row=np.asarray(row_col, dtype=np.intp),
        symbol_group=symbol_group,
        tiers=TierMatrix(tables),
        wallet=np.asarray(wallets, dtype=float),
        margin_ratio_kind=tuple(kinds),
        origin=origin_arr,
        share=share,
        venue_liquidation=np.asarray(venue_liq, dtype=float),
        account_of_origin=np.asarray(account_of_origin, dtype=np.intp),
        origin_entry=np.asarray(origin_entry, dtype=float),
    )
