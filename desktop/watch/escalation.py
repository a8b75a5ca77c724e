"""Escalation: a critical alert not acknowledged in the window within N minutes goes to push channels.

:class:`Escalator` is plain bookkeeping (no Qt, no I/O): :meth:`add` the events the window raised,
:meth:`acknowledge` when the trader acknowledges, :meth:`due` returns each critical whose time ran out,
once. An alert that eased before its deadline is still escalated (nobody saw it; the message says it
eased). Times are epoch seconds from ``clock``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from risk.alerts import AlertEvent


@dataclass(frozen=True, slots=True)
class Pending:
    event: AlertEvent
    deadline: float
    eased: bool = False


class Escalator:
    """See the module docstring; ``delay_seconds`` >= 0 (0: escalate at the next :meth:`due`)."""

    def __init__(self, delay_seconds: float, clock: Callable[[], float] = time.time) -> None:
        if not delay_seconds >= 0:
            raise ValueError(f"escalation delay must be >= 0 s, got {delay_seconds!r}")
        self.delay = float(delay_seconds)
        self._clock = clock
        self._pending: dict[str, Pending] = {}

    def set_delay(self, delay_seconds: float) -> None:
        """Use a new delay for alerts raised from now on (pending deadlines stay)."""
        if not delay_seconds >= 0:
            raise ValueError(f"escalation delay must be >= 0 s, got {delay_seconds!r}")
        self.delay = float(delay_seconds)

    def add(self, events: Iterable[AlertEvent]) -> None:
        now = self._clock()
        for event in events:
            pending = self._pending.get(event.key)
            if event.level == "critical" and event.requires_ack and not event.cleared:
                if pending is None:
                    self._pending[event.key] = Pending(event, now + self.delay)
                else:  # raised again before its deadline: newest numbers, first deadline
                    self._pending[event.key] = Pending(event, pending.deadline)
            elif pending is not None and event.cleared:
                self._pending[event.key] = replace(pending, eased=True)

    def acknowledge(self, key: str) -> bool:
        """The trader saw it: no escalation. True if one was pending."""
        return self._pending.pop(key, None) is not None

    def due(self) -> list[Pending]:
        """The pending alerts whose deadline has passed (each returned once), oldest first."""
        now = self._clock()
        ready = sorted((p for p in self._pending.values() if p.deadline <= now), key=lambda p: p.deadline)
        for item in ready:
            del self._pending[item.event.key]
        return ready

    @property
    def pending(self) -> list[str]:
        return sorted(self._pending)
