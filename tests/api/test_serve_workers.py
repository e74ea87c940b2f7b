"""`assistant serve --workers 2` as a real process: serves /v1/ask through a `chroma run` child, stops on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.load import descendants, free_port, stop_server

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "我们会计师事务所有18名会员，可以单独建工会吗？",
    "劳务派遣工的工会经费由谁拨缴？",
    "工会法第十四条是什么？",
    "今天天气怎么样？",
]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private data dir: copies of the built index (so the test's Chroma server never shares the real store with
    other processes) and the converted model by symlink."""
    src = ROOT / ".data"
    if not (src / "chroma").is_dir() or not (src / "models").is_dir():
        pytest.skip("no built index under .data (run `make index`)")
    dst = tmp_path / "data"
    dst.mkdir()
    shutil.copytree(src / "chroma", dst / "chroma")
    if (src / "index").is_dir():
        shutil.copytree(src / "index", dst / "index")
    (dst / "models").symlink_to(src / "models")
    return dst


@pytest.mark.integration
def test_two_workers_answer_and_stop_on_sigterm(data_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_API_REPLY_CACHE_SIZE": "0",
           "HF_HUB_OFFLINE": "1"}
    env.pop("ASSISTANT_CHROMA_URL", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--workers", "2", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "not ready in 300 s: " + log.read_text(errors="replace")[-2000:]
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)

        family = descendants(proc.pid)
        commands = [_cmdline(p) for p in family]
        workers = [p for p, c in zip(family, commands, strict=True) if "multiprocessing.spawn" in c]
        assert len(workers) == 2, commands
        # the embedded store is not process-safe: the workers share one `chroma run` over it instead
        assert any("chroma run" in c and str(data_dir / "chroma") in c for c in commands), commands

        def ask(i: int) -> httpx.Response:
            body = {"question": QUESTIONS[i % len(QUESTIONS)]}
            with httpx.Client(base_url=url, timeout=120) as client:  # one connection each: spread over workers
                return client.post("/v1/ask", json=body)

        with ThreadPoolExecutor(8) as pool:
            replies = list(pool.map(ask, range(16)))
        assert [r.status_code for r in replies] == [200] * 16
        statuses = {r.json()["status"] for r in replies}
        assert statuses <= {"answered", "needs_more_info", "out_of_scope"} and "answered" in statuses
        assert all(_alive(p) for p in workers)
        # uvicorn's default 5 s health check used to kill workers still loading the model on a busy machine
        assert "died" not in log.read_text(errors="replace")
    finally:
        seconds, clean = stop_server(proc, timeout=30)
    assert clean and seconds < 30, (proc.returncode, seconds, log.read_text(errors="replace")[-2000:])
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [c for p, c in zip(family, commands, strict=True) if _alive(p)], "left running after SIGTERM"
    assert proc.returncode in (0, -signal.SIGTERM)
