"""python -m bench.load [--url URL] [--clients 50] [--requests 2000] [--compare-workers 1,2]: POST /v1/ask load test.

Starts the server (`python app.py` on a free port) unless --url is given, sends the answer gold set's questions
(single-turn, follow-ups with history, out-of-scope) from concurrent keep-alive clients, bounded by --time-limit,
and reports req/s, latency percentiles, errors and the server's peak RSS (VmHWM). Exit 1 on any error.

--workers N / --compare-workers 1,2 start `assistant serve --workers N` instead (reply cache off, so every request
computes its answer), one after the other, and print one row per N: req/s, p50, p95, errors and the RSS of every
process the server runs (workers, the `chroma run` child for N > 1, the supervisor), then stop it with SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "answers.jsonl"


def questions() -> list[dict[str, Any]]:
    """Request bodies: every gold question with its history (follow-ups keep theirs)."""
    bodies = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            bodies.append({"question": item["question"], "history": item.get("history", [])})
    return bodies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_kb(pid: int, field_name: str) -> int | None:
    """VmRSS / VmHWM (peak RSS, kept by the kernel) of a process, in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (uvicorn workers, the chroma child, multiprocessing's tracker), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # the command name may hold spaces or parentheses: the fields after the last ')' are fixed
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_kb(pid: int, field_name: str) -> int | None:
    """VmRSS (or VmHWM) summed over `pid` and all its descendants, in kB."""
    values = [proc_kb(p, field_name) for p in [pid, *descendants(pid)]]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    sent: int = 0


async def run_load(
    url: str, bodies: list[dict[str, Any]], clients: int, total: int, limit: float
) -> tuple[Result, float]:
    result = Result()
    deadline = time.monotonic() + limit
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        for body in bodies[:20]:  # warm-up, not measured
            await http.post("/v1/ask", json=body)

        async def client() -> None:
            while result.sent < total and time.monotonic() < deadline:
                body = bodies[result.sent % len(bodies)]
                result.sent += 1
                t0 = time.perf_counter()
                try:
                    r = await http.post("/v1/ask", json=body)
                except httpx.HTTPError as exc:
                    result.errors[type(exc).__name__] += 1
                    continue
                result.latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    result.errors[f"HTTP {r.status_code}"] += 1
                else:
                    result.statuses[r.json()["status"]] += 1

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return result, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cache_hits(url: str) -> float | None:
    """Replies the server took from its reply cache (from /metrics)."""
    try:
        text = httpx.get(url.rstrip("/") + "/metrics", timeout=5).text
    except httpx.HTTPError:
        return None
    for line in text.splitlines():
        if line.startswith("assistant_reply_cache_hits_total "):
            return float(line.split()[1])
    return None


