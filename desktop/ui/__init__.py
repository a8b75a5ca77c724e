"""Qt widgets, models and notification delivery of the desktop app."""
