"""Table model of the positions (one row per :class:`~desktop.engine.snapshots.PositionRow`).

Display text comes from ``DisplayRole``; ``SORT_ROLE`` gives the raw number so sorting by distance or
PnL is numeric; rows are tinted by severity. When a new snapshot has the same rows in the same order,
only ``dataChanged`` is emitted, so the selection and the scroll position survive updates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop.engine.snapshots import PositionRow, Severity
from desktop.ui.style import SEVERITY_COLORS, fmt_money, fmt_pct, fmt_price, severity_background

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 3

_ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, tooltip, display text and sort key."""

    header: str
    tooltip: str
    text: Callable[[PositionRow], str]
    key: Callable[[PositionRow], object]
    numeric: bool = True


def _none_last(value: float | None, missing: float = float("inf")) -> float:
    return missing if value is None else value


def _liq_text(row: PositionRow) -> str:
    return fmt_price(row.liquidation_price)


def _venue_liq_text(row: PositionRow) -> str:
    return fmt_price(row.venue_liquidation_price) if row.venue_liquidation_price else "—"


def _next_funding_text(row: PositionRow) -> str:
    if row.next_funding_in is None:
        return "—"
    total = int(row.next_funding_in)
    countdown = f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if row.next_funding_payment is None:
        return countdown
    return f"{countdown} · {fmt_money(row.next_funding_payment, row.settle_currency)}"


def _size_text(row: PositionRow) -> str:
    return f"{row.size:,.4g}"


_WORDS: dict[str, str] = {
    "long": QT_TRANSLATE_NOOP("Columns", "long"),
    "short": QT_TRANSLATE_NOOP("Columns", "short"),
    "cross": QT_TRANSLATE_NOOP("Columns", "cross"),
    "isolated": QT_TRANSLATE_NOOP("Columns", "isolated"),
}
"""Side and margin-mode words shown in cells; translated at display time (the row keeps the English)."""


def tr_column(text: str) -> str:
    """``text`` (a header, tooltip or cell word marked in context "Columns") in the UI language."""
    return QCoreApplication.translate("Columns", text)


def _side_text(row: PositionRow) -> str:
    side, mode = _WORDS.get(row.side, row.side), _WORDS.get(row.margin_mode, row.margin_mode)
    return f"{tr_column(side)} · {tr_column(mode)}"


