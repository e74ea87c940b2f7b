"""Reader: one question read once per turn — spelling corrected, screened, its intent classified."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.text.normalize import normalize
from assistant.understand.base import Correction, Intent, IntentKind
from assistant.understand.intent import IntentModel
from assistant.understand.safety import Screen, Verdict, screen
from assistant.understand.spelling import Speller

Vectors = Callable[[Sequence[str]], np.ndarray]
_UNKNOWN = Intent(IntentKind.PASSAGE, 0.0, {}, False)


@dataclass(frozen=True)
class Reading:
    """What the pipeline works from: `text` is the question to answer (corrected, injections dropped)."""

    original: str
    text: str
    corrections: tuple[Correction, ...]
    intent: Intent
    screen: Screen

    @property
    def refused(self) -> bool:
        return self.screen.verdict is Verdict.REFUSE

    @property
    def rewritten(self) -> str | None:
        """The question as it will be answered, when that differs from what the user typed: the user's own text
        with the corrections applied (their punctuation kept), or the normalised text where that cannot be done
        (traditional characters, a dropped instruction)."""
        if self.screen.verdict is Verdict.STRIPPED:
            return self.text
        if not self.corrections:
            return None
        shown = self.original
        for c in self.corrections:
            if c.wrong not in shown:
                return self.text
            shown = shown.replace(c.wrong, c.right, 1)
        return shown


class Reader:
    def __init__(
        self,
        speller: Speller | None,
        model: IntentModel | None,
        vectors: Vectors,
        frames: dict[IntentKind, frozenset[str]] | None = None,
    ) -> None:
        self.speller = speller
        self.model = model
        self.vectors = vectors
        self.frames = frames or {}

    def topic(self, words: Sequence[str], kind: IntentKind) -> list[str]:
        """The words of a question without those that frame its kind ("新旧工会法在X上有什么不同" → X)."""
        frame = self.frames.get(kind, frozenset())
        return [w for w in words if w not in frame]

    def classify(self, texts: Sequence[str]) -> list[Intent]:
        if self.model is None:
            return [_UNKNOWN for _ in texts]
        return self.model.predict_many(texts, self.vectors(texts))

    def read(self, question: str) -> Reading:
        text = normalize(question)
        fixes: tuple[Correction, ...] = ()
        if self.speller is not None:
            text, fixes = self.speller.correct(text)
        if self.model is None:
            return Reading(question, text if fixes else question, fixes, _UNKNOWN, Screen(Verdict.SAFE, text))
        seen: dict[str, Intent] = {}

        def classify(texts: Sequence[str]) -> list[Intent]:  # each text read once per turn
            todo = [t for t in dict.fromkeys(texts) if t not in seen]
            if todo:
                seen.update(zip(todo, self.classify(todo), strict=True))
            return [seen[t] for t in texts]

        sc = screen(text, classify)
        # the user's own wording goes on unless something was corrected or dropped (full-width ？ stays ？)
        answered = sc.question if (fixes or sc.verdict is Verdict.STRIPPED) else question
        return Reading(question, answered, fixes, classify([sc.question])[0], sc)
