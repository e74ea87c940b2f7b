"""Eval reports from a results document: report.md, a self-contained report.html with charts, and chart PNGs."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

# (key in the summary, label, higher is better)
METRICS: list[tuple[str, str, bool]] = [
    ("pass_rate", "pass rate", True),
    ("status_accuracy", "status acc", True),
    ("key_fact_accuracy", "key-fact acc", True),
    ("key_fact_accuracy_all", "key-fact acc (refusals count 0)", True),
    ("citation_precision", "citation P", True),
    ("citation_recall", "citation R", True),
    ("verified_quote_rate", "verified quotes", True),
    ("rule_exact_match", "rule EM", True),
    ("top1_clause", "top-1 clause", True),
    ("lead_coherent", "coherent lead", True),
    ("list_complete", "list complete", True),
    ("refusal_precision", "refusal P", True),
    ("refusal_recall", "refusal R", True),
    ("false_refusal_rate", "false refusal", False),
    ("recall@1", "R@1", True),
    ("recall@5", "R@5", True),
    ("mrr", "MRR", True),
    ("latency_p50_ms", "latency p50 ms", False),
    ("latency_p95_ms", "latency p95 ms", False),
]
CHART_METRICS = [
    ("status_accuracy", "status"),
    ("key_fact_accuracy_all", "key facts"),
    ("citation_precision", "cite P"),
    ("citation_recall", "cite R"),
    ("verified_quote_rate", "verified"),
    ("rule_exact_match", "rule EM"),
    ("top1_clause", "top-1"),
    ("refusal_recall", "refusal R"),
    ("recall@1", "R@1"),
    ("recall@5", "R@5"),
]
COLORS = {"full": "#c0392b", "hybrid": "#2471a3", "bm25": "#7fb3d5", "dense": "#1abc9c", "naive": "#7f8c8d"}
STAGE_ORDER = ("retrieve", "rules", "scope", "compose", "other")
Rows = list[list[str]]


def fmt(value: Any, key: str = "") -> str:
    """Rates to 3 decimals, milliseconds to 1, nothing-to-measure as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if key.endswith("_ms") or key in ("p50", "p95", "mean", "per_question"):
            return f"{value:.1f}" if value >= 1 or value == 0 else f"{value:.2f}"
        return f"{value:.3f}"
    return str(value)


# -- tables (headers, rows), rendered to markdown or HTML --------------------------------------------------


def summary_rows(doc: Mapping[str, Any]) -> tuple[list[str], Rows]:
    systems = list(doc["systems"])
    rows = [
        [label + ("" if up else " ↓")] + [fmt(doc["summary"][s].get(key), key) for s in systems]
        for key, label, up in METRICS
    ]
    rows.insert(0, ["items"] + [fmt(doc["summary"][s].get("items")) for s in systems])
    return ["metric (↓ lower is better)", *systems], rows


def category_rows(doc: Mapping[str, Any], system: str) -> tuple[list[str], Rows]:
    keys = [
        "pass_rate",
        "status_accuracy",
        "key_fact_accuracy_all",
        "citation_precision",
        "citation_recall",
        "rule_exact_match",
        "false_refusal_rate",
        "refusal_recall",
    ]
    labels = {k: lbl for k, lbl, _ in METRICS}
    rows = [
        [cat, fmt(m.get("items"))] + [fmt(m.get(k), k) for k in keys] for cat, m in doc["by_category"][system].items()
    ]
    return ["category", "n", *(labels[k] for k in keys)], rows


def category_by_system_rows(doc: Mapping[str, Any]) -> tuple[list[str], Rows]:
    """Per category, each system's pass rate / key-fact accuracy (refusals count 0)."""
    systems = list(doc["systems"])
    cats = list(doc["by_category"][systems[0]]) if systems else []
    rows = []
    for cat in cats:
        cells = []
        for s in systems:
            m = doc["by_category"][s].get(cat, {})
            cells.append(f"{fmt(m.get('pass_rate'))} / {fmt(m.get('key_fact_accuracy_all'))}")
        rows.append([cat, fmt(doc["by_category"][systems[0]][cat].get("items")), *cells])
    return ["category", "n", *(f"{s} pass / facts" for s in systems)], rows


def latency_rows(doc: Mapping[str, Any]) -> tuple[list[str], Rows]:
    rows = []
    for s in doc["systems"]:
        stages = doc["latency"].get(s, {})
        cells = [_stage_cell(stages[k]) if k in stages else "–" for k in ("total", *STAGE_ORDER)]
        rows.append([s, *cells])
    return ["system", *(f"{k} p50 / p95 (share)" for k in ("total", *STAGE_ORDER))], rows


