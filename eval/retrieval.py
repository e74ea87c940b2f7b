"""python -m eval.retrieval [--gold FILE] [--misses]: BM25 vs dense vs hybrid on the retrieval gold set."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.core import Assistant
from assistant.eval.retrieval import run, table

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=HERE / "gold" / "retrieval.jsonl")
    ap.add_argument("--misses", action="store_true", help="print the hybrid retriever's Recall@1 misses")
    args = ap.parse_args()
    scores = run(Assistant.load(), args.gold)
    print(table(scores))
    hybrid = scores[-1]
    print(
        "\nhybrid Recall@5 by category:",
        json.dumps({k: round(v, 3) for k, v in hybrid.by_category.items()}, ensure_ascii=False),
    )
    if args.misses:
        for m in hybrid.misses:
            print(json.dumps(m, ensure_ascii=False))


if __name__ == "__main__":
    main()
