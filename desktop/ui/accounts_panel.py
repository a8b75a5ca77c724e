"""Accounts sidebar: one card per account with its health (margin ratio, break move, freshness).

Clicking a card filters the positions table to that account; clicking it again shows all accounts.

Severity is one thing: a card's badge and colour show the worse of the account's own severity (its rows,
margin ratio and break move against the thresholds) and the worst alert in force about the account or
its positions (:meth:`AccountsPanel.set_alert_severity`, fed by the alert center), so the badge never
says "warning" while a critical alert about the account is active.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from desktop.engine.snapshots import AccountSnapshot, Severity
from desktop.ui.style import SEVERITY_COLORS, fmt_age, fmt_money, fmt_pct, severity_name
from risk import AccountRisk

MODE_LABELS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("AccountCard", "Multi-Assets mode (pooled)"),
    QT_TRANSLATE_NOOP("AccountCard", "UTA cross margin (pooled)"),
    QT_TRANSLATE_NOOP("AccountCard", "hedge mode, larger side"),
    QT_TRANSLATE_NOOP("AccountCard", "multi-currency margin (pooled)"),
    QT_TRANSLATE_NOOP("AccountCard", "portfolio margin"),
)
"""The margin-mode labels the exchange adapters write (desktop/exchanges/adapters.py), for lupdate."""


def mode_text(risk: AccountRisk | None) -> str:
    """The account's margin mode as the card says it: ``"portfolio margin: venue figures shown"`` when the
    figures are the venue's, the mode alone when it is computed (pooled), nothing for a plain account."""
    if risk is None or not risk.margin_mode:
        return ""
    mode = QCoreApplication.translate("AccountCard", risk.margin_mode)
    if not risk.venue_figures:
        return mode
    return QCoreApplication.translate("AccountCard", "{0}: venue figures shown").format(mode)


