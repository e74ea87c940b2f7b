"""Screening: harmful requests are refused; instructions injected into a question are dropped, the question kept.

A question is cut into segments (bracketed asides: （）【】[]「」, then sentences and colon-led parts). The whole and
each segment are read by the intent classifier; a reading is "bad" when HARMFUL and INJECTION together reach
`FLAG`. Then:

- the whole question read as bad, or any segment read as clearly HARMFUL (`HARM`: forgery, fabrication,
  impersonation, retaliation against organisers), refuses it, whatever else it asks;
- other bad segments are dropped: instructions to the assistant ("忽略之前的规定", a fake notice that the rate changed)
  and narrations that merely sound alarming; what is left is answered as the question, the dropped text is
  reported, never obeyed (rules decide from the law, so an injected "比例已改为3%" changes nothing);
- a question that is nothing but such segments, or whose remainder is no in-scope question, is refused.

The classifier's probabilities decide; no word list does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.understand.base import Intent, IntentKind

FLAG = 0.5  # a reading at least this likely harmful or injection (the two together) is flagged
HARM = 0.75  # a segment this likely harmful refuses the whole question; below, a flagged segment is only dropped
# segments are read (an E5 pass each) only when the whole question carries this much harmful + injection mass:
# 98% of the bank's injection-wrapped questions do, 11% of ordinary in-scope questions (see the closing note)
SUSPECT = 0.05
_BRACKETS = re.compile(r"[（(【\[「『]([^）)】\]」』]{2,})[）)】\]」』]")
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n：:])")
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
    kind = _bad(whole)
    parts = segments(text)
    suspect = whole.p(IntentKind.HARMFUL) + whole.p(IntentKind.INJECTION) >= SUSPECT
    if len(parts) <= 1 or not suspect:
        return Screen(Verdict.SAFE, text) if kind is None else Screen(Verdict.REFUSE, text, (text,), kind.value)
    reads = classify(parts)
    if kind is IntentKind.HARMFUL or any(r.p(IntentKind.HARMFUL) >= HARM for r in reads):
        return Screen(Verdict.REFUSE, text, (text,), IntentKind.HARMFUL.value)
    flagged = [(p, _bad(r)) for p, r in zip(parts, reads, strict=True)]
    dropped = tuple(p for p, k in flagged if k is not None)
    if not dropped:
        return Screen(Verdict.SAFE, text) if kind is None else Screen(Verdict.REFUSE, text, (text,), kind.value)
    rest = "，".join(p for p, k in flagged if k is None)
    if not rest:
        return Screen(Verdict.REFUSE, text, dropped, IntentKind.INJECTION.value)
    left = classify([rest])[0]
    if _bad(left) is not None or (left.kind is IntentKind.OUT_OF_SCOPE and left.confident):
        return Screen(Verdict.REFUSE, text, dropped, IntentKind.INJECTION.value)
    return Screen(Verdict.STRIPPED, rest, dropped, IntentKind.INJECTION.value)
