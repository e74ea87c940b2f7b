"""union-work-time: non-full-time committee members may use up to 3 paid working days a month for union work.

《工会法》(2021) 第四十一条：基层工会委员会召开会议或者组织职工活动，应当在生产或者工作时间以外进行，需要占用生产
或者工作时间的，应当事先征得企业、事业单位、社会组织的同意。基层工会的非专职委员占用生产或者工作时间参加会议或者
从事工会工作，每月不超过三个工作日，其工资照发，其他待遇不受影响。

"不超过三个工作日" includes exactly three days.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

_A41 = "union-law-2021/art-41"
LIMIT = Decimal(3)


@dataclass(frozen=True)
class WorkTime:
    """Which part of 第四十一条/第四十二条 applied, and the days per month stated (within the three or not)."""

    kind: Literal["too_many_days", "full_time", "ask_days", "general", "days"]
    days: Decimal | None = None
    within: bool = False


class UnionWorkTime(Rule):
    id = "union-work-time"
    title = "非专职工会委员占用工作时间（每月不超过三个工作日）"
    summary = (
        "依《工会法》第四十一条，基层工会的非专职委员占用生产或者工作时间参加会议或者从事工会工作，每月不超过三个工作日，"
        "其工资照发，其他待遇不受影响。"
    )
    summary_cites = (_A41,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot(
            "days",
            SlotType.NUMBER,
            "每月占用工作时间从事工会工作大约几个工作日？",
            required=False,
            label="每月占用天数",
        ),
        Slot("full_time", SlotType.BOOL, "这位委员是专职还是非专职（兼职）？", required=False, label="是否专职"),
        Slot("ask_check", SlotType.BOOL, "您是想判断某个月是否超出吗？", required=False, label="是否判断超出"),
    )
    basis = (
        Basis(
            _A41,
            "基层工会的非专职委员占用生产或者工作时间参加会议或者从事工会工作，每月不超过三个工作日，其工资照发，其他待遇不受影响。",
        ),
        Basis(
            _A41,
            "基层工会委员会召开会议或者组织职工活动，应当在生产或者工作时间以外进行，需要占用生产或者工作时间的，"
            "应当事先征得企业、事业单位、社会组织的同意。",
        ),
        Basis("union-law-2021/art-42", "用人单位工会委员会的专职工作人员的工资、奖励、补贴，由所在单位支付。"),
    )
    examples = (
        "兼职工会委员每个月能占用几天工作时间搞工会工作？",
        "非专职工会委员每月开会占用4个工作日，工资照发吗？",
        "工会开会能不能占用上班时间？",
        "兼职工会委员做工会工作，单位能扣工资吗？",
    )
    keywords = ("工作时间", "上班时间", "下班时间", "生产时间", "工作日", "占用", "工资照发", "扣工资", "带薪")
    patterns = (
        r"(?:占用|利用|用).{0,6}(?:工作|上班|生产)时间",
        r"(?:每月|每个月|一个月).{0,12}(?:天|工作日).{0,12}(?:工会|工资)",
        r"(?:兼职|非专职).{0,12}(?:工会)?委员.{0,20}(?:工资|天|工作日|时间)",
        r"工资照发",
        r"(?:工会|开会|活动).{0,12}(?:下班时间|工作时间以外|业余时间|上班时间)",
    )

    def decide(self, f: Facts) -> Outcome[WorkTime]:
        days, full_time = f.number("days"), f.flag("full_time")
        result: dict[str, Any] = {"limit_days_per_month": "3", "pay": "工资照发，其他待遇不受影响"}
        if days is not None and days > 31:
            return self.reject(f, WorkTime("too_many_days", days))
        if full_time:
            steps = [Derivation("专职工会工作人员", "union-law-2021/art-42", "工资、奖励、补贴由所在单位支付")]
            return self.decided(f, WorkTime("full_time"), result, steps)
        steps = [Derivation("非专职委员占用工作时间", _A41, "每月不超过三个工作日，工资照发")]
        if days is None and f.flag("ask_check"):
            return self.need(f, ["days"], WorkTime("ask_days"))
        case = WorkTime("general")
        if days is not None:
            within = days <= LIMIT
            result["within_limit"] = within
            outcome = "在法定范围内" if within else "超出法定的三个工作日"
            steps.append(Derivation(f"每月 {days} 个工作日 {'≤' if within else '>'} 3", _A41, outcome))
            case = WorkTime("days", days, within)
        steps.append(Derivation("工会会议、职工活动", _A41, "一般在工作时间以外进行，占用工作时间须事先征得单位同意"))
        return self.decided(f, case, result, steps)

    def phrase(self, o: Outcome[WorkTime]) -> str:
        c = o.case
        if c.kind == "too_many_days":
            return f"每月{c.days}天超过了一个月的天数，请核对后重新告诉我。"
        if c.kind == "full_time":
            return (
                "第四十一条的“每月不超过三个工作日”针对非专职委员；"
                "专职工会工作人员的工资、奖励、补贴由所在单位支付（《工会法》第四十二条）。"
            )
        if c.kind == "ask_days":
            return "非专职委员每月不超过三个工作日（《工会法》第四十一条）；是否超出要看实际天数。"
        if c.kind == "general":
            return self.summary
        if c.within:
            return (
                f"每月{c.days}个工作日在《工会法》第四十一条“每月不超过三个工作日”的范围内，"
                "工资照发，其他待遇不受影响。"
            )
        return (
            f"每月{c.days}个工作日超过《工会法》第四十一条规定的三个工作日，超出部分不在该条“工资照发”的保障之内；"
            "需要占用生产或者工作时间的，应当事先征得单位同意。"
        )
