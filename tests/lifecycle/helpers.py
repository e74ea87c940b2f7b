"""Lifecycle helpers: a hashing embedder, a counting embedder, an index clone, corpus edits."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
from langchain_chroma import Chroma

from assistant.clauses.base import Clause
from assistant.config import Settings
from assistant.index.build import manifest_path
from assistant.index.chroma import open_store
from assistant.index.embed import Embedder
from assistant.index.manifest import Manifest, write_manifest


class HashModel:
    """Stands in for a SentenceTransformer: a unit vector from each text's sha256 (no model, instant)."""

    dim = 16

    def encode(self, texts: list[str], **_: Any) -> np.ndarray:
        raw = [np.frombuffer(hashlib.sha256(t.encode()).digest()[: self.dim], dtype=np.uint8) for t in texts]
        vecs = np.stack(raw).astype(np.float32) + 1.0
        out: np.ndarray = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
        return out

    def get_embedding_dimension(self) -> int:
        return self.dim


def hash_embedder() -> Embedder:
    return Embedder(HashModel(), "test:sha256-16", "query: ", "passage: ")


class CountingEmbedder(Embedder):
    """Delegates to another embedder and counts the passages it embeds."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__(inner.model, inner.model_id, inner.query_prefix, inner.passage_prefix)
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


def clone_index(src: Chroma, settings: Settings, embedder: Embedder, manifest: Manifest | None = None) -> Chroma:
    """Copy every window (vectors included) into the store `settings` points at: no re-embedding."""
    got = src.get(include=["embeddings", "documents", "metadatas"])
    dst = open_store(settings, embedder)
    step = 256
    for i in range(0, len(got["ids"]), step):
        dst._collection.add(
            ids=got["ids"][i : i + step],
            embeddings=got["embeddings"][i : i + step],
            documents=got["documents"][i : i + step],
            metadatas=got["metadatas"][i : i + step],
        )
    if manifest is not None:
        write_manifest(manifest_path(settings), manifest.model_copy(update={"collection": settings.collection}))
    return dst


def edit_clause(corpus: Path, clause: Clause, old: str, new: str) -> None:
    """Replace `old` (a span of the clause, unique in its source file) with `new`."""
    from assistant.corpus.base import load_documents

    assert old in clause.text, f"{old!r} is not in {clause.id}"
    doc = next(d for d in load_documents(corpus)[0] if d.id == clause.doc_id)
    path = corpus / doc.path
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {doc.path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_document(corpus: Path, doc_id: str) -> None:
    """Remove one [[document]] table from sources.toml (its file stays, unregistered)."""
    reg = corpus / "sources.toml"
    tables = re.split(r"\n(?=\[\[)", reg.read_text(encoding="utf-8"))
    kept = [t for t in tables if not (t.startswith("[[document]]") and f'\nid = "{doc_id}"\n' in t)]
    assert len(kept) == len(tables) - 1, f"{doc_id} not registered"
    reg.write_text("\n".join(kept), encoding="utf-8")


def snapshot(corpus: Path) -> dict[str, bytes]:
    """Every file under `corpus`, by relative path: to prove that nothing changed."""
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}
