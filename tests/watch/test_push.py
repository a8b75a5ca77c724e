"""PushRouter through the real apprise ``json://`` plugin to a local receiver: minimum level, quiet
hours except critical, rate limit with a summary of what was held back, a failing channel's status."""

from __future__ import annotations

import pytest

from desktop.secrets.redact import redact
from desktop.secrets.store import SecretStore
from desktop.settings import AppConfig
from desktop.watch.channels import channel_url, save_channel_url
from desktop.watch.config import AlwaysOnConfig, ChannelConfig
from desktop.watch.push import HOUR, PushRouter, in_quiet_hours
from desktop.watch.routing import configured_channels
from tests.watch.helpers import Clock, event
from tests.watch.receiver import Receiver


def _router(rx: Receiver, clock: Clock, minute: list[int], **channel: object) -> PushRouter:
    config = ChannelConfig("rx", "receiver", **channel)  # type: ignore[arg-type]
    return PushRouter([(config, rx.url)], clock=clock, minutes=lambda _t: minute[0])


def test_minimum_level_filters_and_the_message_carries_the_numbers() -> None:
    clock, minute = Clock(), [12 * 60]
    with Receiver() as rx:
        router = _router(rx, clock, minute, min_level="warning")
        assert router.push([event("info")]) == 0
        assert router.push([event("warning", "a"), event("critical", "b")]) == 1
        assert router.flush(10)
        router.close()
        (post,) = rx.received()
    assert post["type"] == "failure"  # the worst level of the batch decides
    assert post["title"] == "LiqGuard CRITICAL: 2 alerts"
    assert post["message"].index("[CRITICAL] b: distance to liquidation 4.9 %") < post["message"].index(
        "[WARNING] a"
    )
    assert "- distance to liquidation 4.9 % at or below 5.0 %" in post["message"]


@pytest.mark.parametrize(
    ("quiet", "minute", "inside"),
    [((22 * 60, 7 * 60), 23 * 60, True), ((22 * 60, 7 * 60), 6 * 60 + 59, True),
     ((22 * 60, 7 * 60), 7 * 60, False), ((13 * 60, 14 * 60), 13 * 60 + 30, True),
     ((13 * 60, 14 * 60), 12 * 60, False), ((5, 5), 5, False), (None, 5, False)],
)  # fmt: skip
def test_quiet_hours_window_wraps_midnight(quiet, minute, inside) -> None:
    assert in_quiet_hours(quiet, minute) is inside


def test_quiet_hours_hold_all_but_critical_and_summarise_when_they_end() -> None:
    clock, minute = Clock(), [23 * 60]  # 23:00 local, inside 22:00-07:00
    with Receiver() as rx:
        router = _router(rx, clock, minute, min_level="info", quiet_start="22:00", quiet_end="07:00")
        assert router.push([event("warning", "a")]) == 0
        assert router.push([event("info", "b")]) == 0
        assert router.tick() == 0  # still quiet
        assert router.push([event("critical", "c")]) == 1  # critical breaks through quiet hours
        assert router.flush(10)
        first = rx.received()
        assert [p["type"] for p in first] == ["failure"]
        assert "Held back (quiet hours): 2 alerts (1 warning, 1 info)" in first[0]["message"]
        assert router.push([event("warning", "d")]) == 0
        minute[0] = 7 * 60  # quiet hours over: the summary of what was held goes out
        assert router.tick() == 1
        assert router.flush(10)
        router.close()
        summary = rx.received()[-1]
    assert summary["title"] == "LiqGuard: 1 alerts held back"
    assert "Held back (quiet hours): 1 alerts (1 warning)" in summary["message"]
    assert "- d: distance to liquidation 9.0 %" in summary["message"]


