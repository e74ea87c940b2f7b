"""`assistant` command line: index, search, clause, sources (and the later subsystems' commands)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.config import LIMITS, Settings

if TYPE_CHECKING:
    from assistant.clauses.store import ClauseStore

app = typer.Typer(add_completion=False, no_args_is_help=True, help="工会建会入会政策助手")
out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit: never a traceback for the user's mistakes."""
    err.print(f"错误: {message}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _bar() -> Iterator[Callable[[int, int], Callable[[int], None]]]:
    with Progress(
        TextColumn("[bold]嵌入条款"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:

        def start(total: int, _: int) -> Callable[[int], None]:
            task = progress.add_task("embed", total=total)
            return lambda n: progress.advance(task, n)

        yield start


def _settings() -> Settings:
    """Settings from the environment; a bad ASSISTANT_* value is one line, not a traceback."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"配置错误 ASSISTANT_{str(first['loc'][0]).upper()}: {first['msg']}")


def _load(rebuild: bool = False) -> Any:
    from assistant.core import Assistant
    from assistant.corpus.base import CorpusError
    from assistant.index.chroma import IndexError_
    from assistant.index.embed import EmbeddingError

    try:
        with _bar() as progress:
            return Assistant.load(_settings(), rebuild=rebuild, progress=progress)
    except (CorpusError, EmbeddingError, IndexError_) as exc:
        fail(str(exc), 1)


@app.command()
def index(rebuild: Annotated[bool, typer.Option("--rebuild", help="丢弃现有索引并全部重建")] = False) -> None:
    """建立或更新检索索引（只重新嵌入有变化的条款）。"""
    bot = _load(rebuild)
    m = bot.manifest
    out.print(
        f"索引就绪: {m.clauses} 条款, 模型 {m.model_id}, 语料版本 {m.corpus_sha}, 构建于 {m.built_at} ({m.seconds}s)"
    )


@app.command()
def search(
    question: str,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="返回条数")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    mode: Annotated[str, typer.Option(help="hybrid | bm25 | dense")] = "hybrid",
) -> None:
    """检索与问题最相关的条款。"""
    from assistant.index.chroma import IndexUnavailable
    from assistant.retrieve import InvalidQuery

    if not question.strip():
        fail("问题为空，请输入要咨询的问题。")
    if (problem := LIMITS.question_problem(question)) is not None:
        fail(problem)
    if mode not in ("hybrid", "bm25", "dense"):
        fail(f"未知检索模式 {mode!r}（可选 hybrid、bm25、dense）")
    bot = _load()
    try:
        hits = getattr(bot, mode).search(question, k)
    except InvalidQuery as exc:
        fail(str(exc))
    except IndexUnavailable as exc:
        fail(f"检索索引暂时不可用: {exc}", 1)
    if as_json:
        sys.stdout.write(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1) + "\n")
        return
    for i, h in enumerate(hits, 1):
        c = h.clause
        mark = "（已失效版本）" if c.superseded else ""
        out.print(f"[bold]{i}. {c.cite}{mark}[/bold]  [dim]{c.id}  score={h.score:.4f}[/dim]")
        out.print(c.text[:300] + ("…" if len(c.text) > 300 else ""), markup=False, highlight=False)


@app.command()
def clause(clause_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """显示一个条款及其元数据，例如 union-law-2021/art-11。"""
    from assistant.clauses.store import ClauseStore

    store = ClauseStore.load(_settings().corpus_dir)
    c = store.get(clause_id.strip())
    if c is None:
        fail(f"没有条款 {clause_id!r}（示例: union-law-2021/art-11, guidance/6.2）")
    if as_json:
        sys.stdout.write(json.dumps(c.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    out.print(f"[bold]{c.cite}[/bold]  {c.id}", highlight=False)
    out.print(
        f"来源: {c.source} | 层级: {c.tier.label} | 版本: {c.version_date or '未载明'}"
        f"{' | 已被新版本取代' if c.superseded else ''}",
        markup=False,
        highlight=False,
    )
    if c.heading_path:
        out.print("位置: " + " › ".join(c.heading_path), markup=False, highlight=False)
    if c.versions:
        out.print("其他版本: " + ", ".join(c.versions), markup=False)
    if c.parent:
        out.print(f"引自: {c.parent}（{c.completeness}）", markup=False)
    if c.refs:
        out.print("引用: " + ", ".join(c.refs), markup=False)
    out.print(c.text, markup=False, highlight=False)


@app.command()
def sources() -> None:
    """列出语料中的文件、版本与层级。"""
    from assistant.clauses.store import ClauseStore

    store = ClauseStore.load(_settings().corpus_dir)
    table = Table("id", "标题", "层级", "版本日期", "条款数", "状态")
    for d in store.documents.values():
        table.add_row(
            d.id,
            d.title,
            d.tier.label,
            d.version_date,
            str(len(store.by_doc(d.id))),
            "已被取代" if d.superseded else "现行",
        )
    for q in store.quoted_sources.values():
        table.add_row(q.id, q.title, q.tier.label, "未载明", str(len(store.by_doc(q.id))), "仅引用条款")
    out.print(table)
    out.print(f"语料版本 {store.sha}，共 {len(store)} 条款")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="问题；省略则进入对话模式")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="输出回复 JSON")] = False,
) -> None:
    """回答一个问题（结论先行，附条款原文）；不带问题时进入多轮对话。"""
    from assistant.index.chroma import IndexUnavailable

    if question and not question.strip():
        fail("问题为空，请输入要咨询的问题。")
    if (problem := LIMITS.question_problem(question)) is not None:
        fail(problem)  # before the model loads: the edge, not the pipeline, turns it away
    bot = _load()
    if question:
        try:
            _print_reply(bot.ask(question), as_json)
        except IndexUnavailable as exc:
            fail(f"检索索引暂时不可用: {exc}", 1)
        return
    history: list[dict[str, str]] = []
    out.print("工会建会入会政策助手（输入“新对话”重新开始，Ctrl-D 退出）")
    while True:
        try:
            q = input("\n问> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if not q:
            continue
        if q == "新对话":
            history = []
            continue
        try:
            reply = bot.ask(q, history)
        except IndexUnavailable as exc:  # the conversation goes on: the store may be back for the next question
            err.print(f"错误: 检索索引暂时不可用: {exc}", highlight=False, markup=False, soft_wrap=True)
            continue
        _print_reply(reply, as_json)
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": reply.answer}]


def _print_reply(reply: Any, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(reply.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    labels = {"answered": "回答", "needs_more_info": "需要补充信息", "out_of_scope": "超出范围"}
    out.print(f"[bold]【{labels[reply.status.value]}】[/bold]")
    if reply.rewritten_question:
        out.print(f"[dim]（按上文理解为：{reply.rewritten_question}）[/dim]", highlight=False)
    out.print(reply.answer, markup=False, highlight=False)
    for c in reply.citations:
        mark = f"（{c.note}）" if c.note else ""
        out.print(f"  [cyan]{c.source} {c.locator}[/cyan]{mark}", highlight=False)
        out.print(f"    “{c.quote}”", markup=False, highlight=False)


# `assistant rules` alone still lists the catalogue; `check` and `review` keep assistant/rules/basis.lock.json.
rules_app = typer.Typer(invoke_without_command=True, help="规则目录；依据条款变动后的复核（check / review）")
app.add_typer(rules_app, name="rules")
LockOption = Annotated[Path | None, typer.Option("--lock", help="复核锁文件（默认 assistant/rules/basis.lock.json）")]


@rules_app.callback()
def rules(ctx: typer.Context) -> None:
    """列出规则目录及每条规则的法律依据。"""
    if ctx.invoked_subcommand is not None:
        return
    from assistant.clauses.store import ClauseStore
    from assistant.rules import RulesEngine

    engine = RulesEngine(ClauseStore.load(_settings().corpus_dir))
    for r in engine.catalogue():
        out.print(f"[bold]{r['id']}[/bold]  {r['title']}", highlight=False)
        out.print("  依据: " + "；".join(b["cite"] for b in r["basis"]), markup=False, highlight=False)
        if r["slots"]:
            out.print("  需要的事实: " + ", ".join(r["slots"]), markup=False)


@rules_app.command("check")
def rules_check(lock: LockOption = None) -> None:
    """列出依据条款自上次复核后有变动的规则；有则退出码 1。"""
    from assistant.clauses.store import ClauseStore
    from assistant.lifecycle.review import LOCK_PATH, message, pending, read_lock, stale
    from assistant.rules import all_rules

    rules_, lock_ = all_rules(), read_lock(lock or LOCK_PATH)
    store = ClauseStore.load(_settings().corpus_dir)
    todo = pending(rules_, store, lock_)
    for rid, changes in todo.items():
        out.print(message(rid, changes), markup=False, highlight=False, soft_wrap=True)
    broken = _faq_problems(store)
    for line in broken:
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    if broken:
        err.print(f"{len(broken)} 条问答对与条款原文不符（不会被使用）", highlight=False, markup=False)
    old = stale(rules_, lock_)
    if old:
        out.print("锁文件中已不存在的规则（assistant rules review --all 会删除）: " + ", ".join(old), markup=False)
    if todo:
        err.print(f"{len(todo)} 条规则待复核: {', '.join(todo)}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    if broken:
        raise typer.Exit(1)
    out.print(f"全部 {len(rules_)} 条规则的依据条款均已复核。", highlight=False)


def _faq_problems(store: ClauseStore) -> list[str]:
    """The corpus FAQ's entries that cannot be served against `store` (a malformed file is one problem too)."""
    from assistant.faq.base import Faq, FaqError

    try:
        return Faq.load(_settings().corpus_dir / "faq").problems(store)
    except FaqError as exc:
        return [f"FAQ: {exc}"]


@rules_app.command("review")
def rules_review(
    rule_id: Annotated[str | None, typer.Argument(help="规则 id，如 committee-threshold")] = None,
    all_: Annotated[bool, typer.Option("--all", help="复核全部待复核的规则")] = False,
    note: Annotated[str | None, typer.Option("--note", help="复核说明，记入锁文件")] = None,
    lock: LockOption = None,
) -> None:
    """显示规则依据条款的新旧文本差异，并把复核结果写入锁文件。"""
    from datetime import date

    from assistant.clauses.store import ClauseStore
    from assistant.lifecycle.review import LOCK_PATH, ReviewError, pending, read_lock, review, write_lock
    from assistant.rules import all_rules

    if (rule_id is None) == (not all_):
        fail("请给出一个规则 id，或用 --all 复核全部待复核的规则。")
    path = lock or LOCK_PATH
    rules_, store, lock_ = all_rules(), ClauseStore.load(_settings().corpus_dir), read_lock(path)
    if rule_id is not None and rule_id not in {r.id for r in rules_}:
        fail(f"没有规则 {rule_id!r}（assistant rules 列出全部规则）")
    todo = pending(rules_, store, lock_)
    ids = list(todo) if all_ else [rule_id or ""]
    for rid in ids:
        changes = todo.get(rid, ())
        state = f"{len(changes)} 处变动" if changes else "依据条款无变动"
        out.print(f"[bold]{rid}[/bold]: {state}", highlight=False)
        for c in changes:
            out.print(f"  {c.describe(context=80)}", markup=False, highlight=False, soft_wrap=True)
    try:
        new = review(lock_, rules_, store, ids, note=note, today=date.today().isoformat(), drop_stale=all_)
    except ReviewError as exc:
        fail(str(exc), 1)
    write_lock(new, path)
    out.print(f"已写入 {path}: {', '.join(ids) or '（无待复核规则）'}", markup=False, highlight=False)


@app.command("eval-retrieval")
def eval_retrieval(
    gold: Annotated[str, typer.Option(help="gold JSONL")] = "eval/gold/retrieval.jsonl",
) -> None:
    """检索评测：BM25、向量、混合检索的 Recall@1/5/10、MRR、nDCG@10。"""
    from assistant.eval.retrieval import run, table

    path = Path(gold)
    if not path.exists():
        fail(f"找不到评测集 {gold}")
    out.print(table(run(_load(), path)), markup=False)


@app.command("eval")
def eval_(
    gold: Annotated[Path | None, typer.Option(help="评测集 JSONL（默认 eval/gold/answers.jsonl）")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="输出目录（默认 .data/eval/reports/‹UTC时间›）")] = None,
    compare: Annotated[Path | None, typer.Option(help="上一次运行的 results.json（或其目录），输出回归对比")] = None,
    only: Annotated[str | None, typer.Option(help="只评测一个类别，例如 dispatch")] = None,
    systems: Annotated[
        str, typer.Option(help="逗号分隔: full,hybrid,bm25,dense,naive")
    ] = "full,hybrid,bm25,dense,naive",
) -> None:
    """评测：完整系统与 BM25、向量、混合检索及朴素 LangChain 基线在同一评测集上对比，生成 results.json 与报告。"""
    from assistant.eval.report import summary_table
    from assistant.eval.run import DEFAULT_GOLD, check_options, execute

    try:
        check_options(gold or DEFAULT_GOLD, only, systems, compare)  # before the slow model load
        doc = execute(_load(), gold=gold, out=out_dir, compare=compare, only=only, systems=systems, console=err)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    out.print(summary_table(doc), markup=False, highlight=False)
    out.print(f"报告: {doc['paths']['html']}", markup=False, highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="端口")] = 7860,
    workers: Annotated[int, typer.Option(min=1, max=16, help="进程数（每个进程各自载入索引）")] = 1,
) -> None:
    """启动服务：帮助台 HTTP 接口（/v1/…，文档 /docs）与聊天页面（/）。"""
    from assistant.api.server import serve as run

    run(host, port, workers)


