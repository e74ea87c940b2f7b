"""Schema and grounding checks for the hand-written evaluation gold sets in eval/gold/.

The gold sets are written from the corpus sources, so every cited clause must exist in the clause
store and every key fact must be quotable from a cited clause (or be a number a rule computes).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from assistant.clauses import ClauseStore
from assistant.rules import all_rules
from assistant.text.normalize import normalize, to_simplified

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold"
CORPUS = ROOT / "corpus"

GUIDANCE_CATEGORIES = [f"guidance-{n}" for n in range(1, 8)]
RETRIEVAL_CATEGORIES = {*GUIDANCE_CATEGORIES, "union-law", "dispatch", "labor-law", "direct-reference"}
ANSWER_CATEGORIES = {
    *GUIDANCE_CATEGORIES,
    "union-law",
    "dispatch",
    "fees",
    "restructuring",
    "taxi",
    "cpa",
    "migrant",
    "follow-up",
    "out-of-scope",
    "adversarial",
    "direct-reference",
    "labor-law",
}
STATUSES = {"answered", "needs_more_info", "out_of_scope"}
VARIANTS = {"traditional", "colloquial", "typo", None}
ROLES = {"user", "assistant"}
RULE_IDS = {rule.id for rule in all_rules()}  # the fixed catalogue ids (tests/rules/test_conformance.py)
RETRIEVAL_KEYS = {"id", "question", "gold", "category", "note"}
ANSWER_REQUIRED = {"id", "question", "category", "variant", "status", "gold", "key_facts", "rule", "note"}
ANSWER_OPTIONAL = {"history", "standalone", "kind"}


def _load(name: str) -> list[dict[str, Any]]:
    path = GOLD / name
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
            pytest.fail(f"{name}:{n}: invalid JSON: {exc}")
    return rows


@pytest.fixture(scope="module")
def store() -> ClauseStore:
    return ClauseStore.load(CORPUS)


@pytest.fixture(scope="module")
def clause_norms(store: ClauseStore) -> dict[str, str]:
    return {c.id: normalize(c.text) for c in store}


@pytest.fixture(scope="module")
def retrieval() -> list[dict[str, Any]]:
    return _load("retrieval.jsonl")


@pytest.fixture(scope="module")
def answers() -> list[dict[str, Any]]:
    return _load("answers.jsonl")


def _is_gold_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(g, str) and g for g in value) and len(set(value)) == len(value)


# ---------------------------------------------------------------- retrieval.jsonl


def test_retrieval_schema(retrieval: list[dict[str, Any]]) -> None:
    errors = []
    for row in retrieval:
        rid = row.get("id", "?")
        if set(row) != RETRIEVAL_KEYS:
            errors.append(f"{rid}: keys {sorted(row)}")
            continue
        if not re.fullmatch(r"r\d{3}", row["id"]):
            errors.append(f"{rid}: bad id")
        if not isinstance(row["question"], str) or not row["question"].strip():
            errors.append(f"{rid}: empty question")
        if not _is_gold_list(row["gold"]) or not row["gold"]:
            errors.append(f"{rid}: gold must be a non-empty list of distinct ids")
        if row["category"] not in RETRIEVAL_CATEGORIES:
            errors.append(f"{rid}: category {row['category']!r}")
        if not isinstance(row["note"], str):
            errors.append(f"{rid}: note must be a string")
    assert not errors, "\n".join(errors)
    ids = [r["id"] for r in retrieval]
    assert len(ids) == len(set(ids)), "duplicate retrieval ids"
    questions = [normalize(r["question"]) for r in retrieval]
    dupes = [q for q, n in Counter(questions).items() if n > 1]
    assert not dupes, f"duplicate retrieval questions: {dupes}"


def test_retrieval_gold_ids_exist(retrieval: list[dict[str, Any]], clause_norms: dict[str, str]) -> None:
    missing = [(r["id"], g) for r in retrieval for g in r["gold"] if g not in clause_norms]
    assert not missing, f"unknown clause ids: {missing}"


def test_retrieval_counts(retrieval: list[dict[str, Any]]) -> None:
    assert len(retrieval) >= 90
    cats = Counter(r["category"] for r in retrieval)
    for cat in GUIDANCE_CATEGORIES:
        assert cats[cat] >= 5, f"{cat}: {cats[cat]} questions"
    assert cats["union-law"] >= 20
    assert cats["dispatch"] >= 1
    assert cats["labor-law"] >= 1
    assert cats["direct-reference"] >= 1
    traditional = [r for r in retrieval if to_simplified(r["question"]) != r["question"]]
    assert len(traditional) >= 10, f"only {len(traditional)} traditional-character questions"


def test_retrieval_guidance_gold_matches_category(retrieval: list[dict[str, Any]]) -> None:
    """A guidance-N question cites at least one clause from section N (or a rule it quotes)."""
    bad = []
    for r in retrieval:
        if r["category"].startswith("guidance-"):
            n = r["category"].split("-")[1]
            ok = any(g.startswith(f"guidance/{n}") for g in r["gold"])
            if not ok:
                bad.append(r["id"])
    assert not bad, f"guidance questions without a clause of their section: {bad}"


# ---------------------------------------------------------------- answers.jsonl


def _check_answer_row(row: dict[str, Any], prefix: str = "a") -> list[str]:
    aid = row.get("id", "?")
    errors: list[str] = []
    keys = set(row)
    if not keys >= ANSWER_REQUIRED:
        return [f"{aid}: missing keys {sorted(ANSWER_REQUIRED - keys)}"]
    if keys - ANSWER_REQUIRED - ANSWER_OPTIONAL:
        errors.append(f"{aid}: unknown keys {sorted(keys - ANSWER_REQUIRED - ANSWER_OPTIONAL)}")
    if not re.fullmatch(rf"{prefix}\d{{3}}", row["id"]):
        errors.append(f"{aid}: bad id")
    if not isinstance(row["question"], str) or not row["question"].strip():
        errors.append(f"{aid}: empty question")
    if row["category"] not in ANSWER_CATEGORIES:
        errors.append(f"{aid}: category {row['category']!r}")
    if row["variant"] not in VARIANTS:
        errors.append(f"{aid}: variant {row['variant']!r}")
    if row["variant"] == "traditional" and to_simplified(row["question"]) == row["question"]:
        errors.append(f"{aid}: marked traditional but has no traditional characters")
    if row["status"] not in STATUSES:
        errors.append(f"{aid}: status {row['status']!r}")
    if not _is_gold_list(row["gold"]):
        errors.append(f"{aid}: gold must be a list of distinct ids")
    if not isinstance(row["note"], str):
        errors.append(f"{aid}: note must be a string")
    facts = row["key_facts"]
    if not isinstance(facts, list) or not all(
        isinstance(alts, list) and alts and all(isinstance(a, str) and a.strip() for a in alts) for alts in facts
    ):
        errors.append(f"{aid}: key_facts must be a list of non-empty lists of strings")
    if row["status"] == "out_of_scope":
        if row["gold"]:
            errors.append(f"{aid}: out_of_scope with gold")
        if facts:
            errors.append(f"{aid}: out_of_scope with key facts")
        if row["rule"] is not None:
            errors.append(f"{aid}: out_of_scope with a rule")
    else:
        if not row["gold"]:
            errors.append(f"{aid}: {row['status']} needs gold clauses")
        if not facts:
            errors.append(f"{aid}: {row['status']} needs key facts")
    rule = row["rule"]
    if rule is not None:
        if not isinstance(rule, dict) or set(rule) != {"id", "result"}:
            errors.append(f"{aid}: rule must be {{id, result}}")
        elif rule["id"] not in RULE_IDS:
            errors.append(f"{aid}: unknown rule id {rule['id']!r}")
        elif not isinstance(rule["result"], dict) or not rule["result"]:
            errors.append(f"{aid}: rule result must be a non-empty object")
        elif row["status"] == "needs_more_info" and not rule["result"].get("missing"):
            errors.append(f"{aid}: needs_more_info rule must say what is missing")
    if "history" in row:
        history = row["history"]
        if not isinstance(history, list) or not history or len(history) > 6:
            errors.append(f"{aid}: history must hold 1-6 messages")
        else:
            for turn in history:
                if not isinstance(turn, dict) or set(turn) != {"role", "content"}:
                    errors.append(f"{aid}: history turn keys")
                elif turn["role"] not in ROLES or not isinstance(turn["content"], str) or not turn["content"].strip():
                    errors.append(f"{aid}: bad history turn {turn}")
            if history[0].get("role") != "user":
                errors.append(f"{aid}: history must start with the user")
            if history[-1].get("role") != "assistant":
                errors.append(f"{aid}: history must end with an assistant turn")
    if row["category"] == "follow-up" and "history" not in row:
        errors.append(f"{aid}: follow-up without history")
    if "standalone" in row and (not isinstance(row["standalone"], str) or not row["standalone"].strip()):
        errors.append(f"{aid}: empty standalone rewrite")
    return errors


def test_answers_schema(answers: list[dict[str, Any]]) -> None:
    errors = [e for row in answers for e in _check_answer_row(row)]
    assert not errors, "\n".join(errors)
    ids = [a["id"] for a in answers]
    assert len(ids) == len(set(ids)), "duplicate answer ids"
    keyed = Counter((normalize(a["question"]), json.dumps(a.get("history"), ensure_ascii=False)) for a in answers)
    dupes = [q for q, n in keyed.items() if n > 1]
    assert not dupes, f"duplicate answer questions: {dupes}"


def test_answers_gold_ids_exist(answers: list[dict[str, Any]], clause_norms: dict[str, str]) -> None:
    missing = [(a["id"], g) for a in answers for g in a["gold"] if g not in clause_norms]
    assert not missing, f"unknown clause ids: {missing}"


def test_answers_counts(answers: list[dict[str, Any]]) -> None:
    assert len(answers) >= 220
    cats = Counter(a["category"] for a in answers)
    statuses = Counter(a["status"] for a in answers)
    follow_ups = [a for a in answers if a.get("history")]
    assert len(follow_ups) >= 30 and cats["follow-up"] >= 30
    assert cats["out-of-scope"] + cats["adversarial"] >= 30
    assert statuses["out_of_scope"] >= 30
    assert statuses["needs_more_info"] >= 15
    assert sum(1 for a in answers if a["variant"] in {"traditional", "colloquial"}) >= 20
    assert cats["direct-reference"] >= 8
    single_in_scope = [a for a in answers if not a.get("history") and a["status"] != "out_of_scope"]
    assert len(single_in_scope) >= 100
    numeric_rules = [a for a in answers if a["rule"] and a["status"] == "answered" and re.search(r"\d", _digits(a))]
    assert len(numeric_rules) >= 40, f"only {len(numeric_rules)} rule questions with numbers"
    for cat in ANSWER_CATEGORIES:
        assert cats[cat] >= 1, f"no answer item in category {cat}"


def _digits(item: dict[str, Any]) -> str:
    """The question with Chinese numerals (二十五, 八十万) mapped to a marker so they count as numbers."""
    text = item.get("standalone") or item["question"]
    return re.sub(r"[一二三四五六七八九十百千万两]+[万人名元]", "0", to_simplified(text))


def test_every_guidance_section_covered(answers: list[dict[str, Any]], retrieval: list[dict[str, Any]]) -> None:
    for n in range(1, 8):
        prefix = f"guidance/{n}"
        assert any(g.startswith(prefix) for a in answers for g in a["gold"]), f"answers miss section {n}"
        assert any(g.startswith(prefix) for r in retrieval for g in r["gold"]), f"retrieval misses section {n}"
    cats = Counter(a["category"] for a in answers)
    for cat in GUIDANCE_CATEGORIES:
        assert cats[cat] >= 1, f"no answer item in {cat}"


# ---------------------------------------------------------------- key facts are grounded

_UNIT = re.compile(r"(元|人|名|票|天|个工作日|年)$")


def _as_number(text: str) -> Decimal | None:
    """'10,000元' → 10000, '1.2万元' → 12000, '51票' → 51; None when not a plain number."""
    t = normalize(text).replace(",", "").replace("，", "")
    t = _UNIT.sub("", t)
    scale = Decimal(1)
    if t.endswith("万"):
        t, scale = t[:-1], Decimal(10000)
    try:
        return Decimal(t) * scale
    except InvalidOperation:
        return None


def _rule_numbers(result: Any) -> set[Decimal]:
    found: set[Decimal] = set()
    if isinstance(result, dict):
        for v in result.values():
            found |= _rule_numbers(v)
    elif isinstance(result, list):
        for v in result:
            found |= _rule_numbers(v)
    elif isinstance(result, bool):
        pass
    elif isinstance(result, int | float):
        found.add(Decimal(str(result)))
    elif isinstance(result, str):
        with contextlib.suppress(InvalidOperation):
            found.add(Decimal(result))
    return found


def test_key_facts_are_grounded(answers: list[dict[str, Any]], clause_norms: dict[str, str]) -> None:
    errors = []
    for a in answers:
        texts = [clause_norms[g] for g in a["gold"] if g in clause_norms]
        numbers = _rule_numbers(a["rule"]["result"]) if a["rule"] else set()
        for alts in a["key_facts"]:
            ok = False
            for alt in alts:
                norm = normalize(alt)
                if any(norm in t for t in texts):
                    ok = True
                    break
                value = _as_number(alt)
                if value is not None and value in numbers:
                    ok = True
                    break
            if not ok:
                errors.append(f"{a['id']}: {alts} not in gold clauses {a['gold']} nor computed by its rule")
    assert not errors, "\n".join(errors)


def test_rule_amounts_have_key_facts(answers: list[dict[str, Any]]) -> None:
    """A computed amount must also be asked for as a key fact, so the answer text is checked for it."""
    errors = []
    for a in answers:
        rule = a["rule"]
        if not rule:
            continue
        for key in ("amount", "compensation"):
            if key in rule["result"]:
                value = Decimal(rule["result"][key])
                if not any(_as_number(alt) == value for alts in a["key_facts"] for alt in alts):
                    errors.append(f"{a['id']}: {key} {value} not among key facts")
    assert not errors, "\n".join(errors)


def test_superseded_union_law_only_when_asked(answers: list[dict[str, Any]], retrieval: list[dict[str, Any]]) -> None:
    """union-law-2009 is cited only when the question (or its rewrite) names 2009 / 旧法 or compares versions."""
    bad = []
    for item in [*answers, *retrieval]:
        if any(g.startswith("union-law-2009/") for g in item["gold"]):
            text = to_simplified(item["question"] + item.get("standalone", ""))
            if not re.search(r"2009|旧|新.*法|版本", text):
                bad.append(item["id"])
    assert not bad, f"2009 law cited without the question asking for it: {bad}"


# ---------------------------------------------------------------- heldout sets (written after the tuning)

def _checked_rows(name: str, prefix: str, least: int, clause_norms: dict[str, str]) -> list[dict[str, Any]]:
    """A held-out file's rows, each passing the answer-row checks, with unique ids and known gold clauses."""
    rows = _load(name)
    assert len(rows) >= least
    errors = [e for row in rows for e in _check_answer_row(row, prefix)]
    assert not errors, "\n".join(errors)
    assert len({r["id"] for r in rows}) == len(rows), "duplicate ids"
    missing = [(r["id"], g) for r in rows for g in r["gold"] if g not in clause_norms]
    assert not missing, f"unknown clause ids: {missing}"
    return rows


