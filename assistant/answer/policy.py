"""SelectionPolicy: every threshold the composer uses to pick and bound what an answer quotes, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SelectionPolicy:
    """Numbers fitted by reading answers to the gold sets' questions; change them with eval.run, not by feel."""

    candidates: int = 8  # clauses whose sentences compete for the answer (retrieval's top 8 hold the gold ~95%)
    max_lead: int = 330  # characters of quoted text in the answer before 相关规定: a clerk reads it aloud
    max_list: int = 600  # a list's items shown after its opening sentence when the question does not ask for it
    short_clause: int = 300  # a lead clause this short is quoted whole: it is the answer, with its conditions
    similarity_weight: float = 0.7  # of a sentence's score; the rest is its share of the question's terms
    partial: float = 0.5  # weight of a question word's part (数据 of 数据库) matched without the whole word
    lead_sentences: int = 3  # sentences of a long lead clause at most: more is a paraphrase of the article
    lead_floor: float = 0.5  # a lead-clause sentence under half the best one's score says something else
    redundant: float = 0.8  # a lead sentence adding no new term is still shown when it scores this close
    join_floor: float = 0.6  # another clause's sentence must score this share of the best to join 相关规定
    new_terms: float = 0.1  # ... and bring this share of the question's term weight not yet covered


DEFAULT = SelectionPolicy()
