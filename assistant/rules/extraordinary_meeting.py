"""extraordinary-meeting: the committee or at least one third of members may call an extraordinary meeting.

《工会法》(2021) 第十七条：基层工会委员会定期召开会员大会或者会员代表大会，讨论决定工会工作的重大问题。经基层工会
委员会或者三分之一以上的工会会员提议，可以临时召开会员大会或者会员代表大会。
《中国工会章程》(2008) 第二十六条：……工会会员在一百人以下的基层工会应当召开会员大会。

"三分之一以上" includes exactly one third: proposers × 3 ≥ members, so the minimum is ⌈members / 3⌉.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from assistant.rules.base import Basis, Count, Derivation, Facts, Outcome, Rule, Slot, SlotType

_A17 = "union-law-2021/art-17"
SMALL_UNION = 100


@dataclass(frozen=True)
class Meeting:
    """Which route of 第十七条 applied: `n` members (exact), at least `minimum` proposers, `enough` whether the
    members' route is met (None: proposers not given), `committee` whether the committee proposes."""

    kind: Literal[
        "no_members", "proposers_over_members", "ask_members", "ask_total", "ask_proposers", "general", "by_committee",
        "by_members",
    ]  # fmt: skip
    members: Count | None = None
    proposers: Count | None = None
    n: int | None = None
    minimum: int = 0
    enough: bool | None = None
    committee: bool = False
    small: bool = False  # at most 100 members: a general meeting (《中国工会章程》第二十六条)