HELDOUT = [("heldout.jsonl", "h", 60), ("heldout2.jsonl", "k", 50), ("heldout3.jsonl", "m", 40)]


@pytest.mark.parametrize(("name", "prefix", "least"), HELDOUT)
def test_heldout_schema_and_grounding(
    name: str, prefix: str, least: int, clause_norms: dict[str, str], answers: list[dict[str, Any]]
) -> None:
    rows = _checked_rows(name, prefix, least, clause_norms)
    ungrounded = [
        (r["id"], alts)
        for r in rows
        for alts in r["key_facts"]
        if not any(normalize(a) in clause_norms[g] for a in alts for g in r["gold"])
    ]
    assert not ungrounded, f"key facts not in the gold clauses: {ungrounded}"
    # a held-out question must not repeat one the system was tuned on
    seen = {normalize(a["question"]) for a in answers}
    repeated = [r["id"] for r in rows if normalize(r["question"]) in seen]
    assert not repeated, f"questions also in answers.jsonl: {repeated}"


# heldout sets whose rule items carry hand-computed amounts as key facts (so grounding is the row checker's)
RULED = [
    ("heldout4.jsonl", "n", 100),
    ("heldout5.jsonl", "p", 100),
    ("heldout6.jsonl", "q", 100),
    ("heldout7.jsonl", "w", 100),
    ("heldout8.jsonl", "z", 150),
    ("heldout9.jsonl", "y", 150),
]


@pytest.mark.parametrize(("name", "prefix", "least"), RULED)
def test_ruled_heldout_schema(name: str, prefix: str, least: int, clause_norms: dict[str, str]) -> None:
    assert _checked_rows(name, prefix, least, clause_norms)
