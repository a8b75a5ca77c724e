"""Where LiqGuard keeps its files: the platform's user folders (platformdirs), overridable by environment
variables (tests and portable installs). No I/O here: the folders are created by whoever writes to them.

* :func:`config_dir`: ``$LIQGUARD_CONFIG_DIR`` or ``platformdirs.user_config_dir("LiqGuard")`` — settings.
* :func:`data_dir`: ``$LIQGUARD_DATA_DIR`` or ``platformdirs.user_data_dir("LiqGuard")`` — history database.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "LiqGuard"
CONFIG_ENV = "LIQGUARD_CONFIG_DIR"
DATA_ENV = "LIQGUARD_DATA_DIR"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_NAME))


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_NAME))
