"""Headless command-line front ends: `liqguard check` and `liqguard replay` (with its CSV reader)."""
