"""Alert events and a settable clock for push tests."""

from __future__ import annotations

from risk.alerts import AlertEvent


class Clock:
    """Epoch seconds that a test moves by hand."""

    def __init__(self, start: float = 1_760_130_000.0) -> None:  # 2025-10-10 21:00 UTC
        self.now = start

    def __call__(self) -> float:
        return self.now

    def ms(self) -> int:
        return round(self.now * 1000)


def event(level: str = "warning", subject: str = "bn:BTC/USDT:USDT:long", at_ms: int = 0) -> AlertEvent:
    tier = {"info": 1, "warning": 2, "critical": 3}[level]
    distance = {"info": 18.0, "warning": 9.0, "critical": 4.9}[level]
    threshold = {"info": 20.0, "warning": 10.0, "critical": 5.0}[level]
    return AlertEvent(
        key=f"distance:{subject}",
        kind="distance",
        level=level,  # type: ignore[arg-type]
        tier=tier,
        title=f"{subject}: distance to liquidation {distance:.1f} %",
        message=f"Distance to liquidation {distance:.1f} % is at or below the {threshold:.1f} % tier "
        f"({tier} of 3).",
        reasons=(f"distance to liquidation {distance:.1f} % at or below {threshold:.1f} %",),
        timestamp_ms=at_ms,
        subject=subject,
        tier_count=3,
        requires_ack=level == "critical",
    )
