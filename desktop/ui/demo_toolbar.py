"""Demo toolbar: scenario picker, speed (1x / 10x / 60x), restart, and where the scenario clock is."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QProgressBar, QToolBar, QWidget

from desktop.engine.snapshots import DemoStatus
from desktop.exchanges.demo import DEFAULT_SPEED, SPEEDS
from desktop.exchanges.demo_market import SCENARIOS


class DemoToolbar(QToolBar):
    """Emits ``speed_changed(float)`` and ``scenario_changed(str)``; shows the demo clock."""

    speed_changed = Signal(float)
    scenario_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Demo"))
        self.setObjectName("demoToolbar")
        self.setMovable(False)
        self.addWidget(QLabel(" " + self.tr("DEMO") + "  "))
        self.scenario_box = QComboBox()
        for name, description in SCENARIOS.items():
            self.scenario_box.addItem(name, name)
            self.scenario_box.setItemData(self.scenario_box.count() - 1, description, 3)  # ToolTipRole
        self.scenario_box.currentIndexChanged.connect(self._on_scenario)
        self.addWidget(self.scenario_box)
        restart = QAction("↺ " + self.tr("Restart"), self)
        restart.setToolTip(self.tr("Start the scenario again with fresh demo accounts"))
        restart.triggered.connect(lambda: self.scenario_changed.emit(self.scenario_box.currentData()))
        self.addAction(restart)
        self.addSeparator()
        group = QActionGroup(self)
        self.speed_actions: dict[float, QAction] = {}
        for speed in SPEEDS:
            action = QAction(f"{speed:g}×", self)
            action.setCheckable(True)
            action.setChecked(speed == DEFAULT_SPEED)
            action.setToolTip(
                self.tr("Scenario time runs {0} times faster than real time").format(f"{speed:g}")
            )
            action.triggered.connect(lambda _=False, s=speed: self.speed_changed.emit(s))
            group.addAction(action)
            self.addAction(action)
            self.speed_actions[speed] = action
        self.addSeparator()
        self.progress = QProgressBar()
        self.progress.setFixedWidth(160)
        self.progress.setFixedHeight(12)
        self.progress.setTextVisible(False)
        self.progress.setRange(0, 1000)
        self.addWidget(self.progress)
        self.clock = QLabel("")
        self.clock.setObjectName("dimLabel")
        self.addWidget(self.clock)

    def _on_scenario(self, _index: int) -> None:
        self.scenario_changed.emit(self.scenario_box.currentData())

    def show_status(self, status: DemoStatus, market_time: float) -> None:
        self.progress.setValue(int(1000 * status.elapsed_rows / max(status.total_rows, 1.0)))
        stamp = dt.datetime.fromtimestamp(market_time, tz=dt.UTC).strftime("%H:%M:%S UTC")
        done = status.elapsed_rows >= status.total_rows - 1
        finished = " · " + self.tr("finished, press Restart") if done else ""
        clock = self.tr("scenario clock {0}").format(stamp)
        self.clock.setText(f"  {clock} · {status.speed:g}×{finished}")
