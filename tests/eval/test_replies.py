"""Reply snapshots: probes read both gold and rules-set lines; compare names every changed field."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answer.reply import Reply, ReplyStatus
from assistant.eval.gold import read_jsonl
from assistant.eval.replies import compare, probes, snapshot, write


def _ask(question: str, history: list[dict[str, str]] | None) -> Reply:
    return Reply(status=ReplyStatus.ANSWERED, answer=f"{question}|{len(history or [])}", corpus_version="v1")


def test_probes_read_gold_and_rules_lines(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(
        json.dumps({"id": "a1", "question": "问一", "history": [{"role": "user", "content": "前"}]}) + "\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules_set.jsonl"
    rules.write_text(json.dumps({"id": 7, "q": "问二", "history": ["前一", "前二"]}) + "\n", encoding="utf-8")
    got = list(probes([gold, rules]))
    assert [p.key for p in got] == ["g:a1", "rules_set:7"]
    assert got[1].history == [{"role": "user", "content": "前一"}, {"role": "user", "content": "前二"}]


def test_snapshot_round_trip_and_compare(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text("".join(json.dumps({"id": i, "question": q}) + "\n" for i, q in enumerate("甲乙")), "utf-8")
    rows = snapshot(_ask, list(probes([gold])))
    assert "corpus_version" not in rows[0]  # the build's name is not behaviour
    out = tmp_path / "snap.jsonl"
    write(rows, out)
    before = read_jsonl(out)
    assert compare(before, before) == []
    after = [dict(before[0], answer="变了"), before[1], {"key": "g:9", "answer": ""}]
    diffs = compare(before, after)
    assert diffs[0] == {"key": "g:0", "fields": ["answer"], "answer": ["甲|0", "变了"]}
    assert diffs[1] == {"key": "g:9", "only_in": "after"}
