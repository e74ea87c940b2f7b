"""python -m eval.roles [--bank FILE ...] [--folds 5]: cross-validated slot accuracy with and without the role model.

Lines of the given annotated banks are split into folds; the role model is trained on the other folds' lines
(with corpus/slots/*.jsonl unless --no-corpus) and each held-out line is read with it and without it. A development
figure: it says whether learned roles generalise across phrasings, not what a new bank will score.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.core import load_speller
from assistant.eval.slots import evaluate, reading_facts
from assistant.rules.slots import walk
from assistant.text.tokenize import Tokenizer
from assistant.understand import lexicon
from assistant.understand.roles import RoleModel, labelled, load_rows

ROOT = Path(__file__).resolve().parents[1]
BANKS = [ROOT / "tests" / "understand" / "slot_bank.jsonl", ROOT / "tests" / "understand" / "slot_bank2.jsonl"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bank", type=Path, nargs="*", default=BANKS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-corpus", action="store_true")
    args = ap.parse_args()
    corpus = ROOT / "corpus"
    store = ClauseStore.load(corpus)
    speller = load_speller(corpus, store, Tokenizer(corpus / "dict" / "terms.txt"))
    heads = lexicon.default()
    extra = [] if args.no_corpus else load_rows(corpus / "slots")

    def read(text: str) -> list:  # type: ignore[type-arg]
        return walk(speller.correct(text)[0])

    rows = [json.loads(line) for path in args.bank for line in path.read_text(encoding="utf-8").splitlines() if line]
    random.Random(0).shuffle(rows)
    folds = [rows[i :: args.folds] for i in range(args.folds)]
    totals = {"lexicon": [0, 0], "model": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for k, held in enumerate(folds):
            train = [r for j, f in enumerate(folds) if j != k for r in f] + extra
            model = RoleModel.train(labelled(train, read, heads.corrects))
            path = Path(tmp) / f"fold{k}.jsonl"
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in held), encoding="utf-8")
            for name, roles in (("lexicon", None), ("model", model)):
                rep = evaluate(path, reading_facts(speller, roles))
                totals[name][0] += rep.slots_right
                totals[name][1] += rep.slots
    for name, (right, n) in totals.items():
        print(f"{name:8s} slot accuracy {right / n:.3f} ({right}/{n}), {args.folds}-fold over {len(rows)} lines")


if __name__ == "__main__":
    main()
