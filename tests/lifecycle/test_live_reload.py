"""A real uvicorn server keeps answering while a corpus change is reloaded: threads hammer /v1/ask and /v1/search
during POST /v1/admin/reload; every response is 2xx and wholly of the old or the new corpus version, and every
request sent after the swap gets the new one. A corpus that fails to load leaves the served version in place."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.api import ApiSettings, create_app
from assistant.api.server import serve_in_thread
from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.core import Assistant
from assistant.faq.base import Faq
from assistant.index.build import content_key, generation_name
from assistant.index.chroma import client
from tests.lifecycle.helpers import clone_index, edit_clause

pytestmark = pytest.mark.integration

EDITED = "guidance/1.1"
OLD = "推动企业持续健康发展有着重要意义"  # a sentence of EDITED, unique in its file
NEW = "推动企业持续健康发展有着十分重要的意义（本句已修订）"
MARK = "本句已修订"
RETRIEVED = "为什么要推动外商投资企业和私营企业建工会"  # answered by retrieval from EDITED
QUESTIONS = [RETRIEVED, "劳务派遣工的工会经费由谁拨缴", "出租车司机怎么加入工会", "农民工在哪里入会"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
AFTER_SWAP = 2.0  # seconds of hammering after the reload returned


@dataclass(frozen=True)
class Seen:
    kind: str  # ask | search
    sent: float  # monotonic time the request was sent
    status: int
    version: str | None
    edited: list[str]  # texts of EDITED in the response: quotes (ask) or the clause (search)


@pytest.fixture
def served(bot: Assistant, tmp_path: Path, corpus_copy: Path) -> Iterator[tuple[str, Assistant]]:
    """A server over a corpus copy and a private copy of the built index (vectors copied: nothing embedded)."""
    settings = Settings(corpus_dir=corpus_copy, data_dir=tmp_path / "data", collection="live")
    settings.data_dir.mkdir()
    (settings.data_dir / "models").symlink_to(bot.settings.model_dir.resolve())
    clone_index(bot.dense.vectors, settings, bot.embedder, bot.manifest)
    first = Assistant.load(settings, embedder=bot.embedder)  # the session's model, not a second copy
    with serve_in_thread(create_app(first, ApiSettings(audit_file=tmp_path / "audit.jsonl"))) as url:
        yield url, first


def seen(kind: str, sent: float, r: httpx.Response) -> Seen:
    body: dict[str, Any] = r.json() if r.headers.get("content-type") == "application/json" else {}
    if kind == "ask":
        version = body.get("corpus_version")
        texts = [c["quote"] for c in body.get("citations", []) if c["id"] == EDITED]
    else:
        version = r.headers.get("x-corpus-version")
        texts = [h["text"] for h in body.get("hits", []) if h["id"] == EDITED]
    return Seen(kind, sent, r.status_code, version, texts)


def hammer(url: str, kind: str, offset: int, stop: threading.Event, out: list[Seen]) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        n = offset
        while not stop.is_set():
            sent = time.monotonic()
            if kind == "ask":
                r = http.post("/v1/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
            else:
                r = http.get("/v1/search", params={"q": RETRIEVED, "k": 5})
            out.append(seen(kind, sent, r))
            n += 1
            time.sleep(0.01)  # leave the two cores some room for the reload itself


def test_requests_during_a_reload_see_one_version_each(served: tuple[str, Assistant], corpus_copy: Path) -> None:
    url, first = served
    old = first.answerer.version
    with httpx.Client(base_url=url, timeout=60) as http:
        before = seen("ask", 0, http.post("/v1/ask", json={"question": RETRIEVED}))
        assert before.version == old and any(OLD in t for t in before.edited)

        edit_clause(corpus_copy, first.store[EDITED], OLD, NEW)
        stop, results = threading.Event(), list[Seen]()
        workers = [
            threading.Thread(target=hammer, args=(url, kind, n, stop, results))
            for kind, n in (("ask", 0), ("ask", 2), ("search", 0))
        ]
        for w in workers:
            w.start()
        try:
            time.sleep(0.5)
            r = http.post("/v1/admin/reload", timeout=300)
            swapped = time.monotonic()
            assert r.status_code == 200, r.text
            done = r.json()
            time.sleep(AFTER_SWAP)
        finally:
            stop.set()
            for w in workers:
                w.join(60)
        new = done["corpus_version"]
        assert done["changed"] and done["previous_version"] == old and new != old
        versions = [s.version for s in results]
        OUTPUT.mkdir(exist_ok=True)
        (OUTPUT / "live-reload.txt").write_text(
            f"reload under load: {len(results)} requests, {versions.count(old)} answered by the old version and "
            f"{versions.count(new)} by the new, statuses {sorted({s.status for s in results})}; "
            f"the reload took {done['seconds']} s\n"
        )

        assert results and all(s.status == 200 for s in results), {s.status for s in results}
        assert {s.version for s in results} <= {old, new}
        for s in results:  # no mixed answers: the edited clause reads as the version the response names
            if s.version == old:
                assert all(MARK not in t for t in s.edited), s
            else:
                assert all(OLD not in t for t in s.edited), s
        assert {s.version for s in results if s.sent > swapped} == {new}
        assert {s.version for s in results if s.sent < swapped - 0.1} >= {old}
        for kind in ("ask", "search"):
            latest = [s for s in results if s.kind == kind and s.sent > swapped]
            assert latest and all(MARK in "".join(s.edited) for s in latest if s.edited), kind
        after = seen("ask", 0, http.post("/v1/ask", json={"question": RETRIEVED}))
        assert after.version == new and any(MARK in t for t in after.edited)

        # The new generation and its predecessor remain; the copied-in index from before the first load is gone.
        settings = first.settings
        edited = ClauseStore.load(corpus_copy)
        faq = Faq.load(settings.corpus_dir / "faq").valid(edited)
        assert done["collection"] == generation_name(settings, content_key(edited, faq), first.embedder.model_id)
        assert {c.name for c in client(settings).list_collections()} == {first.manifest.collection, done["collection"]}

        # A corpus that does not load: 409 with the reason, and the new version is still served.
        registry = corpus_copy / "sources.toml"
        registry.write_text(registry.read_text(encoding="utf-8") + "\n[[document]\n", encoding="utf-8")
        failed = http.post("/v1/admin/reload", timeout=300)
        assert failed.status_code == 409 and failed.json()["error"]["code"] == "reload_failed"
        assert http.post("/v1/ask", json={"question": RETRIEVED}).json()["corpus_version"] == new
