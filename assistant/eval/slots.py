"""Slot accuracy: extracted facts against a bank of phrasings with hand-written expectations (tests/understand)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from assistant.rules.base import Count, MoneyRange
from assistant.rules.slots import extract
from assistant.text.normalize import normalize
from assistant.understand.spelling import Speller

MONEY = frozenset({"wage_total", "dispatch_wages", "annual_income", "monthly_income", "amount"})


def shown(value: Any, money: bool = True) -> Any:
    """An extracted fact in the bank's notation: 30, [41, 49], "400000", {"approx": "600000"}, ["3e5", "4e5"]."""
    if isinstance(value, Count):
        return value.low if value.low == value.high else [value.low, value.high]
    if isinstance(value, MoneyRange):
        if value.point is not None:
            return {"approx": _yuan(value.point)}
        return [_yuan(value.low), None if value.high is None else _yuan(value.high)]
    if isinstance(value, Decimal):
        return _yuan(value) if money or value != value.to_integral_value() else int(value)
    return value


def _yuan(d: Decimal) -> str:
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def reading_facts(speller: Speller) -> Callable[[str], dict[str, Any]]:
    """The facts of a question as the pipeline reads it (spelling first), `groups` included when several units."""

    def facts_of(text: str) -> dict[str, Any]:
        ex = extract(speller.correct(normalize(text))[0])
        return {**ex.facts, **({"groups": list(ex.groups)} if ex.groups else {})}

    return facts_of


@dataclass
class SlotReport:
    items: int = 0
    exact: int = 0  # items whose every expected slot matches and no absent slot is present
    slots: int = 0
    slots_right: int = 0
    by_slot: Counter[str] = field(default_factory=Counter)
    by_slot_right: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def item_accuracy(self) -> float:
        return self.exact / self.items if self.items else 0.0

    @property
    def slot_accuracy(self) -> float:
        return self.slots_right / self.slots if self.slots else 0.0


def evaluate(bank: Path, facts_of: Callable[[str], Mapping[str, Any]]) -> SlotReport:
    rep = SlotReport()
    for line in bank.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        got = {
            k: [{n: shown(x, n in MONEY) for n, x in g.items()} for g in v] if k == "groups" else shown(v, k in MONEY)
            for k, v in facts_of(row["text"]).items()
        }
        ok_all = True
        wrong: dict[str, Any] = {}
        for name, want in row["expect"].items():
            rep.slots += 1
            rep.by_slot[name] += 1
            if got.get(name) == want:
                rep.slots_right += 1
                rep.by_slot_right[name] += 1
            else:
                ok_all = False
                wrong[name] = {"want": want, "got": got.get(name)}
        for name in row.get("absent", []):
            rep.slots += 1
            rep.by_slot["absent"] += 1
            if name in got:
                ok_all = False
                wrong[name] = {"want": None, "got": got[name]}
            else:
                rep.slots_right += 1
                rep.by_slot_right["absent"] += 1
        rep.items += 1
        rep.exact += ok_all
        if not ok_all:
            rep.misses.append({"id": row["id"], "text": row["text"], "wrong": wrong})
    return rep
