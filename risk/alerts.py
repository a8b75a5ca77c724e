"""Alert rules: which observations become alerts, and when an alert clears (pure, no clock).

Every call takes the current time ``now_ms`` (epoch milliseconds) as an argument; nothing here reads a
clock, does I/O or imports Qt. The caller (the engine thread) feeds observations and hands the returned
:class:`AlertEvent` objects to the notifier and the store.

Usage::

    engine = AlertEngine(AlertRules())
    events = engine.observe_position(PositionObservation("bn:BTC/USDT:USDT:long", distance=0.08), now_ms)
    feed = FeedObservation("bn:positions", last_update_ms=t, expected_interval_ms=5000)
    events += engine.observe_feed(feed, now_ms)
    events += engine.tick(now_ms)          # from a timer: stale feeds, snooze expiry
    engine.snooze(events[0].key, now_ms)   # user pressed "snooze"
    engine.acknowledge(events[0].key)      # user acknowledged a critical alert

Rules
-----
Tiers
    Each metric has ordered thresholds ("tiers"). Distance to liquidation (fraction of mark, smaller is
    worse): 20 % / 10 % / 5 %. Margin ratio (maintenance / margin balance, >= 1 liquidates, larger is
    worse): 70 % / 80 % / 90 %. Cascade score (0-100, larger is worse): 50 / 70 / 85. The account's break
    move (uniform move of every mark that liquidates the cross account) uses the distance tiers on its
    magnitude. With ``n`` tiers, tier ``n`` is "critical", tier ``n-1`` "warning", lower tiers "info".
Escalation and "one alert per tier"
    An alert is raised when a metric reaches a tier above the one in force; a jump over several tiers
    raises one alert for the highest tier reached. While a tier is in force it is not raised again.
Hysteresis
    A tier stays in force until the value is better than its threshold by more than the hysteresis width
    (distance: 1 percentage point; margin ratio: 2 points; cascade score: 5 points). Then the alert clears
    (an ``AlertEvent`` with ``cleared=True``, level "info", ``tier`` = the tier now in force) and the tier
    may be raised again on the next crossing. A value hovering at a threshold therefore raises at most one
    alert per excursion beyond the band.
Start-up
    The first observation of a position, account or feed metric that is already in danger raises its alert
    (``startup=True``): the program cannot know how long it was not watching. Market alerts (cascade score
    and regime) are news only when the market changed: at start-up a market in the state the last session
    left it in (:meth:`AlertEngine.remember_regimes`) or in a milder one raises nothing; without a last
    session only a "critical" market state is raised. Either way the state becomes the one in force, so
    the next transition is judged against it.
Snooze
    ``snooze(key, now_ms)`` silences one alert key (raises and clears) for ``rules.snooze_ms``. A tier above
    the one in force when snoozing breaks through (and ends the snooze): snoozing a 20 % warning must not
    hide the 5 % critical. When a snooze ends, an alert that is still in force is raised once more
    (``reasons`` says the snooze ended), and one that cleared meanwhile emits its clear event.
Feeds
    A connected feed whose last update is older than ``expected_interval_ms * rules.stale_multiple +
    rules.stale_jitter_ms`` is stale ("warning"): the jitter allowance absorbs scheduling and delivery
    delays (a 0.25 s feed seen 0.76 s late is not stale); it clears when an update is again within one
    expected interval (the hysteresis of time). A feed that is not connected raises a "critical"
    disconnected alert (its stale alert is not evaluated meanwhile). A feed that never delivered ages
    from the first time it was observed.
Market regime
    The cascade regime ("exhausting" info, "loaded" warning, "firing" critical; "calm" clears) raises an
    alert on each transition to a more severe regime; the cascade indicators apply their own hysteresis.
Acknowledgement
    Every raised "critical" alert has ``requires_ack=True`` and stays in :meth:`AlertEngine.unacknowledged`
    (even after it clears) until :meth:`AlertEngine.acknowledge` is called for its key.

Alert keys are ``f"{kind}:{subject}"`` where ``subject`` is the caller's key of the position, account,
feed or market. Observations with NaN or wrong types raise ``ValueError`` naming the field and the value.
The engine is not thread-safe: use it from one thread (the engine thread).
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Level = Literal["info", "warning", "critical"]
LEVELS: tuple[Level, ...] = ("info", "warning", "critical")
"""Alert levels, least severe first."""

KINDS: tuple[str, ...] = (
    "distance",
    "position_margin_ratio",
    "account_margin_ratio",
    "break_move",
    "cascade_score",
    "regime",
    "stale",
    "disconnected",
    "liquidated",
    "position_closed",
)
"""Every alert kind :class:`AlertEngine` emits (the last two come from :mod:`risk.position_events`)."""

MARKET_KINDS: tuple[str, ...] = ("cascade_score", "regime")
"""Kinds about the market rather than the trader's own book (start-up rule differs)."""

STARTUP_REASON = "already in this state when monitoring started"
CHANGED_SINCE_LAST_SESSION_REASON = "changed since the last session"
SNOOZE_ENDED_REASON = "snooze ended and the alert is still in force"


def level_rank(level: str) -> int:
    """0 for "info", 1 for "warning", 2 for "critical"; ValueError otherwise."""
    try:
        return LEVELS.index(level)  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}") from None


FLAG_KINDS: tuple[str, ...] = ("venue_gap", "adl")
"""Position warnings judged by :meth:`AlertEngine.observe_position_flags` (risk.position_flags)."""


def _describe_flag(
    subject: str, title: str, message: str, tier: int, cleared: bool, old: int, value: float | None
) -> tuple[str, str]:
    if cleared:
        return f"{subject}: resolved", "The warning no longer applies."
    return f"{subject}: {title}", message


