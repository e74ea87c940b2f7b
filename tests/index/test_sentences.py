"""Sentence vectors for answer selection: built from the real model, cached by text, re-embedding only new text."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pytest

from assistant.clauses.base import Clause
from assistant.core import Assistant
from assistant.index.sentences import build, cache_path
from assistant.text.sentences import sentences
from tests.lifecycle.helpers import CountingEmbedder

pytestmark = pytest.mark.integration

IDS = ["guidance/1.2.1", "union-law-2021/art-11", "labor-law/art-36"]


def _clauses(bot: Assistant) -> list[Clause]:
    return [bot.store[i] for i in IDS]


def test_every_sentence_gets_a_unit_vector_in_reading_order(bot: Assistant, tmp_path: Path) -> None:
    counting = CountingEmbedder(bot.embedder)
    vecs = build(_clauses(bot), counting, tmp_path / "cache.npz")
    for clause in _clauses(bot):
        found = vecs.of(clause.id)
        assert found is not None
        texts, mat = found
        assert texts == sentences(clause.text) and mat.shape == (len(texts), bot.embedder.dim)
        assert np.allclose(np.linalg.norm(mat, axis=1), 1.0, atol=1e-4)
    assert sorted(counting.embedded) == sorted({s for c in _clauses(bot) for s in sentences(c.text)})
    assert vecs.of("no/such") is None and len(vecs) == sum(len(sentences(c.text)) for c in _clauses(bot))


def test_a_second_build_embeds_nothing_and_an_edit_only_its_new_sentence(bot: Assistant, tmp_path: Path) -> None:
    cache = tmp_path / "cache.npz"
    first = build(_clauses(bot), bot.embedder, cache)
    counting = CountingEmbedder(bot.embedder)
    again = build(_clauses(bot), counting, cache)
    assert counting.embedded == []
    assert np.array_equal(again.of(IDS[0])[1], first.of(IDS[0])[1])  # type: ignore[index]
    edited = dataclasses.replace(bot.store[IDS[1]], text=bot.store[IDS[1]].text + "本句为测试新增。")
    build([bot.store[IDS[0]], edited], counting, cache)
    assert counting.embedded == ["本句为测试新增。"]


def test_the_vectors_match_a_direct_encoding(bot: Assistant, tmp_path: Path) -> None:
    vecs = build(_clauses(bot)[:1], bot.embedder, tmp_path / "c.npz")
    texts, mat = vecs.of(IDS[0])  # type: ignore[misc]
    direct = np.asarray(bot.embedder.embed_documents(texts[:2]))
    assert np.allclose(mat[:2], direct, atol=1e-5)


def test_an_unreadable_cache_is_rebuilt_with_a_warning(
    bot: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache.npz"
    cache.write_bytes(b"not an npz")
    with caplog.at_level(logging.WARNING):
        vecs = build(_clauses(bot)[2:], bot.embedder, cache)
    assert "unreadable" in caplog.text and vecs.of(IDS[2]) is not None
    counting = CountingEmbedder(bot.embedder)
    build(_clauses(bot)[2:], counting, cache)
    assert counting.embedded == []  # the rebuilt cache was written whole


def test_the_cache_lives_with_the_model_folder(bot: Assistant) -> None:
    path = cache_path(bot.settings.model_dir, bot.embedder.model_id)
    assert path.parent.parent == bot.settings.model_dir and path.exists()
    assert "/" not in path.name
