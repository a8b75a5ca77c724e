"""The "why this stop" text of a stop suggestion (cascade-indicators.md §7.7), in trader language.

Numbers are formatted for people: prices with thousands separators, fractions as percentages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from risk.stops import StopSuggestion


@dataclass(frozen=True, slots=True)
class StopInputs:
    """The inputs of one position that the reasons quote (units as in :func:`risk.stops.suggest_stop`)."""

    side: str
    mark_price: float
    liquidation_price: float | None
    contracts: float
    equity: float
    taker_fee_rate: float
    mark_last_allowance: float
    max_loss_fraction: float | None
    atr_reach: float | None  # k·ATR, price units
    atr_multiple: float
    sigma_reach: float | None  # z·σ·√h, log units
    sigma_multiple: float
    depth_thinning: float
    depth_total: float  # contracts the curve holds
    depth_farthest: float  # its farthest distance, fraction
    funding_cost: float  # funding paid over the intervals, settle currency (< 0: received)
    funding_intervals: float
    settle_currency: str


def price(value: float) -> str:
    """A price: two decimals with separators from 1,000 up, six significant digits below."""
    return f"{value:,.2f}" if abs(value) >= 1000.0 else f"{value:.6g}"


def percent(fraction: float) -> str:
    """A fraction as a percentage with two decimals: 0.0123 -> '1.23 %'."""
    return f"{fraction * 100.0:.2f} %"


def _money(value: float, currency: str) -> str:
    amount = f"{value:,.2f}" if abs(value) >= 1.0 else f"{value:.6g}"
    return f"{amount} {currency}".rstrip()


def _size(contracts: float) -> str:
    return f"{contracts:,.6g} contract" + ("" if contracts == 1.0 else "s")


def _beyond(side: str) -> str:
    """Where a stop must sit relative to a rule's limit: nearer the mark than it."""
    return "at or above" if side == "long" else "at or below"


def _liquidation_line(result: StopSuggestion, inputs: StopInputs) -> str | None:
    if inputs.liquidation_price is None:
        return "No liquidation price: the stop does not need to stay clear of one."
    liquidation = inputs.liquidation_price
    if result.liquidation_after_funding is not None and result.liquidation_after_funding != liquidation:
        liquidation = result.liquidation_after_funding
    costs = (
        f"{percent(inputs.taker_fee_rate)} fees + {percent(result.slippage)} slippage for "
        f"{_size(inputs.contracts)} + {percent(inputs.mark_last_allowance)} mark/last gap"
    )
    if result.stop_price is None:
        if result.liquidation_stop is None or math.isinf(result.liquidation_stop):
            return (
                f"Exit costs ({costs}) leave no room to stop out before liquidation at {price(liquidation)}."
            )
        return (
            f"A stop clear of liquidation at {price(liquidation)} must be {_beyond(inputs.side)} "
            f"{price(result.liquidation_stop)} to cover {costs}."
        )
    where = "above" if inputs.side == "long" else "below"
    gap = abs(result.stop_price - liquidation) / result.stop_price
    return f"Stop {percent(gap)} {where} liquidation at {price(liquidation)} covers {costs}."


def _funding_line(result: StopSuggestion, inputs: StopInputs) -> str | None:
    moved = result.liquidation_after_funding
    if inputs.funding_cost == 0.0 or inputs.liquidation_price is None:
        return None
    paid = "Paying" if inputs.funding_cost > 0 else "Receiving"
    amount = _money(abs(inputs.funding_cost), inputs.settle_currency)
    to = "to no liquidation price" if moved is None else f"to {price(moved)}"
    return (
        f"{paid} {amount} funding over {inputs.funding_intervals:g} intervals moves liquidation from "
        f"{price(inputs.liquidation_price)} {to}."
    )


def _budget_line(result: StopSuggestion, inputs: StopInputs) -> str | None:
    if inputs.max_loss_fraction is None:
        return None
    budget = _money(inputs.max_loss_fraction * inputs.equity, inputs.settle_currency)
    limit = f"risk budget {percent(inputs.max_loss_fraction)} of equity ({budget})"
    if result.budget_stop is None:
        return f"The {limit} is more than this position can lose: it does not limit the stop."
    if result.stop_price is None or result.loss_at_stop is None or result.loss_fraction_of_equity is None:
        return f"The {limit} needs a stop {_beyond(inputs.side)} {price(result.budget_stop)}."
    return (
        f"Stopped out at {price(result.stop_price)} you lose "
        f"{_money(result.loss_at_stop, inputs.settle_currency)} from here "
        f"({percent(result.loss_fraction_of_equity)} of equity, incl. "
        f"{_money(result.fee_cost or 0.0, inputs.settle_currency)} fee and "
        f"{_money(result.slippage_cost or 0.0, inputs.settle_currency)} slippage); the {limit}."
    )


