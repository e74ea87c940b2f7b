"""The naive LangChain recipe as a baseline: 250/50-character chunks of the raw sources, dense top-k from Chroma."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.clauses.store import ClauseStore
from assistant.text.normalize import normalize

CHUNK_SIZE = 250
CHUNK_OVERLAP = 50
LONG, SHORT = 8, 3  # n-gram sizes for chunk → clause overlap (8 chars is past most stock phrases)
MAPPING_VERSION = "2"  # bump when chunk → clause mapping changes, so cached indexes are rebuilt
COLLECTION = "naive"


def source_chunks(store: ClauseStore) -> list[Document]:
    """The recipe as written in tutorials: the splitter's default separators over each source file's text."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    docs = list(store.documents.values())
    return splitter.create_documents([d.body for d in docs], metadatas=[{"doc_id": d.id} for d in docs])


def coverage(chunk: str, clause: str, n: int) -> int:
    """How many of the chunk's character n-grams (by position) occur in the clause: ≈ the characters they
    share in runs of at least n, so long verbatim overlap beats scattered common words."""
    grams = {clause[i : i + n] for i in range(len(clause) - n + 1)}
    return sum(1 for i in range(len(chunk) - n + 1) if chunk[i : i + n] in grams)


def best_clause(chunk: str, candidates: Sequence[tuple[str, str]]) -> str | None:
    """The candidate (id, normalised text) whose text the chunk overlaps most: shared 8-gram runs first,
    trigrams to break ties and for short heading chunks; then the shorter clause (a quoted rule over the
    paragraph quoting it). None when nothing overlaps."""
    text = normalize(chunk)
    best: tuple[int, int, int, str] | None = None
    for cid, norm in candidates:
        score = (coverage(text, norm, LONG), coverage(text, norm, SHORT), -len(norm), cid)
        if (score[0] or score[1]) and (best is None or score[:3] > best[:3]):
            best = score
    return best[3] if best else None


def candidates_by_doc(store: ClauseStore) -> dict[str, list[tuple[str, str]]]:
    """A source file's clauses, plus the rule articles its paragraphs quote (they have no file of their own)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for c in store:
        parent = store.get(c.parent) if c.parent else None
        out.setdefault(parent.doc_id if parent else c.doc_id, []).append((c.id, c.norm))
    return out


def cache_key(store: ClauseStore, embedder: Embeddings) -> str:
    """Changes with the sources, the clause store (the mapping target), the model and the recipe's parameters."""
    h = hashlib.sha256()
    for d in store.documents.values():
        h.update(f"{d.id}:{d.sha}\n".encode())
    model = getattr(embedder, "model_id", type(embedder).__name__)
    prefix = getattr(embedder, "passage_prefix", "")
    h.update(f"{store.sha}|{model}|{prefix}|{CHUNK_SIZE}/{CHUNK_OVERLAP}|{LONG}/{SHORT}|{MAPPING_VERSION}".encode())
    return h.hexdigest()[:16]


class NaiveIndex:
    """A Chroma store of the chunks, each tagged with the clause it maps to; persisted per cache key."""

    def __init__(self, vectors: Chroma) -> None:
        self.vectors = vectors

    @classmethod
    def open(
        cls, store: ClauseStore, embedder: Embeddings, cache_dir: Path, note: Callable[[str], None] | None = None
    ) -> NaiveIndex:
        """Reuse the index under cache_dir/<key> when complete, else (re)build it (~1 min on CPU)."""
        chunks = source_chunks(store)
        path = cache_dir / cache_key(store, embedder)
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        vectors = Chroma(collection_name=COLLECTION, embedding_function=embedder, client=client)
        if len(vectors.get(include=[])["ids"]) == len(chunks):
            return cls(vectors)
        if note:
            note(f"building the naive baseline index ({len(chunks)} chunks) in {path}")
        vectors.reset_collection()  # a partial build from an interrupted run
        cands = candidates_by_doc(store)
        for i, chunk in enumerate(chunks):
            doc_id = str(chunk.metadata["doc_id"])
            chunk.metadata.update(chunk=i, clause_id=best_clause(chunk.page_content, cands.get(doc_id, [])) or "")
        vectors.add_documents(chunks, ids=[f"chunk-{i}" for i in range(len(chunks))])
        return cls(vectors)

    def search(self, question: str, k: int) -> list[Document]:
        return self.vectors.similarity_search(question, k=k)
