"""committee-threshold: ≥25 members → must set up a grassroots union committee; <25 → alone, jointly or one organiser.

《工会法》(2021) 第十一条第一款：用人单位有会员二十五人以上的，应当建立基层工会委员会；不足二十五人的，可以单独
建立基层工会委员会，也可以由两个以上单位的会员联合建立基层工会委员会，也可以选举组织员一人，组织会员开展活动。
女职工人数较多的，可以建立工会女职工委员会，在同级工会领导下开展工作；女职工人数较少的，可以在工会委员会中设
女职工委员。

《关于加强注册会计师行业基层工会建设的通知》（指导材料（四）第2段转述）：拥有会员25人以上的会计师事务所，应当
建立单独的基层工会委员会；不足25人的，……也可以就近就便与其他会计师事务所联合建立基层工会委员会……

"人太少，不用建工会" is a claim about the head count: the members are asked, and the answer says first that a
small unit may still set up a committee alone, jointly, or elect an organiser.

"以上" includes the number itself, so exactly 25 members → must. The test is members, not staff: staff only
decides when it already proves members < 25 (members ≤ staff).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Count, Derivation, Facts, Outcome, Rule, RuleResult, Slot, SlotType

THRESHOLD = 25
CPA = "会计师事务所"
LAW_FIRM = "律师事务所"
_FIRMS = (CPA, LAW_FIRM)
_A3 = "union-law-2021/art-3"
_A11 = "union-law-2021/art-11"
_A12 = "union-law-2021/art-12"
_CPA_NOTICE = "guidance/4.p2"
_OPTIONS = "可以单独建立、与其他单位会员联合建立基层工会委员会，或选举组织员一人"

Kind = Literal[
    "no_staff",  # invalid: a unit without staff
    "members_over_staff",  # invalid
    "women_over_staff",  # invalid
    "straddles",  # a vague member count on both sides of 25: the exact count is asked
    "ask_members",  # the members are asked (staff given, or "人少不用建")
    "women_only",  # only the women's part of 第十一条 is asked
    "no_members",
    "threshold",  # the head count decides: must (≥ 25) or may, in one of three ways
]


@dataclass(frozen=True)
class Committee:
    """What committee-threshold found: which case applied, the counts it turned on, and the unit's kind."""

    kind: Kind
    members: Count | None = None
    staff: Count | None = None
    women_count: Count | None = None
    reached: bool = False  # members ≥ 25
    shown: str = ""  # the member count as stated: '30', '约27–33', '不超过20'
    firm: bool = False  # a CPA or law firm: 贵所
    cpa: bool = False  # the CPA notice applies as well
    women: str | None = None  # 较多 / 较少
    alone_impossible: bool = False  # the user thinks a small unit cannot set one up
    options: tuple[str, ...] = ()


