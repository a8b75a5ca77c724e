"""Settings: the app's typed configuration file (:class:`AppConfig`) and the window layout (:class:`UiState`).

Two tiers (house-style §6; secrets live in the keyring, not here):

* :class:`AppConfig` — alert thresholds, sound, snooze, language and theme. A versioned JSON file,
  ``config.json`` in :func:`config_dir` (``platformdirs.user_config_dir("LiqGuard")``, or the folder named
  by the ``LIQGUARD_CONFIG_DIR`` environment variable), written atomically (temp file, fsync, rename).
  :func:`load_config` never raises on a bad file (read through :mod:`desktop.jsonfile`): it returns the
  defaults (or every valid field), a message saying what was wrong, and keeps the bad file aside as
  ``config.json.bad-<UTC time>`` (never overwriting an earlier backup) so nothing is lost.
* :class:`UiState` — window geometry, dock layout and table header state in ``QSettings`` (IniFormat,
  user scope, organisation/application names of the QApplication).

Typical use::

    loaded = load_config()
    if loaded.message:
        show_to_user(loaded.message)
    engine = AlertEngine(loaded.config.to_rules())
    save_config(dataclasses.replace(loaded.config, theme="light"))

No I/O happens at import time.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.jsonfile import keep_aside, load_json_object
from desktop.paths import APP_NAME, CONFIG_ENV, config_dir
from desktop.watch.config import AlwaysOnConfig
from risk.alerts import AlertRules

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QHeaderView, QMainWindow

log = logging.getLogger(__name__)

CONFIG_FILE = "config.json"
SCHEMA_VERSION = 1
LANGUAGES: tuple[str, ...] = ("system", "en", "zh_CN")
THEMES: tuple[str, ...] = ("dark", "light")
MAX_SNOOZE_MINUTES = 24 * 60


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def _tier_tuple(name: str, value: object) -> tuple[float, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"{name} must be a list of numbers, got {value!r}")
    out: list[float] = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int | float):
            raise ValueError(f"{name}[{i}] must be a number, got {item!r}")
        out.append(float(item))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AppConfig:
    """The user's settings (immutable; use ``dataclasses.replace`` to change one).

    Attributes
    ----------
    distance_tiers
        Distance-to-liquidation tiers, fractions of mark, decreasing (0.20 = 20 %).
    margin_ratio_tiers
        Margin-ratio tiers (maintenance / margin balance), increasing (0.90 = 90 %).
    cascade_score_tiers
        Composite cascade-score tiers, 0-100, increasing.
    sound_enabled
        Play a sound with warning and critical alerts.
    snooze_minutes
        Length of a snooze, minutes (1 .. 1440).
    critical_modal
        Also open a (non-blocking) dialog for critical alerts.
    language
        "system" (follow the OS locale), "en" or "zh_CN".
    theme
        "dark" or "light".
    always_on
        Push channels, escalation, heartbeat, start at login, tray (:mod:`desktop.watch.config`).
    """

    distance_tiers: tuple[float, ...] = (0.20, 0.10, 0.05)
    margin_ratio_tiers: tuple[float, ...] = (0.70, 0.80, 0.90)
    cascade_score_tiers: tuple[float, ...] = (50.0, 70.0, 85.0)
    sound_enabled: bool = True
    snooze_minutes: int = 15
    critical_modal: bool = False
    language: str = "system"
    theme: str = "dark"
    # --- always on (desktop/watch): one nested block, its own validation ---
    always_on: AlwaysOnConfig = field(default_factory=AlwaysOnConfig)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Keys of the file this version does not know (kept and written back, so a newer version's
    settings survive a downgrade)."""

    def __post_init__(self) -> None:
        for name in ("distance_tiers", "margin_ratio_tiers", "cascade_score_tiers"):
            object.__setattr__(self, name, _tier_tuple(name, getattr(self, name)))
        for name in ("sound_enabled", "critical_modal"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, got {getattr(self, name)!r}")
        minutes = self.snooze_minutes
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 1 <= minutes <= MAX_SNOOZE_MINUTES
        ):
            raise ValueError(
                f"snooze_minutes must be a whole number 1..{MAX_SNOOZE_MINUTES}, got {minutes!r}"
            )
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {self.language!r}")
        if self.theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {self.theme!r}")
        self.to_rules()  # tier order and gaps are the alert rules' to judge
        object.__setattr__(self, "always_on", AlwaysOnConfig.from_value(self.always_on))

    def to_rules(self) -> AlertRules:
        """The :class:`risk.alerts.AlertRules` these settings mean (ValueError naming a bad field)."""
        return AlertRules(
            distance_tiers=self.distance_tiers,
            margin_ratio_tiers=self.margin_ratio_tiers,
            cascade_score_tiers=self.cascade_score_tiers,
            snooze_ms=self.snooze_minutes * 60_000,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with ``schema_version`` (unknown keys of the file kept)."""
        data = dict(self.extra)
        data.update({k: v for k, v in asdict(self).items() if k != "extra"})
        for name in ("distance_tiers", "margin_ratio_tiers", "cascade_score_tiers"):
            data[name] = list(data[name])
        data["always_on"] = self.always_on.to_dict()
        data["schema_version"] = SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> tuple[AppConfig, list[str]]:
        """Build from a (migrated) dict; invalid fields fall back to their defaults.

        Returns the config and one problem text per field that was replaced by its default.
        """
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known and k != "schema_version"}
        problems: list[str] = []
        for name in list(values):
            try:
                cls(**{name: values[name]})
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
                del values[name]
        try:
            return cls(**values, extra=extra), problems
        except ValueError as exc:  # fields valid alone but not together (e.g. tiers vs hysteresis)
            problems.append(str(exc))
            return cls(extra=extra), problems


# Migrations from schema version N to N + 1, applied in order. Version 0 = a file without a version.
_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: lambda data: data,
}


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Bring a parsed file to :data:`SCHEMA_VERSION`; returns it and notes for the user."""
    version = data.get("schema_version", 0)
    notes: list[str] = []
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        notes.append(f"schema_version must be a whole number >= 0, got {version!r}; read as version 0")
        version = 0
    if version > SCHEMA_VERSION:
        notes.append(
            f"the settings file was written by a newer LiqGuard (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); settings this version does not know are kept as they are"
        )
        return data, notes
    while version < SCHEMA_VERSION:
        data = _MIGRATIONS[version](dict(data))
        version += 1
    data["schema_version"] = SCHEMA_VERSION
    return data, notes


@dataclass(frozen=True, slots=True)
class ConfigLoad:
    """What :func:`load_config` found: the config to use, a message for the user if anything was wrong,
    and where the bad file was kept."""

    config: AppConfig
    message: str | None = None
    backup_path: Path | None = None
    path: Path | None = None


def load_config(path: Path | None = None) -> ConfigLoad:
    """Read the config file; never raises for a missing, unreadable or invalid file.

    A missing file gives the defaults silently. A damaged file (see :mod:`desktop.jsonfile`: size,
    encoding, nesting, numbers, not an object) or invalid values give the defaults for what is wrong, a
    message naming the problem, and the bad file kept aside under a timestamped name
    (``config.json.bad-<UTC time>``, never overwriting an earlier one) so nothing the user wrote is lost.
    """
    path = config_path() if path is None else path
    loaded = load_json_object(path, what="settings file")
    if loaded.missing:
        return ConfigLoad(AppConfig(), path=path)
    problems: list[str] = []
    data = loaded.data
    if loaded.problem:
        problems.append(loaded.reason or loaded.problem)
        data = None
    if data is None:
        config = AppConfig()
    else:
        data, notes = migrate(data)
        config, field_problems = AppConfig.from_dict(data)
        if field_problems:
            problems += field_problems
        elif notes:
            return ConfigLoad(config, "Settings: " + "; ".join(notes) + ".", path=path)
    if not problems:
        return ConfigLoad(config, path=path)
    backup: Path | None
    try:
        backup = keep_aside(path)
    except OSError as exc:
        log.error("cannot keep the bad settings file aside: %s", exc)
        backup_note = f"the file could not be moved aside ({exc.strerror or exc}); it is left in place"
        backup = None
    else:
        backup_note = f"the bad file was kept as {backup}"
    what = "defaults used" if data is None else "defaults used for those settings"
    message = (
        f"The settings file {path} had problems: {'; '.join(problems)}. {what.capitalize()}; {backup_note}."
    )
    log.warning("%s", message)
    return ConfigLoad(config, message, backup, path)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_config(config: AppConfig, path: Path | None = None) -> Path:
    """Write ``config`` atomically; returns the path. OSError propagates (the caller tells the user)."""
    path = config_path() if path is None else path
    atomic_write_text(path, json.dumps(config.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------------------------------
# UI state (Qt): geometry, dock layout, header state


UI_STATE_VERSION = 1
"""Bump when docks are added or renamed: a saved layout of another version is ignored."""


class UiState:
    """Window geometry, dock layout and header state, kept in ``QSettings`` (IniFormat, user scope).

    Uses the QApplication's organisation and application names; tests redirect the folder with
    ``QSettings.setPath`` (see tests/conftest.py).
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        from PySide6.QtCore import QCoreApplication, QSettings

        if settings is None:
            settings = QSettings(
                QSettings.Format.IniFormat,
                QSettings.Scope.UserScope,
                QCoreApplication.organizationName() or APP_NAME,
                QCoreApplication.applicationName() or APP_NAME,
            )
        self._settings = settings

    @property
    def file_name(self) -> str:
        return self._settings.fileName()

    def save_window(self, window: QMainWindow) -> None:
        """Store the window's geometry and dock/toolbar layout."""
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/state", window.saveState(UI_STATE_VERSION))
        self._settings.setValue("window/version", UI_STATE_VERSION)
        self._settings.sync()

    def restore_window(self, window: QMainWindow) -> bool:
        """Restore what :meth:`save_window` stored; False (window untouched) when nothing usable is there."""
        from PySide6.QtCore import QByteArray

        if self._settings.value("window/version", 0, type=int) != UI_STATE_VERSION:
            return False
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        if not isinstance(geometry, QByteArray) or not isinstance(state, QByteArray):
            return False
        restored = window.restoreGeometry(geometry)
        return window.restoreState(state, UI_STATE_VERSION) and restored

    def save_header(self, name: str, header: QHeaderView) -> None:
        """Store a table header's column order, widths and sort state under ``name``."""
        self._settings.setValue(f"headers/{name}", header.saveState())
        self._settings.sync()

    def restore_header(self, name: str, header: QHeaderView) -> bool:
        from PySide6.QtCore import QByteArray

        state = self._settings.value(f"headers/{name}")
        return isinstance(state, QByteArray) and header.restoreState(state)

    def save_text(self, key: str, text: str) -> None:
        """Store a piece of layout text (e.g. a table's column layout as JSON) under ``key``."""
        self._settings.setValue(key, text)
        self._settings.sync()

    def text(self, key: str) -> str | None:
        value = self._settings.value(key)
        return value if isinstance(value, str) else None


__all__ = [
    "CONFIG_ENV",
    "LANGUAGES",
    "SCHEMA_VERSION",
    "THEMES",
    "AppConfig",
    "ConfigLoad",
    "UiState",
    "atomic_write_text",
    "config_dir",
    "config_path",
    "load_config",
    "migrate",
    "save_config",
]
