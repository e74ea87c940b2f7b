"""A real `chroma run` on 127.0.0.1 (free port, temp path): the index is built there and retrieval matches the
embedded store; a stopped or hung server gives a quick, clear error (IndexUnavailable; 503 and readyz false in the
API), and a restart on the same path recovers without restarting the assistant."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chromadb
import httpx
import pytest
from typer.testing import CliRunner

from assistant.answer.reply import ReplyStatus
from assistant.api import ApiSettings, create_app
from assistant.api.server import serve_in_thread
from assistant.cli import app
from assistant.config import Settings
from assistant.core import Assistant
from assistant.index.build import ensure_index
from assistant.index.chroma import IndexError_, IndexUnavailable
from assistant.index.server import ChromaServer, ChromaServerError, heartbeat, set_http_timeout
from tests.lifecycle.helpers import CountingEmbedder

pytestmark = pytest.mark.integration

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
TIMEOUT = 3.0  # seconds per HTTP request in these tests
QUESTIONS = [
    "会计所不足25人怎么建会",
    "劳务派遣工的工会经费由谁拨缴",
    "出租车司机怎么加入工会",
    "工会主席任期几年",
    "用人单位阻挠职工建工会怎么办",
    "农民工在哪里入会",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    root = tmp_path_factory.mktemp("chroma-server")
    srv = ChromaServer(root / "db", log=root / "chroma.log")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def remote(server: ChromaServer, bot: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The assistant on the server: builds the index there once for the module (~50 s of embedding)."""
    data = tmp_path_factory.mktemp("remote-data")
    (data / "models").symlink_to(bot.settings.model_dir.resolve())
    start = time.perf_counter()
    remote = Assistant.load(Settings(chroma_url=server.url, data_dir=data))
    seconds = time.perf_counter() - start
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "chroma-server-build.txt").write_text(
        f"index build on a chroma run server: {seconds:.1f} s for {remote.manifest.clauses} clauses, "
        f"{remote.manifest.vectors} vectors (sync alone {remote.manifest.seconds} s)\n"
    )
    set_http_timeout(remote.dense.vectors._client, TIMEOUT)
    return remote


def test_the_index_lives_on_the_server(server: ChromaServer, remote: Assistant, bot: Assistant) -> None:
    assert remote.manifest.clauses == len(remote.store) and remote.manifest.vectors == bot.manifest.vectors
    assert not (remote.settings.data_dir / "chroma").exists()  # nothing embedded locally
    other = chromadb.HttpClient(host=server.host, port=server.port)
    assert other.get_collection(remote.manifest.collection).count() == remote.manifest.vectors


@pytest.mark.parametrize("question", QUESTIONS)
def test_top1_equals_the_embedded_store(remote: Assistant, bot: Assistant, question: str) -> None:
    for mode in ("dense", "hybrid"):
        got = getattr(remote, mode).search(question, 1)[0].clause.id
        want = getattr(bot, mode).search(question, 1)[0].clause.id
        assert got == want, (mode, question)


def test_a_second_api_server_reuses_the_index(server: ChromaServer, remote: Assistant, tmp_path: Path) -> None:
    """Another API process (own data dir) pointed at the same server embeds nothing."""
    counting = CountingEmbedder(remote.embedder)
    settings = Settings(chroma_url=server.url, data_dir=tmp_path)
    _, manifest, report = ensure_index(settings, remote.store, counting)
    assert report is not None and report.unchanged == len(remote.store) and counting.embedded == []
    assert manifest.corpus_sha == remote.manifest.corpus_sha


def test_hung_server_times_out_instead_of_hanging(server: ChromaServer, remote: Assistant) -> None:
    question = "为什么要推动外商投资企业和私营企业建工会"  # answered by retrieval, no rule
    assert remote.ask(question).status is ReplyStatus.ANSWERED
    server.pause()  # SIGSTOP: the port stays open, nothing answers
    try:
        start = time.perf_counter()
        with pytest.raises(IndexUnavailable, match="timed out"):
            remote.dense.search(question, 3)
        with pytest.raises(IndexUnavailable):  # not a misleading "out of scope" reply
            remote.ask(question)
        assert remote.vectors_problem(timeout=1.0) is not None
        assert time.perf_counter() - start < 4 * TIMEOUT
    finally:
        server.resume()
    assert remote.ask(question).status is ReplyStatus.ANSWERED  # answers again once resumed


