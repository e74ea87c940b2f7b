"""A real `chroma run` on 127.0.0.1 (free port, temp path): the index is built there and retrieval matches the
embedded store; a stopped or hung server gives a quick error, and a restart on the same path recovers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest

from assistant.answer.reply import ReplyStatus
from assistant.config import Settings
from assistant.core import Assistant
from assistant.index.build import ensure_index
from assistant.index.chroma import IndexError_
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
    assert other.get_collection(remote.settings.collection).count() == remote.manifest.vectors


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
        with pytest.raises(Exception, match="timed out"):
            remote.dense.search(question, 3)
        reply = remote.ask(question)
        assert reply.status is ReplyStatus.OUT_OF_SCOPE and reply.citations == []
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
    with pytest.raises(Exception) as err:  # httpx or chromadb error; the API turns it into a 503
        remote.dense.search(question, 3)
    assert "onnect" in f"{type(err.value).__name__} {err.value}"  # ConnectError / connection refused
    reply = remote.ask(question)  # ask() never raises: a reply without citations
    assert reply.status is ReplyStatus.OUT_OF_SCOPE and reply.citations == []
    assert time.perf_counter() - start < 2 * TIMEOUT

    server.start()  # same path, same port
    after = remote.search(question, 3)
    assert [h.clause.id for h in after] == [h.clause.id for h in before]
    assert remote.ask(question).citations == answered.citations
    # The data survived the restart: the index is current, nothing to embed.
    counting = CountingEmbedder(remote.embedder)
    assert ensure_index(remote.settings, remote.store, counting)[2] is None and counting.embedded == []


def test_loading_against_a_dead_server_is_one_clear_error(remote: Assistant, tmp_path: Path) -> None:
    dead = ChromaServer(tmp_path / "never-started")
    settings = Settings(chroma_url=dead.url, data_dir=tmp_path)
    start = time.perf_counter()
    with pytest.raises(IndexError_, match=dead.url):
        ensure_index(settings, remote.store, remote.embedder)
    assert time.perf_counter() - start < 2 * TIMEOUT


def test_a_taken_port_is_reported_with_the_server_log(server: ChromaServer, tmp_path: Path) -> None:
    clash = ChromaServer(tmp_path / "db", port=server.port, log=tmp_path / "clash.log")
    with pytest.raises(ChromaServerError, match="already in use"):
        clash.start(timeout=30)
    assert not clash.running()
