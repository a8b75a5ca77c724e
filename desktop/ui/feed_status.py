"""Status-bar widget: each feed's age; a feed older than its expected interval turns red.

A stream (``feed.connected`` is not ``None``) also shows its state and reconnect count, and its tooltip
the last message's age, the reconnects and the last error."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.engine.snapshots import FeedStatus, Severity
from desktop.ui.i18n import tr_label
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
            state = self.tr("error") if feed.error else self.tr("stale") if severity else ""
            if feed.connected is not None:
                reconnecting = not feed.connected or feed.error
                state = self.tr("reconnecting") if reconnecting else self.tr("stale") if severity else ""
                if feed.reconnects:
                    state = f"{state} ↻{feed.reconnects}".strip()
            name, age = tr_label(feed.label), fmt_age(feed.age(now))
            label.setText(f"<span style='color:{color}'>●</span> {name} {age} {state}")
            label.setToolTip(self._tooltip(feed, now))

    def _tooltip(self, feed: FeedStatus, now: float) -> str:
        interval = f"{feed.expected_interval:g}"
        if feed.connected is None:
            return feed.error or self.tr("expected every {0} s").format(interval)
        connected = feed.connected and not feed.error
        lines = [
            self.tr("stream connected") if connected else self.tr("stream reconnecting"),
            self.tr("last message {0} ago (expected every {1} s)").format(fmt_age(feed.age(now)), interval),
            self.tr("reconnects: {0}").format(feed.reconnects),
        ]
        if feed.error:
            lines.append(self.tr("last error: {0}").format(feed.error))
        return "\n".join(lines)
