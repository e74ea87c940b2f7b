"""Fitted models cached under the model dir: loaded when their key matches, else trained and swapped in atomically."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import joblib

log = logging.getLogger(__name__)
T = TypeVar("T")


def folder_hash(folder: Path, salt: str) -> str:
    """A short key for `salt` and every *.jsonl of `folder` (names and bytes)."""
    h = hashlib.sha256(salt.encode())
    for path in sorted(folder.glob("*.jsonl")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def cached(cache_dir: Path, prefix: str, key: str, kind: type[T], train: Callable[[], T]) -> T:
    """`<prefix>-<key>.joblib` when readable and of `kind`; otherwise `train()`, saved, and older keys removed."""
    path = cache_dir / f"{prefix}-{key}.joblib"
    if path.exists():
        try:
            model = joblib.load(path)
            if isinstance(model, kind):
                return model
        except Exception as exc:  # a truncated or foreign file is rebuilt, never trusted
            log.warning("%s model %s unreadable (%s); retraining", prefix, path, exc)
    model = train()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump(model, tmp)
    tmp.replace(path)
    for old in cache_dir.glob(f"{prefix}-*.joblib"):
        if old != path:
            old.unlink(missing_ok=True)
    return model
