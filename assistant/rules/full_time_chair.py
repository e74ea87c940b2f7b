"""full-time-chair: a union in a unit with ≥200 staff (enterprise, institution, social body) may have a full-time chair.

《工会法》(2021) 第十四条：职工二百人以上的企业、事业单位、社会组织的工会，可以设专职工会主席。工会专职工作人员的
人数由工会与企业、事业单位、社会组织协商确定。
《中国工会章程》(2008) 第二十五条第二款：职工二百人以上企业、事业单位的工会设专职工会主席。
第五十七条：中华全国总工会会同有关国家机关制定机关工会实施本法的具体办法。

The test is staff (职工), not members; members ≥ 200 already proves staff ≥ 200. Below 200 the law gives no
basis for a full-time chair — it does not forbid one either, so the answer says exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Count, Derivation, Facts, Outcome, Rule, Slot, SlotType

THRESHOLD = 200
_A14 = "union-law-2021/art-14"


@dataclass(frozen=True)
class FullTime:
    """Which case of 第十四条 applied, with the head counts it turned on (`shown`: staff as stated)."""

    kind: Literal["no_staff", "members_over_staff", "organ", "straddles", "ask_staff", "reached", "below"]
    staff: Count | None = None
    members: Count | None = None
    shown: str = ""


class FullTimeChair(Rule):
    id = "full-time-chair"
    title = "专职工会主席的设置条件（职工二百人标准）"
    summary = "依《工会法》第十四条，职工二百人以上的企业、事业单位、社会组织的工会，可以设专职工会主席。"
    summary_cites = (_A14,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot("staff", SlotType.COUNT, "贵单位目前有多少名职工？", label="职工人数"),
        Slot("members", SlotType.COUNT, "贵单位有多少名工会会员？", required=False, label="会员人数"),
        Slot("entity", SlotType.ENTITY, "贵单位是企业、事业单位、社会组织还是机关？", required=False, label="单位类型"),
    )
    basis = (
        Basis(_A14, "职工二百人以上的企业、事业单位、社会组织的工会，可以设专职工会主席。"),
        Basis(_A14, "工会专职工作人员的人数由工会与企业、事业单位、社会组织协商确定。"),
        Basis("acftu-constitution-2008/art-25", "职工二百人以上企业、事业单位的工会设专职工会主席。"),
        Basis("union-law-2021/art-57", "中华全国总工会会同有关国家机关制定机关工会实施本法的具体办法。"),
        Basis("union-law-2021/art-42", "用人单位工会委员会的专职工作人员的工资、奖励、补贴，由所在单位支付。"),
    )
    examples = (
        "公司职工300人，可以设专职工会主席吗？",
        "多少人以上的企业可以设专职工会主席？",
        "我们单位199个员工，能配专职工会主席吗？",
        "工会主席能不能脱产专职？",
        "事业单位职工两百人，工会能设专职主席吗？",
    )
    keywords = ("专职", "脱产")
    patterns = (
        r"(?:设|配|有|配备|安排|要)(?:一个|个)?(?:专职|脱产)(?:的)?(?:工会)?(?:主席|副主席)",
        r"(?:专职|脱产)(?:的)?(?:工会)?主席.{0,10}(?:条件|多少人|几个人|人以上|能不能设|可以设|能设|能配|设不设|要不要设)",
        r"(?:工会)?主席.{0,6}(?:能不能|可以|能否|可不可以)?.{0,2}(?:脱产|专职)(?!.{0,8}合同)",
        r"\d+(?:个|名|人).{0,12}专职",
    )
    default_count = "staff"

    def decide(self, f: Facts) -> Outcome[FullTime]:
        staff, members = f.count("staff"), f.count("members")
        if staff is not None and staff.high == 0:
            return self.reject(f, FullTime("no_staff"))
        if staff is not None and members is not None and staff.high is not None and members.low > staff.high:
            return self.reject(f, FullTime("members_over_staff", staff, members))
        if f.text("entity") == "机关":
            steps = [
                Derivation("机关", _A14, "第十四条只列企业、事业单位、社会组织"),
                Derivation("机关工会", "union-law-2021/art-57", "由全总会同有关国家机关制定具体办法"),
            ]
            return self.decided(f, FullTime("organ"), {"threshold": THRESHOLD, "applies": False}, steps)

        reached: bool | None
        if staff is not None:
            reached, shown = staff.at_least(THRESHOLD), staff.shown()
            fact = f"职工人数 {shown}"
        elif members is not None and members.at_least(THRESHOLD):
            reached, shown = True, members.shown()
            fact = f"会员人数 {shown} ≥ {THRESHOLD} → 职工人数不少于会员人数"
        else:
            reached, shown, fact = None, "", ""
        if reached is None:
            case = FullTime("straddles", staff) if staff is not None else FullTime("ask_staff")
            return self.need(f, ["staff"], case, result={"threshold": THRESHOLD})

        if reached:
            steps = [
                Derivation(f"{fact} ≥ {THRESHOLD}", _A14, "工会可以设专职工会主席"),
                Derivation(
                    "《中国工会章程》（2008年文本）", "acftu-constitution-2008/art-25", "表述为“设专职工会主席”"
                ),
                Derivation("专职工作人员的工资、奖励、补贴", "union-law-2021/art-42", "由所在单位支付"),
            ]
        else:
            steps = [
                Derivation(f"{fact} < {THRESHOLD}", _A14, "不满足“职工二百人以上”的条件"),
                Derivation("工会专职工作人员人数", _A14, "由工会与单位协商确定"),
            ]
        result: dict[str, Any] = {"threshold": THRESHOLD, "may_have_full_time_chair": reached, "staff": shown}
        return self.decided(f, FullTime("reached" if reached else "below", shown=shown), result, steps)

    def phrase(self, o: Outcome[FullTime]) -> str:
        c = o.case
        if c.kind == "no_staff":
            return "职工人数为0的单位不存在设工会主席的问题，请核对职工人数后再告诉我。"
        if c.kind == "members_over_staff" and c.members is not None and c.staff is not None:
            return f"会员人数（{c.members.shown()}）多于职工人数（{c.staff.shown()}），请核对后重新告诉我。"
        if c.kind == "organ":
            return (
                "《工会法》第十四条的“职工二百人以上可以设专职工会主席”针对企业、事业单位、社会组织，未列机关；"
                "机关工会依第五十七条由中华全国总工会会同有关国家机关制定具体办法。"
            )
        if c.kind == "straddles" and c.staff is not None:
            return f"您说的“{c.staff.text or c.staff.shown()}”可能在二百人上下，结论取决于准确人数。"
        if c.kind == "reached":
            return (
                f"贵单位职工{c.shown}人，达到二百人以上，依《工会法》第十四条工会可以设专职工会主席"
                "（《中国工会章程》第二十五条表述为“设专职工会主席”）；工会专职工作人员的人数由工会与单位协商确定。"
            )
        if c.kind == "below":
            return (
                f"贵单位职工{c.shown}人，不足二百人，不满足《工会法》第十四条“职工二百人以上可以设专职工会主席”的条件，"
                "法律对此未作规定；工会专职工作人员的人数由工会与单位协商确定。"
            )
        return ""
