"""dispatch-affiliation: dispatched workers join the agency's union first, else the user unit's; no one may refuse them.

《劳务派遣工入会规定》第一条：劳务派遣单位和用工单位都应当依法建立工会组织，吸收劳务派遣工加入工会，任何组织和个人
不得阻挠和限制。劳务派遣工应首先选择参加劳务派遣单位工会，劳务派遣单位工会委员会中应有相应比例的劳务派遣工会员作为
委员会成员。劳务派遣单位没有建立工会组织的，劳务派遣工直接参加用工单位工会。
第二条：在劳务派遣工会员接受派遣期间，劳务派遣单位工会可以委托用工单位工会代管。……签订委托管理协议……
第五条：劳务派遣单位工会牵头、由使用其劳务派遣工的跨区域的用工单位工会建立的基层工会联合会，不符合建立区域性、
行业性基层工会联合会的规定，应予纠正。
《劳动合同法》第六十四条：被派遣劳动者有权在劳务派遣单位或者用工单位依法参加或者组织工会，维护自身的合法权益。
《会籍管理办法》第九条：……劳务派遣单位工会可以与用工单位工会签订委托管理协议……

Which union the asker joins ("我是派遣工，该入哪边？") turns on whether the agency has a union, so that is asked;
a question about the category ("劳务派遣工应该加入哪个工会？") or the order of preference ("首先应加入哪个工会")
gets the article's general rule, which states both cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

_R1 = "acftu-dispatch-rule/art-1"


@dataclass(frozen=True)
class Affiliation:
    """Which union a dispatched worker joins (by whether the agency and the user unit have one), and the
    management, refusal and cross-region questions asked with it."""

    kind: Literal["ask_agency", "decided"]
    agency: bool | None = None  # the agency has a union
    neither: bool = False  # neither the agency nor the user unit has one
    managed: bool = False  # entrustment to the user unit's union is asked or agreed
    refused: bool = False
    cross_region: bool = False


class DispatchAffiliation(Rule):
    id = "dispatch-affiliation"
    title = "劳务派遣工加入哪个工会（会籍归属与委托管理）"
    summary = (
        "依《劳务派遣工入会规定》第一条，劳务派遣工应首先选择参加劳务派遣单位工会；劳务派遣单位没有建立工会组织的，"
        "劳务派遣工直接参加用工单位工会。"
    )
    summary_cites = ("acftu-dispatch-rule/art-1",)
    valid_for = ("acftu-dispatch-rule", "acftu-membership-rule", "labor-contract-law")
    slots = (
        Slot(
            "agency_has_union",
            SlotType.BOOL,
            "劳务派遣单位是否已经建立工会？",
            required=False,
            label="派遣单位是否建会",
        ),
        Slot("user_has_union", SlotType.BOOL, "用工单位是否已经建立工会？", required=False, label="用工单位是否建会"),
        Slot("entrusted", SlotType.BOOL, "是否打算由用工单位工会代管这些会员？", required=False, label="是否委托代管"),
        Slot(
            "refused",
            SlotType.BOOL,
            "用工单位是否以“不存在劳动关系”为由拒绝吸收派遣工入会？",
            required=False,
            label="是否被拒绝",
        ),
        Slot(
            "ask_manage", SlotType.BOOL, "您是想知道派遣期间由哪个工会管理吗？", required=False, label="是否问谁来管理"
        ),
        Slot("ask_join", SlotType.BOOL, "您是想知道该加入哪个工会吗？", required=False, label="是否问加入哪个工会"),
        Slot(
            "cross_region",
            SlotType.BOOL,
            "是否由派遣单位工会牵头组建跨区域的基层工会联合会？",
            required=False,
            label="是否跨区域联合会",
        ),
    )
    basis = (
        Basis(
            "acftu-dispatch-rule/art-1",
            "劳务派遣单位和用工单位都应当依法建立工会组织,吸收劳务派遣工加入工会,任何组织和个人不得阻挠和限制。",
        ),
        Basis(
            "acftu-dispatch-rule/art-1",
            "劳务派遣工应首先选择参加劳务派遣单位工会,劳务派遣单位工会委员会中应有相应比例的劳务派遣工会员作为委员会成员。",
        ),
        Basis("acftu-dispatch-rule/art-1", "劳务派遣单位没有建立工会组织的,劳务派遣工直接参加用工单位工会。"),
        Basis(
            "acftu-dispatch-rule/art-2",
            "在劳务派遣工会员接受派遣期间,劳务派遣单位工会可以委托用工单位工会代管。劳务派遣单位工会与用工单位工会签订委托管理协议,"
            "明确双方对会员组织活动、权益维护等的责任与义务。",
        ),
        Basis(
            "acftu-membership-rule/art-9",
            "在劳务派遣工会员接受派遣期间,劳务派遣单位工会可以与用工单位工会签订委托管理协议,"
            "明确双方对会员组织活动、权益维护等方面的责任与义务。",
        ),
        Basis(
            "acftu-dispatch-rule/art-5",
            "劳务派遣单位工会牵头、由使用其劳务派遣工的跨区域的用工单位工会建立的基层工会联合会,"
            "不符合建立区域性、行业性基层工会联合会的规定,应予纠正。",
        ),
        Basis(
            "labor-contract-law/art-64",
            "被派遣劳动者有权在劳务派遣单位或者用工单位依法参加或者组织工会，维护自身的合法权益。",
        ),
        Basis("guidance/6.1", "往往以“不存在劳动关系”为由拒绝吸纳劳务派遣工加入本单位工会。"),
        Basis("guidance/6.1", "全国总工会文件作出上述规定,既有法律依据,又从实际出发解决了操作层面的问题"),
    )
    examples = (
        "劳务派遣工应该加入哪个工会？",
        "派遣公司没有工会，派遣工能加入用工单位的工会吗？",
        "用工单位以不存在劳动关系为由不让派遣工入会，合法吗？",
        "派遣单位工会和用工单位工会怎么签委托管理协议？",
        "派遣公司牵头成立跨区域的工会联合会可以吗？",
        "派遣工入会先入派遣公司工会还是用工单位工会？",
        "被派遣劳动者在哪里参加工会？",
        "派遣单位工会委员会里要有派遣工委员吗？",
    )
    keywords = ("派遣",)
    patterns = (
        r"派遣.{0,20}(?:入会|加入|参加|入工会|哪个工会|哪里|会籍|委员|代管|委托|托管|管理协议|联合会|劳动关系|拒绝|不让|不收"
        r"|会员|哪个单位|哪边|哪家)",
        r"(?:入会|加入|参加|哪个工会|会籍|代管|委托|联合会).{0,20}派遣",
    )

    # "那入哪个工会？" / "归谁管？" after an affiliation answer
    followups = (r"(?:加入|参加|入|进)(?:了)?(?:哪|哪个|哪家|哪边)|哪个工会|哪边的工会|归哪|归谁管|谁来管|谁管",)

    def decide(self, f: Facts) -> Outcome[Affiliation]:
        agency, user = f.flag("agency_has_union"), f.flag("user_has_union")
        asked_only = not any(f.flag(k) for k in ("entrusted", "refused", "cross_region"))
        if agency is None and f.flag("ask_join") and asked_only:
            return self.need(f, ["agency_has_union"], Affiliation("ask_agency"))
        steps = [Derivation("劳务派遣工入会", _R1, "首先选择参加劳务派遣单位工会")]
        result: dict[str, Any] = {
            "join_first": "劳务派遣单位工会",
            "if_agency_has_no_union": "用工单位工会",
            "agency_committee": "应有相应比例的劳务派遣工会员作为委员会成员",
        }
        if agency is False:
            steps.append(Derivation("劳务派遣单位未建工会", _R1, "直接参加用工单位工会"))
            result["join"] = "用工单位工会"
            if user is False:
                steps.append(Derivation("两单位均未建会", _R1, "都应当依法建立工会组织"))
        elif agency is True:
            result["join"] = "劳务派遣单位工会"
        right = "有权在劳务派遣单位或者用工单位依法参加或者组织工会"
        steps.append(Derivation("被派遣劳动者", "labor-contract-law/art-64", right))
        managed = bool(f.flag("entrusted") or f.flag("ask_manage"))
        if managed:
            # who looks after the members while they are dispatched: the agency's union may entrust the user's
            steps.append(
                Derivation("派遣期间由用工单位工会代管", "acftu-dispatch-rule/art-2", "两家工会签订委托管理协议")
            )
            outcome = "明确双方对会员组织活动、权益维护等方面的责任与义务"
            steps.append(Derivation("委托管理协议", "acftu-membership-rule/art-9", outcome))
            result["entrusted_management"] = "签订委托管理协议" if f.flag("entrusted") else "可以委托用工单位工会代管"
        refused = bool(f.flag("refused"))
        if refused:
            steps.append(Derivation("用工单位以“不存在劳动关系”为由拒绝", "guidance/6.1", "正是指导材料指出的推诿做法"))
            steps.append(Derivation("任何组织和个人", _R1, "不得阻挠和限制劳务派遣工入会"))
            result["refusal_valid"] = False
        cross = bool(f.flag("cross_region"))
        if cross:
            fact = "派遣单位工会牵头的跨区域联合会"
            steps.append(Derivation(fact, "acftu-dispatch-rule/art-5", "不符合规定，应予纠正"))
            result["cross_region_federation"] = "应予纠正"
        case = Affiliation("decided", agency, agency is False and user is False, managed, refused, cross)
        return self.decided(f, case, result, steps)

    def phrase(self, o: Outcome[Affiliation]) -> str:
        c = o.case
        if c.kind == "ask_agency":
            return "具体加入哪个工会，取决于劳务派遣单位是否建立了工会。"
        if c.agency is False:
            parts = ["劳务派遣单位没有建立工会组织，劳务派遣工直接参加用工单位工会（《劳务派遣工入会规定》第一条）"]
            if c.neither:
                parts.append("用工单位也没有工会的，劳务派遣单位和用工单位都应当依法建立工会组织")
        elif c.agency is True:
            parts = [
                "劳务派遣单位已建工会，劳务派遣工应首先参加劳务派遣单位工会，其工会委员会中应有相应比例的劳务派遣工会员"
                "（《劳务派遣工入会规定》第一条）"
            ]
        else:
            parts = [
                "依《劳务派遣工入会规定》第一条，劳务派遣工应首先参加劳务派遣单位工会（其委员会中应有相应比例的派遣工会员）；"
                "劳务派遣单位没有建立工会组织的，直接参加用工单位工会"
            ]
        if c.managed:
            parts.append(
                "派遣期间可由劳务派遣单位工会委托用工单位工会代管，双方签订委托管理协议，明确对会员组织活动、权益维护等的"
                "责任与义务（第二条；《会籍管理办法》第九条）"
            )
        if c.refused:
            parts.append(
                "用工单位以“不存在劳动关系”为由拒绝不能成立：《劳动合同法》第六十四条规定被派遣劳动者有权在用工单位依法参加"
                "工会，《劳务派遣工入会规定》第一条规定任何组织和个人不得阻挠和限制"
            )
        if c.cross_region:
            parts.append("由劳务派遣单位工会牵头、跨区域用工单位工会组成的基层工会联合会不符合规定，应予纠正（第五条）")
        return "；".join(parts) + "。"