COLUMNS: tuple[Column, ...] = (
    Column(
        QT_TRANSLATE_NOOP("Columns", "Account"),
        QT_TRANSLATE_NOOP("Columns", "Account (venue and margin mode)"),
        lambda r: r.account_label,
        lambda r: r.account_label,
        False,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Symbol"),
        QT_TRANSLATE_NOOP("Columns", "ccxt unified symbol"),
        lambda r: r.symbol,
        lambda r: r.symbol,
        False,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Side"),
        QT_TRANSLATE_NOOP("Columns", "long or short, and margin mode"),
        _side_text,
        lambda r: r.side,
        False,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Size"),
        QT_TRANSLATE_NOOP("Columns", "Position size in base units"),
        _size_text,
        lambda r: r.size,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Entry"),
        QT_TRANSLATE_NOOP("Columns", "Average entry price"),
        lambda r: fmt_price(r.entry_price),
        lambda r: r.entry_price,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Mark"),
        QT_TRANSLATE_NOOP("Columns", "Mark price (liquidation is triggered on mark)"),
        lambda r: fmt_price(r.mark_price),
        lambda r: r.mark_price,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Liq. price"),
        QT_TRANSLATE_NOOP("Columns", "Liquidation price computed by LiqGuard"),
        _liq_text,
        lambda r: _none_last(r.liquidation_price),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Venue liq."),
        QT_TRANSLATE_NOOP("Columns", "Liquidation price the venue reports, when it reports one"),
        _venue_liq_text,
        lambda r: _none_last(r.venue_liquidation_price),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Distance"),
        QT_TRANSLATE_NOOP("Columns", "Move of the mark to liquidation, % of mark"),
        lambda r: fmt_pct(r.distance),
        lambda r: _none_last(r.distance),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "σ (24 h)"),
        QT_TRANSLATE_NOOP("Columns", "Distance to liquidation in units of 24 h volatility"),
        lambda r: "—" if r.sigma_distance is None else f"{r.sigma_distance:.1f} σ",
        lambda r: _none_last(r.sigma_distance),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "P(touch 24 h)"),
        QT_TRANSLATE_NOOP("Columns", "Probability the mark touches the liquidation price within 24 h"),
        lambda r: fmt_pct(r.touch_probability),
        lambda r: _none_last(r.touch_probability, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Margin ratio"),
        QT_TRANSLATE_NOOP("Columns", "Maintenance / margin balance; 100 % liquidates"),
        lambda r: fmt_pct(r.margin_ratio),
        lambda r: r.margin_ratio,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Stop"),
        QT_TRANSLATE_NOOP("Columns", "Suggested stop-loss (hover for the reasons)"),
        lambda r: fmt_price(r.stop.price) if r.stop else "—",
        lambda r: _none_last(r.stop.price if r.stop else None),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Unrealised PnL"),
        QT_TRANSLATE_NOOP("Columns", "Settle currency, positive in profit"),
        lambda r: fmt_money(r.unrealized_pnl, r.settle_currency),
        lambda r: r.unrealized_pnl,
    ),
    # What exchange position screens show (engineer B); appended so other columns keep their places.
    Column(
        QT_TRANSLATE_NOOP("Columns", "Liq. gap"),
        QT_TRANSLATE_NOOP(
            "Columns",
            "Our liquidation price vs the venue's, as a share of the distance to the venue's; over 0.5 % is "
            "flagged with the likely cause",
        ),
        lambda r: fmt_pct(r.venue_gap, 1),
        lambda r: _none_last(r.venue_gap, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Leverage"),
        QT_TRANSLATE_NOOP("Columns", "The position's leverage setting"),
        lambda r: "—" if r.leverage is None else f"{r.leverage:g}x",
        lambda r: _none_last(r.leverage, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Notional"),
        QT_TRANSLATE_NOOP("Columns", "Position value at the mark, settle currency"),
        lambda r: "—" if r.notional is None else fmt_money(r.notional, r.settle_currency).lstrip("+"),
        lambda r: _none_last(r.notional, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "IM"),
        QT_TRANSLATE_NOOP("Columns", "Initial margin: isolated margin, or notional / leverage in cross"),
        lambda r: (
            "—" if r.initial_margin is None else fmt_money(r.initial_margin, r.settle_currency).lstrip("+")
        ),
        lambda r: _none_last(r.initial_margin, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "MM"),
        QT_TRANSLATE_NOOP(
            "Columns", "Maintenance margin at the mark (with the venue's close-fee estimate where it has one)"
        ),
        lambda r: (
            "—"
            if r.maintenance_margin is None
            else fmt_money(r.maintenance_margin, r.settle_currency).lstrip("+")
        ),
        lambda r: _none_last(r.maintenance_margin, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "ROE"),
        QT_TRANSLATE_NOOP("Columns", "Unrealised PnL / initial margin"),
        lambda r: fmt_pct(r.roe, 1, True),
        lambda r: _none_last(r.roe, -math.inf),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "ADL"),
        QT_TRANSLATE_NOOP(
            "Columns",
            "Auto-deleveraging rank on the venue's scale (Binance 0-4, Bybit 0-5, OKX 1-5; higher = nearer "
            "the front of the queue)",
        ),
        lambda r: "—" if r.adl_rank is None else str(r.adl_rank),
        lambda r: _none_last(r.adl_rank, -1.0),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Next funding"),
        QT_TRANSLATE_NOOP(
            "Columns", "Countdown to the next funding exchange and its estimated payment (+ received, - paid)"
        ),
        _next_funding_text,
        lambda r: _none_last(r.next_funding_in),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Funding / 8 h"),
        QT_TRANSLATE_NOOP(
            "Columns", "Estimated funding over the next 8 h at the latest rate (+ received, - paid)"
        ),
        lambda r: "—" if r.funding_8h is None else fmt_money(r.funding_8h, r.settle_currency),
        lambda r: _none_last(r.funding_8h, -math.inf),
    ),
)

DEFAULT_VISIBLE: tuple[str, ...] = (
    "Symbol",
    "Side",
    "Distance",
    "Liq. price",
    "Margin ratio",
    "Stop",
    "Unrealised PnL",
)
"""Headers (English, as in :data:`COLUMNS`) of the columns shown by default, in this visual order: what a
trader needs first, and what fits a 1366 px screen beside the docks. Every other column, including any
appended to :data:`COLUMNS` later, starts hidden and is shown from the header's context menu."""


def column_index(header: str) -> int:
    """Logical index of the column whose English header is ``header`` (ValueError if none)."""
    for index, column in enumerate(COLUMNS):
        if column.header == header:
            return index
    raise ValueError(f"no positions column {header!r}")


