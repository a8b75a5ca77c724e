"""Documented examples table (before/after).

Run: PYTHONPATH=<checkout> python tests/benchmarks/documented_examples_table.py

Prints each published example, its expected value and what the checkout computes (sources in
tests/risk/test_documented_examples.py)."""

import math

from risk import Account, Instrument, MarginTier, Position, assess

INF = math.inf


def one(rate, amt=0.0):
    return (MarginTier(0.0, INF, rate, amt),)


out = []


def add(name, expected, got, tol):
    ok = got is not None and abs(got - expected) <= tol
    out.append((name, expected, got, ok))


# Binance FAQ
BTC = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=one(0.025, 16300.0))
ETH = Instrument("ETH/USDT:USDT", "binanceusdm", tiers=one(0.10, 135365.0))
W = 1_535_443.01
for mode in ("cross", "isolated"):
    c = W if mode == "isolated" else None
    ps = [
        Position(BTC, "long", 109.488, 32481.98, 31967.27, mode, collateral=c),
        Position(ETH, "long", 3683.979, 1456.84, 1335.18, mode, collateral=c),
    ]
    r = assess(Account("binanceusdm", W if mode == "cross" else 0.0, ps))
    exp = (26316.89, 1153.26) if mode == "cross" else (18778.73, 1114.78)
    add(f"Binance FAQ {mode} BTCUSDT", exp[0], r.positions[0].liquidation_price, 0.005)
    add(f"Binance FAQ {mode} ETHUSDT", exp[1], r.positions[1].liquidation_price, 0.005)
inst = Instrument("BTC/USD:BTC", "binancecoinm", contract_size=100.0, inverse=True, tiers=one(0.004))
r = assess(
    Account(
        "binancecoinm", 10.0, [Position(inst, "long", 100, 25000.0, 25000.0, "cross")], settle_currency="BTC"
    )
)
add("Binance COIN-M MM 0.0016 BTC", 0.0016, r.positions[0].maintenance_margin, 1e-12)
# Bybit linear isolated, current rule (UTA rules 2026-08-07): LP = [Eq - Eq/lev - Extra/(1-t) - D]/[q - q MMR]
t = 0.00055
for side, extra in (("long", 0.0), ("short", 0.0), ("long", 150.0), ("short", 150.0)):
    s = 1 if side == "long" else -1
    fee = 20000 * (1 - s / 50) * t
    kw = dict(taker_fee_rate=t)
    try:
        i = Instrument("BTC/USDT:USDT", "bybit", tiers=one(0.005), **kw)
        p = Position(i, side, 1.0, 20000.0, 20500.0, "isolated", collateral=400.0 + fee + extra, leverage=50)
        got = assess(Account("bybit", 0.0, [p])).positions[0].liquidation_price
    except Exception:
        got = None
    exp = (
        (20000 - 400 - extra / (1 - t)) / 0.995 if side == "long" else (20000 + 400 + extra / (1 + t)) / 1.005
    )
    add(f"Bybit USDT isolated {side} extra {extra:g} (2026 rule)", exp, got, exp * 1e-9)
# Bybit close fee in MM (Initial Margin USDC page 2025-09): 12.375 long / 15.125 short
for side, fee in (("long", 12.375), ("short", 15.125)):
    i = Instrument("BTC/USDC:USDC", "bybit", tiers=one(0.005), taker_fee_rate=t)
    p = Position(i, side, 0.5, 50000.0, 50500.0, "cross", leverage=10)
    got = assess(Account("bybit", 10000.0, [p], settle_currency="USDC")).positions[0].maintenance_margin
    add(f"Bybit MM incl. close fee {side} ({fee})", 0.5 * 50500 * 0.005 + fee, got, 1e-9)
# Bybit inverse 2026 (fee 0) and with fee + extra
for side, exp in (("long", 45681.818181818184), ("short", 55277.777777777774)):
    i = Instrument("BTC/USD:BTC", "bybit", contract_size=1.0, inverse=True, tiers=one(0.005))
    p = Position(i, side, 60000, 50000.0, 50000.0, "isolated", collateral=0.12, leverage=10)
    add(
        f"Bybit inverse isolated {side} (2026 page inputs)",
        exp,
        assess(Account("bybit", 0.0, [p], settle_currency="BTC")).positions[0].liquidation_price,
        exp * 1e-9,
    )
for side in ("long", "short"):
    s = 1 if side == "long" else -1
    q, e, lev, mmr, extra = 60000.0, 50000.0, 10.0, 0.005, 0.03
    fee = q / e * (1 + s / lev) * t
    i = Instrument("BTC/USD:BTC", "bybit", inverse=True, tiers=one(mmr), taker_fee_rate=t)
    p = Position(i, side, q, e, e, "isolated", collateral=q / e / lev + fee + extra, leverage=lev)
    exp = (
        q * (mmr + 1) / (q / e + q / e / lev + extra / (1 + t))
        if side == "long"
        else q * (1 - mmr) / (q / e - q / e / lev - extra / (1 - t))
    )
    add(
        f"Bybit inverse isolated {side} fee+extra (2026 formula)",
        exp,
        assess(Account("bybit", 0.0, [p], settle_currency="BTC")).positions[0].liquidation_price,
        exp * 1e-9,
    )
# OKX inverse isolated
for side, exp in (("long", 45681.818181818184), ("short", 55277.777777777774)):
    i = Instrument("BTC/USD:BTC", "okx", contract_size=100.0, inverse=True, tiers=one(0.005))
    p = Position(i, side, 600, 50000.0, 50000.0, "isolated", collateral=0.12)
    add(
        f"OKX inverse isolated {side}",
        exp,
        assess(Account("okx", 0.0, [p], settle_currency="BTC")).positions[0].liquidation_price,
        exp * 1e-9,
    )
for name, exp, got, ok in out:
    shown = "None" if got is None else format(got, ".10g")
    print(f"{'ok ' if ok else 'NO '} {name:55s} expected {exp:.10g} got {shown}")
print(sum(o[3] for o in out), "of", len(out))
