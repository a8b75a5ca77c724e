"""Positions table columns: the default set, the header's context menu and the saved column layout.

Columns are identified by their English header (``Column.header``), never by position, so a layout saved
before other columns were appended to :data:`~desktop.ui.positions_model.COLUMNS` still restores, and a
column the saved layout does not know starts hidden. Widths are in pixels; a section is never narrower
than its header text needs (:func:`fit_sections`), so headers are not clipped in either language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

from desktop.ui.positions_model import COLUMNS, DEFAULT_VISIBLE, column_index, tr_column

DEFAULT_WIDTHS: Mapping[str, int] = {
    "Account": 150,
    "Symbol": 118,
    "Side": 104,
    "Size": 70,
    "Entry": 84,
    "Mark": 84,
    "Liq. price": 88,
    "Venue liq.": 84,
    "Distance": 76,
    "σ (24 h)": 66,
    "P(touch 24 h)": 96,
    "Margin ratio": 92,
    "Stop": 88,
    "Unrealised PnL": 112,
}
"""Starting width of each column in pixels (wide enough for its usual cells); others get 90."""
HEADER_PADDING = 2
"""Pixels added to a header's size hint (which already holds room for the sort arrow)."""
LAYOUT_VERSION = 1


def _names() -> list[str]:
    return [column.header for column in COLUMNS]


def fit_sections(header: QHeaderView) -> None:
    """Widen every visible section that is narrower than its header text (translated) needs."""
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        needed = header.sectionSizeFromContents(logical).width() + HEADER_PADDING
        if header.sectionSize(logical) < needed:
            header.resizeSection(logical, needed)


def apply_default_columns(header: QHeaderView) -> None:
    """Show :data:`DEFAULT_VISIBLE` in its order, first; hide every other column; default widths."""
    for visual, name in enumerate(DEFAULT_VISIBLE):
        header.moveSection(header.visualIndex(column_index(name)), visual)
    for logical, name in enumerate(_names()):
        header.setSectionHidden(logical, name not in DEFAULT_VISIBLE)
        header.resizeSection(logical, DEFAULT_WIDTHS.get(name, 90))
    fit_sections(header)


def header_layout(header: QHeaderView) -> str:
    """The header's column order, visibility and widths plus the sort column, as JSON text."""
    columns = [
        {
            "name": name,
            "visual": header.visualIndex(logical),
            "hidden": header.isSectionHidden(logical),
            "width": header.sectionSize(logical),
        }
        for logical, name in enumerate(_names())
    ]
    sort = header.sortIndicatorSection()
    return json.dumps(
        {
            "version": LAYOUT_VERSION,
            "columns": columns,
            "sort": _names()[sort] if 0 <= sort < len(COLUMNS) else None,
            "descending": header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        }
    )


def restore_header_layout(header: QHeaderView, text: str | None) -> bool:
    """Apply a layout saved by :func:`header_layout`; False (defaults applied) when there is none usable.

    Columns unknown to the saved layout (added since) stay hidden, after the known ones.
    """
    apply_default_columns(header)
    try:
        data: Any = json.loads(text) if text else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("version") != LAYOUT_VERSION:
        return False
    saved = {c.get("name"): c for c in data.get("columns", []) if isinstance(c, dict)}
    names = _names()
    known = sorted((n for n in names if n in saved), key=lambda n: int(saved[n].get("visual", 0)))
    for visual, name in enumerate(known):
        logical = names.index(name)
        header.moveSection(header.visualIndex(logical), visual)
        header.setSectionHidden(logical, bool(saved[name].get("hidden", False)))
        width = saved[name].get("width")
        if isinstance(width, int) and width > 0:
            header.resizeSection(logical, width)
    for logical, name in enumerate(names):
        if name not in saved:
            header.setSectionHidden(logical, True)
    if data.get("sort") in names:
        order = Qt.SortOrder.DescendingOrder if data.get("descending") else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(names.index(data["sort"]), order)
    fit_sections(header)
    return True


class ColumnMenu(QMenu):
    """The header's context menu: one checkable action per column, and "Default columns"."""

    def __init__(self, header: QHeaderView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = header
        self.column_actions: dict[str, QAction] = {}
        for logical, column in enumerate(COLUMNS):
            action = QAction(tr_column(column.header), self)
            action.setToolTip(tr_column(column.tooltip))
            action.setCheckable(True)
            action.toggled.connect(lambda shown, c=logical: self._show_column(c, shown))
            self.addAction(action)
            self.column_actions[column.header] = action
        self.addSeparator()
        self.reset_action = QAction(self.tr("Default columns"), self)
        self.reset_action.triggered.connect(lambda: apply_default_columns(self.header))
        self.addAction(self.reset_action)
        self.aboutToShow.connect(self.sync)

    def sync(self) -> None:
        """Tick the actions of the visible columns; the last visible one cannot be hidden."""
        visible = [not self.header.isSectionHidden(i) for i in range(len(COLUMNS))]
        for logical, column in enumerate(COLUMNS):
            action = self.column_actions[column.header]
            action.blockSignals(True)
            action.setChecked(visible[logical])
            action.setEnabled(not (visible[logical] and sum(visible) == 1))
            action.blockSignals(False)

    def _show_column(self, logical: int, shown: bool) -> None:
        self.header.setSectionHidden(logical, not shown)
        if shown:
            fit_sections(self.header)


def install_column_menu(header: QHeaderView) -> ColumnMenu:
    """Give ``header`` the column menu on right click; returns the menu (tests drive it directly)."""
    menu = ColumnMenu(header, header)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(position: QPoint) -> None:
        menu.popup(header.mapToGlobal(position))

    header.customContextMenuRequested.connect(show)
    return menu
