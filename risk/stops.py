"""Suggested stop-loss for an open position, with the rule that decided it and the reasons in words.

Three rules (cascade-indicators.md §7.1-7.4):

1. **Liquidation buffer.** The stop must fire before liquidation with room for what the exit costs:
   the taker fee ``f``, the slippage ``slip`` of a market order for the whole position (walked through
   the given depth curve), and the mark/last allowance ``g`` (stops trigger on the last price by
   default, liquidation uses the mark; they can differ by ``g``). With ``b = f + slip + g`` the
   *liquidation stop* is ``S = L / (1 - b)`` for a long and ``S = L / (1 + b)`` for a short, i.e. the
   stop's effective exit ``S·(1 ∓ b)`` is still on the safe side of the liquidation price ``L``; the
   stop sits ``b`` (as a fraction of the stop price) before liquidation. With expected funding, ``L``
   is the liquidation price after paying it (§7.5).
2. **Noise floor.** The stop should sit outside normal noise measured from the mark ``P``:
   ``P - k·ATR`` and ``P·exp(-z·σ·√h)`` for a long (``+`` and ``exp(+…)`` for a short), the wider of
   the two when both are given (σ: annualised sigma of log returns, h: horizon in years, as in
   :mod:`risk.distance`).
3. **Risk budget.** Being stopped out must not cost more than ``max_loss_fraction`` of equity. The
   loss counts from *now*: the drop in equity from the position valued at the mark to the position
   closed at the stop, fill price ``X = S·(1 - slip)`` for a long (``S·(1 + slip)`` short), exit fee
   included. Linear (settle = quote): ``loss = q·s·(P - X) + f·q·X``; inverse (settle = coin,
   ``q`` = USD face value): ``loss = s·q·(1/X - 1/P) + f·q/X``, with ``s`` = +1 long, -1 short.
   The *budget stop* is the stop at which the loss equals the budget.

The suggested stop is the loosest stop that satisfies rules 1 and 3 — the liquidation stop or the
budget stop, whichever is nearer the mark; that one is the *binding* rule — provided it lies beyond the
noise floor (rule 2) and on the right side of the mark. With neither a liquidation price nor a binding
budget, the stop is the noise floor itself. When the rules conflict (the guarding stop lies inside the
noise, or at or beyond the mark), ``feasible`` is False, ``stop_price`` is None, ``binding`` names the
rule whose stop cannot be placed, and ``feasible_size`` gives the largest size (contracts) for which a
stop fits. That size assumes the liquidation price
follows the single-tier linear model ``equity_at_mark + pnl(L) = maintenance_rate · notional(L)``
calibrated on the current liquidation price (exact for isolated and for cross with the other
positions held, fees and tier changes aside).

Units: prices in quote currency per base unit; sizes in contracts (``contract_size`` base units per
contract, linear; USD per contract, inverse); money in the settle currency (quote for linear, coin for
inverse); every rate and fraction as a fraction (0.0005 = 0.05 %).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from risk._checks import (
    bool_array,
    finite_array,
    fraction_array,
    non_negative_array,
    optional_positive_array,
    positive_array,
    scalar_number,
    side_signs,
)
from risk.slippage import DepthCurve, stack_curves, walk
from risk.stop_reasons import StopInputs, explain

ArrayLike = float | Sequence[float] | np.ndarray
OptionalArrayLike = float | None | Sequence[float | None] | np.ndarray

BINDING_RULES: tuple[str | None, ...] = (None, "liquidation_buffer", "risk_budget", "noise_floor")
"""Values of ``StopSuggestion.binding``; ``StopBatch.binding`` holds their indices."""

# Search for the size that fits: log2 of the scale in [-40, 0], to 1e-11; about 4,096 evaluations per round.
_SMALLEST_LOG2_SCALE = -40.0
_LOG2_TOLERANCE = 1e-11
_SEARCH_ELEMENTS = 4096


@dataclass(frozen=True, slots=True)
class StopSuggestion:
    """A suggested stop for one position, each rule's stop, the costs, and the reasons.

    Attributes
    ----------
    feasible
        False when no stop satisfies the liquidation buffer, the risk budget and the noise floor.
    stop_price
        Trigger price (quote per base unit), None when infeasible or when no rule calls for a stop.
    binding
        The rule that decides the stop: ``"liquidation_buffer"``, ``"risk_budget"``, ``"noise_floor"``,
        or None (no rule calls for a stop). When infeasible, the rule whose stop cannot be placed
        (it falls inside the noise or at/beyond the mark).
    liquidation_after_funding
        The liquidation price the buffer guards: the given one, moved by the expected funding when
        ``funding_intervals`` and ``funding_rate`` are given; None without a liquidation price.
    liquidation_stop, budget_stop, noise_floor
        Each rule's limit (price); None when the rule does not apply (no liquidation price, no budget
        or a budget larger than any loss, no volatility given).
    buffer_fraction
        ``f + slip + g``: the room the liquidation stop keeps before liquidation, a fraction of price.
    slippage
        Average fill distance of a market order for the whole position, a fraction of price.
    depth_known, depth_exhausted
        Whether a depth curve was given; whether the position is larger than its total (the slippage
        is then a lower bound).
    fee_cost, slippage_cost
        Exit fee and slippage at the stop, settle currency (None without a stop).
    exit_cost_now
        Fee + slippage of closing the whole position at the mark now, settle currency.
    loss_at_stop, loss_fraction_of_equity
        Drop in equity from now to stopped out, settle currency and as a fraction of equity.
    pnl_at_stop
        Realised PnL of the whole trade against the entry price if stopped out, after the exit fee.
    feasible_size
        When infeasible: the largest size in contracts for which a stop fits; None when feasible or
        when no size helps (the noise reaches zero, or the position is already at liquidation).
    effective_leverage, feasible_leverage
        Notional at the mark over the margin equity that the liquidation price implies (the model of
        ``feasible_size``): now, and at ``feasible_size`` with the same margin. None without a
        liquidation price (and ``feasible_leverage`` None whenever ``feasible_size`` is).
    reasons
        Explanations in trader language, the decisive one first.
    """

    feasible: bool
    stop_price: float | None
    binding: str | None
    liquidation_after_funding: float | None
    liquidation_stop: float | None
    budget_stop: float | None
    noise_floor: float | None
    buffer_fraction: float
    slippage: float
    depth_known: bool
    depth_exhausted: bool
    fee_cost: float | None
    slippage_cost: float | None
    exit_cost_now: float
    loss_at_stop: float | None
    loss_fraction_of_equity: float | None
    pnl_at_stop: float | None
    feasible_size: float | None
    effective_leverage: float | None
    feasible_leverage: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Rows:
    """Validated inputs as float64 arrays of shape (N,); NaN marks an absent optional value."""

    sign: np.ndarray
    entry: np.ndarray
    mark: np.ndarray
    liquidation: np.ndarray
    contracts: np.ndarray
    contract_size: np.ndarray
    inverse: np.ndarray
    equity: np.ndarray
    fee: np.ndarray
    gap: np.ndarray
    max_loss_fraction: np.ndarray
    atr_reach: np.ndarray  # k·ATR, price units
    sigma_reach: np.ndarray  # z·σ·√h, log-price units
    atr_multiple: np.ndarray
    sigma_multiple: np.ndarray
    maintenance_rate: np.ndarray
    funding_rate: np.ndarray
    funding_intervals: np.ndarray
    thinning: np.ndarray
    depth_distances: np.ndarray  # (N, K)
    depth_cumulative: np.ndarray  # (N, K)
    depth_known: np.ndarray

    def take(self, index: np.ndarray) -> _Rows:
        return _Rows(**{name: getattr(self, name)[index] for name in self.__slots__})

    @property
    def size(self) -> np.ndarray:
        """Base units (linear) or USD face value (inverse)."""
        return self.contracts * self.contract_size

    @property
    def budget(self) -> np.ndarray:
        """The most a stop-out may cost, settle currency; NaN without a budget."""
        return self.max_loss_fraction * self.equity

    @property
    def noise_floor(self) -> np.ndarray:
        """The nearest stop outside normal noise: the wider of the ATR and sigma reaches from the mark."""
        long = self.sign > 0
        by_atr = self.mark - self.sign * self.atr_reach
        by_sigma = self.mark * np.exp(-self.sign * self.sigma_reach)
        return np.where(long, np.fmin(by_atr, by_sigma), np.fmax(by_atr, by_sigma))

    @property
    def funding_per_unit(self) -> np.ndarray:
        """Funding the position pays over ``funding_intervals`` per unit of size (settle currency).

        ``rate`` > 0 means longs pay shorts (every venue's sign convention); the payment is
        ``rate x notional at the mark`` per interval: ``P`` per base unit (linear), ``1/P`` coin per USD
        (inverse). Negative when the position receives funding.
        """
        notional_per_unit = np.where(self.inverse, 1.0 / self.mark, self.mark)
        return self.sign * self.funding_rate * self.funding_intervals * notional_per_unit

    @property
    def margin_per_unit(self) -> np.ndarray:
        """Margin equity per unit of size implied by the liquidation price (single-tier model).

        Linear long ``c + (L - P) = mmr·L``; linear short ``c + (P - L) = mmr·L``; inverse long
        ``c + 1/P - 1/L = mmr/L``; inverse short ``c + 1/L - 1/P = mmr/L``. <= 0 means the position is
        at or past liquidation already. NaN without a liquidation price.
        """
        mark, liquidation, mmr, long = self.mark, self.liquidation, self.maintenance_rate, self.sign > 0
        linear = np.where(long, mark - liquidation * (1.0 - mmr), liquidation * (1.0 + mmr) - mark)
        inverse = np.where(
            long, (1.0 + mmr) / liquidation - 1.0 / mark, 1.0 / mark - (1.0 - mmr) / liquidation
        )
        return np.where(self.inverse, inverse, linear)


@dataclass(frozen=True, slots=True)
class _Limits:
    """Each rule's stop for the rows of a :class:`_Rows` at one size scale."""

    slippage: np.ndarray
    exhausted: np.ndarray
    buffer: np.ndarray
    liquidation_stop: np.ndarray
    budget_stop: np.ndarray
    guard: np.ndarray  # loosest stop meeting the liquidation and budget rules; NaN if neither applies
    guard_rule: np.ndarray  # 1 liquidation buffer, 2 risk budget, 0 none
    feasible: np.ndarray


def _scaled_liquidation(rows: _Rows, scale: np.ndarray) -> np.ndarray:
    """Liquidation price after cutting every size to ``scale`` times itself and paying the funding.

    The margin equity ``c·q`` stays as it is (closing part of a position at the mark moves its PnL
    into the wallet and leaves equity unchanged), so ``c`` per unit of size grows by ``1/scale``; the
    funding over the intervals (per unit, :attr:`_Rows.funding_per_unit`) is then taken off, and each
    side's equation of :attr:`_Rows.margin_per_unit` is solved for ``L``. NaN where no positive price
    liquidates.
    """
    mark, mmr, long = rows.mark, rows.maintenance_rate, rows.sign > 0
    funding = rows.funding_per_unit
    margin = rows.margin_per_unit / scale - funding
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = np.where(long, (mark - margin) / (1.0 - mmr), (mark + margin) / (1.0 + mmr))
        inverse = np.where(long, (1.0 + mmr) / (margin + 1.0 / mark), (1.0 - mmr) / (1.0 / mark - margin))
    price = np.where(rows.inverse, inverse, linear)
    price = np.where(price > 0.0, price, np.nan)
    return np.where((scale == 1.0) & (funding == 0.0), rows.liquidation, price)


def _budget_stop(rows: _Rows, size: np.ndarray, slippage: np.ndarray) -> np.ndarray:
    """Stop price at which the loss from now, fee and slippage included, equals the budget.

    The loss formulas of the module docstring solved for ``S``. NaN without a budget, and where no
    stop can lose that much (a linear long loses at most ``q·P``, an inverse short at most ``q/P``).
    """
    mark, fee, long = rows.mark, rows.fee, rows.sign > 0
    per_unit = rows.budget / size
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = np.where(
            long,
            (mark - per_unit) / ((1.0 - slippage) * (1.0 - fee)),
            (mark + per_unit) / ((1.0 + slippage) * (1.0 + fee)),
        )
        inverse = np.where(
            long,
            (1.0 + fee) / ((1.0 - slippage) * (per_unit + 1.0 / mark)),
            (1.0 - fee) / ((1.0 + slippage) * (1.0 / mark - per_unit)),
        )
    stop = np.where(rows.inverse, inverse, linear)
    return np.where(stop > 0.0, stop, np.nan)


def _limits(rows: _Rows, scale: np.ndarray) -> _Limits:
    """Apply the rules to ``rows`` with every size multiplied by ``scale`` (1 = as held)."""
    long = rows.sign > 0
    contracts = rows.contracts * scale
    slippage, exhausted = walk(contracts * rows.thinning, rows.depth_distances, rows.depth_cumulative)
    buffer = rows.fee + slippage + rows.gap
    liquidation = _scaled_liquidation(rows, scale)
    room = np.where(long, 1.0 - buffer, 1.0 + buffer)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A long whose exit costs reach 100 % of the price cannot be guarded at any stop: +inf.
        liquidation_stop = np.where(
            room > 0.0, liquidation / room, np.where(np.isnan(liquidation), np.nan, np.inf)
        )
    budget_stop = _budget_stop(rows, contracts * rows.contract_size, slippage)

    # The loosest stop meeting both rules: the higher of the two for a long, the lower for a short.
    nearer_mark = rows.sign * liquidation_stop >= rows.sign * budget_stop
    liquidation_decides = ~np.isnan(liquidation_stop) & (np.isnan(budget_stop) | nearer_mark)
    guard = np.where(liquidation_decides, liquidation_stop, budget_stop)
    guard_rule = np.where(liquidation_decides, 1, np.where(np.isnan(budget_stop), 0, 2))

    noise = rows.noise_floor
    before_mark = rows.sign * (rows.mark - guard) > 0.0
    outside_noise = np.isnan(noise) | (rows.sign * (noise - guard) >= 0.0)
    feasible = np.isnan(guard) | (before_mark & outside_noise)
    return _Limits(slippage, exhausted, buffer, liquidation_stop, budget_stop, guard, guard_rule, feasible)


def _feasible_size(rows: _Rows) -> np.ndarray:
    """Largest size (contracts) at which a stop fits, by a k-way search on log2 of the size scale.

    Feasibility only improves as the size shrinks (less slippage, liquidation farther away, more
    budget per unit), so the feasible scales form an interval ``(0, s*]``. The search brackets
    ``log2 s*`` in ``[-40, 0]`` and splits the bracket into ``k`` parts per round, testing the ``k - 1``
    inner points of every row in one vectorised call: ``k = 64`` for a handful of rows (few numpy
    calls), down to plain bisection for thousands (fewest evaluations). The feasible end of the final
    bracket is returned (within ``1e-11`` of ``s*``, relative). No fit even at ``2**-40`` of the size
    means that no size helps; neither does cutting a position that is already at liquidation.
    """
    count = rows.mark.size
    parts = int(np.clip(_SEARCH_ELEMENTS // count, 2, 64))
    inner = np.linspace(0.0, 1.0, parts + 1)[1:-1]
    rounds = math.ceil(math.log(-_SMALLEST_LOG2_SCALE / _LOG2_TOLERANCE) / math.log(parts))
    repeated = rows.take(np.repeat(np.arange(count), inner.size))
    index = np.arange(count)
    low = np.full(count, _SMALLEST_LOG2_SCALE)
    high = np.zeros(count)
    for _ in range(rounds):
        exponents = low[:, None] + (high - low)[:, None] * inner[None, :]
        fits = _limits(repeated, np.exp2(exponents).ravel()).feasible.reshape(count, inner.size)
        fitting = np.where(fits.all(axis=1), inner.size, np.argmin(fits, axis=1))  # leading fits
        low, high = (
            np.where(fitting > 0, exponents[index, np.maximum(fitting - 1, 0)], low),
            np.where(fitting < inner.size, exponents[index, np.minimum(fitting, inner.size - 1)], high),
        )
    smallest_fits = _limits(rows, np.full(count, 2.0**_SMALLEST_LOG2_SCALE)).feasible
    solvent = np.isnan(rows.liquidation) | (rows.margin_per_unit > 0.0)
    return np.where(smallest_fits & solvent, np.exp2(low) * rows.contracts, np.nan)


def _costs(rows: _Rows, stop: np.ndarray, slippage: np.ndarray) -> dict[str, np.ndarray]:
    """Exit fee, slippage cost, loss from now and PnL against entry if stopped out at ``stop``."""
    sign, mark, entry, size = rows.sign, rows.mark, rows.entry, rows.size
    fill = stop * (1.0 - sign * slippage)
    with np.errstate(divide="ignore", invalid="ignore"):
        fee_cost = rows.fee * size * np.where(rows.inverse, 1.0 / fill, fill)
        slippage_cost = size * np.where(rows.inverse, np.abs(1.0 / fill - 1.0 / stop), stop * slippage)
        move = sign * size * np.where(rows.inverse, 1.0 / fill - 1.0 / mark, mark - fill)
        pnl = sign * size * np.where(rows.inverse, 1.0 / entry - 1.0 / fill, fill - entry)
    loss = move + fee_cost
    return {
        "fee_cost": fee_cost,
        "slippage_cost": slippage_cost,
        "loss_at_stop": loss,
        "loss_fraction_of_equity": loss / rows.equity,
        "pnl_at_stop": pnl - fee_cost,
    }


@dataclass(frozen=True, slots=True)
class StopBatch:
    """Suggested stops for N positions as float arrays of shape (N,); NaN where a value is absent.

    ``binding`` holds codes into :data:`BINDING_RULES` (0: none, 1: liquidation buffer, 2: risk
    budget, 3: noise floor). :meth:`suggestion` gives one row as a :class:`StopSuggestion` with its
    reasons (formatting the words is the slow part, so it is done per row on demand).
    """

    feasible: np.ndarray
    stop_price: np.ndarray
    binding: np.ndarray
    liquidation_after_funding: np.ndarray
    liquidation_stop: np.ndarray
    budget_stop: np.ndarray
    noise_floor: np.ndarray
    buffer_fraction: np.ndarray
    slippage: np.ndarray
    depth_known: np.ndarray
    depth_exhausted: np.ndarray
    fee_cost: np.ndarray
    slippage_cost: np.ndarray
    exit_cost_now: np.ndarray
    loss_at_stop: np.ndarray
    loss_fraction_of_equity: np.ndarray
    pnl_at_stop: np.ndarray
    feasible_size: np.ndarray
    effective_leverage: np.ndarray
    feasible_leverage: np.ndarray
    _rows: _Rows = field(repr=False)
    _currencies: tuple[str, ...] = field(repr=False)

    def __len__(self) -> int:
        return int(self.stop_price.size)

    def suggestion(self, index: int) -> StopSuggestion:
        """Row ``index`` as a :class:`StopSuggestion`, with its reasons."""

        def value(name: str) -> float | None:
            number = float(getattr(self, name)[index])
            return None if np.isnan(number) else number

        result = StopSuggestion(
            feasible=bool(self.feasible[index]),
            stop_price=value("stop_price"),
            binding=BINDING_RULES[int(self.binding[index])],
            liquidation_after_funding=value("liquidation_after_funding"),
            liquidation_stop=value("liquidation_stop"),
            budget_stop=value("budget_stop"),
            noise_floor=value("noise_floor"),
            buffer_fraction=float(self.buffer_fraction[index]),
            slippage=float(self.slippage[index]),
            depth_known=bool(self.depth_known[index]),
            depth_exhausted=bool(self.depth_exhausted[index]),
            fee_cost=value("fee_cost"),
            slippage_cost=value("slippage_cost"),
            exit_cost_now=float(self.exit_cost_now[index]),
            loss_at_stop=value("loss_at_stop"),
            loss_fraction_of_equity=value("loss_fraction_of_equity"),
            pnl_at_stop=value("pnl_at_stop"),
            feasible_size=value("feasible_size"),
            effective_leverage=value("effective_leverage"),
            feasible_leverage=value("feasible_leverage"),
            reasons=(),
        )
        inputs = _inputs_of(self._rows, index, self._currencies[index])
        return replace(result, reasons=tuple(explain(result, inputs)))


def _rows_count(arrays: Sequence[np.ndarray], depth: object) -> int:
    shapes = [array.shape for array in arrays]
    if isinstance(depth, Sequence):
        shapes.append((len(depth),))
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"inputs must have one length (or be single values), got shapes {shapes}") from None
    if len(shape) > 1:
        raise ValueError(f"inputs must be one-dimensional, got shape {shape}")
    return int(shape[0]) if shape else 1


def _depth_rows(
    depth: DepthCurve | Sequence[DepthCurve | None] | None, count: int
) -> list[DepthCurve | None]:
    if depth is None or isinstance(depth, DepthCurve):
        return [depth] * count
    curves = list(depth)
    for index, curve in enumerate(curves):
        if curve is not None and not isinstance(curve, DepthCurve):
            raise ValueError(f"depth[{index}] must be a DepthCurve or None, got {curve!r}")
    return curves


def suggest_stops(
    *,
    side: str | Sequence[str] | np.ndarray,
    entry_price: ArrayLike,
    mark_price: ArrayLike,
    liquidation_price: OptionalArrayLike,
    contracts: ArrayLike,
    equity: ArrayLike,
    taker_fee_rate: ArrayLike,
    contract_size: ArrayLike = 1.0,
    inverse: bool | Sequence[bool] | np.ndarray = False,
    depth: DepthCurve | Sequence[DepthCurve | None] | None = None,
    depth_thinning: ArrayLike = 1.0,
    mark_last_allowance: ArrayLike = 0.0,
    atr: OptionalArrayLike = None,
    atr_multiple: ArrayLike = 2.0,
    sigma_annual: OptionalArrayLike = None,
    horizon_years: OptionalArrayLike = None,
    sigma_multiple: ArrayLike = 2.0,
    max_loss_fraction: OptionalArrayLike = None,
    maintenance_rate: ArrayLike = 0.0,
    funding_rate: ArrayLike = 0.0,
    funding_intervals: ArrayLike = 0.0,
    settle_currency: str | Sequence[str] = "",
) -> StopBatch:
    """Suggested stops for many positions at once; every argument is one value or one per position.

    The arguments are those of :func:`suggest_stop` (same names and units), each either a single
    value applied to every position or a sequence/array with one value per position; optional
    per-position values may be ``None``. ``depth`` is one :class:`DepthCurve` for all, or one (or
    None) per position. Invalid input raises ValueError naming the argument, the position index and
    the value.
    """
    checked = {
        "sign": side_signs(side),
        "entry": positive_array(entry_price, "entry_price"),
        "mark": positive_array(mark_price, "mark_price"),
        "liquidation": optional_positive_array(liquidation_price, "liquidation_price"),
        "contracts": positive_array(contracts, "contracts"),
        "contract_size": positive_array(contract_size, "contract_size"),
        "inverse": bool_array(inverse, "inverse"),
        "equity": positive_array(equity, "equity"),
        "fee": fraction_array(taker_fee_rate, "taker_fee_rate"),
        "gap": fraction_array(mark_last_allowance, "mark_last_allowance"),
        "max_loss_fraction": optional_positive_array(max_loss_fraction, "max_loss_fraction"),
        "atr": optional_positive_array(atr, "atr"),
        "atr_multiple": positive_array(atr_multiple, "atr_multiple"),
        "sigma": optional_positive_array(sigma_annual, "sigma_annual"),
        "horizon": optional_positive_array(horizon_years, "horizon_years"),
        "sigma_multiple": positive_array(sigma_multiple, "sigma_multiple"),
        "maintenance_rate": fraction_array(maintenance_rate, "maintenance_rate"),
        "funding_rate": finite_array(funding_rate, "funding_rate"),
        "funding_intervals": non_negative_array(funding_intervals, "funding_intervals"),
        "thinning": positive_array(depth_thinning, "depth_thinning"),
    }
    count = _rows_count(list(checked.values()), depth)
    flat = {name: np.broadcast_to(array, (count,)).copy() for name, array in checked.items()}
    atr_values, sigmas, horizons = flat.pop("atr"), flat.pop("sigma"), flat.pop("horizon")
    missing_horizon = ~np.isnan(sigmas) & np.isnan(horizons)
    if np.any(missing_horizon):
        index = int(np.flatnonzero(missing_horizon)[0])
        where = f"horizon_years[{index}]" if count > 1 else "horizon_years"
        raise ValueError(f"{where} is required where sigma_annual is given, got None")
    flat["atr_reach"] = atr_values * flat["atr_multiple"]
    flat["sigma_reach"] = sigmas * np.sqrt(horizons) * flat["sigma_multiple"]
    curves = _depth_rows(depth, count)
    if len(curves) != count:
        raise ValueError(f"depth must hold one curve per position ({count}), got {len(curves)}")
    depth_distances, depth_cumulative = stack_curves(curves)
    rows = _Rows(
        depth_distances=depth_distances,
        depth_cumulative=depth_cumulative,
        depth_known=np.array([curve is not None for curve in curves]),
        **flat,
    )
    currencies = [settle_currency] * count if isinstance(settle_currency, str) else list(settle_currency)
    if len(currencies) != count:
        raise ValueError(
            f"settle_currency must be one label or one per position ({count}), got {len(currencies)}"
        )
    return _solve(rows, currencies)


def _solve(rows: _Rows, currencies: Sequence[str]) -> StopBatch:
    limits = _limits(rows, np.ones(rows.mark.shape))
    guard, noise = limits.guard, rows.noise_floor
    no_guard = np.isnan(guard)
    noise_usable = ~np.isnan(noise) & (noise > 0.0)
    stop = np.where(no_guard, np.where(noise_usable, noise, np.nan), np.where(limits.feasible, guard, np.nan))
    binding = np.where(no_guard, np.where(noise_usable, 3, 0), limits.guard_rule)
    feasible_size = np.full(rows.mark.shape, np.nan)
    stuck = np.flatnonzero(~limits.feasible)
    if stuck.size:
        feasible_size[stuck] = _feasible_size(rows.take(stuck))
    costs = _costs(rows, stop, limits.slippage)
    margin = rows.margin_per_unit
    with np.errstate(divide="ignore", invalid="ignore"):
        leverage = np.where(rows.inverse, 1.0 / (rows.mark * margin), rows.mark / margin)
    leverage = np.where(margin > 0.0, leverage, np.nan)
    return StopBatch(
        feasible=limits.feasible,
        stop_price=stop,
        binding=binding,
        liquidation_after_funding=_scaled_liquidation(rows, np.ones(rows.mark.shape)),
        liquidation_stop=limits.liquidation_stop,
        budget_stop=limits.budget_stop,
        noise_floor=noise,
        buffer_fraction=limits.buffer,
        slippage=limits.slippage,
        depth_known=rows.depth_known,
        depth_exhausted=limits.exhausted,
        feasible_size=feasible_size,
        effective_leverage=leverage,
        feasible_leverage=leverage * feasible_size / rows.contracts,
        exit_cost_now=_costs(rows, rows.mark, limits.slippage)["loss_at_stop"],
        _rows=rows,
        _currencies=tuple(currencies),
        **costs,
    )


def _inputs_of(rows: _Rows, index: int, currency: str) -> StopInputs:
    def optional(values: np.ndarray) -> float | None:
        number = float(values[index])
        return None if np.isnan(number) else number

    return StopInputs(
        side="long" if rows.sign[index] > 0 else "short",
        mark_price=float(rows.mark[index]),
        liquidation_price=optional(rows.liquidation),
        contracts=float(rows.contracts[index]),
        equity=float(rows.equity[index]),
        taker_fee_rate=float(rows.fee[index]),
        mark_last_allowance=float(rows.gap[index]),
        max_loss_fraction=optional(rows.max_loss_fraction),
        atr_reach=optional(rows.atr_reach),
        atr_multiple=float(rows.atr_multiple[index]),
        sigma_reach=optional(rows.sigma_reach),
        sigma_multiple=float(rows.sigma_multiple[index]),
        depth_thinning=float(rows.thinning[index]),
        depth_total=float(rows.depth_cumulative[index, -1]),
        depth_farthest=float(rows.depth_distances[index, -1]),
        funding_cost=float(rows.funding_per_unit[index] * rows.size[index]),
        funding_intervals=float(rows.funding_intervals[index]),
        settle_currency=currency,
    )


def suggest_stop(
    *,
    side: str,
    entry_price: float,
    mark_price: float,
    liquidation_price: float | None,
    contracts: float,
    equity: float,
    taker_fee_rate: float,
    contract_size: float = 1.0,
    inverse: bool = False,
    depth: DepthCurve | None = None,
    depth_thinning: float = 1.0,
    mark_last_allowance: float = 0.0,
    atr: float | None = None,
    atr_multiple: float = 2.0,
    sigma_annual: float | None = None,
    horizon_years: float | None = None,
    sigma_multiple: float = 2.0,
    max_loss_fraction: float | None = None,
    maintenance_rate: float = 0.0,
    funding_rate: float = 0.0,
    funding_intervals: float = 0.0,
    settle_currency: str = "",
) -> StopSuggestion:
    """Suggest a stop-loss for one open position (rules and formulas in the module docstring).

    Parameters
    ----------
    side
        ``"long"`` or ``"short"``.
    entry_price, mark_price
        Quote currency per base unit, > 0. The entry only enters ``pnl_at_stop``.
    liquidation_price
        The position's liquidation price (e.g. ``PositionRisk.liquidation_price``), or None.
    contracts, contract_size
        Size in contracts (> 0) and base units per contract (linear) or USD per contract (inverse).
    equity
        Account equity in the settle currency (> 0): the base of the risk budget and the loss %.
    taker_fee_rate
        Exit fee as a fraction in [0, 1) (a stop fills as taker).
    inverse
        Coin-margined contract: money in coin, PnL ``size·(1/entry - 1/exit)`` for a long.
    depth, depth_thinning
        The book side the stop would hit (bids for a long, asks for a short), in contracts; None
        leaves slippage out (and says so). ``depth_thinning`` (> 0) divides its liquidity: about 3
        at typical liquidation events, 17 at p90 (cascade-indicators.md §2.4).
    mark_last_allowance
        Fraction in [0, 1) that mark and last may differ when the stop triggers (stops trigger on last
        by default, liquidation on mark; 3-10 % in past crashes). 0 for a stop triggered by mark.
    atr, atr_multiple
        Average true range in price units (> 0) or None, and its multiple ``k`` (> 0).
    sigma_annual, horizon_years, sigma_multiple
        Annualised sigma of log returns (> 0) or None, the horizon in years (required with sigma; e.g.
        ``risk.HORIZON_24H``), and the multiple ``z`` (> 0).
    max_loss_fraction
        Risk budget: the most a stop-out may cost from now, as a fraction of ``equity`` (> 0), or None.
    maintenance_rate
        Effective maintenance rate of the position (maintenance margin / notional, e.g.
        ``PositionRisk.maintenance_margin / PositionRisk.notional``), [0, 1); used only by the model
        that moves the liquidation price (``feasible_size``, funding).
    funding_rate, funding_intervals
        Funding rate per interval (fraction; > 0: longs pay shorts) and how many intervals the stop
        should hold for (e.g. 3 for 24 h of 8-hour funding). The funding paid,
        ``rate x notional x intervals``, comes off the margin, moving the liquidation price towards
        the mark (cascade-indicators.md §7.5); the liquidation buffer guards that moved price.
        Funding received moves it away. Default: no funding.
    settle_currency
        Label for money in the reasons (``"USDT"``, ``"BTC"``...).

    Raises
    ------
    ValueError
        Naming the argument and the value: bad side, non-finite or non-positive prices, sizes or
        equity, rates outside [0, 1), sigma without horizon, a depth that is not a DepthCurve.
    """
    if not isinstance(side, str):
        raise ValueError(f"side must be 'long' or 'short', got {side!r}")
    if depth is not None and not isinstance(depth, DepthCurve):
        raise ValueError(f"depth must be a DepthCurve or None, got {depth!r}")
    if not isinstance(inverse, bool | np.bool_):
        raise ValueError(f"inverse must be True or False, got {inverse!r}")
    if not isinstance(settle_currency, str):
        raise ValueError(f"settle_currency must be a string, got {settle_currency!r}")
    numbers = {
        "entry_price": entry_price,
        "mark_price": mark_price,
        "contracts": contracts,
        "equity": equity,
        "taker_fee_rate": taker_fee_rate,
        "contract_size": contract_size,
        "depth_thinning": depth_thinning,
        "mark_last_allowance": mark_last_allowance,
        "atr_multiple": atr_multiple,
        "sigma_multiple": sigma_multiple,
        "maintenance_rate": maintenance_rate,
        "funding_rate": funding_rate,
        "funding_intervals": funding_intervals,
    }
    optional = {
        "liquidation_price": liquidation_price,
        "atr": atr,
        "sigma_annual": sigma_annual,
        "horizon_years": horizon_years,
        "max_loss_fraction": max_loss_fraction,
    }
    for name, value in numbers.items():
        scalar_number(value, name)
    for name, value in optional.items():
        scalar_number(value, name, optional=True)
    batch = suggest_stops(
        side=side, inverse=inverse, depth=depth, settle_currency=settle_currency, **numbers, **optional
    )
    return batch.suggestion(0)
