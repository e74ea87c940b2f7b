"""Quantity mentions: every count, amount, percentage and time span a question states, with hedges and ranges.

`prepare(text)` normalises the numerals (spoken short forms "二十三万五" → "23.5万", Chinese years, compounds, digit
commas) keeping each figure's magnitude, since 万/千 tells an amount from a head count. `quantities(clause)` finds
the mentions of one clause: vague counts become ranges (Count.low/high) so a rule can tell whether the vagueness
matters: "三十来个" ≈ 27–33 (±10%), "四十多人" = 41–49, "二十几" = 21–29, "十几" = 11–19, "几十" = 20–99, "二十五六" =
25–26, "三四十" = 30–40, "大约/左右/上下 N" = N ± 10% (at least ±1; also when the hedge stands a few words before
the number: "大约有会员60人"), "将近/近/快 N" = N−10% … N−1, "不到/不足/不够/不满/少于 N" = 0 … N−1, "超过/多于 N" =
N+1 … ∞, "N以上" = N … ∞ (the statutes' 以上 includes N), "N以下" = 0 … N, "N到M" = N … M. A hedged single amount
("差不多60万") keeps its figure as the estimate's point. Article numbers, fractions, multiples, dates and clock times
are masked first; a bare number is a head count only when a people noun of the lexicon introduces it, and a
counter that counts things (部门, 两个普遍) is none. Which fact a mention fills is decided in rules/facts.py.
Negative, fractional or absurd numbers are passed through so the rule rejects them with a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from assistant.text.normalize import normalize
from assistant.text.numerals import cn_to_int, cn_years, expand_abbreviated, magnitude, percent_to_digits
from assistant.understand import lexicon
from assistant.understand.values import Count, MoneyRange

HEADS = lexicon.default()

_CN = "零〇一二两三四五六七八九十百千"
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACE = {"十": 10, "百": 100, "千": 1000, "万": 10000}

# One quantity: optional hedge, sign, number (digits or Chinese, vague forms included), optional
# range end, vague suffix, multiplier, unit and trailing hedge.
_QTY = re.compile(
    rf"""
    (?P<pre>约为|约有|大约|大概|差不多|将近|接近|不到|不足|不够|凑不够|不满|未满|少于|低于|超过|多于|高于|约|近|快|逾)?
    (?P<neg>[-−负])?
    (?P<num>\d+(?:\.\d+)?(?:\^\d+|[eE]\d+)?|[{_CN}几]+)
    (?P<to>(?:[-~到至])(?:\d+(?:\.\d+)?|[{_CN}]+))?
    (?P<vague>多|来|余)?
    (?P<mult>[万亿千](?:多|来|余)?)?
    (?P<unit>个工作日|块钱|元|块|人|名|个|位|票|张|天|日|年|%|号(?=人|员工|职工|工人))?
    (?P<post>左右|上下|以上|以下|之内|以内|多|出头)?
    """,
    re.X,
)
_MASKS = (
    re.compile(rf"第[\d{_CN}]+[条款项章节届次批]"),  # article and ordinal references
    re.compile(rf"[\d{_CN}]+分之[\d{_CN}]+"),  # fractions: 三分之一 is a rule, not a fact
    re.compile(rf"[\d{_CN}]+倍"),  # multiples: 二倍 is the statute's factor, not an amount
    re.compile(r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:\d{1,2}[日号])?"),  # dates
    re.compile(rf"[\d{_CN}]+(?:个)?(?:月份|月|号(?![人员职工])|点钟|点|小时|分钟|季度|星期|周)(?!工资|收入|薪)"),
)
_COMPOUND_CN = re.compile(rf"[{_CN}]+[万亿][{_CN}]+(?=[元块万亿]|$|[^\u4e00-\u9fff])")
_COMPOUND_DIGIT = re.compile(r"(\d+)万(\d)千")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PERSON_UNITS = {"人", "名", "个", "位", "号"}
_BALLOTS = {"票", "张"}
_POSITION = re.compile(r"^(?:组织员|联络员|工会主席|主席|副主席|负责人|专职|法定代表人)")
_SELF = re.compile(r"(?:是|作为|当|身为)$")
# the words around a bare amount in a follow-up: "那如果是25万呢", "要是换成36万的话"
_FOLLOW_FILLER = re.compile(
    r"(?:那|那么|如果|要是|假如|假设|若是|若|换成|改成|变成|涨到|提高到|降到|增加到|减少到|到|是|为|有|只有|才|就|再|又"
    r"|的话|呢|吗|啊|呀|吧|嘞|了|的|情况|怎么样|咋样|会怎样|一年|全年|每年|一个月|每个月|每月)*"
)
_MONEY_CONTEXT = re.compile(r"工资|经费|收入|薪|元|钱|总额|赔|补|块|费|拨|缴|交|付|发")

_SALARY_PREFIX = re.compile(r"(?:月薪|年薪|工资|收入|总额|薪水|薪酬)(?:是|为|有|大概|约|大约|才|共|一共)*$")
# what may stand between a head noun and a bare number: "会员人数是", "女工有", "员工数：", "参加工会的"
_COPULA = re.compile(
    r"(?:的)?(?:总?人数|总数|数量|人数|数)?(?:[:：]|是|为|有|共|一共|总共|只有|才|达到|约|正好|刚好|恰好|就|大概|大约|差不多|在)*$"
)


def _introduced(before: str) -> bool:
    """Whether a number with no unit is a head count: a people noun of the lexicon introduces it."""
    return HEADS.ending(_COPULA.sub("", before)) is not None


@dataclass
class Qty:
    kind: str  # count | money | percent | days | years
    value: Any  # Count, Decimal, MoneyRange, or a raw Decimal that the rule will reject
    start: int
    end: int
    text: str
    unit: str


# -- numbers ----------------------------------------------------------------------------------


def _number(s: str) -> Decimal:
    """'25' / '35.5' / '10^15' / '1e15' / '二十五' / '两百' → Decimal; ValueError when not a number."""
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return Decimal(s)
    m = re.fullmatch(r"(\d+)\^(\d+)", s)
    if m:
        if int(m.group(2)) > 30:
            return Decimal(10) ** 31  # absurd either way; keep it finite
        return Decimal(int(m.group(1)) ** int(m.group(2)))
    if re.fullmatch(r"\d+(?:\.\d+)?[eE]\d+", s):
        try:
            return Decimal(s)
        except InvalidOperation:
            raise ValueError(s) from None
    return Decimal(cn_to_int(s))


def _tens(n: Decimal) -> int:
    """10 ** (trailing zeros of n): the place a 多 refers to (40 → 10, 200 → 100, 25 → 1)."""
    if n != n.to_integral_value() or n == 0:
        return 1
    k, unit = int(n), 1
    while k % 10 == 0:
        k //= 10
        unit *= 10
    return unit


def _spread(n: Decimal) -> Decimal:
    return max(Decimal(1), (n / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _base_range(num: str) -> tuple[Decimal, Decimal | None] | None:
    """The vague Chinese forms: 几/几十/二十几/三四十/二十五六/七八 → (low, high); None when not vague."""
    if num == "几":
        return Decimal(2), Decimal(9)
    if num.startswith("几") and len(num) == 2 and num[1] in _PLACE:
        p = _PLACE[num[1]]
        return Decimal(2 * p), Decimal(10 * p - 1)
    if num.endswith("几") and len(num) > 1:
        base = _number(num[:-1])
        return base + 1, base + 9
    m = re.fullmatch(r"([一二三四五六七八九])([一二三四五六七八九])([十百千万])", num)
    if m and _CN_DIGIT[m.group(2)] == _CN_DIGIT[m.group(1)] + 1:
        p = _PLACE[m.group(3)]
        return Decimal(_CN_DIGIT[m.group(1)] * p), Decimal(_CN_DIGIT[m.group(2)] * p)
    m = re.fullmatch(r"(.*十)?([一二三四五六七八])([二三四五六七八九])", num)
    if m and _CN_DIGIT[m.group(3)] == _CN_DIGIT[m.group(2)] + 1 and "几" not in num:
        base = _number(m.group(1)) if m.group(1) else Decimal(0)
        return base + _CN_DIGIT[m.group(2)], base + _CN_DIGIT[m.group(3)]
    return None


def _parse(m: re.Match[str], hedge: str = "") -> tuple[Decimal, Decimal | None, bool] | None:
    """(low, high, approx) in base units (people or yuan), or None when the match is not a number. `hedge` is a
    hedge said a few words before the number ("大约有会员60人")."""
    try:
        return _parse_number(m, hedge)
    except ArithmeticError:  # decimal.Overflow and kin: "1e999999万" is beyond any usable fact
        return None


def _parse_number(m: re.Match[str], hedge: str = "") -> tuple[Decimal, Decimal | None, bool] | None:
    num = m.group("num")
    try:
        vague = _base_range(num)
        if vague is not None:
            low, high, approx = vague[0], vague[1], True
        else:
            low = high = _number(num)
            approx = False
        if m.group("to"):
            high = _number(m.group("to")[1:])
            approx = True
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return None
    mult = m.group("mult") or ""
    factor = {"万": Decimal(10000), "亿": Decimal(10) ** 8, "千": Decimal(1000)}.get(mult[:1], Decimal(1))
    suffix = m.group("vague") or mult[1:] or (m.group("post") if m.group("post") == "多" else None)
    if suffix in ("多", "余") and low == high:
        place = _tens(low) if not mult[1:] else Decimal(1)
        if not mult[1:] and place == 1 and factor == 1:
            low, high = low, None
        elif factor == 1:
            low, high = low + 1, low + place - 1
        else:
            high = low + place
        approx = True
    elif suffix == "来" and low == high:
        d = _spread(low)
        low, high, approx = low - d, low + d, True
    low *= factor
    high = None if high is None else high * factor
    pre, post = m.group("pre") or hedge, m.group("post") or ""
    if post == "出头" and low == high:  # "三十出头" = 31–39, "一百出头" = 101–199: over a round figure, like 多
        if factor == 1:
            low, high, approx = low + 1, low + max(1, _tens(low) - 1), True
        else:  # "十万出头": an amount a little over 十万, estimated at it (see _hedged_point)
            high, approx = low * Decimal("1.5"), True
    elif pre in ("大约", "大概", "差不多", "约", "约为", "约有") or post in ("左右", "上下"):
        if not approx:
            d = _spread(low)
            low, high, approx = low - d, low + d, True
    elif pre in ("将近", "接近", "近", "快"):
        d = _spread(low)
        low, high, approx = low - d, low - 1, True
    elif pre in ("不到", "不足", "不够", "凑不够", "不满", "未满", "少于", "低于"):
        low, high, approx = Decimal(0), low - 1, True
    elif pre in ("超过", "多于", "高于", "逾"):
        low, high, approx = low + 1, None, True
    elif post == "以上":
        high, approx = None, True
    elif post in ("以下", "之内", "以内"):
        low, high, approx = Decimal(0), low, True
    if m.group("neg"):
        low = -low
        high = None if high is None else -high
    return low, high, approx


_HEDGES = ("大约", "大概", "差不多", "约")
# a hedge a few words before its number, nothing numeric between: "大约有会员60人", "会员大概有两百人"
_SHORTHAND = re.compile(r"(\d+(?:\.\d+)?)\s?([wk])(?![a-z])")
_FINANCIAL_DIGITS = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
# a run of two or more numeral characters with a financial one: 队伍 and 收拾 are words, 贰拾伍 a number
_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟"
_FINANCIAL = re.compile(rf"(?=[{_NUMERAL_CHARS}]*[壹贰叁肆伍陆柒捌玖拾佰仟])[{_NUMERAL_CHARS}]{{2,}}")
_LIANG = re.compile(r"俩(?!个)")
_CURRENCY = re.compile(r"(?:¥|rmb\s?|人民币)(\d+(?:\.\d+)?)(?![\d.万千元块])")
_HEDGED = re.compile(r"大约|大概|差不多|约|左右|上下")
_FAR_HEDGE = re.compile(r"(大约|大概|差不多)[^\d#,，。]{1,6}$")


def _hedged_point(m: re.Match[str], hedge: str = "") -> Decimal | None:
    """The figure a hedge qualifies ('差不多60万' → 600000), None for an amount vague in itself ('五十多万')."""
    if not ((m.group("pre") or hedge) in _HEDGES or (m.group("post") or "") in ("左右", "上下", "出头")):
        return None
    if m.group("to") or m.group("vague") or (m.group("mult") or "")[1:] or _base_range(m.group("num")):
        return None
    try:
        n = _number(m.group("num"))
    except (ValueError, ArithmeticError):
        return None
    mult = (m.group("mult") or "")[:1]
    return n * {"万": Decimal(10000), "亿": Decimal(10) ** 8, "千": Decimal(1000)}.get(mult, Decimal(1))


def _mask(text: str) -> str:
    for rx in _MASKS:
        text = rx.sub(lambda mm: "#" * len(mm.group(0)), text)
    return text


def quantities(clause: str, context: str = "") -> Iterator[Qty]:
    """Every quantity mention of one (prepared) clause, in order. `context` is the clause's sentence: its money
    words make a bare "八万" in "派遣工每个月另算八万" an amount too."""
    money_words = _MONEY_CONTEXT.search(clause) is not None or _MONEY_CONTEXT.search(context) is not None
    masked = _mask(clause)
    for m in _QTY.finditer(masked):
        if not m.group("num") or "#" in m.group(0):
            continue
        unit, mult = m.group("unit") or "", m.group("mult") or ""
        nxt = masked[m.end() :]
        before = masked[: m.start()]
        # a Chinese numeral with no unit is a word ("一共", "统一") unless a role noun introduces it
        # and nothing but punctuation follows ("会员人数正好二十五，")
        bare_cn = not re.search(r"\d", m.group("num")) and not unit and not mult
        if bare_cn and (not _introduced(before) or re.match(r"[\u4e00-\u9fff]", nxt)):
            continue
        far = _FAR_HEDGE.search(before) if not m.group("pre") else None
        parsed = _parse(m, far.group(1) if far else "")
        if parsed is None:
            continue
        low, high, approx = parsed
        text = m.group(0)
        if unit == "%":
            yield Qty("percent", low, m.start(), m.end(), text, unit)
            continue
        salary = not unit and mult[:1] in ("", "千") and _SALARY_PREFIX.search(before) is not None
        # thousands are money only among money words ("月薪8千"); "一千二" workers stay a head count
        thousands = mult[:1] == "千" and not unit and money_words
        if (
            salary
            or thousands
            or unit in ("元", "块", "块钱")
            or (mult[:1] in ("万", "亿") and unit not in _PERSON_UNITS)
        ):
            residue = (masked[: m.start()] + masked[m.end() :]).strip()
            if (
                not unit
                and not money_words
                and len(clause.strip()) > len(text) + 4
                and not _FOLLOW_FILLER.fullmatch(residue)
            ):
                continue  # "80万" alone is a reply to "多少元？"; inside a longer clause it needs a money word
            if approx:
                value: Any = MoneyRange(
                    max(low, Decimal(0)) if low >= 0 else low, high, text, _hedged_point(m, far.group(1) if far else "")
                )
                if low < 0:
                    value = low
            else:
                value = low
            yield Qty("money", value, m.start(), m.end(), text, unit or mult)
            continue
        if unit in ("天", "日", "个工作日", "年") and approx and (high is None or high != low or "几" in text):
            if "几" in text or unit == "年" or not _HEDGED.search(text):
                continue  # "几天/几年" asks a number, it does not state one
            low = _hedged_point(m, far.group(1) if far else "") or low  # "大约三天": about three days
        if unit in ("天", "日", "个工作日"):
            if nxt.startswith("半"):  # "三天半" is 3.5 days
                low, text = low + Decimal("0.5"), text + "半"
            yield Qty("days", low, m.start(), m.end() + (1 if text.endswith("半") else 0), text, unit)
            continue
        if unit == "年":
            yield Qty("years", low, m.start(), m.end(), text, unit)
            continue
        if unit in _PERSON_UNITS or unit in _BALLOTS or not unit:
            if unit in ("个", "名", "位", "") and counts_things(nxt):
                continue
            if unit == "个" and re.match(rf"[\d{_CN}]", nxt):
                continue  # "一个7名会员一个13名": a counter right before a figure picks a unit, it counts no one
            if _POSITION.match(nxt):
                continue  # "选一个组织员" counts an office, not people in the unit
            if not unit and not _introduced(before):
                continue
            if low == 1 and not approx and _SELF.search(before):
                continue  # "我是一名会员" describes the asker, it is not a head count
            yield Qty("count", _count_value(low, high, approx, text), m.start(), m.end(), text, unit)


def _count_value(low: Decimal, high: Decimal | None, approx: bool, text: str) -> Any:
    """A Count for sane whole numbers; the raw Decimal otherwise, so the rule can explain the problem."""
    if low < 0 or low != low.to_integral_value() or (high is not None and high != high.to_integral_value()):
        return low
    if high is not None and high < low:
        return low
    if not approx:
        return Count.exact(int(low), text)
    return Count(int(low), None if high is None else int(high), text)


def counts_things(after: str) -> bool:
    """Whether a counter counts something that is not people: "3个部门", "两个普遍", "三个不" (but "30个不到" is a
    hedge on a head count)."""
    if after.startswith("不"):
        return after[1:2] not in ("到", "足", "满", "超", "够")
    head = HEADS.after(after)
    return head is not None and head[1] == lexicon.THING


def prepare(text: str) -> str:
    """The text with its numerals written for extraction (see the module docstring)."""
    t = normalize(text).lower()
    t = _DIGIT_COMMA.sub("", t)
    t = _CURRENCY.sub(r"\1元", t)  # "¥456000" / "rmb 5000" is an amount in yuan
    t = t.replace("好几", "几")  # "二十好几" reads as 二十几
    t = _SHORTHAND.sub(lambda m: m.group(1) + ("万" if m.group(2) == "w" else "千"), t)  # "50w", "8k"
    t = _FINANCIAL.sub(lambda m: m.group(0).translate(_FINANCIAL_DIGITS), t)  # 贰佰壹拾 → 二百一十
    t = _LIANG.sub("两个", t)  # 俩 = 两个 ("俩工作日", "就俩人")
    t = t.replace("−", "-").replace("－", "-")
    t = re.sub(
        r"(\d)\s*[xX×*]\s*10\s*\^\s*(\d+)",
        lambda m: f"{m.group(1)}^{m.group(2)}" if m.group(1) == "10" else m.group(0),
        t,
    )
    t = cn_years(expand_abbreviated(t))
    t = _COMPOUND_CN.sub(lambda m: _cn_compound(m.group(0)), t)
    t = _COMPOUND_DIGIT.sub(lambda m: magnitude(int(m.group(1)) * 10000 + int(m.group(2)) * 1000), t)
    return percent_to_digits(t)


def _cn_compound(s: str) -> str:
    try:
        return magnitude(cn_to_int(s))
    except (ValueError, TypeError, KeyError):
        return s


CN = _CN
BALLOTS = _BALLOTS
