"""python -m eval.faq [--sets answers heldout …]: how often the 问答对 match fires and points to a gold clause, per bar.

For every gold question without history whose status is answered, the nearest FAQ variant (retrieve/faq.py) is
found; at each similarity bar the table gives how many questions it fires on and how many of those it binds to one
of the question's gold clauses (precision: a wrong binding leads the answer with the wrong clause). The configured
bar (`ASSISTANT_FAQ_SURE`, default in config.py) should sit where precision stays high. A development figure: the
FAQ was written from the sources without seeing these sets, but the bar is chosen on them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assistant.core import Assistant
from assistant.eval.gold import read_jsonl

HERE = Path(__file__).resolve().parent
SETS = ("answers", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    args = ap.parse_args()
    bot = Assistant.load()
    matcher = bot.answerer.faq
    if matcher is None:
        raise SystemExit("no FAQ entries in corpus/faq/")
    scores: list[float] = []
    right: list[bool] = []
    for name in args.sets:
        for row in read_jsonl(HERE / "gold" / f"{name}.jsonl"):
            if row.get("history") or row.get("status") != "answered" or not row.get("gold"):
                continue
            query = bot.analyzer(str(row["question"]))
            best = matcher.nearest(query.expanded)
            if best is None:
                continue
            scores.append(best.score)
            gold = set(row["gold"])
            right.append(best.entry.clause in gold)
    s, r = np.array(scores), np.array(right)
    print(f"{len(s)} answered gold questions; configured bar {matcher.sure}")
    print("| bar | fires | share | binds a gold clause | precision |")
    print("|---|---|---|---|---|")
    for bar in (0.86, 0.88, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96):
        on = s >= bar
        n = int(on.sum())
        ok = int((on & r).sum())
        print(f"| {bar:.2f} | {n} | {n / max(len(s), 1):.3f} | {ok} | {ok / max(n, 1):.3f} |")


if __name__ == "__main__":
    main()
