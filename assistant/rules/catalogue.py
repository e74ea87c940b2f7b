"""The rule catalogue: one instance of every rule, in the order they are listed to users."""

from __future__ import annotations

from assistant.rules.base import Rule
from assistant.rules.chair_contract_extension import ChairContractExtension
from assistant.rules.chair_removal import ChairRemoval
from assistant.rules.committee_relatives import CommitteeRelatives
from assistant.rules.committee_threshold import CommitteeThreshold
from assistant.rules.dismissal_remedy import DismissalRemedy
from assistant.rules.dispatch_affiliation import DispatchAffiliation
from assistant.rules.dispatch_fund import DispatchFund
from assistant.rules.extraordinary_meeting import ExtraordinaryMeeting
from assistant.rules.full_time_chair import FullTimeChair
from assistant.rules.governance_term import GovernanceTerm
from assistant.rules.migrant_statistics import MigrantStatistics
from assistant.rules.restructuring import Restructuring
from assistant.rules.taxi_union import TaxiUnion
from assistant.rules.union_fund import UnionFund
from assistant.rules.union_work_time import UnionWorkTime

RULE_CLASSES: tuple[type[Rule], ...] = (
    CommitteeThreshold,
    UnionFund,
    DispatchFund,
    DispatchAffiliation,
    Restructuring,
    TaxiUnion,
    MigrantStatistics,
    FullTimeChair,
    DismissalRemedy,
    GovernanceTerm,
    ExtraordinaryMeeting,
    ChairRemoval,
    ChairContractExtension,
    UnionWorkTime,
    CommitteeRelatives,
)


def all_rules() -> tuple[Rule, ...]:
    """Fresh instances of every rule (rules are stateless; instances only carry class data)."""
    return tuple(cls() for cls in RULE_CLASSES)