class CommitteeThreshold(Rule):
    id = "committee-threshold"
    title = "基层工会委员会的建立条件（会员二十五人标准）"
    summary = (
        "依《工会法》第十一条，用人单位有会员二十五人以上的，应当建立基层工会委员会；不足二十五人的，可以单独建立，"
        "也可以与其他单位的会员联合建立，也可以选举组织员一人。"
    )
    summary_cites = ("union-law-2021/art-11",)
    valid_for = ("union-law-2021", "guidance")
    slots = (
        Slot("members", SlotType.COUNT, "贵单位目前有多少名工会会员？", label="会员人数"),
        Slot("staff", SlotType.COUNT, "贵单位目前有多少名职工？", required=False, label="职工人数"),
        Slot("women", SlotType.CHOICE, "贵单位女职工人数是较多还是较少？", ("较多", "较少"), False, "女职工人数"),
        Slot("women_count", SlotType.COUNT, "贵单位有多少名女职工？", required=False, label="女职工人数"),
        Slot(
            "entity",
            SlotType.ENTITY,
            "贵单位属于哪类单位（企业、会计师事务所、律师事务所等）？",
            required=False,
            label="单位类型",
        ),
        Slot("firm", SlotType.BOOL, "贵单位是事务所吗？", required=False, label="是否事务所"),
        Slot(
            "alone_possible",
            SlotType.BOOL,
            "贵单位是否因人数少而认为无法单独建会？",
            required=False,
            label="是否因人少无法建会",
        ),
    )
    basis = (
        Basis(
            "union-law-2021/art-11",
            "用人单位有会员二十五人以上的，应当建立基层工会委员会；不足二十五人的，可以单独建立基层工会委员会，"
            "也可以由两个以上单位的会员联合建立基层工会委员会，也可以选举组织员一人，组织会员开展活动。",
        ),
        Basis(
            "union-law-2021/art-11",
            "女职工人数较多的，可以建立工会女职工委员会，在同级工会领导下开展工作；女职工人数较少的，"
            "可以在工会委员会中设女职工委员。",
        ),
        Basis(
            "union-law-2021/art-3",
            "在中国境内的企业、事业单位、机关、社会组织（以下统称用人单位）中以工资收入为主要生活来源的劳动者，"
            "不分民族、种族、性别、职业、宗教信仰、教育程度，都有依法参加和组织工会的权利。",
        ),
        Basis(
            "union-law-2021/art-12", "基层工会、地方各级总工会、全国或者地方产业工会组织的建立，必须报上一级工会批准。"
        ),
        Basis(
            "guidance/4.p2",
            "拥有会员25人以上的会计师事务所,应当建立单独的基层工会委员会;不足25人的,可以单独建立基层工会委员会,"
            "也可以就近就便与其他会计师事务所联合建立基层工会委员会,也可以选举组织员 1人,组织会员开展活动。",
        ),
        Basis(
            "guidance/4.p2",
            "女职工人数较多的会计师事务所,建立工会女职工委员会,在同级工会领导下开展工作;女职工人数较少的,"
            "可以在工会委员会中设女职工委员。",
        ),
        Basis("guidance/4.p2", "有条件的地方可探索依托注册会计师协会建立行业基层工会联合会。"),
        Basis("guidance/4.p1", "民办非企业组织 (如民办医院、学校,会计师、律师事务所等)"),
        Basis(
            "guidance/3.p3",
            "职工人数少的出租车公司,如不具备单独建会条件,可以由当地出租车运管部门牵头组建出租车联合基层工会。",
        ),
    )
    examples = (
        "我们会计师事务所有18名会员，能单独建立工会吗？",
        "单位有30个会员，必须建立基层工会委员会吗？",
        "会员不足二十五人怎么建工会？",
        "人数少的单位可以选举组织员吗？",
        "几家小公司的会员能联合建立基层工会委员会吗？",
        "女职工多的单位要不要成立女职工委员会？",
        "律师事务所也要建工会吗？",
        "多少人以上必须成立工会？",
        "我们公司20个人能不能成立工会？",
        "会员刚好二十五人，要不要建基层工会？",
    )
    keywords = (
        "建会",
        "建工会",
        "成立工会",
        "建立工会",
        "组建工会",
        "搞工会",
        "工会委员会",
        "基层工会",
        "组织员",
        "女职工委员",
        "单独建",
        "联合建",
        "建立基层",
        "设置",
        "二十五",
        "25",
        "工会怎么",
        "工会如何",
        "女职工",
    )
    patterns = (
        r"组织员",
        r"女职工委员",
        r"(?:二十五|25)人?",
        r"(?:单独|联合|自己|能不能|可不可以|可以|能否|要不要|需要|必须|一定要?|应当|应该|是否|怎么|如何|想|打算|准备|计划)"
        r".{0,6}(?:建立?|成立|组建|搞|设)(?:立)?(?:一个|个)?(?:基层)?(?:工会|工會|会)",
        r"(?:\d+|[一二两三四五六七八九十百几]+)(?:多|来)?(?:个|名|人|位).{0,12}(?:建|成立|组建|搞)(?:立)?(?:基层)?(?:工会|会(?!员))",
        r"(?:合起来|一起|联合|凑在一起).{0,4}(?:建|成立|组建|搞)(?:立)?(?:一个|个)?(?:基层)?工会",
        r"(?:人(?:数)?(?:太|很|比较|特别|这么|那么|有点)?少|人不多|小公司|小单位|人数不够|不足).{0,10}(?:工会|建会)",
        # "老板说不用建工会" / "没必要成立工会": whether a union is required at all
        r"(?:不用|不必|无须|无需|没必要|用不着|不需要)(?:再)?(?:建|成立|组建|搞)(?:立)?(?:基层)?(?:工会|会)",
        # "想组织大家入工会": organising the staff into a union is setting one up
        r"组织(?:大家|职工|员工|工人|工友|同事)(?:们)?(?:一起)?(?:入会|入工会|加入工会|参加工会)",
        r"工会(?:委员会)?(?:怎么|如何|该怎么)(?:搞|建|成立|组建|设置)",
        r"工会(?:委员会)?.{0,4}(?:必须|一定|应当|应该|要不要|需不需要|是否|才必须|才要)(?:要)?(?:建|成立|组建)",
        r"(?:会员|职工|员工)(?:要)?(?:多少|几)(?:个)?人?以上",
        r"女职工(?:人数)?(?:较多|很多|比较多|多|较少|很少|比较少|少|不多|占)",
    )
    default_count = "staff"

    def question_for(self, slot: Slot, f: Facts) -> Slot:
        if self._is_firm(f):
            return Slot(
                slot.name, slot.type, slot.question.replace("贵单位", "贵所"), slot.choices, slot.required, slot.label
            )
        return slot

    @staticmethod
    def _is_firm(f: Facts) -> bool:
        return f.text("entity") in _FIRMS or bool(f.flag("firm"))

    def joint(self, units: Sequence[Mapping[str, Any]], results: Sequence[RuleResult]) -> Derivation | None:
        """Units under twenty-five members each may also set up one committee together (第十一条)."""
        counts = [u.get("members") for u in units]
        if not all(isinstance(c, Count) and c.high is not None and c.high < THRESHOLD for c in counts):
            return None
        total = sum(c.low for c in counts if isinstance(c, Count))
        return Derivation(
            f"各家会员均不足二十五人（合计约{total}人）", _A11, "也可以由两个以上单位的会员联合建立基层工会委员会"
        )

    def decide(self, f: Facts) -> Outcome[Committee]:
        members, staff, women_count = f.count("members"), f.count("staff"), f.count("women_count")
        if staff is not None and staff.high == 0:
            return self.reject(f, Committee("no_staff"))
        if members is not None and staff is not None and staff.high is not None and members.low > staff.high:
            return self.reject(f, Committee("members_over_staff", members, staff))
        if women_count is not None and staff is not None and staff.high is not None and women_count.low > staff.high:
            return self.reject(f, Committee("women_over_staff", staff=staff, women_count=women_count))

        steps: list[Derivation] = []
        if members is not None:
            reached = members.at_least(THRESHOLD)
            if reached is None:
                return self.need(f, ["members"], Committee("straddles", members), result={"threshold": THRESHOLD})
            shown = members.shown()
            if reached:
                steps.append(Derivation(f"会员人数 {shown} ≥ {THRESHOLD}", _A11, "应当建立基层工会委员会"))
            else:
                steps.append(Derivation(f"会员人数 {shown} < {THRESHOLD}", _A11, _OPTIONS))
        elif staff is not None and staff.high is not None and staff.high < THRESHOLD:
            # members never exceed staff, so fewer than 25 staff settles it
            reached, shown = False, f"不超过{staff.high}"
            steps.append(Derivation(f"职工人数 {staff.shown()} → 会员人数不会超过职工人数 → 会员不足二十五人"))
            steps.append(Derivation(f"会员人数 ≤ {staff.high} < {THRESHOLD}", _A11, _OPTIONS))
        elif f.text("women") and staff is None:
            return self._women_only(f)
        else:
            case = Committee("ask_members", staff=staff, alone_impossible=f.flag("alone_possible") is False)
            return self.need(f, ["members"], case, result={"threshold": THRESHOLD})

        if members is not None and members.high == 0:
            return self._no_members(f)
        return self._threshold(f, reached, shown, steps)

    def _women_only(self, f: Facts) -> Outcome[Committee]:
        """'女职工不多，还要建女职工委员会吗': that part of 第十一条 turns on the women alone, not on the head count."""
        entity, women = f.text("entity"), f.text("women")
        cpa, many = entity == CPA, women == "较多"
        decision = "建立工会女职工委员会" if many else "在工会委员会中设女职工委员"
        steps = [Derivation(f"女职工人数{women}", _CPA_NOTICE if cpa else _A11, decision)]
        result = {"threshold": THRESHOLD, "women_body": "女职工委员会" if many else "女职工委员", "entity": entity}
        case = Committee("women_only", cpa=cpa, women=women)
        return self.decided(f, case, result, steps, [_CPA_NOTICE] if cpa else [])

    def _no_members(self, f: Facts) -> Outcome[Committee]:
        steps = [
            Derivation("会员人数 0", _A3, "职工依法有参加和组织工会的权利，可先发展会员"),
            Derivation("有会员后", _A11, "按会员人数确定建会方式"),
        ]
        result = {"threshold": THRESHOLD, "members": 0, "must_establish": False, "options": []}
        return self.decided(f, Committee("no_members"), result, steps)

    def _threshold(self, f: Facts, reached: bool, shown: str, steps: list[Derivation]) -> Outcome[Committee]:
        """第十一条 by the head count, with what the unit's kind and its women add."""
        entity, women = f.text("entity"), f.text("women")
        cpa = entity == CPA
        steps += _kind_steps(entity, reached)
        options: tuple[str, ...] = ()
        if not reached:
            joint = (
                "就近就便与其他会计师事务所联合建立基层工会委员会" if cpa else "与其他单位的会员联合建立基层工会委员会"
            )
            options = ("单独建立基层工会委员会", joint, "选举组织员一人，组织会员开展活动")
        women_clause = _CPA_NOTICE if cpa else _A11
        if women == "较多":
            steps.append(Derivation("女职工人数较多", women_clause, "建立工会女职工委员会"))
        elif women == "较少":
            steps.append(Derivation("女职工人数较少", women_clause, "在工会委员会中设女职工委员"))
        steps.append(Derivation("建立基层工会", _A12, "须报上一级工会批准"))
        members = f.count("members")
        result: dict[str, Any] = {
            "threshold": THRESHOLD,
            "members": members.to_json() if members is not None else shown,
            "must_establish": reached,
            "options": list(options),
            "women_body": {"较多": "女职工委员会", "较少": "女职工委员"}.get(women or ""),
            "women_rule": {"较多": "可以建立工会女职工委员会", "较少": "可以在工会委员会中设女职工委员"},
            "entity": entity,
            "approval": "报上一级工会批准",
        }
        case = Committee(
            "threshold",
            members,
            reached=reached,
            shown=shown,
            firm=self._is_firm(f),
            cpa=cpa,
            women=women,
            options=options,
        )
        return self.decided(f, case, result, steps, [_CPA_NOTICE] if cpa else [])

    def phrase(self, o: Outcome[Committee]) -> str:
        c = o.case
        if c.kind == "no_staff":
            return "职工人数为0的单位无法组建工会，请核对职工人数后再告诉我。"
        if c.kind == "members_over_staff" and c.members is not None and c.staff is not None:
            return (
                f"会员人数（{c.members.shown()}）多于职工人数（{c.staff.shown()}），"
                "会员不可能多于职工，请核对后重新告诉我。"
            )
        if c.kind == "women_over_staff" and c.women_count is not None and c.staff is not None:
            return f"女职工人数（{c.women_count.shown()}）多于职工人数（{c.staff.shown()}），请核对后重新告诉我。"
        if c.kind == "straddles" and c.members is not None:
            return f"您说的“{c.members.text or c.members.shown()}”可能在二十五人上下，结论取决于准确人数。"
        if c.kind == "ask_members":
            if c.staff is not None:
                return f"职工{c.staff.shown()}人，但法律以会员人数（已入会人数）为准。"
            if c.alone_impossible:
                return (
                    "人数少并不是不建工会的理由，不足二十五人的同样可以建会；是否“应当”建立，看会员是否达到二十五人。"
                )
            return ""
        if c.kind == "women_only":
            return _women_only(c)
        if c.kind == "no_members":
            return (
                "目前还没有会员，谈不上建立基层工会委员会；依《工会法》第三条职工有依法参加和组织工会的权利，"
                "可先吸收职工入会，再按第十一条（会员二十五人以上应当建立，不足二十五人可单独、联合建立或选举组织员）组建。"
            )
        return _threshold(c)


