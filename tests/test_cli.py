"""The `assistant` command line: real commands in-process through typer's runner."""

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def test_clause_shows_text_and_metadata() -> None:
    r = runner.invoke(app, ["clause", "guidance/6.2"])
    assert r.exit_code == 0 and "（六）2" in r.stdout and "acftu-dispatch-rule/art-3" in r.stdout
    data = json.loads(runner.invoke(app, ["clause", "union-law-2009/art-12", "--json"]).stdout)
    assert data["superseded"] is True and "union-law-2021/art-13" in data["versions"]


def test_unknown_clause_is_one_line_exit_2() -> None:
    r = runner.invoke(app, ["clause", "nope/art-1"])
    assert r.exit_code == 2 and "没有条款" in r.output and "Traceback" not in r.output


def test_sources_lists_versions_and_tiers() -> None:
    r = runner.invoke(app, ["sources"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    for word in ("union-law-2021", "union-law-2009", "已被取代", "acftu-dispatch-rule", "483"):
        assert word in r.stdout


def test_rules_lists_catalogue_with_basis() -> None:
    r = runner.invoke(app, ["rules"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "committee-threshold" in r.stdout and "《工会法》第十一条" in r.stdout


@pytest.mark.parametrize(
    "args", [["search", ""], ["search", "   "], ["search", "工会", "--mode", "magic"], ["search", "工会", "-k", "0"]]
)
def test_bad_search_input(args: list[str]) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "Traceback" not in r.output


@pytest.mark.parametrize("command", ["ask", "search"])
def test_a_question_over_the_limit_is_one_line_before_any_loading(command: str) -> None:
    r = runner.invoke(app, [command, "问" * 1001])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "1000字以内" in r.output


@pytest.mark.integration
def test_search_and_ask_json() -> None:
    r = runner.invoke(app, ["search", "劳务派遣工的工会经费由谁拨缴", "-k", "3", "--json"])
    assert r.exit_code == 0
    hits = json.loads(r.stdout)
    assert len(hits) == 3 and {"id", "source", "locator", "score", "text"} <= set(hits[0])
    r = runner.invoke(app, ["ask", "我们会计师事务所有18名会员，可以单独建工会吗？", "--json"])
    reply = json.loads(r.stdout)
    assert reply["status"] == "answered" and reply["rule"]["id"] == "committee-threshold"


@pytest.mark.parametrize(("var", "value"), [("ASSISTANT_FUSION", "magic"), ("ASSISTANT_BACKEND", "onnx-int4")])
def test_bad_setting_is_one_line(var: str, value: str) -> None:
    r = runner.invoke(app, ["search", "工会"], env={var: value})
    assert r.exit_code == 2 and var in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_rules_check_reports_a_faq_span_that_left_its_clause(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from pathlib import Path

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", corpus)
    (corpus / "faq" / "broken.jsonl").write_text(
        json.dumps({"id": "x1", "questions": ["问"], "clause": "union-law-2021/art-11", "span": "条文里没有这句话"},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["rules", "check"], env={"ASSISTANT_CORPUS_DIR": str(corpus), "COLUMNS": "200"})
    assert r.exit_code == 1 and "FAQ x1" in r.output and "Traceback" not in r.output
