"""Slot accuracy: extracted facts against a bank of phrasings with hand-written expectations (tests/understand)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.rules.facts import RoleReader, extract
from assistant.text.normalize import normalize
from assistant.understand.roles import MONEY, notation, same
from assistant.understand.spelling import Speller


def reading_facts(speller: Speller, roles: RoleReader | None = None) -> Callable[[str], dict[str, Any]]:
    """The facts of a question as the pipeline reads it (spelling first, then the mention roles), `groups`
    included when several units."""

    def facts_of(text: str) -> dict[str, Any]:
        ex = extract(speller.correct(normalize(text))[0], roles)
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
        raw = dict(facts_of(row["text"]))
        got = {
            k: [{n: notation(x, n in MONEY) for n, x in g.items()} for g in v]
            if k == "groups"
            else notation(v, k in MONEY)
            for k, v in raw.items()
        }
        ok_all = True
        wrong: dict[str, Any] = {}
        for name, want in row["expect"].items():
            rep.slots += 1
            rep.by_slot[name] += 1
            if name in raw and _matches(name, raw[name], want):
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


def _matches(name: str, got: Any, want: Any) -> bool:
    if name == "groups":
        return (
            isinstance(want, list)
            and len(got) == len(want)
            and all(
                set(g) == set(w) and all(same(g[k], w[k], k in MONEY) for k in w)
                for g, w in zip(got, want, strict=True)
            )
        )
    return same(got, want, name in MONEY)
