"""union-fund: a unit that has a union remits 2% of its monthly total wage bill to the union, deducted before tax.

《工会法》(2021) 第四十三条：工会经费的来源：……（二）建立工会组织的用人单位按每月全部职工工资总额的百分之二向
工会拨缴的经费；……前款第二项规定的企业、事业单位、社会组织拨缴的经费在税前列支。
第四十四条：企业、事业单位、社会组织无正当理由拖延或者拒不拨缴工会经费，基层工会或者上级工会可以向当地人民法院
申请支付令；拒不执行支付令的，工会可以依法申请人民法院强制执行。

A unit without a union: the current law's 2% presupposes 建立工会组织 and says nothing else; the only text in the
corpus that does is the superseded 2008 章程 第三十七条 (建会筹备金, 2% of the wage bill to the higher-level union),
given with its version so the user knows it is not the current text.

The amount is exactly 2% of the stated wage bill, rounded once to the fen. 会费 (members' dues, item 一) is a
different source and is not computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from assistant.rules.base import Basis, Derivation, Facts, MoneyRange, Outcome, Rule, Slot, SlotType, hedge_note
from assistant.text.money import format_yuan, percent_of, to_fen, yuan_str

RATE = Decimal(2)
_A11 = "union-law-2021/art-11"
_A43 = "union-law-2021/art-43"
_A44 = "union-law-2021/art-44"
_A37_2008 = "acftu-constitution-2008/art-37"
# "这笔钱由谁出？" / "钱给谁？" / "按几个点交？" after a fund answer: payer, payee and rate are facts the rule decides
FUND_FOLLOWUPS = (
    r"谁(?:来)?(?:出|交|付|拨|缴|掏|承担|负担|收|管)|由谁|给谁|交给|拨给|付给|交到|拨到|归谁|进谁|落到谁"
    r"|哪(?:个|家)(?:单位|工会)?(?:来)?(?:出|交|付|拨|收)",
    r"比例|百分之几|几个点|\d+%",
)


@dataclass(frozen=True)
class Estimate:
    """A vague wage bill: the levy lies between these (high None: open-ended); the exact bill is asked for."""

    low: Decimal
    high: Decimal | None


@dataclass(frozen=True)
class NoUnion:
    """No union yet: the 2% presupposes one (第四十三条); `after` is the levy once one is set up (bill known)."""

    after: Decimal | None
    period: str


@dataclass(frozen=True)
class Levy:
    """The rule without an amount (no wage bill given), and the remedy when the unit delays (第四十四条)."""

    delayed: bool


@dataclass(frozen=True)
class Amount:
    """2% of the stated wage bill; a year's bill may be spread over equal months, a month's over a year."""

    wages: Decimal
    period: str  # the period of `wages`: 月 or 年
    amount: Decimal
    delayed: bool
    hedge: MoneyRange | None  # the approximate figure the wages were estimated from
    month: Decimal | None = None  # a twelfth of an annual bill, when the monthly levy is asked
    monthly: Decimal | None = None  # the levy on it
    year: Decimal | None = None  # twelve monthly levies, when the year's total is asked


Case = Estimate | NoUnion | Levy | Amount | None  # None: the amount is asked without a wage bill


@dataclass(frozen=True)
class Fund:
    """What union-fund found, and the rate the user gave when it is not the legal 2%."""

    finding: Case
    stated_rate: Decimal | None


_TAX_STEP = Derivation("拨缴的经费", _A43, "在税前列支")
_REMEDY_STEP = Derivation("无正当理由拖延或拒不拨缴", _A44, "可申请支付令，拒不执行的申请强制执行")


class UnionFund(Rule):
    id = "union-fund"
    title = "工会经费拨缴（全部职工工资总额的百分之二）"
    summary = (
        "依《工会法》第四十三条，建立工会组织的用人单位按每月全部职工工资总额的百分之二向工会拨缴经费，"
        "企业、事业单位、社会组织拨缴的经费在税前列支。"
    )
    summary_cites = ("union-law-2021/art-43",)
    valid_for = ("union-law-2021", "acftu-constitution-2008")
    slots = (
        Slot("wage_total", SlotType.MONEY, "贵单位每月全部职工工资总额是多少元？", required=False, label="工资总额"),
        Slot("wage_period", SlotType.CHOICE, "这个工资总额是每月的还是全年的？", ("月", "年"), False, "工资总额的期间"),
        Slot("has_union", SlotType.BOOL, "贵单位是否已经建立工会？", required=False, label="是否已建工会"),
        Slot("delayed", SlotType.BOOL, "单位是否存在拖延或拒不拨缴工会经费的情况？", required=False, label="是否拖欠"),
        Slot("rate", SlotType.PERCENT, "您说的拨缴比例是多少？", required=False, label="拨缴比例"),
        Slot("ask_amount", SlotType.BOOL, "您是想算出具体金额吗？", required=False, label="是否计算金额"),
        Slot("annual", SlotType.BOOL, "您是想算全年合计吗？", required=False, label="是否全年合计"),
        Slot("ask_monthly", SlotType.BOOL, "您是想算每月拨缴多少吗？", required=False, label="是否按月计算"),
        Slot("entity", SlotType.ENTITY, "贵单位属于哪类单位？", required=False, label="单位类型"),
    )
    basis = (
        Basis("union-law-2021/art-43", "建立工会组织的用人单位按每月全部职工工资总额的百分之二向工会拨缴的经费"),
        Basis("union-law-2021/art-43", "前款第二项规定的企业、事业单位、社会组织拨缴的经费在税前列支。"),
        Basis("union-law-2021/art-43", "工会会员缴纳的会费"),
        Basis(
            "union-law-2021/art-44",
            "企业、事业单位、社会组织无正当理由拖延或者拒不拨缴工会经费，基层工会或者上级工会可以向当地人民法院申请支付令；"
            "拒不执行支付令的，工会可以依法申请人民法院强制执行。",
        ),
        Basis("union-law-2021/art-11", "用人单位有会员二十五人以上的，应当建立基层工会委员会"),
        Basis(
            _A37_2008,
            "未成立工会的企业、事业单位、机关和其他社会组织，按工资总额的百分之二向上级工会拨缴工会建会筹备金。",
        ),
    )
    examples = (
        "公司每月工资总额80万元，工会经费要交多少？",
        "工会经费按工资总额的百分之几拨缴？",
        "工会经费可以税前列支吗？",
        "单位拖欠工会经费不交，工会怎么办？",
        "2%的工会经费怎么计算？",
        "没建工会要不要交工会经费？",
        "工会经费由谁拨缴给谁？",
        "月工资总额50万，拨缴工会经费多少钱？",
        "企业不缴工会经费可以申请支付令吗？",
    )
    keywords = ("工会经费", "经费", "2%", "百分之二", "拨缴", "支付令", "税前列支", "税前")
    patterns = (
        r"(?<!派遣工的)(?<!派遣)工会经费(?!审查|的?使用|主要用|用在|用于|怎么用|花|管理)",
        r"工资总额.{0,20}(?:经费|2%|拨缴|交多少|缴多少)",
        r"(?:经费|2%).{0,10}(?:税前|支付令|拖欠|不交|拨缴|交多少|缴多少|怎么算|怎么交|谁交|交给谁)",
        r"支付令",
        r"税前列支",
    )
    borrow = (("wage_total", "amount"),)
    followups = FUND_FOLLOWUPS

    def decide(self, f: Facts) -> Outcome[Fund]:
        """第四十三条: 2% of the monthly wage bill from a unit that has a union; 第四十四条 when it delays."""
        period, delayed = f.text("wage_period") or "月", bool(f.flag("delayed"))
        rate = f.number("rate")
        stated = rate if rate is not None and rate != RATE else None
        result: dict[str, Any] = {
            "rate": "2",
            "payer": "建立工会组织的用人单位",
            "payee": "工会",
            "base": "每月全部职工工资总额",
            "tax": "税前列支",
            "remedy": "拖延或拒不拨缴的，基层工会或上级工会可向当地人民法院申请支付令",
        }
        if stated is not None:
            result["stated_rate"] = str(stated)
        wages, hedge = f.estimated("wage_total")  # "差不多60万": computed from the figure given, and said to be
        if hedge is not None:
            result["approx"] = True
        if isinstance(wages, MoneyRange):
            low = percent_of(wages.low, RATE)
            high = None if wages.high is None else percent_of(wages.high, RATE)
            result["estimate"] = {"low": yuan_str(low), "high": None if high is None else yuan_str(high)}
            return self.need(f, ["wage_total"], Fund(Estimate(low, high), stated), result=result)
        if f.flag("has_union") is False:
            return self._no_union(f, wages, period, stated, result)
        if wages is None:
            if f.flag("ask_amount") and not delayed:
                return self.need(f, ["wage_total"], Fund(None, stated), result=result)
            steps = [Derivation("拨缴比例", _A43, "每月全部职工工资总额的百分之二"), _TAX_STEP]
            if delayed:
                steps.append(_REMEDY_STEP)
            return self.decided(f, Fund(Levy(delayed), stated), result, steps)
        return self._amount(f, Amount(wages, period, percent_of(wages, RATE), delayed, hedge), stated, result)

    def _no_union(
        self, f: Facts, wages: Decimal | None, period: str, stated: Decimal | None, result: dict[str, Any]
    ) -> Outcome[Fund]:
        """The 2% presupposes a union; only the superseded 2008 charter (建会筹备金) speaks of a unit without one."""
        steps = [
            Derivation("尚未建立工会", _A43, "第（二）项的2%经费由“建立工会组织的用人单位”拨缴"),
            Derivation(
                "未成立工会的单位（2008年章程，已被修订）", _A37_2008, "按工资总额的百分之二向上级工会拨缴建会筹备金"
            ),
            Derivation("建会条件", _A11, "会员二十五人以上的应当建立基层工会委员会"),
        ]
        result["preparatory_fund"] = "建会筹备金（2008年章程第三十七条，已被修订）"
        after = None if wages is None else percent_of(wages, RATE)
        if after is not None:
            result["amount_after_union"] = yuan_str(after)
        result["applies"] = False
        return self.decided(f, Fund(NoUnion(after, period), stated), result, steps)

    def _amount(self, f: Facts, case: Amount, stated: Decimal | None, result: dict[str, Any]) -> Outcome[Fund]:
        """2% of the stated bill; spread over equal months, or summed over a year, when that is asked."""
        wages, amount = case.wages, case.amount
        label = "月工资总额" if case.period == "月" else "全年工资总额"
        steps = [Derivation(f"{label} {format_yuan(wages)} × 2%", _A43, f"应拨缴 {format_yuan(amount)}"), _TAX_STEP]
        if case.delayed:
            steps.append(_REMEDY_STEP)
        result.update({"wage_total": yuan_str(wages), "period": case.period})
        result.update({"amount": yuan_str(amount), "amount_text": format_yuan(amount)})
        if f.flag("ask_monthly") and case.period == "年":
            # "全年工资一共90万，每个月该拨多少": the law levies monthly; equal months are a twelfth of the year each
            month = to_fen(wages / 12)
            monthly = percent_of(month, RATE)
            fact = f"全年 {format_yuan(wages)} ÷ 12 = 每月 {format_yuan(month)}（各月同）× 2% = {format_yuan(monthly)}"
            steps.append(Derivation(fact, _A43, "按每月全部职工工资总额的百分之二拨缴"))
            result.update({"monthly_wage_total": yuan_str(month), "annual_amount": yuan_str(amount)})
            result.update({"amount": yuan_str(monthly), "period": "月", "amount_text": format_yuan(monthly)})
            case = replace(case, month=month, monthly=monthly)
        if f.flag("annual") and case.period == "月":
            # "一年下来总共多少": the law sets a monthly levy; a year is twelve of them at this wage bill
            year = amount * 12
            steps.append(
                Derivation(f"每月 {format_yuan(amount)} × 12 个月 = {format_yuan(year)}（按每月工资总额不变计）")
            )
            result.update({"monthly_amount": yuan_str(amount), "amount": yuan_str(year), "period": "年"})
            result["amount_text"] = format_yuan(year)
            case = replace(case, year=year)
        result["applies"] = "以已建立工会组织为前提" if f.flag("has_union") is None else True
        return self.decided(f, Fund(case, stated), result, steps)

    def phrase(self, o: Outcome[Fund]) -> str:
        rate = o.case.stated_rate
        note = "" if rate is None else f"您提到的{rate}%与法定比例不符，法定比例是百分之二。"
        case = o.case.finding
        if isinstance(case, Estimate):
            shown = format_yuan(case.low) + (f"至{format_yuan(case.high)}" if case.high is not None else "以上")
            return f"按您给的大概数，经费约为{shown}；准确金额需要准确的工资总额。"
        if case is None:
            return note
        if isinstance(case, NoUnion):
            return note + _no_union(case)
        if isinstance(case, Levy):
            return note + (_DELAYED if case.delayed else self.summary)
        return note + _amount(case)


_DELAYED = (
    "单位无正当理由拖延或者拒不拨缴工会经费的，依《工会法》第四十四条，基层工会或者上级工会可以向当地人民法院"
    "申请支付令；拒不执行支付令的，工会可以依法申请人民法院强制执行。应拨缴的数额为每月全部职工工资总额的百分之二"
    "（第四十三条）。"
)
_TAX = "企业、事业单位、社会组织拨缴的经费在税前列支。"


def _no_union(case: NoUnion) -> str:
    text = (
        "《工会法》第四十三条第（二）项的百分之二经费以“建立工会组织”为前提，由建立工会组织的用人单位拨缴，"
        "现行《工会法》对未建会单位没有规定；《中国工会章程》2008年文本第三十七条曾规定，未成立工会的企业、事业单位、"
        "机关和其他社会组织，按工资总额的百分之二向上级工会拨缴工会建会筹备金（该章程已被修订，本资料库未收录现行"
        "章程文本，请以现行章程和当地总工会规定为准）。贵单位建立工会后，应按每月全部职工工资总额的百分之二拨缴。"
    )
    if case.after is not None:
        text += f"按您给的工资总额，建会后每{case.period}应拨缴{format_yuan(case.after)}。"
    return text


def _amount(case: Amount) -> str:
    wages, amount = format_yuan(case.wages), format_yuan(case.amount)
    if case.year is not None:
        text = (
            f"按每月工资总额{wages}不变计，全年共应拨缴{format_yuan(case.year)}"
            f"（每月{amount}×12个月）。依《工会法》第四十三条，经费按每月全部职工工资总额的百分之二拨缴，"
            f"各月工资总额有变化的，按当月实际数计算；{_TAX}"
        )
    elif case.month is not None and case.monthly is not None:
        text = (
            f"全年工资总额{wages}，按各月相同计每月约{format_yuan(case.month)}；依《工会法》第四十三条，经费按每月"
            f"全部职工工资总额的百分之二拨缴，每月应拨缴{format_yuan(case.monthly)}（全年合计{amount}）。"
            f"各月工资总额不同的，按当月实际数计算；{_TAX}"
        )
    else:
        label = "月工资总额" if case.period == "月" else "全年工资总额"
        when = "每月" if case.period == "月" else "全年（即各月按当月工资总额百分之二拨缴之和）"
        text = (
            f"{label}{wages}，依《工会法》第四十三条按百分之二计算，{when}应向工会拨缴{amount}，"
            f"由建立工会组织的用人单位拨缴，{_TAX}"
        )
    if case.delayed:
        text += "单位无正当理由拖延或者拒不拨缴的，基层工会或者上级工会可以向当地人民法院申请支付令（第四十四条）。"
    return text + hedge_note(case.hedge, "实际工资总额")
