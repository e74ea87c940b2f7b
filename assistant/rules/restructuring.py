"""restructuring: the union when the enterprise is restructured, merged, reorganised, leased out or terminated.

指导材料（二）第2段：对整体改制企业，工会组织应平稳过渡，其名称随企业变化而变化；对联合、兼并企业，按领导体制的
变化，重在理顺工会隶属关系和机构设置；对重组企业，按民主程序重新选举工会主席；对租赁、承包、转让企业或企业的某一
部分，因经营性质发生变化，应按新建企业要求组建工会。……企业重组、合并、分立的，要做好工会资产移交工作。企业终止
的，其工会依法所得的全部资产上交上一级工会处理。
《工会法》(2021) 第十三条：任何组织和个人不得随意撤销、合并工会组织。基层工会所在的用人单位终止或者被撤销，该工会
组织相应撤销，并报告上一级工会。依前款规定被撤销的工会，其会员的会籍可以继续保留……
第五十四条：……（二）非法撤销、合并工会组织的……由县级以上人民政府责令改正，依法处理。
《中国工会章程》(2008) 第十六条、第四十条第二款。

What the guidance requires of every restructuring — the union rebuilt in step (工作不断线、经费不断流、会员不流失),
full-time union staff kept at the prescribed ratio, membership records kept, union funds and property protected
from loss and encroachment (with 《工会法》第四十七条) — does not depend on the kind: a question about one of those
aspects is answered without asking the kind, and a question that gives the kind gets that aspect added. The kind
is asked only when the answer turns on it: when the question asks what becomes of the union organisation ("改制了
工会怎么办", "工会还保留吗"); a restructuring question about anything else ("改制方案里要不要写工会组织建设") gets the
general requirement (slots.py sets the aspect 要求).

The guidance cites the 2009 numbering (第十二条、第五十三条); the 2021 text renumbered them 第十三条、第五十四条.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

KINDS = ("整体改制", "联合兼并", "重组", "租赁承包转让", "分立", "终止")
# aspects of a restructuring the guidance settles the same way for every kind (see slots.py for the wording)
ASPECTS = ("要求", "资产", "人员", "会员")

_G = "guidance/2.p2"
_OUTCOME = {
    "整体改制": "工会组织应平稳过渡，其名称随企业变化而变化",
    "联合兼并": "按领导体制的变化，重在理顺工会隶属关系和机构设置",
    "重组": "按民主程序重新选举工会主席",
    "租赁承包转让": "因经营性质发生变化，应按新建企业要求组建工会",
    "分立": "要做好工会资产移交工作",
}
_A13 = "union-law-2021/art-13"
_A47 = "union-law-2021/art-47"
_C40 = "acftu-constitution-2008/art-40"
# aspect → (trace label, outcome, the sentence of the answer, clauses beyond the guidance)
_ASPECT: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "要求": (
        "改制企业工会组织",
        "同步改建，确保工作不断线、经费不断流、会员不流失",
        "改制企业工会组织要同步改建，把工会组织建设纳入改制方案，同步研究，同步实施，做到企业改制到哪里，工会组织就重建、"
        "调整和巩固到哪里，确保工作不断线、经费不断流、会员不流失（指导材料（二））；任何组织和个人不得随意撤销、合并"
        "工会组织（《工会法》第十三条）",
        ("union-law-2021/art-13",),
    ),
    "资产": (
        "改制中的工会经费和财产",
        "做好经费收缴及财产、资产处置，防止流失，任何组织和个人不得侵占、挪用或处置",
        "按照《工会法》规定，做好工会经费收缴及工会财产、资产的处置工作，防止流失，任何组织和个人不得侵占、挪用或处置"
        "工会组织的办公设施、活动场所和所属财产、资产（指导材料（二））；工会的财产、经费和国家拨给工会使用的不动产，"
        "任何组织和个人不得侵占、挪用和任意调拨（《工会法》第四十七条）",
        (_A47,),
    ),
    "人员": (
        "改制中随意减少工会专职工作人员",
        "按照规定比例配备充实专职工会工作人员",
        "对在企业改制中随意减少工会专职工作人员的，要按照规定比例配备充实专职工会工作人员，保证工会工作人员队伍的相对稳定"
        "（指导材料（二））",
        (),
    ),
    "会员": (
        "改制中的会员",
        "加强会员会籍管理，防止会员流失",
        "要加强会员会籍管理，防止会员流失（指导材料（二））",
        (),
    ),
}


@dataclass(frozen=True)
class Change:
    """What 指导材料（二） and 第十三条 give: the kind of restructuring, whether the union was revoked or merged away,
    and the aspect (要求/资产/人员/会员) answered with it; `aspect_only` answers the aspect for every kind."""

    kind: Literal["ask_kind", "aspect_only", "decided"]
    restructuring: str | None = None
    revoked: bool = False
    aspect: str | None = None


class Restructuring(Rule):
    id = "restructuring"
    title = "企业改制、兼并、重组、租赁转让、终止时的工会组织"
    summary = (
        "依《工会法》第十三条，任何组织和个人不得随意撤销、合并工会组织；指导材料要求改制企业工会组织同步改建，"
        "按改制类型分别处理。"
    )
    summary_cites = ("union-law-2021/art-13", _G)
    valid_for = ("union-law-2021", "guidance", "acftu-constitution-2008")
    slots = (
        Slot(
            "restructuring_kind",
            SlotType.CHOICE,
            "贵单位属于哪种情形：整体改制、联合兼并、重组、租赁承包转让、分立，还是企业终止（破产、注销等）？",
            KINDS,
            label="改制类型",
        ),
        Slot(
            "restructuring_aspect",
            SlotType.CHOICE,
            "您想了解改制中的哪方面：总体要求、工会经费和财产、专职工作人员，还是会员会籍？",
            ASPECTS,
            required=False,
            label="所问方面",
        ),
        Slot(
            "union_revoked",
            SlotType.BOOL,
            "是否有人要撤销工会或把工会合并到其他部门？",
            required=False,
            label="是否撤并工会",
        ),
    )
    basis = (
        Basis("union-law-2021/art-13", "任何组织和个人不得随意撤销、合并工会组织。"),
        Basis("union-law-2021/art-13", "基层工会所在的用人单位终止或者被撤销，该工会组织相应撤销，并报告上一级工会。"),
        Basis(
            "union-law-2021/art-13",
            "依前款规定被撤销的工会，其会员的会籍可以继续保留，具体管理办法由中华全国总工会制定。",
        ),
        Basis("union-law-2021/art-54", "由县级以上人民政府责令改正，依法处理"),
        Basis("union-law-2021/art-54", "（二）非法撤销、合并工会组织的；"),
        Basis("union-law-2009/art-12", "任何组织和个人不得随意撤销、合并工会组织。"),
        Basis("union-law-2009/art-53", "（二）非法撤销、合并工会组织的；"),
        Basis(_G, "把工会组织建设纳入改制方案,同步研究,同步实施"),
        Basis(_G, "对整体改制企业,工会组织应平稳过渡,其名称随企业变化而变化"),
        Basis(_G, "对联合、兼并企业,按领导体制的变化,重在理顺工会隶属关系和机构设置"),
        Basis(_G, "对重组企业,按民主程序重新选举工会主席"),
        Basis(_G, "对租赁、承包、转让企业或企业的某一部分,因经营性质发生变化,应按新建企业要求组建工会"),
        Basis(
            _G, "任何组织和个人都不得随意把工会组织撤销或合并到其他部门,已经合并或与有关部门合署办公的要及时予以纠正"
        ),
        Basis(_G, "改制企业工会组织要同步改建"),
        Basis(
            _G,
            "做到企业改制到哪里,工会组织就重建、调整和巩固到哪里,确保工作不断线、经费不断流、会员不流失",
        ),
        Basis(
            _G,
            "对在企业改制中随意减少工会专职工作人员的,要按照规定比例配备充实专职工会工作人员,保证工会工作人员队伍的相对稳定",
        ),
        Basis(_G, "要加强会员会籍管理,防止会员流失"),
        Basis(
            _G,
            "按照《工会法》规定,做好工会经费收缴及工会财产、资产的处置工作,防止流失,任何组织和个人不得侵占、挪用或处置工会"
            "组织的办公设施、活动场所和所属财产、资产",
        ),
        Basis(_A47, "工会的财产、经费和国家拨给工会使用的不动产，任何组织和个人不得侵占、挪用和任意调拨。"),
        Basis(_G, "企业重组、合并、分立的,要做好工会资产移交工作"),
        Basis(_G, "企业终止的,其工会依法所得的全部资产上交上一级工会处理"),
        Basis(
            "acftu-constitution-2008/art-16",
            "工会基层组织所在的企业终止，或者所在的事业单位、机关和其他社会组织被撤销，该工会组织相应撤销，并报上级工会备案。",
        ),
        Basis(
            "acftu-constitution-2008/art-16",
            "其他组织和个人不得随意撤销工会组织，也不得把工会组织的机构撤销、合并或者归属其他工作部门。",
        ),
        Basis(
            "acftu-constitution-2008/art-40",
            "工会组织合并，其经费资产归合并后的工会所有；工会组织撤销或者解散，其经费资产由上级工会处置。",
        ),
    )
    examples = (
        "国企整体改制以后工会怎么办？",
        "公司被兼并了，工会隶属关系怎么理顺？",
        "企业重组后工会主席要重新选举吗？",
        "企业租赁承包给别人经营，工会要重新组建吗？",
        "公司破产了，工会资产归谁？会员会籍还保留吗？",
        "改制时领导要把工会撤销合并到别的部门，可以吗？",
        "企业改制中工会组织怎么处理？",
        "单位被撤销了，工会怎么办？",
        "企业分立以后工会资产怎么移交？",
    )
    keywords = (
        "改制",
        "兼并",
        "并购",
        "收购",
        "重组",
        "租赁",
        "承包",
        "转让",
        "分立",
        "破产",
        "倒闭",
        "注销",
        "终止",
        "关闭",
        "撤销",
        "合并",
        "合署",
        "撤掉",
        "撤了",
        "取消",
        "解散",
        "收购",
    )
    patterns = (
        r"改制|兼并|并购|收购|重组|分立|破产|倒闭|注销",
        r"(?:企业|公司|单位|厂)(?:要被|被|要|快要?)?(?:撤销|终止|关闭|解散|关停|卖|租|承包|转让|收购|合并)",
        r"(?:撤销|撤掉|撤了|取消|解散|合并|并入|并到|合署)(?:了)?(?:我们|原来)?(?:的)?工会(?!法|主席|副主席|委员)",
        r"工会(?:组织)?(?:被|给|要被)(?:撤销|撤掉|撤了|取消|解散|并入|合并|合署|撤并)|工会(?:组织)?(?:撤销|撤掉|撤了|取消|解散|并入|合并到|合署|撤并)",
        r"把工会.{0,8}(?:撤|取消|并|合署|解散)",
        r"(?:租赁|承包|转让).{0,12}工会",
        r"合署办公|摘(?:了|掉)?(?:工会)?(?:的)?牌子|牌子(?:被)?摘",
    )

    def decide(self, f: Facts) -> Outcome[Change]:
        kind = f.text("restructuring_kind")
        revoked = bool(f.flag("union_revoked"))
        aspect = f.text("restructuring_aspect")
        steps: list[Derivation] = []
        result: dict[str, Any] = {"kind": kind}
        cited: list[str] = []

        if kind is None and not revoked:
            if aspect is not None:
                return self._aspect_only(f, aspect)
            steps.append(Derivation("企业改制", _G, "工会组织建设纳入改制方案，同步研究，同步实施"))
            result = {"kinds": list(KINDS), "outcomes": _OUTCOME}
            return self.need(f, ["restructuring_kind"], Change("ask_kind"), result=result, steps=steps)

        if kind == "终止":
            steps += [
                Derivation("用人单位终止或者被撤销", _A13, "该工会组织相应撤销，并报告上一级工会"),
                Derivation("被撤销工会的会员", _A13, "会籍可以继续保留"),
                Derivation("工会资产", _G, "依法所得的全部资产上交上一级工会处理"),
                Derivation("工会组织撤销", _C40, "经费资产由上级工会处置"),
            ]
            result.update(
                {"union": "相应撤销并报告上一级工会", "membership": "可以继续保留", "assets": "上交上一级工会"}
            )
            cited.append("acftu-constitution-2008/art-16")
        elif kind is not None:
            outcome = _OUTCOME[kind]
            steps += [Derivation("企业改制", _G, "工会组织同步改建，纳入改制方案"), Derivation(kind, _G, outcome)]
            result["outcome"] = outcome
            if kind in ("联合兼并", "重组", "分立"):
                steps.append(Derivation("企业重组、合并、分立", _G, "做好工会资产移交工作"))
                result["assets"] = "做好工会资产移交工作"
            if kind == "联合兼并":
                steps.append(Derivation("工会组织合并", _C40, "经费资产归合并后的工会所有"))

        if revoked and kind != "终止":
            steps += [
                Derivation("随意撤销、合并工会组织", _A13, "任何组织和个人不得为之"),
                Derivation("非法撤销、合并工会组织", "union-law-2021/art-54", "由县级以上人民政府责令改正，依法处理"),
                Derivation(
                    "指导材料引用的《工会法》第十二条、第五十三条为2009年文本条号 → 2021年文本为第十三条、第五十四条",
                    "union-law-2009/art-12",
                    names_clause=True,
                ),
                Derivation("撤销或合并到其他部门、合署办公", _G, "已经合并或合署办公的要及时予以纠正"),
            ]
            result["revocation_lawful"] = False
            cited.extend(["acftu-constitution-2008/art-16", "union-law-2009/art-53"])
        elif kind != "终止":
            steps.append(Derivation("改制中的工会", _A13, "任何组织和个人不得随意撤销、合并工会组织"))
        answered = aspect if aspect is not None and not (aspect == "要求" and revoked) else None
        if answered is not None:
            self._add_aspect(answered, steps, result)
        return self.decided(f, Change("decided", kind, revoked, answered), result, steps, cited)

    @staticmethod
    def _add_aspect(aspect: str, steps: list[Derivation], result: dict[str, Any]) -> None:
        """The steps of what the guidance requires for `aspect` in every restructuring."""
        label, outcome, _, others = _ASPECT[aspect]
        steps.append(Derivation(label, _G, outcome))
        if _A47 in others:
            steps.append(Derivation("工会的财产、经费", _A47, "任何组织和个人不得侵占、挪用和任意调拨"))
        result.update({"aspect": aspect, "requirement": outcome})

    def _aspect_only(self, f: Facts, aspect: str) -> Outcome[Change]:
        """A question about what holds for every restructuring: answered without the kind, which it does not turn on."""
        steps: list[Derivation] = []
        result: dict[str, Any] = {"kind": None}
        self._add_aspect(aspect, steps, result)
        if aspect == "资产":
            steps.append(Derivation("企业重组、合并、分立", _G, "做好工会资产移交工作"))
            steps.append(Derivation("企业终止", _G, "工会依法所得的全部资产上交上一级工会处理"))
            result["by_kind"] = {"重组、合并、分立": "做好工会资产移交工作", "终止": "全部资产上交上一级工会处理"}
        elif aspect == "要求":
            steps.append(Derivation("按改制类型分类推进", _G, "整体改制、兼并、重组、租赁承包转让各有做法"))
            result["by_kind"] = dict(_OUTCOME)
        return self.decided(f, Change("aspect_only", aspect=aspect), result, steps, _ASPECT[aspect][3])

    def phrase(self, o: Outcome[Change]) -> str:
        c = o.case
        if c.kind == "ask_kind":
            return ""
        if c.kind == "aspect_only" and c.aspect is not None:
            parts = ["不论改制类型，" + _ASPECT[c.aspect][2]]
            if c.aspect == "资产":
                parts.append(
                    "此外，企业重组、合并、分立的，要做好工会资产移交工作；企业终止的，其工会依法所得的全部资产上交上一级工会处理"
                )
            elif c.aspect == "要求":
                parts.append(
                    "并因地制宜、分类推进："
                    + "；".join(f"{k}的，{v}" for k, v in _OUTCOME.items() if k != "分立")
                    + "；企业终止的，工会组织相应撤销，全部资产上交上一级工会处理"
                )
            return "；".join(parts) + "。"
        parts = []
        if c.restructuring == "终止":
            parts.append(
                "用人单位终止或者被撤销的，依《工会法》第十三条该工会组织相应撤销，并报告上一级工会，会员的会籍可以继续保留；"
                "按指导材料，工会依法所得的全部资产上交上一级工会处理"
            )
        elif c.restructuring is not None:
            parts.append(f"{c.restructuring}的，按指导材料（二）：{_OUTCOME[c.restructuring]}")
            if c.restructuring in ("联合兼并", "重组"):
                parts.append("同时要做好工会资产移交工作")
        if c.revoked and c.restructuring != "终止":
            parts.append(
                "任何组织和个人不得随意撤销、合并工会组织（《工会法》第十三条），把工会撤销或并入其他部门的要及时纠正；"
                "非法撤销、合并工会组织的，由县级以上人民政府责令改正，依法处理（第五十四条）"
            )
        if c.aspect is not None:
            parts.append(_ASPECT[c.aspect][2])
        return "；".join(parts) + "。"
