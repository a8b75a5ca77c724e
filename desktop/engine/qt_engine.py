"""The window's front end on the engine core: snapshots reach the GUI thread through a queued Qt signal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from desktop.engine.core import MonitorEngine


class _SnapshotSignal(QObject):
    snapshot_ready = Signal(object)


class Engine(MonitorEngine):
    """:class:`MonitorEngine` whose snapshots are also emitted as ``snapshot_ready``.

    Create it on the GUI thread (the signal's QObject lives there, so a slot connected to it runs on
    the GUI thread, queued from the loop thread), then :meth:`start`.
    """

    def __init__(self, *args: Any, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signal = _SnapshotSignal(parent)
        self.add_listener(self._signal.snapshot_ready.emit)

    @property
    def snapshot_ready(self) -> SignalInstance:
        """An :class:`~desktop.engine.snapshots.EngineSnapshot`; emitted from the loop thread,
        delivered queued to slots on the GUI thread."""
        return self._signal.snapshot_ready
