"""migrant-statistics: migrant-worker members are counted by the destination (务工地) union only, not the home union.

指导材料（五）2（3）：以输入地工会为主统计农民工会员情况，防止会员重复统计。……农民工输出地工会要着重做好宣传发动
工作，培养其工会意识，为农民工加入务工单位工会打好基础。工会会员统计要以输入地(务工地)工会为主，输出地工会不进行
统计上报，否则就会出现重复统计，可能造成当地会员人数高于职工人数的不合理现象。
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

_G = "guidance/5.2.3"


@dataclass(frozen=True)
class Counted:
    """Who counts migrant members: the receiving union; `role` is the asking union's (输出地 / 输入地), if given."""

    role: str | None


class MigrantStatistics(Rule):
    id = "migrant-statistics"
    title = "农民工会员由哪地工会统计"
    summary = (
        "依指导材料（五）2（3），农民工会员统计以输入地（务工地）工会为主，输出地工会不进行统计上报，以防重复统计。"
    )
    summary_cites = (_G,)
    valid_for = ("guidance",)
    slots = (
        Slot(
            "migrant_role",
            SlotType.CHOICE,
            "贵会是农民工的输出地（户籍地）工会还是输入地（务工地）工会？",
            ("输出地", "输入地"),
            False,
            "工会所在地",
        ),
    )
    basis = (
        Basis(_G, "以输入地工会为主统计农民工会员情况,防止会员重复统计。"),
        Basis(
            _G,
            "工会会员统计要以输入地 (务工地)工会为主,输出地工会不进行统计上报,否则就会出现重复统计,"
            "可能造成当地会员人数高于职工人数的不合理现象。",
        ),
        Basis(_G, "农民工输出地工会要着重做好宣传发动工作,培养其工会意识,为农民工加入务工单位工会打好基础。"),
    )
    examples = (
        "农民工会员应该由哪里的工会统计？",
        "输出地工会要不要统计上报农民工会员？",
        "农民工会员怎么统计才不会重复？",
        "老家工会和打工地工会谁统计农民工会员？",
        "农民工会员统计以哪里为主？",
    )
    keywords = ("统计", "上报", "重复", "输入地", "输出地", "务工地", "户籍地", "老家", "报上去", "报数", "算进")
    patterns = (
        r"(?:农民工|外来务工|进城务工|外出务工|打工).{0,20}(?:统计|上报|重复计算|算在|算哪|报上去|报上来|报数|算进|计入)",
        r"(?:统计|上报).{0,20}(?:农民工|输出地|输入地|务工地|户籍地)",
        r"输出地|输入地",
        r"(?:老家|户籍地|家乡)(?:那边|这边)?(?:的)?(?:县|乡|镇|村)?工会.{0,20}"
        r"(?:统计|上报|报上去|报上来|报了数|报数|算进|计入|重复)",
    )

    def decide(self, f: Facts) -> Outcome[Counted]:
        role = f.text("migrant_role")
        steps = [
            Derivation("农民工会员统计", _G, "以输入地（务工地）工会为主"),
            Derivation("输出地工会", _G, "不进行统计上报，防止重复统计"),
        ]
        if role == "输出地":
            steps.append(Derivation("贵会为输出地工会", _G, "着重做好宣传发动，为农民工加入务工单位工会打好基础"))
        result = {"counted_by": "输入地（务工地）工会", "not_reported_by": "输出地工会", "role": role}
        return self.decided(f, Counted(role), result, steps)

    def phrase(self, o: Outcome[Counted]) -> str:
        if o.case.role == "输出地":
            return (
                "贵会作为输出地工会，依指导材料（五）2（3）不进行农民工会员统计上报，由输入地（务工地）工会统计；"
                "输出地工会着重做好宣传发动工作，为农民工加入务工单位工会打好基础。"
            )
        if o.case.role == "输入地":
            return (
                "贵会作为输入地（务工地）工会，依指导材料（五）2（3）应由贵会统计农民工会员，输出地工会不再统计上报。"
            )
        return self.summary
