"""Mention roles: which fact a quantity mention states, learned from annotated phrasings over the lexicon's guess.

The head-noun lexicon (lexicon.py, corpus/dict/heads.toml) gives every mention a first reading: "30名工会会员" is
members, "工资总额40万" wage_total. Help-desk wording reaches past it ("入会的有四十多个人", "同意二十三票，会员总数
四十四人", "甲厂9万，乙厂6万5" for the dispatched wage bill), and each such miss used to cost a new pattern. Here a
logistic regression learns, per mention, the fact from the words around it (character 1–3-grams of the six
characters before and after, the clause's words for money and periods, the unit, the kind and the lexicon's guess
as one more feature), trained on the annotated banks of corpus/slots/*.jsonl: one `{"text", "expect", "absent"}`
per line, labels derived by matching each mention's value to the expected facts (a line with a correction or a
change word keeps only the mentions that match, since its other figures were taken back or added up).

The model overrides the lexicon only when it is sure (`THRESHOLD`); otherwise the lexicon's reading stands, so a
question unlike anything in the bank is read as before. Training takes well under a second; `RoleModel.ensure`
caches the fitted model as `roles-<hash>.joblib` keyed by the bank and scikit-learn's version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.understand import chains
from assistant.understand.cache import cached, folder_hash
from assistant.understand.chains import Placed, Verdict
from assistant.understand.quantities import Qty
from assistant.understand.values import Count, MoneyRange

NONE = ""  # the label of a mention that states no fact a rule asks about
THRESHOLD = 0.7  # the model's reading replaces the lexicon's only above this probability
CHAIN_SURE = 0.6  # a chain is decided by the model only when every figure's reading is at least this sure
WINDOW = 6
MONEY = frozenset({"wage_total", "dispatch_wages", "annual_income", "monthly_income", "amount"})
# facts a mention can carry; the others (rate, members_added…) stay with the lexicon and the change words
LEARNED = frozenset(
    {
        "members", "staff", "women_count", "dispatched", "delegates", "proposers", "votes", "wage_total",
        "dispatch_wages", "annual_income", "monthly_income", "days", "term_years", "count", "amount", NONE,
    }
)  # fmt: skip


# the lexicon's readings the model leaves alone: bare figures (the conversation's), rates and change words
KEPT = frozenset({"count", "amount", "rate", "members_added", "members_left"})
READ_AMOUNTS = True


@dataclass(frozen=True)
class Mention:
    """One quantity in one clause of a prepared question, with the lexicon's reading of it."""

    clause: str
    qty: Qty
    index: int  # clause number in the question
    sentence_index: int
    role: str  # the lexicon's fact, NONE when it reads no fact
    sentence: str = ""  # the clause's sentence: "派遣工…，月工资总额二十万" tells whose wage bill it is
    at: int = 0  # where the clause starts in `text`
    text: str = ""  # the whole prepared question

    def placed(self, fact: str) -> Placed:
        return Placed(fact, self.qty, self.at + self.qty.start, self.index, self.sentence_index)


def notation(value: Any, money: bool = True) -> Any:
    """A fact in the annotated banks' notation: 30, [41, 49], "400000", {"approx": "600000"}, ["3e5", "4e5"]."""
    if isinstance(value, Count):
        return value.low if value.low == value.high else [value.low, value.high]
    if isinstance(value, MoneyRange):
        if value.point is not None:
            return {"approx": _yuan(value.point)}
        return [_yuan(value.low), None if value.high is None else _yuan(value.high)]
    if isinstance(value, Decimal):
        return _yuan(value) if money or value != value.to_integral_value() else int(value)
    return value


