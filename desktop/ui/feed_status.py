"""Status-bar widget: each feed's age; a feed older than its expected interval turns red."""

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
            name, age = tr_label(feed.label), fmt_age(feed.age(now))
            label.setText(f"<span style='color:{color}'>●</span> {name} {age} {state}")
            label.setToolTip(
                feed.error or self.tr("expected every {0} s").format(f"{feed.expected_interval:g}")
            )
