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
        self._compile()

    def _compile(self) -> None:
        self._tfidf = Tfidf.of(self.vectorizer)
        # scikit-learn's predict_proba validates its input on each of 3 folds × K calibrators: 15 ms a question,
        # a third of an answer; the same arithmetic in numpy takes 0.1 ms (tests/understand: equal to 1e-9)
        self._intents = Calibrated.of(self.clf)
        self._rules = Calibrated.of(self.rules) if self.rules is not None else None

    def __setstate__(self, state: dict[str, Any]) -> None:  # a cached model pickled before the compiled form
        self.__dict__.update(state)
        self._compile()

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
        tfidf = self._tfidf([features_text(t) for t in texts])
        dense = np.asarray(vectors, dtype=np.float64)
        probs = self._intents.proba(tfidf, dense)
        out = []
        for n, row in enumerate(probs):
            scores = {k.value: float(p) for k, p in zip(self.labels, row, strict=True)}
            best = int(np.argmax(row))
            kind, p = self.labels[best], float(row[best])
            rule, rule_p = None, 0.0
            if kind is IntentKind.RULE and self._rules is not None:  # the second stage only where it matters
                ruled = self._rules.proba(tfidf[n], dense[n : n + 1])[0]
                r = int(np.argmax(ruled))
                rule, rule_p = str(self._rules.classes[r]), float(ruled[r])
            out.append(Intent(kind, p, scores, p >= self.threshold, rule, rule_p))
        return out

    @classmethod
    def ensure(cls, bank_dir: Path, cache_dir: Path, model_id: str, encode: Encode) -> IntentModel:
        """The cached model for this bank and embedding model, trained and saved when missing or unreadable."""
        key = bank_hash(bank_dir, model_id)
        return cached(cache_dir, "intent", key, cls, lambda: cls.train(load_bank(bank_dir), encode))


@dataclass(frozen=True)
class Tfidf:
    """A fitted `TfidfVectorizer(sublinear_tf=True, norm="l2")` as its analyzer, vocabulary and idf: `transform`
    without scikit-learn's per-call validation (4 ms → 0.1 ms a question; equal to 1e-12, tests/understand)."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> Tfidf:
        if not (vectorizer.sublinear_tf and vectorizer.norm == "l2" and vectorizer.use_idf):
            raise ValueError("Tfidf reproduces sublinear tf, idf and l2 norm only")
        return cls(vectorizer.build_analyzer(), dict(vectorizer.vocabulary_), np.asarray(vectorizer.idf_))

    def __call__(self, texts: Sequence[str]) -> sparse.csr_matrix:
        data: list[float] = []
        cols: list[int] = []
        ptr = [0]
        for text in texts:
            counts: dict[int, int] = {}
            for gram in self.analyze(text):
                j = self.vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            js = sorted(counts)
            row = (np.log(np.array([counts[j] for j in js], dtype=np.float64)) + 1.0) * self.idf[js]
            norm = float(np.sqrt((row**2).sum())) if len(js) else 0.0
            data.extend((row / norm if norm > 0 else row).tolist())
            cols.extend(js)
            ptr.append(len(cols))
        return sparse.csr_matrix((data, cols, ptr), shape=(len(texts), len(self.idf)), dtype=np.float64)


@dataclass(frozen=True)
class Calibrated:
    """A fitted `CalibratedClassifierCV(LogisticRegression, method="sigmoid")` as arrays: per fold the linear
    weights (split into the sparse TF-IDF part and the dense vector part) and each class's Platt scaling;
    `proba` is scikit-learn's predict_proba (one-vs-rest sigmoids, normalised per row, averaged over folds)."""

    classes: np.ndarray
    folds: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]  # coef, intercept,
    # the fold's classes as columns, Platt a, Platt b

    @classmethod
    def of(cls, clf: Any) -> Calibrated:
        folds = []
        for fold in clf.calibrated_classifiers_:
            est = fold.estimator
            coef = np.atleast_2d(est.coef_).astype(np.float64)
            cols = np.searchsorted(clf.classes_, est.classes_)
            a = np.array([c.a_ for c in fold.calibrators], dtype=np.float64)
            b = np.array([c.b_ for c in fold.calibrators], dtype=np.float64)
            folds.append((coef, np.atleast_1d(est.intercept_).astype(np.float64), cols, a, b))
        return cls(np.asarray(clf.classes_), tuple(folds))

    def proba(self, tfidf: Any, dense: np.ndarray) -> np.ndarray:
        n, k, width = tfidf.shape[0], len(self.classes), tfidf.shape[1]  # columns: the TF-IDF part, then the dense
        total = np.zeros((n, k))
        for coef, intercept, cols, a, b in self.folds:
            decision = np.asarray(tfidf @ coef[:, :width].T) + dense @ coef[:, width:].T + intercept
            platt = 1.0 / (1.0 + np.exp(a * decision + b))  # expit(-(a·d + b))
            proba = np.zeros((n, k))
            if k == 2:  # binary: one decision and one calibrator, for the second class
                proba[:, 1] = platt[:, 0]
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                proba[:, cols] = platt
                sums = proba.sum(1, keepdims=True)
                proba = np.divide(proba, sums, out=np.full_like(proba, 1 / k), where=sums != 0)
            proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
            total += proba
        out: np.ndarray = total / len(self.folds)
        return out


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
