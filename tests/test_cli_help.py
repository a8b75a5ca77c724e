"""``liqguard --help`` names the sub-commands; the run options refuse bad values with a clear message."""

from __future__ import annotations

import pytest

from desktop.__main__ import main


def test_help_lists_the_sub_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("check", "replay", "watch"):
        assert f"  {command}" in out
    for option in ("--size", "--theme", "--language", "--speed", "--screenshot"):
        assert option in out


@pytest.mark.parametrize("size", ["big", "1366", "100x100", "1366x-1"])
def test_bad_size_is_a_usage_error(capsys, size):
    with pytest.raises(SystemExit) as exit_info:
        main(["--size", size])
    assert exit_info.value.code == 2
    assert "WIDTHxHEIGHT" in capsys.readouterr().err
