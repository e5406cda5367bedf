"""Find the bank question a document's question asks, when there is one.

TF-IDF over the bank's own wording — each question's prompt (counted twice), tags and key
points, Chinese and English kept apart — with the same tokens the grader uses (jieba words,
stemmed English, split Go identifiers). A document question matches the bank question with
the highest cosine in either language when that cosine reaches MATCH_AT and beats the
runner-up by MARGIN; otherwise it is graded against the document's own reference answer, or
not at all. The thresholds come from benchmarks/doc_match.py (hand-labelled documents in
tests/data/docs/); see the README for the figures.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from gointerview.bank import Bank, Question
from gointerview.grading.text import analysis as ta

MATCH_AT = 0.30
MARGIN = 0.02
RELATED_AT = 0.12  # close enough to borrow the bank question's dimensions for the report


@dataclass(frozen=True)
class Candidate:
    question: Question
    similarity: float


@dataclass(frozen=True)
class MatchResult:
    best: Candidate | None  # the nearest bank question, however far
    runner_up: Candidate | None

    @property
    def matched(self) -> Question | None:
        if self.best is None or self.best.similarity < MATCH_AT:
            return None
        if self.runner_up is not None and self.best.similarity - self.runner_up.similarity < MARGIN:
            return None
        return self.best.question

    @property
    def related(self) -> Question | None:
        """The nearest question when it is at least on the same topic."""
        if self.best is None or self.best.similarity < RELATED_AT:
            return None
        return self.best.question


def _counts(text: str) -> Counter[str]:
    return Counter(t.text for t in ta.content_tokens(text, split_ids=True))


class BankIndex:
    def __init__(self, bank: Bank) -> None:
        self.questions = bank.questions

    @cached_property
    def _vectors(self) -> list[tuple[dict[str, float], dict[str, float]]]:
        sides: list[tuple[Counter[str], Counter[str]]] = []
        for q in self.questions:
            sides.append(
                (
                    _side(q, "zh"),
                    _side(q, "en"),
                )
            )
        documents = len(sides) or 1
        frequency: Counter[str] = Counter()
        for zh, en in sides:
            frequency.update(set(zh) | set(en))
        self._idf = {t: math.log((1 + documents) / (1 + df)) + 1 for t, df in frequency.items()}
        return [(self._weigh(zh), self._weigh(en)) for zh, en in sides]

    def _weigh(self, counts: Counter[str]) -> dict[str, float]:
        vector = {t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def match(self, text: str) -> MatchResult:
        vectors = self._vectors
        query = self._weigh(Counter({t: c for t, c in _counts(text).items() if t in self._idf}))
        if not query:
            return MatchResult(None, None)
        scored = sorted(
            (
                Candidate(q, max(_cosine(query, zh), _cosine(query, en)))
                for q, (zh, en) in zip(self.questions, vectors, strict=True)
            ),
            key=lambda c: -c.similarity,
        )
        return MatchResult(scored[0] if scored else None, scored[1] if len(scored) > 1 else None)


def _side(q: Question, lang: str) -> Counter[str]:
    prompt = getattr(q.prompt, lang)
    points = " ".join(getattr(kp, lang) for kp in q.key_points)
    counts = _counts(prompt)
    counts.update(counts)  # the prompt counts twice: it is what the question asks
    counts.update(_counts(points + " " + " ".join(q.tags)))
    return counts


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
