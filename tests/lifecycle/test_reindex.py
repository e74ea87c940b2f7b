"""Incremental re-index on a clone of the built index: one edited clause re-embeds only its windows; a removed
document leaves Chroma and BM25 and is never retrieved or cited again."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.core import Assistant
from assistant.faq.base import Faq
from assistant.index.build import ensure_index
from assistant.index.chroma import SyncReport, passages
from assistant.lifecycle.diff import diff
from assistant.text.normalize import normalize
from tests.lifecycle.helpers import CountingEmbedder, clone_index, drop_document, edit_clause

pytestmark = pytest.mark.integration

EDITED = "guidance/1.2.6"  # three windows, quotes nothing
SHORT = "运用信息化管理手段,做实组织基础。（测试：本段已精简）"
REMOVED = "labor-inspection-regs"  # no rule rests on it


@pytest.fixture
def cloned(bot: Assistant, tmp_path: Path, corpus_copy: Path) -> Settings:
    """Settings on a corpus copy and a private copy of the built index (vectors copied, nothing embedded)."""
    settings = Settings(corpus_dir=corpus_copy, data_dir=tmp_path / "data", collection="lifecycle")
    settings.data_dir.mkdir()
    (settings.data_dir / "models").symlink_to(bot.settings.model_dir.resolve())
    clone_index(bot.dense.vectors, settings, bot.embedder, bot.manifest)
    return settings


def window_ids(vectors: object, clause_id: str) -> list[str]:
    """The clause's text windows (its 问答对 keys point to it too, but are not windows)."""
    where = {"$and": [{"clause_id": clause_id}, {"kind": {"$ne": "faq"}}]}
    got = vectors._collection.get(where=where, include=["metadatas"])  # type: ignore[attr-defined]
    return sorted(got["ids"])


def test_one_changed_clause_reembeds_only_its_windows(bot: Assistant, cloned: Settings) -> None:
    before = ClauseStore.load(cloned.corpus_dir)
    counting = CountingEmbedder(bot.embedder)
    vectors, _, report = ensure_index(cloned, before, counting)
    assert counting.embedded == [] and (report is None or report.unchanged == len(before))
    old = before[EDITED]
    assert len(passages(old)) == 3 and window_ids(vectors, EDITED) == [f"{EDITED}#{n}" for n in range(3)]
    untouched = {i for i in vectors._collection.get()["ids"] if not i.startswith((EDITED + "#", "faq:"))}

    edit_clause(cloned.corpus_dir, old, old.text, SHORT)
    after = ClauseStore.load(cloned.corpus_dir)
    assert diff(before, after).changed == (EDITED,) and not diff(before, after).added

    vectors, manifest, report = ensure_index(cloned, after, counting)
    assert report == SyncReport(added=0, updated=1, removed=0, unchanged=len(after) - 1)
    new = after[EDITED]
    assert counting.embedded == passages(new)  # one window embedded, not 591
    assert window_ids(vectors, EDITED) == [f"{EDITED}#0"]  # the two stale windows are gone
    got = vectors._collection.get(where={"clause_id": EDITED}, include=["metadatas", "documents"])
    assert got["metadatas"] and got["documents"]
    assert got["metadatas"][0]["sha"] == new.sha and "本段已精简" in got["documents"][0]
    assert {i for i in vectors._collection.get()["ids"] if not i.startswith((EDITED + "#", "faq:"))} == untouched
    assert manifest.hashes[EDITED] == new.sha and manifest.corpus_sha == after.sha
    # two windows fewer, and the 问答对 keys of entries whose span the edit removed are no longer served
    faq = Faq.load(cloned.corpus_dir / "faq")
    dropped = len(faq.valid(before).variants()) - len(faq.valid(after).variants())
    assert dropped > 0
    assert manifest.vectors == vectors._collection.count() == bot.manifest.vectors - 2 - dropped
    # Current now: a second pass embeds nothing.
    assert ensure_index(cloned, after, counting)[2] is None and len(counting.embedded) == 1


def test_removed_document_leaves_chroma_and_bm25_and_is_never_cited(bot: Assistant, cloned: Settings) -> None:
    before = ClauseStore.load(cloned.corpus_dir)
    gone = {c.id for c in before.by_doc(REMOVED)}
    assert len(gone) > 30
    drop_document(cloned.corpus_dir, REMOVED)
    after = ClauseStore.load(cloned.corpus_dir)
    d = diff(before, after)
    assert set(d.removed) == gone and not d.added and not d.changed

    counting = CountingEmbedder(bot.embedder)
    vectors, _, report = ensure_index(cloned, after, counting)
    assert report is not None and (report.removed, report.added, report.updated) == (len(gone), 0, 0)
    assert counting.embedded == []
    assert vectors._collection.get(where={"doc_id": REMOVED})["ids"] == []

    small = Assistant.load(cloned)
    assert small.manifest.clauses == len(after) and not gone & set(small.bm25.index.ids)
    probes = [before[f"{REMOVED}/art-{n}"] for n in (2, 11, 16, 29)]
    for clause in probes:
        query = normalize(clause.text)[:60]
        # The full corpus finds the clause with this query; after the removal no retriever returns it.
        assert clause.id in [h.clause.id for h in bot.hybrid.search(query, 10)]
        for mode in ("bm25", "dense", "hybrid"):
            ids = [h.clause.id for h in getattr(small, mode).search(query, 30)]
            assert not gone & set(ids), (mode, clause.id)
    questions = [
        "劳动保障监察条例第十一条是什么",
        "劳动保障行政部门对哪些事项实施劳动保障监察？",
        "用人单位阻挠职工建工会，劳动保障监察部门能罚款吗？",
        *(normalize(c.text)[:40] for c in probes),
    ]
    for q in questions:
        reply = small.ask(q)
        cited = {c.id for c in reply.citations}
        assert not cited & gone, (q, cited)
        assert all(i in small.store for i in cited)
