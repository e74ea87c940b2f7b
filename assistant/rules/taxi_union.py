"""taxi-union: taxi firms form enterprise unions (small ones jointly, via the taxi authority); drivers a county union.

指导材料（三）第3段：出租车公司建立企业工会组织。职工人数少的出租车公司，如不具备单独建会条件，可以由当地出租车运管
部门牵头组建出租车联合基层工会。对个体出租从业者，可以区县为单位成立“个体出租车工会”，受区县总工会领导，接受上级
产业工会工作指导。区县“个体出租车工会”筹建期间经费有困难的，由所在地方总工会予以补助。
第4段：出租车企业工会、联合基层工会和已建立的出租车行业工会，应纳入城市交通(建设)产业工会领导。对没有建立交通(建设)
产业工会的城市，根据本地实际情况和需要，可依托县(区)级出租车运管部门建立出租车行业工会，接受同级党组织和上一级工会
的领导。

Drivers asking for themselves ("我们出租车司机想建工会") are asked whether they work for a taxi company or on their
own, since the two are organised differently; a question about the trade in general gets both. In a taxi question
a plain 公司/企业 is the taxi company. A company whose member count is given is also held to 《工会法》第十一条:
twenty-five members or more must set up a grassroots union committee.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Count, Derivation, Facts, Outcome, Rule, Slot, SlotType
from assistant.rules.committee_threshold import THRESHOLD

_P3, _P4 = "guidance/3.p3", "guidance/3.p4"
_A11 = "union-law-2021/art-11"
COMPANY, INDIVIDUAL = "出租车公司", "个体出租车"


@dataclass(frozen=True)
class Taxi:
    """Which parts of 指导材料（三） applied: how a company's drivers organise (by its head count, or jointly when it
    cannot alone), individual drivers' county unions, and who leads them (no transport union: a sector union)."""

    kind: Literal["ask_kind", "decided"]
    company: Literal["must", "may", "joint", "general"] | None = None  # None: not about a company
    members: Count | None = None
    individual: bool = False
    no_transport_union: bool = False


