"""Key-permission audit: is the API key really read-only?

Run on connect and daily. Endpoints (ccxt-notes.md section 6):

* Binance (USD-M, COIN-M): ``GET /sapi/v1/account/apiRestrictions`` (``sapiGetAccountApiRestrictions``).
* Bybit: ``GET /v5/user/query-api`` (``privateGetV5UserQueryApi``): ``readOnly``, ``permissions``,
  ``expiredAt`` (keys without an IP binding expire after 90 days).
* OKX: ``GET /api/v5/account/config`` (``privateGetAccountConfig``): ``perm``.
* Gate, Bitget: "permissions not verifiable" (their endpoints' fields are unverified).
* Hyperliquid: no key at all; read by public address.

Verdicts: ``withdraw`` (refused: the app will not use the key), ``trade`` (accepted with a warning and the
steps to make a read-only key), ``read_only``, ``no_key``, ``unverifiable``, ``error`` (the check itself
failed; the message says why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from desktop.exchanges.feeds import describe
from desktop.exchanges.guard import ReadOnlyExchange

Verdict = Literal["read_only", "trade", "withdraw", "unverifiable", "no_key", "error"]

EXPIRY_WARNING_DAYS = 7.0
_DAY = 86_400.0
_HIDDEN_FIELDS = frozenset({"apiKey", "secret", "rsaPublicKey"})

READ_ONLY_STEPS: dict[str, tuple[str, ...]] = {
    "binance": (
        "Binance → Account → API Management → Create API (system generated).",
        "Leave only “Enable Reading” ticked: untick Spot & Margin Trading, Futures, Withdrawals, "
        "Universal Transfer, Margin Loan, Options and Portfolio Margin.",
        "Optionally restrict access to your IP address, then paste the new key here and delete the old one.",
    ),
    "bybit": (
        "Bybit → Account & Security → API → Create New Key → System-generated API Keys.",
        "Choose “Read-Only” and leave every trading, wallet and transfer permission unticked.",
        "Bind it to your IP address so it does not expire after 90 days, then replace the key here.",
    ),
    "okx": (
        "OKX → Profile → API → Create API key (Trading account).",
        "Tick only “Read”; leave “Trade” and “Withdraw” unticked.",
        "Set the passphrase, optionally an IP allow-list, then replace the key here.",
    ),
}


@dataclass(frozen=True, slots=True)
class KeyAudit:
    """Outcome of a key-permission check. Times are Unix seconds.

    ``details`` are the venue's permission fields (the key and secret fields removed) for display.
    """

    venue: str
    verdict: Verdict
    message: str
    steps: tuple[str, ...] = ()
    can_trade: bool | None = None
    can_withdraw: bool | None = None
    can_transfer: bool | None = None
    ip_restricted: bool | None = None
    expires_at: float | None = None
    checked_at: float | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        """False when the key must not be used (it can withdraw)."""
        return self.verdict != "withdraw"

    def days_to_expiry(self, now: float) -> float | None:
        return None if self.expires_at is None else (self.expires_at - now) / _DAY

    def expiry_alert(self, now: float, days: float = EXPIRY_WARNING_DAYS) -> str | None:
        """A warning text when the key expires within ``days`` of ``now`` (or has expired), else None."""
        left = self.days_to_expiry(now)
        if left is None or left > days:
            return None
        if left <= 0:
            return f"The {self.venue} API key has expired; create a new read-only key."
        return f"The {self.venue} API key expires in {left:.1f} days; renew it or bind it to your IP address."


def _family(venue: str) -> str:
    return "binance" if venue.startswith("binance") else venue


def _visible(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in _HIDDEN_FIELDS}


def _judge(
    venue: str,
    *,
    can_trade: bool,
    can_withdraw: bool,
    can_transfer: bool,
    now: float | None,
    details: Mapping[str, Any],
    ip_restricted: bool | None = None,
    expires_at: float | None = None,
) -> KeyAudit:
    steps = READ_ONLY_STEPS.get(_family(venue), ())
    if can_withdraw:
        verdict: Verdict = "withdraw"
        message = (
            "This key can withdraw funds. LiqGuard refuses to use it: a leaked key with withdrawal rights "
            "can empty the account. Create a read-only key instead."
        )
    elif can_trade or can_transfer:
        verdict = "trade"
        rights = " and ".join(r for r, on in (("trade", can_trade), ("transfer funds", can_transfer)) if on)
        message = (
            f"This key can {rights}. LiqGuard only reads, but a read-only key is safer if it ever leaks. "
            "Steps to make one are below."
        )
    else:
        verdict, message, steps = "read_only", "Read-only key: it cannot trade, transfer or withdraw.", ()
    return KeyAudit(
        venue=venue,
        verdict=verdict,
        message=message,
        steps=steps,
        can_trade=can_trade,
        can_withdraw=can_withdraw,
        can_transfer=can_transfer,
        ip_restricted=ip_restricted,
        expires_at=expires_at,
        checked_at=now,
        details=_visible(details),
    )


def judge_binance(
    restrictions: Mapping[str, Any], venue: str = "binanceusdm", now: float | None = None
) -> KeyAudit:
    """Binance ``apiRestrictions``: read-only iff reading is on and every trading/transfer flag is off."""
    if "enableReading" not in restrictions or "enableWithdrawals" not in restrictions:
        raise ValueError("binance apiRestrictions: unexpected reply (no enableReading/enableWithdrawals)")
    flag = lambda name: bool(restrictions.get(name))  # noqa: E731
    trading = ("enableSpotAndMarginTrading", "enableFutures", "enableMargin", "enableVanillaOptions",
               "enablePortfolioMarginTrading", "enableFixApiTrade")  # fmt: skip
    return _judge(
        venue,
        can_trade=any(flag(name) for name in trading),
        can_withdraw=flag("enableWithdrawals"),
        can_transfer=flag("enableInternalTransfer") or flag("permitsUniversalTransfer"),
        ip_restricted=flag("ipRestrict"),
        now=now,
        details=restrictions,
    )


def judge_bybit(response: Mapping[str, Any], now: float | None = None) -> KeyAudit:
    """Bybit ``query-api``: ``readOnly`` 1 = read-only; withdrawal and transfers are ``Wallet`` rights."""
    result = response.get("result")
    if str(response.get("retCode")) != "0" or not isinstance(result, Mapping) or "readOnly" not in result:
        raise ValueError(f"bybit query-api: unexpected reply (retCode {response.get('retCode')!r})")
    permissions = result.get("permissions") or {}
    wallet = {str(p) for p in permissions.get("Wallet") or []}
    groups = ("ContractTrade", "Spot", "Options", "Derivatives", "CopyTrading", "BlockTrade", "Exchange")
    trading = any(permissions.get(group) for group in groups)
    expires_at = None
    if result.get("expiredAt"):
        expires_at = dt.datetime.fromisoformat(str(result["expiredAt"]).replace("Z", "+00:00")).timestamp()
    ips = result.get("ips") or []
    return _judge(
        "bybit",
        can_trade=str(result.get("readOnly")) != "1" and trading,
        can_withdraw="Withdraw" in wallet,
        can_transfer=any("Transfer" in p for p in wallet),
        ip_restricted=bool(ips) and ips != ["*"],
        expires_at=expires_at,
        now=now,
        details=result,
    )


def judge_okx(response: Mapping[str, Any], now: float | None = None) -> KeyAudit:
    """OKX ``account/config``: ``perm`` must be exactly ``read_only``."""
    data = response.get("data")
    if str(response.get("code")) != "0" or not data or "perm" not in data[0]:
        raise ValueError(f"okx account/config: unexpected reply (code {response.get('code')!r})")
    config = data[0]
    perms = {p.strip() for p in str(config.get("perm", "")).split(",") if p.strip()}
    return _judge(
        "okx",
        can_trade="trade" in perms,
        can_withdraw="withdraw" in perms,
        can_transfer=False,
        ip_restricted=bool(config.get("ip")),
        now=now,
        details={k: config.get(k) for k in ("perm", "ip", "label", "posMode", "acctLv")},
    )


async def audit_key(exchange: Any, now: float | None = None) -> KeyAudit:
    """Check the key of ``exchange`` (any ccxt async exchange or ReadOnlyExchange); never raises for
    venue errors: a failed check is verdict ``error`` with a safe message."""
    guard = ReadOnlyExchange(exchange)
    venue = guard.id
    try:
        if venue in ("binanceusdm", "binancecoinm"):
            return judge_binance(await guard.sapiGetAccountApiRestrictions(), venue, now)
        if venue == "bybit":
            return judge_bybit(await guard.privateGetV5UserQueryApi(), now)
        if venue == "okx":
            return judge_okx(await guard.privateGetAccountConfig(), now)
    except Exception as error:  # the UI shows why the check failed; nothing propagates
        return KeyAudit(
            venue, "error", f"Could not check the key's permissions: {describe(error)}", checked_at=now
        )
    if venue == "hyperliquid":
        return KeyAudit(
            venue, "no_key", "No key: Hyperliquid is read by public wallet address.", checked_at=now
        )
    return KeyAudit(
        venue,
        "unverifiable",
        "Permissions not verifiable: this venue has no endpoint LiqGuard can use to check them. "
        "Make sure the key you created is read-only.",
        checked_at=now,
    )
