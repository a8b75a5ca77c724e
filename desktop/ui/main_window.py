"""The main window: accounts sidebar, positions table, position detail, cascade dashboard, stress
panel, feed status bar and menus.

Snapshots arrive through :meth:`MainWindow.on_snapshot` (a queued slot: it only stores the
reference); a QTimer redraws at :data:`REDRAW_HZ` from the latest one, so a burst of ticks never
floods the GUI thread, and charts in hidden docks are not redrawn.
"""

from __future__ import annotations

import dataclasses
import time

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDockWidget,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from desktop import __version__
from desktop.engine import Engine
from desktop.engine.alert_center import AlertCenter
from desktop.engine.risk_view import thresholds_from
from desktop.engine.snapshots import EngineSnapshot, PositionRow, Severity
from desktop.settings import AppConfig, UiState, save_config
from desktop.ui.accounts_panel import AccountsPanel
from desktop.ui.cascade_dashboard import CascadeDashboard
from desktop.ui.charts import restyle_plot
from desktop.ui.column_menu import fit_sections, header_layout, install_column_menu, restore_header_layout
from desktop.ui.demo_toolbar import DemoToolbar
from desktop.ui.feed_status import FeedStatusBar, feed_severity
from desktop.ui.position_detail import PositionDetail
from desktop.ui.positions_model import ROW_ROLE, PositionsProxyModel, PositionsTableModel, column_index
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.stress_panel import StressPanel
from desktop.ui.style import SEVERITY_COLORS, configure_pyqtgraph, fmt_money
from desktop.ui.theme import THEME_PROPERTY, apply_theme, chart_colors, current_theme, theme_events

REDRAW_HZ = 10
"""Widgets redraw at most this often (house-style.md §7.2: 5-20 Hz)."""
RESORT_SECONDS = 1.0
"""The positions table re-sorts at most this often (and whenever its rows change)."""
DISTANCE_COLUMN = column_index("Distance")
PREFERRED_SIZE = (1680, 1000)
"""Window size in pixels on first start, shrunk to the screen's available area (never larger)."""
COLUMNS_KEY = "headers/positions_columns"
SPLITTER_KEY = "window/central_splitter"


