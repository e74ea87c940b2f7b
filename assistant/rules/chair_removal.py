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

from typing import Any

from assistant.rules.base import Basis, Derivation, Facts, Outcome, ProseRule, Said, Slot, SlotType

_A18 = "union-law-2021/art-18"


class ChairRemoval(ProseRule):
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

    def evaluate(self, f: Facts) -> Outcome[Said]:
        delegates, members, votes = f.count("delegates"), f.count("members"), f.count("votes")
        by_delegates = delegates is not None or (members is None and bool(f.flag("delegate_body")))
        body, body_name = (delegates, "全体代表") if by_delegates else (members, "全体会员")
        trace: list[Derivation] = []
        parts: list[str] = []
        result: dict[str, Any] = {"majority_of": "全体会员或全体代表", "rule": "过半数通过"}
        if body is not None and body.high == 0:
            return self.invalid(f, f"{body_name}人数为0，无法表决，请核对后重新告诉我。")
        if body is not None and votes is not None and body.high is not None and votes.low > body.high:
            return self.invalid(
                f, f"同意人数（{votes.shown()}）多于{body_name}人数（{body.shown()}），请核对后重新告诉我。"
            )
        if f.flag("transfer"):
            trace.append(
                self.step(
                    "任期未满调动主席、副主席工作",
                    _A18,
                    "不得随意调动；因工作需要调动的，应征得本级工会委员会和上一级工会同意",
                )
            )
            parts.append(
                "工会主席、副主席任期未满时不得随意调动其工作，因工作需要调动时，应当征得本级工会委员会和上一级工会的同意（《工会法》第十八条）"
            )
            result["transfer"] = "须征得本级工会委员会和上一级工会同意"
        if body is not None and not body.approx:
            n = body.low
            need = n // 2 + 1
            result.update({"body": n, "min_votes": need})
            trace.append(self.step(f"{body_name} {n} 人过半数 → 至少 {need} 人", _A18, "罢免须经过半数通过"))
            if votes is not None and not votes.approx:
                ok = votes.low >= need
                result["removal_passes"] = ok
                trace.append(
                    self.step(f"同意 {votes.low} {'≥' if ok else '<'} {need}", _A18, "可以罢免" if ok else "不得罢免")
                )
                parts.append(
                    f"{body_name}{n}人，过半数至少{need}人，{votes.low}人同意"
                    + ("已过半数，罢免通过" if ok else "未过半数（正好一半也不够），不得罢免")
                    + "（《工会法》第十八条）"
                )
            else:
                parts.append(
                    f"{body_name}{n}人，罢免工会主席、副主席至少需要{need}人同意（全体过半数，《工会法》第十八条）"
                )
        elif votes is not None or (f.flag("ask_amount") and body is None and not f.flag("transfer")):
            # "需要多少票": the number is half the body plus one, so the body's size is the missing fact — the
            # delegates' number when the 会员代表大会 votes, since 过半数 counts all of them, not those voting yes
            missing, whose = (
                ("delegates", "会员代表大会全体代表") if by_delegates else ("members", "全体会员（或全体代表）")
            )
            return self.need(f, [missing], Said(f"判断是否过半数，需要知道{whose}人数。"), result=result, steps=trace)
        elif not f.flag("transfer"):
            trace.append(self.step("罢免主席、副主席", _A18, "召开会员（代表）大会讨论，全体会员或全体代表过半数通过"))
            trace.append(self.step("撤换或者罢免", "union-law-2021/art-10", "由会员大会或者会员代表大会行使"))
            parts.append(
                "罢免工会主席、副主席必须召开会员大会或者会员代表大会讨论，非经全体会员或者全体代表过半数通过不得罢免（《工会法》第十八条）；"
                "撤换或者罢免工会委员会组成人员是会员大会或者会员代表大会的权力（第十条）"
            )
        return self.conclude(f, "；".join(parts) + "。", result, trace)
