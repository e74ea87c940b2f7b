"""Sentence vectors for answer selection: every clause sentence embedded once, cached by text and model.

The composer scores a clause's sentences against the question with these vectors (as well as terms),
so the sentence that answers is found inside a long guidance paragraph. Vectors are cached on disk
keyed by (model, sentence text): a corpus edit embeds only the sentences it introduces, and any data
directory that shares the model folder shares the cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.clauses.base import Clause
from assistant.index.embed import Embedder
from assistant.text.sentences import sentences

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SentenceVectors:
    """clause id → (its sentences, one L2-normalised row per sentence)."""

    rows: dict[str, tuple[list[str], np.ndarray]]

    def of(self, clause_id: str) -> tuple[list[str], np.ndarray] | None:
        return self.rows.get(clause_id)

    def __len__(self) -> int:
        return sum(len(s) for s, _ in self.rows.values())

    def __bool__(self) -> bool:  # truthiness is asked per answer; counting every sentence for it is not needed
        return bool(self.rows)


def cache_path(model_dir: Path, model_id: str) -> Path:
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)
    return model_dir / "sentence-cache" / f"{slug}.npz"


def _read(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, mat = data["keys"], data["vectors"]
            return {str(k): mat[i] for i, k in enumerate(keys)}
    except Exception as exc:  # a cache: unreadable means rebuild, never fail the load
        log.warning("sentence vector cache %s is unreadable (%s); re-embedding", path, exc)
        return {}


def _write(path: Path, cache: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    keys = sorted(cache)
    np.savez(tmp, keys=np.array(keys), vectors=np.stack([cache[k] for k in keys]).astype(np.float32))
    os.replace(tmp, path)  # readers see the old cache or the new one, never half a file


def build(
    clauses: Iterable[Clause], embedder: Embedder, cache_file: Path, batch: int = 64
) -> SentenceVectors:
    """Vectors for every sentence of `clauses`, embedding (as passages) only those not in the cache."""
    split = {c.id: sentences(c.text) for c in clauses}
    cache = _read(cache_file)
    todo = sorted({s for ss in split.values() for s in ss if _key(s) not in cache})
    if todo:
        log.info("embedding %d new sentences for answer selection", len(todo))
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            for s, v in zip(chunk, embedder.embed_documents(chunk), strict=True):
                cache[_key(s)] = np.asarray(v, dtype=np.float32)
        try:
            _write(cache_file, cache)
        except OSError as exc:
            log.warning("cannot write the sentence vector cache %s: %s", cache_file, exc)
    dim = embedder.dim
    rows = {
        cid: (ss, np.stack([cache[_key(s)] for s in ss]) if ss else np.zeros((0, dim), np.float32))
        for cid, ss in split.items()
    }
    return SentenceVectors(rows)
