"""AppConfig file (typed, versioned, atomic, corruption-safe) and UiState (QSettings)."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTableView

from desktop.settings import (
    CONFIG_ENV,
    SCHEMA_VERSION,
    AppConfig,
    UiState,
    config_path,
    load_config,
    save_config,
)


def test_config_path_is_isolated(isolated_settings):
    assert config_path() == isolated_settings / "config" / "config.json"
    assert os.environ[CONFIG_ENV] == str(isolated_settings / "config")


def test_missing_file_gives_defaults_without_a_message():
    loaded = load_config()
    assert loaded.config == AppConfig() and loaded.message is None and loaded.backup_path is None


def test_settings_persist_across_a_fresh_load():
    config = AppConfig(
        distance_tiers=(0.3, 0.15, 0.07),
        margin_ratio_tiers=(0.6, 0.75, 0.85),
        cascade_score_tiers=(40.0, 60.0, 90.0),
        sound_enabled=False,
        snooze_minutes=45,
        critical_modal=True,
        language="zh_CN",
        theme="light",
    )
    path = save_config(config)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION and data["language"] == "zh_CN"
    loaded = load_config()
    assert loaded.message is None
    assert loaded.config == config
    rules = loaded.config.to_rules()
    assert rules.distance_tiers == (0.3, 0.15, 0.07) and rules.snooze_ms == 45 * 60_000


def test_save_is_atomic_and_leaves_no_temp_files(isolated_settings):
    save_config(AppConfig())
    save_config(AppConfig(theme="light"))
    names = sorted(p.name for p in (isolated_settings / "config").iterdir())
    assert names == ["config.json"]


def test_corrupted_file_gives_defaults_a_message_and_a_backup():
    path = config_path()
    path.parent.mkdir(parents=True)
    garbage = '{"theme": "light", "distance_tiers": [0.2, 0.1'  # truncated write
    path.write_text(garbage, encoding="utf-8")
    loaded = load_config()
    assert loaded.config == AppConfig()
    assert loaded.message is not None and "not valid JSON" in loaded.message
    assert loaded.backup_path is not None and loaded.backup_path.name.startswith("config.json.bad-")
    assert loaded.backup_path.read_text(encoding="utf-8") == garbage  # nothing lost
    assert str(loaded.backup_path) in loaded.message
    assert not path.exists()


def test_second_corruption_does_not_overwrite_the_first_backup():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2]", encoding="utf-8")
    first = load_config()
    path.write_text("not json", encoding="utf-8")
    second = load_config()
    assert "expected a JSON object" in (first.message or "")
    assert first.backup_path != second.backup_path
    assert first.backup_path.read_text() == "[1, 2]" and second.backup_path.read_text() == "not json"


def test_one_bad_field_keeps_the_good_ones_and_names_the_field():
    path = config_path()
    path.parent.mkdir(parents=True)
    data = {"schema_version": 1, "theme": "light", "language": "klingon", "distance_tiers": [0.05, 0.2]}
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_config()
    assert loaded.config.theme == "light"
    assert loaded.config.language == "system" and loaded.config.distance_tiers == (0.20, 0.10, 0.05)
    assert "language" in (loaded.message or "") and "distance_tiers" in (loaded.message or "")
    assert loaded.backup_path is not None and json.loads(loaded.backup_path.read_text()) == data


def test_unversioned_file_is_migrated_and_unknown_keys_survive_a_save():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"theme": "light", "future_option": {"a": 1}}), encoding="utf-8")
    loaded = load_config()
    assert loaded.message is None and loaded.config.theme == "light"
    save_config(dataclasses.replace(loaded.config, sound_enabled=False))
    data = json.loads(path.read_text())
    assert data["future_option"] == {"a": 1} and data["schema_version"] == SCHEMA_VERSION


def test_newer_schema_is_read_with_a_note():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1, "theme": "light"}), encoding="utf-8")
    loaded = load_config()
    assert loaded.config.theme == "light" and "newer LiqGuard" in (loaded.message or "")
    assert path.exists()  # nothing moved aside: the file is fine, just newer


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"snooze_minutes": 0}, "snooze_minutes"),
        ({"snooze_minutes": True}, "snooze_minutes"),
        ({"language": "fr"}, "language"),
        ({"theme": "blue"}, "theme"),
        ({"sound_enabled": "yes"}, "sound_enabled"),
        ({"margin_ratio_tiers": (0.9, 0.8)}, "margin_ratio_tiers"),
        ({"distance_tiers": "0.2"}, "distance_tiers"),
    ],
)
def test_invalid_values_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        AppConfig(**kwargs)


def test_ui_state_round_trip(qtbot, isolated_settings):
    def build(area: Qt.DockWidgetArea) -> tuple[QMainWindow, QDockWidget]:
        window = QMainWindow()
        window.setCentralWidget(QLabel("x"))
        dock = QDockWidget("Alerts", window)
        dock.setObjectName("alerts_dock")  # restoreState matches docks by objectName
        dock.setWidget(QTableView())
        window.addDockWidget(area, dock)
        qtbot.addWidget(window)
        return window, dock

    first, _ = build(Qt.DockWidgetArea.LeftDockWidgetArea)
    first.resize(700, 500)
    state = UiState()
    assert state.file_name.startswith(str(isolated_settings / "qsettings"))
    state.save_window(first)

    second, dock = build(Qt.DockWidgetArea.BottomDockWidgetArea)
    assert UiState().restore_window(second) is True
    assert second.dockWidgetArea(dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert (second.size().width(), second.size().height()) == (700, 500)


def test_ui_state_without_saved_state_leaves_window_alone(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    assert UiState().restore_window(window) is False


def test_header_state_round_trip(qtbot):
    from PySide6.QtGui import QStandardItemModel

    def table() -> QTableView:
        view = QTableView()
        view.setModel(QStandardItemModel(2, 3))
        qtbot.addWidget(view)
        return view

    first = table()
    first.horizontalHeader().resizeSection(1, 222)
    UiState().save_header("positions", first.horizontalHeader())
    second = table()
    assert UiState().restore_header("positions", second.horizontalHeader())
    assert second.horizontalHeader().sectionSize(1) == 222
