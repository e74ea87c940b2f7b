"""Reply snapshots: every reply over the gold and rules sets, written and compared to guard a refactor.

A snapshot line holds what a caller sees: status, answer text, citations (id + quote), rule (id, result, trace) and
missing facts, keyed by set and item id. `compare` lists the items whose reply changed, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer.reply import Reply
from assistant.eval.gold import read_jsonl

Ask = Callable[[str, list[dict[str, str]] | None], Reply]
FIELDS = ("status", "answer", "citations", "rule", "missing_facts", "rewritten_question")


@dataclass(frozen=True)
class Probe:
    """One question to snapshot: `key` is '<set>:<id>', history as callers send it."""

    key: str
    question: str
    history: list[dict[str, str]]


def probes(files: Iterable[Path]) -> Iterator[Probe]:
    """Questions of gold files (`question`, history of turns) and the rules set (`q`, history of user strings)."""
    for path in files:
        for row in read_jsonl(path):
            question = row.get("question", row.get("q"))
            if not isinstance(question, str):
                raise ValueError(f"{path}: item {row.get('id')!r} has no question")
            history = [t if isinstance(t, dict) else {"role": "user", "content": t} for t in row.get("history", [])]
            yield Probe(f"{path.stem}:{row['id']}", question, history)


def view(reply: Reply) -> dict[str, Any]:
    """The caller-visible part of a reply (no corpus version: it names the build, not the behaviour)."""
    d = reply.to_dict()
    return {k: d[k] for k in FIELDS}


def snapshot(ask: Ask, items: Sequence[Probe]) -> list[dict[str, Any]]:
    return [{"key": p.key, **view(ask(p.question, p.history or None))} for p in items]


def write(rows: Sequence[dict[str, Any]], path: Path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows), encoding="utf-8")


def compare(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items whose reply differs, with the fields that changed; an item present on one side only is a difference."""
    a = {r["key"]: r for r in before}
    b = {r["key"]: r for r in after}
    out = []
    for key in sorted(a.keys() | b.keys()):
        if key not in a or key not in b:
            out.append({"key": key, "only_in": "after" if key in b else "before"})
            continue
        changed = [f for f in FIELDS if a[key].get(f) != b[key].get(f)]
        if changed:
            out.append({"key": key, "fields": changed, **{f: [a[key].get(f), b[key].get(f)] for f in changed}})
    return out