def test_rate_limit_holds_back_non_critical_and_summarises_in_the_next_message() -> None:
    clock, minute = Clock(), [12 * 60]
    with Receiver() as rx:
        router = _router(rx, clock, minute, min_level="warning", rate_limit_per_hour=2)
        for i in range(2):
            assert router.push([event("warning", f"w{i}")]) == 1
            clock.now += 60
        assert router.push([event("warning", "w2")]) == 0  # third in the hour: held
        assert router.push([event("warning", "w3")]) == 0
        assert router.push([event("critical", "c")]) == 1  # never held; the held ones ride along
        assert router.flush(10)
        posts = rx.received()
        assert len(posts) == 3
        assert "Held back (rate limit): 2 alerts (2 warning)" in posts[2]["message"]
        assert router.push([event("warning", "w4")]) == 0
        assert router.tick() == 0  # the hour is not over
        clock.now += HOUR  # every send of the last hour has expired
        assert router.tick() == 1
        assert router.flush(10)
        router.close()
        last = rx.received()[-1]
    assert "Held back (rate limit): 1 alerts (1 warning)" in last["message"]


def test_a_failing_channel_is_reported_with_the_reason() -> None:
    seen = []
    with Receiver(status=500) as rx:
        router = PushRouter(
            [(ChannelConfig("rx", "phone"), rx.url)], on_status=lambda status, result: seen.append(result)
        )
        router.push([event("critical")])
        assert router.flush(15)
        router.close()
    (status,) = router.status()
    assert status.failing and status.failed == 1 and status.sent == 0
    assert "500" in status.last_error or "error" in status.last_error.lower()
    assert seen and not seen[0].ok


def test_channel_url_lives_in_the_keychain_and_is_redacted(memory_keyring) -> None:
    secrets = SecretStore()
    url = "tgram://123456789:AAEsecretbottoken/987654"
    save_channel_url(secrets, "tg", url)
    assert channel_url(secrets, "tg") == url
    assert ("io.liqguard.LiqGuard", "push:tg:url") in memory_keyring.store
    assert (
        url
        not in AppConfig(always_on=AlwaysOnConfig(channels=(ChannelConfig("tg", "Telegram"),)))
        .to_dict()
        .__repr__()
    )
    assert redact(f"failed {url}") == "failed [REDACTED]"
    found, problems = configured_channels(
        AlwaysOnConfig(channels=(ChannelConfig("tg", "Telegram"), ChannelConfig("gone", "Old phone")))
    )
    assert [c.channel_id for c, _ in found] == ["tg"]
    assert problems == [
        "push channel 'Old phone' has no URL in the keychain; set it again in Settings > Push channels"
    ]


def test_save_channel_url_refuses_what_apprise_cannot_use() -> None:
    with pytest.raises(ValueError, match="apprise does not understand this nosuch:// URL"):
        save_channel_url(SecretStore(), "x", "nosuch://token")


def _channel(**fields: object) -> dict:
    return {"channels": [{"channel_id": "a", **fields}]}


@pytest.mark.parametrize(
    ("block", "message"),
    [(_channel(min_level="loud"), "min_level must be one of info, warning, critical"),
     (_channel(quiet_start="22:00"), "quiet hours need both a start and an end"),
     (_channel(quiet_start="25:00", quiet_end="07:00"), "must be a time HH:MM"),
     (_channel(rate_limit_per_hour=0), "rate_limit_per_hour must be a whole number"),
     ({"channels": [{"channel_id": "a"}, {"channel_id": "a"}]}, "channel ids must be unique"),
     ({"escalation_minutes": 0}, "escalation_minutes must be 0.1..1440")],
)  # fmt: skip
def test_bad_always_on_settings_fall_back_with_a_clear_message(block, message) -> None:
    config, problems = AppConfig.from_dict({"always_on": block})
    assert config.always_on == AlwaysOnConfig()
    assert len(problems) == 1 and message in problems[0]


def test_always_on_keys_of_a_newer_version_do_not_cost_the_channels() -> None:
    channel = {"channel_id": "tg", "label": "Telegram", "colour": "blue"}
    block = {"channels": [channel], "from_the_future": True}
    config, problems = AppConfig.from_dict({"always_on": block})
    assert problems == [] and config.always_on.channels == (ChannelConfig("tg", "Telegram"),)


def test_always_on_settings_round_trip() -> None:
    config = AppConfig(
        always_on=AlwaysOnConfig(
            channels=(ChannelConfig("tg", "Telegram", "critical", "22:00", "07:00", 5),),
            escalation_minutes=3,
            start_at_login=True,
        )
    )
    again, problems = AppConfig.from_dict(config.to_dict())
    assert problems == [] and again == config
