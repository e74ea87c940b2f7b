"""Assistant: the one object callers load — clause store, index and retrievers wired from Settings."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from langchain_chroma import Chroma

from assistant.answer.compose import Composer
from assistant.answer.llm import LLM
from assistant.answer.pipeline import Answerer
from assistant.answer.reply import Reply
from assistant.answer.rerank import Reranker
from assistant.answer.scope import ScopeGate, ScopeModel
from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.faq.base import Faq
from assistant.index.bm25 import BM25Index
from assistant.index.build import Progress, ensure_index
from assistant.index.chroma import probe
from assistant.index.embed import Embedder, load_embedder
from assistant.index.manifest import Manifest
from assistant.index.sentences import build as build_sentences
from assistant.index.sentences import cache_path
from assistant.retrieve import BM25Retriever, DenseRetriever, Hit, HybridRetriever, InvalidQuery, QueryAnalyzer
from assistant.retrieve.dense import Windows
from assistant.retrieve.faq import FaqMatcher
from assistant.rules import RulesEngine
from assistant.rules.facts import marks, walk
from assistant.text.aliases import Aliases
from assistant.text.tokenize import Tokenizer
from assistant.understand import lexicon
from assistant.understand.base import IntentKind
from assistant.understand.intent import IntentModel, frame_words, load_bank
from assistant.understand.reader import Reader
from assistant.understand.roles import RoleModel
from assistant.understand.spelling import Speller, SpellingData

RULES_DIR = Path(__file__).parent / "rules"


def corpus_version(store: ClauseStore, rules_dir: Path = RULES_DIR) -> str:
    """Hash of the clause contents and the rules' source (the running code unless `rules_dir` names a snapshot's):
    what an answer was computed from."""
    h = hashlib.sha256(store.sha.encode())
    for path in sorted(rules_dir.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def corpus_fingerprint(store: ClauseStore, corpus_dir: Path) -> str:
    """The clauses and the dictionaries (terms, aliases, scope model) an assistant was loaded from: what a reload
    compares to decide whether anything changed."""
    h = hashlib.sha256(store.sha.encode())
    for path in sorted(p for d in ("dict", "intents", "slots", "models", "faq") for p in (corpus_dir / d).glob("*")):
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def load_roles(corpus_dir: Path, cache_dir: Path | None = None) -> RoleModel | None:
    """The mention-role model trained on corpus/slots (cached under `cache_dir` when given); None without a bank."""
    return RoleModel.ensure(corpus_dir / "slots", cache_dir, walk, lexicon.default().corrects, marks)


def load_speller(corpus_dir: Path, store: ClauseStore, tokenizer: Tokenizer) -> Speller:
    """Spelling correction towards the curated terms, the titles the corpus cites and corpus/dict/spelling.toml."""
    dict_dir = corpus_dir / "dict"
    words = ScopeGate.load_terms(dict_dir / "terms.txt") + Tokenizer.corpus_terms([c.text for c in store])
    return Speller(SpellingData.load(dict_dir / "spelling.toml", words), tokenizer)


def load_reader(
    settings: Settings, store: ClauseStore, tokenizer: Tokenizer, embedder: Embedder, analyzer: QueryAnalyzer
) -> Reader:
    """Spelling correction over the curated terms and cited titles; the intent model trained on corpus/intents
    (cached under the model dir; none when the corpus has no bank). The classifier sees the alias-expanded text
    that dense retrieval embeds, in training and in serving, so one E5 pass per question serves both."""
    speller = load_speller(settings.corpus_dir, store, tokenizer)
    bank = settings.corpus_dir / "intents"
    model = None
    frames: dict[IntentKind, frozenset[str]] = {}

    def expanded(texts: Sequence[str]) -> list[str]:
        out = []
        for t in texts:
            try:
                out.append(analyzer(t).expanded)
            except InvalidQuery:  # punctuation only, or too long for a query: read as it is
                out.append(t)
        return out

    if any(bank.glob("*.jsonl")):
        aliases = (settings.corpus_dir / "dict" / "aliases.toml").read_bytes()
        key = f"{embedder.model_id}:{hashlib.sha256(aliases).hexdigest()[:8]}"
        model = IntentModel.ensure(bank, settings.model_dir, key, lambda ts: embedder.encode_queries(expanded(ts)))
        texts = [c.norm for c in store]
        frames[IntentKind.COMPARE] = frame_words(load_bank(bank), IntentKind.COMPARE, texts, tokenizer.cut)
    return Reader(speller, model, lambda ts: embedder.query_vectors(expanded(ts)), frames)


def load_retrievers(
    settings: Settings,
    store: ClauseStore,
    tokenizer: Tokenizer,
    analyzer: QueryAnalyzer,
    embedder: Embedder,
    vectors: Chroma,
) -> tuple[BM25Retriever, DenseRetriever, HybridRetriever]:
    """BM25 over the clauses, dense over the index (window vectors in-process for the embedded store, a Chroma
    query per question for a server), and their fusion as Settings say."""
    penalty = settings.superseded_penalty
    bm25 = BM25Retriever(
        index=BM25Index(list(store), tokenizer), store=store, analyzer=analyzer, superseded_penalty=penalty
    )
    where = settings.chroma_url or str(settings.chroma_dir)
    dense = DenseRetriever(
        vectors=vectors,
        embedder=embedder,
        where=where,
        windows=None if settings.chroma_url else Windows.of(vectors, where),
        store=store,
        analyzer=analyzer,
        superseded_penalty=penalty,
    )
    hybrid = HybridRetriever(
        sparse=bm25,
        dense=dense,
        fusion=settings.fusion,
        rrf_k=settings.rrf_k,
        bm25_weight=settings.bm25_weight,
        dense_weight=settings.dense_weight,
        candidates=settings.candidates,
        store=store,
        analyzer=analyzer,
        superseded_penalty=penalty,
    )
    return bm25, dense, hybrid


def load_scope(dict_dir: Path) -> ScopeGate:
    """The scope gate: its fitted model and the domain words (curated terms and the scope vocabulary)."""
    return ScopeGate(
        ScopeModel.load(dict_dir / "scope.json"),
        ScopeGate.load_terms(dict_dir / "terms.txt") + ScopeGate.load_terms(dict_dir / "domain.txt"),
    )


class AssistantLike(Protocol):
    """The parts of `Assistant` the API and the chat page use (tests stand in for it with lighter doubles)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> ClauseStore: ...

    @property
    def manifest(self) -> Manifest: ...

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Reply: ...

    def search(self, question: str, k: int = 5) -> list[Hit]: ...

    def reload(self) -> AssistantLike: ...

    def vectors_problem(self, timeout: float = 2.0) -> str | None: ...


