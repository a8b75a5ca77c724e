"""The read-only guard covers every stream method LiqGuard uses; trading over WebSocket and the
listenKey keep-alive and close stay refused; opening it (POST) is the one write allowed."""

from __future__ import annotations

import ccxt.pro as ccxtpro
import pytest

from desktop.exchanges.guard import ReadOnlyExchange
from desktop.exchanges.live_streams import VENUE_STREAMS

USED = ("watch_positions", "watch_balance", "watch_order_book", "watch_liquidations")


@pytest.mark.parametrize("venue", sorted(VENUE_STREAMS))
def test_every_stream_method_passes_and_ws_trading_is_refused(venue: str) -> None:
    exchange = getattr(ccxtpro, venue)()
    guard = ReadOnlyExchange(exchange)
    streams = VENUE_STREAMS[venue]
    for name in (*USED, streams.mark_method, *([streams.funding_method] if streams.funding_method else [])):
        assert callable(getattr(guard, name)), name
    for name in ("create_order_ws", "cancel_order_ws", "edit_order_ws", "cancel_all_orders_ws", "watch"):
        if hasattr(exchange, name):
            with pytest.raises(PermissionError):
                getattr(guard, name)


def test_binance_listen_key_post_is_the_one_write_allowed() -> None:
    """Opening the user-data stream (POST listenKey) is the one write a private stream needs (issue 9);
    keep-alive (PUT) and close (DELETE) stay refused to LiqGuard's code (ccxt.pro runs its own keep-alive
    on the wrapped object)."""
    guard = ReadOnlyExchange(ccxtpro.binanceusdm())
    assert callable(guard.fapiPrivatePostListenKey)
    for name in ("fapiPrivatePutListenKey", "fapiPrivateDeleteListenKey"):
        with pytest.raises(PermissionError):
            getattr(guard, name)
