"""Rendering a reply for the chat: conclusion first, 依据 panel with verbatim quotes, trace, follow-up question."""

from __future__ import annotations

import re
from typing import Any

from assistant.answer.reply import Citation, MissingFact, Reply, ReplyStatus, RuleTrace
from assistant.clauses import ClauseStore
from assistant.ui.render import citations_html, conclusion, render_reply, tier_label


def _cite(store: ClauseStore, cid: str, quote: str | None = None) -> Citation:
    c = store[cid]
    return Citation(id=c.id, source=c.source, locator=c.locator, quote=quote or c.text, tier=c.tier.value,
                    superseded=c.superseded)


def _reply(store: ClauseStore, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"status": ReplyStatus.ANSWERED, "answer": "结论。", "corpus_version": "v"}
    return Reply(**{**base, **fields}).to_dict()


def test_conclusion_drops_only_sections_carried_as_data(store: ClauseStore) -> None:
    answer = ("结论一句。\n原文：《工会法》第十一条：“用人单位……”\n推导：\n· 第一步\n· 第二步\n"
              "依据：《工会法》第十一条\n请补充：贵所有多少会员？")
    rule = RuleTrace(id="r", inputs={}, conclusion="结论一句。", trace=["第一步", "第二步"])
    full = _reply(store, answer=answer, rule=rule, citations=[_cite(store, "union-law-2021/art-11")],
                  missing_facts=[MissingFact(name="members", question="贵所有多少会员？")])
    assert conclusion(full) == "结论一句。"
    bare = _reply(store, answer=answer)  # nothing structured: the text stays whole
    assert conclusion(bare) == answer


def test_render_puts_the_conclusion_first_and_the_basis_in_a_closed_panel(store: ClauseStore) -> None:
    art11 = store["union-law-2021/art-11"]
    reply = _reply(store, answer="可以单独建立。<script>x</script>",
                   citations=[_cite(store, art11.id), _cite(store, "guidance/4.p2", store["guidance/4.p2"].text[:30])],
                   rewritten_question="我们所有30名会员呢？")
    html = render_reply(reply)
    assert html.startswith("可以单独建立。&lt;script&gt;")  # escaped, and first
    assert "<details class=\"ua-basis\"><summary>依据（2处条文）</summary>" in html
    assert "<details open" not in html
    assert "本轮按此问题回答：我们所有30名会员呢？" in html
    assert html.count('class="ua-quote"') == 2
    assert "中华人民共和国工会法" in html and "第十一条" in html and ">法律<" in html
    assert "\n" not in citations_html(reply["citations"])  # one line: Markdown leaves the block whole


def test_superseded_and_partial_sources_are_marked(store: ClauseStore) -> None:
    old = next(c for c in store if c.superseded)
    cite = _cite(store, old.id).model_copy(update={"note": "2009年修正本，已被2021年修正本取代"})
    html = citations_html([cite.model_dump()])
    assert '<span class="ua-superseded">已失效</span>' in html and "已被2021年修正本取代" in html


def test_quotes_from_one_clause_are_grouped(store: ClauseStore) -> None:
    text = store["union-law-2021/art-11"].text
    html = citations_html([_cite(store, "union-law-2021/art-11", text[:20]).model_dump(),
                           _cite(store, "union-law-2021/art-11", text[20:45]).model_dump()])
    assert html.count('class="ua-cite"') == 1 and html.count('class="ua-quote"') == 2


def test_needs_more_info_and_trace(store: ClauseStore) -> None:
    reply = _reply(store, status=ReplyStatus.NEEDS_MORE_INFO, answer="要看人数。",
                   missing_facts=[MissingFact(name="members", question="贵所目前有多少名工会会员？")],
                   rule=RuleTrace(id="committee-threshold", inputs={}, conclusion="",
                                  trace=["人数 18 < 25 → 第十一条"]))
    html = render_reply(reply)
    assert "需要补充信息" in html and "请在下一条消息中告诉我：贵所目前有多少名工会会员？" in html
    assert "推理过程（规则 committee-threshold）" in html and "<li>人数 18 &lt; 25 → 第十一条</li>" in html


def test_tier_labels() -> None:
    assert tier_label("law") == "法律" and tier_label("acftu_rule") == "全总规定" and tier_label("odd") == "odd"


def test_no_citations_no_panel(store: ClauseStore) -> None:
    html = render_reply(_reply(store, status=ReplyStatus.OUT_OF_SCOPE, answer="超出范围。"))
    assert "ua-basis" not in html and re.search("超出本助手范围", html)