class PositionsTableModel(QAbstractTableModel):
    """Rows of the latest snapshot; call :meth:`set_rows` from the GUI thread."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[PositionRow] = []
        self._keys: list[tuple[str, str, str]] = []
        """``row.key`` of each row of ``_rows``, in order."""
        self._groups: list[tuple[tuple[PositionRow, ...], list[int]]] = []
        """After :meth:`set_groups`: each group's rows tuple and where its rows are in ``_rows``."""
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column`` (Python's sort on the raw values: 10,000 rows in a few ms, where
        a proxy's pairwise comparisons through ``data()`` take a second); keeps it for new rows."""
        self._sort_column, self._sort_order = column, order
        self.beginResetModel()
        self._rows = list(self._sorted(tuple(self._rows)))
        self._groups = []
        self._keys = [row.key for row in self._rows]
        self.endResetModel()

    def _sorted(self, rows: tuple[PositionRow, ...]) -> tuple[PositionRow, ...]:
        if not 0 <= self._sort_column < len(COLUMNS):
            return rows
        key = COLUMNS[self._sort_column].key
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        try:
            return tuple(sorted(rows, key=key, reverse=reverse))  # type: ignore[arg-type]
        except TypeError:  # mixed types in a column: compare as text
            return tuple(sorted(rows, key=lambda r: str(key(r)), reverse=reverse))

    @property
    def rows(self) -> tuple[PositionRow, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: Sequence[PositionRow], resort: bool = False) -> bool:
        """Show ``rows``; True when the rows or their order changed (a model reset), False for an update.

        Rows keep the order of the last sort (new ones last) unless ``resort``: the table re-sorts
        when asked, not at every tick, so rows do not jump under the user's eyes.
        """
        rows = tuple(rows)
        keys = [row.key for row in rows]
        if resort:
            rows = self._sorted(rows)
            keys = [row.key for row in rows]
        elif keys != self._keys:
            # Rows came or went, or the table is sorted otherwise than the engine's order: keep the shown
            # order. A key is a property (10,000 calls a pass), so each row's key is computed once.
            place = {key: i for i, key in enumerate(self._keys)}
            order = sorted(range(len(rows)), key=lambda i: place.get(keys[i], len(place)))
            rows = tuple(rows[i] for i in order)
            keys = [keys[i] for i in order]
        same_shape = keys == self._keys
        self._groups = []
        if same_shape:
            self._rows = list(rows)
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return False
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = keys
        self.endResetModel()
        return True

    def set_groups(self, groups: Sequence[tuple[PositionRow, ...]], resort: bool = False) -> bool:
        """:meth:`set_rows` of the concatenated ``groups`` (e.g. each account's rows tuple), where a group
        that is the very tuple of the last call costs nothing: when only some groups changed and kept
        their rows, just those rows are replaced and ``dataChanged`` covers them alone (a tick that moves
        one account does no per-row work for the other 10,000 rows). Returns as :meth:`set_rows`."""
        changed = None if resort else self._changed_groups(groups)
        if changed is None:
            reset = self.set_rows([row for group in groups for row in group], resort=resort)
            place = {key: i for i, key in enumerate(self._keys)}
            if len(place) == len(self._keys):  # keys are unique (else always take the full path)
                self._groups = [(group, [place[row.key] for row in group]) for group in groups]
            return reset
        rows = self._rows
        touched: list[int] = []
        for g, group in changed:
            where = self._groups[g][1]
            for i, row in zip(where, group, strict=True):
                rows[i] = row
            self._groups[g] = (group, where)
            touched += where
        if touched:
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(min(touched), 0), self.index(max(touched), last))
        return False

    def _changed_groups(
        self, groups: Sequence[tuple[PositionRow, ...]]
    ) -> list[tuple[int, tuple[PositionRow, ...]]] | None:
        """The groups that changed but kept their rows' keys, or None when rows came, went or moved."""
        if len(groups) != len(self._groups):
            return None
        changed = []
        for g, (group, (old, _)) in enumerate(zip(groups, self._groups, strict=True)):
            if group is old:
                continue
            if len(group) != len(old) or any(a.key != b.key for a, b in zip(group, old, strict=True)):
                return None
            changed.append((g, group))
        return changed

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr_column(COLUMNS[section].header)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr_column(COLUMNS[section].tooltip)
        return None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == ROW_ROLE:
            return row
        if role == ACCOUNT_ROLE:
            return row.account_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(severity_background(row.severity)) if row.severity else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column.header == "Stop" and row.stop:
            return "\n".join(row.stop.reasons)
        if role == Qt.ItemDataRole.ToolTipRole and row.flags:
            return "\n".join(flag.message for flag in row.flags)
        return None

    @staticmethod
    def _foreground(row: PositionRow, column: Column) -> QBrush | None:
        if column.header in ("Liq. gap", "ADL") and row.flags:
            kinds = {flag.kind for flag in row.flags}
            if ("venue_gap" if column.header == "Liq. gap" else "adl") in kinds:
                return QBrush(QColor(SEVERITY_COLORS[Severity.WARNING]))
        if column.header in ("Distance", "Liq. price", "Margin ratio", "P(touch 24 h)", "σ (24 h)"):
            return QBrush(QColor(SEVERITY_COLORS[row.severity])) if row.severity else None
        if column.header == "Unrealised PnL":
            return QBrush(
                QColor(SEVERITY_COLORS[Severity.OK if row.unrealized_pnl >= 0 else Severity.CRITICAL])
            )
        if column.header == "Side":
            return QBrush(QColor(SEVERITY_COLORS[Severity.OK if row.side == "long" else Severity.CRITICAL]))
        return None


class PositionsProxyModel(QSortFilterProxyModel):
    """Filters to one account (``None`` = all) with Qt's own filter (no Python per-row call); sorting is
    passed on to :class:`PositionsTableModel`, which sorts its rows itself."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setFilterRole(ACCOUNT_ROLE)
        self.setFilterKeyColumn(0)
        self.setDynamicSortFilter(False)

    def set_account(self, account_id: str | None) -> None:
        self.setFilterRegularExpression(f"^{re.escape(account_id)}$" if account_id else "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, PositionsTableModel):
            source.sort(column, order)
