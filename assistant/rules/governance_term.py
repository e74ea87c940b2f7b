"""governance-term: a grassroots committee serves three or five years a term; federations and industrial unions five.

《工会法》(2021) 第十六条：基层工会委员会每届任期三年或者五年。各级地方总工会委员会和产业工会委员会每届任期五年。
《中国工会章程》(2008) 第二十六条：工会基层委员会和经费审查委员会每届任期三年至五年，具体任期由会员大会或者会员代表
大会决定。任期届满，应当如期召开会议，进行换届选举。

The 2008 constitution's "三年至五年" would admit four years; the 2021 statute says "三年或者五年", and the statute
is the higher authority, so a four-year grassroots term is answered as not conforming.

When the year the current committee was elected is known, the term ends in elected_year + term_years ("2022年选举、
三年一届" → 2025年届满换届). A grassroots committee whose term is not stated could be on either term, so both
years are shown and the term is asked for; federations and industrial unions serve five years by statute.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

_A16 = "union-law-2021/art-16"
LEVELS = ("基层工会", "地方总工会", "产业工会")
FIRST_YEAR, LAST_YEAR = 1949, 2100  # a union committee elected outside these years is a typo
_ALLOWED = {"基层工会": (Decimal(3), Decimal(5)), "地方总工会": (Decimal(5),), "产业工会": (Decimal(5),)}


@dataclass(frozen=True)
class Term:
    """Which case of 第十六条 applied: the committee, its statutory term(s), the stated term and election year."""

    kind: Literal["bad_years", "bad_year", "options", "general", "statutory", "conforms", "nonconforming"]
    who: str = ""  # 基层工会委员会 / 地方总工会委员会 / 产业工会委员会
    rule_text: str = ""  # 三年或者五年 / 五年
    years: Decimal | None = None
    elected: Decimal | None = None
    due: int | None = None  # the year the term ends
    options: tuple[tuple[str, int], ...] = ()  # (term, year it ends) when the term is not given
    charter: bool = False  # 四年: the 2008 charter's 三年至五年 does not override the law


class GovernanceTerm(Rule):
    id = "governance-term"
    title = "工会委员会每届任期"
    summary = (
        "依《工会法》第十六条，基层工会委员会每届任期三年或者五年；各级地方总工会委员会和产业工会委员会每届任期五年。"
    )
    summary_cites = (_A16,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot(
            "term_years", SlotType.NUMBER, "贵会打算（或已经）确定的每届任期是几年？", required=False, label="任期年数"
        ),
        Slot("union_level", SlotType.CHOICE, "您问的是基层工会、地方总工会还是产业工会？", LEVELS, False, "工会层级"),
        Slot("elected_year", SlotType.NUMBER, "本届委员会是哪一年选举产生的？", required=False, label="本届选举年份"),
    )
    basis = (
        Basis(_A16, "基层工会委员会每届任期三年或者五年。各级地方总工会委员会和产业工会委员会每届任期五年。"),
        Basis(
            "acftu-constitution-2008/art-26",
            "工会基层委员会和经费审查委员会每届任期三年至五年，具体任期由会员大会或者会员代表大会决定。",
        ),
        Basis("acftu-constitution-2008/art-26", "任期届满，应当如期召开会议，进行换届选举。"),
    )
    examples = (
        "基层工会委员会每届任期几年？",
        "我们工会任期定4年可以吗？",
        "地方总工会委员会任期多长？",
        "基层工会换届是三年还是五年？",
        "工会委员会任期届满要换届选举吗？",
        "三年一届，2022年选举的，哪年该换届？",
    )
    keywords = ("任期", "换届", "届")
    patterns = (r"任期.{0,8}(?:几年|多长|多久|年|届满)|换届|每届|一届",)

    def decide(self, f: Facts) -> Outcome[Term]:
        years = f.number("term_years")
        level = f.text("union_level") or "基层工会"
        allowed = _ALLOWED[level]
        steps: list[Derivation] = []
        result: dict[str, Any] = {"level": level, "allowed_years": [str(y) for y in allowed]}
        rule_text = "三年或者五年" if level == "基层工会" else "五年"
        who = "基层工会委员会" if level == "基层工会" else f"{level}委员会"
        if years is not None and (years == 0 or years > 20 or years != years.to_integral_value()):
            return self.reject(f, Term("bad_years", years=years))
        elected = f.number("elected_year")
        if elected is not None and (elected != elected.to_integral_value() or not FIRST_YEAR <= elected <= LAST_YEAR):
            return self.reject(f, Term("bad_year", elected=elected))
        if elected is not None and years is None and len(allowed) > 1:
            options = {str(y): int(elected + y) for y in allowed}
            result["next_election_year_options"] = options
            steps.append(Derivation(who, _A16, f"每届任期{rule_text}"))
            steps.extend(
                Derivation(f"{elected}年选举 + 每届{y}年", _A16, f"{year}年任期届满") for y, year in options.items()
            )
            case = Term("options", who, rule_text, elected=elected, options=tuple(options.items()))
            return self.need(f, ["term_years"], case, result=result, steps=steps)
        statutory = elected is not None and years is None
        if statutory:
            years = allowed[0]  # federations and industrial unions: five years by statute
        if years is None:
            steps.append(Derivation(who, _A16, f"每届任期{rule_text}"))
            case = Term("general", who, rule_text)
        elif years in allowed:
            if statutory:
                steps.append(Derivation(who, _A16, f"每届任期{rule_text}"))
            else:
                steps.append(Derivation(f"任期 {years} 年", _A16, f"符合“每届任期{rule_text}”"))
                result["conforms"] = True
            due = None
            if elected is not None:
                due = int(elected + years)
                steps.append(Derivation(f"{elected}年选举 + 每届{years}年 = {due}年", _A16, f"{due}年任期届满"))
                result.update({"elected_year": int(elected), "next_election_year": due})
            case = Term("statutory" if statutory else "conforms", who, rule_text, years, elected, due)
        else:
            steps.append(Derivation(f"任期 {years} 年", _A16, f"不在“{rule_text}”之列"))
            charter = level == "基层工会" and Decimal(3) < years < Decimal(5)
            if charter:
                charter_text = "《中国工会章程》（2008年文本）“三年至五年”"
                steps.append(Derivation(charter_text, "acftu-constitution-2008/art-26", "以法律“三年或者五年”为准"))
            result["conforms"] = False
            case = Term("nonconforming", who, rule_text, years, charter=charter)
        steps.append(Derivation("任期届满", "acftu-constitution-2008/art-26", "如期召开会议，进行换届选举"))
        return self.decided(f, case, result, steps)

    def phrase(self, o: Outcome[Term]) -> str:
        c = o.case
        if c.kind == "bad_years":
            return f"任期{c.years}年不是合理的届期，请核对后告诉我打算定几年。"
        if c.kind == "bad_year":
            return f"“{c.elected}年”不是有效的选举年份，请核对后告诉我本届是哪一年选举产生的。"
        if c.kind == "options":
            note = "；".join(f"若每届{y}年，应于{year}年换届" for y, year in c.options) + "。"
            return f"本届于{c.elected}年选举产生：{note}"
        if c.kind == "general":
            return self.summary
        if c.kind == "nonconforming":
            text = f"{c.who}每届任期只能是{c.rule_text}（《工会法》第十六条），定为{c.years}年不符合规定。"
            if c.charter:
                text += "《中国工会章程》（2008年文本）第二十六条“三年至五年”的表述不能突破法律的规定。"
            return text
        if c.kind == "statutory":
            text = f"依《工会法》第十六条，{c.who}每届任期{c.rule_text}。"
        else:
            text = f"{c.who}每届任期{c.years}年，符合《工会法》第十六条（每届任期{c.rule_text}）。"
        if c.due is not None:
            text += f"本届于{c.elected}年选举产生，到{c.due}年任期届满，届时应当如期召开会议进行换届选举。"
        return text
