"""Fuzzing (issue #10): the JSON loaders, the payload validators/normalisers and ``risk`` on hostile input.

The contract: nothing escapes but a ``ValueError`` with a message (the reply validator raises ccxt's
``BadResponse``, the feed error it stands for), and what is returned keeps its invariants. Example
counts are modest so this stays in the default run.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import ccxt
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.accounts import AccountsStore
from desktop.exchanges.normalise import first_number, number, positive, tiers_from_ccxt
from desktop.exchanges.validate import check_positions_reply, position_problem
from desktop.jsonfile import JsonFileError, decode_json_bytes
from desktop.settings import AppConfig, load_config
from risk import Account, Instrument, MarginTier, Position, assess, stress

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "NaN", "inf", "1e308", "0.5", "abc"]),
)


def _containers(inner: Any) -> Any:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


json_values = st.recursive(scalars, _containers, max_leaves=20)
VENUES = ["binanceusdm", "bybit", "okx", "hyperliquid", "gate", "bitget", "unknownvenue"]


def _text_of(value: Any) -> str:
    try:
        return json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        return repr(value)


# --- JSON loaders ---------------------------------------------------------------------------------
@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), json_values.map(lambda v: _text_of(v).encode())))
def test_decode_json_bytes_returns_or_says_why(raw: bytes) -> None:
    try:
        decode_json_bytes(raw)
    except JsonFileError as exc:
        assert str(exc)


@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        json_values.map(lambda v: _text_of({"schema_version": 1, "theme": v, "distance_tiers": v}).encode()),
        st.dictionaries(
            st.sampled_from(["schema_version", "theme", "language", "snooze_minutes", "distance_tiers",
                             "margin_ratio_tiers", "sound_enabled", "accounts"]),
            json_values, max_size=6,
        ).map(lambda d: _text_of(d).encode()),
    )
)  # fmt: skip
def test_settings_and_accounts_files_never_raise(raw: bytes, tmp_path_factory: Any) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    (folder / "config.json").write_bytes(raw)
    loaded = load_config(folder / "config.json")
    assert isinstance(loaded.config, AppConfig)
    assert loaded.message is None or loaded.message.strip()
    store = AccountsStore(folder / "accounts.json")
    store.path.write_bytes(raw)
    accounts = store.load()
    assert isinstance(accounts, list)
    assert not accounts or all(a.account_id for a in accounts)


# --- payload validators and normalisers ------------------------------------------------------------
@FUZZ
@given(venue=st.sampled_from(VENUES), body=st.one_of(json_values.map(_text_of), st.text(max_size=40)))
def test_positions_reply_check_raises_only_bad_response(venue: str, body: str) -> None:
    try:
        check_positions_reply(venue, body)
    except ccxt.BadResponse as exc:
        assert str(exc)


RAW_SIZES = ["size", "positionAmt", "pos", "szi", "position"]
positions = st.fixed_dictionaries(
    {},
    optional={
        "symbol": scalars, "contracts": scalars, "markPrice": scalars, "entryPrice": scalars,
        "info": st.dictionaries(st.sampled_from(RAW_SIZES), json_values),
    },
)  # fmt: skip
markets = st.fixed_dictionaries({}, optional={"contractSize": scalars, "inverse": st.booleans()})


@FUZZ
@given(venue=st.sampled_from(VENUES), position=st.one_of(positions, json_values), market=markets)
def test_position_problem_never_raises(venue: str, position: Any, market: dict[str, Any]) -> None:
    problem = position_problem(position, market, venue)
    assert problem is None or (isinstance(problem, str) and problem)
    if problem is None:  # what passes is something risk can take
        assert isinstance(position["contracts"], int | float) and math.isfinite(position["contracts"])
        assert position["contracts"] >= 0 and market["contractSize"] > 0


@FUZZ
@given(value=st.one_of(scalars, json_values), keys=st.lists(st.text(max_size=4), max_size=3))
def test_number_helpers_give_finite_numbers_or_none(value: Any, keys: list[str]) -> None:
    for result in (number(value), positive(value)):
        assert result is None or math.isfinite(result)
    assert positive(value) is None or positive(value) > 0  # type: ignore[operator]
    mapping = value if isinstance(value, dict) else {k: value for k in keys}
    found = first_number(mapping, *keys)
    assert found is None or math.isfinite(found)


tier_dicts = st.lists(
    st.fixed_dictionaries(
        {}, optional={"minNotional": scalars, "maxNotional": scalars, "maintenanceMarginRate": scalars,
                      "info": st.dictionaries(st.sampled_from(["cum", "mmDeduction"]), scalars)},
    ),
    max_size=5,
)  # fmt: skip


@FUZZ
@given(tiers=tier_dicts, rule=st.sampled_from(["raw", "continuous", "none"]))
def test_tier_normaliser_returns_contiguous_tiers_or_says_why(tiers: list[dict[str, Any]], rule: Any) -> None:
    try:
        result = tiers_from_ccxt(tiers, rule, ("cum", "mmDeduction"))
    except ValueError as exc:
        assert str(exc)
        return
    for before, after in itertools.pairwise(result):
        assert after.notional_floor == before.notional_cap


# --- risk ------------------------------------------------------------------------------------------
floats = st.floats(allow_nan=True, allow_infinity=True) | st.floats(1e-6, 1e7)


@FUZZ
@given(
    contracts=floats, entry=floats, mark=floats, size=floats, wallet=floats,
    rate=st.floats(-0.1, 0.6), side=st.sampled_from(["long", "short", "flat"]),
    mode=st.sampled_from(["cross", "isolated", "portfolio"]), collateral=st.none() | floats,
    inverse=st.booleans(), venue=st.sampled_from(["binanceusdm", "bybit", "okx", "hyperliquid", "nope"]),
)  # fmt: skip
def test_risk_takes_valid_input_or_says_why(
    contracts: float, entry: float, mark: float, size: float, wallet: float, rate: float, side: str,
    mode: str, collateral: float | None, inverse: bool, venue: str,
) -> None:  # fmt: skip
    try:
        tier = MarginTier(0.0, math.inf, rate)
        instrument = Instrument("X/USDT:USDT", venue, size, inverse, (tier,))
        position = Position(instrument, side, contracts, entry, mark, mode, collateral=collateral)
        account = Account(venue, wallet, (position,), "USDT")
    except ValueError as exc:
        assert str(exc)
        return
    result = assess(account)
    assert result.maintenance_margin >= 0.0 and not math.isnan(result.maintenance_margin)
    (row,) = result.positions
    # inputs are bounded (risk.types.MAX_AMOUNT), so no product overflows into a NaN price
    assert row.liquidation_price is None or (
        math.isfinite(row.liquidation_price) and row.liquidation_price >= 0.0
    )
    shocked = stress(account, np.array([-0.1, 0.0, 0.1]))
    assert len(shocked.equity) == 3