def _noise_line(result: StopSuggestion, inputs: StopInputs) -> str | None:
    if result.noise_floor is None:
        return "No ATR or sigma given: the stop is not checked against normal noise."
    measures = []
    if inputs.atr_reach is not None:
        measures.append(f"{inputs.atr_multiple:g} × ATR ({price(inputs.atr_reach / inputs.atr_multiple)})")
    if inputs.sigma_reach is not None:
        one_sigma = percent(inputs.sigma_reach / inputs.sigma_multiple)
        measures.append(f"{inputs.sigma_multiple:g} σ over the horizon ({one_sigma})")
    direction = "down" if inputs.side == "long" else "up"
    target = "zero" if result.noise_floor <= 0.0 else price(result.noise_floor)
    line = f"Normal noise ({' and '.join(measures)}) reaches {direction} to {target}"
    if result.stop_price is not None and result.binding != "noise_floor":
        room = abs(result.noise_floor - result.stop_price) / inputs.mark_price
        return f"{line}; the stop sits {percent(room)} of the mark beyond it."
    return f"{line}."


def _decision_line(result: StopSuggestion, inputs: StopInputs) -> str:
    if result.feasible and result.stop_price is not None:
        if result.binding == "noise_floor":
            return (
                f"Stop at {price(result.stop_price)}: no liquidation price or risk budget limits this "
                "position, so the stop sits at the edge of normal noise."
            )
        rule = "the liquidation buffer" if result.binding == "liquidation_buffer" else "the risk budget"
        return f"Stop at {price(result.stop_price)}, set by {rule}."
    if result.feasible:
        return (
            "No stop suggested: no liquidation price, no binding risk budget and no volatility to place one."
        )
    by_liquidation = result.binding == "liquidation_buffer"
    limit = result.liquidation_stop if by_liquidation else result.budget_stop
    limit = math.nan if limit is None else limit
    past_mark = limit >= inputs.mark_price if inputs.side == "long" else limit <= inputs.mark_price
    if past_mark and by_liquidation:
        return (
            f"No stop fits: the position is too close to liquidation; a stop that covers the exit costs "
            f"would already be past the mark ({price(inputs.mark_price)})."
        )
    if past_mark:
        cost = _money(result.exit_cost_now, inputs.settle_currency)
        return (
            f"No stop fits: closing now already costs {cost} in fees and slippage "
            f"({percent(result.exit_cost_now / inputs.equity)} of equity), more than the risk budget."
        )
    rule = "the liquidation buffer" if by_liquidation else "the risk budget"
    noise = result.noise_floor if result.noise_floor is not None else math.nan
    reach = (
        "down to zero" if noise <= 0.0 else f"{'down' if inputs.side == 'long' else 'up'} to {price(noise)}"
    )
    needs = f"{rule} needs a stop {_beyond(inputs.side)} {price(limit)}"
    return f"No stop fits: {needs}, but normal noise reaches {reach}."


def _sizing_line(result: StopSuggestion, inputs: StopInputs) -> str | None:
    if result.feasible:
        return None
    if result.feasible_size is None:
        return "No smaller size makes room for a stop: reduce or close the position."
    # More margin moves liquidation away but does not shrink what a stop-out costs.
    remedy = (
        "reduce the position or add margin"
        if result.binding == "liquidation_buffer"
        else "reduce the position"
    )
    leverage = ""
    if result.feasible_leverage is not None and result.effective_leverage is not None:
        leverage = (
            f", i.e. {result.feasible_leverage:.3g}× effective leverage or less "
            f"(now {result.effective_leverage:.3g}×)"
        )
    return (
        f"A stop fits at {_size(result.feasible_size)} or less (now {_size(inputs.contracts)}){leverage}: "
        f"{remedy}."
    )


def _depth_line(result: StopSuggestion, inputs: StopInputs) -> str | None:
    if not result.depth_known:
        return "No order-book depth given: slippage is not included."
    if result.depth_exhausted:
        thinned = f" once thinned {inputs.depth_thinning:g}×" if inputs.depth_thinning != 1.0 else ""
        return (
            f"The book given holds only {_size(inputs.depth_total / inputs.depth_thinning)}{thinned} within "
            f"{percent(inputs.depth_farthest)}: the slippage of {percent(result.slippage)} is a lower bound."
        )
    if inputs.depth_thinning != 1.0:
        return f"Slippage assumes the book thins {inputs.depth_thinning:g}× as in a cascade."
    return None


def explain(result: StopSuggestion, inputs: StopInputs) -> list[str]:
    """The reasons for ``result``, decisive first: decision, sizing, each rule, depth caveats."""
    lines = [
        _decision_line(result, inputs),
        _sizing_line(result, inputs),
        _liquidation_line(result, inputs),
        _funding_line(result, inputs),
        _budget_line(result, inputs),
        _noise_line(result, inputs),
        _depth_line(result, inputs),
    ]
    return [line for line in lines if line]
