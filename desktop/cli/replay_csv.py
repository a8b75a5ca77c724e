"""Reading the replay CSV (``liqguard replay FILE.csv``): columns, validation, per-symbol arrays.

Format (README "Replay"): a header row is required, columns in any order, comma-separated.
``timestamp`` (epoch milliseconds, or ISO 8601; a time without offset is UTC), ``symbol``, ``mark_price``
are required; ``index_price``, ``funding_rate`` (per funding interval), ``funding_interval_hours``
(default 8), ``open_interest`` (base units), ``liq_long_usd``, ``liq_short_usd`` (USD liquidated since
the previous row), ``bid_depth_1pct_usd``, ``ask_depth_1pct_usd``, ``bid_depth_2pct_usd``,
``ask_depth_2pct_usd``, ``long_short_ratio`` are optional; an empty cell is "missing". Other columns are
ignored (and listed). Rows are grouped by symbol and sorted by time (stable) within a symbol.

A malformed row raises :class:`ReplayFormatError` naming its line (1 = the header) and column, or, with
``skip_bad=True``, is dropped and counted.

Speed: a file with epoch-millisecond timestamps, no quoting and no bad rows is parsed in bulk by numpy
(one C pass over the numbers); anything else goes through the row-by-row reader, which also finds the
exact line and column of any problem.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from risk.cascade import INPUTS

REQUIRED: tuple[str, ...] = ("timestamp", "symbol", "mark_price")
NUMERIC: tuple[str, ...] = (*INPUTS, "funding_interval_hours")
KNOWN: tuple[str, ...] = ("timestamp", "symbol", "venue", *NUMERIC)
# Per numeric column: (lowest allowed, whether the bound is exclusive). funding_rate may be negative.
_BOUNDS: dict[str, tuple[float, bool] | None] = {
    "mark_price": (0.0, True),
    "index_price": (0.0, True),
    "funding_rate": None,
    "funding_interval_hours": (0.0, True),
    "open_interest": (0.0, False),
    "liq_long_usd": (0.0, False),
    "liq_short_usd": (0.0, False),
    "bid_depth_1pct_usd": (0.0, False),
    "ask_depth_1pct_usd": (0.0, False),
    "bid_depth_2pct_usd": (0.0, False),
    "ask_depth_2pct_usd": (0.0, False),
    "long_short_ratio": (0.0, True),
}
_MAX_EXAMPLES = 5
MAX_SYMBOLS = 200
"""More symbols than this is not a replay but a hostile or mistaken file (each costs a monitor)."""
MAX_FIELD_BYTES = 128 * 1024
"""The csv module's own field limit (128 KiB); a longer cell is reported, not raised as csv.Error."""
# Timestamps outside 2000-01-01 .. 2100-01-01 UTC are not market data (and 1e20 overflows int64).
TS_MIN_MS = 946_684_800_000
TS_MAX_MS = 4_102_444_800_000


class ReplayFormatError(ValueError):
    """A malformed replay file: ``line`` (1-based, 1 = header) and ``column`` name the place."""

    def __init__(self, line: int, column: str | None, problem: str, skippable: bool = True) -> None:
        self.line = line
        self.column = column
        self.problem = problem
        self.skippable = skippable and line > 1  # a bad row can be skipped; a bad header or file cannot
        where = f"line {line}" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {problem}")


@dataclass(slots=True)
class SymbolRows:
    """One symbol's rows in time order: ``timestamp_ms`` int64 and one float array per numeric column
    present in the file (NaN = missing)."""

    symbol: str
    timestamp_ms: np.ndarray
    columns: dict[str, np.ndarray]
    venue: str = ""
    """The optional ``venue`` column ("" when absent): one leg of the symbol's underlying."""

    def __len__(self) -> int:
        return int(self.timestamp_ms.shape[0])


@dataclass(slots=True)
class ReplayData:
    """The parsed file."""

    symbols: list[SymbolRows]
    rows: int
    skipped: int = 0
    skipped_examples: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    parsed_in_bulk: bool = False
    """True when the numpy bulk path parsed the file (False: the row-by-row reader)."""


