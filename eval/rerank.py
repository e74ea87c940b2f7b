"""python -m eval.rerank [--gold FILE ...] [--write]: fit the lead-clause reranker, report its cross-validated top-1.

Every single-turn answered question of the given gold sets (no rule, with gold clauses) is retrieved and composed
as the assistant does; each candidate clause is an example, positive when it is a gold clause. The report compares,
with questions split into folds, how often the lead is a gold clause when it is the best sentence's clause (the
composer without the model), retrieval's first hit, and the model's choice. `--write` fits on all questions and
writes corpus/models/rerank.json (the weights, the features, the sets used and the date).
"""

from __future__ import annotations

import argparse
import json
import math
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

from assistant.answer.rerank import Candidate, Reranker, Tree, features
from assistant.core import Assistant

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold"
SETS = ["answers", "retrieval", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6"]
OUT = ROOT / "corpus" / "models" / "rerank.json"

Group = tuple[list[list[float]], list[int], list[Candidate]]


def groups(assistant: Assistant, paths: list[Path]) -> list[Group]:
    ans = assistant.answerer
    composer = ans.composer
    out: list[Group] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            answered = row.get("status", "answered") == "answered"
            if row.get("history") or row.get("rule") or not row.get("gold") or not answered:
                continue
            query = ans.analyzer(row["question"])
            hits, _ = ans.retriever.retrieve(query, ans.k)
            cands = composer.candidates(query, hits)
            gold = set(row["gold"])
            if not cands or not gold & {c.clause.id for c in cands}:
                continue  # nothing to choose between: retrieval missed every gold clause
            named, listing = composer.named(query), composer.listing(query)
            rows = [features(c, cands, query.norm, named, listing) for c in cands]
            out.append((rows, [1 if c.clause.id in gold else 0 for c in cands], cands))
    return out


def fit(train: list[Group]) -> Reranker:
    """Boosted trees on the candidates' features, exported as flat arrays (checked against sklearn's scores)."""
    x = np.array([r for g in train for r in g[0]])
    y = np.array([v for g in train for v in g[1]])
    clf = GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.05, random_state=0)
    clf.fit(x, y)
    prior = float(clf.init_.class_prior_[1])
    trees = []
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            Tree(
                tuple(int(v) for v in t.feature),
                tuple(round(float(v), 6) for v in t.threshold),
                tuple(int(v) for v in t.children_left),
                tuple(int(v) for v in t.children_right),
                tuple(round(float(v), 6) for v in t.value[:, 0, 0]),
            )
        )
    model = Reranker(math.log(prior / (1 - prior)), float(clf.learning_rate), tuple(trees))
    mine = np.array([model.score(r) for r in x[:200]])
    if not np.allclose(mine, clf.decision_function(x[:200]), atol=1e-3):
        raise RuntimeError("exported trees disagree with the fitted model")
    return model


def top1(groups_: list[Group], pick: str, model: Reranker | None = None) -> float:
    right = 0
    for rows, labels, cands in groups_:
        if pick == "model" and model is not None:
            i = max(range(len(rows)), key=lambda j: (model.score(rows[j]), -cands[j].rank))
        elif pick == "retrieval":
            i = min(range(len(cands)), key=lambda j: cands[j].rank)
        else:  # the best sentence's clause
            i = max(range(len(cands)), key=lambda j: (cands[j].best_score, -cands[j].rank))
        right += labels[i]
    return right / len(groups_) if groups_ else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, nargs="*", default=[GOLD / f"{s}.jsonl" for s in SETS])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    assistant = Assistant.load()
    data = groups(assistant, args.gold)
    random.Random(0).shuffle(data)
    folds = [data[i :: args.folds] for i in range(args.folds)]
    scores = {"best sentence": 0.0, "retrieval": 0.0, "model": 0.0}
    for k, held in enumerate(folds):
        model = fit([g for j, f in enumerate(folds) if j != k for g in f])
        for name, pick in (("best sentence", "best"), ("retrieval", "retrieval"), ("model", "model")):
            scores[name] += top1(held, pick, model) * len(held) / len(data)
    print(f"{len(data)} questions with a gold clause among the candidates; {args.folds}-fold top-1 of the lead:")
    for name, value in scores.items():
        print(f"  {name:14s} {value:.3f}")
    if args.write:
        model = fit(data)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            **model.to_json(),
            "trained_on": [p.name for p in args.gold],
            "questions": len(data),
            "fitted": datetime.now(UTC).date().isoformat(),
        }
        OUT.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
