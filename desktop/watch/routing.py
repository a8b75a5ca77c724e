"""Which channels a front end pushes to: the settings' channels (URLs from the keychain) plus ad-hoc
URLs (``liqguard watch --notify URL``, ``$LIQGUARD_NOTIFY_URLS``)."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.secrets.store import SecretStore
from desktop.watch.channels import channel_url, url_problem
from desktop.watch.config import AlwaysOnConfig, ChannelConfig

ADHOC_RATE_PER_HOUR = 60


def adhoc_channels(urls: Sequence[str]) -> list[tuple[ChannelConfig, str]]:
    """Channels for URLs given on the command line (warning and critical, no quiet hours).

    ValueError names the first URL apprise cannot use (by position, never the URL: it holds tokens)."""
    found = []
    for number, url in enumerate(urls, start=1):
        problem = url_problem(url)
        if problem:
            raise ValueError(f"--notify URL #{number}: {problem}")
        config = ChannelConfig(
            f"notify-{number}", f"--notify #{number}", "warning", rate_limit_per_hour=ADHOC_RATE_PER_HOUR
        )
        found.append((config, url.strip()))
    return found


def configured_channels(
    config: AlwaysOnConfig, secrets: SecretStore | None = None
) -> tuple[list[tuple[ChannelConfig, str]], list[str]]:
    """The settings' enabled channels with their URLs, and one problem text per channel left out
    (its URL is missing from the keychain). The keychain is not touched when there are no channels."""
    channels = [c for c in config.channels if c.enabled]
    if not channels:
        return [], []
    secrets = secrets or SecretStore()
    found: list[tuple[ChannelConfig, str]] = []
    problems: list[str] = []
    for channel in channels:
        url = channel_url(secrets, channel.channel_id)
        if url:
            found.append((channel, url))
        else:
            problems.append(
                f"push channel '{channel.name}' has no URL in the keychain; set it again in "
                "Settings > Push channels"
            )
    return found, problems
