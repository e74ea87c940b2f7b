"""chair-removal: removing a chair needs a majority of all members (or delegates); mid-term transfer needs consent.

《工会法》(2021) 第十八条：工会主席、副主席任期未满时，不得随意调动其工作。因工作需要调动时，应当征得本级工会委员会
和上一级工会的同意。罢免工会主席、副主席必须召开会员大会或者会员代表大会讨论，非经会员大会全体会员或者会员代表大会
全体代表过半数通过，不得罢免。
第十条第四款：工会会员大会或者会员代表大会有权撤换或者罢免其所选举的代表或者工会委员会组成人员。

"过半数" is strictly more than half of ALL members or delegates (not of those present): minimum = ⌊n/2⌋ + 1.
So the votes for removal decide nothing without the size of the body; when the 会员代表大会 votes
(`delegate_body`), that is the number of delegates, which is what is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from assistant.rules.base import Basis, Count, Derivation, Facts, Outcome, Rule, Slot, SlotType

_A18 = "union-law-2021/art-18"


@dataclass(frozen=True)
class Removal:
    """What 第十八条 gives: the voting body (`body_name` 全体会员/全体代表, `n` of them), the majority `need`ed,
    whether the `votes` pass it, and whether a transfer of the chair is asked about."""

    kind: Literal["empty_body", "votes_over_body", "ask_body", "decided"]
    body_name: str
    body: Count | None = None
    votes: Count | None = None
    transfer: bool = False
    n: int | None = None
    need: int = 0
    passes: bool | None = None  # None: no exact vote count
    procedure: bool = False  # neither a body nor votes: the procedure itself
    by_delegates: bool = False


class ChairRemoval(Rule):
    id = "chair-removal"
    title = "罢免、调动工会主席和副主席"
    summary = (
        "依《工会法》第十八条，罢免工会主席、副主席必须召开会员大会或者会员代表大会讨论，非经全体会员或者全体代表过半数通过，"
        "不得罢免；主席、副主席任期未满时不得随意调动其工作。"
    )
    summary_cites = (_A18,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot(
            "members",
            SlotType.COUNT,
            "会员大会的全体会员（或会员代表大会的全体代表）共有多少人？",
            required=False,
            label="全体会员人数",
        ),
        Slot("delegates", SlotType.COUNT, "会员代表大会共有多少名代表？", required=False, label="全体代表人数"),
        Slot("votes", SlotType.COUNT, "有多少人同意罢免？", required=False, label="同意人数"),
        Slot("transfer", SlotType.BOOL, "是否要在任期内调动主席（副主席）的工作？", required=False, label="是否调动"),
        Slot("ask_amount", SlotType.BOOL, "您是想算出具体需要多少票吗？", required=False, label="是否计算票数"),
        Slot(
            "delegate_body",
            SlotType.BOOL,
            "是由会员代表大会（而不是会员大会）表决吗？",
            required=False,
            label="是否会员代表大会表决",
        ),
    )
    basis = (
        Basis(
            _A18,
            "罢免工会主席、副主席必须召开会员大会或者会员代表大会讨论，非经会员大会全体会员或者会员代表大会全体代表过半数通过，不得罢免。",
        ),
        Basis(
            _A18,
            "工会主席、副主席任期未满时，不得随意调动其工作。因工作需要调动时，应当征得本级工会委员会和上一级工会的同意。",
        ),
        Basis(
            "union-law-2021/art-10",
            "工会会员大会或者会员代表大会有权撤换或者罢免其所选举的代表或者工会委员会组成人员。",
        ),
    )
    examples = (
        "罢免工会主席需要多少人同意？",
        "会员代表大会罢免主席，60个代表30个同意，能罢免吗？",
        "老板想调走工会主席，任期还没满，可以吗？",
        "撤换工会主席要经过什么程序？",
        "全体会员50人，26人赞成罢免副主席，有效吗？",
        "公司能不能直接撤掉工会主席？",
    )
    keywords = ("罢免", "撤换", "撤职", "撤掉", "免去", "免职", "调动", "调走", "调岗", "调离", "换掉", "调到")
    patterns = (
        r"(?:罢免|撤换|撤职|免去|免职|换掉|撤掉|拿掉|调走|调动|调岗|调离).{0,8}(?:工会)?(?:副)?主席",
        r"(?:工会)?(?:副)?主席.{0,10}(?:罢免|撤换|撤职|免职|换掉|撤掉|调走|调动|调岗|调离)",
        r"主席.{0,20}(?:调到|调走|调动|调岗|调离|换岗|换掉|罢免|撤换|拿掉|撤掉|免职|赶下台)",
    )
    default_count = "members"

    def decide(self, f: Facts) -> Outcome[Removal]:
        delegates, members, votes = f.count("delegates"), f.count("members"), f.count("votes")
        by_delegates = delegates is not None or (members is None and bool(f.flag("delegate_body")))
        body, body_name = (delegates, "全体代表") if by_delegates else (members, "全体会员")
        transfer = bool(f.flag("transfer"))
        steps: list[Derivation] = []
        result: dict[str, Any] = {"majority_of": "全体会员或全体代表", "rule": "过半数通过"}
        if body is not None and body.high == 0:
            return self.reject(f, Removal("empty_body", body_name))
        if body is not None and votes is not None and body.high is not None and votes.low > body.high:
            return self.reject(f, Removal("votes_over_body", body_name, body, votes))
        if transfer:
            outcome = "不得随意调动；因工作需要调动的，应征得本级工会委员会和上一级工会同意"
            steps.append(Derivation("任期未满调动主席、副主席工作", _A18, outcome))
            result["transfer"] = "须征得本级工会委员会和上一级工会同意"
        case = Removal("decided", body_name, body, votes, transfer, by_delegates=by_delegates)
        if body is not None and not body.approx:
            n = body.low
            need = n // 2 + 1
            result.update({"body": n, "min_votes": need})
            steps.append(Derivation(f"{body_name} {n} 人过半数 → 至少 {need} 人", _A18, "罢免须经过半数通过"))
            passes = None
            if votes is not None and not votes.approx:
                passes = votes.low >= need
                result["removal_passes"] = passes
                fact = f"同意 {votes.low} {'≥' if passes else '<'} {need}"
                steps.append(Derivation(fact, _A18, "可以罢免" if passes else "不得罢免"))
            case = replace(case, n=n, need=need, passes=passes)
        elif votes is not None or (f.flag("ask_amount") and body is None and not transfer):
            # "需要多少票": the number is half the body plus one, so the body's size is the missing fact — the
            # delegates' number when the 会员代表大会 votes, since 过半数 counts all of them, not those voting yes
            missing = "delegates" if by_delegates else "members"
            return self.need(f, [missing], replace(case, kind="ask_body"), result=result, steps=steps)
        elif not transfer:
            steps.append(Derivation("罢免主席、副主席", _A18, "召开会员（代表）大会讨论，全体会员或全体代表过半数通过"))
            steps.append(Derivation("撤换或者罢免", "union-law-2021/art-10", "由会员大会或者会员代表大会行使"))
            case = replace(case, procedure=True)
        return self.decided(f, case, result, steps)

    def phrase(self, o: Outcome[Removal]) -> str:
        c = o.case
        if c.kind == "empty_body":
            return f"{c.body_name}人数为0，无法表决，请核对后重新告诉我。"
        if c.kind == "votes_over_body" and c.votes is not None and c.body is not None:
            return f"同意人数（{c.votes.shown()}）多于{c.body_name}人数（{c.body.shown()}），请核对后重新告诉我。"
        if c.kind == "ask_body":
            whose = "会员代表大会全体代表" if c.by_delegates else "全体会员（或全体代表）"
            return f"判断是否过半数，需要知道{whose}人数。"
        parts: list[str] = []
        if c.transfer:
            parts.append(
                "工会主席、副主席任期未满时不得随意调动其工作，因工作需要调动时，应当征得本级工会委员会和上一级工会的同意（《工会法》第十八条）"
            )
        if c.n is not None and c.passes is not None and c.votes is not None:
            verdict = "已过半数，罢免通过" if c.passes else "未过半数（正好一半也不够），不得罢免"
            parts.append(
                f"{c.body_name}{c.n}人，过半数至少{c.need}人，{c.votes.low}人同意{verdict}（《工会法》第十八条）"
            )
        elif c.n is not None:
            parts.append(
                f"{c.body_name}{c.n}人，罢免工会主席、副主席至少需要{c.need}人同意（全体过半数，《工会法》第十八条）"
            )
        elif c.procedure:
            parts.append(
                "罢免工会主席、副主席必须召开会员大会或者会员代表大会讨论，非经全体会员或者全体代表过半数通过不得罢免（《工会法》第十八条）；"
                "撤换或者罢免工会委员会组成人员是会员大会或者会员代表大会的权力（第十条）"
            )
        return "；".join(parts) + "。"