def _kind_steps(entity: str | None, reached: bool) -> list[Derivation]:
    """What the unit's kind adds to 第十一条: the CPA notice, law firms as social organisations, small taxi firms."""
    steps: list[Derivation] = []
    if entity == CPA:
        steps.append(
            Derivation(
                "会计师事务所",
                _CPA_NOTICE,
                "注册会计师行业通知同样以会员25人为界，不足25人的可就近就便与其他会计师事务所联合建会",
            )
        )
    elif entity == LAW_FIRM:
        steps.append(Derivation("律师事务所", "guidance/4.p1", "属于指导材料所列新社会组织"))
        steps.append(Derivation("用人单位包括企业、事业单位、机关、社会组织", _A3, "同样适用第十一条"))
    elif entity == "出租车公司" and not reached:
        steps.append(
            Derivation(
                "职工人数少的出租车公司",
                "guidance/3.p3",
                "不具备单独建会条件的，可由当地运管部门牵头组建联合基层工会",
            )
        )
    return steps


def _women_only(c: Committee) -> str:
    many = c.women == "较多"
    decision = "建立工会女职工委员会" if many else "在工会委员会中设女职工委员"
    return (
        f"女职工人数{c.women}的，"
        + ("按通知应" if c.cpa and many else "可以")
        + decision
        + ("，在同级工会领导下开展工作" if many else "")
        + "（《工会法》第十一条"
        + ("；注册会计师行业通知同此" if c.cpa else "")
        + "）。是否应当建立基层工会委员会，另看会员是否达到二十五人。"
    )


def _threshold(c: Committee) -> str:
    unit = "贵所" if c.firm else "贵单位"
    if c.reached:
        head = (
            f"{unit}有会员{c.shown}人，达到二十五人以上，依《工会法》第十一条应当建立基层工会委员会"
            + ("（注册会计师行业通知也要求建立单独的基层工会委员会）" if c.cpa else "")
            + "。"
        )
    else:
        alone, joint, organiser = c.options
        head = (
            f"{unit}会员{c.shown}人，不足二十五人，依《工会法》第十一条可以任选其一：①{alone}；②{joint}；③{organiser}。"
        )
    if c.women == "较多":
        body = "按通知应建立工会女职工委员会" if c.cpa else "可以建立工会女职工委员会"
        return head + f"女职工人数较多，{body}，在同级工会领导下开展工作。"
    if c.women == "较少":
        return head + "女职工人数较少，可以在工会委员会中设女职工委员。"
    return head
