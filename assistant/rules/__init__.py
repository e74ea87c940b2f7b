"""Rules-as-code: clause-grounded decisions and calculations with derivation traces and fact-gathering."""

from assistant.rules.base import (
    Basis,
    Count,
    FactError,
    Facts,
    MoneyRange,
    Rule,
    RuleResult,
    Slot,
    SlotType,
    Status,
    Step,
    cite,
)
from assistant.rules.catalogue import RULE_CLASSES, all_rules
from assistant.rules.engine import Conversation, Prepared, RuleBasisError, RulesEngine, check_basis
from assistant.rules.money import format_yuan, percent_of, to_fen
from assistant.rules.router import Route, Router
from assistant.rules.slots import Extraction, extract

__all__ = [
    "RULE_CLASSES",
    "Basis",
    "Conversation",
    "Count",
    "Extraction",
    "FactError",
    "Facts",
    "MoneyRange",
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
    "cite",
    "extract",
    "format_yuan",
    "percent_of",
    "to_fen",
]
