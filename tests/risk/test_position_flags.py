"""The per-position warning rules (risk.position_flags), numbers by hand."""

from __future__ import annotations

import pytest

from risk.position_flags import adl_flag, likely_gap_cause, venue_gap_flag, venue_gap_share


def test_gap_is_a_share_of_the_distance_to_the_venue_price():
    # mark 100, venue 80 (distance 20), ours 80.2 -> 0.2 / 20 = 1 %
    assert venue_gap_share(100.0, 80.2, 80.0) == pytest.approx(0.01)
    assert venue_gap_share(100.0, None, 80.0) is None
    assert venue_gap_share(100.0, 80.0, None) is None
    assert venue_gap_share(80.0, 81.0, 80.0) is None  # mark on the venue's price: no distance


def test_gap_above_half_a_percent_of_the_distance_is_flagged_with_its_cause():
    # 0.09 / 20 = 0.45 %: within the limit; 0.11 / 20 = 0.55 %: flagged
    assert venue_gap_flag(100.0, 80.09, 80.0, "fee") is None
    flag = venue_gap_flag(
        100.0, 80.11, 80.0, likely_gap_cause(margin_mode="", fee_terms=True, tier_changes=False)
    )
    assert flag is not None and flag.kind == "venue_gap"
    assert flag.message.startswith("our figure and the venue's differ")
    assert "0.5% of the distance" in flag.message or "0.6% of the distance" in flag.message
    assert "likely cause: fee" in flag.message


def test_likely_cause_order():
    assert likely_gap_cause(margin_mode="portfolio margin", fee_terms=True, tier_changes=True).startswith(
        "mode"
    )
    assert likely_gap_cause(margin_mode="", fee_terms=True, tier_changes=True).startswith("tier")
    assert likely_gap_cause(margin_mode="", fee_terms=False, tier_changes=False).startswith("inputs")


@pytest.mark.parametrize(
    ("rank", "pnl", "flagged"),
    [
        (4, 10.0, True),
        (5, 0.01, True),
        (3, 10.0, False),
        (5, -1.0, False),
        (5, 0.0, False),
        (None, 9.0, False),
    ],
)
def test_adl_rank_four_or_five_on_a_profitable_position(rank, pnl, flagged):
    flag = adl_flag(rank, pnl)
    assert (flag is not None) is flagged
    if flag is not None:
        assert flag.title == "your profit may be auto-deleveraged"


def test_flags_raise_and_clear_alerts():
    from risk.alerts import AlertEngine

    engine = AlertEngine()
    flag = adl_flag(5, 100.0)
    assert flag is not None
    item = ("acc:BTC/USDT:USDT:long", "acc BTC long", ((flag.kind, flag.title, flag.message),))
    (raised,) = engine.observe_position_flags([item], 1_000)
    assert raised.level == "warning" and "auto-deleveraged" in raised.title
    assert engine.observe_position_flags([item], 2_000) == []  # no repeat while it holds
    (cleared,) = engine.observe_position_flags([(item[0], item[1], ())], 3_000)
    assert cleared.level == "info"
    assert engine.observe_position_flags([(item[0], item[1], ())], 4_000) == []
