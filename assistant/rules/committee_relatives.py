"""committee-relatives: close relatives of an enterprise's principal may not sit on its grassroots union committee.

《工会法》(2021) 第十条第二款：各级工会委员会由会员大会或者会员代表大会民主选举产生。企业主要负责人的近亲属不得作为
本企业基层工会委员会成员的人选。

The sources do not define 近亲属; the rule applies the bar to the enterprise (企业) the text names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

_A10 = "union-law-2021/art-10"


@dataclass(frozen=True)
class Eligibility:
    """Whether 第十条第二款 bars the candidate: not an enterprise, not a relative, a relative, or not known."""

    kind: Literal["not_enterprise", "not_relative", "relative", "unknown"]
    entity: str | None = None


class CommitteeRelatives(Rule):
    id = "committee-relatives"
    title = "企业主要负责人的近亲属不得作为基层工会委员会成员人选"
    summary = "依《工会法》第十条，企业主要负责人的近亲属不得作为本企业基层工会委员会成员的人选。"
    summary_cites = (_A10,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot("relative", SlotType.BOOL, "这位人选是企业主要负责人的近亲属吗？", required=False, label="是否近亲属"),
        Slot("entity", SlotType.ENTITY, "贵单位是企业还是事业单位、机关、社会组织？", required=False, label="单位类型"),
    )
    basis = (
        Basis(_A10, "企业主要负责人的近亲属不得作为本企业基层工会委员会成员的人选。"),
        Basis(_A10, "各级工会委员会由会员大会或者会员代表大会民主选举产生。"),
    )
    examples = (
        "老板的儿子能不能当工会委员？",
        "总经理的老婆可以当工会主席吗？",
        "企业主要负责人的近亲属能进工会委员会吗？",
        "董事长的女儿想参选工会委员会委员，行吗？",
    )
    keywords = (
        "近亲属",
        "亲属",
        "亲戚",
        "儿子",
        "女儿",
        "老婆",
        "妻子",
        "丈夫",
        "老公",
        "爱人",
        "配偶",
        "父亲",
        "母亲",
        "兄弟",
        "姐妹",
        "子女",
        "弟弟",
        "哥哥",
        "姐姐",
        "妹妹",
        "老板娘",
    )
    patterns = (
        r"(?:老板|董事长|总经理|经理|厂长|老总|法定代表人|负责人|所长|院长|合伙人)(?:的)?"
        r"(?:儿子|女儿|老婆|妻子|丈夫|老公|爱人|配偶|父亲|母亲|爸爸|妈妈|哥哥|弟弟|姐姐|妹妹|兄弟|姐妹|子女|孩子|亲戚|亲属|近亲属|女婿|儿媳)",
        r"近亲属.{0,12}(?:工会|委员)",
        r"老板娘",
        r"(?:老板|董事长|总经理|经理|厂长|老总|法定代表人|负责人)(?:的)?(?:侄子|侄女|外甥|外甥女|表哥|表弟|表姐|表妹|堂哥|堂弟|亲戚|家属|家里人)",
    )

    def decide(self, f: Facts) -> Outcome[Eligibility]:
        relative, entity = f.flag("relative"), f.text("entity")
        result: dict[str, Any] = {"applies_to": "企业基层工会委员会"}
        if entity in ("事业单位", "机关", "社会组织", "民办非企业单位"):
            result["eligible"] = None
            steps = [Derivation(entity, _A10, "该款限制的对象写明为“企业主要负责人”")]
            return self.decided(f, Eligibility("not_enterprise", entity), result, steps, [_A10])
        if relative is False:
            step = Derivation("人选不是企业主要负责人的近亲属", _A10, "不受该款限制")
            result["eligible"] = True
            kind: Literal["not_relative", "relative", "unknown"] = "not_relative"
        else:
            step = Derivation("企业主要负责人的近亲属", _A10, "不得作为本企业基层工会委员会成员的人选")
            result["eligible"] = False if relative else None
            kind = "relative" if relative else "unknown"
        steps = [step, Derivation("工会委员会", _A10, "由会员大会或者会员代表大会民主选举产生")]
        return self.decided(f, Eligibility(kind), result, steps)

    def phrase(self, o: Outcome[Eligibility]) -> str:
        if o.case.kind == "not_enterprise":
            return (
                "《工会法》第十条第二款的近亲属限制写明针对“企业主要负责人”和“本企业基层工会委员会”，"
                f"{o.case.entity}不在该款文字之内；委员仍须由会员（代表）大会民主选举产生。"
            )
        if o.case.kind == "not_relative":
            return (
                "该人选不是企业主要负责人的近亲属，不受《工会法》第十条第二款限制，"
                "可以由会员大会或者会员代表大会民主选举产生。"
            )
        if o.case.kind == "relative":
            return (
                "企业主要负责人的近亲属不得作为本企业基层工会委员会成员的人选（《工会法》第十条），"
                "因此不能被选为本企业工会委员，也就不能担任工会主席。"
            )
        return self.summary
