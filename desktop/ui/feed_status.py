"""Status-bar widget: each feed's age; a feed older than its expected interval turns red.

A stream (``feed.connected`` is not ``None``) also shows its state and reconnect count, and its tooltip
the last message's age, the reconnects and the last error."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.engine.snapshots import FeedStatus, Severity
from desktop.ui.style import SEVERITY_COLORS, fmt_age


def feed_severity(feed: FeedStatus, now: float) -> Severity:
    """CRITICAL for an erroring feed, WARNING for a stale one, OK otherwise."""
    if feed.error:
        return Severity.CRITICAL
    if feed.is_stale(now):
        return Severity.WARNING
    return Severity.OK


class FeedStatusBar(QWidget):
    """One label per feed: ``● Demo market 0.3 s``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(14)
        self.labels: dict[str, QLabel] = {}

    def show_feeds(self, feeds: tuple[FeedStatus, ...], now: float) -> None:
        for feed in feeds:
            label = self.labels.get(feed.feed_id)
            if label is None:
                label = self.labels[feed.feed_id] = QLabel()
                self._layout.addWidget(label)
            severity = feed_severity(feed, now)
            color = SEVERITY_COLORS[severity]
            state = "error" if feed.error else "stale" if severity else ""
            if feed.connected is not None:
                state = "reconnecting" if not feed.connected or feed.error else "stale" if severity else ""
                if feed.reconnects:
                    state = f"{state} ↻{feed.reconnects}".strip()
            label.setText(
                f"<span style='color:{color}'>●</span> {feed.label} {fmt_age(feed.age(now))} {state}"
            )
            label.setToolTip(_tooltip(feed, now))


def _tooltip(feed: FeedStatus, now: float) -> str:
    if feed.connected is None:
        return feed.error or f"expected every {feed.expected_interval:g} s"
    lines = [
        f"stream {'connected' if feed.connected and not feed.error else 'reconnecting'}",
        f"last message {fmt_age(feed.age(now))} ago (expected every {feed.expected_interval:g} s)",
        f"reconnects: {feed.reconnects}",
    ]
    if feed.error:
        lines.append(f"last error: {feed.error}")
    return "\n".join(lines)
