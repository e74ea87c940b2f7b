"""python -m eval.slots [--bank FILE] [--fails] [--lexicon]: slot accuracy of spelling, mention roles, extraction."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.core import load_roles, load_speller
from assistant.eval.slots import evaluate, reading_facts
from assistant.text.tokenize import Tokenizer

BANK = Path(__file__).resolve().parents[1] / "tests" / "understand" / "slot_bank5.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bank", type=Path, default=BANK)
    ap.add_argument("--fails", action="store_true")
    ap.add_argument("--lexicon", action="store_true", help="read mentions by the lexicon alone (no role model)")
    args = ap.parse_args()
    corpus = BANK.parents[2] / "corpus"
    store = ClauseStore.load(corpus)
    speller = load_speller(corpus, store, Tokenizer(corpus / "dict" / "terms.txt"))

    roles = None if args.lexicon else load_roles(corpus)
    rep = evaluate(args.bank, reading_facts(speller, roles))
    print(f"items {rep.items}  all slots right {rep.item_accuracy:.3f}  slot accuracy {rep.slot_accuracy:.3f}")
    for name, n in sorted(rep.by_slot.items()):
        print(f"  {name:16s} {rep.by_slot_right[name]:4d}/{n:<4d} {rep.by_slot_right[name] / n:.3f}")
    if args.fails:
        for m in rep.misses:
            print(json.dumps(m, ensure_ascii=False))


if __name__ == "__main__":
    main()
