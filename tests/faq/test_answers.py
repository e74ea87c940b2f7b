"""The 问答对 layer end to end: variants are keys of their clause in Chroma and lead the answer with their span."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.reply import ReplyStatus
from assistant.faq.base import Faq
from assistant.index.chroma import FAQ_KIND

pytestmark = pytest.mark.integration


def test_every_variant_is_a_key_of_its_clause_in_the_collection(bot, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    faq = Faq.load(corpus_dir / "faq").valid(bot.store)
    got = bot.dense.vectors.get(where={"kind": FAQ_KIND}, include=["metadatas"])
    assert len(got["ids"]) == len(faq.variants())
    bound = {m["faq"]: m["clause_id"] for m in got["metadatas"]}
    assert all(bound[e.id] == e.clause for e in faq)
    assert bot.manifest.faq_sha == faq.sha


def test_a_variant_is_answered_by_its_span_cited_to_its_clause(bot, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    faq = Faq.load(corpus_dir / "faq").valid(bot.store)
    current = [e for e in faq if not bot.store[e.clause].superseded and bot.store[e.clause].doc_id != "guidance"]
    checked = 0
    for entry in current[:20]:
        question = entry.questions[0]
        match = bot.answerer.faq.match(bot.analyzer(question))
        assert match is not None and match.score >= bot.answerer.faq.sure
        reply = bot.ask(question)
        if reply.rule is not None or reply.status is not ReplyStatus.ANSWERED:
            continue  # a rule decides (or asks for facts) where it applies; the FAQ serves the retrieval path
        assert reply.citations[0].id == match.entry.clause
        assert match.entry.span[:12] in reply.answer.split("相关规定")[0]  # the lead quotes the span
        checked += 1
    assert checked >= 3


def test_an_unrelated_question_matches_no_entry(bot) -> None:  # type: ignore[no-untyped-def]
    assert bot.answerer.faq.match(bot.analyzer("明天上海的天气怎么样")) is None
