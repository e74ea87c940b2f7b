"""python -m eval.answers [--gold FILE] [--fails]: the full system on the answer gold set."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.core import Assistant
from assistant.eval.answers import by_category, run_items, summarize
from assistant.eval.gold import load_answers

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=HERE / "gold" / "answers.jsonl")
    ap.add_argument("--fails", action="store_true")
    ap.add_argument("--only")
    args = ap.parse_args()
    bot = Assistant.load()
    items = [i for i in load_answers(args.gold) if not args.only or i.category == args.only]
    results = run_items(bot.ask, items, bot.store)
    print(json.dumps(summarize(results), indent=1))
    for cat, s in by_category(results).items():
        print(
            f"{cat:18s} n={s['items']:3.0f} pass={s['pass_rate']:.2f} status={s['status_accuracy']:.2f} "
            f"facts={s['key_fact_accuracy_all']:.2f} cite_r={s['citation_recall']:.2f}"
        )
    if args.fails:
        for r in results:
            if not r.passed:
                print(
                    json.dumps(
                        {
                            "id": r.id,
                            "q": r.question,
                            "why": r.reasons,
                            "got": r.answer[:160],
                            "cited": [c["id"] for c in r.reply.get("citations", [])],
                        },
                        ensure_ascii=False,
                    )
                )


if __name__ == "__main__":
    main()
