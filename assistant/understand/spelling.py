"""Domain spelling correction: listed confusions plus pinyin homophones of domain words, on questions only.

`Speller.correct(text)` takes normalised text and returns (corrected text, corrections). Two sources of fixes:

- the confusion set (`[confusions]` of corpus/dict/spelling.toml): shape-alike typos (派遗) and words jieba knows in
  another sense (公会). A listed wrong form is replaced unless jieba reads it as part of a longer dictionary word
  (办公会议 keeps its 公会);
- pinyin: a window of 2–6 characters that is no dictionary word, sounds like a domain word (tone-less pinyin equal)
  and differs from it in at most one character in three (at least one). Only characters that jieba could not place
  in a dictionary word may change, and the window may not cut a dictionary word in two, so "如会员" (如 + 会员) is
  never read as 入会.

The domain lexicon is the curated terms, scope words, alias table, cited titles and `[lexicon]` words. Nothing here
reads or changes clause text.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from assistant.text.tokenize import Tokenizer
from assistant.understand.base import Correction

_HAN = "\u4e00-\u9fff"


@functools.lru_cache(maxsize=1 << 16)  # pure; pypinyin's phrase lookup is most of correct()'s time
def _key(text: str) -> tuple[str, ...] | None:
    """Tone-less pinyin per character, None when the text is not all Han characters."""
    if not all("\u4e00" <= c <= "\u9fff" for c in text):
        return None
    return tuple(lazy_pinyin(text, style=Style.NORMAL))


@dataclass(frozen=True)
class SpellingData:
    confusions: dict[str, str]
    lexicon: tuple[str, ...]

    @classmethod
    def load(cls, path: Path, extra_words: Iterable[str] = ()) -> SpellingData:
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        confusions = {str(k): str(v) for k, v in data.get("confusions", {}).items() if k != v}
        words = [str(w) for w in data.get("lexicon", {}).get("words", [])]
        return cls(confusions, tuple(dict.fromkeys([*words, *extra_words])))


class Speller:
    """Built once per corpus (pinyin of every domain word); `correct` is pure and thread-safe."""

    def __init__(self, data: SpellingData, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.confusions = dict(sorted(data.confusions.items(), key=lambda kv: -len(kv[0])))
        self.words = frozenset(w for w in data.lexicon if 2 <= len(w) <= 6)
        self._by_key: dict[tuple[str, ...], list[str]] = {}
        for w in sorted(self.words):
            k = _key(w)
            if k is not None:
                self._by_key.setdefault(k, []).append(w)
        self._lengths = sorted({len(k) for k in self._by_key}, reverse=True)

    def correct(self, text: str) -> tuple[str, tuple[Correction, ...]]:
        fixes: list[Correction] = []
        text = self._confusions(text, fixes)
        text = self._homophones(text, fixes)
        return text, tuple(sorted(fixes, key=lambda c: c.start))

    def _confusions(self, text: str, fixes: list[Correction]) -> str:
        spans = self.tokenizer.spans(text)
        out = text
        for wrong, right in self.confusions.items():
            start = out.find(wrong)
            while start >= 0:
                end = start + len(wrong)
                inside_word = any(
                    known and len(w) > 1 and s <= start and end <= e and (s, e) != (start, end) and w != wrong
                    for w, s, e, known in spans
                )
                if not inside_word and out[start:].startswith(wrong) and not out[start:].startswith(right):
                    out = out[:start] + right + out[end:]
                    fixes.append(Correction(wrong, right, start, "confusion"))
                    spans = self.tokenizer.spans(out)
                    start = out.find(wrong, start + len(right))
                else:
                    start = out.find(wrong, end)
        return out

    def _homophones(self, text: str, fixes: list[Correction]) -> str:
        spans = self.tokenizer.spans(text)
        # characters jieba placed in a dictionary word of two or more characters may not change
        fixed = [False] * len(text)
        cuts: set[int] = set()  # positions strictly inside a dictionary word: no window may start or end there
        for w, s, e, known in spans:
            if known and len(w) > 1:
                for i in range(s, e):
                    fixed[i] = True
                cuts.update(range(s + 1, e))
        out = list(text)
        i = 0
        while i < len(out):
            done = False
            for n in self._lengths:
                window = "".join(out[i : i + n])
                if len(window) < n or window in self.words or i in cuts or (i + n) in cuts:
                    continue
                key = _key(window)
                if key is None:
                    continue
                for word in self._by_key.get(key, []):
                    diff = [j for j in range(n) if window[j] != word[j]]
                    if not diff or len(diff) > max(1, n // 3) or any(fixed[i + j] for j in diff):
                        continue
                    out[i : i + n] = list(word)
                    fixes.append(Correction(window, word, i, "pinyin"))
                    i += n
                    done = True
                    break
                if done:
                    break
            if not done:
                i += 1
        return "".join(out)