def alert_key(kind: str, subject: str) -> str:
    """The key of the alert of ``kind`` about ``subject`` (what snooze and acknowledge take)."""
    return f"{kind}:{subject}"


def tier_levels(count: int) -> tuple[Level, ...]:
    """Level of each of ``count`` tiers: last "critical", the one before "warning", the rest "info"."""
    levels: list[Level] = ["info"] * count
    if count >= 1:
        levels[-1] = "critical"
    if count >= 2:
        levels[-2] = "warning"
    return tuple(levels)


# ---------------------------------------------------------------------------------------------------
# Validation helpers


def _number(name: str, value: object) -> float:
    if type(value) is float and value == value:  # hot path: a plain, non-NaN float
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if math.isnan(number):
        raise ValueError(f"{name} must not be NaN, got {value!r}")
    return number


def _finite_positive(name: str, value: object) -> float:
    number = _number(name, value)
    if not math.isfinite(number) or number <= 0.0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return number


def _optional_number(name: str, value: object) -> float | None:
    return None if value is None else _number(name, value)


def _text(name: str, value: object, *, allow_empty: bool = False) -> str:
    if type(value) is str and (allow_empty or value):  # hot path
        return value
    if not isinstance(value, str) or (not allow_empty and not value):
        raise ValueError(f"{name} must be a {'' if allow_empty else 'non-empty '}string, got {value!r}")
    return value


def _millis(name: str, value: object) -> int:
    if type(value) is int:  # hot path
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer number of milliseconds, got {value!r}")
    return int(value)