def _stage_cell(st: Mapping[str, float]) -> str:
    share = st.get("share", 1.0)
    return f"{fmt(st['p50'], 'p50')} / {fmt(st['p95'], 'p95')}" + ("" if share >= 0.9995 else f" ({share:.0%})")


def failure_rows(doc: Mapping[str, Any], system: str, limit: int = 200) -> tuple[list[str], Rows]:
    rows = []
    for item in doc["items"]:
        r = item["results"].get(system)
        if r is None or r["passed"]:
            continue
        cited = ", ".join(dict.fromkeys(c["id"] for c in r["reply"].get("citations", [])))
        rows.append(
            [
                item["id"],
                item["category"],
                item["question"],
                "; ".join(r["reasons"]),
                r["status"],
                cited,
                ", ".join(item["expected"]["gold"]),
            ]
        )
    return ["id", "category", "question", "why", "status", "cited", "gold"], rows[:limit]


def worse(key: str, up: bool, before: float, delta: float) -> bool:
    """A change worth flagging: a rate down (or up, for lower-is-better) by half a point or more; a latency
    up by a quarter and at least 5 ms (timings are noisy on a shared machine)."""
    if key.endswith("_ms"):
        return delta >= max(5.0, 0.25 * before)
    return (delta <= -0.005) if up else (delta >= 0.005)


def delta_rows(cmp: Mapping[str, Any]) -> tuple[list[str], Rows]:
    rows = []
    for s, c in cmp["systems"].items():
        for key, label, up in METRICS:
            d = c["deltas"].get(key)
            if d is None:
                continue
            mark = " ⚠" if worse(key, up, d["before"], d["delta"]) else ""
            rows.append([s, label, fmt(d["before"], key), fmt(d["after"], key), f"{d['delta']:+.3f}{mark}"])
    return ["system", "metric", "before", "after", "Δ"], rows


def flip_rows(cmp: Mapping[str, Any]) -> tuple[list[str], Rows]:
    rows = []
    for s, c in cmp["systems"].items():
        for kind, key in (("pass → fail", "to_fail"), ("fail → pass", "to_pass")):
            for f in c[key]:
                rows.append([s, kind, f["id"], f["category"], f["question"], "; ".join(f["reasons"])])
    return ["system", "flip", "id", "category", "question", "why now"], rows


def _common(cmp: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{s}: {c.get('common_items', '?')} common, {c.get('new_items', 0)} new, {c.get('dropped_items', 0)} dropped"
        for s, c in cmp["systems"].items()
    )


def md_table(headers: Sequence[str], rows: Rows) -> str:
    def cell(x: str) -> str:
        return x.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def html_table(headers: Sequence[str], rows: Rows) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def summary_table(doc: Mapping[str, Any]) -> str:
    return md_table(*summary_rows(doc))


# -- charts -------------------------------------------------------------------------------------------------


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def _color(system: str, i: int) -> str:
    return COLORS.get(system, f"C{i}")


