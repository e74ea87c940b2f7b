"""python -m eval.replies snapshot OUT | compare BEFORE AFTER: guard a refactor with every reply of every gold set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.eval.gold import read_jsonl
from assistant.eval.replies import compare, probes, snapshot, write

HERE = Path(__file__).resolve().parent
SETS = [*sorted((HERE / "gold").glob("*.jsonl")), HERE / "rules_set.jsonl"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--show", type=int, default=20, help="print at most this many differences")
    args = ap.parse_args()
    if args.cmd == "snapshot":
        from assistant.core import Assistant

        bot = Assistant.load()
        rows = snapshot(bot.ask, list(probes(SETS)))
        write(rows, args.out)
        print(f"{len(rows)} replies → {args.out}")
        return 0
    diffs = compare(read_jsonl(args.before), read_jsonl(args.after))
    for d in diffs[: args.show]:
        print(json.dumps(d, ensure_ascii=False)[:1500])
    print(f"{len(diffs)} replies differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
