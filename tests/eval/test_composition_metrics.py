"""Composition metrics: the first citation is a gold clause; the lead paragraph reads as one source, no cut list."""

from __future__ import annotations

from assistant.clauses import ClauseStore
from assistant.eval.answers import aggregate, lead_coherent, score_item
from assistant.eval.gold import AnswerItem

ART12 = "基层工会、地方各级总工会、全国或者地方产业工会组织的建立，必须报上一级工会批准。"
ART12_2 = "上级工会可以派员帮助和指导企业职工组建工会，任何单位和个人不得阻挠。"
ART9_INTRO = "中国工会实行民主集中制，主要内容是："


def test_a_lead_from_one_clause_is_coherent(store: ClauseStore) -> None:
    assert lead_coherent(ART12 + ART12_2 + "\n依据：《工会法》第十二条", store)
    assert lead_coherent("贵单位会员30人，应当建立基层工会委员会。\n依据：…", store)  # the rule's words, no quote


def test_sentences_of_two_clauses_in_one_lead_are_not(store: ClauseStore) -> None:
    other = (
        "违反本法第三条、第十二条规定，阻挠职工依法参加和组织工会或者阻挠上级工会帮助、指导职工筹建工会的，"
        "由劳动行政部门责令其改正；"
    )
    assert not lead_coherent(ART12 + other, store)
    assert lead_coherent(ART12 + "\n相关规定：\n· 《工会法》第五十一条：" + other, store)


def test_a_list_intro_without_its_items_is_cut(store: ClauseStore) -> None:
    assert not lead_coherent(ART9_INTRO + "\n依据：《中国工会章程（2008年文本）》第九条", store)
    assert lead_coherent("《工会法》第十二条规定：\n" + ART12, store)  # the article follows on the next line


def test_top1_and_the_aggregates(store: ClauseStore) -> None:
    item = AnswerItem(
        id="x1", question="q", category="union-law", status="answered", gold=["union-law-2021/art-12"],
        key_facts=[["上一级工会批准"]], kind="list",
    )  # fmt: skip
    cite = {"id": "union-law-2021/art-12", "quote": ART12}
    good = score_item(item, {"status": "answered", "answer": ART12, "citations": [cite]}, store, 1.0)
    other = {"id": "union-law-2021/art-51", "quote": "违反本法第三条"}
    bad = score_item(item, {"status": "answered", "answer": ART12, "citations": [other, cite]}, store, 1.0)
    assert (good.top1, bad.top1) == (True, False)
    agg = aggregate([good, bad])
    assert agg["top1_clause"] == 0.5 and agg["lead_coherent"] == 1.0 and agg["list_complete"] == 1.0
