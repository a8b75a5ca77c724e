"""PyInstaller runtime hook: runs in the frozen app before desktop.__main__ is imported."""

import os
import sys

# A windowed Windows build has no console: sys.stdout and sys.stderr are None, and anything that writes
# to them blindly (logging handlers, faulthandler, third-party prints) raises. Send them to the null
# device instead; `liqguard-cli` keeps its real console streams.
if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

# Only PySide6 is bundled; say so before pyqtgraph looks for a binding.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
