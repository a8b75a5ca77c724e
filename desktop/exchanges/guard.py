"""The read-only facade: the only way LiqGuard's code touches a ccxt exchange object.

``ReadOnlyExchange(exchange)`` forwards **reading** calls to the wrapped ccxt exchange (sync, async or
ccxt.pro) and refuses everything else with ``PermissionError`` naming the method. It is an allow-list:

* unified reading methods: names starting with ``fetch_`` or ``watch_`` (and the ``un_watch_``
  unsubscribes), minus :data:`REFUSED_READERS`, the few that are generic request helpers (``fetch``,
  ``fetch2``, ``watch``, ``watch_multiple``...) or that can create state at the venue (deposit addresses,
  convert quotes);
* the market helpers in :data:`ALLOWED_HELPERS` (``load_markets``, ``set_markets``, ``market``,
  ``close``...);
* per venue, the implicit endpoints in :data:`ALLOWED_ENDPOINTS`: the key-permission endpoints and
  Hyperliquid's public ``/info``;
* plain data attributes (``id``, ``has``, ``markets``, ``options``, ``urls``...) as scalars or
  read-only views, except credentials, the last request's headers/URL/body and websocket clients.

Everything else (``create_order``, ``cancel_*``, ``set_leverage``, ``set_margin_mode``, ``transfer``,
``withdraw``, ``borrow_*``, every implicit ``...Post...`` endpoint and the ~6,000 other implicit methods)
raises. Setting attributes through the facade raises too. The wrapped object is never handed out: an
allowed method comes back as a plain function (no ``__self__``), data as read-only views.

The facade restricts *LiqGuard's* calls; ccxt's own internals (a unified ``fetch_positions`` calling its
signed implicit endpoint) run on the real object, which is what makes reading work at all.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

_READER = re.compile(r"^(fetch|watch|un_watch)_[a-z0-9_]+$")

REFUSED_READERS: frozenset[str] = frozenset(
    {
        # generic request helpers: they take an arbitrary path, message or method name
        "fetch",
        "fetch2",
        "fetch_web_endpoint",
        "fetch_paginated_call_cursor",
        "fetch_paginated_call_deterministic",
        "fetch_paginated_call_dynamic",
        "fetch_paginated_call_incremental",
        "watch",
        "watch_multiple",
        "watch_public",
        "watch_private",
        "watch_public_multiple",
        "watch_topics",
        "watch_multi_ticker_helper",
        "watch_stock_market_stream",
        "un_watch_channel",
        "un_watch_public",
        "un_watch_private",
        "un_watch_topics",
        # can create state at the venue (a new deposit address, a convert quote to accept)
        "fetch_deposit_address",
        "fetch_deposit_addresses",
        "fetch_deposit_addresses_by_network",
        "fetch_contract_deposit_address",
        "fetch_network_deposit_address",
        "fetch_convert_quote",
    }
)
"""Names that look like readers but are refused anyway."""

ALLOWED_HELPERS: frozenset[str] = frozenset(
    {
        "load_markets",
        "set_markets",
        "market",
        "market_id",
        "currency",
        "close",
        "load_time_difference",
        "load_leverage_brackets",
        "is_unified_enabled",
        "check_required_credentials",
        "milliseconds",
        "iso8601",
        "parse8601",
        "amount_to_precision",
        "price_to_precision",
    }
)
"""Non-fetch methods that only read or compute locally."""

ALLOWED_ENDPOINTS: dict[str, frozenset[str]] = {
    # GET /sapi/v1/account/apiRestrictions: the key's permissions (ccxt-notes.md section 6)
    # GET /fapi/v1/assetIndex (public): Multi-Assets mode index prices and collateral buffers
    # POST /fapi|dapi/v1/listenKey opens the user-data stream that watch_positions / watch_balance read:
    # the one write a private stream needs (it creates a stream key, it moves nothing); PUT (keep-alive)
    # and DELETE stay refused to LiqGuard's code (ccxt.pro's own keep-alive runs on the real object).
    "binanceusdm": frozenset(
        {
            "sapiGetAccountApiRestrictions",
            "sapi_get_account_apirestrictions",
            "fapiPublicGetAssetIndex",
            "fapipublic_get_assetindex",
            "fapiPrivatePostListenKey",
            "fapiprivate_post_listenkey",
        }
    ),
    "binancecoinm": frozenset(
        {
            "sapiGetAccountApiRestrictions",
            "sapi_get_account_apirestrictions",
            "dapiPrivatePostListenKey",
            "dapiprivate_post_listenkey",
        }
    ),
    # GET /v5/user/query-api: readOnly flag, permissions, expiry; GET /v5/spot-margin-trade/collateral
    # (public): tiered collateral ratios of a unified account's coins
    "bybit": frozenset(
        {
            "privateGetV5UserQueryApi",
            "private_get_v5_user_query_api",
            "publicGetV5SpotMarginTradeCollateral",
            "public_get_v5_spot_margin_trade_collateral",
        }
    ),
    # GET /api/v5/account/config: perm
    "okx": frozenset({"privateGetAccountConfig", "private_get_account_config"}),
    # POST /info is Hyperliquid's read-only query endpoint (clearinghouseState, meta, ...); actions go
    # to /exchange, which stays refused.
    "hyperliquid": frozenset({"publicPostInfo", "public_post_info"}),
}
"""Implicit endpoint methods allowed per ccxt exchange id."""

CREDENTIAL_ATTRIBUTES: frozenset[str] = frozenset(
    {"apiKey", "secret", "password", "privateKey", "uid", "login", "token", "twofa", "accountId"}
)
"""Data attributes that are never handed out (they would end up in logs or UI text)."""

REFUSED_ATTRIBUTES: frozenset[str] = frozenset(
    {
        # the last signed request: its headers carry the API key, its URL or body the signature
        "last_request_headers",
        "last_request_body",
        "last_request_url",
        # ccxt.pro websocket clients: clients[url].send is a raw socket send
        "clients",
        "session",
        "tcp_connector",
        "throttler",
        "asyncio_loop",
    }
)
"""Plain-looking attributes that would hand out a credential or a way to send."""

_OWN = frozenset({"__class__", "__aenter__", "__aexit__", "__repr__"})
_SCALARS = (str, int, float, bool, bytes, type(None))


class ReadOnlyMapping(Mapping[Any, Any]):
    """A read-only, lazily wrapped view of a dict: nested dicts and lists come back as read-only views
    too, anything that is not plain data is refused. O(1) per access, so ``markets`` (thousands of
    entries) is not copied on every lookup. ``copy()`` gives a plain, deep, mutable copy."""

    __slots__ = ("__data",)

    def __init__(self, data: Mapping[Any, Any]) -> None:
        object.__setattr__(self, "_ReadOnlyMapping__data", data)

    def __getitem__(self, key: Any) -> Any:
        return frozen(self.__data[key])

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.__data))

    def __len__(self) -> int:
        return len(self.__data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise PermissionError("read-only guard: the view cannot be changed")

    def copy(self) -> dict[Any, Any]:
        return copy.deepcopy(dict(self.__data))

    def __repr__(self) -> str:
        return f"ReadOnlyMapping({len(self)} keys)"


class ReadOnlySequence(Sequence[Any]):
    """The list counterpart of :class:`ReadOnlyMapping`."""

    __slots__ = ("__data",)

    def __init__(self, data: Sequence[Any]) -> None:
        object.__setattr__(self, "_ReadOnlySequence__data", data)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return ReadOnlySequence(list(self.__data[index]))
        return frozen(self.__data[index])

    def __len__(self) -> int:
        return len(self.__data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise PermissionError("read-only guard: the view cannot be changed")

    def __repr__(self) -> str:
        return f"ReadOnlySequence({len(self)} items)"


def frozen(value: Any) -> Any:
    """``value`` as handed out by the guard: scalars as they are, dicts and lists as read-only views,
    anything else (objects with methods: websocket clients, sessions) refused."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, ReadOnlyMapping | ReadOnlySequence):
        return value
    if isinstance(value, Mapping):
        return ReadOnlyMapping(value)
    if isinstance(value, list | tuple):
        return ReadOnlySequence(value)
    raise PermissionError(f"read-only guard: a {type(value).__name__} is not plain data and is refused")


