"""Report rendering from a tiny hand-made results document: markdown, HTML with charts, files, the latest report."""

from __future__ import annotations

import copy
import os
from pathlib import Path

from assistant.eval.report import (
    as_iframe,
    charts,
    fmt,
    latest_report_html,
    markdown,
    render_html,
    summary_table,
    worse,
    write_report,
)
from assistant.eval.run import compare_runs, write_run
from tests.eval.test_run import tiny_doc

PNG = b"\x89PNG\r\n\x1a\n"


def test_fmt() -> None:
    assert fmt(None) == "–" and fmt(0.81234) == "0.812" and fmt(12.34, "latency_p50_ms") == "12.3"
    assert fmt(0.2, "p50") == "0.20" and fmt(3) == "3" and fmt(True) == "yes"


def test_summary_table_has_every_system_and_metric() -> None:
    table = summary_table(tiny_doc())
    lines = table.splitlines()
    assert lines[0] == "| metric (↓ lower is better) | full | bm25 |"
    assert any(line.startswith("| pass rate | 1.000 | 0.333 |") for line in lines)
    assert any(line.startswith("| refusal P | 1.000 | – |") for line in lines)  # bm25 never refused: nothing to measure
    assert any(line.startswith("| false refusal ↓ |") for line in lines)


def test_charts_are_pngs() -> None:
    pngs = charts(tiny_doc())
    assert set(pngs) == {"baseline", "categories", "latency"}
    assert all(p.startswith(PNG) and len(p) > 2000 for p in pngs.values())


def test_html_report_embeds_tables_and_charts() -> None:
    page = render_html(tiny_doc())
    assert page.startswith("<!doctype html>") and "<table>" in page
    assert page.count('<img alt="') == 3 and "data:image/png;base64," in page
    assert "Failing items (full, 0)" in page
    assert "No previous run given" in page
    assert "问题a1" not in page  # full passes everything, so no failure rows
    assert "<script" not in page


def test_markdown_report_sections_and_regressions() -> None:
    before = tiny_doc()
    after = copy.deepcopy(before)
    after["items"][0]["results"]["full"].update(passed=False, reasons=["key facts 0.00"])
    after["compare"] = compare_runs(after, before)
    md = markdown(after, {"baseline": "charts/baseline.png"})
    for heading in (
        "## Summary: full system vs baselines",
        "## Regressions",
        "## Per category",
        "## Latency per stage (ms)",
        "## Failing items (full)",
    ):
        assert heading in md
    assert "![Baseline comparison](charts/baseline.png)" in md
    assert "| full | pass → fail | a1 | union-law | 问题a1 | key facts 0.00 |" in md
    assert "| full | pass rate | 1.000 | 0.667 | -0.333 ⚠ |" in md
    page = render_html(after)
    assert "pass → fail" in page and "问题a1" in page


def test_write_run_and_latest_report(tmp_path: Path) -> None:
    assert latest_report_html(tmp_path) is None
    reports = tmp_path / "eval" / "reports"
    old = write_run(tiny_doc(), reports / "20260101-000000")
    assert {"results", "markdown", "html", "chart_baseline"} <= set(old)
    assert (reports / "20260101-000000" / "charts" / "latency.png").read_bytes().startswith(PNG)
    doc = tiny_doc()
    doc["created"] = "second-run"
    new = write_report(doc, reports / "20260102-000000")
    os.utime(old["html"], (1, 1))  # the first run is older even on a coarse-mtime filesystem
    page = latest_report_html(tmp_path)
    assert page is not None and "second-run" in page and page == new["html"].read_text(encoding="utf-8")


def test_iframe_embedding_escapes_the_page() -> None:
    frame = as_iframe(render_html(tiny_doc()))
    assert frame.startswith("<iframe") and 'srcdoc="&lt;!doctype html&gt;' in frame
    assert "<table>" not in frame  # all of the page is inside the attribute


def test_worse_flags_real_drops_only() -> None:
    assert worse("pass_rate", True, 0.8, -0.01) and not worse("pass_rate", True, 0.8, -0.004)
    assert worse("false_refusal_rate", False, 0.01, 0.01) and not worse("false_refusal_rate", False, 0.01, -0.01)
    assert worse("latency_p95_ms", False, 100.0, 30.0) and not worse("latency_p95_ms", False, 100.0, 20.0)
    assert not worse("latency_p50_ms", False, 1.0, 3.0)  # +300 % of a millisecond is noise


def test_regressions_say_which_items_were_compared() -> None:
    before = tiny_doc()
    after = copy.deepcopy(before)
    after["compare"] = compare_runs(after, before)
    assert "full: 3 common, 0 new, 0 dropped" in markdown(after)
    assert "full: 3 common, 0 new, 0 dropped" in render_html(after)
    assert "No item flipped." in markdown(after)
