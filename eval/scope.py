"""python -m eval.scope [--write]: fit the scope gate, print its precision/recall curve and pick a threshold.

In-scope examples: eval/gold/retrieval.jsonl questions; out-of-scope: eval/scope/outofscope.jsonl.
Questions the precheck (injection / off-task patterns) already decides are left out of the fit.
The threshold is the highest one that keeps in-scope recall ≥ 0.99 (false refusals are the costly error).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.core import Assistant
from assistant.eval.gold import load_retrieval, read_jsonl

HERE = Path(__file__).resolve().parent


def features(bot: Assistant, question: str) -> list[float] | None:
    if bot.scope.precheck(question) is not None:
        return None
    q = bot.analyzer(question)
    _, sig = bot.hybrid.retrieve(q, 5)
    return [sig.dense_top, math.log1p(max(sig.bm25_top, 0.0)), float(min(bot.scope.domain_hits(question), 3))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="write corpus/dict/scope.json")
    ap.add_argument("--min-recall", type=float, default=0.99)
    args = ap.parse_args()
    bot = Assistant.load()
    ins = [i.question for i in load_retrieval(HERE / "gold" / "retrieval.jsonl")]
    outs = [str(r["question"]) for r in read_jsonl(HERE / "scope" / "outofscope.jsonl")]
    X, y, pre = [], [], 0
    for label, qs in ((1, ins), (0, outs)):
        for q in qs:
            f = features(bot, q)
            if f is None:
                pre += 1 if label == 0 else 0
                continue
            X.append(f)
            y.append(label)
    lr = LogisticRegression(C=10.0, max_iter=1000).fit(np.array(X), np.array(y))
    p = lr.predict_proba(np.array(X))[:, 1]
    ya = np.array(y)
    print(
        f"fit on {len(y)} questions ({int(ya.sum())} in-scope, {len(ya) - int(ya.sum())} out); "
        f"{pre} out-of-scope decided by precheck"
    )
    print("| threshold | in-scope recall | false refusal | out-of-scope precision | out-of-scope recall |")
    print("|---|---|---|---|---|")
    chosen = 0.0
    for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
        refuse = p < t
        tp = int(((ya == 0) & refuse).sum()) + pre
        fp = int(((ya == 1) & refuse).sum())
        fn = int(((ya == 0) & ~refuse).sum())
        rec_in = 1 - fp / max(int(ya.sum()), 1)
        prec = tp / max(tp + fp, 1)
        rec_out = tp / max(tp + fn, 1)
        print(f"| {t:.2f} | {rec_in:.3f} | {1 - rec_in:.3f} | {prec:.3f} | {rec_out:.3f} |")
        if rec_in >= args.min_recall:
            chosen = float(t)
    w = lr.coef_[0]
    params = {
        "w_dense": float(w[0]),
        "w_bm25": float(w[1]),
        "w_domain": float(w[2]),
        "bias": float(lr.intercept_[0]),
        "threshold": chosen,
        "fitted_on": {"in_scope": int(ya.sum()), "out_of_scope": len(ya) - int(ya.sum())},
    }
    print("chosen:", json.dumps(params, ensure_ascii=False))
    if args.write:
        (bot.corpus_dir / "dict" / "scope.json").write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
