"""python -m bench.search [--rounds N] [--build]: warm search() and ask() latency, RSS after load, index build time.

Questions are the retrieval and answer gold questions (so the mix is what help desks ask). With --build
the full index is also rebuilt from scratch into a temporary data dir and timed (the model folder is reused).
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


def timed(fn, items, rounds):  # type: ignore[no-untyped-def]
    for q in items[:10]:
        fn(q)  # warm-up
    ms = []
    for _ in range(rounds):
        for q in items:
            t0 = time.perf_counter()
            fn(q)
            ms.append((time.perf_counter() - t0) * 1000)
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--build", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    bot = Assistant.load()
    load_s = time.perf_counter() - t0
    print(f"load: {load_s:.1f} s, RSS after load {rss_mb():.0f} MB")
    questions = [i.question for i in load_retrieval(ROOT / "eval" / "gold" / "retrieval.jsonl")]
    answers = [i for i in load_answers(ROOT / "eval" / "gold" / "answers.jsonl") if not i.history]
    s = timed(lambda q: bot.search(q, 5), questions, args.rounds)
    print(f"search (hybrid, k=5): n={len(s)} p50 {percentile(s, 50):.1f} ms  p95 {percentile(s, 95):.1f} ms")
    a = timed(lambda q: bot.ask(q), [i.question for i in answers], args.rounds)
    print(f"ask (no LLM): n={len(a)} p50 {percentile(a, 50):.1f} ms  p95 {percentile(a, 95):.1f} ms")
    print(f"RSS after the runs: {rss_mb():.0f} MB")
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
