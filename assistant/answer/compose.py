"""Deterministic composer: conclusion first from the best sentences of the best clauses, then 依据 with quotes.

Retrieval answers lead with the sentence(s) of the top clauses that share the most question terms
(idf-weighted, aliases included), about 300 characters at most; every sentence shown is cited with a
verbatim quote. Guidance paragraphs that cite the 2009 numbering of the Trade Union Law get a note
naming the current article, which is cited first. Rule answers are the rule's conclusion, its
derivation and its basis; direct references quote the whole article from the version asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answer.reply import Citation, MissingFact, RuleTrace
from assistant.clauses.address import Reference
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.retrieve.base import Hit, Query
from assistant.rules.base import RuleResult, Status
from assistant.text.normalize import display
from assistant.text.numerals import int_to_cn
from assistant.text.tokenize import Tokenizer

_SENT = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
HANDOFF = "这个问题超出了本助手所依据的工会建会入会政策和相关法律文本的范围，建议咨询当地工会或相关主管部门。"
REFUSAL = "抱歉，我只能依据工会建会入会相关政策和法律条文回答问题，无法执行这类请求。"
MAX_LEAD = 330
SHORT_CLAUSE = 300  # a clause this short is quoted whole: it is the answer, with its conditions


@dataclass
class Composition:
    answer: str
    citations: list[Citation]
    rule: RuleTrace | None = None
    missing: list[MissingFact] = field(default_factory=list)
    answered: bool = True


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(display(text)) if len(s.strip()) >= 4]


class Composer:
    def __init__(self, store: ClauseStore, tokenizer: Tokenizer, idf: Callable[[str], float]) -> None:
        self.store = store
        self.tokenizer = tokenizer
        self.idf = idf

    # -- citations ------------------------------------------------------------------------

    def citation(self, clause: Clause, quote: str, note: str | None = None) -> Citation:
        doc = self.store.documents.get(clause.doc_id)
        src = self.store.quoted_sources.get(clause.doc_id)
        notice = note or (doc.notice if doc else None) or (src.notice if src else None)
        return Citation.of(clause, quote, notice)

    # -- retrieval answers ----------------------------------------------------------------

    def _score(self, qtokens: set[str], sentence: str) -> tuple[float, set[str]]:
        toks = set(self.tokenizer.tokens(sentence)) & qtokens
        return sum(self.idf(t) for t in toks), toks

    def _best(self, clause: Clause, qtokens: set[str]) -> list[tuple[float, int, str, set[str]]]:
        scored = [(*self._score(qtokens, s), i, s) for i, s in enumerate(sentences(clause.text))]
        return sorted(((sc, i, s, toks) for sc, toks, i, s in scored), key=lambda x: (-x[0], x[1]))

    def _quote_owner(self, clause: Clause, sentence: str) -> Clause:
        """A sentence inside a rule quoted by the guidance is cited to that rule."""
        for qid in clause.quoted:
            rule = self.store[qid]
            if display(sentence).strip("“”") in display(rule.text):
                return rule
        return clause

    def from_hits(self, query: Query, hits: Sequence[Hit]) -> Composition:
        """Lead with the top clause (whole when short, else its best sentences in reading order), then
        add the best sentence of the next clauses when they score close and cover new question terms."""
        qtokens = set(query.tokens)
        lead: list[str] = []
        cited: list[Citation] = []
        covered: set[str] = set()
        notes: list[str] = []
        top = hits[0].score if hits else 0.0
        for rank, hit in enumerate(hits[:4]):
            sibling = (
                rank > 0 and hit.clause.heading_path == hits[0].clause.heading_path and hit.clause.doc_id == "guidance"
            )
            if rank and hit.score < 0.6 * top and not sibling:
                continue
            ranked = self._best(hit.clause, qtokens)
            if not ranked:
                continue
            room = MAX_LEAD - len("".join(lead))
            if rank == 0 and len(display(hit.clause.text)) <= min(room, SHORT_CLAUSE):
                chosen = [s for _, _, s, _ in sorted(ranked, key=lambda x: x[1])]
                gained = set().union(*(t for *_, t in ranked))
            else:
                picks: list[tuple[int, str, set[str]]] = []
                used = 0
                for score, idx, sent, toks in ranked:
                    if len(picks) == (3 if rank == 0 else 1) or score <= 0 or used + len(sent) > room:
                        continue
                    if not (toks - covered - set().union(*(p[2] for p in picks))) and picks:
                        continue
                    picks.append((idx, sent, toks))
                    used += len(sent)
                if rank and (not picks or not (picks[0][2] - covered)):
                    if not sibling:
                        continue
                    # items of one list ("指导原则有哪些"): each item's opening sentence names it
                    first = sentences(hit.clause.text)[0]
                    if len(first) > room:
                        continue
                    picks = [(0, first, set())]
                chosen = [sent for _, sent, _ in sorted(picks)]
                gained = set().union(*(t for *_, t in picks)) if picks else set()
            if not chosen:
                continue
            lead.extend(chosen)
            covered |= gained
            for sent in chosen:
                owner = self._quote_owner(hit.clause, sent)
                cited.append(self.citation(owner, sent.strip("“”")))
                if owner is not hit.clause:
                    cited.append(self.citation(hit.clause, sent.strip("“”")))
            notes.extend(self._old_numbering(hit.clause, cited))
        if not lead:
            return Composition("", [], answered=False)
        answer = "".join(lead)
        if notes:
            answer += "\n注：" + "；".join(dict.fromkeys(notes)) + "。"
        return Composition(answer, cited)

    def _old_numbering(self, clause: Clause, cited: list[Citation]) -> list[str]:
        """Guidance written under the 2009 law: name the current article and cite it first."""
        notes = []
        for rid in clause.refs:
            old = self.store[rid]
            if not old.superseded or old.doc_id != "union-law-2009":
                continue
            new = self.store.current(old)
            if new is old or new.number == old.number:
                continue
            notes.append(f"指导材料所引《工会法》{old.locator}为2009年修正本条号，现行2021年修正本为{new.locator}")
            if all(c.id != new.id for c in cited):
                first = sentences(new.text)[0]
                cited.insert(0, self.citation(new, first))
        return notes

    # -- direct references ----------------------------------------------------------------

    def from_reference(self, ref: Reference) -> Composition:
        if ref.clause_id is None:
            doc = self.store.documents.get(ref.doc_id) or self.store.quoted_sources.get(ref.doc_id)
            title = doc.short if doc else ref.name
            total = len([c for c in self.store.by_doc(ref.doc_id) if c.number is not None])
            version = "（本库收录的文本）"
            answer = (
                f"《{title}》{version}共{int_to_cn(total)}条，没有第{int_to_cn(ref.number)}条。"
                if ref.doc_id not in self.store.quoted_sources
                else f"本库只收录了《{title}》被指导材料引用的条款，没有第{int_to_cn(ref.number)}条。"
            )
            return Composition(answer, [], answered=False)
        clause = self.store[ref.clause_id]
        text = display(clause.text)
        head = f"{clause.cite}规定：\n{text}"
        cited = [self.citation(clause, text)]
        if clause.superseded:
            new = self.store.current(clause)
            if new is not clause:
                head += f"\n注：这是已被取代的版本；现行文本对应{new.cite}：\n{display(new.text)}"
                cited.insert(0, self.citation(new, display(new.text)))
        elif clause.versions:
            olds = [self.store[v] for v in clause.versions if self.store[v].superseded]
            if olds and olds[0].number != clause.number:
                head += f"\n（2009年修正本中为{olds[0].locator}。）"
        return Composition(head, cited)

    # -- rule answers ---------------------------------------------------------------------

    def _basis_text(self, result: RuleResult, budget: int = 240) -> str:
        """The rule's first quotes, verbatim, so the answer itself carries the legal wording."""
        parts: list[str] = []
        used = 0
        for b in result.basis:
            clause = self.store.get(b.clause_id)
            if clause is None or used + len(b.quote) > budget:
                continue
            parts.append(f"{clause.cite}：“{b.quote}”")
            used += len(b.quote)
        return ("\n原文：" + "；".join(parts)) if parts else ""

    def from_rule(self, result: RuleResult) -> Composition:
        cited = []
        for b in result.basis:
            clause = self.store.get(b.clause_id)
            if clause is not None:
                cited.append(self.citation(clause, b.quote))
        trace = [s.text for s in result.trace]
        rule = RuleTrace(
            id=result.rule_id, inputs=result.inputs, conclusion=result.conclusion, trace=trace, result=result.result
        )
        if result.status is Status.DECIDED:
            answer = result.conclusion
            if trace:
                answer += "\n推导：\n" + "\n".join(f"· {t}" for t in trace)
            answer += self._basis_text(result)
            return Composition(answer, cited, rule)
        missing = [MissingFact(name=s.name, question=s.question) for s in result.missing]
        if result.status is Status.INVALID:
            answer = result.message or "您提供的信息有误，请核对后重新告诉我。"
        else:
            ask = "".join(s.question for s in result.missing)
            answer = (f"{result.conclusion}\n" if result.conclusion else "") + f"请补充：{ask}"
        return Composition(answer, cited, rule, missing, answered=False)
