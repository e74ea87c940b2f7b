"""Candidate scoring and selection: which sentences of which clauses an answer quotes, before any text is written.

A sentence's score mixes the share of the question's terms it holds (idf mass, a term weighing more the fewer
candidate sentences hold it) with its cosine to the question; the lead clause is the reranker's choice (else the
clause of the best sentence); further clauses join only with a sentence nearly as good that brings terms not yet
covered. The outcome is a `Selection`: sentences and citations as data, rendered by `answer.render`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answer.policy import DEFAULT, SelectionPolicy
from assistant.answer.reply import Citation
from assistant.answer.rerank import Candidate, Reranker
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.corpus.base import Tier
from assistant.faq.base import Match
from assistant.index.sentences import SentenceVectors
from assistant.retrieve.base import Hit, Query
from assistant.text.normalize import display
from assistant.text.sentences import sentences
from assistant.text.tokenize import Tokenizer

# Questions that ask for a list ("主要措施有哪些", "哪几条原则"): each item of a guidance list names itself.
_LIST = re.compile(r"哪些|哪几|有什么|几个方面|几条|措施|做法|经验|原则|途径|办法|方式")
ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")  # "（一）克扣、拖欠职工工资的；"


@dataclass
class Sentence:
    rank: int  # of its clause among the hits
    index: int  # within its clause
    text: str
    tokens: set[str]  # question terms it holds
    lex: float
    sim: float
    weight: float
    score: float = 0.0


@dataclass(frozen=True)
class Renumbered:
    """A clause cites an article by a superseded text's number (`old`); `new` is the article in force."""

    citing: Clause
    old: Clause
    new: Clause


