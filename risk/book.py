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
from operator import attrgetter

import numpy as np

from risk.tiers import TierMatrix
from risk.types import Account, Instrument
from risk.venues import bybit_close_fee, rules_for

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
    inverse, isolated, contracts_basis
        ``(N,) bool`` flags: inverse contract; isolated margin; tiers by contracts (OKX).
    collateral
        ``(N,)``: isolated margin as the liquidation condition counts it, settle currency (0 for cross
        legs). Equals the position's collateral except on Bybit, where margin added after opening
        counts as ``Extra/(1 -+ taker)`` (see :func:`risk.venues.bybit_close_fee`).
    collateral_held
        ``(N,)``: isolated margin as held (for equity).
    close_fee
        ``(N,)``: a fixed amount in the maintenance requirement, settle currency: Bybit's estimated fee
        to close at the bankruptcy price; 0 elsewhere.
    fee
        ``(N,)``: close-fee rate in the liquidation condition (0 on venues without one).
    tier_row
        ``(N,) int``: row of the instrument's table in ``tiers``.
    symbol_group
        ``(N,) int``: cross legs of one instrument in one account share a group (hedge mode: long and
        short share one liquidation price); every isolated leg has its own.
    wallet
        ``(A,)``: cross wallet balance of each account, plus (pooled accounts) the other settle
        currencies' PnL minus their maintenance: the part of cross equity minus requirement that does not
        move with this account's marks.
    pooled_mm
        ``(A,)``: the other settle currencies' maintenance (pooled accounts), 0 otherwise.
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
    contracts_basis: np.ndarray
    collateral: np.ndarray
    collateral_held: np.ndarray
    close_fee: np.ndarray
    fee: np.ndarray
    tier_row: np.ndarray
    symbol_group: np.ndarray
    tiers: TierMatrix
    wallet: np.ndarray
    pooled_mm: np.ndarray
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

        ``notional*rate - amount`` at the tier of the notional at ``price``, plus ``fee *
        notional(price)`` where the venue puts a close fee in the condition, plus the fixed
        ``close_fee`` (Bybit's estimated fee to close).
        """
        rows = self.tier_row[idx]
        notional = self.notional(price, idx)
        tier = self.tiers.lookup(rows, np.where(self.contracts_basis[idx], self.contracts[idx], notional))
        rate = self.tiers.rates[rows, tier]
        amount = self.tiers.amounts[rows, tier]
        req = notional * (rate + self.fee[idx]) - amount + self.close_fee[idx]
        return req, tier


def _first_in_group(inverse_index: np.ndarray, n_groups: int) -> np.ndarray:
    """Index of the first member of each group (groups numbered ``0..n_groups-1``)."""
    first = np.empty(n_groups, dtype=np.intp)
    first[inverse_index[::-1]] = np.arange(len(inverse_index))[::-1]
    return first


def build_book(accounts: Sequence[Account]) -> PositionBook:
    """Flatten ``accounts`` into a :class:`PositionBook`.

    Attribute reads go through C-level ``map``/``attrgetter``; grouping and merging are numpy, so the
    Python-level cost per position is a few attribute reads.

    Raises ``ValueError`` when an account mixes linear and inverse instruments (one account holds one
    settle currency), one symbol has two different marks in an account, or an instrument has no tiers.
    """
    counts = [len(a.positions) for a in accounts]
    positions = [p for a in accounts for p in a.positions]
    n = len(positions)
    account_of = np.repeat(np.arange(len(accounts), dtype=np.intp), counts)
    rules = [rules_for(a.venue) for a in accounts]
    # Pooled accounts: the other settle currencies' PnL minus MM, held at their marks, is part of the
    # cross constant exactly like wallet balance; their MM is reported separately (``pooled_mm``).
    wallets = np.array([float(a.wallet_balance) + a.pooled_pnl - a.pooled_maintenance for a in accounts])
    pooled_mm = np.array([float(a.pooled_maintenance) for a in accounts], dtype=float)
    kinds = tuple(r.margin_ratio_kind for r in rules)

    instruments = list(map(attrgetter("instrument"), positions))
    inst_ids = list(map(id, instruments))
    row_of: dict[int, int] = {}
    unique_instruments: list[Instrument] = []
    for inst_id, inst in zip(inst_ids, instruments, strict=True):
        if inst_id not in row_of:
            if not inst.tiers:
                raise ValueError(
                    f"Instrument.tiers: empty for {inst.symbol} ({inst.venue}); maintenance margin "
                    "needs the venue's tier table"
                )
            row_of[inst_id] = len(unique_instruments)
            unique_instruments.append(inst)
    row = np.fromiter(map(row_of.__getitem__, inst_ids), dtype=np.intp, count=n)
    symbol_codes: dict[str, int] = {}
    inst_symbol = np.array(
        [symbol_codes.setdefault(i.symbol, len(symbol_codes)) for i in unique_instruments], dtype=np.intp
    )
    inst_size = np.array([i.contract_size for i in unique_instruments], dtype=float)
    inst_inverse = np.array([i.inverse for i in unique_instruments], dtype=bool)
    inst_fee = np.array([i.taker_fee_rate for i in unique_instruments], dtype=float)

    contracts = np.fromiter(map(attrgetter("contracts"), positions), dtype=float, count=n)
    entry = np.fromiter(map(attrgetter("entry_price"), positions), dtype=float, count=n)
    mark = np.fromiter(map(attrgetter("mark_price"), positions), dtype=float, count=n)
    is_long = np.array(list(map(attrgetter("side"), positions)), dtype=object) == "long"
    isolated = np.array(list(map(attrgetter("margin_mode"), positions)), dtype=object) == "isolated"
    is_long, isolated = (
        np.asarray(is_long, dtype=bool).reshape(n),
        np.asarray(isolated, dtype=bool).reshape(n),
    )
    collateral = np.array([p.collateral or 0.0 for p in positions], dtype=float).reshape(n)
    venue_liq = np.array(
        [np.nan if v is None else v for v in map(attrgetter("venue_liquidation_price"), positions)],
        dtype=float,
    ).reshape(n)

    symbol = inst_symbol[row]
    inverse = inst_inverse[row]
    size = contracts * inst_size[row]
    account_fee = np.array([r.fee_in_condition for r in rules], dtype=bool)
    account_close_fee = np.array([r.estimated_close_fee for r in rules], dtype=bool)
    account_contracts = np.array([r.tier_basis == "contracts" for r in rules], dtype=bool)

    # Bybit's estimated fee to close, per caller position (0 where the venue has none or the leverage is
    # unknown), and the isolated margin as its liquidation price counts it.
    leverage = np.array(
        [np.nan if v is None else v for v in map(attrgetter("leverage"), positions)], dtype=float
    ).reshape(n)
    taker = np.where(account_close_fee[account_of], inst_fee[row], 0.0)
    close_fee, counted = bybit_close_fee(
        np.where(is_long, 1.0, -1.0), size, entry, leverage, taker, inverse, collateral
    )
    counted = np.where(isolated, counted, collateral)

    # One mark per symbol per account, and one contract type per account.
    n_symbols = max(len(symbol_codes), 1)
    acc_symbol = account_of * n_symbols + symbol
    _, acc_symbol_group = np.unique(acc_symbol, return_inverse=True)
    n_acc_symbols = int(acc_symbol_group.max()) + 1 if n else 0
    mark_hi = np.full(n_acc_symbols, -np.inf)
    mark_lo = np.full(n_acc_symbols, np.inf)
    np.maximum.at(mark_hi, acc_symbol_group, mark)
    np.minimum.at(mark_lo, acc_symbol_group, mark)
    bad = np.nonzero(mark_hi - mark_lo > 1e-12 * mark_hi)[0]
    if len(bad):
        member = int(np.nonzero(acc_symbol_group == bad[0])[0][0])
        raise ValueError(
            f"Position.mark_price: {instruments[member].symbol} has two marks in one account "
            f"({mark_lo[bad[0]]!r} and {mark_hi[bad[0]]!r})"
        )
    inverse_count = np.bincount(account_of, inverse, len(accounts))
    mixed = np.nonzero((inverse_count > 0) & (inverse_count < np.asarray(counts)))[0]
    if len(mixed):
        raise ValueError(
            f"Account.positions: account at {accounts[mixed[0]].venue} mixes linear and inverse "
            "instruments; split it into one Account per settle currency"
        )

    # Merge cross legs of one symbol and side in one account; every isolated leg stays alone.
    merge_key = np.where(isolated, -1 - np.arange(n), (acc_symbol * 2 + is_long))
    _, origin = np.unique(merge_key, return_inverse=True)
    origin = origin.astype(np.intp).reshape(n)
    n_legs = int(origin.max()) + 1 if n else 0
    first = _first_in_group(origin, n_legs)
    leg_size = np.bincount(origin, size, n_legs)
    with np.errstate(invalid="ignore", divide="ignore"):
        linear_entry = np.bincount(origin, size * entry, n_legs) / leg_size
        inverse_entry = leg_size / np.bincount(origin, size / entry, n_legs)
    leg_inverse = inverse[first]
    leg_isolated = isolated[first]
    leg_account = account_of[first]
    # Cross legs of one symbol share a liquidation price (hedge mode); isolated legs stand alone.
    group_key = np.where(leg_isolated, -1 - np.arange(n_legs), acc_symbol[first])
    _, symbol_group = np.unique(group_key, return_inverse=True)
    return PositionBook(
        account=leg_account,
        sign=np.where(is_long[first], 1.0, -1.0),
        size=leg_size,
        contracts=np.bincount(origin, contracts, n_legs),
        entry=np.where(leg_inverse, inverse_entry, linear_entry),
        mark=mark[first],
        inverse=leg_inverse,
        isolated=leg_isolated,
        contracts_basis=account_contracts[leg_account],
        collateral=np.where(leg_isolated, counted[first], 0.0),
        collateral_held=np.where(leg_isolated, collateral[first], 0.0),
        close_fee=np.bincount(origin, close_fee, n_legs),
        fee=np.where(account_fee[leg_account], inst_fee[row[first]], 0.0),
        tier_row=row[first],
        symbol_group=symbol_group.astype(np.intp).reshape(n_legs),
        tiers=TierMatrix([i.tiers for i in unique_instruments]),
        wallet=wallets,
        pooled_mm=pooled_mm,
        margin_ratio_kind=kinds,
        origin=origin,
        share=size / leg_size[origin] if n else np.zeros(0),
        venue_liquidation=venue_liq,
        account_of_origin=account_of,
        origin_entry=entry,
    )
