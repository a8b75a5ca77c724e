"""Persistence and hysteresis per component: a component is *active* once its 0..1 value has stayed at
or above ``component_on`` for its on-minutes, and stops being active once it has stayed below
``component_off`` for its off-minutes. Time is counted in minutes of the bars' clock, not in bars, so
1-second, 1-minute and 5-minute rows give the same switching times within one bar; a funding step at
settlement is one value among the minutes it is held, so it cannot toggle a regime on its own.
A missing component counts as below (it cannot keep supporting a warning it cannot see)."""

from __future__ import annotations

from risk.cascade.config import COMPONENTS, CascadeConfig


class ComponentLatches:
    """Active set of components, updated once per minute bar."""

    def __init__(self, config: CascadeConfig) -> None:
        self._on_level = config.component_on
        self._off_level = config.component_off
        self._on_minutes = dict(config.component_on_minutes)
        self._off_minutes = dict(config.component_off_minutes)
        self.active: set[str] = set()
        self._above_since: dict[str, int] = {}
        self._below_since: dict[str, int] = {}
        self._ge_off_since: dict[str, int] = {}

    def update(self, minute: int, values: dict[str, float], span: int = 1) -> set[str]:
        """Fold one bar's component values (absent = missing) in; returns the active set. ``span``:
        the minutes the bar stands for (5 for a row every 5 minutes), so a condition seen on one
        5-minute row counts as held for those 5 minutes, as it would on five 1-minute rows."""
        start = minute - span + 1
        for name in COMPONENTS:
            v = values.get(name)
            if v is not None and v >= self._on_level:
                self._above_since.setdefault(name, start)
            else:
                self._above_since.pop(name, None)
            if v is None or v < self._off_level:
                self._ge_off_since.pop(name, None)
                self._below_since.setdefault(name, start)
            else:
                # Back above the off level: it stops the off clock only once held as long as it
                # takes to turn on (a one-minute wick is no more evidence on the way out than in).
                self._ge_off_since.setdefault(name, start)
                if minute - self._ge_off_since[name] + 1 >= self._on_minutes[name]:
                    self._below_since.pop(name, None)
            if name in self.active:
                since = self._below_since.get(name)
                if since is not None and minute - since + 1 >= self._off_minutes[name]:
                    self.active.discard(name)
            else:
                since = self._above_since.get(name)
                if since is not None and minute - since + 1 >= self._on_minutes[name]:
                    self.active.add(name)
        return self.active
