"""`assistant replay` end to end: audit lines written by a real app, replayed against the version that answered."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import ApiSettings, create_app
from assistant.api.server import serve_in_thread
from assistant.cli import app as cli
from assistant.config import Settings
from assistant.core import Assistant, corpus_version
from assistant.index.build import manifest_path
from assistant.lifecycle.audit import ReplyFacts
from assistant.lifecycle.snapshots import RULES_DIR, Snapshots
from tests.lifecycle.helpers import edit_clause

pytestmark = pytest.mark.integration
runner = CliRunner()

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"
FUND = "劳务派遣工的工会经费由谁拨缴"
WHY = "为什么要推动外商投资企业和私营企业建工会"  # answered by retrieval from guidance/1.1, no rule
FOLLOW = [
    {"role": "user", "content": "我们会计所想建工会，可以单独建吗？"},
    {"role": "assistant", "content": "请问贵所有多少名会员？"},
]


def _replay(audit: Path, data: Path, *args: str, corpus: Path | None = None) -> Any:
    env = {"ASSISTANT_DATA_DIR": str(data), "COLUMNS": "200"}
    if corpus is not None:
        env["ASSISTANT_CORPUS_DIR"] = str(corpus)
    return runner.invoke(cli, ["replay", str(audit), *args], env=env)


def _ask_all(post: Any) -> list[dict[str, Any]]:
    """Every ask route, rules, retrieval, follow-up history, a question it asks back and one it declines."""
    questions = (CPA, WHY, "我们会计所想建工会，可以单独建吗？", "明天天气怎么样")
    replies = [post("/v1/ask", {"question": q}).json() for q in questions]
    post("/v1/ask/stream", {"question": FUND})
    chat = post("/v1/chat/completions", {"messages": [*FOLLOW, {"role": "user", "content": "18名"}]}).json()
    return [*replies, chat["assistant"]]


def test_the_current_version_replays_the_same(bot: Any, data_dir: Path, tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    default_manifest = manifest_path(bot.settings).read_bytes()
    served = Assistant.load(Settings(data_dir=data_dir))  # the server and replay share a data dir, as in production
    with TestClient(create_app(served, ApiSettings(audit_file=audit, audit_questions=True))) as c:
        replies = _ask_all(lambda route, body: c.post(route, json=body))
    assert [r["status"] for r in replies] == ["answered", "answered", "needs_more_info", "out_of_scope", "answered"]
    lines = audit.read_text(encoding="utf-8").splitlines()
    tampered = json.loads(lines[0]) | {"answer_sha": "0" * 16, "cited": ["union-law-2021/art-1"]}
    audit.write_text("\n".join([*lines, json.dumps(tampered, ensure_ascii=False)]) + "\n", encoding="utf-8")

    r = _replay(audit, data_dir, "--json")
    assert r.exit_code == 1, r.output  # one line differs: the gate fails
    doc = json.loads(r.stdout)
    version = served.answerer.version
    assert doc["versions"] == [{"version": version, "available": True, "reason": "", "rules_changed": [],
                                "replayed_version": version}]
    assert [x["outcome"] for x in doc["lines"]] == ["same"] * 6 + ["differs"]
    assert {d["field"] for d in doc["lines"][-1]["differences"]} == {"cited", "answer_sha"}
    assert (data_dir / "replay" / version / "snapshot" / "corpus" / "sources.toml").is_file()
    assert manifest_path(bot.settings).read_bytes() == default_manifest  # the default index was only read

    text = _replay(audit, data_dir, "--limit", "2")
    assert text.exit_code == 0, text.output
    assert f"语料版本 {version}：按快照重放" in text.stdout
    assert "第1行 相同" in text.stdout and "第2行 相同" in text.stdout and "共 2 条" in text.stdout


def test_replay_after_a_corpus_change_answers_from_the_old_snapshot(
    bot: Any, data_dir: Path, tmp_path: Path, corpus_dir: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    edit_clause(corpus, bot.store["guidance/1.1"], "15053家", "15054家")
    settings = Settings(corpus_dir=corpus, data_dir=data_dir)
    served = Assistant.load(settings)
    old = served.answerer.version
    assert old != bot.answerer.version

    audit = tmp_path / "audit.jsonl"
    with serve_in_thread(create_app(served, ApiSettings(audit_file=audit, audit_questions=True))) as url, \
            httpx.Client(base_url=url, timeout=120) as http:
        replies = _ask_all(lambda route, body: http.post(route, json=body))
    assert all(r["corpus_version"] == old for r in replies) and "15054家" in replies[1]["answer"]
    assert Snapshots(data_dir / "versions").has(old)

    edit_clause(corpus, served.store["guidance/1.1"], "15054家", "15055家")  # the corpus moves on
    del served
    r = _replay(audit, data_dir, "--json", corpus=corpus)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [x["outcome"] for x in doc["lines"]] == ["same"] * 6
    assert [v["version"] for v in doc["versions"]] == [old] and doc["versions"][0]["rules_changed"] == []

    now = Assistant.load(settings)  # what the changed corpus answers: not what was recorded
    assert now.answerer.version != old
    reply = now.ask(WHY).to_dict()
    assert "15055家" in reply["answer"]
    assert ReplyFacts.of(reply).answer_sha != ReplyFacts.of(replies[1]).answer_sha


def test_a_snapshot_with_other_rules_code_is_replayed_with_the_current_code_and_says_so(
    bot: Any, data_dir: Path, tmp_path: Path, corpus_dir: Path
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("__pycache__"))
    (rules / "union_fund.py").write_text((rules / "union_fund.py").read_text(encoding="utf-8") + "\n# older\n")
    old = corpus_version(bot.store, rules)
    Snapshots(data_dir / "versions").save(old, corpus_dir, rules)
    audit = tmp_path / "audit.jsonl"
    rows = []
    for q in (CPA, WHY):
        facts = ReplyFacts.of(bot.ask(q).to_dict())
        rows.append({"route": "/v1/ask", "status": 200, **facts.record(), "corpus_version": old, "question": q,
                     "history": []})
    audit.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")

    r = _replay(audit, data_dir, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    current = corpus_version(bot.store)  # the rules source on disk now
    assert doc["versions"] == [{"version": old, "available": True, "reason": "", "rules_changed": ["union_fund.py"],
                                "replayed_version": current}]
    assert [x["outcome"] for x in doc["lines"]] == ["same", "same"]
    text = _replay(audit, data_dir)
    assert "快照中的规则代码与当前代码不同（union_fund.py）" in text.stdout and current in text.stdout
