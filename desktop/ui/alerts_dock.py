"""The alerts log: a dock listing every alert (time, level, title, message, status), newest first.

:class:`AlertsTableModel` holds :class:`desktop.store.StoredAlert` rows (at most ``max_rows``);
:class:`AlertsDock` shows it with Acknowledge and Snooze actions (buttons, double-click acknowledges) and a
level filter. The dock does not change any state itself: it emits ``acknowledge_requested(key)`` and
``snooze_requested(key)``; whoever owns the alert engine and the store acts and then calls
:meth:`AlertsDock.mark_acknowledged` / :meth:`AlertsDock.mark_snoozed` (``desktop.engine.alert_center`` does).

History: :meth:`AlertsDock.load_history` fills it from a :class:`desktop.store.HistoryStore`, so the log
survives a restart. Times are shown in local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.store import HistoryStore, StoredAlert
from desktop.ui.alert_text import alert_text, data_time_text
from risk.alerts import AlertEvent, level_rank

LEVEL_COLORS: dict[str, str] = {"info": "#58a6ff", "warning": "#f0883e", "critical": "#f85149"}
"""Foreground colour of the Level cell (readable on both themes)."""

COLUMNS = ("time", "level", "title", "message", "status")
ALERT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Data role giving the row's :class:`StoredAlert`."""
LEVEL_RANK_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def format_time(timestamp_ms: int) -> str:
    """Local time ``YYYY-MM-DD HH:MM:SS`` of an epoch-ms timestamp."""
    return dt.datetime.fromtimestamp(timestamp_ms / 1000.0).strftime("%Y-%m-%d %H:%M:%S")


def event_time_text(event: AlertEvent) -> str:
    """Wall-clock time the alert was raised, and beside it the time of the data it judged (the venue's
    clock; the scenario's in the demo) when known: ``2026-12-03 09:40:12 · data 21:17:25 UTC``."""
    text = format_time(event.timestamp_ms)
    if event.data_time_ms is None:
        return text
    data = QCoreApplication.translate("AlertsTableModel", "data %1").replace(
        "%1", data_time_text(event.data_time_ms)
    )
    return f"{text} · {data}"


def _level_text(level: str) -> str:
    names = {
        "info": QCoreApplication.translate("AlertsTableModel", "Info"),
        "warning": QCoreApplication.translate("AlertsTableModel", "Warning"),
        "critical": QCoreApplication.translate("AlertsTableModel", "Critical"),
    }
    return names.get(level, level)


def status_text(row: StoredAlert, now_ms: int | None = None) -> str:
    """What happened to the alert: cleared, acknowledged, snoozed, or waiting for acknowledgement."""
    event = row.event
    now = now_ms if now_ms is not None else int(dt.datetime.now().timestamp() * 1000)
    if row.snoozed_until_ms is not None and row.snoozed_until_ms > now:
        until = format_time(row.snoozed_until_ms)[11:16]
        return QCoreApplication.translate("AlertsTableModel", "Snoozed until %1").replace("%1", until)
    if event.requires_ack:
        if row.acknowledged_ms is None:
            return QCoreApplication.translate("AlertsTableModel", "Needs acknowledgement")
        at = format_time(row.acknowledged_ms)[11:19]
        return QCoreApplication.translate("AlertsTableModel", "Acknowledged %1").replace("%1", at)
    if event.cleared:
        return QCoreApplication.translate("AlertsTableModel", "Cleared")
    return ""


