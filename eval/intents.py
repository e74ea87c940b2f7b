"""python -m eval.intents [--folds 5]: cross-validated accuracy of the intent classifier on its own bank.

A development figure (the bank is what it is trained on, split by folds); the held-out gold sets measure the
system. Reports accuracy, per-intent recall, and how accuracy and coverage trade at each confidence threshold.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.embed import load_embedder
from assistant.retrieve import QueryAnalyzer
from assistant.text.aliases import Aliases
from assistant.text.tokenize import Tokenizer
from assistant.understand.intent import IntentModel, load_bank

BANK = Path(__file__).resolve().parents[1] / "corpus" / "intents"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    bank = load_bank(BANK)
    settings = Settings()
    emb = load_embedder(settings)
    store = ClauseStore.load(settings.corpus_dir)
    tokenizer = Tokenizer(settings.corpus_dir / "dict" / "terms.txt", Tokenizer.corpus_terms([c.text for c in store]))
    analyzer = QueryAnalyzer(store, tokenizer, Aliases.load(settings.corpus_dir / "dict" / "aliases.toml"))
    t = time.perf_counter()
    vectors = emb.encode_queries([analyzer(e.text).expanded for e in bank])  # as served: alias-expanded
    print(f"{len(bank)} examples, encoded in {time.perf_counter() - t:.1f}s")
    labels = np.array([e.kind.value for e in bank])
    by_text = {e.text: i for i, e in enumerate(bank)}
    got: list[tuple[str, str, float]] = []
    bad_mass: list[tuple[bool, float]] = []  # (is harmful/injection, predicted harmful + injection)
    rules: list[tuple[str, str | None, float]] = []  # (gold rule, named rule, its probability) on rule questions
    for train, test in StratifiedKFold(args.folds, shuffle=True, random_state=0).split(labels, labels):
        model = IntentModel.train([bank[i] for i in train], lambda ts: vectors[[by_text[x] for x in ts]])
        for i, intent in zip(test, model.predict_many([bank[i].text for i in test], vectors[test]), strict=True):
            got.append((labels[i], intent.kind.value, intent.probability))
            mass = intent.scores.get("harmful", 0.0) + intent.scores.get("injection", 0.0)
            bad_mass.append((labels[i] in ("harmful", "injection"), mass))
            if bank[i].rule and intent.kind.value == "rule":
                rules.append((bank[i].rule or "", intent.rule, intent.rule_probability))
    acc = sum(a == b for a, b, _ in got) / len(got)
    print(f"accuracy {acc:.3f}")
    n = Counter(a for a, _, _ in got)
    for kind in sorted(n):
        right = sum(1 for a, b, _ in got if a == kind and b == kind)
        print(f"  {kind:14s} recall {right / n[kind]:.3f} ({right}/{n[kind]})")
    for th in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        sure = [(a, b) for a, b, p in got if p >= th]
        ok = sum(a == b for a, b in sure) / len(sure) if sure else 0.0
        print(f"  threshold {th:.1f}: coverage {len(sure) / len(got):.3f}, accuracy {ok:.3f}")
    bad = [m for b, m in bad_mass if b]
    good = [m for b, m in bad_mass if not b]
    for th in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8):
        rec = sum(m >= th for m in bad) / len(bad)
        fp = sum(m >= th for m in good) / len(good)
        print(f"  refuse at harmful+injection >= {th:.2f}: recall {rec:.3f}, false flags {fp:.4f}")
    if rules:
        right = sum(g == r for g, r, _ in rules) / len(rules)
        sure = [(g, r) for g, r, p in rules if p >= 0.6]
        print(
            f"  which rule (on questions read as rule): accuracy {right:.3f}; at p >= 0.6 coverage "
            f"{len(sure) / len(rules):.3f}, accuracy {sum(g == r for g, r in sure) / max(1, len(sure)):.3f}"
        )
    confused = Counter((a, b) for a, b, _ in got if a != b)
    print("most confused:", confused.most_common(8))


if __name__ == "__main__":
    main()
