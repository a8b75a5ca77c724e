"""Speed of risk.assess / risk.stress against a plain-Python per-position loop, in the same run.

Run by hand (not part of the default test run):

    uv run python tests/benchmarks/bench_risk.py [--quick]

Targets (issue 2): assess of 10,000 positions in 50 accounts <= 15 ms and faster than the loop;
stress of 10,000 positions x 1,001 shocks <= 150 ms and >= 50x the loop.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from risk import Account, Instrument, Position, assess_many, stress  # noqa: E402
from risk.assess import assess_book  # noqa: E402
from risk.book import build_book  # noqa: E402
from risk.tiers import tiers_from_brackets  # noqa: E402

TIERS_FILE = ROOT / "tests" / "fixtures" / "binance_tiers_sample.json"


def make_instruments() -> list[tuple[Instrument, float]]:
    data = json.loads(TIERS_FILE.read_text())
    prices = {
        "BTC/USDT:USDT": 90_000.0,
        "ETH/USDT:USDT": 3_000.0,
        "SOL/USDT:USDT": 150.0,
        "BTC/USDC:USDC": 90_000.0,
        "DOGE/USDT:USDT": 0.15,
    }
    result = []
    for symbol, price in prices.items():
        rows = data[symbol]
        tiers = tiers_from_brackets(
            [r["minNotional"] for r in rows],
            [r["maintenanceMarginRate"] for r in rows],
            [float(r["info"]["cum"]) for r in rows],
        )
        result.append((Instrument(symbol, "binanceusdm", tiers=tiers), price))
    return result


def make_accounts(n_positions: int, n_accounts: int, seed: int = 7) -> list[Account]:
    rng = random.Random(seed)
    instruments = make_instruments()
    per_account = n_positions // n_accounts
    accounts = []
    for _ in range(n_accounts):
        marks = {inst.symbol: price * rng.uniform(0.95, 1.05) for inst, price in instruments}
        positions = []
        for _ in range(per_account):
            inst, price = rng.choice(instruments)
            notional = math.exp(rng.uniform(math.log(1e3), math.log(2e6)))
            entry = price * rng.uniform(0.9, 1.1)
            isolated = rng.random() < 0.3
            collateral = notional / rng.uniform(2, 50) if isolated else None
            side = rng.choice(["long", "short"])
            mode = "isolated" if isolated else "cross"
            positions.append(
                Position(inst, side, notional / entry, entry, marks[inst.symbol], mode, collateral=collateral)
            )
        # Wallet between 10 % and 50 % of the cross notional (2x-10x account leverage): mostly
        # healthy accounts, some close to liquidation, as in a real book.
        cross_notional = sum(p.contracts * p.mark_price for p in positions if p.margin_mode == "cross")
        accounts.append(Account("binanceusdm", cross_notional * rng.uniform(0.1, 0.5), positions))
    return accounts


# --- the plain-Python per-position loop reference ---------------------------------------------------
def _tier(tiers, notional: float):
    chosen = tiers[0]
    for tier in tiers:
        if tier.notional_floor <= notional:
            chosen = tier
    return chosen


def loop_assess(accounts: list[Account]) -> list[list[float | None]]:
    """Per position: MM, PnL, and the Binance one-way closed form with the tier-at-LP iteration.

    Computes less than ``assess`` (no hedge grouping, no break move, no bisection fallback).
    """
    out = []
    for account in accounts:
        mms, pnls = [], []
        for p in account.positions:
            q = p.contracts * p.instrument.contract_size
            s = 1.0 if p.side == "long" else -1.0
            tier = _tier(p.instrument.tiers, q * p.mark_price)
            mms.append(q * p.mark_price * tier.maintenance_rate - tier.maintenance_amount)
            pnls.append(s * q * (p.mark_price - p.entry_price))
        cross_mm = sum(m for m, p in zip(mms, account.positions, strict=True) if p.margin_mode == "cross")
        cross_pnl = sum(u for u, p in zip(pnls, account.positions, strict=True) if p.margin_mode == "cross")
        lps: list[float | None] = []
        for p, mm, pnl in zip(account.positions, mms, pnls, strict=True):
            q = p.contracts * p.instrument.contract_size
            s = 1.0 if p.side == "long" else -1.0
            if p.margin_mode == "isolated":
                wb = float(p.collateral or 0.0)
            else:
                wb = account.wallet_balance - (cross_mm - mm) + (cross_pnl - pnl)
            tier = _tier(p.instrument.tiers, q * p.mark_price)
            lp = None
            for _ in range(len(p.instrument.tiers) + 1):
                lp = (wb + tier.maintenance_amount - s * q * p.entry_price) / (
                    q * tier.maintenance_rate - s * q
                )
                if lp <= 0:
                    lp = None
                    break
                new = _tier(p.instrument.tiers, q * lp)
                if new is tier:
                    break
                tier = new
            lps.append(lp)
        out.append(lps)
    return out


def loop_stress(account: Account, shocks: np.ndarray) -> tuple[list[float], list[float], list[list[bool]]]:
    """Per shock, per position: PnL, tiered MM, isolated and cross liquidation flags.

    Cross legs of one symbol and side are tiered together, as the venue does (and as ``stress``).
    """
    collateral = sum(float(p.collateral or 0.0) for p in account.positions if p.margin_mode == "isolated")
    merged: dict[tuple[str, str], list] = {}
    for p in account.positions:
        if p.margin_mode == "cross":
            entry = merged.setdefault((p.instrument.symbol, p.side), [0.0, p.mark_price, p.instrument.tiers])
            entry[0] += p.contracts * p.instrument.contract_size
    equity, ratios, liquidated = [], [], []
    for x in shocks.tolist():
        total_pnl = 0.0
        cross_pnl = 0.0
        iso_flags: list[bool | None] = []
        for p in account.positions:
            q = p.contracts * p.instrument.contract_size
            s = 1.0 if p.side == "long" else -1.0
            price = p.mark_price * (1.0 + x)
            pnl = s * q * (price - p.entry_price)
            total_pnl += pnl
            if p.margin_mode == "cross":
                cross_pnl += pnl
                iso_flags.append(None)
            else:
                tier = _tier(p.instrument.tiers, q * price)
                mm = q * price * tier.maintenance_rate - tier.maintenance_amount
                iso_flags.append(float(p.collateral or 0.0) + pnl <= mm)
        cross_mm = 0.0
        for q, mark, tiers in merged.values():
            price = mark * (1.0 + x)
            tier = _tier(tiers, q * price)
            cross_mm += q * price * tier.maintenance_rate - tier.maintenance_amount
        balance = account.wallet_balance + cross_pnl
        ratio = math.inf if balance <= 0 else cross_mm / balance
        equity.append(account.wallet_balance + collateral + total_pnl)
        ratios.append(ratio)
        liquidated.append([ratio >= 1.0 if f is None else f for f in iso_flags])
    return equity, ratios, liquidated


def median_ms(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 21

    accounts = make_accounts(10_000, 50)
    assess_many(accounts)  # warm-up
    book = build_book(accounts)
    t_book = median_ms(lambda: build_book(accounts), repeats)
    t_arrays = median_ms(lambda: assess_book(book), repeats)
    t_objects = median_ms(lambda: assess_many(accounts), repeats)
    t_loop = median_ms(lambda: loop_assess(accounts), max(3, repeats // 4))

    # Same answers where the loop's simpler model applies: isolated positions (cross legs of one
    # symbol are merged and hedged by assess, which the loop does not do).
    ours = assess_many(accounts)
    loop = loop_assess(accounts)
    compared, worst = 0, 0.0
    for account, risk, lps in zip(accounts, ours, loop, strict=True):
        for p, r, lp in zip(account.positions, risk.positions, lps, strict=True):
            if p.margin_mode == "isolated" and lp is not None and r.liquidation_price is not None:
                compared += 1
                worst = max(worst, abs(r.liquidation_price - lp) / lp)
    print("assess: 10,000 positions in 50 accounts (70 % cross, 30 % isolated, Binance USD-M tiers)")
    print(f"  build_book (objects -> arrays)        median {t_book:8.2f} ms")
    print(f"  assess_book (arrays, batch path)      median {t_arrays:8.2f} ms   target <= 15 ms")
    print(f"  assess_many (objects in and out)      median {t_objects:8.2f} ms")
    print(f"  plain-Python per-position loop        median {t_loop:8.2f} ms")
    print(f"  speed-up vs loop: arrays {t_loop / t_arrays:5.1f}x, objects {t_loop / t_objects:5.1f}x")
    print(f"  isolated LPs compared with the loop: {compared}, worst relative gap {worst:.2e}")

    positions = []
    marks: dict[str, float] = {}
    for a in accounts:
        for p in a.positions:
            mark = marks.setdefault(p.instrument.symbol, p.mark_price)
            positions.append(
                Position(p.instrument, p.side, p.contracts, p.entry_price, mark, p.margin_mode, p.collateral)
            )
    account = Account("binanceusdm", 5e7, positions)
    shocks = np.linspace(-0.5, 0.5, 1001)
    stress(account, shocks)  # warm-up
    t_stress = median_ms(lambda: stress(account, shocks), repeats)
    start = time.perf_counter()
    loop_equity, loop_ratio, loop_liq = loop_stress(account, shocks)
    t_stress_loop = (time.perf_counter() - start) * 1e3
    result = stress(account, shocks)
    finite = np.isfinite(loop_ratio)
    agree_ratio = np.allclose(np.asarray(loop_ratio)[finite], result.margin_ratio[finite], rtol=1e-9)
    agree_liq = float(np.mean(np.asarray(loop_liq) == result.liquidated))
    print("stress: 10,000 positions x 1,001 shocks (one account)")
    print(f"  stress()                              median {t_stress:8.2f} ms   target <= 150 ms")
    print(f"  plain-Python per-position loop        once   {t_stress_loop:8.0f} ms")
    print(f"  speed-up vs loop: {t_stress_loop / t_stress:7.1f}x   target >= 50x")
    print(f"  margin ratios agree (rtol 1e-9): {agree_ratio}; liquidated flags identical: {agree_liq:.6f}")
    np.testing.assert_allclose(loop_equity, result.equity, rtol=1e-9)


if __name__ == "__main__":
    main()
