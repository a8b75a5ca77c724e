"""Frozen entry point: the same function as the `liqguard` console script (desktop.__main__:main)."""

from desktop.__main__ import main

raise SystemExit(main())
