"""History storage (SQLite, WAL): alerts and risk snapshots. See :mod:`desktop.store.history`."""

from desktop.paths import DATA_ENV, data_dir
from desktop.store.history import (
    SCHEMA_VERSION,
    HistoryStore,
    Retention,
    StoredAlert,
    StoreError,
    default_db_path,
)

__all__ = [
    "DATA_ENV",
    "SCHEMA_VERSION",
    "HistoryStore",
    "Retention",
    "StoreError",
    "StoredAlert",
    "data_dir",
    "default_db_path",
]
