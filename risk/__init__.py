"""LiqGuard's pure risk library: margin, liquidation, distance, stops, stress, cascade indicators.

No Qt, no ccxt, no I/O and no clock: everything time-dependent takes the time as an argument.
Units and sign conventions are in :mod:`risk.types`.
"""

from risk.assess import assess, assess_many
from risk.distance import (
    HORIZON_24H,
    HOURS_PER_YEAR,
    atr_distance,
    atr_distance_array,
    liquidation_distance,
    liquidation_distance_array,
    sigma_distance,
    sigma_distance_array,
    touch_probability,
    touch_probability_array,
)
from risk.results import AccountRisk, PositionRisk, StressResult
from risk.slippage import DepthCurve, estimate_slippage
from risk.stops import BINDING_RULES, StopBatch, StopSuggestion, suggest_stop, suggest_stops
from risk.stress import stress
from risk.types import VENUES, Account, Instrument, MarginTier, Position

__all__ = [
    "BINDING_RULES",
    "HORIZON_24H",
    "HOURS_PER_YEAR",
    "VENUES",
    "Account",
    "AccountRisk",
    "DepthCurve",
    "Instrument",
    "MarginTier",
    "Position",
    "PositionRisk",
    "StopBatch",
    "StopSuggestion",
    "StressResult",
    "assess",
    "assess_many",
    "atr_distance",
    "atr_distance_array",
    "estimate_slippage",
    "liquidation_distance",
    "liquidation_distance_array",
    "sigma_distance",
    "sigma_distance_array",
    "stress",
    "suggest_stop",
    "suggest_stops",
    "touch_probability",
    "touch_probability_array",
]
