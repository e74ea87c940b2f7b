"""Intent classifier: calibrated logistic regression over char n-grams and E5 query vectors, trained on corpus/intents.

The bank (`corpus/intents/*.jsonl`, one `{"text", "intent"[, "rule"]}` per line, `injection_cases.jsonl` giving
`{"text", "inner", "injected"}`) is written from the sources and from how help desks talk, never from the eval gold
sets. Features: TF-IDF of character 1–3-grams of the normalised question with digits folded to 0 (numbers
generalise), next to the E5 "query:" vector the retriever computes anyway. `predict` returns every kind's calibrated
probability; it is `confident` only above `threshold`, and callers leave unsure questions to the default path
(retrieval), so the classifier only routes: the rules still decide.

The fitted model is cached as `intent-<hash>.joblib` under the model dir, keyed by the bank, the embedding model
and scikit-learn's version; `IntentModel.ensure` trains it (about 20 s on two cores) when missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.text.normalize import normalize
from assistant.understand.base import Intent, IntentKind
from assistant.understand.cache import cached, folder_hash

Encode = Callable[[Sequence[str]], np.ndarray]  # texts → L2-normalised query vectors, one row each
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
THRESHOLD = 0.6  # below this the top intent routes nothing (chosen on a cross-validated split of the bank)


def features_text(text: str) -> str:
    return _DIGITS.sub("0", normalize(text).lower())


@dataclass(frozen=True)
class Example:
    text: str
    kind: IntentKind
    rule: str | None = None


def load_bank(folder: Path) -> list[Example]:
    """Every example of the bank; a line with an unknown intent fails loudly (ValueError names file and line)."""
    out: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "injected" in row:  # a wrapped question: its injected instruction is an injection example
                out.append(Example(str(row["injected"]), IntentKind.INJECTION))
                continue
            try:
                kind = IntentKind(row["intent"])
            except ValueError:
                raise ValueError(f"{path.name}:{n}: unknown intent {row['intent']!r}") from None
            out.append(Example(str(row["text"]), kind, row.get("rule")))
    return out


def bank_hash(folder: Path, model_id: str) -> str:
    return folder_hash(folder, f"{model_id}\0{sklearn.__version__}\0v4")


class IntentModel:
    """Two calibrated stages on one feature space: the intent, and for rule questions which rule (the bank's
    rule ids). The second stage only names a candidate; the rules engine still decides."""

    def __init__(
        self, vectorizer: TfidfVectorizer, clf: Any, threshold: float = THRESHOLD, rules: Any | None = None
    ) -> None:
        self.vectorizer = vectorizer
        self.clf = clf
        self.rules = rules
        self.labels = [IntentKind(str(c)) for c in clf.classes_]
        self.threshold = threshold

    @classmethod
    def train(cls, bank: Sequence[Example], encode: Encode, threshold: float = THRESHOLD) -> IntentModel:
        texts = [e.text for e in bank]
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        x = _stack(vectorizer.fit_transform([features_text(t) for t in texts]), encode(texts))
        y = [e.kind.value for e in bank]
        # three fold models averaged: a single model with cross-validated calibration (ensemble=False) predicts in a
        # third of the time but lost a refusal and a key fact on the dev sets
        clf = CalibratedClassifierCV(LogisticRegression(C=8.0, max_iter=3000), method="sigmoid", cv=3)
        clf.fit(x, y)
        ruled = [i for i, e in enumerate(bank) if e.kind is IntentKind.RULE and e.rule]
        rules = None
        if len({bank[i].rule for i in ruled}) >= 2:
            rules = CalibratedClassifierCV(LogisticRegression(C=8.0, max_iter=3000), method="sigmoid", cv=3)
            rules.fit(x[ruled], [bank[i].rule for i in ruled])
        return cls(vectorizer, clf, threshold, rules)

    def predict(self, text: str, vector: np.ndarray) -> Intent:
        return self.predict_many([text], vector.reshape(1, -1))[0]

    def predict_many(self, texts: Sequence[str], vectors: np.ndarray) -> list[Intent]:
        x = _stack(self.vectorizer.transform([features_text(t) for t in texts]), vectors)
        out = []
        for n, row in enumerate(self.clf.predict_proba(x)):
            scores = {k.value: float(p) for k, p in zip(self.labels, row, strict=True)}
            best = int(np.argmax(row))
            kind, p = self.labels[best], float(row[best])
            rule, rule_p = None, 0.0
            if kind is IntentKind.RULE and self.rules is not None:  # the second stage only where it matters
                ruled = self.rules.predict_proba(x[n])[0]
                r = int(np.argmax(ruled))
                rule, rule_p = str(self.rules.classes_[r]), float(ruled[r])
            out.append(Intent(kind, p, scores, p >= self.threshold, rule, rule_p))
        return out

    @classmethod
    def ensure(cls, bank_dir: Path, cache_dir: Path, model_id: str, encode: Encode) -> IntentModel:
        """The cached model for this bank and embedding model, trained and saved when missing or unreadable."""
        key = bank_hash(bank_dir, model_id)
        return cached(cache_dir, "intent", key, cls, lambda: cls.train(load_bank(bank_dir), encode))


def _stack(tfidf: Any, vectors: np.ndarray) -> Any:
    return sparse.hstack([tfidf, sparse.csr_matrix(np.asarray(vectors, dtype=np.float64))]).tocsr()


def frame_words(
    bank: Sequence[Example], kind: IntentKind, corpus: Sequence[str], cut: Callable[[str], list[str]]
) -> frozenset[str]:
    """The words that frame a kind of question rather than its topic ("新旧", "有什么不同", "09版" for COMPARE):
    at least six times likelier in that kind's examples than in the others', seen five times or more, and never
    used by the corpus itself (a topic word of an amendment, 社会组织 or 就业形态, is in the law's text)."""
    mine: dict[str, int] = {}
    rest: dict[str, int] = {}
    n_mine = sum(1 for e in bank if e.kind is kind) or 1
    n_rest = (len(bank) - n_mine) or 1
    for e in bank:
        counts = mine if e.kind is kind else rest
        for w in set(cut(e.text)):
            counts[w] = counts.get(w, 0) + 1
    df: dict[str, int] = {}
    for text in corpus:
        for w in mine:
            if w in text:
                df[w] = df.get(w, 0) + 1
    return frozenset(
        w
        for w, c in mine.items()
        if c >= 5 and (c / n_mine) / ((rest.get(w, 0) + 1) / n_rest) >= 6 and df.get(w, 0) == 0
    )