def _detached(method: Callable[..., Any]) -> Callable[..., Any]:
    """A plain function calling ``method``: no ``__self__`` or ``__wrapped__`` leads to the exchange.

    (The closure cell still holds the bound method: Python cannot hide it from deliberate
    introspection. The guard closes the ordinary paths; it is not a sandbox.)"""
    if inspect.iscoroutinefunction(method):

        async def call_async(*args: Any, **kwargs: Any) -> Any:
            return await method(*args, **kwargs)

        call: Callable[..., Any] = call_async
    else:

        def call_sync(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        call = call_sync
    call.__name__ = call.__qualname__ = getattr(method, "__name__", "method")
    call.__doc__ = getattr(method, "__doc__", None)
    return call


_RESULT_VIEWS = frozenset({"market", "currency"})
"""Allowed helpers that return the exchange's own dicts (by reference): their results are views."""


def is_allowed_method(exchange_id: str, name: str) -> bool:
    """True when calling ``name`` on an exchange with ccxt id ``exchange_id`` only reads."""
    if name in REFUSED_READERS:
        return False
    if _READER.match(name) or name in ALLOWED_HELPERS:
        return True
    return name in ALLOWED_ENDPOINTS.get(exchange_id, frozenset())


class ReadOnlyExchange:
    """Read-only view of a ccxt exchange (sync, async or pro): reading calls pass, the rest raise.

    ``getattr`` returns a plain function calling the allowed method (async stays awaitable; no
    ``__self__`` leads back to the exchange) and raises ``PermissionError`` for every other callable.
    Data attributes come back as scalars or read-only views (``urls``, ``options``, ``headers``,
    ``markets``...: changing them cannot redirect a signed request), except credentials, the last
    request's headers/URL/body and the websocket clients, which are refused.
    """

    __slots__ = ("_exchange", "_id")

    def __init__(self, exchange: Any) -> None:
        if isinstance(exchange, ReadOnlyExchange):
            exchange = object.__getattribute__(exchange, "_exchange")
        object.__setattr__(self, "_exchange", exchange)
        object.__setattr__(self, "_id", str(getattr(exchange, "id", "")))

    def __getattribute__(self, name: str) -> Any:
        # __getattribute__ (not __getattr__) so that even the facade's own slots are not reachable
        exchange = object.__getattribute__(self, "_exchange")
        exchange_id = object.__getattribute__(self, "_id")
        if name in _OWN:
            return object.__getattribute__(self, name)
        if name.startswith("_"):
            raise PermissionError(f"read-only guard: private attribute {name!r} of {exchange_id} is refused")
        if name in CREDENTIAL_ATTRIBUTES:
            raise PermissionError(f"read-only guard: credential attribute {name!r} is not readable")
        if name in REFUSED_ATTRIBUTES:
            raise PermissionError(f"read-only guard: attribute {name!r} of {exchange_id} is refused")
        value = getattr(exchange, name)
        if callable(value):
            if is_allowed_method(exchange_id, name):
                call = _detached(value)
                if name in _RESULT_VIEWS:
                    return lambda *args, **kwargs: frozen(call(*args, **kwargs))
                return call
            raise PermissionError(
                f"read-only guard: {exchange_id}.{name}() is refused (LiqGuard never trades, transfers, "
                "withdraws or changes leverage or margin settings)"
            )
        try:
            return frozen(value)
        except PermissionError:
            refused = f"read-only guard: attribute {name!r} of {exchange_id} is refused"
            raise PermissionError(refused) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise PermissionError(f"read-only guard: setting {name!r} is refused; configure the exchange first")

    def __delattr__(self, name: str) -> None:
        raise PermissionError(f"read-only guard: deleting {name!r} is refused")

    def __repr__(self) -> str:
        return f"ReadOnlyExchange({object.__getattribute__(self, '_id')})"

    async def __aenter__(self) -> ReadOnlyExchange:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await object.__getattribute__(self, "_exchange").close()
