"""`assistant ingest` and `assistant diff` through typer's runner, on a corpus copy (ASSISTANT_CORPUS_DIR)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.corpus.base import load_documents
from tests.lifecycle.helpers import snapshot

runner = CliRunner()
COMMANDS = {c.name for c in app.registered_commands}
pytestmark = pytest.mark.skipif(
    not {"ingest", "diff"} <= COMMANDS, reason="`assistant ingest`/`diff` not wired into assistant/cli.py yet"
)
LAW = "测试法\n\n第一章 总则\n\n第一条 为了测试，制定本法。\n\n第二条 本法自公布之日起施行。\n"
FLAGS = ["--id", "test-law", "--title", "测试法", "--issuer", "全国人大", "--version", "2020年1月1日", "--tier", "law"]


def test_ingest_then_diff(tmp_path: Path, corpus_copy: Path, corpus_dir: Path) -> None:
    src = tmp_path / "test-law.txt"
    src.write_text(LAW, encoding="utf-8")
    env = {"ASSISTANT_CORPUS_DIR": str(corpus_copy), "COLUMNS": "200"}
    before = snapshot(corpus_copy)
    dry = runner.invoke(app, ["ingest", str(src), *FLAGS, "--dry-run"], env=env)
    assert dry.exit_code == 0 and "2 条款" in dry.stdout and snapshot(corpus_copy) == before
    r = runner.invoke(app, ["ingest", str(src), *FLAGS], env=env)
    assert r.exit_code == 0, r.output
    assert "test-law" in {d.id for d in load_documents(corpus_copy)[0]}

    again = runner.invoke(app, ["ingest", str(src), *FLAGS], env=env)
    assert again.exit_code == 2 and "Traceback" not in again.output
    assert len(again.output.strip().splitlines()) == 1 and "already" in again.output

    d = runner.invoke(app, ["diff", str(corpus_dir), str(corpus_copy), "--json"], env=env)
    assert d.exit_code == 0, d.output
    data = json.loads(d.stdout)
    assert data["diff"]["added"] == ["test-law/art-1", "test-law/art-2"] and data["impact"]["rules"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "/no/such/file.md", *FLAGS], "no such file"),
        (["diff", "no-such-ref", "corpus"], "neither a directory nor a git ref"),
    ],
)
def test_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    r = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1
