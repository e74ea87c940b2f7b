"""Fact values read from questions: head counts (exact or vague) and vague amounts of money."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assistant.text.money import yuan_str


@dataclass(frozen=True)
class Count:
    """A head count, exact (low == high) or vague: '三十来个' ≈ 27–33, '四十多人' = 41–49, '200以上' = 200–∞."""

    low: int
    high: int | None
    text: str = ""

    def __post_init__(self) -> None:
        if self.high is not None and self.high < self.low:
            raise ValueError(f"Count high {self.high} < low {self.low}")

    @classmethod
    def exact(cls, n: int, text: str = "") -> Count:
        return cls(n, n, text)

    @property
    def approx(self) -> bool:
        return self.high != self.low

    @property
    def value(self) -> int | None:
        """The exact number, or None for a vague count."""
        return self.low if not self.approx else None

    def at_least(self, threshold: int) -> bool | None:
        """True/False when the whole range is on one side of the threshold; None when it straddles it."""
        if self.low >= threshold:
            return True
        if self.high is not None and self.high < threshold:
            return False
        return None

    def plus(self, other: Count) -> Count:
        """This count after `other` more people: 24 + 1 = 25; ranges add end to end."""
        high = None if self.high is None or other.high is None else self.high + other.high
        return Count(self.low + other.low, high, self.text)

    def minus(self, other: Count) -> Count:
        """This count after `other` people left, never below zero: 26 − 2 = 24."""
        low = max(0, self.low - (other.high if other.high is not None else self.low))
        high = None if self.high is None else max(low, self.high - other.low)
        return Count(low, high, self.text)

    def below(self) -> Count:
        """'fewer than this many': 0 … low − 1 (25 → 0–24)."""
        return Count(0, max(0, self.low - 1), f"不到{self.shown()}")

    def above(self) -> Count:
        """'more than this many': high + 1 … ∞ (25 → 26以上)."""
        return Count((self.high if self.high is not None else self.low) + 1, None, f"超过{self.shown()}")

    def shown(self) -> str:
        """'30' / '约27–33' / '200以上' — how the number appears in a trace."""
        if not self.approx:
            return str(self.low)
        if self.high is None:
            return f"{self.low}以上"
        return f"约{self.low}–{self.high}"

    def to_json(self) -> int | dict[str, Any]:
        if not self.approx:
            return self.low
        return {"low": self.low, "high": self.high, "approx": True, "text": self.text}


@dataclass(frozen=True)
class MoneyRange:
    """A vague amount ('五十多万' → 500,000–600,000): enough to estimate, not to compute a due amount. A hedged
    single figure ('差不多60万', '60万左右') keeps that figure as `point`: the rules compute an estimate from it."""

    low: Decimal
    high: Decimal | None
    text: str = ""
    point: Decimal | None = None

    @property
    def estimate(self) -> Decimal | None:
        return self.point

    def to_json(self) -> dict[str, Any]:
        return {
            "low": yuan_str(self.low),
            "high": None if self.high is None else yuan_str(self.high),
            "approx": True,
            "text": self.text,
            **({"point": yuan_str(self.point)} if self.point is not None else {}),
        }