@dataclass
class Selection:
    """What a retrieval answer quotes: the lead clause's sentences in reading order, further items of the list the
    question asks for, other clauses' sentences (each shown under its source), the citations of all of them, and
    articles the text cites by an old number."""

    lead: list[str]
    items: list[str] = field(default_factory=list)
    related: list[tuple[Clause, str]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    renumbered: list[Renumbered] = field(default_factory=list)


def citation(store: ClauseStore, clause: Clause, quote: str, note: str | None = None) -> Citation:
    """A citation with its document's notice (superseded, partial, known only through quotes)."""
    doc = store.documents.get(clause.doc_id)
    src = store.quoted_sources.get(clause.doc_id)
    notice = note or (doc.notice if doc else None) or (src.notice if src else None)
    return Citation.of(clause, quote, notice)


def listing(query: Query) -> bool:
    """The question asks for the items of an enumeration."""
    return bool(_LIST.search(query.norm))


class Scorer:
    """Scores every sentence of the candidate clauses by terms and (when vectors are loaded) meaning."""

    def __init__(
        self,
        tokenizer: Tokenizer,
        idf: Callable[[str], float],
        vectors: SentenceVectors | None = None,
        query_vector: Callable[[str], np.ndarray] | None = None,
        policy: SelectionPolicy = DEFAULT,
    ) -> None:
        self.tokenizer = tokenizer
        self.idf = idf
        self.vectors = vectors  # without them sentences are chosen by terms alone
        self.query_vector = query_vector
        self.policy = policy
        # Corpus sentences recur across questions: tokenise each once (bounded by the corpus, ~1.4k sentences).
        self._tokens: dict[str, frozenset[str]] = {}

    def matched(self, qtokens: set[str], sentence: str) -> set[str]:
        known = self._tokens.get(sentence)
        if known is None:
            known = self._tokens[sentence] = frozenset(self.tokenizer.tokens(sentence))
        return set(known & qtokens)

    def score(self, query: Query, hits: Sequence[Hit]) -> tuple[list[Sentence], dict[str, float]]:
        """score = (0.3·term share + 0.7·similarity) × clause weight, where term share is the idf mass of the
        question's terms the sentence holds, similarity is its cosine to the question min-max scaled over
        the candidates, and clause weight (½ + ½·score/top) keeps the retrieval ranking in the picture.
        Also returns each matched term's weight as a share of the question's, for choosing further clauses.
        """
        p = self.policy
        qtokens = set(query.tokens)
        qvec = self.query_vector(query.expanded) if self.vectors and self.query_vector else None
        top = hits[0].score if hits and hits[0].score > 0 else 1.0
        out: list[Sentence] = []
        # a piece of a longer question word (数据 of 数据库) matched without that word weighs less
        pieces = {t for t in qtokens if any(t != u and t in u for u in qtokens)}
        for rank, hit in enumerate(hits):
            found = self.vectors.of(hit.clause.id) if self.vectors and qvec is not None else None
            sents = found[0] if found else sentences(hit.clause.text)
            sims = (found[1] @ qvec).tolist() if found and qvec is not None and len(sents) else [0.0] * len(sents)
            weight = 0.5 + 0.5 * max(0.0, min(1.0, hit.score / top))
            for i, (sent, sim) in enumerate(zip(sents, sims, strict=True)):
                toks = longest(self.matched(qtokens, sent))
                out.append(Sentence(rank, i, sent, toks, 0.0, float(sim), weight))
        # A term most candidates share (the topic, "会计师事务所") cannot tell them apart; one only a few
        # hold ("原则") is what the question asks about.
        n = len(out) or 1
        df: dict[str, int] = {}
        for c in out:
            for t in c.tokens:
                df[t] = df.get(t, 0) + 1
        weight_of = {t: self.idf(t) * math.log(1 + n / f) * (p.partial if t in pieces else 1.0) for t, f in df.items()}
        mass = sum(weight_of.get(t, 0.0) for t in longest(qtokens)) or 1.0
        mass = max(mass, max((sum(weight_of[t] for t in c.tokens) for c in out), default=0.0)) or 1.0
        for c in out:
            c.lex = sum(weight_of[t] for t in c.tokens) / mass
        sims_all = [c.sim for c in out]
        lo, hi = (min(sims_all), max(sims_all)) if sims_all else (0.0, 0.0)
        for c in out:
            scaled = (c.sim - lo) / (hi - lo) if hi > lo else 0.0
            mixed = (1 - p.similarity_weight) * c.lex + p.similarity_weight * scaled if qvec is not None else c.lex
            c.score = mixed * c.weight
        return out, {t: w / mass for t, w in weight_of.items()}


def clause_candidates(hits: Sequence[Hit], cands: Sequence[Sentence]) -> list[Candidate]:
    """Each hit with a scoring sentence, with the signals the lead-clause reranker reads."""
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


class Selector:
    """Chooses the sentences a retrieval answer quotes (see the module docstring); holds no per-question state, so
    one selector serves many threads."""

    def __init__(
        self,
        store: ClauseStore,
        scorer: Scorer,
        reranker: Reranker | None = None,
        policy: SelectionPolicy = DEFAULT,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.reranker = reranker  # chooses the lead clause; without it, the clause of the best sentence leads
        self.policy = policy

    def candidates(self, query: Query, hits: Sequence[Hit]) -> list[Candidate]:
        """The candidate clauses with the signals the lead-clause reranker reads (also for fitting it)."""
        hits = list(hits[: self.policy.candidates])
        scored, _ = self.scorer.score(query, hits)
        return clause_candidates(hits, [c for c in scored if c.score > 0])

    def named(self, query: Query) -> frozenset[str]:
        """The documents the question names by their short title or a name the registry gives them."""
        return frozenset(
            d
            for d, doc in self.store.documents.items()
            if (doc.short and doc.short in query.norm) or any(n in query.norm for n in doc.names)
        )

    def select(self, query: Query, hits: Sequence[Hit], faq: Match | None = None) -> Selection | None:
        """Lead with the clause holding the best sentence (whole when short, else its best sentences in
        reading order), then add the best sentence of other clauses that score close to it and bring
        question terms not yet covered; items of one guidance list each contribute their opening line.

        With a FAQ match (the question is one of a 问答对's variants) its clause leads with the span it binds."""
        p = self.policy
        hits = list(hits[: p.candidates])
        bound = self.store.get(faq.entry.clause) if faq is not None else None
        span = _sentences_of(bound.text, faq.entry.span) if bound is not None and faq is not None else []
        if bound is not None and span:
            others = [h for h in hits if h.clause.id != bound.id]
            hits = [Hit(bound, max((h.score for h in hits), default=1.0)), *others][: p.candidates]
        else:
            faq = None  # a span that no longer matches its clause is never served (Faq.problems reports it)
        scored, weights = self.scorer.score(query, hits)  # returned, not kept: one selector serves many threads
        cands = [c for c in scored if c.score > 0]
        if faq is not None:
            # the span leads, its clause's other sentences compete as usual: the entry binds the clause and the
            # sentence that must be quoted, not everything the question asks about
            top = max((c.score for c in cands), default=1.0)
            pinned = {i for i, _ in span}
            keep = [c for c in cands if not (c.rank == 0 and c.index in pinned)]
            qtokens = set(query.tokens)
            cands = keep + [Sentence(0, i, x, self.scorer.matched(qtokens, x), 0.0, 1.0, 0.0, top) for i, x in span]
        if not cands:
            return None
        best = max(cands, key=lambda c: (c.score, -c.rank, -c.index))
        if faq is not None:
            best = max((c for c in cands if c.rank == 0), key=lambda c: (c.score, -c.index))
        elif self.reranker is not None:
            clauses = clause_candidates(hits, cands)
            lead_rank = self.reranker.best(clauses, query.norm, self.named(query), listing(query))
            best = max((c for c in cands if c.rank == lead_rank), key=lambda c: (c.score, -c.index))
        order = [best.rank] + [r for r in range(len(hits)) if r != best.rank]
        shown: list[str] = []  # every sentence shown, for the room left and for restatements
        out = Selection(lead=[])
        covered: set[str] = set()
        head = hits[best.rank].clause
        asks_list = listing(query)
        for n, rank in enumerate(order):
            hit = hits[rank]
            mine = sorted((c for c in cands if c.rank == rank), key=lambda c: (-c.score, c.index))
            sibling = (
                n > 0
                and hit.clause.tier is Tier.GUIDANCE
                and hit.clause.heading_path == head.heading_path
                and asks_list
            )
            room = p.max_lead - len("".join(shown))
            if n == 0:
                chosen = self._lead(hit, rank, mine, best, room)
            else:
                pick = self._further(hit, rank, mine, best, room, shown, weights, covered, sibling)
                chosen = [pick] if pick is not None else []
            if not chosen:
                continue
            chosen = self._with_intro(hit, rank, chosen)
            if n == 0:
                chosen = self._with_items(hit, rank, chosen, asks_list)
            texts = [c.text for c in chosen]
            shown.extend(texts)
            if n == 0:
                out.lead.extend(texts)
            elif sibling:
                out.items.append("".join(texts))
            else:
                out.related.append((hit.clause, "".join(texts)))
            covered |= set().union(*(c.tokens for c in chosen))
            for c in chosen:
                owner = self._quote_owner(hit.clause, c.text)
                out.citations.append(citation(self.store, owner, c.text.strip("“”")))
                if owner is not hit.clause:
                    out.citations.append(citation(self.store, hit.clause, c.text.strip("“”")))
            out.renumbered.extend(self._renumbered(hit.clause, out.citations))
        return out if shown else None

    def _lead(self, hit: Hit, rank: int, mine: list[Sentence], best: Sentence, room: int) -> list[Sentence]:
        """The lead clause's sentences: all of a short clause, else its best few in reading order."""
        p = self.policy
        if len(display(hit.clause.text)) <= min(room, p.short_clause):
            chosen = sorted(mine, key=lambda c: c.index)
            whole = sentences(hit.clause.text)
            if len(whole) != len(chosen):  # quote it whole: the conditions belong to the answer
                known = {c.text: c.tokens for c in mine}
                chosen = [Sentence(rank, i, x, set(known.get(x, ())), 0, 0, 0) for i, x in enumerate(whole)]
            return chosen
        chosen = []
        for c in mine:
            if (
                len(chosen) == p.lead_sentences
                or c.score < p.lead_floor * best.score
                or sum(len(x.text) for x in chosen) + len(c.text) > room
            ):
                continue
            if (
                chosen
                and not (c.tokens - set().union(*(x.tokens for x in chosen)))
                and c.sim <= max(x.sim for x in chosen)
                and c.score < p.redundant * best.score
            ):
                continue
            chosen.append(c)
        return sorted(chosen, key=lambda c: c.index)

    def _further(
        self,
        hit: Hit,
        rank: int,
        mine: list[Sentence],
        best: Sentence,
        room: int,
        shown: list[str],
        weights: dict[str, float],
        covered: set[str],
        sibling: bool,
    ) -> Sentence | None:
        """Another clause's one sentence, when it earns its place; a sibling list item by its opening line."""
        p = self.policy
        # a sentence that restates one already shown (the guidance quoting a rule) is passed over
        pick = next((c for c in mine if len(c.text) <= room and not _restates(c.text, shown)), None)
        # another clause joins only with a sentence nearly as good that brings question terms of weight not yet
        # covered (a shared generic word such as 用人单位 is not a reason) or that is closer in meaning to the
        # question than the lead itself
        new = sum(weights.get(t, 0.0) for t in pick.tokens - covered) if pick else 0.0
        close = (
            pick is not None and pick.score >= p.join_floor * best.score and (new >= p.new_terms or pick.sim > best.sim)
        )
        if close:
            return pick
        if not sibling:
            return None
        # items of one list ("指导原则有哪些"): each item's opening sentence names it
        first = sentences(hit.clause.text)[0]
        if len(first) > room:
            return None
        return Sentence(rank, 0, first, set(), 0, 0, 0)

    def _quote_owner(self, clause: Clause, sentence: str) -> Clause:
        """A sentence inside a rule quoted by the guidance is cited to that rule."""
        for qid in clause.quoted:
            rule = self.store[qid]
            if display(sentence).strip("“”") in display(rule.text):
                return rule
        return clause

    def _with_items(self, hit: Hit, rank: int, chosen: list[Sentence], asks_list: bool) -> list[Sentence]:
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
                if not ITEM.match(line):
                    break
                lines.append(line)
            listed = "\n".join(lines)
            size = sum(len(x.text) for x in out)
            for i in range(c.index + 1, len(whole)):
                if i in have or whole[i] not in listed:
                    continue
                if not asks_list and size + len(whole[i]) > self.policy.max_list:
                    break
                out.append(Sentence(rank, i, whole[i], set(), 0, 0, 0))
                have.add(i)
                size += len(whole[i])
        return sorted(out, key=lambda c: c.index)

    @staticmethod
    def _with_intro(hit: Hit, rank: int, chosen: list[Sentence]) -> list[Sentence]:
        """An enumerated item ("（一）克扣、拖欠职工工资的；") says nothing without the sentence that
        introduces the list ("…有下列侵犯职工劳动权益情形，工会应当…交涉"): bring that sentence along."""
        if not any(ITEM.match(c.text) for c in chosen):
            return chosen
        whole = sentences(hit.clause.text)
        have = {c.index for c in chosen}
        first = min(c.index for c in chosen if ITEM.match(c.text))
        intro = [i for i in range(first) if whole[i].endswith(("：", ":"))]
        start = intro[-1] if intro else None
        if start is None or start in have:
            return chosen
        # the intro's own sentence may begin earlier (…交涉，要求…；…拒不改正的，…处理：)
        while start > 0 and not whole[start - 1].endswith(("。", "：", ":")) and start - 1 not in have:
            start -= 1
        extra = [Sentence(rank, i, whole[i], set(), 0, 0, 0) for i in range(start, intro[-1] + 1) if i not in have]
        return sorted([*chosen, *extra], key=lambda c: c.index)

    def _renumbered(self, clause: Clause, cited: list[Citation]) -> list[Renumbered]:
        """Articles the clause cites by a superseded text's number: the one in force is cited first."""
        out = []
        for rid in clause.refs:
            old = self.store[rid]
            new = self.store.current(old)
            if not old.superseded or new is old or new.number == old.number:
                continue
            out.append(Renumbered(clause, old, new))
            if all(c.id != new.id for c in cited):
                cited.insert(0, citation(self.store, new, sentences(new.text)[0]))
        return out


def _sentences_of(text: str, span: str) -> list[tuple[int, str]]:
    """(index, sentence) of the clause's sentences the span covers (a span may be one sentence or several)."""
    want = display(span)
    return [(i, x) for i, x in enumerate(sentences(text)) if x and (x in want or want in x)]


def longest(tokens: set[str]) -> set[str]:
    """Search-mode tokens overlap (会计, 会计师, 会计师事务所): count a word once, by its longest match."""
    return {t for t in tokens if not any(t != u and t in u for u in tokens)}


def _restates(sentence: str, shown: list[str]) -> bool:
    """The sentence holds, or is held by, one already shown ("第五条规定:“…应予纠正。”" and the rule)."""
    core = sentence.strip('“”"')
    return any(x.strip('“”"') in core or core in x for x in shown)
