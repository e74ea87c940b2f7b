"""python -m eval.rules_eval [--verbose] [--json] [--gold FILE]: rule routing and slot accuracy on the rules set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.clauses import ClauseStore
from assistant.core import load_roles
from assistant.eval.rules import evaluate
from assistant.rules import RulesEngine

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "rules_set.jsonl"


def _pct(x: float | None) -> str:
    return "  —  " if x is None else f"{x * 100:5.1f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list every routing and slot error")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ap.add_argument("--gold", type=Path, default=GOLD)
    args = ap.parse_args(argv)
    items = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = RulesEngine(ClauseStore.load(ROOT / "corpus"), roles=load_roles(ROOT / "corpus"))
    m = evaluate(engine, items)
    splits = sorted({i.get("split", "dev") for i in items})
    by_split = {sp: evaluate(engine, [i for i in items if i.get("split", "dev") == sp]) for sp in splits}
    if args.json:
        m["splits"] = {
            sp: {k: v for k, v in sm.items() if k not in ("errors", "per_rule", "per_slot")}
            for sp, sm in by_split.items()
        }
        print(json.dumps(m, ensure_ascii=False, indent=2))
        return 0
    for sp, sm in by_split.items():
        print(
            f"[{sp}] {sm['questions']} questions: routing precision {_pct(sm['routing_precision'])}, "
            f"recall {_pct(sm['routing_recall'])}, abstention {_pct(sm['abstention_accuracy'])}, "
            f"slot accuracy {_pct(sm['slot_accuracy'])} of {sm['slot_values']}, spurious {sm['spurious_core_slots']}"
            + (f", result {_pct(sm['result_accuracy'])} of {sm['result_values']}" if sm["result_values"] else "")
        )
    print("[all]")
    print(f"questions: {m['questions']} ({m['rule_questions']} rule, {m['non_rule_questions']} non-rule)")
    print(
        f"routing precision: {_pct(m['routing_precision'])}   recall: {_pct(m['routing_recall'])}   "
        f"abstention on non-rule: {_pct(m['abstention_accuracy'])}"
    )
    print(
        f"slot accuracy: {_pct(m['slot_accuracy'])} of {m['slot_values']} expected values; "
        f"spurious core slots: {m['spurious_core_slots']}"
    )
    if m["result_values"]:
        print(f"result accuracy: {_pct(m['result_accuracy'])} of {m['result_values']} expected result values")
    print("\nper rule                    precision  recall  n")
    for rid, v in m["per_rule"].items():
        print(f"  {rid:<26} {_pct(v['precision'])}   {_pct(v['recall'])}  {v['support']}")
    print("\nper slot")
    for name, v in m["per_slot"].items():
        print(f"  {name:<20} {v['correct']}/{v['total']}")
    if args.verbose:
        print("\nerrors (all splits)")
        for e in m["errors"]:
            print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
