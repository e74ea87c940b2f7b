"""The understanding layer's contract: corrections, intents and question segments as plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class IntentKind(StrEnum):
    """What a question asks for; routing only, rules still decide. A bad value fails loudly (ValueError)."""

    RULE = "rule"  # a decision or a number one of the rules computes
    PASSAGE = "passage"  # answered by a passage of the texts
    ARTICLE = "article"  # the text of a named article
    COMPARE = "compare"  # 2009 vs 2021 工会法
    LIST = "list"  # every item of an enumeration
    OUT_OF_SCOPE = "out_of_scope"  # not covered by the texts (other laws' matters included)
    HARMFUL = "harmful"  # forgery, fabrication, impersonation, retaliation against organisers
    INJECTION = "injection"  # instructions to the assistant hidden in a question


@dataclass(frozen=True)
class Correction:
    """One spelling fix: `wrong` at `start` in the normalised question became `right`."""

    wrong: str
    right: str
    start: int
    how: str  # "confusion" (listed typo) | "pinyin" (homophone of a domain word)


@dataclass(frozen=True)
class Intent:
    """The classifier's reading: the best kind, its calibrated probability, every kind's probability, and
    whether it is sure enough to route on (`confident`); unsure readings leave the default path in charge."""

    kind: IntentKind
    probability: float
    scores: dict[str, float] = field(default_factory=dict)
    confident: bool = False
    rule: str | None = None  # for RULE: which rule the bank's second stage names, and how sure it is
    rule_probability: float = 0.0

    def p(self, kind: IntentKind) -> float:
        return self.scores.get(kind.value, 0.0)


@dataclass(frozen=True)
class Segment:
    """A piece of a question (a sentence or a bracketed aside) with its own reading."""

    text: str
    intent: Intent
