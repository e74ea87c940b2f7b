"""`python -m assistant.rules [question…]`: list the catalogue with each rule's legal basis, or answer a question."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.clauses import ClauseStore
from assistant.core import load_roles
from assistant.rules.engine import RulesEngine


def main(argv: list[str]) -> int:
    corpus = Path("corpus")
    roles = load_roles(corpus)
    engine = RulesEngine(ClauseStore.load(corpus), roles=roles)
    if not argv:
        for entry in engine.catalogue():
            print(f"{entry['id']}  {entry['title']}")
            for b in entry["basis"]:
                print(f"    {b['clause_id']:<34} {b['cite']}")
        return 0
    result = engine.answer(" ".join(argv))
    if result is None:
        print("（无规则适用：交由检索回答）")
        return 1
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
