"""python -m eval.scope [--write]: fit the scope gate on the gold sets' questions and pick its threshold.

In scope: the questions of eval/gold/retrieval.jsonl and every gold item without history whose status is answered
or needs_more_info; out of scope: eval/scope/outofscope.jsonl and the gold items marked out_of_scope. Questions the
pipeline decides before the gate (harmful or injected requests, off-task tasks, unknown laws, articles that do not
exist) are left out. Each question is read as the pipeline reads it (spelling, intent, retrieval) and its five
features (answer/scope.py `signals`) are fitted by a logistic regression. The threshold is the highest that keeps
in-scope recall ≥ --min-recall (0.994) on 5-fold cross-validated probabilities (false refusals are the costly error).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from assistant.answer.scope import FEATURES, signals
from assistant.core import Assistant
from assistant.eval.gold import load_retrieval, read_jsonl
from assistant.retrieve import InvalidQuery

HERE = Path(__file__).resolve().parent
SETS = ("answers", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7")


def features(bot: Assistant, question: str) -> list[float] | None:
    ans = bot.answerer
    reading = ans.reader.read(question) if ans.reader is not None else None
    if reading is not None and reading.refused:
        return None
    text = reading.text if reading is not None else question
    decided = bot.scope.precheck(text) is not None or ans.unknown_law(text)
    if decided or bot.analyzer.addresser.find(text):
        return None
    try:
        query = bot.analyzer(text)
    except InvalidQuery:
        return None
    hits, sig = bot.hybrid.retrieve(query, ans.k)
    dense, bm25, cover, p_in = ans.scope_inputs(query, hits, sig, reading.intent if reading is not None else None)
    f = signals(dense, bm25, bot.scope.domain_hits(text), cover, p_in)
    return [f[k] for k in FEATURES]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="write corpus/dict/scope.json")
    ap.add_argument("--min-recall", type=float, default=0.994)
    args = ap.parse_args()
    bot = Assistant.load()
    ins = [i.question for i in load_retrieval(HERE / "gold" / "retrieval.jsonl")]
    outs = [str(r["question"]) for r in read_jsonl(HERE / "scope" / "outofscope.jsonl")]
    for name in SETS:
        for row in read_jsonl(HERE / "gold" / f"{name}.jsonl"):
            if row.get("history"):
                continue
            (outs if row.get("status") == "out_of_scope" else ins).append(str(row["question"]))
    X, y = [], []
    for label, qs in ((1, ins), (0, outs)):
        for q in dict.fromkeys(qs):
            f = features(bot, q)
            if f is not None:
                X.append(f)
                y.append(label)
    xa, ya = np.array(X), np.array(y)
    lr = LogisticRegression(C=1.0, max_iter=2000)
    p = cross_val_predict(lr, xa, ya, cv=5, method="predict_proba")[:, 1]
    lr.fit(xa, ya)
    n_in, n_out = int(ya.sum()), len(ya) - int(ya.sum())
    print(f"fit on {len(ya)} questions ({n_in} in scope, {n_out} out); 5-fold cross-validated:")
    print("| threshold | in-scope recall | false refusal | out-of-scope recall |")
    print("|---|---|---|---|")
    chosen = 0.0
    for t in np.round(np.concatenate([np.arange(0.01, 0.05, 0.01), np.arange(0.05, 0.96, 0.05)]), 2):
        refuse = p < t
        rec_in = 1 - int(((ya == 1) & refuse).sum()) / max(n_in, 1)
        rec_out = int(((ya == 0) & refuse).sum()) / max(n_out, 1)
        print(f"| {t:.2f} | {rec_in:.3f} | {1 - rec_in:.3f} | {rec_out:.3f} |")
        if rec_in >= args.min_recall:
            chosen = float(t)
    params = {f"w_{k}": float(w) for k, w in zip(FEATURES, lr.coef_[0], strict=True)}
    params |= {"bias": float(lr.intercept_[0]), "threshold": chosen}
    params |= {"fitted_on": {"in_scope": n_in, "out_of_scope": n_out}}
    print("chosen:", json.dumps(params, ensure_ascii=False))
    if args.write:
        path = bot.settings.corpus_dir / "dict" / "scope.json"
        path.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
