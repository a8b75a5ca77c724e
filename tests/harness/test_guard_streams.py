"""The read-only guard covers every stream method LiqGuard uses; trading over WebSocket and the
listenKey endpoint stay refused to LiqGuard's own code (ccxt posts the listenKey inside watch_*)."""

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


def test_binance_listen_key_is_not_callable_by_liqguard_itself() -> None:
    guard = ReadOnlyExchange(ccxtpro.binanceusdm())
    for name in ("fapiPrivatePostListenKey", "fapiPrivatePutListenKey", "fapiPrivateDeleteListenKey"):
        with pytest.raises(PermissionError):
            getattr(guard, name)
