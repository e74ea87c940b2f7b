"""Systems under evaluation: the full assistant with per-stage timing, and the retrieval-only and naive baselines."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assistant.answer.pipeline import Answerer
from assistant.answer.reply import Citation, Reply, ReplyStatus
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.eval.metrics import dedupe
from assistant.eval.naive import NaiveIndex
from assistant.retrieve import InvalidQuery
from assistant.text.normalize import display
from assistant.text.sentences import sentences

STAGES = ("retrieve", "rules", "scope", "compose", "other")


@dataclass
class Outcome:
    """One system's reply to one item: the reply contract as a dict, its clause ranking and its timings (ms)."""

    reply: dict[str, Any]
    ranked: list[str]
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def total_ms(self) -> float:
        return self.stages.get("total", 0.0)


class System(Protocol):
    name: str

    def run(self, question: str, history: list[dict[str, str]]) -> Outcome: ...


class StageClock:
    """Accumulates wall time per stage for one call; nested timed calls count toward the outermost stage."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._depth = 0

    def reset(self) -> None:
        self.times = {}
        self._depth = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._depth:
            yield
            return
        self._depth += 1
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self._depth -= 1
            self.times[name] = self.times.get(name, 0.0) + (time.perf_counter() - t0) * 1000

    def snapshot(self, total_ms: float) -> dict[str, float]:
        """Every stage (0 when skipped), `other` = what no stage covered (input checks, rewrite, gate), `total`."""
        out = {s: round(self.times.get(s, 0.0), 3) for s in STAGES if s != "other"}
        out["other"] = round(max(total_ms - sum(self.times.values()), 0.0), 3)
        out["total"] = round(total_ms, 3)
        return out


class Timed:
    """Delegates every attribute to `target`; calls to the named methods are timed under `stage`, and their
    results passed through `wrap[name]` when given (the rules engine's conversation is itself timed)."""

    def __init__(
        self,
        target: Any,
        clock: StageClock,
        stage: str,
        methods: Sequence[str],
        wrap: dict[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        self._target = target
        self._clock = clock
        self._stage = stage
        self._methods = frozenset(methods)
        self._wrap = wrap or {}

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if name not in self._methods:
            return attr
        post = self._wrap.get(name, lambda x: x)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self._clock.stage(self._stage):
                return post(attr(*args, **kwargs))

        return timed


def timed_answerer(answerer: Answerer, clock: StageClock) -> Answerer:
    """A copy of the answerer whose components report to `clock`; the pipeline code itself is untouched.

    retrieve = hybrid retrieval (also the rule/retrieval arbitration's top-1 search); rules = the rules
    engine's conversation (slot filling and decision, history replayed); scope = the precheck and the
    calibrated gate; compose = the composer (retrieval, rule and article answers).
    """

    def conv(c: Any) -> Any:
        return Timed(c, clock, "rules", ["ask"])

    parts: dict[str, Any] = {
        "retriever": Timed(answerer.retriever, clock, "retrieve", ["retrieve", "search"]),
        "rules": Timed(answerer.rules, clock, "rules", ["conversation"], {"conversation": conv}),
        "scope": Timed(answerer.scope, clock, "scope", ["precheck", "judge", "domain_hits"]),
        "composer": Timed(
            answerer.composer, clock, "compose", ["from_hits", "from_rule", "from_reference", "citation"]
        ),
    }
    return replace(answerer, **parts)


class FullSystem:
    """The assistant as users get it (`Assistant.ask`), timed per stage."""

    name = "full"

    def __init__(self, answerer: Answerer) -> None:
        self.clock = StageClock()
        self._answerer = timed_answerer(answerer, self.clock)

    def run(self, question: str, history: list[dict[str, str]]) -> Outcome:
        self.clock.reset()
        t0 = time.perf_counter()
        reply = self._answerer.ask(question, history)
        total = (time.perf_counter() - t0) * 1000
        data = reply.to_dict()
        return Outcome(data, dedupe(str(c["id"]) for c in data["citations"]), self.clock.snapshot(total))


def first_sentence(clause: Clause) -> str:
    s = sentences(clause.text)
    return s[0] if s else display(clause.text)[:80]


def _reply(status: ReplyStatus, answer: str, citations: list[Citation], version: str) -> dict[str, Any]:
    return Reply(status=status, answer=answer, citations=citations, corpus_version=version).to_dict()


def _citation(clause: Clause, quote: str) -> Citation:
    return Citation.of(clause, quote)


class RetrievalSystem:
    """A retriever alone: answer = the top clause's text, citations = the top `cite_k` clauses quoting their
    first sentence, status answered unless nothing came back; no rules, no scope gate, no history."""

    def __init__(self, name: str, retriever: Any, version: str, cite_k: int = 5, rank_k: int = 10) -> None:
        self.name = name
        self.retriever = retriever
        self.version = version
        self.cite_k = cite_k
        self.rank_k = rank_k

    def run(self, question: str, history: list[dict[str, str]]) -> Outcome:
        t0 = time.perf_counter()
        try:
            hits = self.retriever.search(question, self.rank_k)
        except InvalidQuery as exc:  # the retrievers' own input check (empty / over-long)
            ms = (time.perf_counter() - t0) * 1000
            return Outcome(
                _reply(ReplyStatus.NEEDS_MORE_INFO, str(exc), [], self.version), [], {"retrieve": ms, "total": ms}
            )
        ms = (time.perf_counter() - t0) * 1000
        clauses = [h.clause for h in hits]
        if not clauses:
            reply = _reply(ReplyStatus.OUT_OF_SCOPE, "", [], self.version)
        else:
            cites = [_citation(c, first_sentence(c)) for c in clauses[: self.cite_k]]
            reply = _reply(ReplyStatus.ANSWERED, display(clauses[0].text), cites, self.version)
        return Outcome(reply, [c.id for c in clauses], {"retrieve": round(ms, 3), "total": round(ms, 3)})


class NaiveSystem:
    """The naive LangChain recipe: answer = the top chunks joined, citations = the clauses the chunks map to,
    each quoting its chunk (a chunk that straddles two clauses is not verbatim in either)."""

    name = "naive"

    def __init__(self, index: NaiveIndex, store: ClauseStore, version: str, k: int = 4) -> None:
        self.index = index
        self.store = store
        self.version = version
        self.k = k

    def run(self, question: str, history: list[dict[str, str]]) -> Outcome:
        t0 = time.perf_counter()
        chunks = self.index.search(question, self.k)
        ms = (time.perf_counter() - t0) * 1000
        cites = []
        for ch in chunks:
            clause = self.store.get(str(ch.metadata.get("clause_id", "")))
            if clause is not None:
                cites.append(_citation(clause, ch.page_content.strip()))
        status = ReplyStatus.ANSWERED if chunks else ReplyStatus.OUT_OF_SCOPE
        reply = _reply(status, "\n\n".join(ch.page_content.strip() for ch in chunks), cites, self.version)
        return Outcome(reply, dedupe(c.id for c in cites), {"retrieve": round(ms, 3), "total": round(ms, 3)})
