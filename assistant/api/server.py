"""Serve the API and the chat page from one process: `serve(host, port, workers)` (used by `assistant serve`)."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from assistant.api.app import create_app
from assistant.api.service import LiveAssistant
from assistant.api.settings import ApiSettings
from assistant.config import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# uvicorn kills a worker whose ping thread has not answered within this; its 5 s default killed (and restarted,
# from scratch) both workers while they loaded torch and the model on a busy 2-core machine.
WORKER_HEALTHCHECK_SECONDS = 60


def server_settings() -> Settings:
    """Settings for serving: one encoder thread per request unless ASSISTANT_THREADS says otherwise.

    The server runs answers side by side (ApiSettings.worker_threads); the encoder's own threads on top of that
    oversubscribe the cores: one query embedding took ~37 ms with 1 thread and ~890 ms with 2 on a busy 2-core box.
    """
    settings = Settings()
    return settings if "threads" in settings.model_fields_set else settings.model_copy(update={"threads": 1})


def build_app() -> FastAPI:
    """Load the assistant and build the API with the chat page mounted at / (also uvicorn's factory for workers)."""
    from assistant.core import Assistant  # heavy: torch, the model and the index
    from assistant.ui import mount_ui

    app = create_app(Assistant.load(server_settings()), ApiSettings())
    # The page asks whichever assistant is current, so it follows POST /v1/admin/reload like the API does.
    return mount_ui(app, LiveAssistant(app.state.services))


def address_from_env() -> tuple[str, int]:
    """ASSISTANT_HOST / ASSISTANT_PORT, default 127.0.0.1:7860."""
    return os.environ.get("ASSISTANT_HOST", DEFAULT_HOST), int(os.environ.get("ASSISTANT_PORT", str(DEFAULT_PORT)))


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class _Server(uvicorn.Server):
    """Prints the address once the socket is listening, not before."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            url = url_for(self.config.host, self.config.port)
            print(f"工会建会入会政策助手已启动：{url}  （接口文档 {url}docs）", file=sys.stderr, flush=True)


@contextmanager
def _shared_vector_store() -> Iterator[str | None]:
    """For several workers: a `chroma run` child serving the embedded store's directory, yielding its URL
    (None when ASSISTANT_CHROMA_URL already names a server).

    The embedded store is not process-safe: every PersistentClient rewrites HNSW segment files and adds a
    write-lock row when it opens a collection, so N workers on one directory race each other and any build.
    """
    settings = Settings()
    if settings.chroma_url:
        yield None
        return
    from assistant.index.server import ChromaServer

    log = settings.data_dir / "chroma-serve.log"
    with ChromaServer(settings.chroma_dir, log=log) as chroma:
        print(f"向量库：chroma run {settings.chroma_dir} → {chroma.url}（日志 {log}）", file=sys.stderr, flush=True)
        yield chroma.url


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, workers: int = 1, log_level: str = "info") -> None:
    """Run until interrupted. With workers > 1 each process loads its own assistant (memory × workers)."""
    if workers > 1:
        print(f"工会建会入会政策助手启动中（{workers}个进程）：{url_for(host, port)}", file=sys.stderr, flush=True)
        with _shared_vector_store() as chroma_url:
            if chroma_url:
                os.environ["ASSISTANT_CHROMA_URL"] = chroma_url  # inherited by the spawned workers
            uvicorn.run("assistant.api.server:build_app", factory=True, host=host, port=port, workers=workers,
                        log_level=log_level, timeout_graceful_shutdown=5,
                        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
        return
    print("正在载入条款、模型与索引……", file=sys.stderr, flush=True)
    app = build_app()
    _Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5)).run()


@contextmanager
def serve_in_thread(app: FastAPI, host: str = DEFAULT_HOST, port: int = 0, timeout: float = 30.0) -> Iterator[str]:
    """A real uvicorn server for `app` on a background thread (port 0: a free one); yields its base URL.

    For tests and embedding: the app (and its loaded assistant) stays in this process.
    """
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout)
