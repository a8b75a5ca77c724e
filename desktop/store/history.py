"""SQLite history: alerts and periodic risk snapshots, so the alerts log and charts survive a restart.

One file, ``history.sqlite3`` in :func:`data_dir` (``platformdirs.user_data_dir("LiqGuard")``, or the
folder named by ``LIQGUARD_DATA_DIR``), in WAL mode so the GUI thread reads while the engine thread
writes. Thread safety: every thread gets its own connection (``threading.local``); writes are short
transactions with a busy timeout. :meth:`HistoryStore.close` closes every connection.

Tables (schema version in ``PRAGMA user_version``, migrated forward on open; a file from a newer version
is refused with :class:`StoreError`):

* ``alerts``: every :class:`risk.alerts.AlertEvent` with its acknowledgement and snooze times (ms).
* ``points``: time series ``(subject, series, timestamp_ms, value)``; account metrics (subject = account
  key), position metrics (subject = position key) and cascade series (subject = market key) alike.
  ``value`` is NULL for "none" (e.g. no liquidation price).

Retention is bounded (:class:`Retention`): :meth:`HistoryStore.prune` deletes what is older than the
limits and beyond the row caps; it runs on open and every ``prune_every`` writes.

Usage::

    store, message = HistoryStore.open()        # message: a recovered corrupt file, if any
    store.record_alert(event)
    store.record_points(now_ms, "binanceusdm:main", {"margin_ratio": 0.41, "equity": 10_250.0})
    times, values = store.series("binanceusdm:main", "margin_ratio", since_ms=now_ms - 3_600_000)
    for row in store.recent_alerts(limit=500): ...
"""

from __future__ import annotations

import json
import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.paths import data_dir
from risk.alerts import AlertEvent
from risk.results import AccountRisk, PositionRisk

log = logging.getLogger(__name__)

DB_FILE = "history.sqlite3"
SCHEMA_VERSION = 2
ACCOUNT_SERIES: tuple[str, ...] = (
    "margin_ratio",
    "margin_balance",
    "maintenance_margin",
    "equity",
    "unrealized_pnl",
    "break_move",
)
"""Fields of :class:`risk.results.AccountRisk` stored by :meth:`HistoryStore.record_account_risk`."""
POSITION_SERIES: tuple[str, ...] = (
    "liquidation_price",
    "distance",
    "margin_ratio",
    "unrealized_pnl",
    "notional",
)
"""Fields of :class:`risk.results.PositionRisk` stored by :meth:`HistoryStore.record_position_risk`."""

_SCHEMA: dict[int, str] = {
    1: """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            level TEXT NOT NULL,
            tier INTEGER NOT NULL,
            tier_count INTEGER NOT NULL,
            title TEXT NOT NULL,
            message TEXT NOT NULL,
            reasons TEXT NOT NULL,            -- JSON list of strings
            timestamp_ms INTEGER NOT NULL,
            cleared INTEGER NOT NULL,
            subject TEXT NOT NULL,
            value REAL,
            threshold REAL,
            requires_ack INTEGER NOT NULL,
            startup INTEGER NOT NULL,
            acknowledged_ms INTEGER,
            snoozed_until_ms INTEGER
        );
        CREATE INDEX alerts_time ON alerts (timestamp_ms);
        CREATE INDEX alerts_key ON alerts (key, timestamp_ms);
        CREATE TABLE points (
            subject TEXT NOT NULL,
            series TEXT NOT NULL,
            timestamp_ms INTEGER NOT NULL,
            value REAL
        );
        CREATE INDEX points_lookup ON points (subject, series, timestamp_ms);
        CREATE INDEX points_time ON points (timestamp_ms);
    """,
    2: """
        ALTER TABLE alerts ADD COLUMN label TEXT NOT NULL DEFAULT '';
        ALTER TABLE alerts ADD COLUMN detail TEXT NOT NULL DEFAULT ''
    """,
}


ALERT_COLUMNS: tuple[str, ...] = (
    "id", "key", "kind", "level", "tier", "tier_count", "title", "message", "reasons", "timestamp_ms",
    "cleared", "subject", "value", "threshold", "requires_ack", "startup", "acknowledged_ms",
    "snoozed_until_ms", "label", "detail",
)  # fmt: skip
"""The alert columns read back, in the order :meth:`HistoryStore._stored` unpacks them."""
POINT_COLUMNS: tuple[str, ...] = ("subject", "series", "timestamp_ms", "value")
_LEVELS = frozenset({"info", "warning", "critical"})


