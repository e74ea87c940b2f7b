"""Intent bank and classifier: the bank loads and fails loudly; a model trains, predicts calibrated readings."""

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.understand.base import IntentKind
from assistant.understand.intent import IntentModel, bank_hash, load_bank


def test_the_bank_covers_every_intent_with_hundreds_of_examples(corpus_dir: Path) -> None:
    bank = load_bank(corpus_dir / "intents")
    counts = {k: sum(1 for e in bank if e.kind is k) for k in IntentKind}
    assert all(n >= 90 for n in counts.values()), counts
    assert counts[IntentKind.HARMFUL] + counts[IntentKind.INJECTION] >= 150  # the adversarial bank


def test_an_unknown_intent_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text(json.dumps({"text": "你好", "intent": "chitchat"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:1"):
        load_bank(tmp_path)


def _encode(texts: object) -> np.ndarray:
    """A real (if weak) encoder: character-class counts; the classifier also sees the text's n-grams."""
    rows = [[t.count("多少"), t.count("吗"), len(t) / 10] for t in texts]  # type: ignore[attr-defined]
    return np.asarray(rows, dtype=np.float32)


def test_a_small_model_trains_and_predicts_probabilities(tmp_path: Path) -> None:
    lines = [{"text": f"会员{n}人要建委员会吗", "intent": "rule"} for n in range(20, 40)]
    lines += [{"text": f"工会法第{n}条讲的什么", "intent": "article"} for n in range(1, 21)]
    lines += [{"text": f"今天天气怎么样{n}", "intent": "out_of_scope"} for n in range(20)]
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    model = IntentModel.train(load_bank(tmp_path), _encode)
    intent = model.predict_many(["工会法第五十条讲的什么"], _encode(["工会法第五十条讲的什么"]))[0]
    assert intent.kind is IntentKind.ARTICLE and abs(sum(intent.scores.values()) - 1.0) < 1e-6
    # cached by the bank's hash: a second ensure loads instead of training
    cache = tmp_path / "cache"
    IntentModel.ensure(tmp_path, cache, "m", _encode)
    assert (cache / f"intent-{bank_hash(tmp_path, 'm')}.joblib").exists()


@pytest.mark.parametrize("classes", [2, 4])
def test_the_numpy_form_is_scikit_learns_predict_proba(classes: int) -> None:
    from scipy import sparse
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    from assistant.understand.intent import Calibrated

    rng = np.random.default_rng(classes)
    tfidf = sparse.random(120, 30, density=0.2, random_state=1, format="csr")
    dense = rng.normal(size=(120, 8))
    y = rng.integers(0, classes, size=120).astype(str)
    clf = CalibratedClassifierCV(LogisticRegression(C=8.0, max_iter=3000), method="sigmoid", cv=3)
    clf.fit(sparse.hstack([tfidf, sparse.csr_matrix(dense)]).tocsr(), y)
    want = clf.predict_proba(sparse.hstack([tfidf, sparse.csr_matrix(dense)]).tocsr())
    got = Calibrated.of(clf).proba(tfidf, dense)
    np.testing.assert_allclose(got, want, atol=1e-9)


def test_the_fast_tfidf_is_scikit_learns_transform() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.understand.intent import Tfidf, features_text

    raw = ["派遣工工资总额20万，经费多少？", "出租车司机怎么入会", "工会工会工会", "", "😀 abc"]
    texts = [features_text(t) for t in raw]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1).fit(texts[:3])
    want = vectorizer.transform(texts).toarray()
    np.testing.assert_allclose(Tfidf.of(vectorizer)(texts).toarray(), want, atol=1e-12)
