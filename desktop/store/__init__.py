"""History storage (SQLite, WAL): alerts and risk snapshots. See :mod:`desktop.store.history`."""

from desktop.store.history import (
    DATA_ENV,
    SCHEMA_VERSION,
    HistoryStore,
    Retention,
    StoredAlert,
    StoreError,
    data_dir,
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
