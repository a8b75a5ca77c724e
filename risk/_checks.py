"""Input checks shared by the array functions of ``risk``: ValueError naming the field, index and value."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SIDES = ("long", "short")


def side_sign(side: str, name: str = "side") -> int:
    """+1 for ``"long"``, -1 for ``"short"``; ValueError otherwise."""
    if side == "long":
        return 1
    if side == "short":
        return -1
    raise ValueError(f"{name} must be 'long' or 'short', got {side!r}")


def side_signs(sides: str | Sequence[str] | np.ndarray, name: str = "side") -> np.ndarray:
    """Array of +1 (long) / -1 (short) from one side or a sequence of them."""
    if isinstance(sides, str):
        return np.asarray(side_sign(sides, name), dtype=np.float64)
    labels = np.asarray(sides, dtype=object)
    is_long = labels == "long"
    is_short = labels == "short"
    bad = ~(is_long | is_short)
    if np.any(bad):
        index = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(f"{name}[{index}] must be 'long' or 'short', got {labels.ravel()[index]!r}")
    return np.where(is_long, 1.0, -1.0)


def bool_array(values: object, name: str) -> np.ndarray:
    """Boolean copy of ``values``; ValueError naming the first entry that is not True or False."""
    array = np.array(values, dtype=object)
    is_bool = np.vectorize(lambda item: isinstance(item, bool | np.bool_), otypes=[bool])(array)
    _first_bad(array, ~is_bool, name, "True or False")
    return array.astype(bool)


def _float_array(values: object, name: str) -> np.ndarray:
    try:
        return np.array(values, dtype=np.float64)  # a copy: callers' arrays are never written to
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {values!r}") from None


def _first_bad(array: np.ndarray, bad: np.ndarray, name: str, rule: str) -> None:
    if np.any(bad):
        flat = int(np.flatnonzero(bad.ravel())[0])
        where = f"{name}[{flat}]" if array.ndim else name
        value = array.ravel()[flat]
        shown = value.item() if isinstance(value, np.generic) else value
        raise ValueError(f"{where} must be {rule}, got {shown!r}")


def finite_array(values: object, name: str) -> np.ndarray:
    """Float64 copy of ``values``; ValueError naming the first non-finite entry."""
    array = _float_array(values, name)
    _first_bad(array, ~np.isfinite(array), name, "finite")
    return array


def positive_array(values: object, name: str) -> np.ndarray:
    """Float64 copy of ``values``, each finite and > 0."""
    array = finite_array(values, name)
    _first_bad(array, array <= 0.0, name, "> 0")
    return array


def non_negative_array(values: object, name: str) -> np.ndarray:
    """Float64 copy of ``values``, each finite and >= 0."""
    array = finite_array(values, name)
    _first_bad(array, array < 0.0, name, ">= 0")
    return array


def fraction_array(values: object, name: str) -> np.ndarray:
    """Float64 copy of ``values``, each finite and in [0, 1)."""
    array = non_negative_array(values, name)
    _first_bad(array, array >= 1.0, name, "< 1")
    return array


def optional_positive_array(values: object, name: str) -> np.ndarray:
    """Float64 copy where ``None`` entries become NaN (meaning "absent"); every other entry finite, > 0.

    A NaN in the input is still an error: absence is spelled ``None``.
    """
    if values is None:
        return np.asarray(np.nan)
    if isinstance(values, np.ndarray) and values.dtype != object:
        return positive_array(values, name)
    cells = np.asarray(values, dtype=object)
    missing = np.equal(cells, None)
    filled = np.where(missing, 1.0, cells)
    try:
        numbers = filled.astype(np.float64)
    except (TypeError, ValueError):
        for index, cell in enumerate(filled.ravel()):
            try:
                float(cell)
            except (TypeError, ValueError):
                where = f"{name}[{index}]" if cells.ndim else name
                raise ValueError(f"{where} must be a number or None, got {cell!r}") from None
        raise
    present = positive_array(numbers, name)
    return np.where(missing, np.nan, present)


def scalar_number(value: object, name: str, *, optional: bool = False) -> float | None:
    """``value`` as a float when it is one real number (``None`` allowed when ``optional``).

    Only the type is checked here; the array checks then judge the value (finite, sign).
    """
    if value is None and optional:
        return None
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return float(value)
    expected = "a number or None" if optional else "a number"
    raise ValueError(f"{name} must be {expected}, got {value!r}")
