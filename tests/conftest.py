"""Test set-up shared by every test; must run before any Qt import."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