class TaxiUnion(Rule):
    id = "taxi-union"
    title = "出租车行业建会（出租车公司、个体出租车司机）"
    summary = (
        "依指导材料（三），出租车公司建立企业工会组织，人少不具备单独建会条件的可由当地运管部门牵头组建联合基层工会；"
        "个体出租从业者可以区县为单位成立“个体出租车工会”。"
    )
    summary_cites = (_P3,)
    valid_for = ("guidance",)
    slots = (
        Slot(
            "entity",
            SlotType.ENTITY,
            "您问的是出租车公司的职工，还是个体出租车司机？",
            required=False,
            label="从业形式",
        ),
        Slot("drivers", SlotType.BOOL, "提问的是出租车司机本人吗？", required=False, label="是否司机本人"),
        Slot("members", SlotType.COUNT, "这家出租车公司有多少名工会会员？", required=False, label="会员人数"),
        Slot(
            "alone_possible",
            SlotType.BOOL,
            "这家出租车公司是否具备单独建会的条件？",
            required=False,
            label="能否单独建会",
        ),
        Slot(
            "transport_union",
            SlotType.BOOL,
            "所在城市是否已建立交通（建设）产业工会？",
            required=False,
            label="是否有交通产业工会",
        ),
    )
    basis = (
        Basis(_P3, "出租车公司建立企业工会组织。"),
        Basis(_P3, "职工人数少的出租车公司,如不具备单独建会条件,可以由当地出租车运管部门牵头组建出租车联合基层工会。"),
        Basis(_P3, "对个体出租从业者,可以区县为单位成立“个体出租车工会”,受区县总工会领导,接受上级产业工会工作指导。"),
        Basis(_P3, "区县“个体出租车工会”筹建期间经费有困难的,由所在地方总工会予以补助。"),
        Basis(_P4, "出租车企业工会、联合基层工会和已建立的出租车行业工会,应纳入城市交通 (建设)产业工会领导。"),
        Basis(
            _A11,
            "用人单位有会员二十五人以上的，应当建立基层工会委员会；不足二十五人的，可以单独建立基层工会委员会，"
            "也可以由两个以上单位的会员联合建立基层工会委员会，也可以选举组织员一人，组织会员开展活动。",
        ),
        Basis(
            _P4,
            "对没有建立交通(建设)产业工会的城市,根据本地实际情况和需要,可依托县 (区)级出租车运管部门建立出租车行业工会,"
            "接受同级党组织和上一级工会的领导。",
        ),
    )
    examples = (
        "出租车公司怎么建工会？",
        "出租车公司人少，不具备单独建会条件怎么办？",
        "个体出租车司机怎么加入工会？",
        "个体出租车工会筹建经费困难谁来补助？",
        "出租车行业工会归谁领导？",
        "没有交通产业工会的城市，出租车行业工会怎么建？",
        "的哥想入工会找谁？",
    )
    keywords = ("出租车", "出租汽车", "的士", "的哥", "的姐", "个体出租", "运管", "开出租", "跑出租")
    patterns = (r"出租车|出租汽车|的士|的哥|的姐|个体出租|运管部门|(?:开|跑)出租|出租司机",)

    def decide(self, f: Facts) -> Outcome[Taxi]:
        entity = f.text("entity")
        kind = COMPANY if entity == "企业" else entity if entity in (COMPANY, INDIVIDUAL) else None
        alone, transport = f.flag("alone_possible"), f.flag("transport_union")
        if kind is None and f.flag("drivers") and alone is None and transport is None:
            return self.need(f, ["entity"], Taxi("ask_kind"))
        steps: list[Derivation] = []
        result: dict[str, Any] = {"kind": kind}
        members = f.count("members")
        reached = members.at_least(THRESHOLD) if members is not None and kind != INDIVIDUAL else None
        company: Literal["must", "may", "joint", "general"] | None = None
        if kind in (COMPANY, None):
            steps.append(Derivation("出租车公司", _P3, "建立企业工会组织"))
            if reached and members is not None:
                company = "must"
                steps.append(Derivation(f"会员人数 {members.shown()} ≥ {THRESHOLD}", _A11, "应当建立基层工会委员会"))
                result.update({"company": "企业工会", "must_establish": True})
            elif reached is False and members is not None:
                company = "may"
                fact = f"会员人数 {members.shown()} < {THRESHOLD}"
                steps.append(Derivation(fact, _A11, "可以单独建立，也可以联合建立基层工会委员会"))
                result.update({"company": "企业工会或出租车联合基层工会", "must_establish": False})
            elif alone is False:
                company = "joint"
                fact = "职工人数少、不具备单独建会条件"
                steps.append(Derivation(fact, _P3, "由当地出租车运管部门牵头组建出租车联合基层工会"))
                result["company"] = "出租车联合基层工会（运管部门牵头）"
            else:
                company = "general"
                result["company"] = "企业工会；人少的可组建联合基层工会"
        individual = kind in (INDIVIDUAL, None)
        if individual:
            steps.append(Derivation("个体出租从业者", _P3, "以区县为单位成立“个体出租车工会”，受区县总工会领导"))
            steps.append(Derivation("筹建期间经费有困难", _P3, "由所在地方总工会予以补助"))
            result["individual"] = "区县“个体出租车工会”"
            result["funding"] = "由所在地方总工会予以补助"  # when preparatory funds fall short
        if transport is False:
            fact = "城市未建交通（建设）产业工会"
            steps.append(Derivation(fact, _P4, "可依托县（区）级出租车运管部门建立出租车行业工会"))
            result["leadership"] = "依托县（区）级运管部门的出租车行业工会"
        else:
            fact = "出租车企业工会、联合基层工会、行业工会"
            steps.append(Derivation(fact, _P4, "纳入城市交通（建设）产业工会领导"))
            result["leadership"] = "城市交通（建设）产业工会"
        return self.decided(f, Taxi("decided", company, members, individual, transport is False), result, steps)

    def phrase(self, o: Outcome[Taxi]) -> str:
        c = o.case
        if c.kind == "ask_kind":
            return "出租车公司的司机和个体出租从业者建会的方式不同。"
        shown = c.members.shown() if c.members is not None else ""
        parts = [] if c.company is None else [_COMPANY[c.company].format(members=shown)]
        if c.individual:
            parts.append(
                "个体出租车司机可以区县为单位成立“个体出租车工会”，受区县总工会领导，接受上级产业工会工作指导，"
                "筹建期间经费有困难的由所在地方总工会予以补助"
            )
        if c.no_transport_union:
            parts.append(
                "所在城市没有交通（建设）产业工会的，可依托县（区）级出租车运管部门建立出租车行业工会，接受同级党组织和上一级工会的领导"
            )
        else:
            parts.append("上述工会应纳入城市交通（建设）产业工会领导")
        return "依指导材料（三）：" + "；".join(parts) + "。"


_COMPANY = {
    "must": (
        "出租车公司建立企业工会组织；会员{members}人，达到二十五人以上，依《工会法》第十一条应当建立基层工会委员会"
    ),
    "may": (
        "出租车公司会员{members}人，不足二十五人，可以单独建立基层工会委员会（《工会法》第十一条）；"
        "不具备单独建会条件的，可以由当地出租车运管部门牵头组建出租车联合基层工会"
    ),
    "joint": "出租车公司不具备单独建会条件的，可以由当地出租车运管部门牵头组建出租车联合基层工会",
    "general": (
        "出租车公司建立企业工会组织；职工人数少、不具备单独建会条件的，可以由当地出租车运管部门牵头组建出租车联合基层工会"
    ),
}