class ExtraordinaryMeeting(Rule):
    id = "extraordinary-meeting"
    title = "临时召开会员大会（三分之一以上会员提议）"
    summary = (
        "依《工会法》第十七条，经基层工会委员会或者三分之一以上的工会会员提议，可以临时召开会员大会或者会员代表大会。"
    )
    summary_cites = (_A17,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot("members", SlotType.COUNT, "贵会共有多少名工会会员？", required=False, label="会员人数"),
        Slot("proposers", SlotType.COUNT, "有多少名会员提议召开？", required=False, label="提议人数"),
        Slot("by_committee", SlotType.BOOL, "是否由基层工会委员会提议？", required=False, label="是否委员会提议"),
        Slot("ask_amount", SlotType.BOOL, "您是想算出具体需要多少人吗？", required=False, label="是否计算人数"),
    )
    basis = (
        Basis(_A17, "经基层工会委员会或者三分之一以上的工会会员提议，可以临时召开会员大会或者会员代表大会。"),
        Basis(_A17, "基层工会委员会定期召开会员大会或者会员代表大会，讨论决定工会工作的重大问题。"),
        Basis("acftu-constitution-2008/art-26", "工会会员在一百人以下的基层工会应当召开会员大会。"),
    )
    examples = (
        "会员有90人，多少人提议可以临时召开会员大会？",
        "工会委员会可以提议临时召开会员代表大会吗？",
        "120个会员，35个人联名要求开临时会员大会，够不够？",
        "临时召开会员大会需要多少会员提议？",
    )
    keywords = ("临时", "提议", "联名")
    patterns = (
        r"临时(?:召开|开)?.{0,6}(?:会员|代表)?大会",
        r"(?:提议|联名).{0,10}(?:召开|开).{0,6}大会",
        r"大会.{0,6}临时(?:召开|开)",
    )
    default_count = "members"

    def decide(self, f: Facts) -> Outcome[Meeting]:
        """Two routes, either one suffices: the committee's proposal, or proposals of a third of the members.
        `enough` says whether the members' route is met; `can_convene` whether the meeting may be called."""
        members, proposers = f.count("members"), f.count("proposers")
        committee = bool(f.flag("by_committee"))
        steps: list[Derivation] = []
        result: dict[str, Any] = {"fraction": "1/3", "committee_may_propose": True}
        if members is not None and members.high == 0:
            return self.reject(f, Meeting("no_members"))
        if members is not None and proposers is not None and members.high is not None and proposers.low > members.high:
            return self.reject(f, Meeting("proposers_over_members", members, proposers))
        if members is None or members.approx:
            if committee:  # the committee's own proposal needs no head count
                return self._by_committee(f, Meeting("by_committee", committee=True), result, steps)
            if proposers is not None:
                return self.need(f, ["members"], Meeting("ask_members"), result=result)
            if f.flag("ask_amount") and members is None:  # "要多少人提议": a head count needs the total
                return self.need(f, ["members"], Meeting("ask_total"), result=result)
            steps.append(Derivation("会员提议", _A17, "三分之一以上的会员提议即可"))
            return self.decided(f, Meeting("general"), result, steps)
        n = members.low
        minimum = -(-n // 3)
        result.update({"members": n, "min_proposers": minimum})
        steps.append(Derivation(f"会员 {n} 人 × 1/3 → 至少 {minimum} 人", _A17, "三分之一以上的会员提议可以临时召开"))
        enough = proposers.at_least(minimum) if proposers is not None else None
        if proposers is not None and enough is None and not committee:
            case = Meeting("ask_proposers", minimum=minimum)
            return self.need(f, ["proposers"], case, result=result, steps=steps)
        if proposers is not None and enough is not None:
            result["enough"] = enough
            fact = f"提议人数 {proposers.shown()} {'≥' if enough else '<'} {minimum}"
            steps.append(Derivation(fact, _A17, f"{'达到' if enough else '未达到'}三分之一以上"))
        case = Meeting("by_members", members, proposers, n, minimum, enough, committee)
        if committee and not enough:
            return self._by_committee(
                f, Meeting("by_committee", members, proposers, n, minimum, enough, True), result, steps
            )
        result["can_convene"] = enough
        return self.decided(f, self._small(case, steps, result), result, steps)

    def _by_committee(
        self, f: Facts, case: Meeting, result: dict[str, Any], steps: list[Derivation]
    ) -> Outcome[Meeting]:
        """The committee proposes, so the meeting may be called whatever the members' route."""
        steps.append(Derivation("基层工会委员会提议", _A17, "可以临时召开会员大会或者会员代表大会"))
        result["can_convene"] = True
        return self.decided(f, self._small(case, steps, result), result, steps)

    @staticmethod
    def _small(case: Meeting, steps: list[Derivation], result: dict[str, Any]) -> Meeting:
        """Under 100 members the meeting is a general meeting (《中国工会章程》第二十六条)."""
        if case.n is None or case.n > SMALL_UNION:
            return case
        steps.append(
            Derivation(
                f"会员 {case.n} ≤ {SMALL_UNION}", "acftu-constitution-2008/art-26", "应当召开会员大会（而非代表大会）"
            )
        )
        result["body"] = "会员大会"
        return replace(case, small=True)

    def phrase(self, o: Outcome[Meeting]) -> str:
        c = o.case
        if c.kind == "no_members":
            return "会员人数为0的工会无法召开会员大会，请核对会员人数。"
        if c.kind == "proposers_over_members" and c.members is not None and c.proposers is not None:
            return f"提议人数（{c.proposers.shown()}）多于会员总数（{c.members.shown()}），请核对后重新告诉我。"
        if c.kind == "ask_members":
            return "判断提议人数够不够，需要知道会员总数。"
        if c.kind == "ask_total":
            return "依《工会法》第十七条，三分之一以上的会员提议即可；具体人数按会员总数计算。"
        if c.kind == "ask_proposers":
            return f"至少需要{c.minimum}人，请告诉我准确的提议人数。"
        if c.kind == "general":
            return self.summary + "“三分之一以上”包括正好三分之一。"
        small = "会员在一百人以下的，按《中国工会章程》应当召开会员大会。" if c.small else ""
        route = _members_route(c)
        if c.kind == "by_committee":
            if route and c.enough is False:
                text = (
                    route + "，会员提议这一途径不够；但依《工会法》第十七条，经基层工会委员会提议同样可以"
                    "临时召开会员大会或者会员代表大会（两条途径有一即可）。"
                )
            elif route:
                text = (
                    route + "；依《工会法》第十七条，基层工会委员会提议则不需要会员人数条件，"
                    "可以临时召开会员大会或者会员代表大会。"
                )
            else:
                text = (
                    "依《工会法》第十七条，基层工会委员会提议即可临时召开会员大会或者会员代表大会，不需要会员人数条件"
                    "（另一途径是三分之一以上的工会会员提议）。"
                )
            return text + small
        if c.enough is None:
            text = (
                f"贵会会员{c.n}人，依《工会法》第十七条至少需要{c.minimum}名会员（三分之一以上）提议，"
                "或由基层工会委员会提议，即可临时召开。"
            )
        elif c.enough:
            both = "，另有基层工会委员会提议（两条途径都满足）" if c.committee else ""
            text = route + both + "，可以临时召开会员大会或者会员代表大会。"
        else:
            short = c.minimum - (c.proposers.low if c.proposers is not None else 0)
            text = route + f"，还差{short}人，也可以由基层工会委员会提议。"
        return text + small


def _members_route(c: Meeting) -> str:
    """'贵会会员30人，8人提议未达到三分之一以上（至少10人）' — empty without an exact member count."""
    if c.n is None:
        return ""
    if c.proposers is not None and c.enough is not None:
        verdict = "达到" if c.enough else "未达到"
        return f"贵会会员{c.n}人，{c.proposers.shown()}人提议{verdict}三分之一以上（至少{c.minimum}人）"
    return f"贵会会员{c.n}人，会员提议至少需要{c.minimum}人（三分之一以上）"
