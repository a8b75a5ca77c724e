"""LiqGuard's pure risk library: margin, liquidation, distance, stops, stress.

No Qt, no ccxt, no I/O and no clock: everything time-dependent takes the time as an argument.
"""
