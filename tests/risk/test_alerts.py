"""Alert rules (risk/alerts.py): tiers, hysteresis, one alert per tier, snooze, start-up, feeds, ack."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risk.alerts import (
    CHANGED_SINCE_LAST_SESSION_REASON,
    SNOOZE_ENDED_REASON,
    STARTUP_REASON,
    AccountObservation,
    AlertEngine,
    AlertEvent,
    AlertRules,
    FeedObservation,
    MarketObservation,
    PositionObservation,
    alert_key,
    level_rank,
    tier_levels,
)

T0 = 1_764_000_000_000  # an arbitrary epoch-ms start time
POS = "binanceusdm:main:BTC/USDT:USDT:long"
DIST = alert_key("distance", POS)


def pos(distance: float | None, margin_ratio: float | None = None) -> PositionObservation:
    return PositionObservation(POS, distance=distance, margin_ratio=margin_ratio, label="BTC long")


def raised(events: list[AlertEvent]) -> list[AlertEvent]:
    return [e for e in events if not e.cleared]


# -- rules validation --------------------------------------------------------------------------------


def test_default_rules_match_the_issue():
    rules = AlertRules()
    assert rules.distance_tiers == (0.20, 0.10, 0.05)
    assert rules.margin_ratio_tiers == (0.70, 0.80, 0.90)
    assert rules.snooze_ms > 0 and rules.stale_multiple >= 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"distance_tiers": (0.05, 0.10)}, "distance_tiers"),  # must decrease (worst last)
        ({"margin_ratio_tiers": (0.9, 0.8)}, "margin_ratio_tiers"),
        ({"margin_ratio_tiers": (0.7, float("nan"))}, "margin_ratio_tiers[1]"),
        ({"cascade_score_tiers": (50, 150)}, "cascade_score_tiers[1]"),
        ({"distance_hysteresis": 0.06}, "distance_hysteresis"),  # wider than the 5-point gap
        ({"distance_hysteresis": -0.01}, "distance_hysteresis"),
        ({"snooze_ms": 0}, "snooze_ms"),
        ({"snooze_ms": 1.5}, "snooze_ms"),
        ({"stale_multiple": 0.5}, "stale_multiple"),
        ({"regime_levels": (("firing", "severe"),)}, "regime_levels[0]"),
    ],
)
def test_bad_rules_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        AlertRules(**kwargs)


def test_rules_accept_lists_and_store_tuples():
    rules = AlertRules(distance_tiers=[0.3, 0.1])  # type: ignore[arg-type]
    assert rules.distance_tiers == (0.3, 0.1)
    hash(rules)  # frozen and hashable


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: PositionObservation("", 0.1), "PositionObservation.key"),
        (lambda: PositionObservation("k", float("nan")), "PositionObservation.distance"),
        (lambda: PositionObservation("k", "0.1"), "PositionObservation.distance"),  # type: ignore[arg-type]
        (lambda: AccountObservation("a", float("nan")), "AccountObservation.margin_ratio"),
        (lambda: FeedObservation("f", None, 0), "FeedObservation.expected_interval_ms"),
        (lambda: FeedObservation("f", 1.5, 1000), "FeedObservation.last_update_ms"),  # type: ignore[arg-type]
        (lambda: MarketObservation("m", 50, reasons="x"), "MarketObservation.reasons"),
    ],
)
def test_bad_observations_name_the_field(build, field):
    with pytest.raises(ValueError, match=field):
        build()


def test_numpy_scalars_are_accepted():
    engine = AlertEngine()
    events = engine.observe_position(pos(np.float64(0.04)), np.int64(T0))  # type: ignore[arg-type]
    assert [e.tier for e in events] == [3]


def test_levels():
    assert tier_levels(3) == ("info", "warning", "critical")
    assert tier_levels(1) == ("critical",)
    assert level_rank("critical") > level_rank("warning") > level_rank("info")
    with pytest.raises(ValueError, match="level"):
        level_rank("severe")


# -- tiers, escalation, one alert per tier ----------------------------------------------------------


def test_safe_position_raises_nothing():
    engine = AlertEngine()
    assert engine.observe_position(pos(0.35), T0) == []
    assert engine.observe_position(pos(None), T0 + 1) == []


def test_crossing_a_tier_raises_one_alert_not_several():
    engine = AlertEngine()
    events = []
    # 25 % → 9.5 % then wobbles inside the 10 % tier: one alert for tier 2, nothing else.
    for i, d in enumerate([0.25, 0.095, 0.097, 0.094, 0.099, 0.0995, 0.096]):
        events += engine.observe_position(pos(d), T0 + i * 1000)
    assert len(events) == 1
    event = events[0]
    assert (event.key, event.kind, event.tier, event.tier_count) == (DIST, "distance", 2, 3)
    assert event.level == "warning" and not event.cleared and not event.startup
    assert event.threshold == 0.10 and event.value == pytest.approx(0.095)
    assert event.timestamp_ms == T0 + 1000
    assert "9.5 %" in event.title and "10.0 %" in event.message
    assert event.reasons[0] == "distance to liquidation 9.5 % at or below 10.0 %"


def test_escalation_through_each_tier_raises_each_once_with_rising_levels():
    engine = AlertEngine()
    events = []
    for i, d in enumerate([0.3, 0.19, 0.18, 0.09, 0.08, 0.049, 0.03, 0.01, -0.01]):
        events += engine.observe_position(pos(d), T0 + i)
    assert [(e.tier, e.level) for e in events] == [(1, "info"), (2, "warning"), (3, "critical")]
    assert events[-1].requires_ack and not events[0].requires_ack


def test_jump_over_tiers_raises_only_the_highest():
    engine = AlertEngine()
    engine.observe_position(pos(0.5), T0)
    events = engine.observe_position(pos(0.02), T0 + 1)
    assert [(e.tier, e.level) for e in events] == [(3, "critical")]


def test_hysteresis_clear_then_reraise():
    engine = AlertEngine()  # distance tier 10 %, hysteresis 1 point: clears above 11 %
    assert len(engine.observe_position(pos(0.3), T0)) == 0
    assert [e.tier for e in engine.observe_position(pos(0.09), T0 + 1)] == [2]
    assert engine.observe_position(pos(0.105), T0 + 2) == []  # back above 10 % but inside the band
    assert engine.observe_position(pos(0.11), T0 + 3) == []  # exactly the band edge: still in force
    cleared = engine.observe_position(pos(0.115), T0 + 4)
    assert [(e.cleared, e.tier, e.level, e.threshold) for e in cleared] == [(True, 1, "info", 0.10)]
    assert engine.tier_of(DIST) == 1
    again = engine.observe_position(pos(0.099), T0 + 5)
    assert [(e.cleared, e.tier) for e in again] == [(False, 2)]


def test_full_clear_goes_to_tier_zero_and_none_distance_clears():
    engine = AlertEngine()
    engine.observe_position(pos(0.04), T0)
    events = engine.observe_position(pos(None), T0 + 1)  # position closed / fully collateralised
    assert [(e.cleared, e.tier) for e in events] == [(True, 0)]
    assert engine.active() == []


def test_deescalation_by_several_tiers_is_one_clear():
    engine = AlertEngine()
    engine.observe_position(pos(0.04), T0)
    events = engine.observe_position(pos(0.5), T0 + 1)
    assert [(e.cleared, e.tier, e.threshold) for e in events] == [(True, 0, 0.05)]


def test_margin_ratio_tiers_on_isolated_position_and_account():
    engine = AlertEngine()
    events = engine.observe_position(pos(0.3, margin_ratio=0.85), T0)
    assert [(e.kind, e.tier, e.level) for e in events] == [("position_margin_ratio", 2, "warning")]
    account = AccountObservation("binanceusdm:main", margin_ratio=math.inf, break_move=-0.04)
    events = engine.observe_account(account, T0)
    assert [(e.kind, e.tier) for e in events] == [("account_margin_ratio", 3), ("break_move", 3)]
    # margin ratio clears below 90 % - 2 points
    events = engine.observe_account(AccountObservation("binanceusdm:main", 0.885, -0.04), T0 + 1)
    assert events == []
    events = engine.observe_account(AccountObservation("binanceusdm:main", 0.875, -0.04), T0 + 2)
    assert [(e.kind, e.cleared, e.tier) for e in events] == [("account_margin_ratio", True, 2)]


def test_break_move_uses_magnitude():
    engine = AlertEngine()
    up = engine.observe_account(AccountObservation("a", None, break_move=0.08), T0)
    assert [(e.kind, e.tier) for e in up] == [("break_move", 2)]


def test_startup_alert_for_anything_already_in_danger():
    engine = AlertEngine()
    events = engine.observe_position(pos(0.07), T0)
    assert len(events) == 1 and events[0].startup and STARTUP_REASON in events[0].reasons
    later = engine.observe_position(pos(0.04), T0 + 1)
    assert not later[0].startup


def test_disabled_rule_raises_nothing():
    engine = AlertEngine(AlertRules(distance_tiers=()))
    assert engine.observe_position(pos(-0.5), T0) == []


# -- snooze -------------------------------------------------------------------------------------------


def test_snooze_silences_the_alert_until_it_ends():
    engine = AlertEngine(AlertRules(snooze_ms=60_000))
    first = engine.observe_position(pos(0.09), T0)
    until = engine.snooze(first[0].key, T0 + 1)
    assert until == T0 + 60_001 and engine.is_snoozed(DIST, T0 + 2)
    quiet = []
    for i, d in enumerate([0.2, 0.09, 0.3, 0.08]):  # clear and re-cross while snoozed
        quiet += engine.observe_position(pos(d), T0 + 10 + i)
    assert quiet == []
    reminder = engine.tick(until)
    assert [(e.tier, e.cleared) for e in reminder] == [(2, False)]
    assert SNOOZE_ENDED_REASON in reminder[0].reasons
    assert not engine.is_snoozed(DIST, until)


def test_snooze_end_reports_a_clear_that_happened_meanwhile():
    engine = AlertEngine()
    engine.observe_position(pos(0.09), T0)
    engine.snooze(DIST, T0, 1000)
    assert engine.observe_position(pos(0.5), T0 + 10) == []
    events = engine.tick(T0 + 1000)
    assert [(e.cleared, e.tier) for e in events] == [(True, 0)]


def test_snooze_end_with_nothing_in_force_and_nothing_missed_is_quiet():
    engine = AlertEngine()
    engine.observe_position(pos(0.09), T0)
    engine.observe_position(pos(0.5), T0 + 1)
    engine.snooze(DIST, T0 + 2, 1000)
    assert engine.tick(T0 + 5000) == []


def test_worse_tier_breaks_through_snooze():
    engine = AlertEngine()
    engine.observe_position(pos(0.18), T0)  # tier 1
    engine.snooze(DIST, T0)
    assert engine.observe_position(pos(0.15), T0 + 1) == []
    events = engine.observe_position(pos(0.04), T0 + 2)
    assert [(e.tier, e.level) for e in events] == [(3, "critical")]
    assert not engine.is_snoozed(DIST, T0 + 3)


def test_snooze_is_per_key():
    engine = AlertEngine()
    for i, d in enumerate([0.09, 0.5]):  # both raised once, then cleared
        engine.observe_position(pos(d), T0 + i)
        engine.observe_position(PositionObservation("okx:ETH", d), T0 + i)
    engine.snooze(DIST, T0 + 2)
    assert engine.observe_position(pos(0.09), T0 + 3) == []
    assert len(engine.observe_position(PositionObservation("okx:ETH", 0.09), T0 + 3)) == 1


def test_unsnooze_returns_what_was_missed():
    engine = AlertEngine()
    engine.observe_position(pos(0.3), T0)
    engine.snooze(DIST, T0)  # nothing raised yet: ceiling 0, so any raise breaks through
    assert len(engine.observe_position(pos(0.09), T0 + 1)) == 1
    engine.snooze(DIST, T0 + 2)
    engine.observe_position(pos(0.5), T0 + 3)
    engine.observe_position(pos(0.09), T0 + 4)
    events = engine.unsnooze(DIST, T0 + 5)
    assert [(e.tier, e.cleared) for e in events] == [(2, False)]


def test_bad_snooze_duration():
    with pytest.raises(ValueError, match="duration_ms"):
        AlertEngine().snooze(DIST, T0, 0)


# -- acknowledgement ----------------------------------------------------------------------------------


def test_critical_needs_acknowledgement_even_after_clearing():
    engine = AlertEngine()
    events = engine.observe_position(pos(0.03), T0)
    assert events[0].requires_ack
    engine.observe_position(pos(0.5), T0 + 1)
    assert [e.key for e in engine.unacknowledged()] == [DIST]
    assert engine.acknowledge(DIST) is True
    assert engine.unacknowledged() == []
    assert engine.acknowledge(DIST) is False


def test_warnings_need_no_acknowledgement():
    engine = AlertEngine()
    engine.observe_position(pos(0.09), T0)
    assert engine.unacknowledged() == []


# -- feeds ----------------------------------------------------------------------------------------------


def feed(last: int | None, connected: bool = True, error: str | None = None) -> FeedObservation:
    return FeedObservation("bn:positions", last, 5_000, connected=connected, error=error, label="Binance")


def test_fresh_feed_is_quiet_and_stale_feed_raises_once():
    engine = AlertEngine(AlertRules(stale_jitter_ms=0))  # stale after 3 x 5 s
    assert engine.observe_feed(feed(T0), T0 + 1_000) == []
    assert engine.tick(T0 + 15_000) == []  # exactly the limit: not yet
    events = engine.tick(T0 + 15_001)
    assert [(e.kind, e.level, e.key) for e in events] == [("stale", "warning", "stale:bn:positions")]
    assert events[0].value == pytest.approx(15.001) and events[0].threshold == pytest.approx(15.0)
    assert engine.tick(T0 + 60_000) == []  # one alert, not one per tick


def test_stale_clears_only_when_fresh_within_one_interval():
    engine = AlertEngine(AlertRules(stale_jitter_ms=0))
    engine.observe_feed(feed(T0), T0 + 20_000)  # stale at start-up
    # An update 6 s old: below the 15 s limit but above the 5 s interval: hysteresis keeps it stale.
    assert engine.observe_feed(feed(T0 + 14_000), T0 + 20_000) == []
    events = engine.observe_feed(feed(T0 + 19_000), T0 + 20_000)
    assert [(e.kind, e.cleared) for e in events] == [("stale", True)]


def test_feed_that_never_delivered_ages_from_first_sight():
    engine = AlertEngine(AlertRules(stale_jitter_ms=0))
    assert engine.observe_feed(feed(None), T0) == []
    events = engine.tick(T0 + 15_001)
    assert events[0].kind == "stale" and "nothing received yet" in events[0].message


def test_disconnected_feed_raises_critical_with_error_and_reconnect_clears():
    engine = AlertEngine()
    engine.observe_feed(feed(T0), T0)
    events = engine.observe_feed(feed(T0, connected=False, error="ws closed 1006"), T0 + 1_000)
    assert [(e.kind, e.level, e.requires_ack) for e in events] == [("disconnected", "critical", True)]
    assert "error: ws closed 1006" in events[0].reasons
    assert engine.tick(T0 + 100_000) == []  # no stale alert on top of the disconnect
    events = engine.observe_feed(feed(T0 + 100_000), T0 + 100_500)
    assert [(e.kind, e.cleared) for e in events] == [("disconnected", True)]


def test_retire_clears_alerts_of_a_closed_position():
    engine = AlertEngine()
    engine.observe_position(pos(0.04, margin_ratio=0.95), T0)
    events = engine.retire(POS, T0 + 1)
    assert sorted((e.kind, e.cleared, e.tier) for e in events) == [
        ("distance", True, 0),
        ("position_margin_ratio", True, 0),
    ]
    assert engine.active() == []


# -- market ---------------------------------------------------------------------------------------------


def test_stale_limit_tolerates_jitter():
    """The demo's 0.25 s market feed seen 0.76 s late (3 intervals + 10 ms) is not stale: the default
    allowance is 2 s on top of 3 intervals; 3 intervals + 2 s + 1 ms is."""
    engine = AlertEngine()
    engine.observe_feed(FeedObservation("m", T0, 250), T0)
    assert engine.tick(T0 + 760) == []
    assert engine.tick(T0 + 750 + 2_000) == []
    (event,) = engine.tick(T0 + 750 + 2_001)
    assert event.kind == "stale" and event.threshold == pytest.approx(2.75)


def test_market_at_start_up_raises_only_when_critical():
    engine = AlertEngine()
    assert engine.observe_market(MarketObservation("BTC", 55, "exhausting"), T0) == []
    assert engine.observe_market(MarketObservation("ETH", 72, "loaded"), T0) == []
    events = engine.observe_market(MarketObservation("SOL", 90, "firing"), T0)
    assert [(e.kind, e.level, e.startup) for e in events] == [
        ("cascade_score", "critical", True),
        ("regime", "critical", True),
    ]
    # The quiet start-up state is in force: a worse regime is a transition and raises.
    events = engine.observe_market(MarketObservation("BTC", 55, "loaded"), T0 + 1)
    assert [(e.kind, e.level, e.startup) for e in events] == [("regime", "warning", False)]
    # ... and a milder one is an easing (a clear), not silence.
    events = engine.observe_market(MarketObservation("ETH", 72, "exhausting"), T0 + 1)
    assert [(e.kind, e.cleared, e.detail) for e in events] == [("regime", True, "exhausting")]


def test_regime_unchanged_since_the_last_session_is_not_raised():
    engine = AlertEngine()
    engine.remember_regimes({"BTC": "firing", "ETH": "calm"})
    assert [e.kind for e in engine.observe_market(MarketObservation("BTC", None, "firing"), T0)] == []
    events = engine.observe_market(MarketObservation("ETH", None, "firing"), T0)
    assert [(e.kind, e.level) for e in events] == [("regime", "critical")]
    assert CHANGED_SINCE_LAST_SESSION_REASON in events[0].reasons and not events[0].startup


def test_cascade_score_tiers_and_regime_transitions():
    engine = AlertEngine()
    engine.observe_market(MarketObservation("BTC", 10, "calm"), T0 - 1)
    events = engine.observe_market(MarketObservation("BTC", 55, "loaded", ("funding 99th pct",)), T0)
    assert [(e.kind, e.tier, e.level) for e in events] == [
        ("cascade_score", 1, "info"),
        ("regime", 2, "warning"),
    ]
    assert "funding 99th pct" in events[1].reasons
    events = engine.observe_market(MarketObservation("BTC", 90, "firing"), T0 + 1)
    assert engine.observe_market(MarketObservation("BTC", 82, "firing"), T0 + 2) == []  # inside the band
    assert [(e.kind, e.tier, e.level) for e in events] == [
        ("cascade_score", 3, "critical"),
        ("regime", 3, "critical"),
    ]
    events = engine.observe_market(MarketObservation("BTC", 78, "exhausting"), T0 + 2)
    assert [(e.kind, e.cleared, e.tier) for e in events] == [("cascade_score", True, 2), ("regime", True, 1)]
    events = engine.observe_market(MarketObservation("BTC", 10, "calm"), T0 + 3)
    assert [(e.kind, e.tier) for e in events] == [("cascade_score", 0), ("regime", 0)]


# -- rules change, observe() dispatch, active() ---------------------------------------------------------


def test_replace_rules_rejudges_as_at_startup():
    engine = AlertEngine()
    engine.observe_position(pos(0.15), T0)
    engine.replace_rules(AlertRules(distance_tiers=(0.5, 0.3, 0.2)))
    events = engine.observe_position(pos(0.15), T0 + 1)
    assert [(e.tier, e.startup) for e in events] == [(3, True)]


def test_observe_dispatches_and_rejects_unknown_types():
    engine = AlertEngine()
    events = engine.observe([pos(0.04), AccountObservation("a", 0.95), feed(T0)], T0)
    assert {e.kind for e in events} == {"distance", "account_margin_ratio"}
    assert sorted(e.kind for e in engine.active()) == ["account_margin_ratio", "distance"]
    assert all(e.level == "critical" for e in engine.active())
    with pytest.raises(ValueError, match="observations"):
        engine.observe(["nope"], T0)  # type: ignore[list-item]


# -- properties -------------------------------------------------------------------------------------------


def _excursions(values: list[float], threshold: float, width: float) -> int:
    """Independent count: an excursion starts when the value is at or below the threshold and either it
    is the first value or the value went beyond threshold + width since the previous excursion began."""
    count = 0
    armed = True
    for value in values:
        if armed and value <= threshold:
            count += 1
            armed = False
        elif value > threshold + width:
            armed = True
    return count


@settings(max_examples=200, deadline=None)
@given(
    start=st.floats(0.05, 0.15),
    steps=st.lists(st.floats(-0.01, 0.01), min_size=1, max_size=200),
)
def test_random_walk_at_a_threshold_raises_once_per_excursion_beyond_the_band(start, steps):
    rules = AlertRules(distance_tiers=(0.10,), distance_hysteresis=0.01)
    engine = AlertEngine(rules)
    values = list(np.cumsum([start, *steps]))
    events: list[AlertEvent] = []
    for i, value in enumerate(values):
        events += engine.observe_position(PositionObservation("p", float(value)), T0 + i)
    raises = [e for e in events if not e.cleared]
    assert len(raises) == _excursions([float(v) for v in values], 0.10, 0.01)
    # raise and clear alternate: never two raises of the same tier without a clear between
    kinds = [e.cleared for e in events]
    assert all(a != b for a, b in itertools.pairwise(kinds))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-0.1, 0.4), min_size=1, max_size=100))
def test_tier_in_force_is_consistent_with_the_value(values):
    """Whatever the path, the tier in force is at least the raw tier and at most the raw tier with the
    thresholds shifted by the hysteresis width."""
    rules = AlertRules()
    engine = AlertEngine(rules)
    shown = 0
    for i, value in enumerate(values):
        for event in engine.observe_position(PositionObservation("p", value), T0 + i):
            assert (event.tier > shown) != event.cleared
            shown = event.tier
        tier = engine.tier_of(alert_key("distance", "p"))
        assert tier == shown
        raw = sum(value <= t for t in rules.distance_tiers)
        loose = sum(value <= t + rules.distance_hysteresis for t in rules.distance_tiers)
        assert raw <= tier <= loose


# -- batch form ---------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.lists(st.one_of(st.none(), st.floats(-0.05, 0.4)), min_size=n, max_size=n),
                min_size=1,
                max_size=25,
            ),
            st.lists(
                st.lists(st.one_of(st.none(), st.floats(0.5, 1.2)), min_size=n, max_size=n),
                min_size=25,
                max_size=25,
            ),
            st.lists(st.tuples(st.integers(0, 24), st.integers(0, n - 1)), max_size=4),
        )
    )
)
def test_batch_form_gives_the_same_events_as_the_scalar_form(case):
    n, distance_ticks, ratio_ticks, snoozes = case
    keys = [f"p{i}" for i in range(n)]
    scalar, batch = AlertEngine(), AlertEngine()
    for t, distances in enumerate(distance_ticks):
        now = T0 + t * 60_000
        ratios = ratio_ticks[t]
        for tick, index in snoozes:
            if tick == t:
                for engine in (scalar, batch):
                    engine.snooze(alert_key("distance", keys[index]), now, 90_000)
        expected = scalar.observe(
            [
                PositionObservation(k, d, r, label=f"L{k}")
                for k, d, r in zip(keys, distances, ratios, strict=True)
            ],
            now,
        )
        got = batch.observe_positions(
            keys,
            np.array([np.nan if d is None else d for d in distances]),
            now,
            margin_ratios=np.array([np.nan if r is None else r for r in ratios]),
            labels=[f"L{k}" for k in keys],
        )
        assert sorted(got, key=lambda e: e.key) == sorted(expected, key=lambda e: e.key)


def test_batch_form_checks_shapes():
    with pytest.raises(ValueError, match="shape"):
        AlertEngine().observe_positions(["a", "b"], np.array([0.1]), T0)
    with pytest.raises(ValueError, match="labels"):
        AlertEngine().observe_positions(["a"], np.array([0.1]), T0, labels=["x", "y"])