class AccountCard(QFrame):
    """Health of one account."""

    clicked = Signal(str)

    def __init__(self, account_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self.severity = Severity.OK
        self.setObjectName("accountCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setVerticalSpacing(3)
        self.title = QLabel()
        self.title.setObjectName("accountTitle")
        self.title.setWordWrap(True)  # "Binance USD-M · cross" beside the badge in a 240 px dock
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.ratio_bar = QProgressBar()
        self._chunk_color: str | None = None
        self.ratio_bar.setRange(0, 1000)
        self.ratio_bar.setTextVisible(True)
        # centred, the figure sits on the groove (readable) unless the ratio is past half; at the left it
        # sat on the amber or red chunk in the light theme
        self.ratio_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ratio_bar.setFixedHeight(14)
        self.equity = QLabel()
        self.break_move = QLabel()
        self.freshness = QLabel()
        self.freshness.setObjectName("dimLabel")
        # how the venue margins the account: pooled collateral, or a mode shown with the venue's figures
        self.mode = QLabel()
        self.mode.setObjectName("dimLabel")
        self.mode.setWordWrap(True)
        self.mode.hide()
        layout.addWidget(self.title, 0, 0)
        layout.addWidget(self.badge, 0, 1)
        layout.addWidget(QLabel(self.tr("Margin ratio")), 1, 0)
        layout.addWidget(self.ratio_bar, 1, 1)
        layout.addWidget(QLabel(self.tr("Break move")), 2, 0)
        layout.addWidget(self.break_move, 2, 1)
        layout.addWidget(QLabel(self.tr("Equity")), 3, 0)
        layout.addWidget(self.equity, 3, 1)
        self.funding = QLabel()
        self.funding.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.funding.setToolTip(
            self.tr("Estimated funding of all positions over the next 24 h at the latest rates")
        )
        # short, to fit beside the amount in a 240 px dock: the tooltip says it is an estimate
        funding_label = QLabel(self.tr("Funding 24 h"))
        funding_label.setToolTip(self.funding.toolTip())
        layout.addWidget(funding_label, 4, 0)
        layout.addWidget(self.funding, 4, 1)
        # what the venue booked, beside the estimate: the estimate says where funding is going
        self.funding_paid = QLabel()
        self.funding_paid.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.funding_paid.setToolTip(
            self.tr("Funding paid (negative) or received over the last 24 h, as the venue booked it")
        )
        layout.addWidget(QLabel(self.tr("Funding paid 24 h")), 5, 0)
        layout.addWidget(self.funding_paid, 5, 1)
        layout.addWidget(self.freshness, 6, 0, 1, 2)
        layout.addWidget(self.mode, 7, 0, 1, 2)
        for label in (self.break_move, self.equity):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.account_id)
        super().mousePressEvent(event)

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def show_account(
        self, snapshot: AccountSnapshot, now: float, alert_severity: Severity = Severity.OK
    ) -> None:
        severity = max(snapshot.severity, alert_severity)
        self.severity = severity
        color = SEVERITY_COLORS[severity]
        self.title.setText(snapshot.label)
        self.badge.setText(f"<b style='color:{color}'>● {severity_name(severity)}</b>")
        ratio = snapshot.margin_ratio
        risk = snapshot.risk
        has_cross = risk is not None and risk.maintenance_margin > 0
        if has_cross and ratio is not None:
            self.ratio_bar.setValue(int(min(ratio, 1.0) * 1000))
            self.ratio_bar.setFormat(fmt_pct(ratio))
        else:
            self.ratio_bar.setValue(0)
            self.ratio_bar.setFormat(self.tr("isolated only") if risk is not None else "—")
        if color != self._chunk_color:  # a style sheet re-polishes the bar: set it only when it changes
            self._chunk_color = color
            self.ratio_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; }}")
        self.break_move.setText(fmt_pct(snapshot.break_move, signed=True) if has_cross else "—")
        settle = snapshot.account.settle_currency if snapshot.account else ""
        self.equity.setText(fmt_money(risk.equity, settle, signed=False) if risk else "—")
        if snapshot.funding_24h is not None:
            self.funding.setText(fmt_money(snapshot.funding_24h, settle))
        else:
            self.funding.setText("—")
        paid = snapshot.funding_paid_24h
        self.funding_paid.setText("—" if paid is None else fmt_money(paid, settle))
        self.mode.setText(mode_text(risk))
        self.mode.setVisible(bool(self.mode.text()))
        feed = snapshot.feed
        if feed.error:
            text = f"<span style='color:{SEVERITY_COLORS[Severity.CRITICAL]}'>⚠ {feed.error}</span>"
        elif feed.is_stale(now):
            warning = SEVERITY_COLORS[Severity.WARNING]
            stale = self.tr("stale: {0}").format(fmt_age(feed.age(now)))
            text = f"<span style='color:{warning}'>{stale}</span>"
        else:
            text = self.tr("updated {0} ago · every {1} s").format(
                fmt_age(feed.age(now)), f"{feed.expected_interval:g}"
            )
        self.freshness.setText(text)


class AccountsPanel(QWidget):
    """The sidebar; emits ``account_selected`` with an id, or ``None`` for all accounts."""

    account_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(6)
        self._empty = QLabel(self.tr("No accounts yet.\nAccounts ▸ Add account…"))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)
        self.cards: dict[str, AccountCard] = {}
        self.selected: str | None = None
        self.alert_severity: dict[str, Severity] = {}

    def set_alert_severity(self, severities: dict[str, Severity]) -> None:
        """Per account id: the worst alert level in force about it (shown from the next redraw)."""
        self.alert_severity = dict(severities)

    def show_accounts(self, accounts: tuple[AccountSnapshot, ...], now: float) -> None:
        self._empty.setVisible(not accounts)
        for snapshot in accounts:
            card = self.cards.get(snapshot.account_id)
            if card is None:
                card = self.cards[snapshot.account_id] = AccountCard(snapshot.account_id, self)
                card.clicked.connect(self._on_card_clicked)
                self._layout.insertWidget(self._layout.count() - 1, card)
            card.show_account(snapshot, now, self.alert_severity.get(snapshot.account_id, Severity.OK))
        for account_id in set(self.cards) - {a.account_id for a in accounts}:
            self.cards.pop(account_id).deleteLater()

    def _on_card_clicked(self, account_id: str) -> None:
        self.selected = None if self.selected == account_id else account_id
        for key, card in self.cards.items():
            card.set_selected(key == self.selected)
        self.account_selected.emit(self.selected)
