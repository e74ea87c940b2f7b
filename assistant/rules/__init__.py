"""Rules-as-code: clause-grounded decisions and calculations with derivation traces and fact-gathering."""

import importlib
from typing import TYPE_CHECKING, Any

from assistant.rules.base import (
    Basis,
    Citation,
    Citer,
    Count,
    Derivation,
    FactError,
    Facts,
    MoneyRange,
    Outcome,
    Rule,
    RuleResult,
    Slot,
    SlotType,
    Status,
    Step,
)
from assistant.rules.money import format_yuan, percent_of, to_fen

if TYPE_CHECKING:
    from assistant.rules.catalogue import RULE_CLASSES, all_rules
    from assistant.rules.engine import Conversation, Prepared, RuleBasisError, RulesEngine, check_basis
    from assistant.rules.router import Route, Router
    from assistant.rules.slots import Extraction, extract

# The engine, router and extractor read questions through assistant.understand, which itself uses the value types
# of rules.base (Count, MoneyRange): they load on first use, so that importing either package first is no cycle.
_LAZY = {
    "RULE_CLASSES": "catalogue", "all_rules": "catalogue",
    "Conversation": "engine", "Prepared": "engine", "RuleBasisError": "engine", "RulesEngine": "engine",
    "check_basis": "engine", "Route": "router", "Router": "router", "Extraction": "slots", "extract": "slots",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant.rules' has no attribute {name!r}")
    return getattr(importlib.import_module(f"assistant.rules.{module}"), name)

__all__ = [
    "RULE_CLASSES",
    "Basis",
    "Citation",
    "Citer",
    "Conversation",
    "Count",
    "Derivation",
    "Extraction",
    "FactError",
    "Facts",
    "MoneyRange",
    "Outcome",
    "Prepared",
    "Route",
    "Router",
    "Rule",
    "RuleBasisError",
    "RuleResult",
    "RulesEngine",
    "Slot",
    "SlotType",
    "Status",
    "Step",
    "all_rules",
    "check_basis",
    "extract",
    "format_yuan",
    "percent_of",
    "to_fen",
]
