"""Composer: a reply's text and citations from retrieval hits (select → render), a rule's result or an article.

Retrieval answers lead with the sentence(s) of the clause that best answers (answer.select), rendered with every
other clause under its source name (answer.render); every sentence shown is cited with a verbatim quote. Rule
answers are the rule's conclusion, its derivation and its basis; direct references quote the whole article from
the version asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answer import render
from assistant.answer.policy import DEFAULT, SelectionPolicy
from assistant.answer.reply import Citation, MissingFact, RuleTrace
from assistant.answer.rerank import Candidate, Reranker
from assistant.answer.select import Scorer, Selector, citation, listing
from assistant.clauses.address import Reference
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.faq.base import Match
from assistant.index.sentences import SentenceVectors
from assistant.retrieve.base import Hit, Query
from assistant.rules.base import RuleResult, Status
from assistant.text.normalize import display
from assistant.text.tokenize import Tokenizer


@dataclass
class Composition:
    answer: str
    citations: list[Citation]
    rule: RuleTrace | None = None
    missing: list[MissingFact] = field(default_factory=list)
    answered: bool = True


class Composer:
    def __init__(
        self,
        store: ClauseStore,
        tokenizer: Tokenizer,
        idf: Callable[[str], float],
        vectors: SentenceVectors | None = None,
        query_vector: Callable[[str], np.ndarray] | None = None,
        reranker: Reranker | None = None,
        policy: SelectionPolicy = DEFAULT,
    ) -> None:
        self.store = store
        self.selector = Selector(store, Scorer(tokenizer, idf, vectors, query_vector, policy), reranker, policy)

    def citation(self, clause: Clause, quote: str, note: str | None = None) -> Citation:
        return citation(self.store, clause, quote, note)

    # -- retrieval answers ----------------------------------------------------------------

    def candidates(self, query: Query, hits: Sequence[Hit]) -> list[Candidate]:
        return self.selector.candidates(query, hits)

    def named(self, query: Query) -> frozenset[str]:
        return self.selector.named(query)

    @staticmethod
    def listing(query: Query) -> bool:
        return listing(query)

    def from_hits(self, query: Query, hits: Sequence[Hit], faq: Match | None = None) -> Composition:
        sel = self.selector.select(query, hits, faq)
        if sel is None:
            return Composition("", [], answered=False)
        return Composition(render.retrieval(sel, self.store), sel.citations)

    # -- direct references ----------------------------------------------------------------

    def from_reference(self, ref: Reference) -> Composition:
        if ref.clause_id is None:
            doc = self.store.documents.get(ref.doc_id) or self.store.quoted_sources.get(ref.doc_id)
            title = doc.short if doc else ref.name
            total = len([c for c in self.store.by_doc(ref.doc_id) if c.number is not None])
            quoted_only = ref.doc_id in self.store.quoted_sources
            return Composition(render.no_article(title, ref.number, None if quoted_only else total), [], answered=False)
        clause = self.store[ref.clause_id]
        cited = [self.citation(clause, display(clause.text))]
        current = old = None
        if clause.superseded:
            new = self.store.current(clause)
            if new is not clause:
                current = new
                cited.insert(0, self.citation(new, display(new.text)))
        elif clause.versions:
            olds = [self.store[v] for v in clause.versions if self.store[v].superseded]
            if olds and olds[0].number != clause.number:
                old = olds[0]
        return Composition(render.article(clause, self.store, current, old), cited)

    # -- rule answers ---------------------------------------------------------------------

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
        answer = render.rule(result, self.store)
        if result.status is Status.DECIDED:
            return Composition(answer, cited, rule)
        missing = [MissingFact(name=s.name, question=s.question) for s in result.missing]
        return Composition(answer, cited, rule, missing, answered=False)
