"""How far a position is from its liquidation price: as a fraction of the mark, in volatility units, and
as the probability that the mark touches the liquidation price within a horizon.

Conventions (exchange-margin-rules.md §1.6, cascade-indicators.md §7.3):

* ``side`` is ``"long"`` or ``"short"``; prices are quote currency per base unit, finite and > 0.
* A liquidation price of ``None`` means "no liquidation price" (no positive price liquidates); the scalar
  functions then return ``None`` and the array functions NaN in that row. NaN as *input* is an error.
* Distances are positive while the position is safe and <= 0 at or past the liquidation price.
* Volatility is ``sigma_annual``: the standard deviation of **log** returns of the mark per square root
  of a year of 365 days x 24 h (crypto trades around the clock), with the horizon in years. Only the
  product ``sigma_annual * sqrt(horizon_years)`` matters, so an hourly sigma with a horizon in hours gives
  the same result: ``sigma_annual = sigma_hourly * sqrt(HOURS_PER_YEAR)``.

Every function takes scalars; each ``*_array`` variant takes arrays (broadcast against each other) and
returns a float64 array. Invalid input raises ``ValueError`` naming the field (and index) and the value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from risk._checks import (
    non_negative_array,
    optional_positive_array,
    positive_array,
    scalar_number,
    side_sign,
    side_signs,
)
from risk.normal import normal_cdf

HOURS_PER_YEAR = 8760.0
"""365 days x 24 h: the year that ``sigma_annual`` and ``horizon_years`` refer to."""
HORIZON_24H = 24.0 / HOURS_PER_YEAR
"""A 24-hour horizon in years, for ``touch_probability(..., HORIZON_24H)``."""

Sides = str | Sequence[str] | np.ndarray
Prices = float | Sequence[float] | np.ndarray
OptionalPrices = float | None | Sequence[float | None] | np.ndarray


def _check_scalars(side: str | None, **named: object) -> None:
    """The scalar functions take one side and one number per argument (``liquidation_price`` may be None)."""
    if side is not None:
        side_sign(side)
    for name, value in named.items():
        scalar_number(value, name, optional=name == "liquidation_price")


def _scalar(array: np.ndarray) -> float | None:
    value = float(array)
    return None if np.isnan(value) else value


def liquidation_distance_array(
    sides: Sides, mark_prices: Prices, liquidation_prices: OptionalPrices
) -> np.ndarray:
    """Distance to liquidation as a fraction of the mark, elementwise.

    ``(mark - liq)/mark`` for a long, ``(liq - mark)/mark`` for a short (exchange-margin-rules.md §1.6);
    NaN where the liquidation price is ``None``.
    """
    sign = side_signs(sides)
    mark = positive_array(mark_prices, "mark_price")
    liquidation = optional_positive_array(liquidation_prices, "liquidation_price")
    return sign * (mark - liquidation) / mark


def liquidation_distance(side: str, mark_price: float, liquidation_price: float | None) -> float | None:
    """Distance to liquidation as a fraction of the mark; ``None`` without a liquidation price.

    Example: a long marked at 20,000 with liquidation at 18,000 is 0.10 (10 %) from liquidation.
    """
    _check_scalars(side, mark_price=mark_price, liquidation_price=liquidation_price)
    return _scalar(liquidation_distance_array(side, mark_price, liquidation_price))


def _log_distance(sign: np.ndarray, mark: np.ndarray, liquidation: np.ndarray) -> np.ndarray:
    """``ln(mark/liq)`` for a long, ``ln(liq/mark)`` for a short: the log move that reaches liquidation."""
    return sign * np.log(mark / liquidation)


def sigma_distance_array(
    sides: Sides,
    mark_prices: Prices,
    liquidation_prices: OptionalPrices,
    sigma_annual: Prices,
    horizon_years: Prices,
) -> np.ndarray:
    """Distance to liquidation in standard deviations of the log price over the horizon, elementwise.

    ``z = ln(mark/liq) / (sigma_annual * sqrt(horizon_years))`` for a long (``ln(liq/mark)`` for a
    short): how many sigmas of the horizon's move separate the mark from liquidation. With zero
    volatility over the horizon, +inf while safe, -inf past liquidation, 0 at it. NaN where the
    liquidation price is ``None``.
    """
    sign = side_signs(sides)
    mark = positive_array(mark_prices, "mark_price")
    liquidation = optional_positive_array(liquidation_prices, "liquidation_price")
    sigma = non_negative_array(sigma_annual, "sigma_annual")
    horizon = non_negative_array(horizon_years, "horizon_years")
    distance = _log_distance(sign, mark, liquidation)
    scale = sigma * np.sqrt(horizon)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = distance / scale
    return np.where((scale == 0.0) & (distance == 0.0), 0.0, z)


def sigma_distance(
    side: str,
    mark_price: float,
    liquidation_price: float | None,
    sigma_annual: float,
    horizon_years: float,
) -> float | None:
    """Distance to liquidation in sigmas of the log price over ``horizon_years``; ``None`` without one.

    Example: long, mark 20,000, liquidation 18,000, sigma_annual 0.6, 24 h horizon:
    ``ln(20000/18000) / (0.6 * sqrt(1/365)) = 3.355`` sigmas.
    """
    _check_scalars(
        side,
        mark_price=mark_price,
        liquidation_price=liquidation_price,
        sigma_annual=sigma_annual,
        horizon_years=horizon_years,
    )
    return _scalar(sigma_distance_array(side, mark_price, liquidation_price, sigma_annual, horizon_years))


def atr_distance_array(
    sides: Sides, mark_prices: Prices, liquidation_prices: OptionalPrices, atr: Prices
) -> np.ndarray:
    """Distance to liquidation in ATRs: ``(mark - liq)/atr`` long, ``(liq - mark)/atr`` short.

    ``atr`` is the average true range in price units (quote per base unit), > 0. NaN where the
    liquidation price is ``None``.
    """
    sign = side_signs(sides)
    mark = positive_array(mark_prices, "mark_price")
    liquidation = optional_positive_array(liquidation_prices, "liquidation_price")
    average_range = positive_array(atr, "atr")
    return sign * (mark - liquidation) / average_range


def atr_distance(side: str, mark_price: float, liquidation_price: float | None, atr: float) -> float | None:
    """Distance to liquidation in ATRs (price units / ATR); ``None`` without a liquidation price."""
    _check_scalars(side, mark_price=mark_price, liquidation_price=liquidation_price, atr=atr)
    return _scalar(atr_distance_array(side, mark_price, liquidation_price, atr))


def touch_probability_array(
    mark_prices: Prices,
    liquidation_prices: OptionalPrices,
    sigma_annual: Prices,
    horizon_years: Prices,
    *,
    sides: Sides | None = None,
    martingale: bool = False,
) -> np.ndarray:
    """Probability that the mark touches the liquidation price within the horizon, elementwise.

    Model: the mark follows a geometric Brownian motion with volatility ``sigma_annual`` of the log
    price, monitored continuously. Let ``a`` be the log distance to the barrier (``ln(mark/liq)`` long,
    ``ln(liq/mark)`` short), ``v = sigma_annual * sqrt(horizon_years)``, and ``m`` the drift of the log
    price *towards* the barrier, per unit of time. The first-passage probability of a Brownian motion
    with drift (reflection principle with a change of measure) is::

        P = Φ((-a + m·T)/v) + exp(2·m·a/σ²) · Φ((-a - m·T)/v)

    * ``martingale=False`` (default): "driftless" means **zero drift of the log price** (m = 0), and
      ``P = 2·Φ(-a/v)`` — the formula of cascade-indicators.md §7.3; symmetric in log distance.
    * ``martingale=True``: "driftless" means **zero drift of the price** itself (the mark is a
      martingale), so the log price drifts by ``-σ²/2`` per unit of time: ``m·T = +v²/2`` towards a
      long's (lower) barrier and ``-v²/2`` towards a short's (upper) one, and ``exp(2·m·a/σ²) =
      mark/liq`` for both. A short's probability then tends to ``mark/liq`` (< 1) as the horizon grows.

    ``sides`` (``"long"``/``"short"``, optional): with it, a liquidation price at or past the mark
    gives probability 1. Without it, the barrier is taken on whichever side of the mark it lies.
    Returns NaN where the liquidation price is ``None``. Zero volatility or a zero horizon gives 1 at
    or past the barrier, else 0.
    """
    mark = positive_array(mark_prices, "mark_price")
    liquidation = optional_positive_array(liquidation_prices, "liquidation_price")
    sigma = non_negative_array(sigma_annual, "sigma_annual")
    horizon = non_negative_array(horizon_years, "horizon_years")
    # Without sides, the barrier is below the mark (a long's) unless it lies above it.
    sign = np.where(liquidation > mark, -1.0, 1.0) if sides is None else side_signs(sides)
    distance = _log_distance(sign, mark, liquidation)
    scale = sigma * np.sqrt(horizon)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if martingale:
            drift_towards = sign * 0.5 * scale * scale
            probability = normal_cdf((-distance + drift_towards) / scale) + (mark / liquidation) * normal_cdf(
                (-distance - drift_towards) / scale
            )
        else:
            probability = 2.0 * normal_cdf(-distance / scale)
    probability = np.where(scale > 0.0, np.clip(probability, 0.0, 1.0), 0.0)
    probability = np.where(distance <= 0.0, 1.0, probability)
    return np.where(np.isnan(liquidation), np.nan, probability)


def touch_probability(
    mark_price: float,
    liquidation_price: float | None,
    sigma_annual: float,
    horizon_years: float,
    *,
    side: str | None = None,
    martingale: bool = False,
) -> float | None:
    """Probability that the mark touches ``liquidation_price`` within ``horizon_years``.

    See :func:`touch_probability_array` for the model. ``None`` without a liquidation price.
    Example: mark 20,000, liquidation 18,000, sigma_annual 0.6, horizon 24 h (``HORIZON_24H``):
    ``2·Φ(-3.355) = 0.00079``.
    """
    _check_scalars(
        side,
        mark_price=mark_price,
        liquidation_price=liquidation_price,
        sigma_annual=sigma_annual,
        horizon_years=horizon_years,
    )
    return _scalar(
        touch_probability_array(
            mark_price, liquidation_price, sigma_annual, horizon_years, sides=side, martingale=martingale
        )
    )
