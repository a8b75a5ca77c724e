"""``liqguard replay``: CSV format, malformed rows, human and JSON output, scenario replay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from desktop.__main__ import main as liqguard
from desktop.cli.replay import main
from desktop.cli.replay_csv import read_replay_csv
from risk.cascade import SERIES_FIELDS, replay_series
from risk.simulate import scenario, simulate

COLUMNS = (("timestamp", "timestamp_ms"), ("symbol", None), *SERIES_FIELDS)


@pytest.fixture(scope="module")
def cascade_window():
    """Two and a half hours of the Oct 10 scenario around the cascade, 1-second rows."""
    return simulate(scenario("oct-10-2025").window(7.5 * 3600, 10 * 3600))


def _write_csv(path: Path, s, iso: bool = False, order: tuple[int, ...] | None = None) -> Path:
    cols = [COLUMNS[i] for i in order] if order else list(COLUMNS)
    lines = [",".join(name for name, _ in cols)]
    arrays = {attr: getattr(s, attr).tolist() for _, attr in cols if attr}
    for i in range(len(s)):
        cells = []
        for name, attr in cols:
            if name == "symbol":
                cells.append(s.symbol)
            elif name == "timestamp" and iso:
                ts = datetime.fromtimestamp(arrays[attr][i] / 1000, tz=UTC)
                cells.append(ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
            else:
                cells.append(repr(arrays[attr][i]))
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def _json(capsys, argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_csv_replay_equals_the_in_memory_replay(tmp_path, capsys, cascade_window):
    path = _write_csv(tmp_path / "oct10.csv", cascade_window)
    out = _json(capsys, [str(path), "--json"])
    _, expected = replay_series(cascade_window)
    assert [(e["timestamp"], e["regime"], e["level"]) for e in out["events"]] == [
        (e.timestamp_ms, e.regime, e.level) for e in expected
    ]
    assert any(e["level"] == "critical" for e in out["events"])
    first = out["events"][0]
    assert set(first) == {"timestamp", "symbol", "regime", "previous", "score", "level", "reasons"}
    assert first["symbol"] == "BTC/USDT:USDT" and isinstance(first["reasons"], list)
    summary = out["summary"]
    assert summary["rows"] == len(cascade_window) and summary["rows_skipped"] == 0
    assert summary["events_by_level"]["critical"] >= 1
    assert summary["symbols"]["BTC/USDT:USDT"]["missing"] == []


def test_iso_timestamps_and_any_column_order_give_the_same_events(tmp_path, capsys, cascade_window):
    short = simulate(scenario("oct-10-2025").window(8.5 * 3600, 9.5 * 3600))
    a_path = _write_csv(tmp_path / "a.csv", short)
    a = _json(capsys, [str(a_path), "--json"])
    order = (12, 2, 1, 0, 5, 4, 3, 7, 6, 8, 9, 10, 11)
    b_path = _write_csv(tmp_path / "b.csv", short, iso=True, order=order)
    b = _json(capsys, [str(b_path), "--json"])
    assert a["events"] == b["events"] and a["events"]
    # The first went through the numpy bulk parser, the second (ISO times) through the row reader.
    assert read_replay_csv(a_path).parsed_in_bulk and not read_replay_csv(b_path).parsed_in_bulk


def test_rows_are_grouped_by_symbol_and_sorted_in_time(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        "symbol,timestamp,mark_price,liq_long_usd\n"
        "ETH/USDT:USDT,1760000120000,3000,5\n"
        "BTC/USDT:USDT,1760000060000,100000,\n"
        "ETH/USDT:USDT,1760000000000,3010,\n"
        "BTC/USDT:USDT,1760000000000,100100,7\n"
    )
    data = read_replay_csv(path)
    assert [s.symbol for s in data.symbols] == ["ETH/USDT:USDT", "BTC/USDT:USDT"]
    eth, btc = data.symbols
    assert eth.timestamp_ms.tolist() == [1760000000000, 1760000120000]
    assert eth.columns["mark_price"].tolist() == [3010.0, 3000.0]
    assert np.isnan(eth.columns["liq_long_usd"][0]) and eth.columns["liq_long_usd"][1] == 5.0
    assert btc.columns["liq_long_usd"].tolist()[0] == 7.0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1760000060000,BTC/USDT:USDT,abc,1", "line 3, column 'mark_price': must be a number, got 'abc'"),
        ("1760000060000,BTC/USDT:USDT,100,-5", "line 3, column 'liq_long_usd': must be >= 0, got '-5'"),
        (
            "yesterday,BTC/USDT:USDT,100,1",
            "line 3, column 'timestamp': must be epoch milliseconds or ISO 8601",
        ),
        ("1760000060000,BTC/USDT:USDT,100", "line 3: has 3 fields, the header has 4"),
        ("1760000060000,,100,1", "line 3, column 'symbol': is empty"),
        ("1760000060000,BTC/USDT:USDT,,1", "line 3, column 'mark_price': is required and empty"),
        ("1760000060000,BTC/USDT:USDT,inf,1", "line 3, column 'mark_price': must be finite"),
    ],
)
def test_malformed_row_names_line_and_column(tmp_path, capsys, row, message):
    path = tmp_path / "bad.csv"
    path.write_text(
        "timestamp,symbol,mark_price,liq_long_usd\n"
        f"1760000000000,BTC/USDT:USDT,100,1\n{row}\n"
        "1760000120000,BTC/USDT:USDT,101,0\n"
    )
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "--skip-bad" in err
    assert "Traceback" not in err
    # With --skip-bad the row is dropped and counted; the rest is replayed.
    out = _json(capsys, [str(path), "--json", "--skip-bad"])
    assert out["summary"]["rows_skipped"] == 1 and out["summary"]["rows"] == 2
    assert message.split(":")[0] in out["summary"]["skipped_examples"][0]


def test_missing_required_column_and_unreadable_file(tmp_path, capsys):
    path = tmp_path / "nomark.csv"
    path.write_text("timestamp,symbol,index_price\n1760000000000,BTC/USDT:USDT,100\n")
    assert main([str(path)]) == 2
    assert "line 1, column 'mark_price': required column is missing" in capsys.readouterr().err
    assert main([str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "empty.csv").write_text("")
    assert main([str(tmp_path / "empty.csv")]) == 2
    assert "header row is missing" in capsys.readouterr().err


def test_human_output_is_a_timeline_with_reasons(tmp_path, capsys, cascade_window):
    path = _write_csv(tmp_path / "oct10.csv", cascade_window)
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "-> firing  CRITICAL" in out
    assert "liquidations $" in out  # a reason line
    assert "Summary:" in out and "max score" in out


def test_scenario_replay_json_and_dispatch_through_liqguard(capsys):
    assert liqguard(["replay", "--scenario", "calm", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all(e["level"] == "info" for e in out["events"])
    assert out["summary"]["source"].startswith("scenario calm")
    out = _json(capsys, ["--scenario", "oct-10-2025", "--json"])
    levels = [e["level"] for e in out["events"]]
    assert "warning" in levels and "critical" in levels
    assert any(row["metric"] == "peak 1-min liquidations" for row in out["summary"]["calibration"])


def test_argument_errors_exit_2_without_traceback(tmp_path, capsys):
    assert main([]) == 2
    assert main([str(tmp_path / "x.csv"), "--scenario", "calm"]) == 2
    assert main(["--scenario", "nope"]) == 2
    assert main(["--scenario", "calm", "--time-scale", "-1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "time_scale" in err


def test_header_only_and_binary_files(tmp_path, capsys):
    (tmp_path / "h.csv").write_text("timestamp,symbol,mark_price\n")
    out = _json(capsys, [str(tmp_path / "h.csv"), "--json"])
    assert out == {"events": [], "summary": out["summary"]} and out["summary"]["rows"] == 0
    (tmp_path / "r.csv").write_bytes(b"timestamp,symbol,mark_price\n\xff\xfe\x00garbage\n")
    assert main([str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert "line 2: not UTF-8 text" in err and "--skip-bad" not in err
