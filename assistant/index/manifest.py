"""Index manifest: corpus hash, model id, build time and per-clause content hashes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, ValidationError


class Manifest(BaseModel):
    corpus_sha: str
    model_id: str
    dim: int
    built_at: str
    clauses: int
    vectors: int = 0  # windows stored in the collection (several per long clause)
    collection: str
    hashes: dict[str, str]  # clause id → content sha at embedding time
    seconds: float = 0.0
    faq_sha: str = ""  # the FAQ entries indexed as extra keys ("" when none)


def read_manifest(path: Path) -> Manifest | None:
    """None when missing or unreadable (the caller rebuilds)."""
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, json.JSONDecodeError, ValueError):
        return None


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write-then-rename so a crash never leaves a half-written manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(manifest.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, path)
