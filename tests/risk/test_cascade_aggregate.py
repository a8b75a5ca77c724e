"""One cascade state per underlying: legs across venues and quotes summed the way aggregators do."""

from __future__ import annotations

import pytest

from risk.cascade import MarketAggregate, underlying

MIN = 60_000
T0 = 1_760_000_000_000 - 1_760_000_000_000 % (60 * MIN)


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("BTC/USDT:USDT", "BTC"),
        ("BTC/USDC:USDC", "BTC"),
        ("BTC/USD:BTC", "BTC"),
        ("BTC/USD:BTC-251226", "BTC"),
        ("eth/usdt:usdt", "ETH"),
        ("1000PEPE/USDT:USDT", "1000PEPE"),
    ],
)
def test_underlying(symbol: str, expected: str) -> None:
    assert underlying(symbol) == expected


def test_totals_sum_oi_and_depth_weight_funding_by_oi_usd() -> None:
    agg = MarketAggregate("BTC")
    # Binance: 10 BTC OI at 100,000 = $1.0 M, funding 0.01 %/8h; OKX 30 BTC at 100,200 = $3.006 M,
    # funding 0.0025 %/h on an hourly venue = 0.02 %/8h.
    agg.update(
        "binanceusdm BTC/USDT:USDT",
        T0,
        mark_price=100_000.0,
        open_interest=10.0,
        funding_rate=0.0001,
        bid_depth_1pct_usd=2e6,
        liq_long_usd=1e6,
    )
    agg.update(
        "okx BTC/USDT:USDT",
        T0 + 1000,
        mark_price=100_200.0,
        open_interest=30.0,
        funding_rate=0.000025,
        funding_interval_hours=1.0,
        bid_depth_1pct_usd=3e6,
        liq_long_usd=4e6,
    )
    t = agg.totals(T0 + 1000)
    assert t["open_interest"] == pytest.approx(40.0)
    assert t["bid_depth_1pct_usd"] == pytest.approx(5e6)
    # Independent: (1.0e6 * 0.0001 + 3.006e6 * 0.0002) / 4.006e6
    assert t["funding_rate"] == pytest.approx((1.0e6 * 0.0001 + 3.006e6 * 0.0002) / 4.006e6)
    assert t["mark_price"] == pytest.approx(100_100.0)  # median of two = their mean
    agg.update("binanceusdm BTC/USDT:USDT", T0 + MIN, mark_price=100_000.0)
    # Liquidations of the first minute, both venues, summed once each.
    ind = agg.monitor.reading.indicators
    assert ind.liq_long_1m_usd == pytest.approx(5e6)
    assert ind.oi == pytest.approx(40.0)


def test_a_silent_leg_drops_out_of_the_sums() -> None:
    agg = MarketAggregate("BTC", max_age_ms=5 * MIN)
    agg.update("a", T0, mark_price=100.0, open_interest=10.0)
    agg.update("b", T0, mark_price=100.0, open_interest=20.0)
    agg.update("a", T0 + 10 * MIN, mark_price=100.0, open_interest=10.0)
    assert agg.totals(T0 + 10 * MIN)["open_interest"] == pytest.approx(10.0)


def test_replay_csv_venue_column_gives_one_market(tmp_path, capsys) -> None:
    import json

    from desktop.cli.replay import main

    lines = ["timestamp,venue,symbol,mark_price,open_interest,funding_rate"]
    for m in range(30):
        ts = T0 + m * MIN
        lines.append(f"{ts},binanceusdm,BTC/USDT:USDT,100000,10,0.0001")
        lines.append(f"{ts + 500},bybit,BTC/USDT:USDT,100010,20,0.0001")
        lines.append(f"{ts + 700},binanceusdm,BTC/USDC:USDC,99990,5,0.0001")
    f = tmp_path / "venues.csv"
    f.write_text("\n".join(lines) + "\n")
    assert main([str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    symbols = out["summary"]["symbols"]
    assert list(symbols) == ["BTC"]
    assert symbols["BTC"]["legs"] == [
        "binanceusdm BTC/USDT:USDT",
        "bybit BTC/USDT:USDT",
        "binanceusdm BTC/USDC:USDC",
    ]
    assert symbols["BTC"]["rows"] == 90