def _yuan(d: Decimal) -> str:
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def same(got: Any, want: Any, money: bool) -> bool:
    """Whether an extracted value is the bank's: equal in notation, or a hedged count ("大约150人", "三十来个": ±10%)
    whose middle is the figure the bank wrote (the banks write "about N" as N)."""
    if notation(got, money) == want:
        return True
    if isinstance(got, Count) and isinstance(want, int) and got.approx and got.high is not None:
        spread = max(1, int((Decimal(want) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        return (got.low, got.high) == (want - spread, want + spread)  # the ±10% of a hedge, not a 多 range
    return False


def features(m: Mention) -> dict[str, float]:
    """Sparse features of a mention: the words right around it, the clause's content words, unit, kind, lexicon."""
    before = m.clause[max(0, m.qty.start - WINDOW) : m.qty.start]
    after = m.clause[m.qty.end : m.qty.end + WINDOW]
    f: dict[str, float] = {f"k={m.qty.kind}": 1.0, f"u={m.qty.unit}": 1.0, f"lex={m.role}": 2.0}
    for side, text in (("b", before), ("a", after)):
        for n in (1, 2, 3):
            for i in range(len(text) - n + 1):
                f[f"{side}:{text[i : i + n]}"] = 1.0
    f[f"b1={before[-1:]}"] = 1.0
    f[f"a1={after[:1]}"] = 1.0
    f[f"b2={before[-2:]}"] = 1.0
    f[f"a2={after[:2]}"] = 1.0
    rest = m.clause[: m.qty.start] + "|" + m.clause[m.qty.end :]
    for i in range(len(rest) - 1):
        f[f"c:{rest[i : i + 2]}"] = 0.5
    others = m.sentence.replace(m.clause, "|")
    for i in range(len(others) - 1):
        f[f"s:{others[i : i + 2]}"] = 0.25
    return f


Walk = Callable[[str], list[Mention]]  # a question → its mentions (rules/facts.py's walk over prepared text)


def labelled(rows: Iterable[dict[str, Any]], walk: Walk, corrects: Callable[[str], bool]) -> list[tuple[Mention, str]]:
    """(mention, fact) pairs of annotated lines: a mention whose value is exactly one expected fact's takes it; the
    other mentions of a fully explained line state nothing; lines with corrections or changes keep only matches."""
    out: list[tuple[Mention, str]] = []
    for row in rows:
        expect = dict(row.get("expect", {}))
        wanted: list[tuple[str, Any]] = []
        for name, value in expect.items():
            if name == "groups":
                wanted += [(k, v) for g in value for k, v in g.items()]
            elif name in LEARNED:
                wanted.append((name, value))
        found = walk(str(row["text"]))
        pairs: list[tuple[Mention, str | None]] = []
        matched: set[int] = set()
        for m in found:
            hits = {n for i, (n, v) in enumerate(wanted) if same(m.qty.value, v, n in MONEY)}
            idx = [i for i, (n, v) in enumerate(wanted) if same(m.qty.value, v, n in MONEY)]
            matched.update(idx)
            pairs.append((m, hits.pop() if len(hits) == 1 else (None if hits else NONE)))
        explained = len(matched) == len(wanted) and not corrects(str(row["text"])) and not _changes(found)
        for m, label in pairs:
            if label is None or (label == NONE and not explained):
                continue
            out.append((m, label))
    return out


Marks = Callable[[str], dict[str, bool]]  # a prepared question → the lexicon's marker words (corrections, units)


def chained(rows: Iterable[dict[str, Any]], walk: Walk, marks: Marks) -> list[tuple[dict[str, float], str]]:
    """(features, label) for every figure of every chain of annotated lines: the mentions the lexicon gives one
    fact, when they hold two values or more (chains.labels says which is meant)."""
    out: list[tuple[dict[str, float], str]] = []
    for row in rows:
        expect = dict(row.get("expect", {}))
        found = walk(str(row["text"]))
        if not found:
            continue
        text = found[0].text
        flags = marks(text)
        for fact, chain in by_fact(found, lambda m: m.role).items():
            want = expect.get(fact)
            units = [g[fact] for g in expect.get("groups", []) if fact in g]
            money = fact in MONEY
            tags = chains.labels(chain, want, units, lambda got, w, money=money: same(got, w, money))
            for i, tag in enumerate(tags):
                if tag is not None:
                    out.append((chains.features(text, chain, i, flags), tag))
    return out


def by_fact(found: Sequence[Mention], role: Callable[[Mention], str]) -> dict[str, list[Placed]]:
    """The chains of a question: per fact, its figures in reading order, when they hold two values or more. A bare
    figure (a count with no noun, an amount with no payroll word) joins the chain of the last fact of its kind
    said before it: "原本四十人，现在只剩三十三人", "不是52万，是每月55万"."""
    facts: dict[str, list[Placed]] = {}
    last: dict[bool, str] = {}  # money? → the last fact of that kind
    for m in found:
        name = role(m)
        money = m.qty.kind == "money"
        if name in ("count", "amount") and money in last:
            name = last[money]
        if name in LEARNED and name not in (NONE, "count", "amount"):
            facts.setdefault(name, []).append(m.placed(name))
            last[money] = name
    return {k: v for k, v in facts.items() if len({repr(p.value) for p in v}) >= 2}


def _changes(found: Sequence[Mention]) -> bool:
    return any(m.role in ("members_added", "members_left") for m in found)


def load_rows(folder: Path) -> list[dict[str, Any]]:
    """Every line of the annotated banks; a line that is not a JSON object with `text` fails loudly."""
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f"{path.name}:{n}: expected an object with a text")
            rows.append(row)
    return rows


class RoleModel:
    """The fact of a mention: the model's when it is sure, else the lexicon's."""

    def __init__(
        self,
        vectorizer: DictVectorizer,
        clf: LogisticRegression,
        threshold: float = THRESHOLD,
        chain: tuple[DictVectorizer, LogisticRegression] | None = None,
    ) -> None:
        self.vectorizer = vectorizer
        self.clf = clf
        self.threshold = threshold
        self.chain = chain

    @classmethod
    def train(
        cls,
        examples: Sequence[tuple[Mention, str]],
        threshold: float = THRESHOLD,
        chain_examples: Sequence[tuple[dict[str, float], str]] = (),
    ) -> RoleModel:
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform([features(m) for m, _ in examples])
        clf = LogisticRegression(C=4.0, max_iter=3000)
        clf.fit(x, [label for _, label in examples])
        chain = None
        if len({label for _, label in chain_examples}) >= 2:
            cv = DictVectorizer()
            cx = cv.fit_transform([f for f, _ in chain_examples])
            cc = LogisticRegression(C=2.0, max_iter=3000)
            cc.fit(cx, [label for _, label in chain_examples])
            chain = (cv, cc)
        return cls(vectorizer, clf, threshold, chain)

    def meant(self, text: str, chain: Sequence[Placed], marks: dict[str, bool]) -> Verdict | None:
        """Which figure of a chain the question means (chains.resolve), or None when the model is unsure."""
        if self.chain is None or len(chain) < 2:
            return None
        cv, cc = self.chain
        rows = cc.predict_proba(cv.transform([chains.features(text, chain, i, marks) for i in range(len(chain))]))
        verdicts = [(str(cc.classes_[int(r.argmax())]), float(r.max())) for r in rows]
        return chains.resolve(chain, verdicts, CHAIN_SURE)

    def role(self, m: Mention) -> str:
        """The model re-reads a fact the lexicon confused ("同意罢免的人数为32" is votes, not staff) or one it missed;
        it never drops a fact the lexicon read, and a bare figure (count, amount) stays the conversation's: the
        engine gives it to the fact a follow-up or a pending question is about."""
        if m.role in KEPT and not (m.role == "amount" and READ_AMOUNTS):
            return m.role
        row = self.clf.predict_proba(self.vectorizer.transform([features(m)]))[0]
        best = int(row.argmax())
        label = str(self.clf.classes_[best])
        if row[best] < self.threshold or label == NONE or label in KEPT or not _fits(label, m.qty):
            return m.role
        return label

    @classmethod
    def fit(
        cls, rows: Sequence[dict[str, Any]], walk: Walk, corrects: Callable[[str], bool], marks: Marks
    ) -> RoleModel:
        """Both classifiers from annotated lines."""
        return cls.train(labelled(rows, walk, corrects), chain_examples=chained(rows, walk, marks))

    @classmethod
    def ensure(
        cls, bank_dir: Path, cache_dir: Path | None, walk: Walk, corrects: Callable[[str], bool], marks: Marks
    ) -> RoleModel | None:
        """The cached model for this bank, trained (a few seconds) and saved when missing; None when the corpus
        has no bank. Without a cache dir it is trained in memory."""
        paths = sorted(bank_dir.glob("*.jsonl"))
        if not paths:
            return None
        if cache_dir is None:
            return cls.fit(load_rows(bank_dir), walk, corrects, marks)
        key = folder_hash(bank_dir, f"{sklearn.__version__}\0roles-v2")
        return cached(cache_dir, "roles", key, cls, lambda: cls.fit(load_rows(bank_dir), walk, corrects, marks))


def _fits(label: str, q: Qty) -> bool:
    """A money fact needs an amount, a head count a count: the model only chooses among facts of the mention's kind."""
    if label == NONE:
        return True
    if q.kind == "money":
        return label in MONEY
    if q.kind == "days":
        return label == "days"
    if q.kind == "years":
        return label == "term_years"
    if q.kind == "count":
        return label not in MONEY and label not in ("days", "term_years")
    return False
