"""What a feed does after a venue fault (issue #10): Binance -1021 resynchronises the clock, a ban waits
until its end, a 429's Retry-After is honoured, a connection reset mid-body keeps its cause."""

from __future__ import annotations

import asyncio
from typing import Any

import ccxt

from desktop.exchanges import AccountReader
from desktop.exchanges.faults import retry_after_seconds
from desktop.exchanges.feeds import FeedStatus, banned_until, classify, describe
from tests.faults.server import Reply, fault_venue
from tests.faults.venues import KITS

NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def read(venue: str, reply: Reply) -> tuple[Any, Any, list[Any]]:
    kit = KITS[venue]
    with fault_venue() as server:
        kit.serve(server)
        server.routes[kit.positions] = reply

        async def scenario() -> tuple[Any, Any]:
            ex = kit.exchange(server.base, 1000)
            try:
                snapshot = await AccountReader(ex, read_market=False, clock=Clock()).read()
                return snapshot, dict(ex.options)
            finally:
                await ex.close()

        snapshot, options = asyncio.run(scenario())
        return snapshot, options, list(server.requests)


def test_binance_1021_resynchronises_the_time_difference() -> None:
    snapshot, options, requests = read("binanceusdm", KITS["binanceusdm"].clock_skew)
    assert snapshot.feeds["positions"].kind == "clock"
    assert "/fapi/v1/time" in requests  # ccxt's load_time_difference asked the venue's time
    assert isinstance(options.get("timeDifference"), int)


def test_binance_418_ban_waits_until_its_end() -> None:
    until_ms = round((NOW + 3_600) * 1000)
    body = {"code": -1003, "msg": f"Way too many requests; IP(127.0.0.1) banned until {until_ms}."}
    snapshot, _, _ = read("binanceusdm", Reply(418, body))
    status = snapshot.feeds["positions"]
    assert status.kind == "rate_limit" and status.retry_at == NOW + 3_600  # not +10 s, +20 s
    assert banned_until(ccxt.DDoSProtection(f"banned until {until_ms}")) == NOW + 3_600


def test_429_retry_after_is_honoured() -> None:
    body = {"retCode": 10006, "retMsg": "Too many visits!", "result": {}, "time": 1}
    snapshot, _, _ = read("bybit", Reply(429, body, {"Retry-After": "95"}))
    status = snapshot.feeds["positions"]
    assert status.kind == "rate_limit" and status.retry_at == NOW + 95  # backoff alone would be 10 s

    class Headers:
        def __init__(self) -> None:
            self.last_response_headers = {"retry-after": "Thu, 15 Jan 2027 08:01:00 GMT"}  # an HTTP date

    assert retry_after_seconds(Headers(), ccxt.RateLimitExceeded("x"), now=1_800_000_000.0) == 60.0
    assert retry_after_seconds(Headers(), ccxt.ExchangeError("x")) is None
    failed = FeedStatus("positions").failed(ccxt.RateLimitExceeded("x"), NOW, retry_after=1.0)
    assert failed.retry_at == NOW + 10.0  # a Retry-After shorter than the backoff does not shorten it


def test_connection_reset_mid_body_keeps_its_cause() -> None:
    kit = KITS["bybit"]
    snapshot, _, _ = read("bybit", Reply(200, kit.healthy_positions(), reset_after=24))
    status = snapshot.feeds["positions"]
    assert status.kind == "network", status
    assert "cause: ClientPayloadError" in status.message and "reset" in status.message.lower()


def test_classify_and_describe_follow_the_exception_chain() -> None:
    try:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError as reset:
            raise ccxt.ExchangeError("bybit GET https://api.bybit.com/v5/position/list?sign=abc") from reset
    except ccxt.ExchangeError as error:
        assert classify(error) == "network"
        text = describe(error)
    assert "cause: ConnectionResetError" in text and "sign=abc" not in text
