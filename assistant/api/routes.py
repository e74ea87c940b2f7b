"""The routes: /v1 (ask, stream, OpenAI-compatible chat, search, clauses, sources) and health, readiness, metrics."""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from assistant.answer.reply import Reply
from assistant.api.audit import Asked
from assistant.api.auth import RateLimiter, bearer_token
from assistant.api.errors import ApiError, invalid, not_found, request_id_of, unauthorized
from assistant.api.jsonresp import json_response
from assistant.api.schemas import (
    API_ERRORS,
    ASK_EVENTS,
    CHAT_EVENTS,
    INDEX_ERRORS,
    MAX_HISTORY_TURNS,
    MAX_QUESTION_CHARS,
    MAX_SEARCH_K,
    MAX_TURN_CHARS,
    NOT_BLANK,
    OPS_ERRORS,
    AskRequest,
    ChatCompletion,
    ChatMessage,
    ChatRequest,
    ClauseResponse,
    ErrorResponse,
    Health,
    Readiness,
    ReloadResponse,
    SearchResponse,
    SourcesResponse,
)
from assistant.api.service import Services, services
from assistant.api.streaming import ask_events, chat_events
from assistant.index.chroma import UNAVAILABLE_MESSAGE, IndexError_, IndexUnavailable
from assistant.lifecycle.audit import ReplyFacts
from assistant.retrieve import InvalidQuery

if TYPE_CHECKING:
    from assistant.core import AssistantLike

Svc = Annotated[Services, Depends(services)]
log = logging.getLogger(__name__)
READY_TIMEOUT = 2.0  # seconds /readyz waits for the vector store

_ERRORS = API_ERRORS  # 400/401/413/422/429/500, on every /v1 route through the router
# Routes that search the vector store: a store that does not answer is a 503 with Retry-After.
_SEARCHES = INDEX_ERRORS
SSE = "text/event-stream"
_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def authorize(request: Request, svc: Svc) -> None:
    """Bearer key when keys are configured, then the per-key token bucket."""
    state = request.state
    state.key_id = None
    if svc.keys.enabled:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            raise unauthorized("缺少 API 密钥，请在请求头加入 Authorization: Bearer <密钥>。"
                               "/ Missing API key: send Authorization: Bearer <key>.")
        kid = svc.keys.identify(token)
        if kid is None:
            raise unauthorized("API 密钥无效。/ Invalid API key.")
        state.key_id = kid
        bucket = "key:" + kid
    elif svc.settings.rate_limit_anonymous:
        bucket = "addr:" + (request.client.host if request.client else "unknown")
    else:
        return
    wait = svc.limiter.acquire(bucket)
    if wait > 0:
        seconds = RateLimiter.retry_after(wait)
        message = f"请求过于频繁，请在{seconds}秒后重试。/ Too many requests; retry in {seconds} s."
        raise ApiError(429, "rate_limited", message, {"Retry-After": str(seconds)})


v1 = APIRouter(prefix="/v1", dependencies=[Depends(authorize)], responses=_ERRORS)
ops = APIRouter(responses=OPS_ERRORS)


