"""The reply contract shared by the Python API, the CLI, the HTTP API and the UI."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from assistant.clauses.base import Clause


class ReplyStatus(StrEnum):
    ANSWERED = "answered"
    NEEDS_MORE_INFO = "needs_more_info"
    OUT_OF_SCOPE = "out_of_scope"


class Citation(BaseModel):
    """One verified citation: `quote` is a verbatim span of clause `id` (checked by the gate)."""

    @classmethod
    def of(cls, clause: Clause, quote: str, note: str | None = None) -> Citation:
        return cls(
            id=clause.id,
            source=clause.source,
            locator=clause.locator,
            quote=quote,
            tier=clause.tier.value,
            superseded=clause.superseded,
            note=note,
        )

    id: str
    source: str
    locator: str
    quote: str
    tier: str
    superseded: bool = False
    note: str | None = None  # e.g. "2009年修正本，已被2021年修正本取代" or "仅见指导材料引用"


class RuleTrace(BaseModel):
    id: str
    inputs: dict[str, Any]
    conclusion: str
    trace: list[str]
    result: dict[str, Any] = Field(default_factory=dict)


class MissingFact(BaseModel):
    name: str
    question: str


class Reply(BaseModel):
    status: ReplyStatus
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    rule: RuleTrace | None = None
    missing_facts: list[MissingFact] = Field(default_factory=list)
    rewritten_question: str | None = None
    corpus_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Turn(BaseModel):
    """One history turn as callers send it."""

    role: str
    content: str
