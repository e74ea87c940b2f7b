"""Deterministic composer: conclusion first from the best sentences of the best clauses, then 依据 with quotes.

Retrieval answers lead with the sentence(s) of the top clauses that best match the question in meaning
and terms, about 300 characters at most; every sentence shown is cited with a verbatim quote. A term
weighs its idf times how few candidate sentences hold it (the topic every sentence shares cannot pick
one), a word counts once by its longest match, and a list item is shown with the sentence that opens
the list. Guidance paragraphs that cite the 2009 numbering of the Trade Union Law get a note
naming the current article, which is cited first. Rule answers are the rule's conclusion, its
derivation and its basis; direct references quote the whole article from the version asked for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answer.reply import Citation, MissingFact, RuleTrace
from assistant.answer.rerank import Candidate, Reranker
from assistant.clauses.address import Reference
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.faq.base import Match
from assistant.index.sentences import SentenceVectors
from assistant.retrieve.base import Hit, Query
from assistant.rules.base import RuleResult, Status
from assistant.text.normalize import display
from assistant.text.numerals import int_to_cn
from assistant.text.sentences import sentences
from assistant.text.tokenize import Tokenizer

HANDOFF = "这个问题超出了本助手所依据的工会建会入会政策和相关法律文本的范围，建议咨询当地工会或相关主管部门。"
REFUSAL = "抱歉，我只能依据工会建会入会相关政策和法律条文回答问题，无法执行这类请求。"
MAX_LEAD = 330
MAX_LIST = 600  # a list's items shown after its opening sentence when the question does not ask for the list
SIMILARITY_WEIGHT = 0.7  # of a sentence's score; the rest is its share of the question's terms (idf mass)
CANDIDATES = 8  # clauses whose sentences compete for the answer
SHORT_CLAUSE = 300  # a clause this short is quoted whole: it is the answer, with its conditions
NEW_TERMS = 0.1  # share of the question's term weight a further clause's sentence must add
PARTIAL = 0.5  # weight of a question word's part (数据 of 数据库) matched without the whole word
REDUNDANT = 0.8  # a lead sentence adding no new term is still shown when it scores this close to the best
# Questions that ask for a list ("主要措施有哪些", "哪几条原则"): each item of a guidance list names itself.
_LIST = re.compile(r"哪些|哪几|有什么|几个方面|几条|措施|做法|经验|原则|途径|办法|方式")
_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")  # "（一）克扣、拖欠职工工资的；"


@dataclass
class Composition:
    answer: str
    citations: list[Citation]
    rule: RuleTrace | None = None
    missing: list[MissingFact] = field(default_factory=list)
    answered: bool = True


@dataclass
class _Sentence:
    rank: int  # of its clause among the hits
    index: int  # within its clause
    text: str
    tokens: set[str]  # question terms it holds
    lex: float
    sim: float
    weight: float
    score: float = 0.0


class Composer:
    def __init__(
        self,
        store: ClauseStore,
        tokenizer: Tokenizer,
        idf: Callable[[str], float],
        vectors: SentenceVectors | None = None,
        query_vector: Callable[[str], np.ndarray] | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.store = store
        self.reranker = reranker  # chooses the lead clause; without it, the clause of the best sentence leads
        self.tokenizer = tokenizer
        self.idf = idf
        self.vectors = vectors  # without them sentences are chosen by terms alone
        self.query_vector = query_vector
        # Corpus sentences recur across questions: tokenise each once (bounded by the corpus, ~1.4k sentences).
        self._tokens: dict[str, frozenset[str]] = {}

    # -- citations ------------------------------------------------------------------------

    def citation(self, clause: Clause, quote: str, note: str | None = None) -> Citation:
        doc = self.store.documents.get(clause.doc_id)
        src = self.store.quoted_sources.get(clause.doc_id)
        notice = note or (doc.notice if doc else None) or (src.notice if src else None)
        return Citation.of(clause, quote, notice)

    # -- retrieval answers ----------------------------------------------------------------

    def _matched(self, qtokens: set[str], sentence: str) -> set[str]:
        known = self._tokens.get(sentence)
        if known is None:
            known = self._tokens[sentence] = frozenset(self.tokenizer.tokens(sentence))
        return set(known & qtokens)

    def _candidates(self, query: Query, hits: Sequence[Hit]) -> tuple[list[_Sentence], dict[str, float]]:
        """Every sentence of the candidate clauses, scored by terms and (when vectors are loaded) meaning.

        score = (0.3·term share + 0.7·similarity) × clause weight, where term share is the idf mass of the
        question's terms the sentence holds, similarity is its cosine to the question min-max scaled over
        the candidates, and clause weight (½ + ½·score/top) keeps the retrieval ranking in the picture.
        Also returns each matched term's weight as a share of the question's, for choosing further clauses.
        """
        qtokens = set(query.tokens)
        qvec = self.query_vector(query.expanded) if self.vectors and self.query_vector else None
        top = hits[0].score if hits and hits[0].score > 0 else 1.0
        out: list[_Sentence] = []
        # a piece of a longer question word (数据 of 数据库) matched without that word weighs less
        pieces = {t for t in qtokens if any(t != u and t in u for u in qtokens)}
        for rank, hit in enumerate(hits):
            found = self.vectors.of(hit.clause.id) if self.vectors and qvec is not None else None
            sents = found[0] if found else sentences(hit.clause.text)
            sims = (found[1] @ qvec).tolist() if found and qvec is not None and len(sents) else [0.0] * len(sents)
            weight = 0.5 + 0.5 * max(0.0, min(1.0, hit.score / top))
            for i, (sent, sim) in enumerate(zip(sents, sims, strict=True)):
                toks = _longest(self._matched(qtokens, sent))
                out.append(_Sentence(rank, i, sent, toks, 0.0, float(sim), weight))
        # A term most candidates share (the topic, "会计师事务所") cannot tell them apart; one only a few
        # hold ("原则") is what the question asks about.
        n = len(out) or 1
        df: dict[str, int] = {}
        for c in out:
            for t in c.tokens:
                df[t] = df.get(t, 0) + 1
        weight_of = {t: self.idf(t) * math.log(1 + n / f) * (PARTIAL if t in pieces else 1.0) for t, f in df.items()}
        mass = sum(weight_of.get(t, 0.0) for t in _longest(qtokens)) or 1.0
        mass = max(mass, max((sum(weight_of[t] for t in c.tokens) for c in out), default=0.0)) or 1.0
        for c in out:
            c.lex = sum(weight_of[t] for t in c.tokens) / mass
        sims_all = [c.sim for c in out]
        lo, hi = (min(sims_all), max(sims_all)) if sims_all else (0.0, 0.0)
        for c in out:
            scaled = (c.sim - lo) / (hi - lo) if hi > lo else 0.0
            mixed = (1 - SIMILARITY_WEIGHT) * c.lex + SIMILARITY_WEIGHT * scaled if qvec is not None else c.lex
            c.score = mixed * c.weight
        return out, {t: w / mass for t, w in weight_of.items()}

    def candidates(self, query: Query, hits: Sequence[Hit]) -> list[Candidate]:
        """The candidate clauses with the signals the lead-clause reranker reads (also for fitting it)."""
        hits = list(hits[:CANDIDATES])
        scored, _ = self._candidates(query, hits)
        return self.clauses(hits, [c for c in scored if c.score > 0])

    @staticmethod
    def clauses(hits: Sequence[Hit], cands: Sequence[_Sentence]) -> list[Candidate]:
        out = []
        for rank, hit in enumerate(hits):
            mine = [c for c in cands if c.rank == rank]
            if mine:
                out.append(
                    Candidate(
                        hit.clause,
                        rank,
                        hit.score,
                        max(c.score for c in mine),
                        max(c.sim for c in mine),
                        max(c.lex for c in mine),
                    )
                )
        return out

    def named(self, query: Query) -> frozenset[str]:
        """The documents the question names ("劳动合同法", "指导材料", "章程")."""
        out = {d for d, doc in self.store.documents.items() if doc.short and doc.short in query.norm}
        if "指导" in query.norm:
            out.add("guidance")
        if "章程" in query.norm:
            out.add("acftu-constitution-2008")
        return frozenset(out)

    @staticmethod
    def listing(query: Query) -> bool:
        return bool(_LIST.search(query.norm))

    def _quote_owner(self, clause: Clause, sentence: str) -> Clause:
        """A sentence inside a rule quoted by the guidance is cited to that rule."""
        for qid in clause.quoted:
            rule = self.store[qid]
            if display(sentence).strip("“”") in display(rule.text):
                return rule
        return clause

    def from_hits(self, query: Query, hits: Sequence[Hit], faq: Match | None = None) -> Composition:
        """Lead with the clause holding the best sentence (whole when short, else its best sentences in
        reading order), then add the best sentence of other clauses that score close to it and bring
        question terms not yet covered; items of one guidance list each contribute their opening line.

        With a FAQ match (the question is one of a 问答对's variants) its clause leads with the span it binds."""
        hits = list(hits[:CANDIDATES])
        bound = self.store.get(faq.entry.clause) if faq is not None else None
        span = _sentences_of(bound.text, faq.entry.span) if bound is not None and faq is not None else []
        if bound is not None and span:
            others = [h for h in hits if h.clause.id != bound.id]
            hits = [Hit(bound, max((h.score for h in hits), default=1.0)), *others][:CANDIDATES]
        else:
            faq = None  # a span that no longer matches its clause is never served (Faq.problems reports it)
        scored, weights = self._candidates(query, hits)  # returned, not kept: one composer serves many threads
        cands = [c for c in scored if c.score > 0]
        if faq is not None:
            # the span leads, its clause's other sentences compete as usual: the entry binds the clause and the
            # sentence that must be quoted, not everything the question asks about
            top = max((c.score for c in cands), default=1.0)
            pinned = {i for i, _ in span}
            keep = [c for c in cands if not (c.rank == 0 and c.index in pinned)]
            qtokens = set(query.tokens)
            cands = keep + [_Sentence(0, i, x, self._matched(qtokens, x), 0.0, 1.0, 0.0, top) for i, x in span]
        if not cands:
            return Composition("", [], answered=False)
        best = max(cands, key=lambda c: (c.score, -c.rank, -c.index))
        if faq is not None:
            best = max((c for c in cands if c.rank == 0), key=lambda c: (c.score, -c.index))
        elif self.reranker is not None:
            clauses = self.clauses(hits, cands)
            lead_rank = self.reranker.best(clauses, query.norm, self.named(query), self.listing(query))
            best = max((c for c in cands if c.rank == lead_rank), key=lambda c: (c.score, -c.index))
        order = [best.rank] + [r for r in range(len(hits)) if r != best.rank]
        lead: list[str] = []  # every sentence shown, for the room left and for restatements
        parts: list[str] = []  # the lead paragraph: the lead clause's sentences only
        items: list[str] = []  # further items of the list the question asks for (sibling guidance paragraphs)
        related: list[str] = []  # other clauses, each with its source named
        cited: list[Citation] = []
        covered: set[str] = set()
        notes: list[str] = []
        head = hits[best.rank].clause
        listing = self.listing(query)
        for n, rank in enumerate(order):
            hit = hits[rank]
            mine = sorted((c for c in cands if c.rank == rank), key=lambda c: (-c.score, c.index))
            sibling = (
                n > 0
                and hit.clause.doc_id == "guidance"
                and hit.clause.heading_path == head.heading_path
                and listing
            )
            room = MAX_LEAD - len("".join(lead))
            chosen: list[_Sentence]
            if n == 0 and len(display(hit.clause.text)) <= min(room, SHORT_CLAUSE):
                chosen = sorted(mine, key=lambda c: c.index)
                whole = sentences(hit.clause.text)
                if len(whole) != len(chosen):  # quote it whole: the conditions belong to the answer
                    known = {c.text: c.tokens for c in mine}
                    chosen = [_Sentence(rank, i, x, set(known.get(x, ())), 0, 0, 0) for i, x in enumerate(whole)]
            elif n == 0:
                chosen = []
                for c in mine:
                    if (
                        len(chosen) == 3
                        or c.score < 0.5 * best.score
                        or sum(len(x.text) for x in chosen) + len(c.text) > room
                    ):
                        continue
                    if (
                        chosen
                        and not (c.tokens - set().union(*(x.tokens for x in chosen)))
                        and c.sim <= max(x.sim for x in chosen)
                        and c.score < REDUNDANT * best.score
                    ):
                        continue
                    chosen.append(c)
                chosen.sort(key=lambda c: c.index)
            else:
                # a sentence that restates one already shown (the guidance quoting a rule) is passed over
                pick = next((c for c in mine if len(c.text) <= room and not _restates(c.text, lead)), None)
                # another clause joins only with a sentence nearly as good that brings question terms of
                # weight not yet covered (a shared generic word such as 用人单位 is not a reason) or that is
                # closer in meaning to the question than the lead itself
                new = sum(weights.get(t, 0.0) for t in pick.tokens - covered) if pick else 0.0
                close = (
                    pick is not None and pick.score >= 0.6 * best.score and (new >= NEW_TERMS or pick.sim > best.sim)
                )
                if not close:
                    if not sibling:
                        continue
                    # items of one list ("指导原则有哪些"): each item's opening sentence names it
                    first = sentences(hit.clause.text)[0]
                    if len(first) > room:
                        continue
                    pick = _Sentence(rank, 0, first, set(), 0, 0, 0)
                assert pick is not None
                chosen = [pick]
            if not chosen:
                continue
            chosen = self._with_intro(hit, rank, chosen)
            if n == 0:
                chosen = self._with_items(hit, rank, chosen, listing)
            texts = [c.text for c in chosen]
            lead.extend(texts)
            if n == 0:
                parts.extend(texts)
            elif sibling:
                items.append("".join(texts))
            else:
                related.append(f"{hit.clause.cite}：" + "".join(texts))
            covered |= set().union(*(c.tokens for c in chosen))
            for c in chosen:
                owner = self._quote_owner(hit.clause, c.text)
                cited.append(self.citation(owner, c.text.strip("“”")))
                if owner is not hit.clause:
                    cited.append(self.citation(hit.clause, c.text.strip("“”")))
            notes.extend(self._old_numbering(hit.clause, cited))
        if not lead:
            return Composition("", [], answered=False)
        answer = "".join(parts)
        if items:
            answer += "\n" + "\n".join(items)
        if related:
            answer += "\n相关规定：\n" + "\n".join(f"· {r}" for r in related)
        if notes:
            answer += "\n注：" + "；".join(dict.fromkeys(notes)) + "。"
        return Composition(answer, cited)

    @staticmethod
    def _with_items(hit: Hit, rank: int, chosen: list[_Sentence], listing: bool) -> list[_Sentence]:
        """A list's opening sentence ("…职权是：", "主要内容是：") never ends the lead: its items follow (each item
        a line of the clause, however many sentences it holds), every one when the question asks for the list,
        else as many as fit."""
        whole = sentences(hit.clause.text)
        have = {c.index for c in chosen}
        out = list(chosen)
        for c in chosen:
            if not c.text.rstrip("”」").endswith(("：", ":")):
                continue
            rest = hit.clause.text.split(c.text, 1)[-1].split("\n")
            lines = []
            for line in (x.strip() for x in rest):
                if not line:
                    continue
                if not _ITEM.match(line):
                    break
                lines.append(line)
            listed = "\n".join(lines)
            size = sum(len(x.text) for x in out)
            for i in range(c.index + 1, len(whole)):
                if i in have or whole[i] not in listed:
                    continue
                if not listing and size + len(whole[i]) > MAX_LIST:
                    break
                out.append(_Sentence(rank, i, whole[i], set(), 0, 0, 0))
                have.add(i)
                size += len(whole[i])
        return sorted(out, key=lambda c: c.index)

    @staticmethod
    def _with_intro(hit: Hit, rank: int, chosen: list[_Sentence]) -> list[_Sentence]:
        """An enumerated item ("（一）克扣、拖欠职工工资的；") says nothing without the sentence that
        introduces the list ("…有下列侵犯职工劳动权益情形，工会应当…交涉"): bring that sentence along."""
        if not any(_ITEM.match(c.text) for c in chosen):
            return chosen
        whole = sentences(hit.clause.text)
        have = {c.index for c in chosen}
        first = min(c.index for c in chosen if _ITEM.match(c.text))
        intro = [i for i in range(first) if whole[i].endswith(("：", ":"))]
        start = intro[-1] if intro else None
        if start is None or start in have:
            return chosen
        # the intro's own sentence may begin earlier (…交涉，要求…；…拒不改正的，…处理：)
        while start > 0 and not whole[start - 1].endswith(("。", "：", ":")) and start - 1 not in have:
            start -= 1
        extra = [_Sentence(rank, i, whole[i], set(), 0, 0, 0) for i in range(start, intro[-1] + 1) if i not in have]
        return sorted([*chosen, *extra], key=lambda c: c.index)

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


def _sentences_of(text: str, span: str) -> list[tuple[int, str]]:
    """(index, sentence) of the clause's sentences the span covers (a span may be one sentence or several)."""
    want = display(span)
    return [(i, x) for i, x in enumerate(sentences(text)) if x and (x in want or want in x)]


def _longest(tokens: set[str]) -> set[str]:
    """Search-mode tokens overlap (会计, 会计师, 会计师事务所): count a word once, by its longest match."""
    return {t for t in tokens if not any(t != u and t in u for u in tokens)}


def _restates(sentence: str, shown: list[str]) -> bool:
    """The sentence holds, or is held by, one already shown ("第五条规定:“…应予纠正。”" and the rule)."""
    core = sentence.strip('“”"')
    return any(x.strip('“”"') in core or core in x for x in shown)