@dataclass
class Assistant:
    settings: Settings
    store: ClauseStore
    analyzer: QueryAnalyzer
    embedder: Embedder
    manifest: Manifest
    bm25: BM25Retriever
    dense: DenseRetriever
    hybrid: HybridRetriever
    scope: ScopeGate
    rules: RulesEngine
    answerer: Answerer
    fingerprint: str = ""  # corpus_fingerprint() at load

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        embedder: Embedder | None = None,
    ) -> Assistant:
        """Load everything; builds the embedding model folder and the index when missing or stale.

        `embedder`: an already loaded model to reuse (a reload keeps the model, only the corpus changed)."""
        settings = settings or Settings()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        store = ClauseStore.load(settings.corpus_dir)
        tokenizer = Tokenizer(
            settings.corpus_dir / "dict" / "terms.txt", Tokenizer.corpus_terms([c.text for c in store])
        )
        aliases = Aliases.load(settings.corpus_dir / "dict" / "aliases.toml")
        analyzer = QueryAnalyzer(store, tokenizer, aliases, settings.limits.question_chars)
        embedder = embedder or load_embedder(settings)
        faq = Faq.load(settings.corpus_dir / "faq").valid(store)  # entries whose span left its clause are not served
        vectors, manifest, _ = ensure_index(settings, store, embedder, rebuild=rebuild, progress=progress, faq=faq)
        bm25, dense, hybrid = load_retrievers(settings, store, tokenizer, analyzer, embedder, vectors)
        scope = load_scope(settings.corpus_dir / "dict")
        rules = RulesEngine(store, roles=load_roles(settings.corpus_dir, settings.model_dir))
        reader = load_reader(settings, store, tokenizer, embedder, analyzer)
        sentence_vectors = build_sentences(store, embedder, cache_path(settings.model_dir, embedder.model_id))
        llm = None
        if settings.llm_base_url and settings.llm_model:
            llm = LLM.from_settings(
                settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout
            )
        composer = Composer(
            store,
            tokenizer,
            bm25.index.idf,
            sentence_vectors,
            embedder.query_vector,
            Reranker.load(settings.corpus_dir / "models" / "rerank.json"),
        )
        answerer = Answerer(
            store=store,
            analyzer=analyzer,
            retriever=hybrid,
            rules=rules,
            scope=scope,
            composer=composer,
            version=corpus_version(store),
            llm=llm,
            limits=settings.limits,
            reader=reader,
            faq=FaqMatcher.from_store(faq, vectors, embedder.query_vector, settings.faq_sure) if len(faq) else None,
            idf=bm25.index.idf,
        )
        fingerprint = corpus_fingerprint(store, settings.corpus_dir)
        return cls(
            settings, store, analyzer, embedder, manifest, bm25, dense, hybrid, scope, rules, answerer, fingerprint
        )

    def reload(self) -> Assistant:
        """A new assistant for the corpus as it is on disk now, with the same settings and model (its index
        generation built and published first), or `self` when the corpus and dictionaries are unchanged.
        `self` is untouched and keeps answering meanwhile."""
        if corpus_fingerprint(ClauseStore.load(self.corpus_dir), self.corpus_dir) == self.fingerprint:
            return self
        return Assistant.load(self.settings, embedder=self.embedder)

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Reply:
        """Answer one turn; `history` is the earlier turns ({"role": "user"|"assistant", "content": …}).
        Bad input gets a reply that says what is wrong; only a vector store that does not answer raises
        (`IndexUnavailable`), since "out of scope" would be a wrong answer."""
        return self.answerer.ask(question, history)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """Hybrid search; raises `InvalidQuery` (Chinese message) for empty or over-long input and
        `IndexUnavailable` when the vector store does not answer."""
        return self.hybrid.search(question, k)

    def vectors_problem(self, timeout: float = 2.0) -> str | None:
        """None when the vector store answers within about `timeout` seconds, else why not (readiness)."""
        return probe(self.settings, self.dense.vectors, timeout)

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir
