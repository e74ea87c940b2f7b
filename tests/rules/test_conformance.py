"""Every rule in the catalogue: citations exist and are verbatim, slots ask in Chinese, examples route home."""

from __future__ import annotations

import importlib
import json
import re
from decimal import Decimal

import pytest

from assistant.clauses import ClauseStore
from assistant.lifecycle.review import LOCK_PATH, message, read_lock, rule_changes, stale
from assistant.rules import RULE_CLASSES, Rule, RulesEngine, Status, all_rules
from assistant.rules.engine import check_basis
from assistant.text.normalize import normalize
from tests.rules.support import rule_result

RULES = all_rules()
IDS = [r.id for r in RULES]
# Fixed ids: other engineers' gold sets refer to them.
CATALOGUE = {
    "committee-threshold",
    "union-fund",
    "dispatch-fund",
    "dispatch-affiliation",
    "restructuring",
    "taxi-union",
    "migrant-statistics",
    "full-time-chair",
    "dismissal-remedy",
    "governance-term",
    "extraordinary-meeting",
    "chair-removal",
    "chair-contract-extension",
    "union-work-time",
    "committee-relatives",
}
CJK = re.compile(r"[\u4e00-\u9fff]")
LOCK = read_lock(LOCK_PATH)


def test_catalogue_ids_are_the_fixed_ones() -> None:
    assert set(IDS) == CATALOGUE
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_basis_clauses_exist_and_quotes_are_verbatim(rule: Rule, store: ClauseStore) -> None:
    assert rule.basis, "a rule without a legal basis"
    for b in rule.basis:
        assert b.clause_id in store, b.clause_id
        clause = store[b.clause_id]
        assert b.quote in clause.text or normalize(b.quote) in clause.norm, (b.clause_id, b.quote)
        assert len(normalize(b.quote)) >= 4
    assert check_basis(rule, store) == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_basis_reviewed_since_its_clauses_changed(rule: Rule, store: ClauseStore) -> None:
    """A rule whose cited clause changed fails here until `assistant rules review RULE_ID` records the review."""
    changes = rule_changes(rule, store, LOCK)
    if changes:
        pytest.fail(message(rule.id, changes), pytrace=False)


def test_review_lock_names_only_catalogue_rules() -> None:
    assert stale(RULES, LOCK) == [], "run: assistant rules review --all"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_citations_render_like_the_store(rule: Rule, engine: RulesEngine, store: ClauseStore) -> None:
    for q in rule.examples:
        result = engine.answer(q)
        assert result is not None
        for b in result.basis:
            assert b.cite == store[b.clause_id].cite
        for s in result.trace:
            assert s.clause_id is None or store[s.clause_id].cite in s.text or "《" in s.text, s


def _vectors(rule: Rule, engine: RulesEngine) -> list[dict[str, object]]:
    """The facts of the rule's examples as the engine reads them, plus no facts at all."""
    return [{}, *(engine.prepare_for(rule.id, q).facts for q in rule.examples)]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_outcomes_cite_only_the_basis_and_phrase_in_chinese(rule: Rule, engine: RulesEngine) -> None:
    """decide() is data: every clause id its outcome carries is in the rule's basis and every missing name is a slot;
    phrase() writes the Chinese: the conclusion or correction itself, or the note before the questions (may be empty,
    the questions then stand alone)."""
    allowed = set(rule.clause_ids())
    slots = {s.name for s in rule.slots}
    for facts in _vectors(rule, engine):
        outcome = rule.decide(rule.coerce(facts))
        assert set(outcome.clause_ids) <= allowed, (facts, outcome.clause_ids)
        assert set(outcome.missing) <= slots, (facts, outcome.missing)
        assert (outcome.status is Status.NEEDS_MORE_INFO) == bool(outcome.missing), (facts, outcome.status)
        text = rule.phrase(outcome)
        result = rule.render(outcome, engine.cite)
        if outcome.status is Status.NEEDS_MORE_INFO:
            assert not text or CJK.search(text), (facts, text)
            assert result.message and CJK.search(result.message), (facts, result.message)
        else:
            assert CJK.search(text), (facts, text)
            assert result.conclusion == text


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_summary_rests_on_cited_clauses(rule: Rule) -> None:
    assert rule.summary_cites
    assert set(rule.summary_cites) <= set(rule.clause_ids())
    assert CJK.search(rule.summary)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_valid_for_names_real_documents(rule: Rule, store: ClauseStore) -> None:
    known = set(store.documents) | set(store.quoted_sources)
    assert rule.valid_for
    assert set(rule.valid_for) <= known
    docs = {cid.split("/")[0] for cid in rule.clause_ids()}
    assert set(rule.valid_for) <= docs, "valid_for must be among the cited documents"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_slots_ask_in_chinese(rule: Rule) -> None:
    names = [s.name for s in rule.slots]
    assert len(names) == len(set(names))
    for s in rule.slots:
        assert CJK.search(s.question) and s.question.endswith("？"), s
        assert CJK.search(s.display), s


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_examples_route_to_the_rule_itself(rule: Rule, engine: RulesEngine) -> None:
    assert len(rule.examples) >= 4
    for q in rule.examples:
        route = engine.route(q)
        assert route is not None and route.rule_id == rule.id, (q, route)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_answers_cite_only_the_rules_basis(rule: Rule, engine: RulesEngine) -> None:
    allowed = set(rule.clause_ids())
    for q in rule.examples:
        result = engine.answer(q)
        assert result is not None and result.rule_id == rule.id
        assert set(result.clause_ids) <= allowed, (q, result.clause_ids)
        assert result.basis, q
        json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_no_facts_never_crashes(rule: Rule) -> None:
    result = rule_result(rule, {})
    assert result.status in (Status.DECIDED, Status.NEEDS_MORE_INFO)
    assert CJK.search(result.conclusion)
    for s in result.missing:
        assert s.question.endswith("？")


@pytest.mark.parametrize("rule", RULES, ids=IDS)
@pytest.mark.parametrize(
    "bad", [-5, Decimal("0.5"), 10**15, "abc", True, float("nan"), {"low": 5, "high": 1}, "不知道"]
)
def test_bad_values_are_invalid_not_crashes(rule: Rule, bad: object) -> None:
    for s in rule.slots:
        result = rule_result(rule, {s.name: bad})
        assert result.status in (Status.INVALID, Status.DECIDED, Status.NEEDS_MORE_INFO)
        if result.status is Status.INVALID:
            assert result.message and CJK.search(result.message)
        json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("cls", RULE_CLASSES, ids=IDS)
def test_module_docstring_is_the_spec(cls: type[Rule]) -> None:
    module = importlib.import_module(cls.__module__)
    doc = module.__doc__ or ""
    first = doc.splitlines()[0]
    assert first.startswith(f"{cls.id}:"), first
    assert "《" in doc or "指导材料" in doc, "the legal text it implements is quoted"


def test_rules_do_not_import_retrieval() -> None:
    import pathlib

    root = pathlib.Path(importlib.import_module("assistant.rules").__file__ or "").parent
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("assistant.index", "assistant.retrieve", "assistant.answer"):
            assert banned not in text, (path.name, banned)