async def _answer(svc: Services, request: Request, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
    request.state.asked = Asked(question, history)  # read by the middleware's audit line
    try:
        reply, cached = await svc.answer(question, history)
    except InvalidQuery as exc:
        raise invalid(str(exc)) from None
    request.state.reply = ReplyFacts.of(reply, cached=cached)
    return reply


@v1.post("/ask", response_model=Reply, summary="提问（返回完整回答结构）", responses=_SEARCHES)
async def ask(body: AskRequest, request: Request, svc: Svc) -> Response:
    """The reply contract unchanged: status, answer, citations with verbatim quotes, rule trace, missing facts."""
    return json_response(await _answer(svc, request, body.question, body.history_dicts()))


@v1.post("/ask/stream", summary="提问（SSE 流式）", response_class=Response,
         responses={200: {"content": {SSE: {"itemSchema": ASK_EVENTS}},
                          "description": "`event: piece` {text} 若干，最后 `event: reply` 携带完整回答结构"},
                    **_SEARCHES})
async def ask_stream(body: AskRequest, request: Request, svc: Svc) -> Response:
    # The reply is computed before the stream opens, so errors still get their status codes.
    reply = await _answer(svc, request, body.question, body.history_dicts())
    return StreamingResponse(ask_events(reply, svc.settings.stream_piece_chars), media_type=SSE, headers=_SSE_HEADERS)


def _conversation(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """OpenAI messages → (question, history); system/developer messages are ignored by design."""
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise invalid("最后一条消息必须是用户的问题。/ The last message must have role 'user'.")
    question = turns[-1].text()
    if not question.strip():
        raise invalid("问题为空，请输入要咨询的问题。/ The question is empty.")
    if len(question) > MAX_QUESTION_CHARS:
        raise invalid(f"问题过长，请控制在{MAX_QUESTION_CHARS}字以内。"
                      f"/ The question must be at most {MAX_QUESTION_CHARS} characters.")
    history = [{"role": m.role, "content": m.text()} for m in turns[:-1]]
    if len(history) > MAX_HISTORY_TURNS:
        raise invalid(f"对话历史过长（{len(history)}条），最多{MAX_HISTORY_TURNS}条。"
                      f"/ At most {MAX_HISTORY_TURNS} earlier messages are accepted.")
    for text in (question, *(h["content"] for h in history)):
        if len(text) > MAX_TURN_CHARS:
            raise invalid(f"单条消息过长，最多{MAX_TURN_CHARS}字。"
                          f"/ A message is longer than {MAX_TURN_CHARS} characters.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid("消息包含无法识别的字符。/ A message contains invalid characters.") from None
    return question, history


@v1.post("/chat/completions", response_model=ChatCompletion, summary="OpenAI 兼容的对话接口",
         responses={200: {"content": {SSE: {"itemSchema": CHAT_EVENTS}},
                          "description": "stream=true 时为 chat.completion.chunk 流，最后一块带 `assistant` 字段"},
                    **_SEARCHES})
async def chat_completions(body: ChatRequest, request: Request, svc: Svc) -> Response:
    """Messages in, choices out; citations, rule and status travel in the extra field `assistant`."""
    question, history = _conversation(body.messages)
    reply = await _answer(svc, request, question, history)
    cid = f"chatcmpl-{request_id_of(request) or 'x'}"
    created = int(time.time())
    model = svc.settings.model_name
    if body.stream:
        events = chat_events(reply, cid, created, model, svc.settings.stream_piece_chars)
        return StreamingResponse(events, media_type=SSE, headers=_SSE_HEADERS)
    message = {"role": "assistant", "content": reply["answer"]}
    return json_response({
        "id": cid, "object": "chat.completion", "created": created, "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "assistant": reply,
    })


@v1.get("/search", response_model=SearchResponse, summary="检索条款", responses=_SEARCHES)
async def search(
    svc: Svc,
    # A blank query (NOT_BLANK) is refused by the retriever itself, with the same message as a blank question.
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="查询内容",
                            json_schema_extra={"pattern": NOT_BLANK})],
    k: Annotated[int, Query(ge=1, le=MAX_SEARCH_K, description="返回条数")] = 5,
) -> Response:
    live = svc.live  # one generation for the whole request, even if a reload swaps it meanwhile
    try:
        hits = await svc.run(live.bot.search, q, k)
    except InvalidQuery as exc:
        raise invalid(str(exc)) from None
    body = {"query": q, "k": k, "hits": [h.to_dict() for h in hits]}
    return json_response(body, headers={"X-Corpus-Version": live.version})


@v1.get("/clauses/{clause_id:path}", response_model=ClauseResponse, summary="按编号取条款",
        responses={404: {"model": ErrorResponse, "description": "没有这个条款"}})
async def clause(
    svc: Svc, clause_id: Annotated[str, Path(max_length=200, description="如 union-law-2021/art-11",
                                             examples=["union-law-2021/art-11"])]
) -> Response:
    found = svc.bot.store.get(clause_id.strip())
    if found is None:
        raise not_found(f"没有编号为 {clause_id[:80]!r} 的条款（示例：union-law-2021/art-11、guidance/6.2）。"
                        f"/ No clause with this id.")
    return json_response(found.to_dict())


@v1.get("/sources", response_model=SourcesResponse, summary="已载入的来源与版本")
async def sources(svc: Svc) -> Response:
    return json_response(svc.sources)


def sources_payload(bot: AssistantLike) -> dict[str, Any]:
    """Documents, quoted-only sources, corpus version and index build: fixed for the life of a loaded assistant."""
    from assistant.core import corpus_version  # imported late: the API package must not load the model stack

    store, m = bot.store, bot.manifest
    # The version replies carry was fixed when the assistant loaded; recomputing could see newer rule files.
    version = getattr(getattr(bot, "answerer", None), "version", None) or corpus_version(store)
    docs = [{"id": d.id, "title": d.title, "short": d.short, "tier": d.tier.value, "tier_label": d.tier.label,
             "version": d.version, "version_date": d.version_date, "superseded": d.superseded,
             "completeness": d.completeness, "clauses": len(store.by_doc(d.id))} for d in store.documents.values()]
    quoted = [{"id": q.id, "title": q.title, "short": q.short, "tier": q.tier.value, "tier_label": q.tier.label,
               "version": "", "version_date": "", "superseded": False, "completeness": q.completeness,
               "clauses": len(store.by_doc(q.id))} for q in store.quoted_sources.values()]
    index = {"corpus_sha": m.corpus_sha, "model_id": m.model_id, "built_at": m.built_at, "clauses": m.clauses}
    return {"corpus_version": version, "clauses_sha": store.sha, "documents": docs,
            "quoted_sources": quoted, "index": index}


def _local(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@v1.post("/admin/reload", response_model=ReloadResponse, summary="重新载入语料与索引（管理）",
         responses={403: {"model": ErrorResponse, "description": "未配置密钥时只接受本机调用"},
                    409: {"model": ErrorResponse, "description": "新语料或索引无法载入，继续使用当前版本"},
                    **_SEARCHES})
async def admin_reload(request: Request, svc: Svc) -> Response:
    """Re-read corpus/ and switch to it once its index generation is complete; answers continue meanwhile.

    Needs an API key when keys are configured; without keys only requests from this machine are accepted.
    """
    if not svc.keys.enabled and not _local(request):
        raise ApiError(403, "forbidden", "未配置 API 密钥时，只接受本机发起的重新载入。"
                                         "/ Without API keys, reload is accepted from localhost only.")
    from assistant.corpus.base import CorpusError
    from assistant.index.embed import EmbeddingError

    try:
        done = await svc.reload()
    except IndexUnavailable:
        raise
    except (CorpusError, EmbeddingError, IndexError_, ValueError, OSError) as exc:  # e.g. a malformed sources.toml
        raise ApiError(409, "reload_failed", f"重新载入失败，继续使用当前版本：{exc} "
                                             "/ Reload failed; the current version is still served.") from None
    return json_response(done.model_dump())


@v1.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def unknown(request: Request) -> Response:
    """JSON 404/405 for /v1 paths no route serves (the UI mounted at / would otherwise answer with HTML)."""
    path = request.scope["path"]
    allowed = sorted({m for r in v1.routes if isinstance(r, APIRoute) and r.endpoint is not unknown
                      and r.path_regex.match(path) for m in r.methods or ()})
    if allowed:
        raise ApiError(405, "method_not_allowed", "该接口不支持此请求方法。/ Method not allowed.",
                       {"Allow": ", ".join(allowed)})
    raise not_found("没有这个接口，请查看 /docs。/ No such endpoint; see /docs.")


@ops.get("/healthz", response_model=Health, summary="进程存活")
async def healthz() -> Response:
    return json_response({"status": "ok"})


@ops.get("/readyz", response_model=Readiness, summary="索引与模型已载入",
         responses={503: {"model": Readiness, "description": "尚未就绪"}})
async def readyz(svc: Svc) -> Response:
    live = svc.live
    bot = live.bot
    # Probed on every call, so readiness comes back by itself when the store does; off the event loop (it may wait).
    problem = await run_in_threadpool(bot.vectors_problem, READY_TIMEOUT)
    checks = {
        "clauses": len(bot.store) > 0,
        "index": bot.manifest.clauses > 0,
        "model": bool(bot.manifest.model_id) and getattr(bot, "embedder", None) is not None,
        "answers": callable(getattr(bot, "ask", None)),
        "vectors": problem is None,
    }
    ok = all(checks.values())
    body: dict[str, Any] = {"status": "ready" if ok else "not_ready", "checks": checks,
                            "corpus_version": live.version, "model_id": bot.manifest.model_id}
    if problem is not None:
        log.warning("not ready: %s", problem)
        body["message"] = UNAVAILABLE_MESSAGE
    return json_response(body, 200 if ok else 503)


@ops.get("/metrics", summary="Prometheus 指标", response_class=Response,
         responses={200: {"content": {"text/plain": {}}}})
async def metrics(svc: Svc) -> Response:
    return Response(svc.metrics.render(), media_type=svc.metrics.content_type)
