"""jieba tokeniser with the domain dictionary; search-mode tokens for BM25, numerals folded to digits."""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path

import jieba

from assistant.text.normalize import normalize
from assistant.text.numerals import cn_to_int

_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_ARTICLE = re.compile(rf"第([{_CN_NUM}]+|\d+)条")
_COUNT = re.compile(rf"([{_CN_NUM}]{{2,}}|[{_CN_NUM}](?=[人名个元%]))")
_PERCENT = re.compile(rf"百分之([{_CN_NUM}]+|\d+)")
# Atoms jieba must not split: article refs, numbers with %, Latin words.
_ATOM = re.compile(r"第\d+条|\d+(?:\.\d+)?%?|[a-z]+")
_WORD = re.compile(r"[\w%]")
_TITLE = re.compile(r"《([^》]{2,40})》")
# Function words that carry no topic; kept small on purpose (negations and 谁/哪 stay: they matter).
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "和",
        "与",
        "及",
        "或",
        "在",
        "对",
        "把",
        "被",
        "让",
        "给",
        "从",
        "向",
        "就",
        "都",
        "也",
        "还",
        "又",
        "再",
        "很",
        "最",
        "要",
        "会",
        "能",
        "可",
        "可以",
        "应",
        "应当",
        "该",
        "有",
        "没有",
        "这",
        "那",
        "这个",
        "那个",
        "这些",
        "那些",
        "什么",
        "怎么",
        "怎样",
        "怎么办",
        "如何",
        "为什么",
        "是否",
        "是不是",
        "哪些",
        "多少",
        "一下",
        "请问",
        "我们",
        "我",
        "你",
        "您",
        "他",
        "她",
        "它",
        "他们",
        "咱们",
        "贵",
        "其",
        "之",
        "等",
        "以",
        "于",
        "按",
        "按照",
        "根据",
        "规定",
        "问题",
        "情况",
        "一个",
        "个",
        "吗？",
    ]
)


class Tokenizer:
    """A private jieba instance (no global state) loaded with curated and corpus-derived terms."""

    def __init__(self, terms_file: Path, extra_terms: list[str] | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.tmp_dir = tempfile.gettempdir()
        self._jieba.initialize()
        self._jieba.load_userdict(str(terms_file))
        for term in extra_terms or []:
            self._jieba.add_word(term, freq=30000)
        # One question is cut by several stages (spelling, slots, BM25, the composer); the dictionary is fixed once
        # loaded, so a cut is a pure function of its text and is kept for the next stage that asks.
        self._lcut = functools.lru_cache(maxsize=8192)(lambda t: tuple(self._jieba.lcut(t)))
        self._lcut_search = functools.lru_cache(maxsize=8192)(lambda t: tuple(self._jieba.lcut_for_search(t)))

    @staticmethod
    def corpus_terms(texts: list[str]) -> list[str]:
        """Terms generated from the corpus: every 《title》 it cites, e.g. 工会会员会籍管理办法."""
        found: dict[str, None] = {}
        for t in texts:
            for m in _TITLE.finditer(normalize(t)):
                found[m.group(1)] = None
        return list(found)

    def cut(self, text: str) -> list[str]:
        """Plain segmentation of normalised text (for display and slot extraction)."""
        return [w for w in self._lcut(normalize(text)) if w.strip()]

    def words(self, text: str) -> list[str]:
        """Plain segmentation of the text as it is (no normalisation, nothing dropped): pieces join back to it."""
        return list(self._lcut(text))

    def spans(self, text: str) -> list[tuple[str, int, int, bool]]:
        """Plain segmentation of already normalised text as (word, start, end, in the dictionary?)."""
        out, pos = [], 0
        for w in self._lcut(text):
            out.append((w, pos, pos + len(w), self._jieba.FREQ.get(w, 0) > 0))
            pos += len(w)
        return out

    def tokens(self, text: str) -> list[str]:
        """BM25 tokens: search-mode (overlapping sub-words), stopwords and punctuation dropped, numbers as digits."""
        text = fold_numbers(normalize(text)).lower()
        out: list[str] = []
        pos = 0
        for m in _ATOM.finditer(text):
            out.extend(self._words(text[pos : m.start()]))
            out.append(m.group(0))
            pos = m.end()
        out.extend(self._words(text[pos:]))
        return out

    def _words(self, chunk: str) -> list[str]:
        return [
            w
            for w in (x.strip() for x in self._lcut_search(chunk))
            if w and w not in STOPWORDS and _WORD.search(w)
        ]


def _to_digits(m: re.Match[str]) -> str:
    try:
        return str(cn_to_int(m.group(1)))
    except (ValueError, TypeError, KeyError):
        return m.group(0)


def fold_numbers(text: str) -> str:
    """第四十三条 → 第43条, 百分之二 → 2%, 二十五人 → 25人 (multi-char numerals or numeral + unit only)."""
    text = _ARTICLE.sub(lambda m: f"第{_to_digits(m)}条", text)
    text = _PERCENT.sub(lambda m: f"{_to_digits(m)}%", text)
    return _COUNT.sub(_to_digits, text)
