"""Evaluation runs: the full system and the baselines on the same gold items → results.json, reports, comparisons."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.config import ROOT
from assistant.eval.answers import ItemResult, aggregate, aggregate_by_category, score_item, stage_latency
from assistant.eval.gold import AnswerItem, load_answers
from assistant.eval.naive import NaiveIndex
from assistant.eval.report import reports_dir, summary_table, write_report
from assistant.eval.systems import FullSystem, NaiveSystem, RetrievalSystem, System

SCHEMA = 1
RETRIEVAL_KEYS = ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10")
# A question every retriever answers, run once per system before timing: the first embedding call
# pays for lazy model initialisation, and items[0] may be a rule question that never embeds.
WARMUP = "劳务派遣工怎么加入工会？"
SYSTEMS = ("full", "hybrid", "bm25", "dense", "naive")
DEFAULT_GOLD = ROOT / "eval" / "gold" / "answers.jsonl"
Tick = Callable[[str], None]
Note = Callable[[str], None]


def default_out(data_dir: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return reports_dir(data_dir) / stamp


def parse_systems(spec: str | Sequence[str]) -> list[str]:
    names = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else list(spec)
    names = [n for n in names if n]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown or not names:
        raise ValueError(f"unknown system(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SYSTEMS)}")
    return list(dict.fromkeys(names))


def select_items(items: Sequence[AnswerItem], only: str | None) -> list[AnswerItem]:
    """The items of one category (all when `only` is None); an unknown category is an error, not an empty run."""
    if not only:
        return list(items)
    chosen = [i for i in items if i.category == only]
    if not chosen:
        cats = sorted({i.category for i in items})
        raise ValueError(f"no items in category {only!r}; categories: {', '.join(cats)}")
    return chosen


def build_systems(bot: Any, names: Sequence[str], data_dir: Path, note: Note | None = None) -> list[System]:
    """The systems named, over one loaded `Assistant` (the naive index is cached under data_dir/eval/naive)."""
    version = bot.answerer.version
    out: list[System] = []
    for name in names:
        if name == "full":
            out.append(FullSystem(bot.answerer))
        elif name in ("hybrid", "bm25", "dense"):
            out.append(RetrievalSystem(name, getattr(bot, name), version))
        elif name == "naive":
            index = NaiveIndex.open(bot.store, bot.embedder, data_dir / "eval" / "naive", note)
            out.append(NaiveSystem(index, bot.store, version))
        else:
            raise ValueError(f"unknown system {name!r}")
    return out


def run_systems(
    systems: Sequence[System], items: Sequence[AnswerItem], store: Any, tick: Tick | None = None
) -> dict[str, list[ItemResult]]:
    """Score every item under every system, item by item: on a shared machine the load drifts over a run,
    and interleaving gives each system the same conditions, so their latencies stay comparable. Untimed
    warm-up calls first, so model and cache loading do not land on item 1."""
    for system in systems:
        system.run(WARMUP, [])
        if items:
            system.run(items[0].question, [])
    results: dict[str, list[ItemResult]] = {s.name: [] for s in systems}
    for it in items:
        for system in systems:
            out = system.run(it.question, it.history)
            results[system.name].append(
                score_item(it, out.reply, store, out.total_ms, ranked=out.ranked, stages=out.stages)
            )
            if tick:
                tick(system.name)
    return results


def run_system(system: System, items: Sequence[AnswerItem], store: Any, tick: Tick | None = None) -> list[ItemResult]:
    """One system alone (the CI gate)."""
    return run_systems([system], items, store, tick)[system.name]


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def results_document(
    items: Sequence[AnswerItem], runs: Mapping[str, Sequence[ItemResult]], meta: Mapping[str, Any]
) -> dict[str, Any]:
    """The JSON document of a run: meta, per system summary / latency per stage / per category, and per item
    every system's reply, metrics and pass/fail reasons."""
    by_id = {name: {r.id: r for r in rs} for name, rs in runs.items()}
    rows = []
    for it in items:
        res = {}
        for name in runs:
            r = by_id[name][it.id]
            res[name] = {
                "passed": r.passed,
                "reasons": r.reasons,
                "status": r.status,
                "latency_ms": round(r.latency_ms, 3),
                "stages": r.stages,
                "metrics": _round(r.metrics()),
                "reply": r.reply,
            }
        rows.append(
            {
                "id": it.id,
                "category": it.category,
                "variant": it.variant,
                "question": it.question,
                "history": it.history,
                "expected": {
                    "status": it.status,
                    "gold": it.gold,
                    "key_facts": it.key_facts,
                    "rule": it.rule,
                    "kind": it.kind,
                },
                "results": res,
            }
        )
    return {
        "schema": SCHEMA,
        **meta,
        "systems": list(runs),
        "summary": {n: _round(aggregate(rs)) for n, rs in runs.items()},
        "latency": {n: _round(stage_latency(rs)) for n, rs in runs.items()},
        "by_category": {n: _round(aggregate_by_category(rs)) for n, rs in runs.items()},
        "items": rows,
        "compare": None,
    }


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def dict_sha(corpus_dir: Path) -> str:
    """Hash of the query dictionaries (aliases, terms, scope model): they change answers but not corpus_version."""
    h = hashlib.sha256()
    for path in sorted((corpus_dir / "dict").glob("*")):
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def code_version(root: Path = ROOT) -> str | None:
    """`git` commit of the code, `+dirty` with uncommitted changes; None outside a checkout (best effort)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "")


def check_options(
    gold: Path, only: str | None, systems: str | Sequence[str], compare: Path | None
) -> tuple[list[AnswerItem], list[str], dict[str, Any] | None]:
    """Validate the options before the (slow) model load: the items, the system names, the previous run."""
    if not gold.exists():
        raise ValueError(f"gold file not found: {gold}")
    names = parse_systems(systems)
    items = select_items(load_answers(gold), only)
    previous = load_results(compare) if compare else None
    return items, names, previous


def evaluate(
    bot: Any,
    items: Sequence[AnswerItem],
    names: Sequence[str],
    *,
    data_dir: Path,
    meta: Mapping[str, Any] | None = None,
    tick: Tick | None = None,
    note: Note | None = None,
) -> dict[str, Any]:
    """Run the named systems over the items and return the results document."""
    t0 = time.perf_counter()
    systems = build_systems(bot, names, data_dir, note)
    runs = run_systems(systems, items, bot.store, tick)
    doc_meta = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus_version": bot.answerer.version,
        "corpus_sha": bot.store.sha,
        "dict_sha": dict_sha(bot.settings.corpus_dir),
        "code_version": code_version(),
        "settings": {
            "fusion": str(bot.settings.fusion.value),
            "embedding_model": bot.settings.embedding_model,
            "llm": bool(bot.answerer.llm),
        },
        **(meta or {}),
    }
    doc = results_document(items, runs, doc_meta)
    doc["duration_s"] = round(time.perf_counter() - t0, 2)
    return doc


def load_results(path: Path) -> dict[str, Any]:
    """A results.json, or a run folder holding one."""
    if path.is_dir():
        path = path / "results.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if "items" not in data or "summary" not in data:
        raise ValueError(f"{path}: not an eval results file")
    return data


def _flip(item: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "category": item["category"],
        "question": item["question"],
        "reasons": result.get("reasons", []),
    }


def restore(row: Mapping[str, Any], system: str) -> ItemResult:
    """One system's scored item back from a results document (to re-aggregate over a subset of items)."""
    r, m = row["results"][system], row["results"][system]["metrics"]
    return ItemResult(
        id=row["id"],
        category=row["category"],
        question=row["question"],
        expected_status=row["expected"]["status"],
        status=r["status"],
        status_ok=m["status_ok"],
        facts=m["key_facts"],
        cite_precision=m["citation_precision"],
        cite_recall=m["citation_recall"],
        verified=m["verified"],
        rule_ok=m["rule_ok"],
        latency_ms=r["latency_ms"],
        answer=str(r["reply"].get("answer", "")),
        reasons=list(r["reasons"]),
        reply=dict(r["reply"]),
        quotes=m["quotes"],
        quotes_verified=m["quotes_verified"],
        retrieval={k: m[k] for k in RETRIEVAL_KEYS if k in m},
        stages=dict(r["stages"]),
        top1=m.get("top1"),
        coherent=m.get("coherent"),
        kind=row.get("expected", {}).get("kind"),
    )