feedback_app = typer.Typer(no_args_is_help=True, help="用户对回答的反馈（赞/踩）")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    output: Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（默认输出到标准输出）")] = None,
    faq: Annotated[bool, typer.Option("--faq", help="只导出“踩”的回答，写成 corpus/faq/ 问答对草稿")] = False,
) -> None:
    """把反馈导出为 JSON Lines（每行一条：评价、问题、完整回答、对话历史；--faq 为问答对草稿）。"""
    from assistant.feedback import FeedbackStore
    from assistant.feedback.store import FILENAME

    path = _settings().data_dir / FILENAME
    if not path.exists():
        err.print("还没有任何反馈。", highlight=False)
        return
    store = FeedbackStore(path)
    if output is None:
        n = store.export_jsonl(sys.stdout, faq=faq)
    else:
        with output.open("w", encoding="utf-8") as fh:
            n = store.export_jsonl(fh, faq=faq)
    err.print(f"已导出 {n} 条反馈。", highlight=False)


@app.command("api-key")
def api_key() -> None:
    """生成新的 API 密钥：密钥只显示这一次，服务端只保存它的 SHA-256 哈希。"""
    from assistant.api.auth import new_key

    key, digest = new_key()
    out.print(f"密钥（交给调用方）: {key}", highlight=False, markup=False, soft_wrap=True)
    out.print(
        f"哈希（写入 ASSISTANT_API_KEY_HASHES 或 ASSISTANT_API_KEYS_FILE）: {digest}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@app.command("ingest")
def ingest_cmd(
    file: Annotated[Path, typer.Argument(help="源文件：.md（可带前置信息）、.txt 或 .docx")],
    doc_id: Annotated[str | None, typer.Option("--id", help="文档 id，如 labor-law-2018")] = None,
    title: Annotated[str | None, typer.Option(help="标题（覆盖前置信息）")] = None,
    issuer: Annotated[str | None, typer.Option(help="制定机关")] = None,
    version: Annotated[str | None, typer.Option(help="版本说明，如 2021年12月24日第三次修正")] = None,
    tier: Annotated[str | None, typer.Option(help="law | regulation | acftu_rule | constitution | guidance")] = None,
    source: Annotated[str | None, typer.Option(help="出处")] = None,
    completeness: Annotated[str | None, typer.Option(help="完整性说明")] = None,
    short: Annotated[str | None, typer.Option(help="简称，如 工会法")] = None,
    version_date: Annotated[str | None, typer.Option("--version-date", help="YYYY-MM-DD")] = None,
    name: Annotated[list[str] | None, typer.Option("--name", help="别名，可重复")] = None,
    parser: Annotated[str | None, typer.Option(help="law | guidance（默认自动识别）")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验，不写入")] = False,
) -> None:
    """把一份源文件加入语料：校验前置信息、解析条款、登记到 corpus/sources.toml。"""
    from assistant.corpus.base import CorpusError
    from assistant.lifecycle.ingest import clause_keys, ingest

    settings = _settings()
    try:
        doc = ingest(
            file,
            settings.corpus_dir,
            doc_id=doc_id,
            title=title,
            issuer=issuer,
            version=version,
            tier=tier,
            source=source,
            completeness=completeness,
            short=short,
            version_date=version_date,
            names=name or (),
            parser=parser,
            dry_run=dry_run,
        )
    except CorpusError as exc:
        fail(str(exc))
    n = len(clause_keys(doc))
    verb = "校验通过（未写入）" if dry_run else f"已加入 corpus/{doc.path}"
    out.print(f"{verb}: {doc.id} 《{doc.title}》 {doc.tier.label}, {doc.parser} 解析, {n} 条款", highlight=False)
    if not dry_run:
        out.print("运行 `assistant index` 更新检索索引（只嵌入新增条款）。", markup=False)


@app.command("diff")
def diff_cmd(
    old: Annotated[str, typer.Argument(help="旧版本：git 引用（如 HEAD~1、v1）或语料目录")],
    new: Annotated[str, typer.Argument(help="新版本：git 引用或语料目录（如 corpus）")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    gold: Annotated[Path | None, typer.Option(help="评测集目录（默认 eval/gold）")] = None,
) -> None:
    """比较两个语料版本：新增、修改、删除的条款，引用它们的规则，以及以它们为标准答案的评测条目。"""
    from assistant.corpus.base import CorpusError
    from assistant.lifecycle.diff import diff, impact, load_corpus, load_gold, rules_for
    from assistant.lifecycle.review import pending, read_lock, review_command
    from assistant.rules import all_rules

    try:
        a, b = load_corpus(old), load_corpus(new)
    except CorpusError as exc:
        fail(str(exc))
    d = diff(a, b)
    imp = impact(d, rules_for(a, b), load_gold(gold) if gold else load_gold(), new=b)
    todo = list(pending(all_rules(), b, read_lock()))  # against the committed review lock, not just old → new
    if as_json:
        doc = {"diff": d.to_dict(), "impact": imp.to_dict(), "unreviewed_rules": todo, "faq": _faq_problems(b)}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        return
    out.print(f"语料版本 {d.old_version} → {d.new_version}", highlight=False)
    for label, ids in (("新增", d.added), ("修改", d.changed), ("删除", d.removed)):
        out.print(f"{label} {len(ids)}: " + ("，".join(ids) if ids else "—"), markup=False, highlight=False)
    for r in imp.rules:
        basis = "，".join(r.clauses)
        out.print(f"规则 {r.rule_id} {r.title}：依据 {basis} 已变动，需复核", markup=False, highlight=False)
        for p in r.problems:
            out.print(f"  {p}", markup=False, highlight=False)
    if imp.gold:
        out.print(f"受影响的评测条目 {len(imp.gold)}: " + "，".join(f"{g.file}:{g.id}" for g in imp.gold), markup=False)
    broken = _faq_problems(b)
    for line in broken:
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    if todo:
        out.print(f"复核锁中待复核的规则 {len(todo)}: " + "，".join(todo), markup=False, highlight=False)
        out.print(f"  逐条复核后运行: {review_command('<规则id>')}（或 assistant rules check 查看详情）", markup=False)


@app.command("replay")
def replay_cmd(
    audit: Annotated[Path, typer.Argument(help="审计日志（JSON Lines，ASSISTANT_API_AUDIT_FILE）")],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="最多处理多少条问答记录")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """按回答时的语料版本重放审计日志中的问题，比较状态、引用、规则与回答摘要；有不同或重放出错时退出码为 1。"""
    from assistant.lifecycle.replay import Replayer, ReplayError, read_audit

    try:
        items = read_audit(audit, limit)
    except ReplayError as exc:
        fail(str(exc))
    note = "载入语料版本 {}（首次载入需要建立该版本的索引）……"
    report = Replayer(_settings(), on_load=lambda v: err.print(note.format(v), highlight=False)).run(items)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        for line in report.render():
            out.print(line, markup=False, highlight=False, soft_wrap=True)
    if report.failed:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
