"""The "always on" block of the settings (``AppConfig.always_on``): push channels, escalation, heartbeat,
start at login, keep running in the tray. No secrets here: a channel's apprise URL and the heartbeat URL
live in the OS keychain (:mod:`desktop.watch.channels`), the settings keep only ids and labels.

Times: quiet hours are local wall-clock ``"HH:MM"`` (24 h); a window may wrap midnight (22:00-07:00).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from risk.alerts import LEVELS

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MAX_RATE_PER_HOUR = 3600


def minutes_of(name: str, text: str) -> int:
    """``"HH:MM"`` → minutes after midnight (ValueError naming the field)."""
    match = _HHMM.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{name} must be a time HH:MM (00:00-23:59), got {text!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """One push channel (its apprise URL is in the keychain under ``channel_id``).

    Attributes
    ----------
    channel_id
        Stable id, letters, digits, ``_ . -`` (1-40 characters).
    label
        What the trader calls it ("Telegram", "phone").
    min_level
        Least severe level sent: "info", "warning" or "critical".
    quiet_start, quiet_end
        Local "HH:MM" of the quiet hours, or "" for none; during them only critical alerts are sent, the
        rest is summarised when they end.
    rate_limit_per_hour
        Messages per rolling hour (1..3600); beyond it non-critical alerts are held back and summarised
        in the next message. Critical alerts are never held back (they count towards the limit).
    enabled
        False keeps the channel configured but silent.
    """

    channel_id: str
    label: str = ""
    min_level: str = "warning"
    quiet_start: str = ""
    quiet_end: str = ""
    rate_limit_per_hour: int = 20
    enabled: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.channel_id, str) or not _CHANNEL_ID.match(self.channel_id):
            raise ValueError(
                f"channel id must be 1-40 letters, digits, '_', '.' or '-', got {self.channel_id!r}"
            )
        if not isinstance(self.label, str):
            raise ValueError(f"channel {self.channel_id}: label must be text, got {self.label!r}")
        if self.min_level not in LEVELS:
            raise ValueError(
                f"channel {self.channel_id}: min_level must be one of {', '.join(LEVELS)}, "
                f"got {self.min_level!r}"
            )
        if bool(self.quiet_start) != bool(self.quiet_end):
            raise ValueError(f"channel {self.channel_id}: quiet hours need both a start and an end")
        if self.quiet_start:
            minutes_of(f"channel {self.channel_id}: quiet_start", self.quiet_start)
            minutes_of(f"channel {self.channel_id}: quiet_end", self.quiet_end)
        rate = self.rate_limit_per_hour
        if isinstance(rate, bool) or not isinstance(rate, int) or not 1 <= rate <= MAX_RATE_PER_HOUR:
            raise ValueError(
                f"channel {self.channel_id}: rate_limit_per_hour must be a whole number "
                f"1..{MAX_RATE_PER_HOUR}, got {rate!r}"
            )
        if not isinstance(self.enabled, bool):
            raise ValueError(f"channel {self.channel_id}: enabled must be true or false")

    @property
    def name(self) -> str:
        return self.label or self.channel_id

    @property
    def quiet_hours(self) -> tuple[int, int] | None:
        """(start, end) in minutes after local midnight, or None."""
        if not self.quiet_start:
            return None
        return minutes_of("quiet_start", self.quiet_start), minutes_of("quiet_end", self.quiet_end)


@dataclass(frozen=True, slots=True)
class AlwaysOnConfig:
    """Settings of the always-on features (see the module docstring).

    Attributes
    ----------
    channels
        The push channels.
    escalation_minutes
        A critical alert not acknowledged in the window within this many minutes (0.1..1440) is pushed.
        The headless watcher pushes critical alerts at once.
    heartbeat_enabled
        Ping the heartbeat URL (in the keychain) every minute while monitoring.
    notify_stop
        Push "LiqGuard stopped monitoring" on a clean exit.
    gap_minutes
        A down-time longer than this (minutes, >= 1) is reported by a push at the next start.
    start_at_login
        Start LiqGuard when the user logs in.
    keep_in_tray
        Closing the window hides it to the tray; monitoring goes on until Quit.
    """

    channels: tuple[ChannelConfig, ...] = ()
    escalation_minutes: float = 2.0
    heartbeat_enabled: bool = False
    notify_stop: bool = True
    gap_minutes: int = 5
    start_at_login: bool = False
    keep_in_tray: bool = False

    def __post_init__(self) -> None:
        channels = self.channels
        if isinstance(channels, str | bytes | Mapping) or not isinstance(channels, list | tuple):
            raise ValueError(f"always_on.channels must be a list, got {channels!r}")
        parsed: list[ChannelConfig] = []
        for item in channels:
            if isinstance(item, ChannelConfig):
                parsed.append(item)
            elif isinstance(item, Mapping):
                known = set(ChannelConfig.__dataclass_fields__)
                try:
                    parsed.append(ChannelConfig(**{k: v for k, v in item.items() if k in known}))
                except TypeError as exc:  # channel_id missing
                    raise ValueError(f"always_on.channels: {exc}") from None
            else:
                raise ValueError(f"always_on.channels entries must be objects, got {item!r}")
        ids = [c.channel_id for c in parsed]
        if len(set(ids)) != len(ids):
            raise ValueError(f"always_on.channels: channel ids must be unique, got {ids}")
        object.__setattr__(self, "channels", tuple(parsed))
        minutes = self.escalation_minutes
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0.1 <= minutes <= 1440:
            raise ValueError(f"always_on.escalation_minutes must be 0.1..1440, got {minutes!r}")
        object.__setattr__(self, "escalation_minutes", float(minutes))
        for name in ("heartbeat_enabled", "notify_stop", "start_at_login", "keep_in_tray"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"always_on.{name} must be true or false, got {getattr(self, name)!r}")
        gap = self.gap_minutes
        if isinstance(gap, bool) or not isinstance(gap, int) or gap < 1:
            raise ValueError(f"always_on.gap_minutes must be a whole number >= 1, got {gap!r}")

    @classmethod
    def from_value(cls, value: object) -> AlwaysOnConfig:
        """From what the settings file holds (an object); ValueError naming the bad field."""
        if isinstance(value, AlwaysOnConfig):
            return value
        if not isinstance(value, Mapping):
            raise ValueError(f"always_on must be an object, got {value!r}")
        known = set(cls.__dataclass_fields__)
        # Keys a newer LiqGuard wrote are dropped, not fatal: the channels must survive a downgrade.
        return cls(**{k: v for k, v in value.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["channels"] = [asdict(c) for c in self.channels]
        return data

    def channel(self, channel_id: str) -> ChannelConfig | None:
        return next((c for c in self.channels if c.channel_id == channel_id), None)


DEFAULT = AlwaysOnConfig()
