"""``liqguard notify-test``: a test message per channel, one line each, exit code by outcome."""

from __future__ import annotations

from desktop.__main__ import main
from desktop.secrets.store import SecretStore
from desktop.settings import AppConfig, save_config
from desktop.watch.channels import save_channel_url
from desktop.watch.config import AlwaysOnConfig, ChannelConfig
from tests.watch.receiver import Receiver


def test_notify_test_to_given_urls(capsys) -> None:
    with Receiver() as good, Receiver(status=500) as bad:
        assert main(["notify-test", good.url]) == 0
        assert capsys.readouterr().out == "URL #1: delivered\n"
        assert main(["notify-test", good.url, bad.url]) == 1
        out = capsys.readouterr().out.splitlines()
        assert good.received()[0]["title"] == "LiqGuard test message"
    assert out[0] == "URL #1: delivered"
    assert out[1].startswith("URL #2: FAILED: ") and "500" in out[1]


def test_notify_test_uses_the_saved_channels_and_says_when_there_are_none(capsys) -> None:
    assert main(["notify-test"]) == 2
    assert "no push channels" in capsys.readouterr().err
    with Receiver() as rx:
        save_channel_url(SecretStore(), "phone", rx.url)
        save_config(AppConfig(always_on=AlwaysOnConfig(channels=(ChannelConfig("phone", "Phone"),))))
        assert main(["notify-test"]) == 0
        assert capsys.readouterr().out == "Phone: delivered\n"
        assert len(rx.received()) == 1


def test_notify_test_refuses_a_bad_url_without_echoing_it(capsys) -> None:
    assert main(["notify-test", "nosuch://secret-token-42"]) == 2
    err = capsys.readouterr().err
    assert "URL #1: apprise does not understand this nosuch:// URL" in err
    assert "secret-token-42" not in err