def _tiers(
    name: str, values: Sequence[float], *, ascending: bool, low: float, high: float
) -> tuple[float, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValueError(f"{name} must be a sequence of numbers, got {values!r}")
    numbers = tuple(_number(f"{name}[{i}]", v) for i, v in enumerate(values))
    for i, number in enumerate(numbers):
        if not low < number <= high:
            raise ValueError(f"{name}[{i}] must be in ({low:g}, {high:g}], got {number!r}")
    for i in range(1, len(numbers)):
        ordered = numbers[i] > numbers[i - 1] if ascending else numbers[i] < numbers[i - 1]
        if not ordered:
            order = "increasing" if ascending else "decreasing"
            raise ValueError(f"{name} must be strictly {order} (worst last), got {numbers!r}")
    return numbers


def _smallest_gap(values: tuple[float, ...]) -> float:
    return min((abs(b - a) for a, b in itertools.pairwise(values)), default=math.inf)


# ---------------------------------------------------------------------------------------------------
# Configuration and observations


@dataclass(frozen=True, slots=True)
class AlertRules:
    """Thresholds and timings of the alert rules (immutable; build a new one to change settings).

    Attributes
    ----------
    distance_tiers
        Distance to liquidation as a fraction of mark, strictly decreasing (worst last).
    margin_ratio_tiers
        Margin ratio (maintenance / margin balance; >= 1 liquidates), strictly increasing.
    cascade_score_tiers
        Composite cascade score 0-100, strictly increasing.
    distance_hysteresis, margin_ratio_hysteresis, cascade_score_hysteresis
        Width of the band beyond a threshold the value must pass before its tier clears, in the metric's
        own units; each must be >= 0 and smaller than the smallest gap between adjacent tiers.
    snooze_ms
        Default snooze length, milliseconds.
    stale_multiple
        A feed is stale when its last update is older than ``expected_interval_ms * stale_multiple``
        plus ``stale_jitter_ms``.
    stale_jitter_ms
        Allowance for jitter, milliseconds (>= 0). Snapshots reach the alert rules at most 10 times a
        second and are held back up to 2 s while the window is busy (``desktop.engine.engine``), so a
        feed's age as seen here can be that much larger than at the venue.
    regime_levels
        Cascade regimes that raise an alert and their levels, least severe first; other regimes clear.

    An empty tier tuple switches that rule off.
    """

    distance_tiers: tuple[float, ...] = (0.20, 0.10, 0.05)
    margin_ratio_tiers: tuple[float, ...] = (0.70, 0.80, 0.90)
    cascade_score_tiers: tuple[float, ...] = (50.0, 70.0, 85.0)
    distance_hysteresis: float = 0.01
    margin_ratio_hysteresis: float = 0.02
    cascade_score_hysteresis: float = 5.0
    snooze_ms: int = 15 * 60_000
    stale_multiple: float = 3.0
    stale_jitter_ms: int = 2_000
    regime_levels: tuple[tuple[str, Level], ...] = (
        ("exhausting", "info"),
        ("loaded", "warning"),
        ("firing", "critical"),
    )

    def __post_init__(self) -> None:
        setter = object.__setattr__  # frozen: normalise lists to tuples once
        setter(
            self,
            "distance_tiers",
            _tiers("distance_tiers", self.distance_tiers, ascending=False, low=0.0, high=10.0),
        )
        setter(
            self,
            "margin_ratio_tiers",
            _tiers("margin_ratio_tiers", self.margin_ratio_tiers, ascending=True, low=0.0, high=10.0),
        )
        setter(
            self,
            "cascade_score_tiers",
            _tiers("cascade_score_tiers", self.cascade_score_tiers, ascending=True, low=0.0, high=100.0),
        )
        for name, tiers in (
            ("distance_hysteresis", self.distance_tiers),
            ("margin_ratio_hysteresis", self.margin_ratio_tiers),
            ("cascade_score_hysteresis", self.cascade_score_tiers),
        ):
            width = _number(name, getattr(self, name))
            gap = _smallest_gap(tiers)
            if not 0.0 <= width < gap:
                raise ValueError(
                    f"{name} must be >= 0 and < the smallest gap between tiers ({gap:g}), got {width!r}"
                )
        if _millis("snooze_ms", self.snooze_ms) <= 0:
            raise ValueError(f"snooze_ms must be > 0, got {self.snooze_ms!r}")
        multiple = _number("stale_multiple", self.stale_multiple)
        if not 1.0 <= multiple < math.inf:
            raise ValueError(f"stale_multiple must be a finite number >= 1, got {self.stale_multiple!r}")
        if _millis("stale_jitter_ms", self.stale_jitter_ms) < 0:
            raise ValueError(f"stale_jitter_ms must be >= 0, got {self.stale_jitter_ms!r}")
        pairs = tuple(tuple(pair) for pair in self.regime_levels)
        for i, pair in enumerate(pairs):
            if len(pair) != 2 or not isinstance(pair[0], str) or pair[1] not in LEVELS:
                raise ValueError(
                    f"regime_levels[{i}] must be (regime, level) with level in {LEVELS}, got {pair!r}"
                )
        setter(self, "regime_levels", pairs)


@dataclass(frozen=True, slots=True)
class PositionObservation:
    """One position's risk now.

    ``key`` is the caller's stable id of the position (e.g. ``"binanceusdm:main:BTC/USDT:USDT:long"``).
    ``distance`` is the fraction of mark to the liquidation price (``PositionRisk.distance``; negative =
    past it), ``None`` when no liquidation price exists (nothing to warn about). ``margin_ratio`` is the
    isolated position's maintenance / margin balance (>= 1 liquidates; ``inf`` allowed); pass ``None`` for
    cross positions, whose ratio is the account's. ``label`` is shown in titles (defaults to ``key``).
    """

    key: str
    distance: float | None
    margin_ratio: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        _text("PositionObservation.key", self.key)
        _optional_number("PositionObservation.distance", self.distance)
        _optional_number("PositionObservation.margin_ratio", self.margin_ratio)
        _text("PositionObservation.label", self.label, allow_empty=True)


@dataclass(frozen=True, slots=True)
class AccountObservation:
    """One account's cross-margin risk now.

    ``margin_ratio``: maintenance / margin balance of the cross part (``AccountRisk.margin_ratio``; >= 1
    liquidates, ``inf`` allowed, ``None`` = no cross positions). ``break_move``: uniform relative move of
    every mark that liquidates the account (``AccountRisk.break_move``, e.g. -0.23), ``None`` if none.
    """

    key: str
    margin_ratio: float | None
    break_move: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        _text("AccountObservation.key", self.key)
        _optional_number("AccountObservation.margin_ratio", self.margin_ratio)
        _optional_number("AccountObservation.break_move", self.break_move)
        _text("AccountObservation.label", self.label, allow_empty=True)


@dataclass(frozen=True, slots=True)
class FeedObservation:
    """One data feed's health now.

    ``last_update_ms``: epoch ms of the last data received, ``None`` if nothing yet.
    ``expected_interval_ms``: how often data should arrive (> 0). ``connected``: the transport's state.
    ``error``: the last error text, if any (shown in the alert's reasons; must not contain secrets).
    """

    feed_id: str
    last_update_ms: int | None
    expected_interval_ms: int
    connected: bool = True
    error: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        _text("FeedObservation.feed_id", self.feed_id)
        if self.last_update_ms is not None:
            _millis("FeedObservation.last_update_ms", self.last_update_ms)
        if _millis("FeedObservation.expected_interval_ms", self.expected_interval_ms) <= 0:
            raise ValueError(
                f"FeedObservation.expected_interval_ms must be > 0, got {self.expected_interval_ms!r}"
            )
        if not isinstance(self.connected, bool):
            raise ValueError(f"FeedObservation.connected must be a bool, got {self.connected!r}")
        if self.error is not None:
            _text("FeedObservation.error", self.error, allow_empty=True)
        _text("FeedObservation.label", self.label, allow_empty=True)


@dataclass(frozen=True, slots=True)
class MarketObservation:
    """One market's cascade state now: composite ``score`` (0-100, ``None`` = not computed), ``regime``
    ("calm", "loaded", "firing", "exhausting"; ``None`` = unknown) and the ``reasons`` behind them."""

    key: str
    score: float | None
    regime: str | None = None
    reasons: tuple[str, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        _text("MarketObservation.key", self.key)
        _optional_number("MarketObservation.score", self.score)
        if self.regime is not None:
            _text("MarketObservation.regime", self.regime)
        if isinstance(self.reasons, str) or not all(isinstance(r, str) for r in self.reasons):
            raise ValueError(f"MarketObservation.reasons must be a sequence of strings, got {self.reasons!r}")
        object.__setattr__(self, "reasons", tuple(self.reasons))
        _text("MarketObservation.label", self.label, allow_empty=True)


Observation = PositionObservation | AccountObservation | FeedObservation | MarketObservation


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """Something the trader should be told: an alert raised, or (``cleared=True``) an alert easing.

    Attributes
    ----------
    key
        ``f"{kind}:{subject}"``: what :meth:`AlertEngine.snooze` and ``acknowledge`` take.
    kind
        One of :data:`KINDS`.
    level
        "info" | "warning" | "critical"; always "info" for a clear.
    tier
        Tier in force after this event (1..tier_count); 0 when fully cleared.
    title, message
        English text for display (the UI may re-format from the structured fields).
    reasons
        Why, in words, most important first.
    timestamp_ms
        The ``now_ms`` of the call that produced the event.
    cleared
        True when the alert eased (a lower tier or none is in force now).
    subject
        The observation's key (position, account, feed or market).
    value, threshold
        The metric's value and the threshold of ``tier`` (for a clear, of the tier that cleared), in the
        metric's units (fractions for distance and margin ratio, 0-100 for the score, seconds of age for a
        stale feed); ``None`` where not meaningful.
    tier_count
        Number of tiers of this rule.
    requires_ack
        True for a raised critical alert: it stays visible until acknowledged.
    startup
        True when raised by the first observation of the metric.
    label
        The observation's display label (``subject`` when it had none), for re-formatting the text.
    detail
        Kind-specific words: the regime name for "regime", the feed's error text for "disconnected".
    data_time_ms
        Epoch ms of the data the alert judged (the venue's or the demo scenario's clock), ``None`` when
        unknown; ``timestamp_ms`` is the wall-clock time it was judged.
    action
        What to do, in numbers, most useful first ("add 1,240 USDT margin or cut to 1.06 BTC ..."); empty
        when there is nothing to suggest.
    """

    key: str
    kind: str
    level: Level
    tier: int
    title: str
    message: str
    reasons: tuple[str, ...]
    timestamp_ms: int
    cleared: bool = False
    subject: str = ""
    value: float | None = None
    threshold: float | None = None
    tier_count: int = 1
    requires_ack: bool = False
    startup: bool = False
    label: str = ""
    detail: str = ""
    data_time_ms: int | None = None
    action: str = ""


# ---------------------------------------------------------------------------------------------------
# The engine


def _pct(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value * 100:.1f} %"


def _score(value: float) -> str:
    return f"{value:.0f}"


def _tier_for(value: float, thresholds: tuple[float, ...], width: float, current: int) -> int:
    """Tier in force for ``value`` on an ascending-is-worse scale, given the tier ``current`` in force."""
    raw = sum(1 for threshold in thresholds if value >= threshold)
    if raw >= current:
        return raw
    tier = current
    while tier > raw and value < thresholds[tier - 1] - width:
        tier -= 1
    return tier


@dataclass(frozen=True, slots=True)
class _Metric:
    """How one tiered metric is judged and described (built once per rules)."""

    kind: str
    name: str  # "Distance to liquidation"
    thresholds: tuple[float, ...]  # as the user sees them
    worse_when_lower: bool
    width: float
    fmt: Callable[[float], str]
    levels: tuple[Level, ...] = ()
    _sign: float = 1.0
    _scaled: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        sign = -1.0 if self.worse_when_lower else 1.0
        object.__setattr__(self, "levels", tier_levels(len(self.thresholds)))
        object.__setattr__(self, "_sign", sign)
        object.__setattr__(self, "_scaled", tuple(sign * t for t in self.thresholds))

    @property
    def relation(self) -> str:
        return "at or below" if self.worse_when_lower else "at or above"

    def tier(self, value: float, current: int) -> int:
        return _tier_for(self._sign * value, self._scaled, self.width, current)

    def explain(self, tier: int, value: float | None) -> tuple[str, ...]:
        if value is None or tier == 0:
            return ()
        threshold = self.fmt(self.thresholds[tier - 1])
        return (f"{self.name.lower()} {self.fmt(value)} {self.relation} {threshold}",)

    def describe(
        self, label: str, tier: int, cleared: bool, old: int, value: float | None
    ) -> tuple[str, str]:
        shown = "n/a" if value is None else self.fmt(value)
        count = len(self.thresholds)
        if not cleared:
            threshold = self.fmt(self.thresholds[tier - 1])
            return (
                f"{label}: {self.name.lower()} {shown}",
                f"{self.name} {shown} is {self.relation} the {threshold} tier ({tier} of {count}).",
            )
        left = self.fmt(self.thresholds[old - 1])
        now = "no tier in force" if tier == 0 else f"tier {tier} of {count} still in force"
        return (f"{label}: {self.name.lower()} back past {left}", f"{self.name} {shown}; {now}.")


@dataclass(slots=True)
class _KeyState:
    tier: int = 0
    shown_tier: int = 0  # the tier the trader was last told about
    raised_tier: int = 0  # the highest tier of the last raise, for the snooze ceiling
    last: AlertEvent | None = None
    seen: bool = False


@dataclass(slots=True)
class _Snooze:
    until_ms: int
    ceiling: int


@dataclass(slots=True)
class _FeedState:
    observation: FeedObservation
    first_seen_ms: int


@dataclass(slots=True)
class _Draft:
    """What an update says before the snooze gate: enough to build the event later."""

    kind: str
    subject: str
    tier: int
    tier_count: int
    levels: tuple[Level, ...]
    value: float | None
    thresholds: tuple[float, ...]
    # (tier, cleared, old_tier, value) -> (title, message)
    describe: Callable[[int, bool, int, float | None], tuple[str, str]]
    reasons: tuple[str, ...] = ()
    explain: Callable[[int, float | None], tuple[str, ...]] | None = None  # metric reasons, made on emit
    label: str = ""
    detail: str = ""


class AlertEngine:
    """Stateful alert rules. See the module docstring for the rules; single-threaded."""

    def __init__(self, rules: AlertRules | None = None) -> None:
        self._rules = rules if rules is not None else AlertRules()
        self._metrics = self._build_metrics(self._rules)
        self._states: dict[str, _KeyState] = {}
        self._drafts: dict[str, _Draft] = {}
        self._snoozes: dict[str, _Snooze] = {}
        self._unacked: dict[str, AlertEvent] = {}
        self._feeds: dict[str, _FeedState] = {}
        self._baseline: dict[str, int] = {}
        """Alert key -> tier the last session left a market in (see :meth:`remember_regimes`)."""
        self._handlers: dict[type, Callable[[object, int], list[AlertEvent]]] = {
            PositionObservation: self._position,  # type: ignore[dict-item]
            AccountObservation: self._account,  # type: ignore[dict-item]
            FeedObservation: self._feed,  # type: ignore[dict-item]
            MarketObservation: self._market,  # type: ignore[dict-item]
        }

    # -- configuration ------------------------------------------------------------------------------

    @property
    def rules(self) -> AlertRules:
        return self._rules

    def replace_rules(self, rules: AlertRules) -> None:
        """Use new thresholds. Tier state restarts (the next observations judge everything as at
        start-up); snoozes, unacknowledged alerts and feed history are kept."""
        if not isinstance(rules, AlertRules):
            raise ValueError(f"rules must be an AlertRules, got {rules!r}")
        self._rules = rules
        self._metrics = self._build_metrics(rules)
        self._states.clear()
        self._drafts.clear()

    def remember_regimes(self, regimes: Mapping[str, str]) -> None:
        """The regime each market subject was in when the last session ended (e.g. from the history
        store): the first observation of a subject in that regime, or a milder one, raises nothing."""
        names = [name for name, _ in self._rules.regime_levels]
        for subject, regime in regimes.items():
            tier = names.index(regime) + 1 if regime in names else 0
            self._baseline[alert_key("regime", _text("subject", subject))] = tier

    def raise_event(self, event: AlertEvent) -> AlertEvent:
        """Take an event built elsewhere (a liquidation, :mod:`risk.position_events`) into the engine's
        books: a critical one waits for acknowledgement like any other. Returns it unchanged."""
        if not isinstance(event, AlertEvent):
            raise ValueError(f"event must be an AlertEvent, got {event!r}")
        if event.requires_ack:
            self._unacked[event.key] = event
        return event

    # -- observations -------------------------------------------------------------------------------

    def observe(self, observations: Iterable[Observation], now_ms: int) -> list[AlertEvent]:
        """Feed several observations of any type; returns the events in order."""
        now_ms = _millis("now_ms", now_ms)
        events = self._expire_snoozes(now_ms)
        for observation in observations:
            handler = self._handlers.get(type(observation))
            if handler is None:
                raise ValueError(
                    f"observations must be Position/Account/Feed/MarketObservation, got {observation!r}"
                )
            events += handler(observation, now_ms)
        return events

    def observe_position(self, obs: PositionObservation, now_ms: int) -> list[AlertEvent]:
        """Distance-to-liquidation and (isolated) margin-ratio alerts for one position."""
        return self.observe((obs,), now_ms)

    def observe_account(self, obs: AccountObservation, now_ms: int) -> list[AlertEvent]:
        """Cross margin-ratio and break-move alerts for one account."""
        return self.observe((obs,), now_ms)

    def observe_market(self, obs: MarketObservation, now_ms: int) -> list[AlertEvent]:
        """Cascade-score tier and regime-transition alerts for one market."""
        return self.observe((obs,), now_ms)

    def observe_feed(self, obs: FeedObservation, now_ms: int) -> list[AlertEvent]:
        """Disconnected and stale-data alerts for one feed; the feed is re-checked by :meth:`tick`."""
        return self.observe((obs,), now_ms)

    def observe_positions(
        self,
        keys: Sequence[str],
        distances: np.ndarray | Sequence[float],
        now_ms: int,
        *,
        margin_ratios: np.ndarray | Sequence[float] | None = None,
        labels: Sequence[str] | None = None,
    ) -> list[AlertEvent]:
        """Batch form of :meth:`observe_position` for many positions: the same rules and events, with the
        unchanged majority judged by numpy.

        ``keys`` (N,) position keys; ``distances`` (N,) fractions of mark, NaN where no liquidation price
        exists (``None`` in the scalar form); ``margin_ratios`` (N,) isolated margin ratios, NaN where not
        judged (cross); ``labels`` (N,) display labels. Only positions whose tier may change (new ones,
        crossings, values leaving a hysteresis band, snoozed keys) go through the per-key path.
        """
        now_ms = _millis("now_ms", now_ms)
        count = len(keys)
        dist = np.asarray(distances, dtype=np.float64)
        ratios = (
            np.full(count, np.nan) if margin_ratios is None else np.asarray(margin_ratios, dtype=np.float64)
        )
        if dist.shape != (count,) or ratios.shape != (count,):
            raise ValueError(
                f"distances and margin_ratios must have shape ({count},) like keys, got {dist.shape} "
                f"and {ratios.shape}"
            )
        if labels is not None and len(labels) != count:
            raise ValueError(f"labels must have {count} entries like keys, got {len(labels)}")
        events = self._expire_snoozes(now_ms)
        for kind, values in (("distance", dist), ("position_margin_ratio", ratios)):
            metric = self._metrics[kind]
            if not metric.thresholds:
                continue
            for i in self._batch_candidates(metric, keys, values):
                key = keys[i]
                _text("keys[i]", key)
                value = None if math.isnan(values[i]) else float(values[i])
                label = (labels[i] if labels is not None else "") or key
                events += self._metric(metric, key, label, value, now_ms)
        return events

    def _batch_candidates(self, metric: _Metric, keys: Sequence[str], values: np.ndarray) -> np.ndarray:
        """Indices whose tier may change (or that are new, or snoozed); the rest need no work."""
        get = self._states.get
        prefix = metric.kind + ":"
        current = np.fromiter(
            ((-1 if (st := get(prefix + k)) is None else st.tier) for k in keys),
            dtype=np.int64,
            count=len(keys),
        )
        missing = np.isnan(values)
        scaled = np.where(missing, -np.inf, metric._sign * values)  # None judges as "no tier"
        raw = np.zeros(len(keys), dtype=np.int64)
        for threshold in metric._scaled:
            raw += scaled >= threshold
        tier = np.maximum(current, 0)
        eased = tier > raw
        for level in range(len(metric._scaled), 0, -1):
            step = (
                eased & (tier == level) & (tier > raw) & (scaled < metric._scaled[level - 1] - metric.width)
            )
            tier[step] = level - 1
        new = np.where(raw >= np.maximum(current, 0), raw, tier)
        candidate = (current < 0) & ~missing
        candidate |= (current >= 0) & (new != current)
        if self._snoozes:
            snoozed = {key[len(prefix) :] for key in self._snoozes if key.startswith(prefix)}
            candidate |= np.fromiter((k in snoozed for k in keys), dtype=bool, count=len(keys))
        return np.flatnonzero(candidate)

    def _position(self, obs: PositionObservation, now_ms: int) -> list[AlertEvent]:
        label = obs.label or obs.key
        events = self._metric(self._metrics["distance"], obs.key, label, obs.distance, now_ms)
        if obs.margin_ratio is not None or f"position_margin_ratio:{obs.key}" in self._states:
            metric = self._metrics["position_margin_ratio"]
            events += self._metric(metric, obs.key, label, obs.margin_ratio, now_ms)
        return events

    def _account(self, obs: AccountObservation, now_ms: int) -> list[AlertEvent]:
        label = obs.label or obs.key
        metric = self._metrics["account_margin_ratio"]
        events = self._metric(metric, obs.key, label, obs.margin_ratio, now_ms)
        move = None if obs.break_move is None else abs(obs.break_move)
        events += self._metric(self._metrics["break_move"], obs.key, label, move, now_ms)
        return events

    def _market(self, obs: MarketObservation, now_ms: int) -> list[AlertEvent]:
        label = obs.label or obs.key
        rules = self._rules
        events = self._metric(self._metrics["cascade_score"], obs.key, label, obs.score, now_ms, obs.reasons)
        if obs.regime is not None:
            regimes = [name for name, _ in rules.regime_levels]
            tier = regimes.index(obs.regime) + 1 if obs.regime in regimes else 0
            regime = obs.regime

            def describe(tier: int, cleared: bool, old: int, value: float | None) -> tuple[str, str]:
                if cleared and tier == 0:
                    return f"{label}: cascade regime back to {regime}", f"The market regime is now {regime}."
                verb = "eased to" if cleared else "is"
                return f"{label}: cascade regime {verb} {regime}", f"The market regime is now {regime}."

            draft = _Draft(
                "regime",
                obs.key,
                tier,
                len(regimes),
                tuple(lv for _, lv in rules.regime_levels),
                None,
                (),
                describe,
                obs.reasons,
                label=label,
                detail=regime,
            )
            events += self._apply(draft, now_ms)
        return events

    def _feed(self, obs: FeedObservation, now_ms: int) -> list[AlertEvent]:
        previous = self._feeds.get(obs.feed_id)
        first_seen = previous.first_seen_ms if previous is not None else now_ms
        self._feeds[obs.feed_id] = _FeedState(obs, first_seen)
        return self._judge_feed(obs.feed_id, now_ms)

    def tick(self, now_ms: int) -> list[AlertEvent]:
        """Re-check every known feed's age and end expired snoozes; call it from a timer (e.g. 1 s)."""
        now_ms = _millis("now_ms", now_ms)
        events = self._expire_snoozes(now_ms)
        for feed_id in list(self._feeds):
            events += self._judge_feed(feed_id, now_ms)
        return events

    def retire(self, subject: str, now_ms: int) -> list[AlertEvent]:
        """Forget a position, account, feed or market that went away; clears its alerts in force."""
        now_ms = _millis("now_ms", now_ms)
        events = self._expire_snoozes(now_ms)
        self._feeds.pop(subject, None)
        for key, draft in list(self._drafts.items()):
            if draft.subject != subject:
                continue
            gone = _Draft(
                draft.kind,
                subject,
                0,
                draft.tier_count,
                draft.levels,
                None,
                draft.thresholds,
                draft.describe,
                ("no longer monitored",),
                label=draft.label,
                detail=draft.detail,
            )
            events += self._apply(gone, now_ms)
            self._states.pop(key, None)
            self._drafts.pop(key, None)
            self._snoozes.pop(key, None)
        return events

    def observe_position_flags(
        self, items: Sequence[tuple[str, str, Sequence[tuple[str, str, str]]]], now_ms: int
    ) -> list[AlertEvent]:
        """Rule-based position warnings (:mod:`risk.position_flags`: venue gap, ADL). ``items`` are
        ``(position key, label, flags)`` with each flag ``(kind, title, message)``: a kind present raises
        its alert at "warning"; a kind raised before and absent now is cleared."""
        now_ms = _millis("now_ms", now_ms)
        events: list[AlertEvent] = []
        for key, label, flags in items:
            present = {kind: (title, message) for kind, title, message in flags}
            known = [k for k in FLAG_KINDS if alert_key(k, key) in self._states]
            for kind in sorted(set(present) | set(known)):
                title, message = present.get(kind, ("", ""))
                describe = functools.partial(_describe_flag, label or key, title, message)

                draft = _Draft(kind, key, 1 if kind in present else 0, 1, ("warning",), None, (), describe,
                               (message,) if message else (), label=label or key)  # fmt: skip
                events += self._apply(draft, now_ms)
        return events

    # -- user actions -------------------------------------------------------------------------------

    def snooze(self, key: str, now_ms: int, duration_ms: int | None = None, *, tier: int = 0) -> int:
        """Silence alert ``key`` until ``now_ms + duration_ms`` (default ``rules.snooze_ms``); returns the
        end time. Tiers above the one in force (or last raised, or ``tier`` — the tier of the alert the
        user snoozed, e.g. from an earlier session's log) break through."""
        _text("key", key)
        now_ms = _millis("now_ms", now_ms)
        duration = self._rules.snooze_ms if duration_ms is None else _millis("duration_ms", duration_ms)
        if duration <= 0:
            raise ValueError(f"duration_ms must be > 0, got {duration_ms!r}")
        state = self._states.get(key)
        ceiling = max(tier, 0 if state is None else max(state.tier, state.raised_tier))
        self._snoozes[key] = _Snooze(now_ms + duration, ceiling)
        return now_ms + duration

    def unsnooze(self, key: str, now_ms: int) -> list[AlertEvent]:
        """End a snooze early; returns what the trader missed (as when a snooze expires)."""
        snooze = self._snoozes.get(key)
        if snooze is None:
            return []
        snooze.until_ms = _millis("now_ms", now_ms)
        return self._expire_snoozes(now_ms)

    def is_snoozed(self, key: str, now_ms: int) -> bool:
        snooze = self._snoozes.get(key)
        return snooze is not None and now_ms < snooze.until_ms

    @property
    def snoozing(self) -> bool:
        """True while any key is snoozed (a snoozed key is judged even when its value did not move)."""
        return bool(self._snoozes)

    def snoozed_until(self, key: str) -> int | None:
        snooze = self._snoozes.get(key)
        return None if snooze is None else snooze.until_ms

    def acknowledge(self, key: str) -> bool:
        """Mark the critical alert ``key`` as seen; True if one was waiting."""
        return self._unacked.pop(key, None) is not None

    def unacknowledged(self) -> list[AlertEvent]:
        """Raised critical alerts not yet acknowledged, oldest first."""
        return sorted(self._unacked.values(), key=lambda e: e.timestamp_ms)

    def active(self) -> list[AlertEvent]:
        """The last event of every alert in force (tier > 0), most severe first."""
        found = [s.last for s in self._states.values() if s.shown_tier > 0 and s.last is not None]
        return sorted(found, key=lambda e: (-level_rank(e.level), e.timestamp_ms))

    def tier_of(self, key: str) -> int:
        """Tier in force for alert ``key`` (0 if none or unknown)."""
        state = self._states.get(key)
        return 0 if state is None else state.tier

    # -- internals ----------------------------------------------------------------------------------

    @staticmethod
    def _build_metrics(rules: AlertRules) -> dict[str, _Metric]:
        distance, margin = rules.distance_tiers, rules.margin_ratio_tiers
        return {
            "distance": _Metric(
                "distance", "Distance to liquidation", distance, True, rules.distance_hysteresis, _pct
            ),
            "break_move": _Metric(
                "break_move", "Break move", distance, True, rules.distance_hysteresis, _pct
            ),
            "position_margin_ratio": _Metric(
                "position_margin_ratio", "Margin ratio", margin, False, rules.margin_ratio_hysteresis, _pct
            ),
            "account_margin_ratio": _Metric(
                "account_margin_ratio", "Margin ratio", margin, False, rules.margin_ratio_hysteresis, _pct
            ),
            "cascade_score": _Metric(
                "cascade_score",
                "Cascade score",
                rules.cascade_score_tiers,
                False,
                rules.cascade_score_hysteresis,
                _score,
            ),
        }

    def _metric(
        self,
        metric: _Metric,
        subject: str,
        label: str,
        value: float | None,
        now_ms: int,
        reasons: tuple[str, ...] = (),
    ) -> list[AlertEvent]:
        if not metric.thresholds:
            return []
        key = f"{metric.kind}:{subject}"
        state = self._states.get(key)
        if state is None and value is None:
            return []  # nothing to judge and nothing to clear
        current = 0 if state is None else state.tier
        tier = 0 if value is None else metric.tier(value, current)
        if state is not None and tier == state.shown_tier:
            draft = self._drafts.get(key)
            if draft is not None:
                # Hot path (most observations): nothing to tell; keep the latest value for reminders.
                state.tier = draft.tier = tier
                draft.value = value
                draft.reasons = reasons
                return []
        draft = _Draft(
            metric.kind,
            subject,
            tier,
            len(metric.thresholds),
            metric.levels,
            value,
            metric.thresholds,
            functools.partial(metric.describe, label),
            reasons,
            metric.explain,
            label=label,
        )
        return self._apply(draft, now_ms)

    def _judge_feed(self, feed_id: str, now_ms: int) -> list[AlertEvent]:
        state = self._feeds[feed_id]
        obs = state.observation
        label = obs.label or feed_id
        error = (f"error: {obs.error}",) if obs.error else ()
        events: list[AlertEvent] = []

        def describe_disconnected(tier: int, cleared: bool, old: int, value: float | None) -> tuple[str, str]:
            if cleared:
                return f"{label}: reconnected", "The feed is connected again."
            return f"{label}: disconnected", obs.error or "The feed reports it is not connected."

        down = _Draft(
            "disconnected",
            feed_id,
            0 if obs.connected else 1,
            1,
            ("critical",),
            None,
            (),
            describe_disconnected,
            ("feed not connected", *error) if not obs.connected else (),
            label=label,
            detail=obs.error or "",
        )
        events += self._apply(down, now_ms)

        since = obs.last_update_ms if obs.last_update_ms is not None else state.first_seen_ms
        age_ms = max(0, now_ms - since)
        limit_ms = obs.expected_interval_ms * self._rules.stale_multiple + self._rules.stale_jitter_ms
        key = alert_key("stale", feed_id)
        if not obs.connected:
            stale_tier = self.tier_of(key)  # undecidable while down: keep as is
        elif age_ms > limit_ms:
            stale_tier = 1
        elif age_ms <= obs.expected_interval_ms:
            stale_tier = 0
        else:
            stale_tier = self.tier_of(key)  # between 1x and the multiple: hysteresis keeps the state
        age_s = age_ms / 1000.0
        expected_s = obs.expected_interval_ms / 1000.0

        def describe_stale(tier: int, cleared: bool, old: int, value: float | None) -> tuple[str, str]:
            if cleared:
                return f"{label}: data fresh again", f"Last update {age_s:.0f} s ago."
            never = " (nothing received yet)" if obs.last_update_ms is None else ""
            return (
                f"{label}: data is stale",
                f"No update for {age_s:.0f} s{never}; expected every {expected_s:g} s.",
            )

        why = (f"no update for {age_s:.0f} s, limit {limit_ms / 1000.0:g} s", *error) if stale_tier else ()
        stale = _Draft(
            "stale",
            feed_id,
            stale_tier,
            1,
            ("warning",),
            age_s,
            (limit_ms / 1000.0,),
            describe_stale,
            why,
            label=label,
            detail="never" if obs.last_update_ms is None else "",
        )
        events += self._apply(stale, now_ms)
        return events

    def _apply(self, draft: _Draft, now_ms: int) -> list[AlertEvent]:
        """Record the new tier of ``draft``'s key and return the event the trader should see, if any."""
        key = alert_key(draft.kind, draft.subject)
        state = self._states.setdefault(key, _KeyState())
        first = not state.seen
        state.seen = True
        state.tier = draft.tier
        self._drafts[key] = draft
        if draft.tier == state.shown_tier:
            return []
        snooze = self._snoozes.get(key)
        if snooze is not None:
            if draft.tier <= snooze.ceiling:
                return []  # silenced; _expire_snoozes reports what is in force when the snooze ends
            del self._snoozes[key]  # a worse tier breaks through
        startup = first and draft.tier > 0
        if startup and draft.kind in MARKET_KINDS:
            # The score and the regime are one market state: both are judged against the regime's level.
            baseline = self._baseline.get(alert_key("regime", draft.subject))
            quiet = (
                draft.tier <= baseline if baseline is not None else draft.levels[draft.tier - 1] != "critical"
            )
            if quiet:
                state.shown_tier = draft.tier  # in force, not news: the next transition is judged from here
                return []
            if baseline is not None:
                return [self._emit(state, draft, key, now_ms, extra=(CHANGED_SINCE_LAST_SESSION_REASON,))]
        return [self._emit(state, draft, key, now_ms, startup=startup)]

    def _emit(
        self,
        state: _KeyState,
        draft: _Draft,
        key: str,
        now_ms: int,
        *,
        startup: bool = False,
        extra: tuple[str, ...] = (),
    ) -> AlertEvent:
        old = state.shown_tier
        cleared = draft.tier < old
        title, message = draft.describe(draft.tier, cleared, old, draft.value)
        if cleared:
            level: Level = "info"
            threshold_tier = old
        else:
            level = draft.levels[draft.tier - 1]
            threshold_tier = draft.tier
        threshold = (
            draft.thresholds[threshold_tier - 1] if 0 < threshold_tier <= len(draft.thresholds) else None
        )
        explained = draft.explain(draft.tier, draft.value) if draft.explain is not None else ()
        reasons = explained + draft.reasons + extra + ((STARTUP_REASON,) if startup else ())
        event = AlertEvent(
            key=key,
            kind=draft.kind,
            level=level,
            tier=draft.tier,
            title=title,
            message=message,
            reasons=reasons,
            timestamp_ms=now_ms,
            cleared=cleared,
            subject=draft.subject,
            value=draft.value,
            threshold=threshold,
            tier_count=draft.tier_count,
            requires_ack=level == "critical" and not cleared,
            startup=startup,
            label=draft.label or draft.subject,
            detail=draft.detail,
        )
        state.shown_tier = draft.tier
        state.last = event
        if not cleared:
            state.raised_tier = draft.tier
        if event.requires_ack:
            self._unacked[key] = event
        return event

    def _expire_snoozes(self, now_ms: int) -> list[AlertEvent]:
        events: list[AlertEvent] = []
        for key, snooze in list(self._snoozes.items()):
            if now_ms < snooze.until_ms:
                continue
            del self._snoozes[key]
            state = self._states.get(key)
            draft = self._drafts.get(key)
            if state is None or draft is None:
                continue
            if state.tier > 0:
                state.shown_tier = min(state.shown_tier, state.tier - 1)  # re-raise the tier in force
                events.append(self._emit(state, draft, key, now_ms, extra=(SNOOZE_ENDED_REASON,)))
            elif state.shown_tier > 0:
                events.append(self._emit(state, draft, key, now_ms))
        return events


__all__ = [
    "CHANGED_SINCE_LAST_SESSION_REASON",
    "KINDS",
    "LEVELS",
    "MARKET_KINDS",
    "AccountObservation",
    "AlertEngine",
    "AlertEvent",
    "AlertRules",
    "FeedObservation",
    "MarketObservation",
    "Observation",
    "PositionObservation",
    "alert_key",
    "level_rank",
    "tier_levels",
]
