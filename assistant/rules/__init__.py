"""Rules-as-code: clause-grounded decisions and calculations with derivation traces and fact-gathering."""

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
from assistant.rules.catalogue import RULE_CLASSES, all_rules
from assistant.rules.engine import Conversation, Prepared, RuleBasisError, RulesEngine, check_basis
from assistant.rules.facts import Extraction, extract
from assistant.rules.router import Route, Router
from assistant.text.money import format_yuan, percent_of, to_fen

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