def compare_runs(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Per system in both runs: items that flipped pass→fail and fail→pass, and each metric's delta, both
    aggregated over the items the two runs share (so `--only` or an edited gold set compares like with like)."""
    prev_items = {i["id"]: i for i in previous["items"]}
    systems: dict[str, Any] = {}
    for name in current["systems"]:
        if name not in previous.get("systems", []):
            continue
        to_fail, to_pass, now_rs, before_rs, new = [], [], [], [], 0
        for item in current["items"]:
            if name not in item["results"]:
                continue
            old = prev_items.get(item["id"])
            if old is None or name not in old["results"]:
                new += 1
                continue
            now, before = item["results"][name], old["results"][name]
            now_rs.append(restore(item, name))
            before_rs.append(restore(old, name))
            if before["passed"] and not now["passed"]:
                to_fail.append(_flip(item, now))
            elif not before["passed"] and now["passed"]:
                to_pass.append(_flip(item, now))
        a, b = aggregate(before_rs), aggregate(now_rs)
        deltas = {
            key: {"before": round(va, 4), "after": round(vb, 4), "delta": round(vb - va, 4)}
            for key, vb in b.items()
            if (va := a.get(key)) is not None and vb is not None
        }
        systems[name] = {
            "to_fail": to_fail,
            "to_pass": to_pass,
            "common_items": len(now_rs),
            "new_items": new,
            "dropped_items": sum(1 for i in previous["items"] if name in i["results"]) - len(before_rs),
            "deltas": deltas,
        }
    return {
        "previous": {
            "created": previous.get("created"),
            "corpus_version": previous.get("corpus_version"),
            "dict_sha": previous.get("dict_sha"),
            "code_version": previous.get("code_version"),
            "gold_sha": (previous.get("gold") or {}).get("sha"),
        },
        "systems": systems,
    }


def write_run(doc: Mapping[str, Any], out: Path) -> dict[str, Path]:
    """results.json, report.md, report.html and the chart PNGs into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.json"
    results.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {"results": results, **write_report(doc, out)}


def execute(
    bot: Any,
    *,
    gold: Path | None = None,
    out: Path | None = None,
    compare: Path | None = None,
    only: str | None = None,
    systems: str | Sequence[str] = SYSTEMS,
    console: Any = None,
) -> dict[str, Any]:
    """The whole `assistant eval` / `python -m eval.run` job with a progress bar; returns the results document
    (its `paths` key says where the files went). Raises ValueError for a bad option."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    con = console or Console(stderr=True)
    gold = gold or DEFAULT_GOLD
    items, names, previous = check_options(gold, only, systems, compare)
    data_dir: Path = bot.settings.data_dir
    meta = {"gold": {"path": str(gold), "sha": file_sha(gold), "items": len(items), "only": only}}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=con
    ) as bar:
        task = bar.add_task(f"评测 {len(items)} 题 × {', '.join(names)}", total=len(items) * len(names))

        def tick(_: str) -> None:
            bar.update(task, advance=1)

        doc = evaluate(bot, items, names, data_dir=data_dir, meta=meta, tick=tick, note=con.print)
    if previous is not None:
        doc["compare"] = compare_runs(doc, previous)
    target = out or default_out(data_dir)
    paths = write_run(doc, target)
    doc["paths"] = {k: str(v) for k, v in paths.items()}
    return doc


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from rich.console import Console

    from assistant.core import Assistant

    ap = argparse.ArgumentParser(prog="python -m eval.run", description="Full system vs baselines on the gold set.")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="answer gold JSONL")
    ap.add_argument("--out", type=Path, help="output folder (default .data/eval/reports/<UTC time>)")
    ap.add_argument("--compare", type=Path, help="a previous results.json (or its folder) to diff against")
    ap.add_argument("--only", help="one category, e.g. dispatch")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma list of {','.join(SYSTEMS)}")
    args = ap.parse_args(argv)
    con = Console(stderr=True)
    try:
        check_options(args.gold, args.only, args.systems, args.compare)
        bot = Assistant.load()
        doc = execute(
            bot, gold=args.gold, out=args.out, compare=args.compare, only=args.only, systems=args.systems, console=con
        )
    except (ValueError, OSError) as exc:
        con.print(f"错误: {exc}", markup=False, highlight=False)
        return 2
    print(summary_table(doc))
    n, k = doc["gold"]["items"], len(doc["systems"])
    print(f"\n{n} items × {k} systems in {doc['duration_s']} s → {doc['paths']['html']}")
    return 0
