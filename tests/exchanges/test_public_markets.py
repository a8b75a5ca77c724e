"""Default public market readers for the market-wide cascade state (no key, no network until read)."""

from __future__ import annotations

import asyncio

from desktop.exchanges.factory import build_exchange
from desktop.exchanges.public_markets import PUBLIC_VENUES, public_market_readers, public_symbols


def test_four_public_venues_read_btc_and_eth_for_the_cascade_only() -> None:
    readers = public_market_readers([], lambda venue, creds: build_exchange(venue, creds))
    try:
        assert (
            [r.venue for r in readers]
            == list(PUBLIC_VENUES)
            == ["binanceusdm", "bybit", "okx", "hyperliquid"]
        )
        assert [r.symbols() for r in readers] == [
            ["BTC/USDT:USDT", "ETH/USDT:USDT"],
            ["BTC/USDT:USDT", "ETH/USDT:USDT"],
            ["BTC/USDT:USDT", "ETH/USDT:USDT"],
            ["BTC/USDC:USDC", "ETH/USDC:USDC"],
        ]
        assert all(r.cascade_only for r in readers)  # never the mark of a position held elsewhere
        assert len({r.feed_id for r in readers}) == 4
    finally:
        asyncio.run(_close(readers))


async def _close(readers) -> None:
    for r in readers:
        await r.close()


def test_public_symbols() -> None:
    assert public_symbols("okx", ("SOL",)) == ["SOL/USDT:USDT"]
    assert public_symbols("hyperliquid") == ["BTC/USDC:USDC", "ETH/USDC:USDC"]