def read_replay_csv(path: str | Path, skip_bad: bool = False) -> ReplayData:
    """Parse a replay CSV; see the module docstring. ``OSError`` if the file cannot be read."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip (the real series are shipped as .csv.gz)
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ReplayFormatError(1, None, f"damaged gzip file ({exc})", skippable=False) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReplayFormatError(line, None, "not UTF-8 text", skippable=False) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line, _, body = text.partition("\n")
    columns = _header(header_line)
    fast = _parse_fast(columns, body)
    if fast is not None:
        fast.parsed_in_bulk = True
        return fast
    return _parse_rows(columns, body, skip_bad)


def _header(line: str) -> list[str]:
    if not line.strip():
        raise ReplayFormatError(1, None, "the header row is missing (first line is empty)")
    try:
        names = [name.strip().lower() for name in next(csv.reader([line]))]
    except csv.Error as exc:
        raise ReplayFormatError(1, None, f"unreadable header ({exc})") from None
    seen: set[str] = set()
    for name in names:
        if name in seen and name in KNOWN:
            raise ReplayFormatError(1, name, "column appears twice")
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            raise ReplayFormatError(1, name, f"required column is missing (header: {', '.join(names)})")
    return names


def _result(
    columns: list[str],
    symbols: list[tuple[str, str]],
    codes: np.ndarray,
    ts: np.ndarray,
    values: dict[str, np.ndarray],
    skipped: int = 0,
    examples: list[str] | None = None,
) -> ReplayData:
    out: list[SymbolRows] = []
    # One stable sort by (symbol, time) instead of a scan of every row per symbol.
    by_symbol = np.lexsort((ts, codes)) if codes.size else codes
    bounds = np.searchsorted(codes[by_symbol], np.arange(len(symbols) + 1))
    for code, (sym, venue) in enumerate(symbols):
        order = by_symbol[bounds[code] : bounds[code + 1]]
        if order.size == 0:
            continue
        out.append(SymbolRows(sym, ts[order], {name: arr[order] for name, arr in values.items()}, venue))
    return ReplayData(
        symbols=out,
        rows=int(ts.shape[0]),
        skipped=skipped,
        skipped_examples=examples or [],
        ignored_columns=[c for c in columns if c not in KNOWN],
    )


# -- bulk path --------------------------------------------------------------------------------------
_DIGITS = re.compile(r"\d{1,16}")


def _parse_fast(columns: list[str], body: str) -> ReplayData | None:
    """numpy bulk parse, or None when the file needs the row-by-row reader (or has a problem)."""
    if '"' in body or "\n\n" in body.rstrip("\n") or any(c not in KNOWN or c == "venue" for c in columns):
        return None
    body = body.rstrip("\n")
    if not body:
        return None
    n_cols = len(columns)
    # Every line must have exactly n_cols - 1 commas (else the row reader reports where it is not so).
    data = np.frombuffer(body.encode(), dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    commas = np.flatnonzero(data == 44)
    ends = np.concatenate((newlines, [data.size]))
    per_line = np.diff(np.concatenate(([0], np.searchsorted(commas, ends))))
    if np.any(per_line != n_cols - 1):
        return None
    if np.diff(np.concatenate(([-1], ends))).max() > MAX_FIELD_BYTES:
        return None  # a line this long holds an over-long cell: the row reader reports it
    n = ends.size
    k = columns.index("symbol")
    t = columns.index("timestamp")
    first_ts = body.split("\n", 1)[0].split(",")[t]
    if not _DIGITS.fullmatch(first_ts):
        return None
    # Replace each symbol cell by its code, so the whole body is numbers. The cells replaced must be
    # exactly one per row (a symbol's text elsewhere would otherwise be read as a number).
    numeric = "\n" + body + "\n"
    before = "\n" if k == 0 else ","
    after = "\n" if k == n_cols - 1 else ","
    first_sym = body[: body.find("\n") if "\n" in body else len(body)].split(",")[k]
    if numeric.count(f"{before}{first_sym}{after}") == n:
        distinct = [first_sym]  # one symbol: no need to read the column row by row
    else:
        pattern = re.compile(r"^(?:[^,\n]*,){" + str(k) + r"}([^,\n]*)", re.M)
        syms = pattern.findall(body)
        if len(syms) != n:
            return None
        distinct = list(dict.fromkeys(syms))
        if len(distinct) > MAX_SYMBOLS:
            return None  # the row reader names the line where the limit is passed
    for sym in distinct:
        if not sym or _looks_numeric(sym) or sym != sym.strip():
            return None
    if sum(numeric.count(f"{before}{sym}{after}") for sym in distinct) != n:
        return None
    for code, sym in enumerate(distinct):
        numeric = numeric.replace(f"{before}{sym}{after}", f"{before}{code}{after}")
    numeric = numeric.strip("\n")
    # Empty cells -> nan (twice: ",,," has overlapping pairs).
    for empty, filled in ((",,", ",nan,"), (",,", ",nan,"), (",\n", ",nan\n"), ("\n,", "\nnan,")):
        if empty in numeric:
            numeric = numeric.replace(empty, filled)
    if numeric.endswith(","):
        numeric += "nan"
    if numeric.startswith(","):
        numeric = "nan" + numeric
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            flat = np.fromstring(numeric.replace("\n", ","), sep=",")
        except (ValueError, DeprecationWarning):
            return None
    if flat.size != n * n_cols:
        return None
    table = flat.reshape(n, n_cols)
    ts_f = table[:, t]
    if (
        not np.all(np.isfinite(ts_f))
        or np.any(ts_f < TS_MIN_MS)
        or np.any(ts_f > TS_MAX_MS)
        or np.any(ts_f != np.floor(ts_f))
    ):
        return None
    values = {name: table[:, i].copy() for i, name in enumerate(columns) if name in NUMERIC}
    for name, arr in values.items():
        if _bad_mask(name, arr).any():
            return None
    codes = table[:, k].astype(np.int64)
    return _result(columns, [(sym, "") for sym in distinct], codes, ts_f.astype(np.int64), values)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _bad_mask(name: str, arr: np.ndarray) -> np.ndarray:
    missing = np.isnan(arr)
    bad = missing | ~np.isfinite(arr) if name == "mark_price" else ~missing & ~np.isfinite(arr)
    bound = _BOUNDS[name]
    if bound is not None:
        low, exclusive = bound
        with np.errstate(invalid="ignore"):
            bad |= ~missing & ((arr <= low) if exclusive else (arr < low))
    return bad


# -- row-by-row path ----------------------------------------------------------------------------------
def _timestamp_ms(text: str) -> int:
    ms = _timestamp_any(text)
    if not TS_MIN_MS <= ms <= TS_MAX_MS:
        raise ValueError(f"must be between 2000-01-01 and 2100-01-01 UTC, got {_clip(text)!r}")
    return ms


def _clip(text: str, n: int = 40) -> str:
    """A cell as shown in a message: a hostile 100 KB cell must not become a 100 KB message."""
    return text if len(text) <= n else text[:n] + f"... ({len(text)} characters)"


def _timestamp_any(text: str) -> int:
    s = text.strip()
    if not s:
        raise ValueError("is empty")
    if _DIGITS.fullmatch(s):
        return int(s)
    try:
        number = float(s)
    except ValueError:
        pass
    else:
        if math.isfinite(number) and number >= 0 and number == int(number):
            return int(number)
        raise ValueError(f"must be epoch milliseconds (a whole number >= 0) or ISO 8601, got {_clip(text)!r}")
    try:
        dt = datetime.fromisoformat(s)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return round(dt.timestamp() * 1000)
    except (ValueError, OverflowError):
        raise ValueError(
            f"must be epoch milliseconds or ISO 8601 (e.g. 2025-10-10T21:15:00Z), got {_clip(text)!r}"
        ) from None


def _number(name: str, text: str) -> float:
    s = text.strip()
    if not s or s.lower() == "nan":
        if name == "mark_price":
            raise ValueError("is required and empty")
        return math.nan
    try:
        x = float(s)
    except ValueError:
        raise ValueError(f"must be a number, got {_clip(text)!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"must be finite, got {_clip(text)!r}")
    bound = _BOUNDS[name]
    if bound is not None:
        low, exclusive = bound
        if (x <= low) if exclusive else (x < low):
            raise ValueError(f"must be {'>' if exclusive else '>='} {low:g}, got {text!r}")
    return x


def _parse_rows(columns: list[str], body: str, skip_bad: bool) -> ReplayData:
    n_cols = len(columns)
    t = columns.index("timestamp")
    k = columns.index("symbol")
    numeric_pos = [(i, name) for i, name in enumerate(columns) if name in NUMERIC]
    ts_list: list[int] = []
    codes: list[int] = []
    vals: list[list[float]] = [[] for _ in numeric_pos]
    symbols: dict[tuple[str, str], int] = {}
    v = columns.index("venue") if "venue" in columns else None
    skipped = 0
    examples: list[str] = []
    reader = csv.reader(io.StringIO(body))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over the csv module's 128 KiB limit, a stray NUL, ...
            raise ReplayFormatError(
                reader.line_num + 1,
                None,
                f"unreadable CSV ({exc}; a cell is limited to 128 KiB)",
                skippable=False,
            ) from None
        line_no = reader.line_num + 1  # the header was line 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        try:
            if len(row) != n_cols:
                raise ReplayFormatError(line_no, None, f"has {len(row)} fields, the header has {n_cols}")
            try:
                ts = _timestamp_ms(row[t])
            except ValueError as exc:
                raise ReplayFormatError(line_no, "timestamp", str(exc)) from None
            sym = row[k].strip()
            if not sym:
                raise ReplayFormatError(line_no, "symbol", "is empty")
            key = (sym, row[v].strip() if v is not None else "")
            if key not in symbols and len(symbols) >= MAX_SYMBOLS:
                raise ReplayFormatError(
                    line_no, "symbol", f"more than {MAX_SYMBOLS} symbols in one file", skippable=False
                )
            parsed = []
            for i, name in numeric_pos:
                try:
                    parsed.append(_number(name, row[i]))
                except ValueError as exc:
                    raise ReplayFormatError(line_no, name, str(exc)) from None
        except ReplayFormatError as err:
            if not skip_bad:
                raise
            skipped += 1
            if len(examples) < _MAX_EXAMPLES:
                examples.append(str(err))
            continue
        ts_list.append(ts)
        codes.append(symbols.setdefault(key, len(symbols)))
        for j, x in enumerate(parsed):
            vals[j].append(x)
    values = {name: np.array(vals[j], dtype=np.float64) for j, (_, name) in enumerate(numeric_pos)}
    return _result(
        columns,
        list(symbols),
        np.array(codes, dtype=np.int64),
        np.array(ts_list, dtype=np.int64),
        values,
        skipped,
        examples,
    )
