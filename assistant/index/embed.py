"""Sentence-transformers embedder as a langchain `Embeddings`, with E5 query/passage prefixes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import E5_DEFAULT, Settings
from assistant.models.base import Backend, Encoder, model_id


class EmbeddingError(RuntimeError):
    """The configured embedding model cannot be prepared or loaded."""


class Embedder(Embeddings):
    """Wraps a loaded SentenceTransformer; vectors are L2-normalised float32 lists."""

    def __init__(self, model: Encoder, model_id: str, query_prefix: str, passage_prefix: str) -> None:
        self.model = model
        self.model_id = model_id
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        # The last few query vectors: retrieval and answer selection embed the same question once per turn.
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        vecs = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        out: np.ndarray = np.asarray(vecs, dtype=np.float32)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self._encode([self.passage_prefix + t for t in texts])]

    def embed_query(self, text: str) -> list[float]:
        return list(self.query_vector(text).tolist())

    def query_vector(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._recent.get(text)
            if hit is not None:
                self._recent.move_to_end(text)
                return hit
        vec: np.ndarray = self._encode([self.query_prefix + text], batch_size=1)[0]
        vec.setflags(write=False)  # shared between callers
        with self._lock:
            self._recent[text] = vec
            while len(self._recent) > 64:
                self._recent.popitem(last=False)
        return vec

    def query_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of a few texts (one row each), through the recent-query cache."""
        return np.stack([self.query_vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of many texts in batches, bypassing the cache (training data)."""
        return self._encode([self.query_prefix + t for t in texts], batch_size=32)

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension() or 0)


def resolve_model_path(settings: Settings) -> tuple[str, str]:
    """(what to load, model id for the manifest); converts the bundled E5 on first use."""
    if settings.embedding_model != E5_DEFAULT:
        return settings.embedding_model, settings.embedding_model
    from assistant.models import e5

    dest = settings.model_dir / "multilingual-e5-small"
    try:
        if not e5.is_converted(dest):
            e5.convert(dest)
    except e5.ModelUnavailable as exc:
        raise EmbeddingError(
            f"{exc}. On this platform set ASSISTANT_EMBEDDING_MODEL to a sentence-transformers model name or path."
        ) from exc
    return str(dest), E5_DEFAULT


def onnx_dir(settings: Settings, source: str) -> Path:
    """Where the ONNX export of `source` lives (under the model dir, never committed)."""
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(source).name or source)
    return settings.model_dir / "onnx" / slug


def load_embedder(settings: Settings) -> Embedder:
    """The configured model on the configured backend; an ONNX backend exports the folder on first use (torch
    does that work once, at `make index`; serving then needs onnxruntime only)."""
    path, base_id = resolve_model_path(settings)
    backend = settings.backend
    model: Encoder
    if backend is Backend.TORCH:
        model = _torch_model(path, settings.threads)
    else:
        from assistant.models import onnx

        dest = onnx_dir(settings, path)
        try:
            onnx.export(path, dest)
            model = onnx.OnnxEncoder(dest, backend, settings.threads)
        except onnx.OnnxUnavailable as exc:
            raise EmbeddingError(str(exc)) from exc
    return Embedder(model, model_id(base_id, backend), settings.q_prefix, settings.p_prefix)


def _torch_model(path: str, threads: int) -> Encoder:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    try:
        model = SentenceTransformer(path, device="cpu", local_files_only=Path(path).exists())
    except Exception as exc:  # the library raises many kinds; the user needs one clear line
        raise EmbeddingError(f"cannot load embedding model {path!r}: {exc}") from exc
    return cast(Encoder, model)  # its overloaded encode is wider than the protocol states
