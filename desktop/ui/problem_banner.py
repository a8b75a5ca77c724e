"""A banner across the top of the main window for start-up problems (damaged files, keychain errors).

Problems found before the window exists (a damaged settings or accounts file kept aside, a history
database that was recovered, a locked keychain) used to go to stderr only, where a desktop user never
looks. :func:`show_problems` puts them in a dismissable banner: a tool bar, so the main window's layout
code is untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QToolBar, QWidget

OBJECT_NAME = "problemBanner"


class ProblemBanner(QToolBar):
    """One line per problem; "Dismiss" hides it until the next start."""

    def __init__(self, problems: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setMovable(False)
        self.setFloatable(False)
        body = QWidget(self)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(body)
        self.label.setObjectName("problemBannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("color: #f0b429;")
        layout.addWidget(self.label, 1)
        dismiss = QPushButton(self.tr("Dismiss"), body)
        dismiss.clicked.connect(self.hide)
        layout.addWidget(dismiss)
        self.addWidget(body)
        self.problems: list[str] = []
        self.add(problems)

    def add(self, problems: Sequence[str]) -> None:
        """Append problems (duplicates are shown once) and show the banner."""
        for problem in problems:
            if problem and problem not in self.problems:
                self.problems.append(problem)
        self.label.setText("\n".join(f"⚠ {p}" for p in self.problems))
        self.setVisible(bool(self.problems))


def show_problems(window: QMainWindow, problems: Sequence[str]) -> ProblemBanner | None:
    """Show ``problems`` in the window's banner (created on first use); None when there are none."""
    banner = window.findChild(ProblemBanner, OBJECT_NAME)
    if banner is None:
        if not problems:
            return None
        banner = ProblemBanner(problems, window)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner)
        return banner
    banner.add(problems)
    return banner
