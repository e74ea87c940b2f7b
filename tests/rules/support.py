"""Test helper: a rule's public RuleResult for some facts, cited through the clause store as the engine does."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from assistant.clauses import ClauseStore
from assistant.rules import Rule, RuleResult

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@cache
def _store() -> ClauseStore:
    return ClauseStore.load(CORPUS)


def cite(clause_id: str) -> str:
    return _store()[clause_id].cite


def rule_result(rule: Rule, facts: Mapping[str, Any]) -> RuleResult:
    return rule.result(facts, cite)
