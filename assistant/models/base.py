"""What an encoder is to the rest of the house: sentence-transformers' `encode` signature and a dimension."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class Backend(StrEnum):
    """How texts become vectors. Every backend encodes the same sentence-transformers folder."""

    TORCH = "torch"  # sentence-transformers on torch: the reference, and what converts and exports
    ONNX = "onnx"  # the same weights exported to ONNX, fused for onnxruntime (cosine 1.0 to torch)
    ONNX_INT8 = "onnx-int8"  # that export with int8 weights (dynamic quantisation): ~4x faster than torch


class Encoder(Protocol):
    """A loaded model. `SentenceTransformer` satisfies this as it is; so does `models.onnx.OnnxEncoder`."""

    def encode(
        self,
        sentences: list[str],
        /,
        *,
        batch_size: int = ...,
        normalize_embeddings: bool = ...,
        convert_to_numpy: bool = ...,
        show_progress_bar: bool = ...,
    ) -> Any:
        """Vectors, one row per sentence (options as sentence-transformers names them)."""

    def get_embedding_dimension(self) -> int | None: ...


def model_id(base: str, backend: Backend) -> str:
    """The id an index, a sentence cache and the intent model are built under: vectors of different backends
    differ (int8 by ~0.005 cosine), so each backend has its own."""
    return base if backend is Backend.TORCH else f"{base}#{backend.value}"


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: np.ndarray = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def swap_in(built: Path, dest: Path) -> None:
    """Put the finished folder `built` at `dest` (a sibling of it, so renames stay on one filesystem): readers see
    the old folder or the new one, never a half-written one."""
    old = dest.with_name(f".{dest.name}.old")
    if dest.exists():
        shutil.rmtree(old, ignore_errors=True)
        dest.rename(old)
    built.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
