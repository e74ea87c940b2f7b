"""python -m eval.roles [--dir corpus/slots]: leave-one-bank-out slot accuracy, lexicon alone vs the mention models.

Each annotated bank of the folder is held out in turn; the mention models (roles and figure chains,
understand/roles.py) are trained on the other banks and the held-out bank is read with them and without them. A
development figure: it says whether what was learned from some writers carries to another writer's phrasings.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.core import load_speller
from assistant.eval.slots import evaluate, reading_facts
from assistant.rules.facts import marks, walk
from assistant.text.tokenize import Tokenizer
from assistant.understand import lexicon
from assistant.understand.roles import Mention, RoleModel

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", type=Path, default=ROOT / "corpus" / "slots")
    args = ap.parse_args()
    corpus = ROOT / "corpus"
    store = ClauseStore.load(corpus)
    speller = load_speller(corpus, store, Tokenizer(corpus / "dict" / "terms.txt"))
    heads = lexicon.default()

    def read(text: str) -> list[Mention]:
        return walk(speller.correct(text)[0])

    banks = sorted(args.dir.glob("*.jsonl"))
    rows = {p: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()] for p in banks}
    totals = {"lexicon": [0, 0], "models": [0, 0]}
    for held in banks:
        train = [r for p in banks if p != held for r in rows[p]]
        model = RoleModel.fit(train, read, heads.corrects, marks)
        line = f"{held.name:14s}"
        for name, roles in (("lexicon", None), ("models", model)):
            rep = evaluate(held, reading_facts(speller, roles))
            totals[name][0] += rep.slots_right
            totals[name][1] += rep.slots
            line += f"  {name} {rep.slot_accuracy:.3f}"
        print(line)
    for name, (right, n) in totals.items():
        print(f"{name:8s} slot accuracy {right / n:.3f} ({right}/{n}), each bank held out in turn")


if __name__ == "__main__":
    main()
