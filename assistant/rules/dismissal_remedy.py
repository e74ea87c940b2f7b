"""dismissal-remedy: dismissal for union activity or union duties → reinstatement with back pay, or 2 × annual income.

《工会法》(2021) 第五十三条：违反本法规定，有下列情形之一的，由劳动行政部门责令恢复其工作，并补发被解除劳动合同期间
应得的报酬，或者责令给予本人年收入二倍的赔偿：（一）职工因参加工会活动而被解除劳动合同的；（二）工会工作人员因履行
本法规定的职责而被解除劳动合同的。
第五十二条第一款：违反本法规定，对依法履行职责的工会工作人员无正当理由调动工作岗位，进行打击报复的，由劳动行政部门
责令改正、恢复原工作；造成损失的，给予赔偿。

The article applies only to a dismissal for union activity or union duties: a dismissal stated without its reason
("我被单位开除了，能赔多少钱") first asks the reason (and, for an amount, the annual income).

The law counts 本人年收入; when only a monthly pay is given the estimate 12 × monthly is shown as an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, MoneyRange, Outcome, Rule, Slot, SlotType, hedge_note
from assistant.text.money import format_yuan, to_fen, yuan_str

_A53 = "union-law-2021/art-53"
MULTIPLE = Decimal(2)


@dataclass(frozen=True)
class Remedy:
    """Whether 第五十三条 applies and, given an income, the compensation (annual income × 2); `transfer` adds
    第五十二条 for a retaliatory transfer."""

    kind: Literal["not_applicable", "ask_cause", "ask_exact", "ask_income", "remedy"]
    annual: Decimal | None = None
    compensation: Decimal | None = None
    transfer: bool = False
    hedge: MoneyRange | None = None  # the approximate income the compensation was estimated from


class DismissalRemedy(Rule):
    id = "dismissal-remedy"
    title = "因参加工会活动或履行工会职责被解除劳动合同的救济"
    summary = (
        "依《工会法》第五十三条，职工因参加工会活动、工会工作人员因履行职责被解除劳动合同的，由劳动行政部门责令恢复其工作"
        "并补发被解除劳动合同期间应得的报酬，或者责令给予本人年收入二倍的赔偿。"
    )
    summary_cites = (_A53,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot(
            "dismissed",
            SlotType.BOOL,
            "您是否已被解除劳动合同（开除、辞退）？",
            required=False,
            label="是否被解除劳动合同",
        ),
        Slot(
            "union_activity",
            SlotType.BOOL,
            "被解除劳动合同是否因为参加工会活动或履行工会职责？",
            required=False,
            label="是否因工会活动",
        ),
        Slot("annual_income", SlotType.MONEY, "您本人的年收入是多少元？", required=False, label="年收入"),
        Slot("monthly_income", SlotType.MONEY, "您本人的月收入是多少元？", required=False, label="月收入"),
        Slot(
            "transfer",
            SlotType.BOOL,
            "是否被无正当理由调动工作岗位进行打击报复？",
            required=False,
            label="是否被调岗报复",
        ),
        Slot("ask_amount", SlotType.BOOL, "您是想算出赔偿金额吗？", required=False, label="是否计算金额"),
    )
    basis = (
        Basis(
            _A53,
            "由劳动行政部门责令恢复其工作，并补发被解除劳动合同期间应得的报酬，或者责令给予本人年收入二倍的赔偿",
        ),
        Basis(_A53, "（一）职工因参加工会活动而被解除劳动合同的；"),
        Basis(_A53, "（二）工会工作人员因履行本法规定的职责而被解除劳动合同的。"),
        Basis(
            "union-law-2021/art-52",
            "违反本法规定，对依法履行职责的工会工作人员无正当理由调动工作岗位，进行打击报复的，由劳动行政部门责令改正、恢复原工作；"
            "造成损失的，给予赔偿。",
        ),
    )
    examples = (
        "因为参加工会活动被公司开除了怎么办？",
        "工会主席因履行职责被解除劳动合同，能赔多少？",
        "组织职工成立工会被辞退，能要求恢复工作吗？",
        "因为搞工会被解雇，赔偿怎么算？",
        "工会干部被打击报复解雇，劳动行政部门怎么处理？",
        "年收入二倍的赔偿怎么计算？",
    )
    keywords = (
        "开除",
        "辞退",
        "辞了",
        "辞掉",
        "解雇",
        "解除劳动合同",
        "解除合同",
        "炒鱿鱼",
        "炒掉",
        "裁掉",
        "被裁",
        "二倍",
        "两倍",
        "打击报复",
        "除名",
    )
    patterns = (
        r"(?:因为?|由于|为了?|参加|参与|组织|搞|筹建|组建|履行).{0,12}(?:工会|维权|建会)"
        r".{0,16}(?:开除|辞退|辞了|辞掉|解雇|解除(?:劳动)?合同|炒|裁掉|被裁|除名|开掉|开了)",
        r"(?:工会(?:主席|副主席|干部|委员|工作人员)|我是工会).{0,16}被.{0,4}(?:开除|辞退|解雇|解除|炒|裁|除名|开掉)",
        r"年收入(?:的)?(?:二|两|2)倍",
        r"打击报复",
        # "老板能随便开除工会主席吗": dismissing a union officer is this article's second case
        r"(?:开除|辞退|辞掉|解雇|解除(?:劳动)?合同|炒掉|裁掉|开掉)(?:了)?(?:我们)?(?:的)?工会(?:主席|副主席|干部|委员|工作人员)",
        # "被开除了能赔多少" asks this article's remedy, on condition of the reason
        r"(?:开除|辞退|辞了|辞掉|解雇|解除(?:劳动)?合同|炒(?:了)?鱿鱼|炒掉|裁掉|被裁|除名|开掉|开了我|把我开了)"
        r".{0,12}(?:赔|恢复工作)",
    )

    def decide(self, f: Facts) -> Outcome[Remedy]:
        cause = f.flag("union_activity")
        # "一年大概12万": computed from that figure and said to be an estimate, as the fund rules do
        (annual, hedge), (monthly, monthly_hedge) = f.estimated("annual_income"), f.estimated("monthly_income")
        hedge = hedge or monthly_hedge
        result: dict[str, Any] = {
            "authority": "劳动行政部门",
            "remedies": ["恢复工作并补发被解除劳动合同期间应得的报酬", "给予本人年收入二倍的赔偿"],
        }
        if cause is False:
            steps = [Derivation("解除原因与工会活动、工会职责无关", _A53, "不属于本条情形")]
            result["applies"] = False
            return self.decided(f, Remedy("not_applicable"), result, steps)
        if cause is None and f.flag("dismissed"):
            # the remedy turns on why the contract was ended: ask that first (and the income for an amount)
            ask = ["union_activity"]
            if f.flag("ask_amount") and annual is None and monthly is None:
                ask.append("annual_income")
            return self.need(f, ask, Remedy("ask_cause"), result=result)
        if isinstance(annual, MoneyRange) or isinstance(monthly, MoneyRange):
            return self.need(f, ["annual_income"], Remedy("ask_exact"), result=result)

        steps = [
            Derivation(
                "因参加工会活动或履行工会职责被解除劳动合同",
                _A53,
                "劳动行政部门责令恢复工作并补发报酬，或责令给予年收入二倍赔偿",
            )
        ]
        compensation = None
        if annual is not None or monthly is not None:
            if annual is None:
                assert monthly is not None
                annual = to_fen(monthly * 12)
                estimate = (
                    f"年收入按月收入 {format_yuan(monthly)} × 12 估算为 {format_yuan(annual)}（以本人实际年收入为准）"
                )
                steps.append(Derivation(estimate))
                result["annual_income_estimated"] = True
            compensation = to_fen(annual * MULTIPLE)
            steps.append(Derivation(f"年收入 {format_yuan(annual)} × 2", _A53, f"赔偿 {format_yuan(compensation)}"))
            result.update({"annual_income": yuan_str(annual), "compensation": yuan_str(compensation)})
            result["compensation_text"] = format_yuan(compensation)
        elif f.flag("ask_amount"):
            return self.need(f, ["annual_income"], Remedy("ask_income"), result=result, steps=steps)
        transfer = bool(f.flag("transfer"))
        if transfer:
            steps.append(
                Derivation(
                    "无正当理由调动工会工作人员岗位、打击报复",
                    "union-law-2021/art-52",
                    "责令改正、恢复原工作，造成损失的给予赔偿",
                )
            )
        if hedge is not None and compensation is not None:
            result["approx"] = True
        return self.decided(f, Remedy("remedy", annual, compensation, transfer, hedge), result, steps)

    def phrase(self, o: Outcome[Remedy]) -> str:
        c = o.case
        if c.kind == "not_applicable":
            return (
                "《工会法》第五十三条只适用于因参加工会活动或因履行工会职责而被解除劳动合同的情形，"
                "您描述的情况不在此列。"
            )
        if c.kind == "ask_cause":
            return "本条只适用于因参加工会活动或履行工会职责被解除劳动合同的情形。"
        if c.kind == "ask_exact":
            return "计算赔偿需要准确的年收入。"
        if c.kind == "ask_income":
            return "赔偿额是本人年收入的二倍。"
        text = self.summary
        if c.annual is not None and c.compensation is not None:
            text += f"按年收入{format_yuan(c.annual)}计算，二倍赔偿为{format_yuan(c.compensation)}。"
            text += hedge_note(c.hedge, "本人实际年收入")
        if c.transfer:
            text += (
                "对依法履行职责的工会工作人员无正当理由调岗报复的，"
                "由劳动行政部门责令改正、恢复原工作，造成损失的给予赔偿（第五十二条）。"
            )
        return text
