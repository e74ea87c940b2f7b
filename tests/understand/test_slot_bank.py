"""Gate: spelling, mention roles and fact extraction on the slot banks meet eval/thresholds.toml [slots*].

corpus/slots/bank1–4 were test banks, each measured once, then became training data of the mention models: their
bars guard against regressions (training-set figures). tests/understand/slot_bank5.jsonl is held out."""

import tomllib
from pathlib import Path

import pytest

from assistant.clauses import ClauseStore
from assistant.core import load_roles, load_speller
from assistant.eval.slots import evaluate, reading_facts
from assistant.text.tokenize import Tokenizer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("bank", "section"), [
        ("corpus/slots/bank1.jsonl", "slots"),
        ("corpus/slots/bank2.jsonl", "slots2"),
        ("corpus/slots/bank3.jsonl", "slots3"),
        ("corpus/slots/bank4.jsonl", "slots4"),
        ("tests/understand/slot_bank5.jsonl", "slots5"),
    ])
def test_the_slot_banks_meet_their_bars(corpus_dir: Path, store: ClauseStore, bank: str, section: str) -> None:
    bars = tomllib.loads((ROOT / "eval" / "thresholds.toml").read_text(encoding="utf-8"))[section]
    speller = load_speller(corpus_dir, store, Tokenizer(corpus_dir / "dict" / "terms.txt"))
    rep = evaluate(ROOT / bank, reading_facts(speller, load_roles(corpus_dir)))
    assert rep.items >= 300
    assert rep.slot_accuracy >= bars["slot_accuracy"], rep.misses[:5]
    assert rep.item_accuracy >= bars["item_accuracy"]
