"""Settings dialog: edits :class:`desktop.settings.AppConfig` with validation, saves it atomically.

Usage (non-blocking)::

    dialog = SettingsDialog(current_config, parent=window)
    dialog.config_saved.connect(on_config_saved)   # AppConfig, already written to disk
    dialog.open()

Percentages are shown as percent (20 = 20 %) and stored as fractions. Every change is validated at once:
an invalid combination disables OK and says what is wrong in words. A save that fails (disk full, no
permission) keeps the dialog open with the error shown; nothing is lost. Theme changes apply at once
(``config_saved`` listeners call :func:`desktop.ui.theme.apply_theme`); the language applies after a
restart.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.secrets.store import SecretStoreError
from desktop.settings import MAX_SNOOZE_MINUTES, AppConfig, save_config

log = logging.getLogger(__name__)


def _spin_row(
    values: tuple[float, ...], *, low: float, high: float, decimals: int, suffix: str
) -> tuple[QWidget, list[QDoubleSpinBox]]:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    boxes: list[QDoubleSpinBox] = []
    for value in values:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setDecimals(decimals)
        box.setSingleStep(0.5 if decimals else 1.0)
        box.setSuffix(suffix)
        box.setValue(value)
        layout.addWidget(box)
        boxes.append(box)
    layout.addStretch(1)
    return row, boxes


class SettingsDialog(QDialog):
    """See the module docstring. ``config_saved(AppConfig)`` after a successful save."""

    config_saved = Signal(object)

    def __init__(self, config: AppConfig, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("LiqGuard settings"))
        self._original = config
        self._path = path
        self.saved_config: AppConfig | None = None

        alerts = QGroupBox(self.tr("Alert tiers (worst last)"))
        form = QFormLayout(alerts)
        row, self.distance_boxes = _spin_row(
            tuple(v * 100 for v in config.distance_tiers), low=0.1, high=1000.0, decimals=1, suffix=" %"
        )
        form.addRow(self.tr("Distance to liquidation"), row)
        row, self.margin_boxes = _spin_row(
            tuple(v * 100 for v in config.margin_ratio_tiers), low=1.0, high=1000.0, decimals=1, suffix=" %"
        )
        form.addRow(self.tr("Margin ratio"), row)
        row, self.cascade_boxes = _spin_row(
            config.cascade_score_tiers, low=1.0, high=100.0, decimals=0, suffix=""
        )
        form.addRow(self.tr("Cascade score (0-100)"), row)

        behaviour = QGroupBox(self.tr("Notifications"))
        form2 = QFormLayout(behaviour)
        self.sound_box = QCheckBox(self.tr("Play a sound for warnings and critical alerts"))
        self.modal_box = QCheckBox(self.tr("Also open a dialog for critical alerts"))
        self.snooze_box = QSpinBox()
        self.snooze_box.setRange(1, MAX_SNOOZE_MINUTES)
        self.snooze_box.setSuffix(self.tr(" min"))
        form2.addRow(self.sound_box)
        form2.addRow(self.modal_box)
        form2.addRow(self.tr("Snooze length"), self.snooze_box)

        look = QGroupBox(self.tr("Appearance"))
        form3 = QFormLayout(look)
        self.language_box = QComboBox()
        self.language_box.addItem(self.tr("System default"), "system")
        self.language_box.addItem("English", "en")
        self.language_box.addItem("简体中文", "zh_CN")
        self.theme_box = QComboBox()
        self.theme_box.addItem(self.tr("Dark"), "dark")
        self.theme_box.addItem(self.tr("Light"), "light")
        form3.addRow(self.tr("Language"), self.language_box)
        form3.addRow(self.tr("Theme"), self.theme_box)
        note = QLabel(self.tr("A new language applies after LiqGuard restarts."))
        note.setObjectName("dimLabel")
        form3.addRow(note)

        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults
        )

        from desktop.watch.qt_settings import AlwaysOnBox  # push channels, escalation, tray, login

        self.always_on_box = AlwaysOnBox(config.always_on, self)
        self.always_on_box.changed.connect(self.validate)

        layout = QVBoxLayout(self)
        for widget in (alerts, behaviour, self.always_on_box, look, self.error_label, self.buttons):
            layout.addWidget(widget)

        self._show(config)
        for box in (*self.distance_boxes, *self.margin_boxes, *self.cascade_boxes):
            box.valueChanged.connect(self.validate)
        self.snooze_box.valueChanged.connect(self.validate)
        self.validate()

    # -- values ---------------------------------------------------------------------------------------

    def _show(self, config: AppConfig) -> None:
        for boxes, values, scale in (
            (self.distance_boxes, config.distance_tiers, 100.0),
            (self.margin_boxes, config.margin_ratio_tiers, 100.0),
            (self.cascade_boxes, config.cascade_score_tiers, 1.0),
        ):
            for box, value in zip(boxes, values, strict=False):
                box.setValue(value * scale)
        self.sound_box.setChecked(config.sound_enabled)
        self.modal_box.setChecked(config.critical_modal)
        self.snooze_box.setValue(config.snooze_minutes)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(config.language)))
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(config.theme)))
        if hasattr(self, "always_on_box"):
            self.always_on_box.show_config(config.always_on)

    def restore_defaults(self) -> None:
        self._show(AppConfig())
        self.validate()

    def problem(self) -> str | None:
        """What is wrong with the values entered, in words; None when they are valid."""
        distance = [b.value() for b in self.distance_boxes]
        margin = [b.value() for b in self.margin_boxes]
        cascade = [b.value() for b in self.cascade_boxes]
        if any(b <= a for a, b in itertools.pairwise(reversed(distance))):
            return self.tr("Distance tiers must get closer to liquidation: each smaller than the one before.")
        if any(b <= a for a, b in itertools.pairwise(margin)):
            return self.tr("Margin-ratio tiers must rise: each larger than the one before.")
        if any(b <= a for a, b in itertools.pairwise(cascade)):
            return self.tr("Cascade-score tiers must rise: each larger than the one before.")
        always_on = self.always_on_box.problem()
        if always_on:
            return always_on
        try:
            self._candidate()
        except ValueError as exc:
            return self.tr("These tiers are too close together: %1").replace("%1", str(exc))
        return None

    def _candidate(self) -> AppConfig:
        return dataclasses.replace(
            self._original,
            distance_tiers=tuple(round(b.value() / 100.0, 6) for b in self.distance_boxes),
            margin_ratio_tiers=tuple(round(b.value() / 100.0, 6) for b in self.margin_boxes),
            cascade_score_tiers=tuple(b.value() for b in self.cascade_boxes),
            sound_enabled=self.sound_box.isChecked(),
            critical_modal=self.modal_box.isChecked(),
            snooze_minutes=self.snooze_box.value(),
            language=self.language_box.currentData(),
            theme=self.theme_box.currentData(),
            always_on=self.always_on_box.config(),
        )

    def config(self) -> AppConfig:
        """The config as entered (ValueError when invalid; see :meth:`problem`)."""
        return self._candidate()

    def validate(self) -> bool:
        problem = self.problem()
        self.error_label.setText(problem or "")
        self.error_label.setVisible(problem is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
        return problem is None

    def accept(self) -> None:
        if not self.validate():
            return
        config = self._candidate()
        try:
            self.always_on_box.commit_secrets()
        except (SecretStoreError, ValueError) as exc:
            self.error_label.setText(
                self.tr("Push channel URLs could not be kept: %1").replace("%1", str(exc))
            )
            self.error_label.setVisible(True)
            return
        try:
            save_config(config, self._path)
        except OSError as exc:
            log.error("saving settings failed: %s", exc)
            self.error_label.setText(self.tr("The settings could not be saved: %1").replace("%1", str(exc)))
            self.error_label.setVisible(True)
            return
        self.saved_config = config
        self.config_saved.emit(config)
        super().accept()
