"""Figure chains: when a question gives one fact several values, which one it means, learned from annotated banks.

"会员从19人增加到26人", "不是52万，是每月55万", "原来30人，现在扩到45人" state one fact twice and mean one figure;
"一店员工15人，二店员工12人" give each unit its own; "上级说三十人以上才必须建…我们只有二十二个" quotes a threshold
beside the case's figure. Each figure of such a chain (the mentions the roles gave one fact, in reading order) is
labelled OLD (taken back, superseded, quoted), CURRENT (the case's figure) or UNIT (one unit's figure among several)
from the words between it and its neighbours in the chain and the words around it. Labels for training come from
the banks' expected facts: a figure equal to the expected value is CURRENT, one inside the expected `groups` is UNIT,
any other figure of a chain whose fact is expected is OLD.

`resolve` turns the labels into a decision: one value, "units" (read the question as several units), or None when
the model is not sure, where the extractor's own reading (correction words, contradiction to ask about) stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.understand.quantities import Qty

OLD, CURRENT, UNIT = "old", "current", "unit"
EDGE = 10  # characters of the text between two figures read at either end
WINDOW = 6


class Placed:
    """A figure placed in the prepared text: its fact, its value, where it starts and ends, its clause and sentence."""

    __slots__ = ("clause", "end", "fact", "sentence", "start", "value")

    def __init__(self, fact: str, qty: Qty, start: int, clause: int, sentence: int) -> None:
        self.fact = fact
        self.value: Any = qty.value
        self.start = start
        self.end = start + (qty.end - qty.start)
        self.clause = clause
        self.sentence = sentence


def _grams(f: dict[str, float], tag: str, text: str, weight: float = 1.0) -> None:
    for n in (1, 2, 3):
        for i in range(len(text) - n + 1):
            f[f"{tag}:{text[i : i + n]}"] = weight


def features(text: str, chain: Sequence[Placed], i: int, marks: dict[str, bool]) -> dict[str, float]:
    """The words between figure `i` and its chain neighbours, the words around it, how its value compares."""
    m = chain[i]
    pos = "first" if i == 0 else "last" if i == len(chain) - 1 else "mid"
    f: dict[str, float] = {f"fact={m.fact}": 1.0, f"pos={pos}": 1.0}
    for name, on in marks.items():
        if on:
            f[f"mark={name}"] = 1.0
    _grams(f, "b", text[max(0, m.start - WINDOW) : m.start])
    _grams(f, "a", text[m.end : m.end + WINDOW])
    if i + 1 < len(chain):
        nxt = chain[i + 1]
        gap = text[m.end : nxt.start]
        _grams(f, "n", gap[:EDGE])
        _grams(f, "N", gap[-EDGE:])
        near = "clause" if nxt.clause == m.clause else "sentence" if nxt.sentence == m.sentence else "far"
        f[f"next={near}"] = 1.0
        f[f"next={_order(m.value, nxt.value)}"] = 1.0
    else:
        f["next=none"] = 1.0
    if i > 0:
        prev = chain[i - 1]
        gap = text[prev.end : m.start]
        _grams(f, "p", gap[-EDGE:])
        _grams(f, "P", gap[:EDGE], 0.5)
    else:
        f["prev=none"] = 1.0
    return f


def _order(a: Any, b: Any) -> str:
    try:
        lo_a, lo_b = getattr(a, "low", a), getattr(b, "low", b)
        return "up" if lo_b > lo_a else "down" if lo_b < lo_a else "same"
    except TypeError:
        return "na"


def labels(chain: Sequence[Placed], want: Any, units: Sequence[Any], same: Any) -> list[str | None]:
    """Training labels of a chain from the bank: CURRENT for the expected value, UNIT for a value of the expected
    groups, OLD for the rest when the expected value is in the chain (else None: the line says nothing about them)."""
    out: list[str | None] = []
    has_current = want is not None and any(same(m.value, want) for m in chain)
    for m in chain:
        if want is not None and same(m.value, want):
            out.append(CURRENT)
        elif any(same(m.value, u) for u in units):
            out.append(UNIT)
        elif has_current:
            out.append(OLD)
        else:
            out.append(None)
    return out


@dataclass(frozen=True)
class Verdict:
    """What a chain means: one value, or one value per unit (`units`)."""

    value: Any = None
    units: bool = False


def resolve(chain: Sequence[Placed], verdicts: Sequence[tuple[str, float]], sure: float) -> Verdict | None:
    """One value (the only one read CURRENT, every other figure read OLD), units (two or more read UNIT, none
    CURRENT), or None when any figure's reading is below `sure` or the readings disagree."""
    if any(p < sure for _, p in verdicts):
        return None
    said = [label for label, _ in verdicts]
    if said.count(UNIT) >= 2 and CURRENT not in said:
        return Verdict(units=True)
    current = [m.value for m, label in zip(chain, said, strict=True) if label == CURRENT]
    if current and all(v == current[0] for v in current) and UNIT not in said:
        return Verdict(current[0])
    return None