def test_stopped_server_fails_fast_and_a_restart_recovers(server: ChromaServer, remote: Assistant) -> None:
    question = QUESTIONS[1]
    before = remote.search(question, 3)
    answered = remote.ask(question)
    assert answered.status is ReplyStatus.ANSWERED

    server.stop()
    assert not heartbeat(server.url)
    start = time.perf_counter()
    with pytest.raises(IndexUnavailable, match=f"{server.url}.*ConnectError"):  # the API turns it into a 503
        remote.dense.search(question, 3)
    with pytest.raises(IndexUnavailable):
        remote.ask(question)
    with pytest.raises(IndexUnavailable):
        remote.search(question, 3)
    assert "does not answer" in (remote.vectors_problem(timeout=1.0) or "")
    assert time.perf_counter() - start < 2 * TIMEOUT

    server.start()  # same path, same port
    assert remote.vectors_problem() is None
    after = remote.search(question, 3)
    assert [h.clause.id for h in after] == [h.clause.id for h in before]
    assert remote.ask(question).citations == answered.citations
    # The data survived the restart: the index is current, nothing to embed.
    counting = CountingEmbedder(remote.embedder)
    assert ensure_index(remote.settings, remote.store, counting)[2] is None and counting.embedded == []


def test_the_api_says_503_while_the_server_is_down_and_recovers(
    server: ChromaServer, remote: Assistant, tmp_path: Path
) -> None:
    """readyz and every route that searches say so within seconds; answers return unchanged once it is back."""
    app = create_app(remote, ApiSettings(audit_file=tmp_path / "audit.jsonl", reply_cache_size=0))
    question = QUESTIONS[1]
    chat = {"messages": [{"role": "user", "content": question}]}
    searching: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/v1/ask", {"json": {"question": question}}),
        ("POST", "/v1/ask/stream", {"json": {"question": question}}),
        ("POST", "/v1/chat/completions", {"json": chat}),
        ("POST", "/v1/chat/completions", {"json": {**chat, "stream": True}}),
        ("GET", "/v1/search", {"params": {"q": question}}),
    ]
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        ready = http.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["vectors"] is True
        before = http.post("/v1/ask", json={"question": question}).json()
        hits = http.get("/v1/search", params={"q": question}).json()
        assert before["status"] == "answered" and hits["hits"]

        server.stop()
        try:
            start = time.perf_counter()
            down = http.get("/readyz")
            body = down.json()
            assert down.status_code == 503 and body["status"] == "not_ready" and body["checks"]["vectors"] is False
            assert "向量数据库" in body["message"] and "vector store" in body["message"]
            for method, path, kwargs in searching:
                r = http.request(method, path, **kwargs)
                assert r.status_code == 503, (path, r.text)
                error = r.json()["error"]
                assert error["code"] == "index_unavailable" and r.headers["retry-after"] == "5"
                assert "稍后重试" in error["message"] and "retry" in error["message"]
            assert time.perf_counter() - start < 2 * TIMEOUT
            assert http.get("/v1/clauses/union-law-2021/art-11").status_code == 200  # no search: unaffected
            assert http.get("/healthz").status_code == 200
        finally:
            server.start()  # same path, same port; the API is not restarted

        assert http.get("/readyz").status_code == 200
        assert http.post("/v1/ask", json={"question": question}).json() == before
        assert http.get("/v1/search", params={"q": question}).json() == hits


def test_loading_against_a_dead_server_is_one_clear_error(remote: Assistant, tmp_path: Path) -> None:
    dead = ChromaServer(tmp_path / "never-started")
    settings = Settings(chroma_url=dead.url, data_dir=tmp_path)
    start = time.perf_counter()
    with pytest.raises(IndexError_, match=dead.url):
        ensure_index(settings, remote.store, remote.embedder)
    assert time.perf_counter() - start < 2 * TIMEOUT


@pytest.mark.parametrize("command", [["ask", QUESTIONS[0]], ["search", QUESTIONS[0]]])
def test_the_cli_says_so_in_one_line(bot: Assistant, tmp_path: Path, command: list[str]) -> None:
    dead = ChromaServer(tmp_path / "never-started")
    (tmp_path / "models").symlink_to(bot.settings.model_dir.resolve())
    env = {"ASSISTANT_CHROMA_URL": dead.url, "ASSISTANT_DATA_DIR": str(tmp_path), "COLUMNS": "300"}
    r = CliRunner().invoke(app, command, env=env)
    errors = [line for line in r.output.splitlines() if line.startswith("错误")]  # after the model's load bar
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert len(errors) == 1 and dead.url in errors[0] and r.output.rstrip().endswith(errors[0])


def test_a_taken_port_is_reported_with_the_server_log(server: ChromaServer, tmp_path: Path) -> None:
    clash = ChromaServer(tmp_path / "db", port=server.port, log=tmp_path / "clash.log")
    with pytest.raises(ChromaServerError, match="already in use"):
        clash.start(timeout=30)
    assert not clash.running()