class StoreError(RuntimeError):
    """The history database cannot be used (message says why and which file)."""


def default_db_path() -> Path:
    return data_dir() / DB_FILE


@dataclass(frozen=True, slots=True)
class Retention:
    """How much history is kept: ages in milliseconds, caps in rows (oldest deleted first)."""

    alerts_max_age_ms: int = 90 * 86_400_000
    alerts_max_rows: int = 100_000
    points_max_age_ms: int = 7 * 86_400_000
    points_max_rows: int = 5_000_000
    prune_every: int = 5_000  # writes (rows) between automatic prunes

    def __post_init__(self) -> None:
        for name in (
            "alerts_max_age_ms",
            "alerts_max_rows",
            "points_max_age_ms",
            "points_max_rows",
            "prune_every",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"Retention.{name} must be a whole number > 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert as stored: the event plus its row id and what the user did with it (epoch ms)."""

    id: int
    event: AlertEvent
    acknowledged_ms: int | None = None
    snoozed_until_ms: int | None = None


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _real(value: float | None) -> float | None:
    """SQLite REAL for a metric: None and NaN become NULL; infinities are kept (SQLite stores them)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


class HistoryStore:
    """Alerts and time series in one SQLite file. Safe to use from several threads."""

    def __init__(self, path: Path | str | None = None, retention: Retention | None = None) -> None:
        """Open (creating or migrating) the database at ``path`` (default :func:`default_db_path`).

        Raises :class:`StoreError` when the file is not a usable database or comes from a newer version.
        """
        self.path = Path(path) if path is not None else default_db_path()
        self.retention = retention if retention is not None else Retention()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._writes = 0
        self._closed = False
        self.skipped_rows = 0
        """Alert rows that could not be read back (damaged rows are skipped, not fatal)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate(self._conn())
        except StoreError:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"history database {self.path} is not usable: {exc}") from exc
        except OSError as exc:
            self.close()
            raise StoreError(f"cannot create the history folder {self.path.parent}: {exc}") from exc
        self.prune()

    @classmethod
    def open(
        cls, path: Path | str | None = None, retention: Retention | None = None
    ) -> tuple[HistoryStore, str | None]:
        """Open like the constructor, but recover from a corrupt file: it is moved aside
        (``history.sqlite3.corrupt-<epoch ms>``) and a fresh database is started. Returns the store and a
        message for the user when that happened. A database from a newer version is still refused."""
        try:
            return cls(path, retention), None
        except StoreError as exc:
            target = Path(path) if path is not None else default_db_path()
            if "newer" in str(exc) or not target.exists():
                raise
            aside = target.with_name(f"{target.name}.corrupt-{_now_ms()}")
            os.replace(target, aside)
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            message = (
                f"The history database could not be read ({exc}); it was kept as {aside} and a new one "
                "started."
            )
            log.warning("%s", message)
            return cls(path, retention), message

    # -- connections ----------------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"history database {self.path} is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # check_same_thread=False only so close() may close it from another thread; each connection is
            # otherwise used by the thread that opened it.
            conn = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection; the store cannot be used afterwards."""
        self._closed = True
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            try:
                conn.close()
            except sqlite3.Error as exc:  # pragma: no cover - closing a broken handle
                log.warning("closing history connection: %s", exc)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < 0:
            raise StoreError(f"history database {self.path} has a negative schema version ({version})")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"history database {self.path} was written by a newer LiqGuard (schema {version}, this one "
                f"reads {SCHEMA_VERSION})"
            )
        while version < SCHEMA_VERSION:
            version += 1
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        self._verify(conn)

    def _verify(self, conn: sqlite3.Connection) -> None:
        """Raise :class:`StoreError` when the tables do not have the columns this version reads (a file
        whose version number does not match its tables): :meth:`open` then recovers."""
        for table, expected in (("alerts", ALERT_COLUMNS), ("points", POINT_COLUMNS)):
            found = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            missing = [c for c in expected if c not in found]
            if missing:
                what = "is missing" if not found else f"lacks the columns {', '.join(missing)} in"
                raise StoreError(
                    f"history database {self.path} (schema {SCHEMA_VERSION}) {what} the table {table}"
                )

    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def _write(self, sql: str, rows: Iterable[tuple[object, ...]]) -> int:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.executemany(sql, rows)
            count = cursor.rowcount
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._count_writes(max(count, 0))
        return count

    def _count_writes(self, count: int) -> None:
        with self._lock:
            self._writes += count
            due = self._writes >= self.retention.prune_every
            if due:
                self._writes = 0
        if due:
            self.prune()

    # -- alerts ---------------------------------------------------------------------------------------

    def record_alert(self, event: AlertEvent) -> int:
        """Store one alert event; returns its row id."""
        conn = self._conn()
        cursor = conn.execute(
            "INSERT INTO alerts (key, kind, level, tier, tier_count, title, message, reasons, "
            "timestamp_ms, cleared, subject, value, threshold, requires_ack, startup, label, detail) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                event.key,
                event.kind,
                event.level,
                event.tier,
                event.tier_count,
                event.title,
                event.message,
                json.dumps(list(event.reasons), ensure_ascii=False),
                event.timestamp_ms,
                int(event.cleared),
                event.subject,
                _real(event.value),
                _real(event.threshold),
                int(event.requires_ack),
                int(event.startup),
                event.label,
                event.detail,
            ),
        )
        self._count_writes(1)
        return int(cursor.lastrowid or 0)

    def acknowledge(self, key: str, at_ms: int) -> int:
        """Mark every unacknowledged alert of ``key`` that needs acknowledgement as acknowledged at
        ``at_ms``; returns how many rows changed."""
        cursor = self._conn().execute(
            "UPDATE alerts SET acknowledged_ms = ? "
            "WHERE key = ? AND requires_ack = 1 AND acknowledged_ms IS NULL",
            (at_ms, key),
        )
        return cursor.rowcount

    def mark_snoozed(self, key: str, until_ms: int) -> int:
        """Record that alert ``key`` is snoozed until ``until_ms`` (on its latest row)."""
        cursor = self._conn().execute(
            "UPDATE alerts SET snoozed_until_ms = ? WHERE id = (SELECT MAX(id) FROM alerts WHERE key = ?)",
            (until_ms, key),
        )
        return cursor.rowcount

    def last_regimes(self) -> dict[str, str]:
        """The cascade regime each market subject was last told to be in (``{subject: regime}``, from
        the newest stored "regime" event of each, raise or clear), for judging the next start-up."""
        rows = (
            self._conn()
            .execute(
                "SELECT subject, detail FROM alerts WHERE id IN "
                "(SELECT MAX(id) FROM alerts WHERE kind = 'regime' GROUP BY key)"
            )
            .fetchall()
        )
        return {subject: detail for subject, detail in rows if detail}

    def recent_alerts(self, limit: int = 1000, since_ms: int | None = None) -> list[StoredAlert]:
        """The newest ``limit`` alerts (optionally since ``since_ms``), oldest first."""
        sql = f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts"
        args: list[object] = []
        if since_ms is not None:
            sql += " WHERE timestamp_ms >= ?"
            args.append(since_ms)
        sql += " ORDER BY timestamp_ms DESC, id DESC LIMIT ?"
        args.append(int(limit))
        rows = self._conn().execute(sql, args).fetchall()
        return self._readable(reversed(rows))

    def unacknowledged_alerts(self) -> list[StoredAlert]:
        """Alerts that needed acknowledgement and did not get it (oldest first), e.g. across a restart."""
        rows = (
            self._conn()
            .execute(
                f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts "
                "WHERE requires_ack = 1 AND acknowledged_ms IS NULL ORDER BY timestamp_ms, id"
            )
            .fetchall()
        )
        return self._readable(rows)

    def _readable(self, rows: Iterable[tuple]) -> list[StoredAlert]:
        """The rows that read back as alerts; a damaged row (unknown level, reasons that are not a JSON
        list of strings, a wrong type) is skipped and counted in :attr:`skipped_rows`, never fatal."""
        out: list[StoredAlert] = []
        for row in rows:
            try:
                out.append(self._stored(row))
            except (ValueError, TypeError, KeyError) as exc:
                self.skipped_rows += 1
                log.warning("history: skipped unreadable alert row %r: %s", row[0], exc)
        return out

    def alert_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM alerts").fetchone()[0])

    @staticmethod
    def _stored(row: tuple) -> StoredAlert:
        (id_, key, kind, level, tier, tier_count, title, message, reasons, ts, cleared, subject, value,
         threshold, requires_ack, startup, acknowledged_ms, snoozed_until_ms,
         label, detail) = row  # fmt: skip
        if level not in _LEVELS:
            raise ValueError(f"unknown level {level!r}")
        reasons = json.loads(reasons)
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            raise ValueError("reasons is not a JSON list of strings")
        for name, text in (("key", key), ("kind", kind), ("title", title), ("message", message)):
            if not isinstance(text, str):
                raise TypeError(f"{name} is not text")
        event = AlertEvent(
            key=key,
            kind=kind,
            level=level,
            tier=tier,
            title=title,
            message=message,
            reasons=tuple(reasons),
            timestamp_ms=ts,
            cleared=bool(cleared),
            subject=subject,
            value=value,
            threshold=threshold,
            tier_count=tier_count,
            requires_ack=bool(requires_ack),
            startup=bool(startup),
            label=label,
            detail=detail,
        )
        return StoredAlert(id_, event, acknowledged_ms, snoozed_until_ms)

    # -- time series ----------------------------------------------------------------------------------

    def record_points(self, timestamp_ms: int, subject: str, values: Mapping[str, float | None]) -> int:
        """Store one value per series for ``subject`` at ``timestamp_ms``; returns rows written."""
        return self.record_many((timestamp_ms, subject, name, value) for name, value in values.items())

    def record_many(self, rows: Iterable[tuple[int, str, str, float | None]]) -> int:
        """Store ``(timestamp_ms, subject, series, value)`` rows in one transaction."""
        prepared = [(subject, series, int(ts), _real(value)) for ts, subject, series, value in rows]
        if not prepared:
            return 0
        return self._write(
            "INSERT INTO points (subject, series, timestamp_ms, value) VALUES (?,?,?,?)", prepared
        )

    def record_account_risk(self, timestamp_ms: int, account_key: str, risk: AccountRisk) -> int:
        """Snapshot of an account's metrics: one series per name in :data:`ACCOUNT_SERIES`."""
        return self.record_points(timestamp_ms, account_key, {n: getattr(risk, n) for n in ACCOUNT_SERIES})

    def record_position_risk(self, timestamp_ms: int, position_key: str, risk: PositionRisk) -> int:
        """Snapshot of a position's metrics: one series per name in :data:`POSITION_SERIES`."""
        return self.record_points(timestamp_ms, position_key, {n: getattr(risk, n) for n in POSITION_SERIES})

    def series(
        self, subject: str, series: str, since_ms: int | None = None, until_ms: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(timestamps_ms int64, values float64)`` of one series in time order; NULL values are NaN."""
        sql = "SELECT timestamp_ms, value FROM points WHERE subject = ? AND series = ?"
        args: list[object] = [subject, series]
        if since_ms is not None:
            sql += " AND timestamp_ms >= ?"
            args.append(since_ms)
        if until_ms is not None:
            sql += " AND timestamp_ms <= ?"
            args.append(until_ms)
        rows = self._conn().execute(sql + " ORDER BY timestamp_ms", args).fetchall()
        times = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        values = np.fromiter(
            (np.nan if r[1] is None else r[1] for r in rows), dtype=np.float64, count=len(rows)
        )
        return times, values

    def subjects(self, series: str | None = None) -> list[str]:
        """Subjects with stored points (optionally only those having ``series``)."""
        if series is None:
            rows = self._conn().execute("SELECT DISTINCT subject FROM points ORDER BY subject").fetchall()
        else:
            rows = (
                self._conn()
                .execute("SELECT DISTINCT subject FROM points WHERE series = ? ORDER BY subject", (series,))
                .fetchall()
            )
        return [r[0] for r in rows]

    def point_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM points").fetchone()[0])

    # -- retention ------------------------------------------------------------------------------------

    def prune(self, now_ms: int | None = None) -> tuple[int, int]:
        """Apply :attr:`retention`; returns ``(alerts deleted, points deleted)``."""
        now = _now_ms() if now_ms is None else now_ms
        r = self.retention
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            alerts = conn.execute(
                "DELETE FROM alerts WHERE timestamp_ms < ?", (now - r.alerts_max_age_ms,)
            ).rowcount
            alerts += conn.execute(
                "DELETE FROM alerts WHERE id NOT IN "
                "(SELECT id FROM alerts ORDER BY timestamp_ms DESC, id DESC LIMIT ?)",
                (r.alerts_max_rows,),
            ).rowcount
            points = conn.execute(
                "DELETE FROM points WHERE timestamp_ms < ?", (now - r.points_max_age_ms,)
            ).rowcount
            excess = conn.execute("SELECT COUNT(*) FROM points").fetchone()[0] - r.points_max_rows
            if excess > 0:
                points += conn.execute(
                    "DELETE FROM points WHERE rowid IN "
                    "(SELECT rowid FROM points ORDER BY timestamp_ms LIMIT ?)",
                    (excess,),
                ).rowcount
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return alerts, points
