"""`python -m tests.lifecycle.index_runner DATA_DIR COLLECTION`: ensure_index with the hashing embedder in a
fresh process (as `assistant index` would run); prints the sync report as JSON, warnings go to stderr."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.build import ensure_index
from tests.lifecycle.helpers import hash_embedder


def main() -> None:
    settings = Settings(data_dir=Path(sys.argv[1]), collection=sys.argv[2])
    store = ClauseStore.load(settings.corpus_dir)
    vectors, manifest, report = ensure_index(settings, store, hash_embedder())
    hits = vectors.similarity_search("工会经费", k=3)
    out = {"report": asdict(report) if report else None, "vectors": manifest.vectors, "hits": len(hits)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