def start_server(
    log: Path, cache: bool = True, workers: int | None = None, ready_timeout: float = 180.0
) -> tuple[subprocess.Popen[bytes], str]:
    """`python app.py`, or `assistant serve --workers N` when `workers` is given; returns once /readyz says 200."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_HOST": "127.0.0.1", "ASSISTANT_PORT": str(port), "HF_HUB_OFFLINE": "1"}
    if not cache:
        env["ASSISTANT_API_REPLY_CACHE_SIZE"] = "0"
    cmd = [sys.executable, str(ROOT / "app.py")]
    if workers is not None:
        cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}); see {log}")
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"server not ready in {ready_timeout:.0f} s; see {log}")


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> tuple[float, bool]:
    """SIGTERM (uvicorn's graceful shutdown, which also stops its workers), SIGKILL after `timeout`.

    Returns the seconds taken and whether the exit was clean: a single uvicorn server re-raises the signal once it
    has shut down (exit status -SIGTERM), the multi-worker supervisor exits 0.
    """
    start = time.perf_counter()
    killed = False
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            killed = True
    return time.perf_counter() - start, not killed and proc.returncode in (0, -signal.SIGTERM)


def compare_workers(counts: list[int], args: argparse.Namespace) -> list[dict[str, Any]]:
    """One real `assistant serve --workers N` per count, the same load on each, reply cache off."""
    rows = []
    for n in counts:
        log = Path(tempfile.gettempdir()) / f"assistant-load-workers-{n}.log"
        proc, url = start_server(log, cache=False, workers=n, ready_timeout=args.ready_timeout)
        try:
            idle_kb = tree_kb(proc.pid, "VmRSS")
            result, seconds = asyncio.run(run_load(url, questions(), args.clients, args.requests, args.time_limit))
            rss_kb = tree_kb(proc.pid, "VmRSS")
            processes = 1 + len(descendants(proc.pid))
        finally:
            shutdown, clean = stop_server(proc)
        ms = [x * 1000 for x in result.latencies]
        done = len(result.latencies)
        rows.append({
            "workers": n, "requests": result.sent, "completed": done, "seconds": round(seconds, 2),
            "req_per_s": round(done / seconds, 1) if seconds else 0.0,
            "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "errors": sum(result.errors.values()), "error_kinds": dict(result.errors),
            "rss_idle_mb": round(idle_kb / 1024) if idle_kb else None,
            "rss_after_mb": round(rss_kb / 1024) if rss_kb else None, "processes": processes,
            "shutdown_s": round(shutdown, 1), "clean_exit": clean, "log": str(log),
        })
    return rows


def workers_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'workers':>7}  {'req/s':>7}  {'p50 ms':>8}  {'p95 ms':>8}  {'errors':>6}  "
             f"{'RSS MB (all processes)':>22}  {'shutdown':>8}"]
    for r in rows:
        rss = f"{r['rss_after_mb']} ({r['processes']} procs)"
        lines.append(f"{r['workers']:>7}  {r['req_per_s']:>7}  {r['p50_ms']:>8}  {r['p95_ms']:>8}  {r['errors']:>6}  "
                     f"{rss:>22}  {r['shutdown_s']:>7}s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", help="an already running server (peak RSS needs --pid)")
    parser.add_argument("--pid", type=int, help="server process id when --url is given")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="seconds; requests not sent by then are skipped (and count as a failure)")
    parser.add_argument("--no-cache", action="store_true",
                        help="start the server with the reply cache off, so every request computes its answer")
    parser.add_argument("--workers", type=int, help="start `assistant serve --workers N` (reply cache off)")
    parser.add_argument("--compare-workers", metavar="1,2",
                        help="comma-separated worker counts, measured one after the other (reply cache off)")
    parser.add_argument("--ready-timeout", type=float, default=300.0, help="seconds to wait for /readyz")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    if args.workers is not None or args.compare_workers:
        if args.url:
            parser.error("--workers/--compare-workers start their own server; drop --url")
        try:
            counts = [int(n) for n in args.compare_workers.split(",")] if args.compare_workers else [args.workers]
        except ValueError:
            parser.error("--compare-workers takes comma-separated integers, e.g. 1,2")
        if any(n < 1 for n in counts):
            parser.error("worker counts must be at least 1")
        rows = compare_workers(counts, args)
        if args.json:
            print(json.dumps({"clients": args.clients, "cpus": os.cpu_count(), "rows": rows}, indent=1))
        else:
            print(f"{args.requests} POST /v1/ask per run, {args.clients} clients, reply cache off, "
                  f"{os.cpu_count()} CPUs")
            print(workers_table(rows))
        ok = all(r["completed"] == args.requests and not r["errors"] and r["clean_exit"] for r in rows)
        return 0 if ok else 1

    proc = None
    pid = args.pid
    url = args.url
    log = Path(tempfile.gettempdir()) / "assistant-load-server.log"
    if url is None:
        proc, url = start_server(log, cache=not args.no_cache)
        pid = proc.pid
    try:
        idle_kb = proc_kb(pid, "VmRSS") if pid else None
        result, seconds = asyncio.run(run_load(url.rstrip("/"), questions(), args.clients, args.requests,
                                               args.time_limit))
        peak_kb = proc_kb(pid, "VmHWM") if pid else None
        hits = cache_hits(url)
    finally:
        if proc is not None:
            stop_server(proc)

    done = len(result.latencies)
    ms = [x * 1000 for x in result.latencies]
    figures = {
        "url": url, "clients": args.clients, "requests": result.sent, "completed": done,
        "errors": sum(result.errors.values()), "error_kinds": dict(result.errors),
        "seconds": round(seconds, 2), "req_per_s": round(done / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms, default=0.0), 1),
        "server_rss_before_mb": round(idle_kb / 1024, 1) if idle_kb else None,
        "server_peak_rss_mb": round(peak_kb / 1024, 1) if peak_kb else None,
        "reply_status": dict(result.statuses), "cache_hits": hits, "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(f"{done}/{result.sent} requests, {args.clients} clients, {figures['seconds']} s → "
              f"{figures['req_per_s']} req/s; latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
              f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms; errors {figures['errors']} "
              f"{figures['error_kinds'] or ''}")
        print(f"server RSS before {figures['server_rss_before_mb']} MB, peak {figures['server_peak_rss_mb']} MB; "
              f"replies {figures['reply_status']}; reply-cache hits {hits}")
    complete = result.sent >= args.requests and done == args.requests
    return 0 if complete and not result.errors else 1


if __name__ == "__main__":
    sys.exit(main())
