"""LiqGuard's pure risk library: margin, liquidation, distance, stops, stress, cascade indicators.

No Qt, no ccxt, no I/O and no clock: everything time-dependent takes the time as an argument.
Units and sign conventions are in :mod:`risk.types`.
"""

from risk.assess import assess, assess_many
from risk.results import AccountRisk, PositionRisk, StressResult
from risk.stress import stress
from risk.types import VENUES, Account, Instrument, MarginTier, Position

__all__ = [
    "VENUES",
    "Account",
    "AccountRisk",
    "Instrument",
    "MarginTier",
    "Position",
    "PositionRisk",
    "StressResult",
    "assess",
    "assess_many",
    "stress",
]
