"""Screening: harmful requests are refused; instructions injected into a question are dropped, the question kept.

A question is cut into segments (sentences and bracketed asides: （）【】[]「」). Each segment and the whole are read
by the intent classifier. Then:

- a segment read as HARMFUL (forgery, fabrication, impersonation, retaliation) refuses the whole question, whatever
  else it asks;
- segments read as INJECTION (instructions to the assistant: "忽略之前的规定", a fake admin note that the rate changed)
  are dropped; what is left is answered as the question, the dropped text is reported, never obeyed;
- a question that is nothing but an injection, or whose remainder is no in-scope question, is refused.

The classifier's probabilities decide (`FLAG` for a segment); no word list does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.understand.base import Intent, IntentKind

FLAG = 0.5  # a segment at least this likely harmful or injection (the two together) is flagged
_BRACKETS = re.compile(r"[（(【\[「『]([^）)】\]」』]{2,})[）)】\]」』]")
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])")
_CONTENT = re.compile(r"[\w\u4e00-\u9fff]")


class Verdict(StrEnum):
    SAFE = "safe"
    STRIPPED = "stripped"  # injected instructions dropped, the rest answered
    REFUSE = "refuse"


@dataclass(frozen=True)
class Screen:
    verdict: Verdict
    question: str  # what is answered: the whole question, or what is left of it
    dropped: tuple[str, ...] = ()
    reason: str = ""


def segments(text: str) -> list[str]:
    """Bracketed asides first (in order), then the sentences of what is left."""
    asides = [m.group(1).strip() for m in _BRACKETS.finditer(text)]
    rest = _BRACKETS.sub("。", text)
    sentences = [s.strip(" 。") for s in _SENTENCE.split(rest)]
    return [s for s in [*asides, *sentences] if _CONTENT.search(s)]


def _bad(intent: Intent) -> IntentKind | None:
    """HARMFUL or INJECTION (the likelier of the two) when together they reach FLAG; the bank's two classes share
    their probability on requests that are both (a jailbreak asking for a forgery)."""
    harm, inj = intent.p(IntentKind.HARMFUL), intent.p(IntentKind.INJECTION)
    if harm + inj < FLAG:
        return None
    return IntentKind.HARMFUL if harm >= inj else IntentKind.INJECTION


def screen(text: str, classify: Callable[[Sequence[str]], list[Intent]]) -> Screen:
    whole = classify([text])[0]
    parts = segments(text)
    if len(parts) <= 1:
        kind = _bad(whole)
        if kind is None:
            return Screen(Verdict.SAFE, text)
        return Screen(Verdict.REFUSE, text, (text,), kind.value)
    reads = classify(parts)
    flagged = [(p, _bad(r)) for p, r in zip(parts, reads, strict=True)]
    if any(k is IntentKind.HARMFUL for _, k in flagged):
        return Screen(Verdict.REFUSE, text, tuple(p for p, k in flagged if k), IntentKind.HARMFUL.value)
    dropped = [p for p, k in flagged if k is IntentKind.INJECTION]
    if not dropped:
        kind = _bad(whole)
        if kind is None:
            return Screen(Verdict.SAFE, text)
        return Screen(Verdict.REFUSE, text, (text,), kind.value)
    rest = "，".join(p for p, k in flagged if k is None)
    if not rest:
        return Screen(Verdict.REFUSE, text, tuple(dropped), IntentKind.INJECTION.value)
    left = classify([rest])[0]
    if _bad(left) is not None or (left.kind is IntentKind.OUT_OF_SCOPE and left.confident):
        return Screen(Verdict.REFUSE, text, tuple(dropped), IntentKind.INJECTION.value)
    return Screen(Verdict.STRIPPED, rest, tuple(dropped), IntentKind.INJECTION.value)
