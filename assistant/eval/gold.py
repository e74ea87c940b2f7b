"""Gold-set loading: JSONL files under eval/gold/, validated into typed items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field


class RetrievalItem(BaseModel):
    id: str
    question: str
    gold: list[str]
    category: str
    note: str = ""


class AnswerItem(BaseModel):
    id: str
    question: str
    history: list[dict[str, str]] = Field(default_factory=list)
    standalone: str | None = None
    category: str
    variant: str | None = None
    status: str
    gold: list[str] = Field(default_factory=list)
    key_facts: list[list[str]] = Field(default_factory=list)
    rule: dict[str, Any] | None = None
    note: str = ""
    kind: str | None = None  # "list": every item of an enumeration is a key fact; "compare": 2009 vs 2021


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
    return rows


def load_retrieval(path: Path) -> list[RetrievalItem]:
    return [RetrievalItem.model_validate(r) for r in read_jsonl(path)]


def load_answers(path: Path) -> list[AnswerItem]:
    return [AnswerItem.model_validate(r) for r in read_jsonl(path)]
