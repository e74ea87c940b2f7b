"""python -m bench.search [--rounds N] [--build] [--no-compare]: search() and ask() latency, load time, RSS, encoders.

Questions are the retrieval and answer gold questions (so the mix is what help desks ask). ask() is reported for
the first round (every question new to the process: no query-vector or pinyin cache has seen it) and for all rounds.
The comparison table encodes the same questions one at a time with torch, onnx and onnx-int8 in this run: latency
and cosine to torch. With --build the full index is also rebuilt from scratch into a temporary data dir and timed
(the model folders are reused).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.core import Assistant
from assistant.eval.gold import load_answers, load_retrieval
from assistant.eval.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    """Current resident set size of this process (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, items, rounds, warm=10):  # type: ignore[no-untyped-def]
    """Milliseconds per call, one list per round (the first `warm` items are run once before, unmeasured)."""
    for q in items[:warm]:
        fn(q)
    out = []
    for _ in range(rounds):
        ms = []
        for q in items:
            t0 = time.perf_counter()
            fn(q)
            ms.append((time.perf_counter() - t0) * 1000)
        out.append(ms)
    return out


def compare_encoders(settings: Settings, texts: list[str]) -> None:
    """torch vs onnx vs onnx-int8 on the same questions, one query at a time (as serving encodes them)."""
    import numpy as np

    from assistant.index.embed import load_embedder
    from assistant.models.base import Backend

    print("| encoder | p50 ms | p95 ms | cosine to torch (min / mean) |")
    print("|---|---|---|---|")
    reference = None
    for backend in Backend:
        model = load_embedder(settings.model_copy(update={"backend": backend})).model
        for t in texts[:10]:
            model.encode([t], normalize_embeddings=True)  # warm-up
        ms, rows = [], []
        for t in texts:  # one pass: each call is timed and its vector kept
            t0 = time.perf_counter()
            rows.append(np.asarray(model.encode([t], normalize_embeddings=True), dtype=np.float32)[0])
            ms.append((time.perf_counter() - t0) * 1000)
        vecs = np.stack(rows)
        reference = vecs if reference is None else reference
        cos = (vecs * reference).sum(1)
        print(f"| {backend.value} | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} | "
              f"{cos.min():.5f} / {cos.mean():.5f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--no-compare", action="store_true", help="skip the torch / onnx / onnx-int8 table")
    args = ap.parse_args()
    t0 = time.perf_counter()
    bot = Assistant.load()
    load_s = time.perf_counter() - t0
    print(f"load: {load_s:.1f} s ({bot.embedder.model_id}), RSS after load {rss_mb():.0f} MB")
    questions = [i.question for i in load_retrieval(ROOT / "eval" / "gold" / "retrieval.jsonl")]
    answers = [i for i in load_answers(ROOT / "eval" / "gold" / "answers.jsonl") if not i.history]
    asked = [i.question for i in answers]
    # ask() first, so its first round sees questions no earlier call in this process has embedded
    rounds = timed(lambda q: bot.ask(q), asked, args.rounds, warm=0)
    first, a = rounds[0], [x for r in rounds for x in r]
    print(f"ask (no LLM), first time: n={len(first)} p50 {percentile(first, 50):.1f} ms  "
          f"p95 {percentile(first, 95):.1f} ms")
    print(f"ask (no LLM), all rounds: n={len(a)} p50 {percentile(a, 50):.1f} ms  p95 {percentile(a, 95):.1f} ms")
    s = [x for r in timed(lambda q: bot.search(q, 5), questions, args.rounds) for x in r]
    print(f"search (hybrid, k=5): n={len(s)} p50 {percentile(s, 50):.1f} ms  p95 {percentile(s, 95):.1f} ms")
    print(f"RSS after the runs: {rss_mb():.0f} MB")
    if not args.no_compare:
        compare_encoders(bot.settings, ["query: " + q for q in asked])
    if args.build:
        tmp = Path(tempfile.mkdtemp(prefix="bench-index-"))
        try:
            settings = Settings(data_dir=tmp)
            (tmp / "models").symlink_to(bot.settings.model_dir)
            t0 = time.perf_counter()
            Assistant.load(settings, rebuild=True)
            print(f"full index build (483 clauses, model already converted): {time.perf_counter() - t0:.1f} s")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
