"""The reply text: every sentence the assistant itself writes around the quotes, and how quotes are laid out.

Retrieval answers: the lead clause's sentences as one paragraph, further list items one per line, then 相关规定 with
each clause's source named inline, then notes on old article numbers, then the 依据 footer. Rule answers: the
conclusion, 推导 (the derivation) and 原文 (the basis quoted). Fixed replies: refusal, hand-off, empty question.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer.reply import Citation
from assistant.answer.select import Renumbered, Selection
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.rules.base import RuleResult, Status
from assistant.text.normalize import display
from assistant.text.numerals import int_to_cn

HANDOFF = "这个问题超出了本助手所依据的工会建会入会政策和相关法律文本的范围，建议咨询当地工会或相关主管部门。"
REFUSAL = "抱歉，我只能依据工会建会入会相关政策和法律条文回答问题，无法执行这类请求。"
EMPTY = "请告诉我您要咨询的问题，例如：“会计师事务所不足25人怎么建工会？”"
FAILED = "系统暂时无法处理这个问题。" + HANDOFF
BASIS_BUDGET = 240  # characters of the rule's basis quoted in the answer itself; the rest is in the citations


def retrieval(sel: Selection, store: ClauseStore) -> str:
    answer = "".join(sel.lead)
    if sel.items:
        answer += "\n" + "\n".join(sel.items)
    if sel.related:
        answer += "\n相关规定：\n" + "\n".join(f"· {clause.cite}：{text}" for clause, text in sel.related)
    notes = [renumbered(r, store) for r in sel.renumbered]
    if notes:
        answer += "\n注：" + "；".join(dict.fromkeys(notes)) + "。"
    return answer


def renumbered(r: Renumbered, store: ClauseStore) -> str:
    """'指导材料所引《工会法》第X条为2009年修正本条号，现行2021年修正本为第Y条'."""
    citing = store.documents[r.citing.doc_id].tier.label
    old, new = store.documents[r.old.doc_id], store.documents[r.new.doc_id]
    return (
        f"{citing}所引《{new.short}》{r.old.locator}为{old.version_date[:4]}年修正本条号，"
        f"现行{new.version_date[:4]}年修正本为{r.new.locator}"
    )


def footer(answer: str, citations: Sequence[Citation], store: ClauseStore) -> str:
    """The answer with its 依据 line: every cited clause once, in citation order."""
    return answer + "\n依据：" + "；".join(dict.fromkeys(f"《{store[c.id].short}》{c.locator}" for c in citations))


def rule(result: RuleResult, store: ClauseStore) -> str:
    """A rule's reply: decided → conclusion, derivation, basis quoted; invalid → what is wrong; open → what to add."""
    if result.status is Status.DECIDED:
        answer = result.conclusion
        trace = [s.text for s in result.trace]
        if trace:
            answer += "\n推导：\n" + "\n".join(f"· {t}" for t in trace)
        return answer + _basis(result, store)
    if result.status is Status.INVALID:
        return result.message or "您提供的信息有误，请核对后重新告诉我。"
    ask = "".join(s.question for s in result.missing)
    return (f"{result.conclusion}\n" if result.conclusion else "") + f"请补充：{ask}"


def _basis(result: RuleResult, store: ClauseStore) -> str:
    """The rule's first quotes, verbatim, so the answer itself carries the legal wording."""
    parts: list[str] = []
    used = 0
    for b in result.basis:
        clause = store.get(b.clause_id)
        if clause is None or used + len(b.quote) > BASIS_BUDGET:
            continue
        parts.append(f"{clause.cite}：“{b.quote}”")
        used += len(b.quote)
    return ("\n原文：" + "；".join(parts)) if parts else ""


def article(clause: Clause, store: ClauseStore, current: Clause | None = None, old: Clause | None = None) -> str:
    """An article asked for by number, whole; a superseded one with the text in force; a renumbered one with its
    old number."""
    head = f"{clause.cite}规定：\n{display(clause.text)}"
    if current is not None:
        head += f"\n注：这是已被取代的版本；现行文本对应{current.cite}：\n{display(current.text)}"
    elif old is not None:
        head += f"\n（{store.documents[old.doc_id].version_date[:4]}年修正本中为{old.locator}。）"
    return head


def no_article(title: str, number: int, total: int | None) -> str:
    """An article number the document does not have (total None: only quoted articles of it are held)."""
    if total is None:
        return f"本库只收录了《{title}》被指导材料引用的条款，没有第{int_to_cn(number)}条。"
    return f"《{title}》（本库收录的文本）共{int_to_cn(total)}条，没有第{int_to_cn(number)}条。"


def check_reference(answer: str) -> str:
    return f"{answer}请核对法律名称和条号。"


def unknown_law(name: str) -> str:
    return f"本助手所依据的文本中没有收录《{name}》。" + HANDOFF


def injected(dropped: Sequence[str], answer: str) -> str:
    """The answer after a note that the instruction inside the question was ignored (reported, never obeyed)."""
    shown = "；".join(d[:40] for d in dropped)
    return f"（您的问题中夹带的“{shown}”不是依据文本的内容，已忽略；以下按法律和政策原文回答。）\n" + answer
