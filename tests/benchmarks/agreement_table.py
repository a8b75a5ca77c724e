"""Agreement table: computed vs venue-reported liquidation prices (test_liquidation_agreement.CASES).

Run: uv run python tests/benchmarks/agreement_table.py"""

from tests.exchanges import test_liquidation_agreement as t

for label, build, sym, mode in t.CASES:
    acc = build()
    v, c = t.agreement(acc, sym, mode)
    print(f"{label:75s} venue {v:.8f} ours {c:.8f} rel {(c - v) / v:+.2e}")
