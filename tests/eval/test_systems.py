"""The evaluated systems without a model: stage timing proxies, retrieval-only and naive baselines on fakes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest
from langchain_core.documents import Document

from assistant.clauses import ClauseStore
from assistant.eval.systems import NaiveSystem, RetrievalSystem, StageClock, Timed, first_sentence
from assistant.retrieve import InvalidQuery


def test_stage_clock_accumulates_and_reports_other() -> None:
    clock = StageClock()
    with clock.stage("retrieve"):
        time.sleep(0.002)
    with clock.stage("retrieve"), clock.stage("compose"):  # nested: counted toward the outer stage only
        time.sleep(0.002)
    # a total far above the sleeps, so a slow machine cannot push the stages past it
    snap = clock.snapshot(total_ms=1000.0)
    assert snap["retrieve"] >= 4.0 and snap["compose"] == 0.0 and snap["rules"] == 0.0
    assert snap["other"] == pytest.approx(1000.0 - snap["retrieve"], abs=1e-2) and snap["total"] == 1000.0
    clock.reset()
    assert clock.snapshot(1.0)["retrieve"] == 0.0


class Engine:
    def __init__(self) -> None:
        self.calls = 0
        self.name = "engine"

    def conversation(self) -> Conversation:
        return Conversation()

    def other(self) -> str:
        self.calls += 1
        return "untimed"


class Conversation:
    def ask(self, q: str) -> str:
        time.sleep(0.002)
        return q + "!"


def test_timed_proxy_times_named_methods_and_wraps_results() -> None:
    clock = StageClock()
    engine = Engine()
    proxy: Any = Timed(
        engine, clock, "rules", ["conversation"], {"conversation": lambda c: Timed(c, clock, "rules", ["ask"])}
    )
    assert proxy.name == "engine" and proxy.other() == "untimed" and engine.calls == 1  # plain delegation
    assert clock.times == {}
    conv = proxy.conversation()
    assert conv.ask("q") == "q!"
    assert clock.times["rules"] >= 2.0


@dataclass
class Hit:
    clause: Any
    score: float = 1.0


class FakeRetriever:
    def __init__(self, store: ClauseStore, ids: list[str]) -> None:
        self.store, self.ids = store, ids

    def search(self, q: str, k: int) -> list[Hit]:
        if not q.strip():
            raise InvalidQuery("问题为空")
        return [Hit(self.store[i]) for i in self.ids[:k]]


def test_retrieval_system_answers_with_top_clause_and_first_sentences(store: ClauseStore) -> None:
    ids = [c.id for c in list(store)[:12]]
    sys = RetrievalSystem("bm25", FakeRetriever(store, ids), "v1", cite_k=5, rank_k=10)
    out = sys.run("工会", [])
    assert out.reply["status"] == "answered"
    assert [c["id"] for c in out.reply["citations"]] == ids[:5]
    assert out.ranked == ids[:10]
    assert out.reply["answer"].startswith(first_sentence(store[ids[0]])[:10])
    assert all(c["quote"] == first_sentence(store[c["id"]]) for c in out.reply["citations"])
    assert out.stages["total"] == out.stages["retrieve"] >= 0 and out.reply["corpus_version"] == "v1"
    assert sys.run("   ", []).reply["status"] == "needs_more_info"  # the retriever's own input check
    assert RetrievalSystem("x", FakeRetriever(store, []), "v1").run("工会", []).reply["status"] == "out_of_scope"


class FakeNaive:
    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs

    def search(self, q: str, k: int) -> list[Document]:
        return self.docs[:k]


def test_naive_system_cites_the_clauses_its_chunks_map_to(store: ClauseStore) -> None:
    a, b = store["union-law-2021/art-11"], store["union-law-2021/art-43"]
    docs = [
        Document(page_content=a.text[:40], metadata={"clause_id": a.id}),
        Document(page_content="第四十三条 " + b.text[:30], metadata={"clause_id": b.id}),
        Document(page_content="# 标题", metadata={"clause_id": ""}),  # a heading chunk that maps nowhere
        Document(page_content=a.text[10:50], metadata={"clause_id": a.id}),
    ]
    out = NaiveSystem(FakeNaive(docs), store, "v1", k=4).run("工会", [])  # type: ignore[arg-type]
    assert out.reply["status"] == "answered"
    assert out.ranked == [a.id, b.id]
    assert [c["id"] for c in out.reply["citations"]] == [a.id, b.id, a.id]
    assert out.reply["answer"].count("\n\n") == 3  # the chunks joined are the answer
    assert out.reply["citations"][1]["quote"].startswith("第四十三条")  # the chunk itself is the quote
    assert NaiveSystem(FakeNaive([]), store, "v1").run("x", []).reply["status"] == "out_of_scope"  # type: ignore[arg-type]