def baseline_chart(doc: Mapping[str, Any]) -> bytes:
    """Grouped bars: each headline metric, one bar per system."""
    systems = list(doc["systems"])
    fig = Figure(figsize=(11, 4.2))
    ax = fig.subplots()
    width = 0.8 / max(len(systems), 1)
    for i, s in enumerate(systems):
        vals = [doc["summary"][s].get(k) for k, _ in CHART_METRICS]
        xs = [j + (i - (len(systems) - 1) / 2) * width for j in range(len(CHART_METRICS))]
        ax.bar(xs, [v if v is not None else 0.0 for v in vals], width, label=s, color=_color(s, i))
    ax.set_xticks(range(len(CHART_METRICS)), [lbl for _, lbl in CHART_METRICS])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (0–1)")
    ax.set_title(f"Full system vs baselines ({doc['summary'][systems[0]]['items'] if systems else 0} gold items)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(ncols=len(systems), loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    return _png(fig)


def category_chart(doc: Mapping[str, Any], key: str = "pass_rate") -> bytes:
    """Horizontal grouped bars: per category, each system's pass rate."""
    systems = list(doc["systems"])
    cats = list(doc["by_category"][systems[0]]) if systems else []
    fig = Figure(figsize=(9, 1.5 + 0.1 * len(cats) * max(len(systems), 2)))
    ax = fig.subplots()
    height = 0.8 / max(len(systems), 1)
    for i, s in enumerate(systems):
        vals = [doc["by_category"][s].get(c, {}).get(key) for c in cats]
        ys = [j + (i - (len(systems) - 1) / 2) * height for j in range(len(cats))]
        ax.barh(ys, [v if v is not None else 0.0 for v in vals], height, label=s, color=_color(s, i))
    n = {c: doc["by_category"][systems[0]][c].get("items") for c in cats}
    ax.set_yticks(range(len(cats)), [f"{c} (n={fmt(n[c])})" for c in cats])
    ax.set_ylim(len(cats) - 0.5, -0.5)  # first category on top, no empty margins
    ax.set_xlim(0, 1.0)
    ax.set_xlabel(key.replace("_", " "))
    ax.set_title(f"{key.replace('_', ' ')} per category")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    return _png(fig)


def latency_chart(doc: Mapping[str, Any]) -> bytes:
    """Left: histogram of per-question latency per system (log scale: rule answers take ~1 ms, retrieval
    ~100s of ms). Right: the full system's p50/p95 per stage."""
    systems = list(doc["systems"])
    fig = Figure(figsize=(12, 4))
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    lat = {s: [max(i["results"][s]["latency_ms"], 0.01) for i in doc["items"] if s in i["results"]] for s in systems}
    top = max((max(v) for v in lat.values() if v), default=1.0)
    lo = min((min(v) for v in lat.values() if v), default=0.01)
    edges = [lo * (top * 1.01 / lo) ** (j / 40) for j in range(41)] if top > lo else [lo * 0.9, lo * 1.1]
    for i, s in enumerate(systems):
        if lat[s]:
            left.hist(lat[s], bins=edges, histtype="step", linewidth=1.6, label=s, color=_color(s, i))
    left.set_xscale("log")
    left.set_xlabel("latency per question (ms, log scale)")
    left.set_ylabel("questions")
    left.set_title("Latency distribution")
    left.legend(fontsize="small")
    shown = "full" if "full" in systems else (systems[0] if systems else "")
    stages = doc["latency"].get(shown, {})
    names = [k for k in STAGE_ORDER if k in stages]
    for off, key, color in ((-0.2, "p50", "#5d6d7e"), (0.2, "p95", "#e67e22")):
        vals = [max(stages[k][key], 1e-3) for k in names]
        bars = right.bar([x + off for x in range(len(names))], vals, 0.4, label=key, color=color)
        right.bar_label(bars, [fmt(stages[k][key], key) for k in names], fontsize="x-small")
    right.set_xticks(range(len(names)), [f"{k}\n({stages[k].get('share', 1.0):.0%})" for k in names])
    right.set_yscale("log")
    right.set_ylabel("ms (log scale)")
    right.set_xlabel("stage (share of questions reaching it; percentiles over those)")
    right.set_title(f"{shown}: time per stage")
    right.grid(axis="y", alpha=0.3)
    right.legend(fontsize="small")
    return _png(fig)


def charts(doc: Mapping[str, Any]) -> dict[str, bytes]:
    if not doc["systems"]:
        return {}
    return {"baseline": baseline_chart(doc), "categories": category_chart(doc), "latency": latency_chart(doc)}


CHART_TITLES = {"baseline": "Baseline comparison", "categories": "Pass rate per category", "latency": "Latency"}


# -- documents -----------------------------------------------------------------------------------------------


def _meta_lines(doc: Mapping[str, Any]) -> list[str]:
    gold = doc.get("gold") or {}
    only = f" (only {gold['only']})" if gold.get("only") else ""
    return [
        f"run {doc.get('created', '?')} · {doc.get('duration_s', '?')} s · corpus_version {doc.get('corpus_version')}"
        f" · dict {doc.get('dict_sha', '?')} · code {doc.get('code_version') or '?'}",
        f"gold {gold.get('path', '?')} (sha {gold.get('sha', '?')}, {gold.get('items', '?')} items{only})",
        f"systems: {', '.join(doc['systems'])}",
    ]


NOTES = (
    "Baselines are retrieval-only: answer = top clause (hybrid/bm25/dense) or the top-4 250-char chunks "
    "(naive LangChain recipe); status `answered` unless nothing comes back (BM25 matches no term of some "
    "off-topic questions); no rules, no scope gate, no history. R@k is over each system's ranking (the full "
    "system: its cited clauses in order) on answered items with gold clauses."
)


def markdown(doc: Mapping[str, Any], chart_files: Mapping[str, str] | None = None) -> str:
    parts = [
        "# Evaluation report",
        "",
        *(f"- {line}" for line in _meta_lines(doc)),
        "",
        NOTES,
        "",
        "## Summary: full system vs baselines",
        "",
        md_table(*summary_rows(doc)),
        "",
    ]
    for name, path in (chart_files or {}).items():
        parts += [f"![{CHART_TITLES.get(name, name)}]({path})", ""]
    parts += ["## Regressions", ""]
    cmp = doc.get("compare")
    if cmp:
        prev, flips = cmp["previous"], flip_rows(cmp)
        parts += [
            f"Compared with the run of {prev.get('created')} (corpus_version {prev.get('corpus_version')}, "
            f"dict {prev.get('dict_sha') or '?'}, code {prev.get('code_version') or '?'}) "
            f"on the items both runs share ({_common(cmp)}).",
            "",
            md_table(*flips) if flips[1] else "No item flipped.",
            "",
            md_table(*delta_rows(cmp)),
            "",
        ]
    else:
        parts += ["No previous run given (`--compare PREVIOUS.json`).", ""]
    if doc["systems"]:
        main = "full" if "full" in doc["systems"] else doc["systems"][0]
        parts += [
            "## Per category",
            "",
            md_table(*category_by_system_rows(doc)),
            "",
            f"### {main} by category",
            "",
            md_table(*category_rows(doc, main)),
            "",
            "## Latency per stage (ms)",
            "",
            md_table(*latency_rows(doc)),
            "",
            f"## Failing items ({main})",
            "",
            md_table(*failure_rows(doc, main)),
            "",
        ]
    return "\n".join(parts)


CSS = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.2rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3} img{max-width:100%;margin:.5rem 0} .meta{color:#555;font-size:.85rem}"""


def render_html(doc: Mapping[str, Any], pngs: Mapping[str, bytes] | None = None) -> str:
    """One self-contained page: tables plus the charts as base64 PNGs (works offline and inside Gradio)."""
    pngs = charts(doc) if pngs is None else pngs
    meta = "<br>".join(html.escape(line) for line in _meta_lines(doc))
    imgs = "".join(
        f'<figure><img alt="{html.escape(CHART_TITLES.get(n, n))}" '
        f'src="data:image/png;base64,{base64.b64encode(b).decode()}"></figure>'
        for n, b in pngs.items()
    )
    cmp = doc.get("compare")
    if cmp:
        flips = flip_rows(cmp)
        regress = (
            f"<p>Compared with the run of {html.escape(str(cmp['previous'].get('created')))} "
            f"on the items both runs share ({html.escape(_common(cmp))}).</p>"
            + (html_table(*flips) if flips[1] else "<p>No item flipped.</p>")
            + html_table(*delta_rows(cmp))
        )
    else:
        regress = "<p>No previous run given (<code>--compare PREVIOUS.json</code>).</p>"
    body = [
        f"<h1>评测报告 · Evaluation report</h1><p class='meta'>{meta}</p><p>{html.escape(NOTES)}</p>",
        "<h2>Summary: full system vs baselines</h2>",
        html_table(*summary_rows(doc)),
        imgs,
        "<h2>Regressions</h2>",
        regress,
    ]
    if doc["systems"]:
        main = "full" if "full" in doc["systems"] else doc["systems"][0]
        fails = failure_rows(doc, main)
        body += [
            "<h2>Per category</h2>",
            html_table(*category_by_system_rows(doc)),
            f"<h3>{html.escape(main)} by category</h3>",
            html_table(*category_rows(doc, main)),
            "<h2>Latency per stage (ms)</h2>",
            html_table(*latency_rows(doc)),
            f"<details><summary>Failing items ({html.escape(main)}, {len(fails[1])})</summary>"
            f"{html_table(*fails)}</details>",
        ]
    return (
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>评测报告</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )


def write_report(doc: Mapping[str, Any], out: Path) -> dict[str, Path]:
    """report.md (charts linked from charts/), report.html (charts embedded) and charts/*.png in `out`."""
    pngs = charts(doc)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    files = {}
    for name, data in pngs.items():
        path = out / "charts" / f"{name}.png"
        path.write_bytes(data)
        files[name] = f"charts/{name}.png"
    md, page = out / "report.md", out / "report.html"
    md.write_text(markdown(doc, files), encoding="utf-8")
    page.write_text(render_html(doc, pngs), encoding="utf-8")
    return {"markdown": md, "html": page, **{f"chart_{n}": out / p for n, p in files.items()}}


def reports_dir(data_dir: Path) -> Path:
    """Where runs go by default, one timestamped folder each (under the gitignored data dir)."""
    return data_dir / "eval" / "reports"


def latest_report_html(data_dir: Path) -> str | None:
    """The newest report.html under <data_dir>/eval/reports/*/ (the default output folders), or None."""
    pages = sorted(reports_dir(data_dir).glob("*/report.html"), key=lambda p: p.stat().st_mtime)
    return pages[-1].read_text(encoding="utf-8") if pages else None


def as_iframe(page: str, height: str = "85vh") -> str:
    """The report inside an iframe (srcdoc), so its stylesheet cannot restyle a host page such as Gradio's."""
    return (
        f'<iframe title="评测报告" srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{height};border:0"></iframe>'
    )
