"""python -m bench.reindex [--rounds N] [--server]: full index rebuild vs re-index after a one-clause change.

A change builds a new index generation: the unchanged clauses' vectors are copied from the current one, only the
changed clause is embedded (assistant/index/build.py).

Works on a temporary copy of the corpus and a temporary data dir (the model folder is reused, the real index and
corpus are not touched). With --server the same is measured against a `chroma run` started on a free port.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.build import ensure_index
from assistant.index.chroma import passages
from assistant.index.embed import load_embedder
from assistant.index.server import ChromaServer

CLAUSE = "union-law-2021/art-11"
ANCHOR = "全国建立统一的中华全国总工会。"  # a sentence of CLAUSE, unique in its file


def measure(settings: Settings, rounds: int) -> dict[str, float]:
    """Seconds for: a full rebuild, a no-op check, and (median of `rounds`) a one-clause change."""
    embedder = load_embedder(settings)
    store = ClauseStore.load(settings.corpus_dir)
    t0 = time.perf_counter()
    _, manifest, report = ensure_index(settings, store, embedder, rebuild=True)
    full = time.perf_counter() - t0
    assert report is not None and report.added == len(store)
    t0 = time.perf_counter()
    assert ensure_index(settings, store, embedder)[2] is None
    noop = time.perf_counter() - t0
    source = settings.corpus_dir / store.documents[store[CLAUSE].doc_id].path
    original = source.read_text(encoding="utf-8")
    times, syncs = [], []
    for n in range(rounds):
        source.write_text(original.replace(ANCHOR, f"{ANCHOR}（基准测试修改{n}）"), encoding="utf-8")
        t0 = time.perf_counter()
        changed = ClauseStore.load(settings.corpus_dir)
        t1 = time.perf_counter()
        _, _, rep = ensure_index(settings, changed, embedder)
        times.append(time.perf_counter() - t0)
        syncs.append(time.perf_counter() - t1)
        assert rep is not None and (rep.updated, rep.added, rep.removed) == (1, 0, 0), rep
    source.write_text(original, encoding="utf-8")
    return {
        "full": full,
        "noop": noop,
        "one": statistics.median(times),
        "sync": statistics.median(syncs),
        "clauses": len(store),
        "vectors": manifest.vectors,
        "windows": len(passages(store[CLAUSE])),
    }


def report(label: str, r: dict[str, float]) -> None:
    print(
        f"{label}: full rebuild {r['full']:.1f} s ({r['clauses']:.0f} clauses, {r['vectors']:.0f} windows); "
        f"one changed clause ({CLAUSE}, {r['windows']:.0f} windows) {r['one']:.2f} s "
        f"(re-index {r['sync']:.2f} s + corpus reload); "
        f"no-change check {r['noop']:.2f} s; speed-up {r['full'] / r['one']:.0f}x"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3, help="one-clause changes to time (median)")
    ap.add_argument("--server", action="store_true", help="also measure against a `chroma run` server")
    args = ap.parse_args()
    base = Settings()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reindex-"))
    try:
        shutil.copytree(base.corpus_dir, tmp / "corpus")
        data = tmp / "data"
        data.mkdir()
        (data / "models").symlink_to(base.model_dir.resolve())
        local = Settings(corpus_dir=tmp / "corpus", data_dir=data, chroma_url=None, collection="bench")
        report("embedded Chroma", measure(local, args.rounds))
        if args.server:
            with ChromaServer(tmp / "server-db", log=tmp / "chroma.log") as server:
                remote = local.model_copy(update={"chroma_url": server.url, "data_dir": data})
                report(f"chroma run server ({server.url})", measure(remote, args.rounds))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