class AlertsTableModel(QAbstractTableModel):
    """Alerts, newest first (row 0), bounded to ``max_rows``."""

    def __init__(self, parent: Any = None, max_rows: int = 5000) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        self._rows: list[StoredAlert] = []

    # -- Qt model API ---------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            QCoreApplication.translate("AlertsTableModel", "Time"),
            QCoreApplication.translate("AlertsTableModel", "Level"),
            QCoreApplication.translate("AlertsTableModel", "Title"),
            QCoreApplication.translate("AlertsTableModel", "Message"),
            QCoreApplication.translate("AlertsTableModel", "Status"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        event = row.event
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "title":
                return alert_text(event)[0]
            if column == "message":
                message = alert_text(event)[1]
                return f"{event.action} — {message}" if event.action else message  # the action first
            return {
                "time": event_time_text(event),
                "level": _level_text(event.level) + (" ✓" if event.cleared else ""),
                "status": status_text(row),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            title, message = alert_text(event)
            return "\n".join([title, message, *(f"• {r}" for r in event.reasons)])
        if role == Qt.ItemDataRole.ForegroundRole and column == "level":
            return QBrush(QColor(LEVEL_COLORS.get(event.level, "#8b949e")))
        if role == ALERT_ROLE:
            return row
        if role == LEVEL_RANK_ROLE:
            return level_rank(event.level)
        if role == Qt.ItemDataRole.UserRole and column == "time":
            return event.timestamp_ms  # sort key
        return None

    # -- content --------------------------------------------------------------------------------------

    def rows(self) -> list[StoredAlert]:
        return list(self._rows)

    def set_rows(self, rows: Iterable[StoredAlert]) -> None:
        """Replace the content (any order in; newest first kept)."""
        ordered = sorted(rows, key=lambda r: (r.event.timestamp_ms, r.id), reverse=True)[: self.max_rows]
        self.beginResetModel()
        self._rows = ordered
        self.endResetModel()

    def add(self, row: StoredAlert) -> None:
        """Insert a new alert at the top; the oldest row goes when the model is full."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, row)
        self.endInsertRows()
        if len(self._rows) > self.max_rows:
            last = len(self._rows) - 1
            self.beginRemoveRows(QModelIndex(), last, last)
            self._rows.pop()
            self.endRemoveRows()

    def update_key(self, key: str, **changes: int | None) -> int:
        """Apply ``changes`` (``acknowledged_ms`` or ``snoozed_until_ms``) to rows of ``key``; returns the
        number changed. Acknowledgement applies to every unacknowledged row needing it; a snooze to the
        newest row."""
        changed = 0
        for i, row in enumerate(self._rows):
            if row.event.key != key:
                continue
            if "acknowledged_ms" in changes and not (row.event.requires_ack and row.acknowledged_ms is None):
                continue
            self._rows[i] = replace(row, **changes)  # type: ignore[arg-type]
            changed += 1
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
            if "snoozed_until_ms" in changes:
                break
        return changed


class _LevelFilter(QSortFilterProxyModel):
    """Shows rows at or above a minimum level, or only those needing acknowledgement."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.minimum_rank = 0
        self.only_unacknowledged = False

    def set_filter(self, minimum_rank: int, only_unacknowledged: bool) -> None:
        self.beginFilterChange()
        self.minimum_rank = minimum_rank
        self.only_unacknowledged = only_unacknowledged
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ALERT_ROLE)
        if row is None:
            return False
        if self.only_unacknowledged:
            return bool(row.event.requires_ack and row.acknowledged_ms is None)
        return level_rank(row.event.level) >= self.minimum_rank


class AlertsDock(QDockWidget):
    """Dock widget with the alerts log (objectName ``alertsDock`` for saved layouts)."""

    acknowledge_requested = Signal(str)
    snooze_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, max_rows: int = 5000) -> None:
        super().__init__(self.tr("Alerts"), parent)
        self.setObjectName("alertsDock")
        self.model = AlertsTableModel(self, max_rows=max_rows)
        self.proxy = _LevelFilter(self)
        self.proxy.setSourceModel(self.model)

        self.table = QTableView()
        self.table.setObjectName("alertsTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("message"), QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COLUMNS.index("time"), 250)
        header.resizeSection(COLUMNS.index("level"), 80)
        header.resizeSection(COLUMNS.index("title"), 260)
        header.resizeSection(COLUMNS.index("status"), 170)
        self.table.doubleClicked.connect(lambda _index: self.acknowledge_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.filter_box = QComboBox()
        self.filter_box.setObjectName("alertsFilter")
        self.filter_box.addItem(self.tr("All levels"), (0, False))
        self.filter_box.addItem(self.tr("Warning and critical"), (1, False))
        self.filter_box.addItem(self.tr("Critical only"), (2, False))
        self.filter_box.addItem(self.tr("Needs acknowledgement"), (0, True))
        self.filter_box.currentIndexChanged.connect(self._apply_filter)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.snooze_button = QPushButton(self.tr("Snooze"))
        self.snooze_button.clicked.connect(self.snooze_selected)
        self.count_label = QLabel()
        self.count_label.setObjectName("dimLabel")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show:")))
        bar.addWidget(self.filter_box)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.ack_button)
        bar.addWidget(self.snooze_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.setWidget(body)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.modelReset.connect(self._update_count)
        self.model.dataChanged.connect(lambda *_: self._update_count())
        self._update_buttons()
        self._update_count()

    # -- content --------------------------------------------------------------------------------------

    def load_history(self, store: HistoryStore, limit: int = 1000) -> int:
        """Fill the log from the store (newest ``limit`` alerts); returns how many rows."""
        rows = store.recent_alerts(limit=limit)
        self.model.set_rows(rows)
        return len(rows)

    def add_event(self, event: AlertEvent, row_id: int = 0) -> None:
        """Show a new alert (``row_id``: its id in the store, if stored)."""
        self.model.add(StoredAlert(row_id, event))

    def mark_acknowledged(self, key: str, at_ms: int) -> None:
        self.model.update_key(key, acknowledged_ms=at_ms)
        self._update_buttons()

    def mark_snoozed(self, key: str, until_ms: int) -> None:
        self.model.update_key(key, snoozed_until_ms=until_ms)

    # -- actions --------------------------------------------------------------------------------------

    def selected(self) -> StoredAlert | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = self.proxy.data(indexes[0], ALERT_ROLE)
        return row if isinstance(row, StoredAlert) else None

    def acknowledge_selected(self) -> None:
        row = self.selected()
        if row is not None and row.event.requires_ack and row.acknowledged_ms is None:
            self.acknowledge_requested.emit(row.event.key)

    def snooze_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.snooze_requested.emit(row.event.key)

    def _apply_filter(self) -> None:
        minimum, only_unacked = self.filter_box.currentData()
        self.proxy.set_filter(minimum, only_unacked)
        self._update_count()

    def _update_buttons(self) -> None:
        row = self.selected()
        self.ack_button.setEnabled(row is not None and row.event.requires_ack and row.acknowledged_ms is None)
        self.snooze_button.setEnabled(row is not None)

    def _update_count(self) -> None:
        waiting = sum(1 for r in self.model.rows() if r.event.requires_ack and r.acknowledged_ms is None)
        text = self.tr("%n alert(s)", "", self.proxy.rowCount())
        if waiting:
            text += " · " + self.tr("%n to acknowledge", "", waiting)
        self.count_label.setText(text)
