"""Reading audit files, and `assistant replay` on bad input: one line per problem, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.lifecycle.replay import AuditEntry, Malformed, ReplayError, read_audit
from assistant.lifecycle.snapshots import Snapshots

runner = CliRunner()
VERSION = "00000000deadbeef"  # no snapshot anywhere


def _line(**fields: Any) -> str:
    base = {"request_id": "r", "route": "/v1/ask", "status": 200, "reply_status": "answered",
            "corpus_version": VERSION, "cited": ["guidance/6.2"], "rule": None, "answer_sha": "ab" * 8}
    return json.dumps({**base, **fields}, ensure_ascii=False)


LINES = [
    _line(question="问题一"),  # 1: replayable
    "{not json",  # 2
    "",  # blank: skipped
    _line(route="/v1/search", reply_status=None),  # 4: not an ask reply: skipped
    _line(reply_status=None, status=422, question="x"),  # 5: refused request: no reply to compare
    _line(),  # 6: questions were not recorded
    "[1, 2]",  # 7
    _line(question="q", history=[{"role": "user"}]),  # 8: history without content
    _line(question="q", corpus_version=None),  # 9: an audit line from before versions were recorded
    _line(question="问题二", history=[{"role": "user", "content": "前"}, {"role": "assistant", "content": "答"}]),
]


def test_read_audit_keeps_ask_replies_and_reports_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    items = read_audit(path)
    assert [(type(i).__name__, i.line) for i in items] == [
        ("AuditEntry", 1), ("Malformed", 2), ("AuditEntry", 6), ("Malformed", 7), ("Malformed", 8),
        ("AuditEntry", 9), ("AuditEntry", 10),
    ]
    first, last = items[0], items[-1]
    assert isinstance(first, AuditEntry) and first.question == "问题一" and first.recorded.cited == ("guidance/6.2",)
    assert isinstance(last, AuditEntry) and last.history_dicts()[1] == {"role": "assistant", "content": "答"}
    assert isinstance(items[1], Malformed) and "JSON" in items[1].reason
    assert [i.line for i in read_audit(path, limit=3)] == [1, 2, 6]


def test_missing_or_unreadable_files_raise_one_message(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="找不到审计日志"):
        read_audit(tmp_path / "nope.jsonl")
    with pytest.raises(ReplayError, match="是目录"):
        read_audit(tmp_path)


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "nope.jsonl", "找不到审计日志"),
    (lambda d: d, "是目录"),
])
def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path, make: Any, message: str) -> None:
    r = runner.invoke(app, ["replay", str(make(tmp_path))], env={"COLUMNS": "200"})
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_cli_bad_limit(tmp_path: Path) -> None:
    r = runner.invoke(app, ["replay", str(tmp_path / "a.jsonl"), "--limit", "0"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_cli_reports_every_line_without_loading_a_model(tmp_path: Path) -> None:
    """No line here has a usable snapshot: nothing is loaded, every line gets its outcome, exit 0 (nothing differs)."""
    path = tmp_path / "audit.jsonl"
    path.write_text("\n".join(LINES) + "\n\xff\xfe broken bytes\n", encoding="utf-8", errors="surrogateescape")
    data = tmp_path / "data"
    corrupt = _line(question="q", corpus_version="feedfacefeedface")
    path.write_text(path.read_text(encoding="utf-8") + corrupt + "\n", encoding="utf-8")
    snaps = Snapshots(data / "versions")
    snaps.root.mkdir(parents=True)
    snaps.path("feedfacefeedface").write_bytes(b"garbage")
    env = {"ASSISTANT_DATA_DIR": str(data), "COLUMNS": "200"}
    r = runner.invoke(app, ["replay", str(path), "--json"], env=env)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    outcomes = {x["line"]: x["outcome"] for x in doc["lines"]}
    assert outcomes == {1: "version_unavailable", 2: "malformed", 6: "no_question", 7: "malformed", 8: "malformed",
                        9: "version_unavailable", 10: "version_unavailable", 11: "malformed",
                        12: "version_unavailable"}
    notes = {v["version"]: v for v in doc["versions"]}
    assert not notes[VERSION]["available"] and "没有这个版本的快照" in notes[VERSION]["reason"]
    assert "unreadable snapshot archive" in notes["feedfacefeedface"]["reason"]
    assert doc["summary"] == {"same": 0, "differs": 0, "version_unavailable": 4, "no_question": 1, "malformed": 4,
                              "error": 0}

    text = runner.invoke(app, ["replay", str(path)], env=env)
    assert text.exit_code == 0 and "Traceback" not in text.output
    assert "第2行 格式错误，已跳过：不是合法的 JSON" in text.stdout and "第6行 未记录问题" in text.stdout
    assert "共 9 条" in text.stdout