class MainWindow(QMainWindow):
    """The application window; works with or without an engine (``--smoke`` builds it bare)."""

    account_saved = Signal(str)
    """An account was added or edited in the wizard (its id): the app starts (or restarts) its feed."""
    account_removed = Signal(str)
    redrawn = Signal(int)
    """Emitted after a redraw with the snapshot's sequence number (tests and benchmarks wait on it)."""

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        demo: bool = False,
        config: AppConfig | None = None,
        ui_state: UiState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        configure_pyqtgraph()
        self.engine = engine
        self.config = config or AppConfig()
        self.setWindowTitle(f"LiqGuard {__version__}" + (" — " + self.tr("demo venue") if demo else ""))
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self._snapshot: EngineSnapshot | None = None
        self._summaries: dict[str, tuple[tuple[PositionRow, ...], Severity, dict[str, float]]] = {}
        """Per account: its rows tuple, worst row severity and unrealised PnL per currency (reused while
        the engine keeps the account's rows)."""
        self._drawn_sequence = -1
        self.alert_center: AlertCenter | None = None
        self._sorted_at = 0.0
        self._alerts_scheduled = False
        self._build_central()
        self._build_docks()
        self._build_status_bar()
        self.demo_toolbar: DemoToolbar | None = None
        if demo:
            self.demo_toolbar = DemoToolbar(self)
            self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.demo_toolbar)
        self._build_menus()
        self.ui_state = ui_state or UiState()
        self.resize(*PREFERRED_SIZE)
        self._fitted = False
        if not self._restore_layout():
            # Dock sizes only apply once the window is laid out.
            QTimer.singleShot(0, self._default_dock_sizes)
        self.redraw_timer = QTimer(self)
        self.redraw_timer.setInterval(int(1000 / REDRAW_HZ))
        self.redraw_timer.timeout.connect(self.redraw)
        self.redraw_timer.start()
        if engine is not None:
            engine.snapshot_ready.connect(self.on_snapshot)
            engine.use_acknowledgements()
        theme_events.theme_changed.connect(self._on_theme_changed)
        self._on_theme_changed(current_theme())

    # ---- construction -----------------------------------------------------------------------
    def _build_central(self) -> None:
        self.positions_model = PositionsTableModel(self)
        self.positions_proxy = PositionsProxyModel(self)
        self.positions_proxy.setSourceModel(self.positions_model)
        table = self.positions_table = QTableView()
        table.setObjectName("positionsTable")
        table.setModel(self.positions_proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(DISTANCE_COLUMN, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(False)
        table.setShowGrid(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # PnL stays beside the other key columns on wide screens
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        self.column_menu = install_column_menu(header)
        table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.detail = PositionDetail()
        splitter = self.central_splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("centralSplitter")
        splitter.addWidget(table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.accounts_panel = AccountsPanel()
        self.accounts_panel.account_selected.connect(self.positions_proxy.set_account)
        # Scrolled: every card adds ~120 px, and the window must not outgrow a 768 px screen.
        accounts_scroll = QScrollArea()
        accounts_scroll.setObjectName("accountsScroll")
        accounts_scroll.setWidget(self.accounts_panel)
        accounts_scroll.setWidgetResizable(True)
        accounts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        accounts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        accounts_scroll.setMinimumWidth(236)
        self.accounts_dock = self._dock(
            self.tr("Accounts"), "accountsDock", accounts_scroll, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.accounts_panel.setMinimumWidth(236)
        self.cascade = CascadeDashboard()
        self.cascade_dock = self._dock(
            self.tr("Cascade"), "cascadeDock", self.cascade, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.cascade.setMinimumWidth(320)
        self.stress = StressPanel()
        self.stress_dock = self._dock(
            self.tr("Stress"), "stressDock", self.stress, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.splitDockWidget(self.accounts_dock, self.stress_dock, Qt.Orientation.Vertical)

    def _build_status_bar(self) -> None:
        self.feed_bar = FeedStatusBar()
        self.summary_label = QLabel(self.tr("No data yet"))
        # A long summary (or a wider language) is cut, not allowed to widen the window past the screen.
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.summary_label, 1)
        self.statusBar().addPermanentWidget(self.feed_bar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.accounts_menu = bar.addMenu(self.tr("&Accounts"))
        self.add_account_action = QAction(self.tr("&Add account…"), self)
        self.add_account_action.triggered.connect(self.open_account_wizard)
        self.accounts_menu.addAction(self.add_account_action)
        self.manage_accounts_action = QAction(self.tr("&Manage accounts…"), self)
        self.manage_accounts_action.triggered.connect(self.open_accounts_dialog)
        self.accounts_menu.addAction(self.manage_accounts_action)

        self.settings_menu = bar.addMenu(self.tr("&Settings"))
        self.preferences_action = QAction(self.tr("&Preferences…"), self)
        self.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.preferences_action.triggered.connect(self.open_settings)
        self.settings_menu.addAction(self.preferences_action)
        self.theme_menu = self.settings_menu.addMenu(self.tr("&Theme"))
        self.language_menu = self.settings_menu.addMenu(self.tr("&Language"))
        self._build_theme_and_language_menus()

        view_menu = self.view_menu = bar.addMenu(self.tr("&View"))
        for dock in (self.accounts_dock, self.stress_dock, self.cascade_dock):
            view_menu.addAction(dock.toggleViewAction())
        if self.demo_toolbar is not None:
            view_menu.addAction(self.demo_toolbar.toggleViewAction())

        help_menu = bar.addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About LiqGuard"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About LiqGuard"))
        box.setText(
            f"LiqGuard {__version__}\n"
            + self.tr(
                "A read-only liquidation-risk console for leveraged crypto derivatives.\n"
                "It never places an order."
            )
        )
        box.open()

    def open_account_wizard(self) -> QDialog:
        """The account wizard (non-blocking): add an exchange account, test it, save it.

        ``account_saved``/``account_removed`` are passed on; the app starts or stops the feed at once.
        """
        from desktop.ui.account_wizard import AccountWizard  # imports ccxt (~1-2 s): not at start-up

        wizard = AccountWizard(self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.account_saved.connect(self.account_saved.emit)
        wizard.account_removed.connect(self.account_removed.emit)
        wizard.account_saved.connect(
            lambda account_id: self.statusBar().showMessage(
                self.tr("Account saved: %1. Its positions appear after the first read.").replace(
                    "%1", account_id
                ),
                15_000,
            )
        )
        wizard.open()
        return wizard

    def open_accounts_dialog(self) -> QDialog:
        """The saved accounts (non-blocking): edit or remove one (removing deletes its stored key)."""
        from desktop.ui.account_wizard import AccountsDialog

        dialog = AccountsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.account_saved.connect(self.account_saved.emit)
        dialog.account_removed.connect(self.account_removed.emit)
        dialog.open()
        return dialog

    def open_settings(self) -> SettingsDialog:
        """The settings dialog (non-blocking); saved settings apply at once."""
        dialog = SettingsDialog(self.config, parent=self)
        dialog.config_saved.connect(self.apply_config)
        dialog.open()
        return dialog

    def apply_config(self, config: AppConfig) -> None:
        """Use changed settings: alert tiers, row colours, sound, theme."""
        language_changed = config.language != self.config.language
        self.config = config
        if self.alert_center is not None:
            self.alert_center.apply_config(config)
        if self.engine is not None:
            self.engine.set_thresholds(thresholds_from(config))
        app = QApplication.instance()
        if isinstance(app, QApplication) and app.property(THEME_PROPERTY) != config.theme:
            apply_theme(app, config.theme)
        self._check_theme_actions()
        if language_changed:
            self.statusBar().showMessage(self.tr("The language changes when LiqGuard is restarted."), 15_000)

    def _save_config(self, config: AppConfig) -> None:
        try:
            save_config(config)
        except OSError as exc:
            self.statusBar().showMessage(self.tr("Settings could not be saved: {0}").format(exc), 30_000)
        self.apply_config(config)

    def _build_theme_and_language_menus(self) -> None:
        self.theme_actions: dict[str, QAction] = {}
        for name, title in (("dark", self.tr("Dark")), ("light", self.tr("Light"))):
            action = QAction(title, self)
            action.setCheckable(True)
            action.triggered.connect(
                lambda _=False, n=name: self._save_config(dataclasses.replace(self.config, theme=n))
            )
            self.theme_menu.addAction(action)
            self.theme_actions[name] = action
        self.language_actions: dict[str, QAction] = {}
        for code, title in (("system", self.tr("System")), ("en", "English"), ("zh_CN", "简体中文")):
            action = QAction(title, self)
            action.setCheckable(True)
            action.triggered.connect(
                lambda _=False, c=code: self._save_config(dataclasses.replace(self.config, language=c))
            )
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self._check_theme_actions()

    def _check_theme_actions(self) -> None:
        for name, action in self.theme_actions.items():
            action.setChecked(name == self.config.theme)
        for code, action in self.language_actions.items():
            action.setChecked(code == self.config.language)

    def _on_theme_changed(self, _name: str) -> None:
        fit_sections(self.positions_table.horizontalHeader())  # the style sheet changes header fonts
        colors = chart_colors()
        for chart in self.findChildren(pg.GraphicsLayoutWidget):
            chart.setBackground(colors["background"])
            for item in chart.scene().items():
                if isinstance(item, pg.PlotItem):
                    restyle_plot(item, colors)
        self.cascade.score_curve.setPen(pg.mkPen(colors["score"], width=1.6))

    def attach_alerts(self, center: AlertCenter) -> None:
        """Route every snapshot through the alert rules; show the alerts log as a bottom dock."""
        self.alert_center = center
        center.dock.setObjectName("alertsDock")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, center.dock)
        self.view_menu.insertAction(self.view_menu.actions()[0], center.dock.toggleViewAction())
        center.store_failed.connect(lambda message: self.statusBar().showMessage(message, 30_000))
        center.severity_changed.connect(self.accounts_panel.set_alert_severity)
        self._place_toasts(center)
        if not self._restore_layout():
            QTimer.singleShot(0, self._default_dock_sizes)
        if not self.toolBarBreak(self.toast_strip):  # a saved layout from before the strip existed
            self.insertToolBarBreak(self.toast_strip)
        if self._snapshot is not None:
            self._process_alerts(self._snapshot)

    def _place_toasts(self, center: AlertCenter) -> None:
        """Toasts live in a strip of their own across the top of the window (hidden when empty), where
        they cover no number: not as an overlay over the panels."""
        area = center.notifier.toast_area
        area.use_as_strip()
        strip = self.toast_strip = QToolBar(self.tr("Alerts"), self)
        strip.setObjectName("toastStrip")
        strip.setMovable(False)
        strip.setFloatable(False)
        strip.toggleViewAction().setVisible(False)
        area.show()
        strip.addWidget(area)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, strip)
        self.insertToolBarBreak(strip)  # a row of its own, the full width of the window
        strip.setVisible(bool(area.toasts()))
        area.count_changed.connect(lambda count: strip.setVisible(count > 0))

    def _process_alerts(self, snapshot: EngineSnapshot) -> None:
        if self.alert_center is not None:
            self.alert_center.process_snapshot(snapshot)

    # ---- layout persistence ------------------------------------------------------------------
    def _default_dock_sizes(self) -> None:
        # Below ~1600 px the side docks give way so the key columns fit between them.
        side = (290, 420) if self.width() >= 1600 else (240, 320)
        self.resizeDocks([self.accounts_dock, self.cascade_dock], list(side), Qt.Orientation.Horizontal)
        self.resizeDocks([self.accounts_dock, self.stress_dock], [300, 400], Qt.Orientation.Vertical)
        if self.alert_center is not None:
            self.resizeDocks([self.alert_center.dock], [170], Qt.Orientation.Vertical)
        self.central_splitter.setSizes([380, 520])

    def _restore_layout(self) -> bool:
        """Restore the saved geometry, dock layout, splitter and columns; False when there was none."""
        restore_header_layout(self.positions_table.horizontalHeader(), self.ui_state.text(COLUMNS_KEY))
        restored = self.ui_state.restore_window(self)
        splitter = self.ui_state.text(SPLITTER_KEY)
        if restored and splitter:
            self.central_splitter.restoreState(QByteArray.fromBase64(splitter.encode("ascii")))
        self.fit_to_screen()
        return restored

    def save_layout(self) -> None:
        self.ui_state.save_window(self)
        self.ui_state.save_text(COLUMNS_KEY, header_layout(self.positions_table.horizontalHeader()))
        state = self.central_splitter.saveState().toBase64()
        self.ui_state.save_text(SPLITTER_KEY, bytes(state.data()).decode("ascii"))

    def fit_to_screen(self) -> None:
        """Shrink and move the window into its screen's available area (a restored or preferred size
        may come from a larger screen)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        if self.minimumSizeHint().width() > area.width() and not self.cascade_dock.isHidden():
            # A screen too narrow for three columns of docks: the cascade charts become a tab beside
            # the stress panel instead of pushing the window past the screen's edge.
            self.tabifyDockWidget(self.stress_dock, self.cascade_dock)
            self.layout().activate()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the frame (title bar) is known only once shown
            self._fitted = True
            self.fit_to_screen()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.redraw_timer.stop()
        super().closeEvent(event)

    # ---- data ----------------------------------------------------------------------------
    def on_snapshot(self, snapshot: EngineSnapshot) -> None:
        """Queued slot: keep the newest snapshot for the redraw timer; judge alerts at once.

        Alerts are not held back by the redraw rate: the time from a tick to a visible warning is the
        product's point.
        """
        if self._snapshot is None or snapshot.sequence > self._snapshot.sequence:
            self._snapshot = snapshot
            # Judged at once: the engine sends one snapshot at a time (it waits for the acknowledgement),
            # so none is queued behind this one, and a zero timer would wait behind a due redraw.
            self._process_latest_alerts()

    def _process_latest_alerts(self) -> None:
        self._alerts_scheduled = False
        if self._snapshot is not None:
            self._process_alerts(self._snapshot)
        if self.engine is not None:
            self.engine.snapshot_consumed()

    @property
    def snapshot(self) -> EngineSnapshot | None:
        return self._snapshot

    def selected_row(self) -> PositionRow | None:
        index = self.positions_table.currentIndex()
        if not index.isValid():
            return None
        row = self.positions_proxy.data(index, ROW_ROLE)
        return row if isinstance(row, PositionRow) else None

    def _select_key(self, key: tuple[str, str, str]) -> None:
        """Select the row of a position again after the rows were reordered."""
        for row in range(self.positions_proxy.rowCount()):
            value = self.positions_proxy.data(self.positions_proxy.index(row, 0), ROW_ROLE)
            if isinstance(value, PositionRow) and value.key == key:
                self.positions_table.selectRow(row)
                return

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.selected_row()
        if row is not None:
            self.cascade.select_symbol(row.symbol)
        if self._snapshot is not None:
            self._show_detail(self._snapshot)
            self.cascade.show_market(self._snapshot.markets)

    def _show_detail(self, snapshot: EngineSnapshot) -> None:
        row = self.selected_row()
        series = snapshot.markets.get(row.symbol) if row else None
        self.detail.show_position(row, series)
        account = next(
            (a for a in snapshot.accounts if row is not None and a.account_id == row.account_id), None
        )
        self.detail.show_action(account, row, tuple(self.config.distance_tiers))

    def redraw(self) -> None:
        """Timer slot: apply the latest snapshot (if new) and refresh feed ages."""
        snapshot = self._snapshot
        now = time.time()
        if snapshot is None:
            return
        self.feed_bar.show_feeds(snapshot.feeds, now)
        self.accounts_panel.show_accounts(snapshot.accounts, now)
        if snapshot.sequence == self._drawn_sequence:
            return
        self._drawn_sequence = snapshot.sequence
        self.cascade.set_symbols(sorted(snapshot.markets))
        resort = time.monotonic() - self._sorted_at >= RESORT_SECONDS
        if resort:
            self._sorted_at = time.monotonic()
        selected = self.selected_row()
        groups = [account.rows for account in snapshot.accounts]
        if self.positions_model.set_groups(groups, resort=resort) and selected is not None:
            self._select_key(selected.key)
        if not self.positions_table.currentIndex().isValid() and self.positions_proxy.rowCount():
            self.positions_table.selectRow(0)
        self._show_detail(snapshot)
        if self.cascade_dock.isVisible():
            self.cascade.show_market(snapshot.markets)
        if self.stress_dock.isVisible():
            self.stress.show_accounts(snapshot.accounts)
        if self.demo_toolbar is not None and snapshot.demo is not None:
            self.demo_toolbar.show_status(snapshot.demo, snapshot.market_time)
        self._show_summary(snapshot, now)
        self.redrawn.emit(snapshot.sequence)

    def _show_summary(self, snapshot: EngineSnapshot, now: float) -> None:
        worst = Severity.OK
        count = 0
        pnl: dict[str, float] = {}
        summaries = {}
        for account in snapshot.accounts:
            summary = self._summaries.get(account.account_id)
            if summary is None or summary[0] is not account.rows:
                summary = (account.rows, *_rows_summary(account.rows))
            summaries[account.account_id] = summary
            worst = max(worst, summary[1])
            count += len(account.rows)
            for currency, value in summary[2].items():
                pnl[currency] = pnl.get(currency, 0.0) + value
        self._summaries = summaries
        stale = sum(1 for feed in snapshot.feeds if feed_severity(feed, now))
        pnl_text = " · ".join(fmt_money(v, k) for k, v in pnl.items()) or "—"
        color = SEVERITY_COLORS[Severity(worst)]
        text = self.tr("{0} positions in {1} accounts · unrealised {2}").format(
            count, len(snapshot.accounts), pnl_text
        )
        if stale:
            text += " · " + self.tr("{0} feed(s) stale").format(stale)
        self.summary_label.setText(f"<span style='color:{color}'>●</span> {text}")


def _rows_summary(rows: tuple[PositionRow, ...]) -> tuple[Severity, dict[str, float]]:
    """Worst severity of ``rows`` and their unrealised PnL summed per settle currency."""
    pnl: dict[str, float] = {}
    for row in rows:
        pnl[row.settle_currency] = pnl.get(row.settle_currency, 0.0) + row.unrealized_pnl
    return max((row.severity for row in rows), default=Severity.OK), pnl
