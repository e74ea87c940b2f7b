"""Answerer: one question (+ history) → Reply. Order: input checks → injection/off-task precheck → rules
(replaying the history's turns) → follow-up rewrite → direct article reference → hybrid retrieval →
scope gate → composer (or LLM) → citation gate. Failures become a reply, except a vector store that does not answer
(`IndexUnavailable`): the caller reports that, since "out of scope" would be a wrong answer."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from assistant.answer import render
from assistant.answer.compare import Pair, compare, pair, versioned
from assistant.answer.compose import Composer, Composition
from assistant.answer.followup import Rewrite, rewrite, user_turns
from assistant.answer.gate import gate
from assistant.answer.llm import LLM, LLMError
from assistant.answer.render import EMPTY, HANDOFF, REFUSAL
from assistant.answer.reply import Reply, ReplyStatus
from assistant.answer.scope import ScopeGate, Verdict, coverage
from assistant.clauses.store import ClauseStore
from assistant.config import LIMITS, Limits
from assistant.faq.base import Match
from assistant.index.chroma import IndexUnavailable
from assistant.retrieve import Hit, HybridRetriever, InvalidQuery, Query, QueryAnalyzer
from assistant.retrieve.faq import FaqMatcher
from assistant.retrieve.hybrid import Signals
from assistant.rules import RulesEngine
from assistant.rules.base import RuleResult, Status
from assistant.text.normalize import normalize
from assistant.understand.base import Intent, IntentKind
from assistant.understand.reader import Reader, Reading

log = logging.getLogger(__name__)

_CONTENT = re.compile(r"[\w\u4e00-\u9fff]")
# "工会法第十四条是什么" / "…怎么规定的" / "…原文": the user wants the article itself.
_WANTS_TEXT = re.compile(
    r"(是什么|说的什么|讲的什么|讲什么|说什么|怎么规定|如何规定|规定了什么|规定什么|原文|全文|内容|条文|写的什么"
    r"|讲的啥|说的啥|讲啥|说啥|是啥|写的啥|啥意思|什么意思)"
)
# Why / background questions: the passage that explains answers them unless they bring numbers to decide on. Kept
# beside the intent classifier, whose rule/passage boundary is its least sure (eval.intents: ~90 confusions each way).
_EXPLAIN = re.compile(
    r"(为什么|为何|为啥|原因|难在|难点|意义|重要性|成效|部署|措施|经验|做法|哪些问题|什么问题|弊|背景|原则|文件|哪一年|哪年|多少家|多少人|有哪些)"
)
_LAW_NAME = re.compile(
    r"《?([\u4e00-\u9fff]{2,12}(?:法|条例))(?=规定|第|中|里|的|上|》|[,，。？?、和与及]|$|怎|说|有|对|要|明确|是)"
)
# Words ending in 法 that are not statute names.
_NOT_A_LAW = (
    "方法",
    "办法",
    "做法",
    "说法",
    "看法",
    "想法",
    "依法",
    "合法",
    "违法",
    "非法",
    "守法",
    "执法",
    "立法",
    "用法",
    "算法",
    "写法",
    "本法",
    "该法",
    "新法",
    "旧法",
    "老法",
    "此法",
    "什么法",
    "哪部法",
    "国家法",
    "法律法",
    "工会法",
    "劳动法",
    "劳动合同法",
)
# words that say which version of a law, not which law: "现行法", "修改后的法"
_ASKING = re.compile(r"怎么|怎样|如何|什么|哪|咋|啥|多少|为何|几")
_VERSION_WORDS = re.compile(r"^(?:现行|新|旧|老|原|修改后的?|修正后的?|修订后的?|这部|那部|本部|上述|有关|相关)+")
# who asks, or what a question is about (改制 in general, its 经费 or 会员), not a fact a decision turns on
_TOPICAL = frozenset({"entity", "firm", "restructuring_aspect"})
_DIGIT = re.compile(r"\d")
_NOT_RULE = (IntentKind.PASSAGE, IntentKind.LIST, IntentKind.COMPARE, IntentKind.ARTICLE)


@dataclass
class Answerer:
    store: ClauseStore
    analyzer: QueryAnalyzer
    retriever: HybridRetriever
    rules: RulesEngine
    scope: ScopeGate
    composer: Composer
    version: str
    llm: LLM | None = None
    limits: Limits = LIMITS
    k: int = 8
    reader: Reader | None = None
    # Scope is one calibrated decision (answer/scope.py) over retrieval's signals and the intent classifier's
    # reading; a question the classifier is this sure is out of scope is decided before any rule is tried.
    oos_confidence: float = 0.7
    rule_hint: float = 0.6  # the classifier's rule is tried when the router abstains and it is this sure of it
    faq: FaqMatcher | None = None  # 问答对: a question close to a variant is answered by the span it binds
    idf: Callable[[str], float] | None = None  # BM25 term weights, for how much of a question a sentence holds

    def ask(self, question: Any, history: Any = None) -> Reply:
        try:
            turns = clean_history(history)
            problem = self.limits.history_problem(turns)
            if problem is not None:
                return self._reply(ReplyStatus.NEEDS_MORE_INFO, problem)
            return self._ask(question, turns)
        except IndexUnavailable:
            raise
        except Exception:  # the contract: a reply, never an exception
            log.exception("ask failed")
            return self._reply(ReplyStatus.OUT_OF_SCOPE, render.FAILED)

    def _reply(
        self, status: ReplyStatus, answer: str, comp: Composition | None = None, rewritten: str | None = None
    ) -> Reply:
        return Reply(
            status=status,
            answer=answer,
            citations=comp.citations if comp else [],
            rule=comp.rule if comp else None,
            missing_facts=comp.missing if comp else [],
            rewritten_question=rewritten,
            corpus_version=self.version,
        )

    def _ask(self, question: Any, history: list[dict[str, str]]) -> Reply:
        q = question if isinstance(question, str) else ""
        if not _CONTENT.search(normalize(q)):
            return self._reply(ReplyStatus.NEEDS_MORE_INFO, EMPTY)
        problem = self.limits.question_problem(q)
        if problem is not None:
            return self._reply(ReplyStatus.NEEDS_MORE_INFO, problem)
        reading = self.reader.read(q) if self.reader is not None else None
        if reading is None:
            return self._understood(q, history, None)
        if reading.refused:
            return self._reply(ReplyStatus.OUT_OF_SCOPE, REFUSAL)
        reply = self._understood(reading.text, history, reading)
        if reading.screen.dropped and reply.status is not ReplyStatus.OUT_OF_SCOPE:
            # the instruction is reported, never obeyed: rules and quotes come from the texts only
            reply = reply.model_copy(update={"answer": render.injected(reading.screen.dropped, reply.answer)})
        return reply

    def _understood(self, q: str, history: list[dict[str, str]], reading: Reading | None) -> Reply:
        """The answer to a question already read (spelling corrected, injected instructions dropped)."""
        pre = self.scope.precheck(q)
        if pre is not None:
            return self._reply(ReplyStatus.OUT_OF_SCOPE, REFUSAL if pre.verdict is Verdict.INJECTION else HANDOFF)

        unknown = self.unknown_law(q)
        if unknown:
            return self._reply(ReplyStatus.OUT_OF_SCOPE, render.unknown_law(unknown))

        rw = self._rewrite(q, history)
        if reading is not None and reading.rewritten and not rw.rewritten:
            rw = Rewrite(rw.question, reading.rewritten, rw.base)
        text = rw.question
        refs = self.analyzer.addresser.find(text)
        absent = [r for r in refs if r.clause_id is None]
        if absent:  # never answer "by" an article that does not exist
            comp = self.composer.from_reference(absent[0])
            return self._reply(ReplyStatus.OUT_OF_SCOPE, render.check_reference(comp.answer), rewritten=rw.rewritten)
        intent = reading.intent if reading is not None else None
        if intent is not None and self.reader is not None and rw.rewritten:
            intent = self.reader.classify([rw.question])[0]  # a follow-up is routed as its standalone question
        if intent is not None and intent.kind is IntentKind.COMPARE and intent.confident:
            compared = self._compare(text, refs)
            if compared is not None:
                return self._answered(compared, rw.rewritten)
        wants_article = bool(refs) and (bool(_WANTS_TEXT.search(normalize(q))) or len(normalize(q)) <= 24)

        @cache
        def retrieved() -> tuple[Query, list[Hit], Signals]:
            # one retrieval per turn, shared by the scope decision, the rule arbitration and the answer
            query = self.analyzer(text)
            return (query, *self.retriever.retrieve(query, self.k))

        if (
            intent is not None
            and intent.kind is IntentKind.OUT_OF_SCOPE
            and intent.probability >= self.oos_confidence
            and not refs
            and not history
            and not self._in_scope(text, *retrieved(), intent)
        ):  # before any rule is tried: the classifier and the gate both read it as beyond the texts
            return self._reply(ReplyStatus.OUT_OF_SCOPE, HANDOFF, rewritten=rw.rewritten)
        hint = None
        if intent is not None and intent.kind is IntentKind.RULE and intent.confident:
            hint = intent.rule if intent.rule_probability >= self.rule_hint else None
        turn_hints = self._turn_hints(history) if not wants_article else []
        result = None if wants_article else self._rule(q, history, None, turn_hints)
        hinted = result is None and hint is not None and not wants_article
        if hinted:  # the router and the conversation found no rule: try the one the classifier names
            result = self._rule(q, history, hint, turn_hints)

        if result is not None and self._rule_fits(q, result, lambda: retrieved()[1], intent, hinted):
            return self._from_rule(result, rw)

        if wants_article:
            comps = [self.composer.from_reference(r) for r in refs[:3]]
            comp = Composition("\n\n".join(c.answer for c in comps), [x for c in comps for x in c.citations])
            return self._answered(comp, rw.rewritten)

        query, hits, signals = retrieved()
        matched = self.faq.match(query) if self.faq is not None else None
        # a 问答对's own question is in scope by construction
        if not hits or (matched is None and not self._in_scope(text, query, hits, signals, intent)):
            return self._reply(ReplyStatus.OUT_OF_SCOPE, HANDOFF, rewritten=rw.rewritten)
        comp = self._phrase(text, query, hits, matched)
        return self._answered(comp, rw.rewritten)

    def _in_scope(self, text: str, query: Query, hits: Sequence[Hit], signals: Signals, intent: Intent | None) -> bool:
        """The scope gate's verdict (one calibrated model: answer/scope.py) on `scope_inputs`."""
        verdict = self.scope.judge(text, *self.scope_inputs(query, hits, signals, intent))
        return verdict.verdict is Verdict.IN_SCOPE

    def scope_inputs(
        self, query: Query, hits: Sequence[Hit], signals: Signals, intent: Intent | None
    ) -> tuple[float, float, float, float]:
        """(dense top, BM25 top, how much of the question one retrieved sentence holds, the intent classifier's
        in-scope probability): what the scope gate weighs besides the question's domain terms."""
        cover = coverage(query.tokens, [h.clause.text for h in hits[:5]], self.idf) if self.idf is not None else 0.0
        p_in = in_scope(intent) if intent is not None else 0.5
        return signals.dense_top, signals.bm25_top, cover, p_in

    def _compare(self, text: str, refs: Sequence[Any]) -> Composition | None:
        """Both versions of the articles the question names, or else of the best versioned hits."""
        clauses = [self.store[r.clause_id] for r in refs if r.clause_id is not None]
        clauses = [c for c in clauses if versioned(self.store, c)]
        words = self.analyzer.tokenizer.cut(text)
        if not clauses:
            # retrieve on the topic: the comparison's frame ("新旧", "有什么不同") would pull in random articles
            topic = self.reader.topic(words, IntentKind.COMPARE) if self.reader is not None else words
            query = self.analyzer("".join(topic) or text)
            hits, _ = self.retriever.retrieve(query, self.k * 2)
            ranked = [h for h in hits if versioned(self.store, h.clause)]
            if not ranked:
                return None
            clauses = [ranked[0].clause]
            if len(ranked) > 1 and ranked[1].score >= 0.9 * ranked[0].score:
                clauses.append(ranked[1].clause)
        pairs: list[Pair] = list({p.key: p for p in (pair(self.store, c) for c in clauses)}.values())
        terms = [t for t in words if len(t) >= 2]
        answer, cites = compare(self.store, pairs, terms, self.analyzer.tokenizer.words)
        return Composition(answer, cites) if answer else None

    def _rewrite(self, q: str, history: list[dict[str, str]]) -> Rewrite:
        rw = rewrite(q, history, self.scope.domain_hits(q))
        if rw.rewritten and self.llm is not None:
            try:
                text = self.llm.rewrite(q, history)
                return Rewrite(text, text, rw.base)
            except LLMError as exc:
                log.warning("LLM rewrite failed, using the deterministic one: %s", exc)
        return rw

    def _rule(
        self,
        q: str,
        history: list[dict[str, str]],
        hint: str | None = None,
        turn_hints: Sequence[str | None] = (),
    ) -> RuleResult | None:
        """Replay the earlier user turns so filled slots carry over (the server keeps no state); `hint` is the rule
        the intent classifier names, taken only when the router abstains, and `turn_hints` the same for each
        earlier turn ("小王参加工会活动被解除了合同" opens the dismissal rule the next turn's income completes)."""
        conv = self.rules.conversation()
        for n, turn in enumerate(user_turns(history)):
            conv.ask(turn, turn_hints[n] if n < len(turn_hints) else None)
        return conv.ask(q, hint)

    def _turn_hints(self, history: list[dict[str, str]]) -> list[str | None]:
        """The rule the classifier confidently names for each earlier user turn (None where it names none)."""
        turns = user_turns(history)
        if not turns or self.reader is None:
            return []
        return [
            i.rule if i.kind is IntentKind.RULE and i.confident and i.rule_probability >= self.rule_hint else None
            for i in self.reader.classify(turns)
        ]

    def unknown_law(self, q: str) -> str | None:
        """A law or regulation the question names that the corpus does not hold (公司法, 工伤保险条例).

        A candidate holding a known statute's name is that statute ("工会法开头说这部法" is about 工会法), and
        one that is only a version modifier plus 法 ("现行法", "新法") names no statute."""
        norm = normalize(q)
        known = self.analyzer.addresser.names
        for name in _LAW_NAME.findall(norm):
            name = str(name).lstrip("《")
            core = _VERSION_WORDS.sub("", name)
            if len(core) <= 1 or name.endswith(_NOT_A_LAW) or any(k in name or k.endswith(name) for k in known):
                continue
            if _ASKING.search(name):
                continue  # a statute's name asks nothing: "要求全会上下怎么个干法" is a question, not a title
            return name
        return None

    def _rule_fits(
        self,
        q: str,
        result: RuleResult,
        hits: Callable[[], list[Hit]],
        intent: Intent | None = None,
        hinted: bool = False,
    ) -> bool:
        """A rule answers when the question gives it facts, or asks for its decision and retrieval's best
        clause is one the rule rests on (or quotes one it rests on).

        A question the intent classifier reads, confidently, as asking for a passage, a list, a comparison or an
        article ("派遣工入会为什么这么难", "改制的几种情况各怎么处理") mentions a rule's topic without asking for its
        decision unless it brings numbers to decide on: the passage that explains it answers better. Naming who
        asks ("出租车公司", "事务所") is not a fact to decide on.
        """
        facts = {k: v for k, v in result.inputs.items() if k not in _TOPICAL}
        numbers = any(_DIGIT.search(str(v)) for v in facts.values())
        if intent is not None and intent.confident and intent.kind in _NOT_RULE and not numbers:
            return False
        sure_rule = intent is not None and intent.confident and intent.kind is IntentKind.RULE
        if _EXPLAIN.search(normalize(q)) and not numbers and not sure_rule:
            return False
        if hinted and not any(not k.startswith("ask_") for k in facts):
            return False  # the router abstained: the classifier's rule needs a fact of the question to decide on
        if any(k.startswith("ask_") for k in facts):  # "要多少人" / "超没超": asks for what the rule computes
            return True
        if facts:
            return True
        top = hits()
        if not top:
            return False
        ids = {*result.clause_ids, *(b.clause_id for b in self.rules.rule(result.rule_id).basis)}
        clause = top[0].clause
        related = {clause.id, *clause.quoted, *clause.versions}
        return bool(related & ids)

    def _from_rule(self, result: RuleResult, rw: Rewrite) -> Reply:
        comp = self.composer.from_rule(result)
        comp.citations = gate(comp.citations, self.store)
        rewritten = rw.rewritten if result.inputs and rw.rewritten else None
        if result.status is Status.DECIDED:
            if not comp.citations:
                return self._reply(ReplyStatus.OUT_OF_SCOPE, HANDOFF)
            return self._reply(ReplyStatus.ANSWERED, comp.answer, comp, rewritten)
        return self._reply(ReplyStatus.NEEDS_MORE_INFO, comp.answer, comp, rewritten)

    def _phrase(self, text: str, query: Any, hits: Sequence[Any], faq: Match | None = None) -> Composition:
        if self.llm is not None:
            try:
                answer, raw = self.llm.phrase(text, hits)
                cites = [
                    self.composer.citation(self.store[c["id"]], str(c.get("quote", "")))
                    for c in raw
                    if isinstance(c.get("id"), str) and c["id"] in self.store
                ]
                kept = gate(cites, self.store)
                if kept:
                    return Composition(answer, kept)
                log.warning("LLM answer had no verifiable citation; using the deterministic composer")
            except (LLMError, KeyError, TypeError) as exc:
                log.warning("LLM failed, using the deterministic composer: %s", exc)
        return self.composer.from_hits(query, hits, faq)

    def _answered(self, comp: Composition, rewritten: str | None) -> Reply:
        comp.citations = gate(comp.citations, self.store)
        if not comp.citations or not comp.answer:
            return self._reply(ReplyStatus.OUT_OF_SCOPE, HANDOFF, rewritten=rewritten)
        answer = render.footer(comp.answer, comp.citations, self.store)
        return self._reply(ReplyStatus.ANSWERED, answer, comp, rewritten)


def in_scope(intent: Intent) -> float:
    """The probability the classifier gives the intents the texts can answer."""
    bad = (IntentKind.OUT_OF_SCOPE, IntentKind.HARMFUL, IntentKind.INJECTION)
    return 1.0 - sum(intent.p(k) for k in bad)


def clean_history(history: Any) -> list[dict[str, str]]:
    """Keep well-formed turns only (role user/assistant, text content); their number and length are the caller's
    limits (`Limits.history_problem`), checked, never cut here."""
    if not isinstance(history, list | tuple):
        return []
    turns = []
    for t in history:
        role = getattr(t, "role", None) if not isinstance(t, dict) else t.get("role")
        content = getattr(t, "content", None) if not isinstance(t, dict) else t.get("content")
        if role in ("user", "assistant") and isinstance(content, str) and content.strip():
            turns.append({"role": role, "content": content})
    return turns


__all__ = ["Answerer", "InvalidQuery", "clean_history"]
