"""Index generations: each corpus gets its own collection, published by the manifest only once complete; unchanged
clauses are copied, not embedded; the previous generation stays, older ones are dropped; an interrupted build is
never served and is resumed. Hashing embedder and an embedded store in a temp dir: no model needed."""

from __future__ import annotations

from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.faq.base import Faq
from assistant.index.build import content_key, ensure_index, generation_name, manifest_path
from assistant.index.chroma import SyncReport, client, open_store, passages, sync
from assistant.index.manifest import read_manifest
from tests.lifecycle.helpers import CountingEmbedder, edit_clause, hash_embedder

EDITED = "guidance/1.1"
SENTENCE = "推动企业持续健康发展有着重要意义"  # in EDITED, unique in its file


def setup(tmp_path: Path, corpus: Path) -> tuple[Settings, CountingEmbedder]:
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", collection="gen"), CountingEmbedder(hash_embedder())


def collections(settings: Settings) -> set[str]:
    return {c.name for c in client(settings).list_collections()}


def edit(corpus: Path, old: str, new: str) -> ClauseStore:
    edit_clause(corpus, ClauseStore.load(corpus)[EDITED], old, new)
    return ClauseStore.load(corpus)


def edited_text(vectors: object) -> str:
    got = vectors._collection.get(where={"clause_id": EDITED}, include=["documents"])  # type: ignore[attr-defined]
    return "".join(got["documents"])


def test_each_corpus_is_a_generation_swapped_whole(tmp_path: Path, corpus_copy: Path) -> None:
    settings, embedder = setup(tmp_path, corpus_copy)
    a = ClauseStore.load(corpus_copy)
    va, ma, ra = ensure_index(settings, a, embedder)
    assert ra is not None and ra.added == len(a)
    key = content_key(a, Faq.load(corpus_copy / "faq").valid(a))  # the clauses and the FAQ keys
    assert ma.collection == generation_name(settings, key, embedder.model_id) and collections(settings) == {
        ma.collection
    }

    b = edit(corpus_copy, SENTENCE, SENTENCE + "（一改）")
    embedder.embedded.clear()
    vb, mb, rb = ensure_index(settings, b, embedder)
    assert rb == SyncReport(added=0, updated=1, removed=0, unchanged=len(b) - 1)
    assert embedder.embedded == passages(b[EDITED])  # the other clauses were copied with their vectors
    assert mb.collection != ma.collection and read_manifest(manifest_path(settings)) == mb
    assert collections(settings) == {ma.collection, mb.collection}  # the previous one stays for its readers
    assert vb._collection.count() == mb.vectors and va._collection.count() == ma.vectors
    # A reader still holding generation A sees A's text, whole; B has the edit.
    assert "（一改）" not in edited_text(va) and "（一改）" in edited_text(vb)
    assert len(va.similarity_search("工会经费", k=3)) == 3

    c = edit(corpus_copy, "（一改）", "（二改）")
    _, mc, _ = ensure_index(settings, c, embedder)
    assert collections(settings) == {mb.collection, mc.collection}  # A is gone

    assert ensure_index(settings, c, embedder)[2] is None  # current: opening it again builds nothing


def test_an_interrupted_build_is_never_served_and_is_resumed(tmp_path: Path, corpus_copy: Path) -> None:
    settings, embedder = setup(tmp_path, corpus_copy)
    a = ClauseStore.load(corpus_copy)
    _, ma, _ = ensure_index(settings, a, embedder)
    b = edit(corpus_copy, SENTENCE, SENTENCE + "（一改）")

    # A build of B stopped a third of the way: its collection exists, the manifest still names A.
    key = content_key(b, Faq.load(corpus_copy / "faq").valid(b))
    partial = open_store(settings, embedder, generation_name(settings, key, embedder.model_id))
    done = [c for c in b if c.id != EDITED][: len(b) // 3]
    sync(partial, done, seed=open_store(settings, embedder, ma.collection))
    assert read_manifest(manifest_path(settings)) == ma

    # Whoever opens the index for corpus A gets A, complete; the partial B does not disturb it.
    va, again, report = ensure_index(settings, a, embedder)
    assert report is None and again == ma and va._collection.count() == ma.vectors

    # Opening it for B finishes B: copies what is missing, embeds only the changed clause.
    embedder.embedded.clear()
    vb, mb, rb = ensure_index(settings, b, embedder)
    assert embedder.embedded == passages(b[EDITED])
    assert rb == SyncReport(added=0, updated=1, removed=0, unchanged=len(b) - 1)
    assert mb.collection == partial._collection.name and vb._collection.count() == mb.vectors
